package provider

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// Resource identity needs Terraform 1.12 or OpenTofu 1.12 or later; older
// versions run the rest of the suite, which shows them unaffected.
var identityVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// sameString checks a value against one captured by an earlier step.
func sameString(want *string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		if *want == "" {
			return fmt.Errorf("no value was captured to compare %q with", v)
		}
		if v != *want {
			return fmt.Errorf("%q, want %q", v, *want)
		}
		return nil
	})
}

// segmentIdentityIs checks a segment's identity: its project and the id
// captured when it was created.
func segmentIdentityIs(address, project string, id *string) statecheck.StateCheck {
	return statecheck.ExpectIdentity(address, map[string]knownvalue.Check{
		"project_id": knownvalue.StringExact(project),
		"id":         sameString(id),
	})
}

// The identity is set on create, kept by refresh and update, and the same
// after an import by identity (an import block with `identity`), by the
// string id and by <project>/<id>.
func TestAccSegmentIdentity_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	created := env.config(segmentConfig("Leads", "all", twoFilters))
	renamed := env.config(segmentConfig("Leads renamed", "any", twoFilters))
	var id string
	identityMatchesState := []statecheck.StateCheck{
		segmentIdentityIs(segAddr, env.project, &id),
		statecheck.ExpectIdentityValueMatchesState(segAddr, tfjsonpath.New("id")),
		statecheck.ExpectIdentityValueMatchesState(segAddr, tfjsonpath.New("project_id")),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   identityVersions,
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps: []resource.TestStep{
			{
				Config: created,
				Check:  captureID(segAddr, &id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(segAddr, map[string]knownvalue.Check{
						"project_id": knownvalue.StringExact(env.project),
						"id":         knownvalue.StringRegexp(objectIDRe),
					}),
					statecheck.ExpectIdentityValueMatchesState(segAddr, tfjsonpath.New("id")),
				},
			},
			{
				Config: renamed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: identityMatchesState,
			},
			{Config: renamed, ResourceName: segAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{Config: renamed, ResourceName: segAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			{Config: renamed, ResourceName: segAddr, ImportState: true, ImportStateVerify: true},
			{
				Config: renamed, ResourceName: segAddr, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return env.project + "/" + id, nil },
			},
			{
				// A refresh and a no-op plan keep the identity.
				Config:            renamed,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: identityMatchesState,
			},
		},
	})
}

// A segment made in the dashboard is adopted with an import block that
// names it by identity, with or without project_id (the provider's), and
// nothing is written but the DELETE of destroy.
func TestAccSegmentIdentity_importBlockAdoptsDashboardSegment(t *testing.T) {
	for _, withProject := range []bool{true, false} {
		t.Run(fmt.Sprintf("with project_id %v", withProject), func(t *testing.T) {
			env := newAccEnv(t)
			seg := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "From the dashboard", Match: "any"})
			identity := fmt.Sprintf("{ id = %q }", seg.ID)
			if withProject {
				identity = fmt.Sprintf("{\n    project_id = %q\n    id         = %q\n  }", env.project, seg.ID)
			}
			cfg := env.config(fmt.Sprintf(`
import {
  to       = tiledesk_segment.test
  identity = %s
}
`, identity) + segmentConfig("From the dashboard", "any", "[]"))
			id := seg.ID
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(),
				TerraformVersionChecks:   identityVersions,
				Steps: []resource.TestStep{{
					Config: cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionNoop)},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						segmentIdentityIs(segAddr, env.project, &id),
						statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("name"), knownvalue.StringExact("From the dashboard")),
					},
				}},
			})
			if w := env.proxy.Writes(); w != 1 { // the DELETE of destroy
				t.Errorf("adopting by identity and destroying wrote %d times, want only the DELETE: %v", w, env.proxy.Counts())
			}
		})
	}
}

// Identities that name a segment Terraform cannot adopt, or that are
// malformed, are refused with what to do next, and nothing is written.
func TestAccSegmentIdentity_importRefused(t *testing.T) {
	env := newAccEnv(t)
	foreign := env.segments.Seed(t, env.otherProject, tiledesktest.Segment{Name: "Other project's"})
	deleted := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "Deleted"})
	env.segments.SoftDelete(t, deleted.ID)
	step := func(identity, wantErr string) resource.TestStep {
		return resource.TestStep{
			Config: env.config(fmt.Sprintf(`
import {
  to       = tiledesk_segment.test
  identity = %s
}
`, identity) + segmentConfig("x", "", "")),
			ExpectError: errRe(wantErr),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   identityVersions,
		Steps: []resource.TestStep{
			step(fmt.Sprintf("{ id = %q }", foreign.ID), `belongs to project "`+env.otherProject+`", not to project `+env.project),
			step(fmt.Sprintf("{ project_id = %q, id = %q }", env.project, deleted.ID), `is deleted \(status 0\)`),
			step(`{ id = "6750c0ffee0000000000ffff" }`, `no segment has this id`),
			step(`{ id = "nope" }`, `Invalid import identity .* The id "nope" is malformed`),
			step(fmt.Sprintf("{ project_id = \"p1\", id = %q }", foreign.ID), `The project_id "p1" is malformed`),
		},
	})
	if w := env.proxy.Writes(); w != 0 {
		t.Errorf("refused imports wrote %d times: %v", w, env.proxy.Counts())
	}
}

// A state written by Terraform < 1.12 holds no identity. Terraform 1.14
// then refreshes it without error, plans nothing, and records the identity
// of every segment with the next apply.
func TestE2ESegmentIdentity_stateFromOlderTerraform(t *testing.T) {
	t.Parallel()
	const n = 3
	newer := terraform114(t)
	older, err := exec.LookPath("terraform")
	if err != nil || terraformAtLeast(t, older, 1, 12) {
		t.Skip("needs a Terraform older than 1.12 as terraform on PATH, to write a state without identities")
	}
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(n))
	d.bin = older
	d.apply()

	d.bin = newer
	api.proxy.ResetCounts()
	d.expectEmptyPlan()
	d.apply("-refresh-only")
	if w := api.proxy.Writes(); w != 0 {
		t.Errorf("refreshing under Terraform 1.14 wrote %d times: %v", w, api.proxy.Counts())
	}
	res := d.expect(0, "show", "-json")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values   map[string]any    `json:"values"`
					Identity map[string]string `json:"identity"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &state); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	if got := len(state.Values.RootModule.Resources); got != n {
		t.Fatalf("%d resources in the state, want %d", got, n)
	}
	for _, r := range state.Values.RootModule.Resources {
		want := map[string]string{"project_id": api.project, "id": fmt.Sprint(r.Values["id"])}
		if fmt.Sprint(r.Identity) != fmt.Sprint(want) {
			t.Errorf("identity %v, want %v", r.Identity, want)
		}
	}
	d.expectEmptyPlan()
}
