package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// seedSegments adds n segments named "<prefix> NNN" to project.
func seedSegments(t *testing.T, backend accBackend, project, prefix string, n int) []tiledesktest.Segment {
	out := make([]tiledesktest.Segment, n)
	for i := range out {
		out[i] = backend.Seed(t, project, tiledesktest.Segment{Name: fmt.Sprintf("%s %03d", prefix, i)})
	}
	return out
}

// More segments than one page holds (tiledesk.ListPageSize): the name
// lookup must walk every page to find the one on the last page.
func TestAccSegmentDataSource_lookups(t *testing.T) {
	env := newAccEnv(t)
	n := 2*tiledesk.ListPageSize + 45
	seedSegments(t, env.backend, env.project, "Bulk", n)
	needle := env.backend.Seed(t, env.project, tiledesktest.Segment{Name: "Needle", Match: "any", Filters: []tiledesktest.Filter{
		{Field: "attributes.orders", Operator: ">=", Value: json.RawMessage(`3`)},
		{Field: "phone", Operator: "is null", Value: json.RawMessage(`""`)},
	}})
	twin := env.backend.Seed(t, env.project, tiledesktest.Segment{Name: "Twin"})
	twin2 := env.backend.Seed(t, env.project, tiledesktest.Segment{Name: "Twin"})
	deleted := env.backend.Seed(t, env.project, tiledesktest.Segment{Name: "Deleted"})
	env.backend.SoftDelete(t, deleted.ID)
	foreignName := testName(t, "Foreign")
	foreign := env.backend.Seed(t, env.otherProject, tiledesktest.Segment{Name: foreignName})

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
	resource.Test(t, resource.TestCase{
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

func TestAccSegmentsDataSource_basic(t *testing.T) {
	env := newAccEnv(t)
	bulk := seedSegments(t, env.backend, env.project, "Bulk", tiledesk.ListPageSize+5)
	vip := seedSegments(t, env.backend, env.project, "VIP", 3)
	env.backend.SoftDelete(t, vip[1].ID)
	env.backend.Seed(t, env.otherProject, tiledesktest.Segment{Name: "VIP of another project " + testName(t, "")})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{
				Config: env.config(`data "tiledesk_segments" "all" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_segments.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(len(bulk)+2)),
					statecheck.ExpectKnownValue("data.tiledesk_segments.all", tfjsonpath.New("ids").AtSliceIndex(0), knownvalue.StringExact(bulk[0].ID)),
					statecheck.ExpectKnownValue("data.tiledesk_segments.all", tfjsonpath.New("segments").AtSliceIndex(len(bulk)+1).AtMapKey("name"), knownvalue.StringExact("VIP 002")),
				},
			},
			{
				Config: env.config(`data "tiledesk_segments" "vip" { name_prefix = "VIP" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_segments.vip", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(vip[0].ID), knownvalue.StringExact(vip[2].ID),
					})),
				},
			},
			{
				Config: env.config(`data "tiledesk_segments" "re" { name_regex = "(?i)^bulk 00[0-4]$" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_segments.re", tfjsonpath.New("ids"), knownvalue.ListSizeExact(5)),
				},
			},
			{
				Config: env.config(`data "tiledesk_segments" "both" {
  name_prefix = "Bulk"
  name_regex  = "7$"
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_segments.both", tfjsonpath.New("ids"), knownvalue.ListSizeExact(10)), // Bulk 007, 017, ..., 097
				},
			},
		},
	})
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
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps:                    []resource.TestStep{{Config: cfg, ConfigStateChecks: checks}},
	})
}

