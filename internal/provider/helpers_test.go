package provider

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// Helpers shared by the tests of several files. The two harnesses have files
// of their own: acc_test.go (terraform-plugin-testing: newAccEnv) and
// e2e_test.go (the terraform binary: newTFDir, startTestAPI), both on the
// backends of backend_test.go (the local API or a real server).

// seedSegments adds n segments named "<prefix> NNN" to project.
func seedSegments(t *testing.T, backend segmentBackend, project, prefix string, n int) []tiledesktest.Segment {
	out := make([]tiledesktest.Segment, n)
	for i := range out {
		out[i] = backend.Seed(t, project, tiledesktest.Segment{Name: fmt.Sprintf("%s %03d", prefix, i)})
	}
	return out
}

// expectOutput fails the test unless terraform's output matches every
// pattern (errRe syntax).
func expectOutput(t *testing.T, res tfResult, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		if !errRe(p).MatchString(res.output()) {
			t.Errorf("output does not match %q:\n%s", p, res)
		}
	}
}

func filterCheck(field, op string, value knownvalue.Check, valueType string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"field": knownvalue.StringExact(field), "operator": knownvalue.StringExact(op),
		"value": value, "value_type": knownvalue.StringExact(valueType),
	})
}

func segmentConfig(name, match, filters string) string {
	body := fmt.Sprintf("resource \"tiledesk_segment\" \"test\" {\n  name = %q\n", name)
	if match != "" {
		body += fmt.Sprintf("  match = %q\n", match)
	}
	if filters != "" {
		body += "  filters = " + filters + "\n"
	}
	return body + "}\n"
}

// clearTiledeskEnv keeps the developer's TILEDESK_* variables out of a test.
func clearTiledeskEnv(t *testing.T) {
	for _, k := range []string{EnvAPIURL, EnvProjectID, EnvToken, EnvEmail, EnvPassword, EnvRequestTimeout, EnvMaxRetries} {
		t.Setenv(k, "")
	}
}

// envTerraform114 names a Terraform 1.14 (or later) binary for the tests of
// `terraform query`; make testacc-tf114 sets it.
const envTerraform114 = "TILEDESK_TEST_TERRAFORM_114"

// terraform114 is the binary for `terraform query`: $TILEDESK_TEST_TERRAFORM_114,
// else the acceptance tests' binary when it is Terraform 1.14 or later.
func terraform114(t *testing.T) string {
	t.Helper()
	bin := terraformBinary(t) // skips without TF_ACC and against a live server
	if p := os.Getenv(envTerraform114); p != "" {
		bin = p
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	version, _, _ := strings.Cut(string(out), "\n")
	// OpenTofu has no list resources nor `query` (none up to 1.12).
	if strings.Contains(version, "OpenTofu") || !terraformAtLeast(t, bin, 1, 14) {
		t.Skipf("needs Terraform 1.14 or later for `terraform query`, and %s is %s: run make testacc-tf114, or set %s",
			bin, version, envTerraform114)
	}
	return bin
}

// serverObject checks what the server holds for object *id, an object of
// the test's project (captured from address first): want maps a key of the
// server's document to its value as fmt prints it (nil: null or absent).
func serverObject(t *testing.T, env *accEnv, e testEntity, address string, id *string, want map[string]any) func(*terraform.State) error {
	want = maps.Clone(want)
	want["id_project"] = env.project
	return serverDoc(t, env.backend, e, address, id, want)
}

// More steps every object resource's own tests take (department, group,
// tag, ...), on a resource "test" of its type, beside acc_test.go's.

// resourceBlock is a resource "test" of type typ with attrs (HCL lines).
func resourceBlock(typ, attrs string) string {
	return fmt.Sprintf("resource %q \"test\" {\n%s\n}\n", typ, attrs)
}

// updateStep applies config as an in-place update of addr, after which a
// refresh finds nothing to change.
func updateStep(addr, config string, stateChecks []statecheck.StateCheck, check resource.TestCheckFunc) resource.TestStep {
	return resource.TestStep{Config: config, ConfigPlanChecks: updatesInPlace(addr), ConfigStateChecks: stateChecks, Check: check}
}

// invalidAttrs checks that resource typ with each case's attrs fails at plan
// time with the case's error, and that no request is sent.
func invalidAttrs(t *testing.T, typ string, cases []struct{ attrs, want string }) {
	env := newAccEnv(t)
	for _, tc := range cases {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(),
			Steps:                    []resource.TestStep{{Config: env.config(resourceBlock(typ, tc.attrs)), ExpectError: errRe(tc.want), PlanOnly: true}},
		})
	}
	if n := env.proxy.Count("", ""); n != 0 {
		t.Errorf("invalid configurations sent %d requests: %v", n, env.proxy.Counts())
	}
}
