package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

const segAddr = "tiledesk_segment.test"

// everyOperator uses each operator and each value_type once.
const everyOperator = `
resource "tiledesk_segment" "test" {
  name = "Italian premium leads"
  filters = [
    { field = "email", operator = "contains", value = "@example.it" },
    { field = "fullname", operator = "starts with", value = "Mar" },
    { field = "attributes.plan", operator = "=", value = "premium" },
    { field = "attributes.orders", operator = ">=", value = "3", value_type = "number" },
    { field = "attributes.score", operator = ">", value = "2.5", value_type = "number" },
    { field = "attributes.vip", operator = "!=", value = "false", value_type = "boolean" },
    { field = "attributes.meta", operator = "=", value = jsonencode({ tier = "gold", n = [1, 2] }), value_type = "json" },
    { field = "phone", operator = "is not null" },
    { field = "company", operator = "is null" },
  ]
}
`

func TestAccSegment_everyOperator(t *testing.T) {
	env := newAccEnv(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps: []resource.TestStep{
			{
				Config: env.config(everyOperator),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))),
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("project_id"), knownvalue.StringExact(env.project)),
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("name"), knownvalue.StringExact("Italian premium leads")),
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("match"), knownvalue.StringExact("all")),
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`))),
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("created_by"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("filters"), knownvalue.ListExact([]knownvalue.Check{
						filterCheck("email", "contains", knownvalue.StringExact("@example.it"), "string"),
						filterCheck("fullname", "starts with", knownvalue.StringExact("Mar"), "string"),
						filterCheck("attributes.plan", "=", knownvalue.StringExact("premium"), "string"),
						filterCheck("attributes.orders", ">=", knownvalue.StringExact("3"), "number"),
						filterCheck("attributes.score", ">", knownvalue.StringExact("2.5"), "number"),
						filterCheck("attributes.vip", "!=", knownvalue.StringExact("false"), "boolean"),
						filterCheck("attributes.meta", "=", knownvalue.StringExact(`{"n":[1,2],"tier":"gold"}`), "json"),
						filterCheck("phone", "is not null", knownvalue.Null(), "string"),
						filterCheck("company", "is null", knownvalue.Null(), "string"),
					})),
				},
				Check: func(s *terraform.State) error {
					if err := captureID(segAddr, &id)(s); err != nil {
						return err
					}
					return checkStoredValues(t, env.segments, id, map[string]any{
						"email": "@example.it", "attributes.orders": 3.0, "attributes.score": 2.5, "attributes.vip": false,
						"attributes.meta": map[string]any{"tier": "gold", "n": []any{1.0, 2.0}}, "phone": "", "company": "",
					})
				},
			},
			{
				// The same configuration again: nothing to do, nothing written.
				PreConfig: func() { env.proxy.ResetCounts() },
				Config:    env.config(everyOperator),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if w := env.proxy.Writes(); w != 0 {
						return fmt.Errorf("a no-op plan and apply wrote %d times: %v", w, env.proxy.Counts())
					}
					if n := env.proxy.Count("GET", "segments"); n != 0 {
						return fmt.Errorf("a refresh listed segments %d times; it must GET each segment only", n)
					}
					return nil
				},
			},
		},
	})
	if n := env.proxy.Count("PUT", ""); n != 0 {
		t.Errorf("create, refresh and destroy sent %d PUTs; none is needed", n)
	}
}

// checkStoredValues compares the JSON values the server stored, filter by
// field, with want (numbers as float64).
func checkStoredValues(t *testing.T, backend segmentBackend, id string, want map[string]any) error {
	seg, ok := backend.Get(t, id)
	if !ok {
		return fmt.Errorf("segment %s is not on the server", id)
	}
	got := map[string]any{}
	for _, f := range seg.Filters {
		var v any
		if err := json.Unmarshal(f.Value, &v); err != nil {
			return fmt.Errorf("filter %s: stored value %s: %w", f.Field, f.Value, err)
		}
		got[f.Field] = v
	}
	for field, w := range want {
		if g, ok := got[field]; !ok || fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", w) {
			return fmt.Errorf("filter %s: server stored %#v, want %#v", field, g, w)
		}
	}
	return nil
}

const (
	twoFilters      = `[{ field = "email", operator = "contains", value = "@example.it" }, { field = "attributes.orders", operator = ">=", value = "3", value_type = "number" }]`
	twoReordered    = `[{ field = "attributes.orders", operator = ">=", value = "3", value_type = "number" }, { field = "email", operator = "contains", value = "@example.it" }]`
	threeFilters    = `[{ field = "attributes.orders", operator = ">=", value = "5", value_type = "number" }, { field = "email", operator = "contains", value = "@example.it" }, { field = "tags", operator = "=", value = "vip" }]`
	noFilters       = `[]`
	numberSpelling  = `[{ field = "attributes.orders", operator = ">=", value = "3.0", value_type = "number" }]`
	jsonWithSpacing = `[{ field = "attributes.meta", operator = "=", value = "{ \"a\" : 1 }", value_type = "json" }]`
)

// Every change of name, match and filters is an in-place update of the same
// segment, and each result is stable.
func TestAccSegment_updateInPlace(t *testing.T) {
	env := newAccEnv(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	step := func(name, match, filters string, wantFilters int) resource.TestStep {
		return resource.TestStep{
			Config: env.config(segmentConfig(name, match, filters)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(segAddr, tfjsonpath.New("id")),
				statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
				statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("filters"), knownvalue.ListSizeExact(wantFilters)),
			},
		}
	}
	first := step("Leads", "", twoFilters, 2)
	first.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionCreate)}
	var id string
	cleared := step("Leads renamed", "any", noFilters, 0)
	cleared.Check = func(s *terraform.State) error {
		if err := captureID(segAddr, &id)(s); err != nil {
			return err
		}
		if seg, _ := env.segments.Get(t, id); len(seg.Filters) != 0 || seg.Match != "any" || seg.Name != "Leads renamed" {
			return fmt.Errorf("server holds %+v after clearing the filters", seg)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps: []resource.TestStep{
			first,
			step("Leads renamed", "", twoFilters, 2),
			step("Leads renamed", "any", twoFilters, 2),
			step("Leads renamed", "any", twoReordered, 2),
			step("Leads renamed", "any", threeFilters, 3),
			cleared,
			// Omitting filters is the same as [] : no change at all.
			{
				Config:           env.config(segmentConfig("Leads renamed", "any", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			step("Leads renamed", "all", numberSpelling, 1),
			step("Leads renamed", "all", jsonWithSpacing, 1),
		},
	})
}

func TestAccSegment_import(t *testing.T) {
	env := newAccEnv(t)
	cfg := env.config(everyOperator)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(segAddr, &id)},
			{Config: cfg, ResourceName: segAddr, ImportState: true, ImportStateVerify: true},
			{
				Config: cfg, ResourceName: segAddr, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return env.project + "/" + id, nil },
			},
		},
	})
}

// Import blocks need Terraform 1.5 or later.
var importBlocks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)}

func TestAccSegment_importBlock(t *testing.T) {
	env := newAccEnv(t)
	cfg := env.config(everyOperator)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   importBlocks,
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps: []resource.TestStep{
			{Config: cfg},
			{Config: cfg, ResourceName: segAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}

// A segment created in the dashboard is adopted with an import block and
// the plan that follows is empty.
func TestAccSegment_importBlockAdoptsDashboardSegment(t *testing.T) {
	env := newAccEnv(t)
	seg := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "From the dashboard", Match: "any", Filters: []tiledesktest.Filter{
		{Field: "attributes.orders", Operator: ">=", Value: json.RawMessage(`3`)},
		{Field: "phone", Operator: "is null", Value: json.RawMessage(`""`)},
	}})
	cfg := env.config(fmt.Sprintf(`
