package provider

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
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

// serverObject checks what the server holds for object *id of the test's
// project (captured from address first): want maps a key of the server's
// document to its value as fmt prints it (nil: null or absent).
func serverObject(t *testing.T, env *accEnv, e testEntity, address string, id *string, want map[string]any) func(*terraform.State) error {
	return func(s *terraform.State) error {
		if err := captureID(address, id)(s); err != nil {
			return err
		}
		d, ok := env.backend.Get(t, e, *id)
		if !ok || d["id_project"] != env.project {
			return fmt.Errorf("%s %s: the server holds %v (found %v), want one of project %s", e.name, *id, d, ok, env.project)
		}
		for k, v := range want {
			if got := d[k]; fmt.Sprint(got) != fmt.Sprint(v) && (v != nil || got != nil) {
				return fmt.Errorf("%s %s: the server holds %s = %v, want %v (all: %v)", e.name, *id, k, got, v, d)
			}
		}
		return nil
	}
}

// The steps every object resource's own tests take (department, group,
// tag, ...), on a resource "test" of its type.

// resourceBlock is a resource "test" of type typ with attrs (HCL lines).
func resourceBlock(typ, attrs string) string {
	return fmt.Sprintf("resource %q \"test\" {\n%s\n}\n", typ, attrs)
}

// noOpStep applies config again: an empty plan, and nothing written.
func noOpStep(env *accEnv, config string) resource.TestStep {
	return resource.TestStep{
		PreConfig:        func() { env.proxy.ResetCounts() },
		Config:           config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		Check: func(*terraform.State) error {
			if w := env.proxy.Writes(); w != 0 {
				return fmt.Errorf("a no-op plan and apply wrote %d times: %v", w, env.proxy.Counts())
			}
			return nil
		},
	}
}

// updateStep applies config as an in-place update of addr, after which a
// refresh finds nothing to change.
func updateStep(addr, config string, stateChecks []statecheck.StateCheck, check resource.TestCheckFunc) resource.TestStep {
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: stateChecks,
		Check:             check,
	}
}

// recreatedStep deletes object *first as the dashboard does, then applies
// config: the plan creates the object again, as *second, and the deleted one
// stays deleted (not live, and not made a ghost by a write).
func recreatedStep(t *testing.T, env *accEnv, e testEntity, addr, config string, first, second *string) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() { env.backend.Delete(t, e, *first) },
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
		},
		Check: func(s *terraform.State) error {
			if err := captureID(addr, second)(s); err != nil {
				return err
			}
			if *second == *first {
				return fmt.Errorf("%s %s, deleted in the dashboard, is in the state again", e.name, *first)
			}
			for _, d := range env.backend.Live(t, e, env.project) {
				if d["_id"] == *first {
					return fmt.Errorf("%s %s, deleted in the dashboard, is live again: %v", e.name, *first, d)
				}
			}
			if d, ok := env.backend.Get(t, e, *first); ok && d["id_project"] != env.project {
				return fmt.Errorf("%s %s, deleted in the dashboard, is on the server again as a ghost (a PUT upserted it): %v", e.name, *first, d)
			}
			return nil
		},
	}
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
