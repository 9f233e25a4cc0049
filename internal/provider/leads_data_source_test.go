package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

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
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps:                    []resource.TestStep{{Config: env.config(body.String()), ConfigStateChecks: checks}},
	})
}

func TestAccLeadsDataSource_limitAndErrors(t *testing.T) {
	env := newAccEnv(t)
	for i := 0; i < 150; i++ {
		env.backend.AddLead(t, env.project, tiledesktest.Lead{Fullname: fmt.Sprintf("Lead %03d", i)})
	}
	startsWith := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "Hangs", Filters: []tiledesktest.Filter{
		{Field: "fullname", Operator: "starts with", Value: json.RawMessage(`"Lead"`)},
	}})
	foreign := env.segments.Seed(t, env.otherProject, tiledesktest.Segment{Name: testName(t, "Foreign")})
	resource.ParallelTest(t, resource.TestCase{
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