import {
  to = tiledesk_segment.test
  id = %q
}
`, seg.ID) + segmentConfig("From the dashboard", "any",
		`[{ field = "attributes.orders", operator = ">=", value = "3", value_type = "number" }, { field = "phone", operator = "is null" }]`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   importBlocks,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionNoop)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("id"), knownvalue.StringExact(seg.ID)),
			},
		}},
	})
	if w := env.proxy.Writes(); w != 1 { // the DELETE of destroy
		t.Errorf("adopting and destroying wrote %d times, want only the DELETE: %v", w, env.proxy.Counts())
	}
}

func TestAccSegment_importRefused(t *testing.T) {
	env := newAccEnv(t)
	foreignName := testName(t, "Other project's")
	foreign := env.segments.Seed(t, env.otherProject, tiledesktest.Segment{Name: foreignName})
	deleted := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "Deleted"})
	env.segments.SoftDelete(t, deleted.ID)
	cfg := env.config(segmentConfig("x", "", ""))
	importStep := func(id, wantErr string) resource.TestStep {
		return resource.TestStep{
			Config: cfg, ResourceName: segAddr, ImportState: true, ImportStateId: id,
			ExpectError: errRe(wantErr),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			importStep(foreign.ID, `belongs to project "`+env.otherProject+`", not to project `+env.project),
			importStep(env.project+"/"+foreign.ID, `belongs to project`),
			importStep(deleted.ID, `is deleted \(status 0\)`),
			importStep("6750c0ffee0000000000ffff", `no segment has this id`),
			// Malformed ids: TestE2EInvalidInput_rejectedBeforeAnyRequest.
		},
	})
	if w := env.proxy.Writes(); w != 0 {
		t.Errorf("refused imports wrote %d times", w)
	}
	if got, _ := env.segments.Get(t, foreign.ID); got.Name != foreignName || !isLive(got) {
		t.Errorf("the foreign segment changed: %+v", got)
	}
}

func isLive(s tiledesktest.Segment) bool { return s.Status == 100 }

// Drift: edits made in the dashboard show as exactly that update, and apply
// converges back to the configuration.
func TestAccSegment_driftEdited(t *testing.T) {
	env := newAccEnv(t)
	cfg := env.config(segmentConfig("Leads", "all", twoFilters))
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(segAddr, &id)},
			{
				PreConfig: func() {
					env.segments.Edit(t, id, func(s *tiledesktest.Segment) {
						s.Name = "Renamed in the dashboard"
						s.Filters[1].Value = json.RawMessage(`10`)
					})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(segAddr, tfjsonpath.New("name"), knownvalue.StringExact("Leads")),
						plancheck.ExpectKnownValue(segAddr, tfjsonpath.New("filters").AtSliceIndex(1).AtMapKey("value"), knownvalue.StringExact("3")),
					},
				},
				Check: func(*terraform.State) error {
					seg, _ := env.segments.Get(t, id)
					if seg.Name != "Leads" || string(seg.Filters[1].Value) != "3" {
						return fmt.Errorf("apply did not converge: server holds %q, %s", seg.Name, seg.Filters[1].Value)
					}
					return nil
				},
			},
		},
	})
}

// Drift: a segment deleted in the dashboard, softly or for good, is planned
// for creation, and apply creates a new one.
func TestAccSegment_driftDeleted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		delete func(segmentBackend, *testing.T, string)
	}{
		{"soft", segmentBackend.SoftDelete},
		{"hard", segmentBackend.HardDelete},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnv(t)
			cfg := env.config(segmentConfig("Leads", "", twoFilters))
			var first, second string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(),
				Steps: []resource.TestStep{
					{Config: cfg, Check: captureID(segAddr, &first)},
					{
						PreConfig: func() {
							tc.delete(env.segments, t, first)
							env.proxy.ResetCounts()
						},
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionCreate)},
						},
						Check: func(s *terraform.State) error {
							if err := captureID(segAddr, &second)(s); err != nil {
								return err
							}
							if second == first {
								return fmt.Errorf("the deleted segment %s was reused", first)
							}
							if n := env.proxy.Count("PUT", ""); n != 0 {
								return fmt.Errorf("%d PUTs were sent to a deleted segment: a PUT would resurrect it as a ghost", n)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// A segment deleted outside Terraform between apply and destroy, softly or
// for good: destroy exits cleanly, sends no DELETE (on the real server a
// DELETE to a missing id would upsert a ghost document), leaves the state
// empty and the server as the outside delete left it. With the refresh that
// destroy runs first, and with -refresh=false, where the provider's Delete
// meets the deleted segment itself.
func TestAccSegment_destroyAfterOutsideDelete(t *testing.T) {
	for _, tc := range []struct {
		name      string
		hard      bool
		noRefresh bool
	}{
		{"soft", false, false},
		{"hard", true, false},
		{"soft, no refresh", false, true},
		{"hard, no refresh", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnv(t)
			cfg := env.config(segmentConfig(testName(t, "segment"), "", twoFilters))
			var id string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(),
				AdditionalCLIOptions:     &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: tc.noRefresh}},
				Steps: []resource.TestStep{
					{Config: cfg, Check: captureID(segAddr, &id)},
					{
						PreConfig: func() {
							if tc.hard {
								env.segments.HardDelete(t, id)
							} else {
								env.segments.SoftDelete(t, id)
							}
							env.proxy.ResetCounts()
						},
						Config:  cfg,
						Destroy: true,
					},
					// Nothing left in the state: with the provider alone, nothing to plan.
					{Config: env.provider, PlanOnly: true},
				},
			})
			if n := env.proxy.Writes(); n != 0 {
				t.Errorf("destroy of a segment deleted outside Terraform sent %d writes: %v", n, env.proxy.Counts())
			}
			seg, found := env.segments.Get(t, id)
			switch {
			case tc.hard && found:
				t.Errorf("the server holds %+v: a write brought the removed segment back as a ghost", seg)
			case !tc.hard && (!found || seg.Status != tiledesktest.StatusDeleted || seg.ProjectID != env.project):
				t.Errorf("the server holds %+v (found %v), want the segment soft-deleted in its project", seg, found)
			}
		})
	}
}

// Destroy soft-deletes each segment with one DELETE and never a PUT.
func TestAccSegment_destroy(t *testing.T) {
	env := newAccEnv(t)
	cfg := env.config(segmentConfig("Leads", "", twoFilters) + `
