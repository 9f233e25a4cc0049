package devenv

import (
	"os/exec"
	"strings"
	"testing"
)

func TestCLIConfig(t *testing.T) {
	want := `provider_installation {
  dev_overrides {
    "registry.terraform.io/tiledesk/tiledesk" = "/tmp/x \"y\""
    "registry.opentofu.org/tiledesk/tiledesk" = "/tmp/x \"y\""
  }
  direct {}
}
`
	if got := CLIConfig(`/tmp/x "y"`); got != want {
		t.Errorf("CLIConfig:\n%s\nwant:\n%s", got, want)
	}
}

func TestShellExports(t *testing.T) {
	got := ShellExports(Env("http://127.0.0.1:1/v3", "p1", "it's"))
	want := "export TILEDESK_API_URL='http://127.0.0.1:1/v3'\nexport TILEDESK_PROJECT_ID='p1'\nexport TILEDESK_TOKEN='it'\\''s'\n"
	if got != want {
		t.Errorf("ShellExports:\n%s\nwant:\n%s", got, want)
	}
	if env := LocalAPIEnv("u"); !strings.HasPrefix(env[1], "TILEDESK_PROJECT_ID=6750c0ffee") {
		t.Errorf("LocalAPIEnv: %v", env)
	}
}

// scripts/dev-env.sh, the shell form, writes the same CLI configuration.
func TestCLIConfigMatchesDevEnvScript(t *testing.T) {
	out, err := exec.Command("bash", "../../scripts/dev-env.sh", "--cli-config", "/tmp/providers dir").Output()
	if err != nil {
		t.Fatalf("scripts/dev-env.sh --cli-config: %v", err)
	}
	if want := CLIConfig("/tmp/providers dir"); string(out) != want {
		t.Errorf("scripts/dev-env.sh --cli-config:\n%s\ninternal/devenv:\n%s", out, want)
	}
}
