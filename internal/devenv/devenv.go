// Package devenv is the glue between a build of this provider, the terraform
// (or tofu) binary and the local Tiledesk API, written once: the e2e tests
// and tiledesk-bench use it, tiledesk-local-api prints its settings with it,
// and scripts/dev-env.sh is its shell form (demo, examples check).
package devenv

import (
	"fmt"
	"os"
	"strings"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// ProviderSources are the provider's addresses under Terraform's registry
// and OpenTofu's: a CLI configuration overrides both, so that terraform and
// tofu both find the build.
var ProviderSources = []string{
	"registry.terraform.io/tiledesk/tiledesk",
	"registry.opentofu.org/tiledesk/tiledesk",
}

// CLIConfig is a terraform (or tofu) CLI configuration whose dev_overrides
// point the provider at the folder dir that holds terraform-provider-tiledesk:
// no registry, no init.
func CLIConfig(dir string) string {
	var b strings.Builder
	b.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, src := range ProviderSources {
		fmt.Fprintf(&b, "    %q = %q\n", src, dir)
	}
	b.WriteString("  }\n  direct {}\n}\n")
	return b.String()
}

// WriteCLIConfig writes CLIConfig(dir) to the file path.
func WriteCLIConfig(path, dir string) error {
	return os.WriteFile(path, []byte(CLIConfig(dir)), 0o600)
}

// The provider's environment variables (provider.EnvAPIURL and the others:
// this package cannot import the provider, whose tests import it).
const (
	envAPIURL    = "TILEDESK_API_URL"
	envProjectID = "TILEDESK_PROJECT_ID"
	envToken     = "TILEDESK_TOKEN"
)

// Env is the environment that points the provider at the API at url, in
// project, with token: "NAME=value" entries, in a fixed order.
func Env(url, project, token string) []string {
	return []string{envAPIURL + "=" + url, envProjectID + "=" + project, envToken + "=" + token}
}

// LocalAPIEnv is Env for a local API started with its defaults
// (tiledesk-local-api without -token nor -projects): its default user in its
// default project.
func LocalAPIEnv(url string) []string {
	return Env(url, tiledesktest.ProjectID, tiledesktest.Token)
}

// ShellExports writes env ("NAME=value" entries) as shell export lines, each
// value single-quoted.
func ShellExports(env []string) string {
	var b strings.Builder
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "export %s='%s'\n", name, strings.ReplaceAll(value, "'", `'\''`))
	}
	return b.String()
}