resource "tiledesk_segment" "other" {
  name = "Other"
}
`)
	var id, other string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: resource.ComposeTestCheckFunc(captureID(segAddr, &id), captureID("tiledesk_segment.other", &other))},
			{
				PreConfig: func() { env.proxy.ResetCounts() },
				Config:    cfg,
				Destroy:   true,
			},
			{Config: env.provider, PlanOnly: true},
		},
	})
	// (A TestCase's CheckDestroy runs only when the state is not empty after
	// the last step: the checks of a destroy step come after the case.)
	for _, sid := range []string{id, other} {
		if seg, ok := env.segments.Get(t, sid); !ok || seg.Status != tiledesktest.StatusDeleted || seg.ProjectID != env.project {
			t.Errorf("after destroy the server holds %+v (found %v), want it soft-deleted in its project", seg, ok)
		}
	}
	if n := env.proxy.Count("PUT", ""); n != 0 {
		t.Errorf("destroy sent %d PUTs", n)
	}
	if n := env.proxy.Count("DELETE", "segment"); n != 2 {
		t.Errorf("destroy sent %d DELETEs, want 2", n)
	}
}

// A segment whose project is not the provider's default, and a change of
// project, which replaces the segment.
func TestAccSegment_projectChangeReplaces(t *testing.T) {
	env := newAccEnv(t)
	withProject := func(p string) string {
		return env.config(fmt.Sprintf(`resource "tiledesk_segment" "test" {
  name       = "Leads"
  project_id = %q
}
`, p))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps: []resource.TestStep{
			{Config: env.config(segmentConfig("Leads", "", ""))},
			{
				Config: withProject(env.project),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: withProject(env.otherProject),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("project_id"), knownvalue.StringExact(env.otherProject)),
				},
			},
		},
	})
	if live := env.segments.Live(t, env.project); len(live) != 0 {
		t.Errorf("the segment of the old project is still live: %+v", live)
	}
}

// A create whose answer is lost after the server saved the segment: the
// provider finds and adopts it instead of failing or duplicating it. When
// the server did not save it, the error says so and the next apply creates
// exactly one.
func TestAccSegment_lostCreateAnswer(t *testing.T) {
	env := newAccEnv(t)
	cfg := env.config(segmentConfig("Leads", "any", twoFilters))
	liveCount := func(want int) func(*terraform.State) error {
		return func(*terraform.State) error {
			if live := env.segments.Live(t, env.project); len(live) != want {
				return fmt.Errorf("%d live segments, want %d: %+v", len(live), want, live)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{
				// A proxy answers 502 without the server saving anything, to
				// every create: after each, the lookup proves nothing was saved
				// and the create is sent again, up to max_retries times.
				PreConfig: func() {
					env.proxy.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", Status: 502, Times: 100})
				},
				Config:      cfg,
				ExpectError: errRe(`HTTP 502 Bad Gateway.*No segment with this definition exists in the project: nothing was created.*the create was sent 5 times.*Apply again.`),
				Check:       liveCount(0),
			},
			{
				// The server saves the segment, then the connection drops.
				PreConfig: func() {
					env.proxy.ClearFaults()
					env.proxy.ResetCounts()
					env.proxy.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", DropAfterWrite: true, Times: 1})
				},
				Config: cfg,
				Check:  liveCount(1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
	if n := env.proxy.Count("POST", "segments"); n != 1 {
		t.Errorf("%d POSTs in the second apply, want 1 (adopted after the lookup, never sent again)", n)
	}
}

// The answer is lost and looking for the segment fails too: the error says
// the segment may exist and how to adopt it.
func TestAccSegment_lostCreateAnswerLookupFails(t *testing.T) {
	env := newAccEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.proxy.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", DropAfterWrite: true, Times: 1})
				// The first list is the check for unrecorded creates; the
				// second, the lookup after the lost answer, fails.
				env.proxy.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segments", Status: 400, Times: 1, After: 1})
			},
			Config:      env.config(segmentConfig("Leads", "", "")),
			ExpectError: errRe(`may have been created, and looking for it failed too.*terraform import <address> ` + env.project + `/<segment id>`),
		}},
	})
}

// A segment deleted in the dashboard after the last refresh is never
// resurrected by an update: the provider reads it before the PUT, finds it
// gone and sends nothing (a PUT would upsert a ghost without a project after
// a hard delete); the error says so, and the next plan proposes to create it
// again.
func TestE2ESegment_updateOfDeletedSegment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		delete func(segmentBackend, *testing.T, string)
	}{
		{"soft", segmentBackend.SoftDelete},
		{"hard", segmentBackend.HardDelete},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := startTestAPI(t)
			d := newTFDir(t, apiEnv(api))
			d.write("main.tf", segmentsConfig(1))
			d.apply()
			ids := api.liveIDs()
			if len(ids) != 1 {
				t.Fatalf("want one live segment: %v", ids)
			}
			tc.delete(api.segments, t, ids[0])

			// A change applied without a refresh reaches Update with the old state.
			d.write("main.tf", strings.Replace(segmentsConfig(1), `name  = "Segment`, `name  = "Renamed`, 1))
			api.proxy.ResetCounts()
			res := d.expect(1, "apply", "-auto-approve", "-refresh=false")
			expectOutput(t, res, `Segment `+ids[0]+` is gone`, `Nothing was sent`, `Run terraform plan again`)
			if n := api.proxy.Writes(); n != 0 {
				t.Errorf("the update of a deleted segment sent %d writes: %v", n, api.proxy.Counts())
			}
			if _, ok := api.segments.Get(t, ids[0]); ok != (tc.name == "soft") {
				t.Errorf("after the update the server holds the segment: %v (a ghost?)", ok)
			}
			if live := api.liveIDs(); len(live) != 0 {
				t.Errorf("the update made %d live segments of the project: %v", len(live), live)
			}
			if seg, ok := api.segments.Get(t, ids[0]); ok && seg.Status == tiledesktest.StatusLive && seg.ProjectID == api.project {
				t.Errorf("the deleted segment was resurrected: %+v", seg)
			}

			// The next apply refreshes, drops it from the state and creates it again.
			d.apply()
			if live := api.liveIDs(); len(live) != 1 || live[0] == ids[0] {
				t.Errorf("after the next apply the live segments are %v, want one new one", live)
			}
			d.expectEmptyPlan()
		})
	}
}
