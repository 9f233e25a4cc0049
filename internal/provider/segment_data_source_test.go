package provider

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// More segments than one page holds (tiledesk.ListPageSize): the name
// lookup must walk every page to find the one on the last page.
func TestAccSegmentDataSource_lookups(t *testing.T) {
	env := newAccEnv(t)
	n := 2*tiledesk.ListPageSize + 45
	seedSegments(t, env.segments, env.project, "Bulk", n)
	needle := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "Needle", Match: "any", Filters: []tiledesktest.Filter{
		{Field: "attributes.orders", Operator: ">=", Value: json.RawMessage(`3`)},
		{Field: "phone", Operator: "is null", Value: json.RawMessage(`""`)},
	}})
	twin := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "Twin"})
	twin2 := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "Twin"})
	deleted := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "Deleted"})
	env.segments.SoftDelete(t, deleted.ID)
	foreignName := testName(t, "Foreign")
	foreign := env.segments.Seed(t, env.otherProject, tiledesktest.Segment{Name: foreignName})

	needleChecks := func(addr string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(needle.ID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Needle")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("match"), knownvalue.StringExact("any")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.StringExact(env.project)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("filters"), knownvalue.ListExact([]knownvalue.Check{
				filterCheck("attributes.orders", ">=", knownvalue.StringExact("3"), "number"),
				filterCheck("phone", "is null", knownvalue.Null(), "string"),
			})),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{
				Config:      env.config(`data "tiledesk_segment" "test" { name = "Twin" }`),
				ExpectError: errRe(fmt.Sprintf(`2 live segments of project %s are named "Twin": %s, %s`, env.project, twin.ID, twin2.ID)),
			},
			{
				Config:      env.config(`data "tiledesk_segment" "test" { name = "needle" }`),
				ExpectError: errRe(fmt.Sprintf(`No live segment named "needle" in project %s \(%d segments looked at\)`, env.project, n+3)),
			},
			{
				Config:      env.config(`data "tiledesk_segment" "test" { name = "Deleted" }`),
				ExpectError: errRe(`No live segment named "Deleted"`),
			},
			{
				Config:      env.config(fmt.Sprintf(`data "tiledesk_segment" "test" { id = %q }`, deleted.ID)),
				ExpectError: errRe(`the segment is deleted`),
			},
			{
				Config:      env.config(fmt.Sprintf(`data "tiledesk_segment" "test" { id = %q }`, foreign.ID)),
				ExpectError: errRe(fmt.Sprintf(`the segment belongs to project "%s"`, env.otherProject)),
			},
			{
				Config:            env.config(fmt.Sprintf("data \"tiledesk_segment\" \"test\" {\n  id         = %q\n  project_id = %q\n}\n", foreign.ID, env.otherProject)),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.tiledesk_segment.test", tfjsonpath.New("name"), knownvalue.StringExact(foreignName))},
			},
			{
				Config:      env.config(`data "tiledesk_segment" "test" { id = "6750c0ffee0000000000ffff" }`),
				ExpectError: errRe(`no segment has this id`),
			},
			{
				Config:            env.config(`data "tiledesk_segment" "test" { name = "Needle" }`),
				ConfigStateChecks: needleChecks("data.tiledesk_segment.test"),
			},
			{
				Config:            env.config(fmt.Sprintf(`data "tiledesk_segment" "test" { id = %q }`, needle.ID)),
				ConfigStateChecks: needleChecks("data.tiledesk_segment.test"),
			},
		},
	})
	if w := env.proxy.Writes(); w != 0 {
		t.Errorf("data sources wrote %d times", w)
	}
}

// The resource and the data source read the same segment the same way.
func TestAccSegmentDataSource_matchesResource(t *testing.T) {
	env := newAccEnv(t)
	cfg := env.config(everyOperator + `
data "tiledesk_segment" "by_id" {
  id = tiledesk_segment.test.id
}
`)
	var checks []statecheck.StateCheck
	for _, attr := range []string{"id", "project_id", "name", "match", "filters", "created_at", "updated_at", "created_by"} {
		checks = append(checks, statecheck.CompareValuePairs(segAddr, tfjsonpath.New(attr), "data.tiledesk_segment.by_id", tfjsonpath.New(attr), compare.ValuesSame()))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps:                    []resource.TestStep{{Config: cfg, ConfigStateChecks: checks}},
	})
}