// The leads a segment reaches, for each operator, as the server matches
// them: type-strict comparisons, all filters ANDed even with match = "any".
func TestAccLeadsDataSource_operators(t *testing.T) {
	env := newAccEnv(t)
	env.backend.AddLead(t, env.project, tiledesktest.Lead{Fullname: "Ada", Email: "ada@example.it", Phone: "+39 06 000", Tags: []string{"vip"},
		Attributes: map[string]any{"orders": 5, "plan": "premium", "vip": true}})
	env.backend.AddLead(t, env.project, tiledesktest.Lead{Fullname: "Bob", Email: "bob@example.com",
		Attributes: map[string]any{"orders": "5", "plan": "free"}})
	env.backend.AddLead(t, env.project, tiledesktest.Lead{Fullname: "Cy", Email: "cy@example.it", Company: "ACME",
		Attributes: map[string]any{"orders": 2}})
	env.backend.AddLead(t, env.otherProject, tiledesktest.Lead{Fullname: "Elsewhere", Email: "e@example.it"})

	// is_null tests company, not phone: the 2.19 server stores "phone": null
	// in every lead its API creates, and "is null" is {$exists: false}.
	cases := map[string]struct {
		match, filter string
		want          int
	}{
		"eq":          {"all", `{ field = "attributes.plan", operator = "=", value = "premium" }`, 1},
		"ne":          {"all", `{ field = "attributes.plan", operator = "!=", value = "premium" }`, 2},
		"gt":          {"all", `{ field = "attributes.orders", operator = ">", value = "2", value_type = "number" }`, 1},
		"gte":         {"all", `{ field = "attributes.orders", operator = ">=", value = "2", value_type = "number" }`, 2},
		"gte_text":    {"all", `{ field = "attributes.orders", operator = ">=", value = "2" }`, 1},
		"contains":    {"all", `{ field = "email", operator = "contains", value = "example\\.it$" }`, 2},
		"is_null":     {"all", `{ field = "company", operator = "is null" }`, 2},
		"is_not_null": {"all", `{ field = "company", operator = "is not null" }`, 1},
		"tag":         {"all", `{ field = "tags", operator = "=", value = "vip" }`, 1},
		"boolean":     {"all", `{ field = "attributes.vip", operator = "=", value = "true", value_type = "boolean" }`, 1},
		"any_is_and":  {"any", `{ field = "attributes.plan", operator = "=", value = "premium" }, { field = "email", operator = "contains", value = "example\\.com" }`, 0},
	}
	var body strings.Builder
	var checks []statecheck.StateCheck
	for name, c := range cases {
		fmt.Fprintf(&body, `
resource "tiledesk_segment" %[1]q {
  name    = %[1]q
  match   = %[2]q
  filters = [%[3]s]
}

data "tiledesk_leads" %[1]q {
  segment_id = tiledesk_segment.%[1]s.id
}
`, name, c.match, c.filter)
		checks = append(checks, statecheck.ExpectKnownValue("data.tiledesk_leads."+name, tfjsonpath.New("total"), knownvalue.Int64Exact(int64(c.want))))
	}
	body.WriteString(`data "tiledesk_leads" "all" {}` + "\n")
	checks = append(checks,
		statecheck.ExpectKnownValue("data.tiledesk_leads.all", tfjsonpath.New("total"), knownvalue.Int64Exact(3)),
		statecheck.ExpectKnownValue("data.tiledesk_leads.eq", tfjsonpath.New("leads"), knownvalue.ListExact([]knownvalue.Check{
			knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"fullname": knownvalue.StringExact("Ada"), "email": knownvalue.StringExact("ada@example.it"),
				"tags": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("vip")}),
			}),
		})),
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps:                    []resource.TestStep{{Config: env.config(body.String()), ConfigStateChecks: checks}},
	})
}

func TestAccLeadsDataSource_limitAndErrors(t *testing.T) {
	env := newAccEnv(t)
	for i := 0; i < 150; i++ {
		env.backend.AddLead(t, env.project, tiledesktest.Lead{Fullname: fmt.Sprintf("Lead %03d", i)})
	}
	startsWith := env.backend.Seed(t, env.project, tiledesktest.Segment{Name: "Hangs", Filters: []tiledesktest.Filter{
		{Field: "fullname", Operator: "starts with", Value: json.RawMessage(`"Lead"`)},
	}})
	foreign := env.backend.Seed(t, env.otherProject, tiledesktest.Segment{Name: testName(t, "Foreign")})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{
				Config: env.config(`data "tiledesk_leads" "some" { limit = 120 }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_leads.some", tfjsonpath.New("total"), knownvalue.Int64Exact(150)),
					statecheck.ExpectKnownValue("data.tiledesk_leads.some", tfjsonpath.New("leads"), knownvalue.ListSizeExact(120)),
					statecheck.ExpectKnownValue("data.tiledesk_leads.some", tfjsonpath.New("leads").AtSliceIndex(0).AtMapKey("fullname"), knownvalue.StringExact("Lead 149")),
				},
			},
			{
				Config: env.config(`data "tiledesk_leads" "default" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tiledesk_leads.default", tfjsonpath.New("leads"), knownvalue.ListSizeExact(defaultLeadsLimit)),
					statecheck.ExpectKnownValue("data.tiledesk_leads.default", tfjsonpath.New("limit"), knownvalue.Int64Exact(defaultLeadsLimit)),
				},
			},
			{
				Config:      env.config(fmt.Sprintf(`data "tiledesk_leads" "x" { segment_id = %q }`, foreign.ID)),
				ExpectError: errRe(fmt.Sprintf(`Project %s has no segment %s`, env.project, foreign.ID)),
			},
			{
				// The 2.19 server never answers for a "starts with" segment.
				Config: strings.Replace(env.config(fmt.Sprintf(`data "tiledesk_leads" "x" { segment_id = %q }`, startsWith.ID)),
					"provider \"tiledesk\" {", "provider \"tiledesk\" {\n  request_timeout = \"300ms\"", 1),
				ExpectError: errRe(`no answer within the request timeout of 300ms.*raise request_timeout`),
			},
			{Config: env.config(`data "tiledesk_leads" "default" {}`)},
		},
	})
}
