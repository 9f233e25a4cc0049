package provider

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// List resources and `terraform query` need Terraform 1.14 or later
// (OpenTofu has neither up to 1.12).
var queryVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// queryEnv points the in-process provider at the test's API through the
// environment: a query step's .tfquery.hcl and the step's .tf are one module,
// so only one of them may hold the provider block, and the .tfquery.hcl then
// gets an empty one.
func queryEnv(t *testing.T, env *accEnv) {
	t.Helper()
	t.Setenv(EnvAPIURL, env.url)
	t.Setenv(EnvProjectID, env.project)
	t.Setenv(EnvToken, env.token)
	for _, v := range []string{EnvEmail, EnvPassword} {
		t.Setenv(v, "")
	}
}

func identityOf(project, id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"project_id": knownvalue.StringExact(project), "id": knownvalue.StringExact(id)}
}

// The list resource finds the live segments of the provider's project or of
// another one, filters by name like the tiledesk_segments data source, and
// gives each result its identity, its name and, on request, every attribute.
// resource.Test, not ParallelTest: t.Setenv (queryEnv).
func TestAccSegmentList_query(t *testing.T) {
	env := newAccEnv(t)
	queryEnv(t, env)
	// Another project whose segments the test knows: on a real server, a
	// new one of the user's (the shared second project holds other tests').
	otherProject := env.otherProject
	if env.fake == nil {
		otherProject = newProject(t, env.apiURL, env.token)
	}
	vipIT := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "VIP Italy", Match: "any", Filters: []tiledesktest.Filter{
		{Field: "attributes.orders", Operator: ">=", Value: json.RawMessage(`3`)},
		{Field: "email", Operator: "contains", Value: json.RawMessage(`"@example.it"`)},
	}})
	vipFR := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "VIP France"})
	other := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "Newsletter"})
	gone := env.segments.Seed(t, env.project, tiledesktest.Segment{Name: "VIP deleted"})
	env.segments.SoftDelete(t, gone.ID)
	foreign := env.segments.Seed(t, otherProject, tiledesktest.Segment{Name: "VIP of another project"})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   queryVersions,
		Steps: []resource.TestStep{
			{Config: `data "tiledesk_segments" "all" {}`},
			{
				Query: true,
				Config: fmt.Sprintf(`
provider "tiledesk" {}

list "tiledesk_segment" "all" {
  provider         = tiledesk
  include_resource = true
}

list "tiledesk_segment" "vip" {
  provider = tiledesk
  config {
    name_prefix = "VIP"
  }
}

list "tiledesk_segment" "italy" {
  provider = tiledesk
  config {
    name_prefix = "VIP"
    name_regex  = "(?i)italy$"
  }
}

list "tiledesk_segment" "other_project" {
  provider = tiledesk
  config {
    project_id = %q
  }
}

list "tiledesk_segment" "first_two" {
  provider = tiledesk
  limit    = 2
}
`, otherProject),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("tiledesk_segment.all", 3),
					querycheck.ExpectIdentity("tiledesk_segment.all", identityOf(env.project, vipIT.ID)),
					querycheck.ExpectIdentity("tiledesk_segment.all", identityOf(env.project, vipFR.ID)),
					querycheck.ExpectIdentity("tiledesk_segment.all", identityOf(env.project, other.ID)),
					querycheck.ExpectNoIdentity("tiledesk_segment.all", identityOf(env.project, gone.ID)),
					querycheck.ExpectResourceDisplayName("tiledesk_segment.all",
						queryfilter.ByResourceIdentity(identityOf(env.project, vipIT.ID)), knownvalue.StringExact("VIP Italy")),
					querycheck.ExpectResourceKnownValues("tiledesk_segment.all", queryfilter.ByResourceIdentity(identityOf(env.project, vipIT.ID)),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(vipIT.ID)},
							{Path: tfjsonpath.New("project_id"), KnownValue: knownvalue.StringExact(env.project)},
							{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("VIP Italy")},
							{Path: tfjsonpath.New("match"), KnownValue: knownvalue.StringExact("any")},
							{Path: tfjsonpath.New("filters"), KnownValue: knownvalue.ListExact([]knownvalue.Check{
								filterCheck("attributes.orders", ">=", knownvalue.StringExact("3"), "number"),
								filterCheck("email", "contains", knownvalue.StringExact("@example.it"), "string"),
							})},
							{Path: tfjsonpath.New("created_at"), KnownValue: knownvalue.NotNull()},
						}),
					querycheck.ExpectLength("tiledesk_segment.vip", 2),
					querycheck.ExpectIdentity("tiledesk_segment.vip", identityOf(env.project, vipIT.ID)),
					querycheck.ExpectIdentity("tiledesk_segment.vip", identityOf(env.project, vipFR.ID)),
					querycheck.ExpectLength("tiledesk_segment.italy", 1),
					querycheck.ExpectIdentity("tiledesk_segment.italy", identityOf(env.project, vipIT.ID)),
					querycheck.ExpectLength("tiledesk_segment.other_project", 1),
					querycheck.ExpectIdentity("tiledesk_segment.other_project", identityOf(otherProject, foreign.ID)),
					querycheck.ExpectLength("tiledesk_segment.first_two", 2),
				},
			},
		},
	})
	if w := env.proxy.Writes(); w != 0 {
		t.Errorf("listing wrote %d times: %v", w, env.proxy.Counts())
	}
}

// Bad list configurations fail before any request, on the attribute.
func TestAccSegmentList_invalidConfig(t *testing.T) {
	env := newAccEnv(t)
	queryEnv(t, env)
	step := func(config, wantErr string) resource.TestStep {
		return resource.TestStep{
			Query: true,
			Config: fmt.Sprintf(`
provider "tiledesk" {}

list "tiledesk_segment" "bad" {
  provider = tiledesk
  config {
    %s
  }
}
`, config),
			ExpectError: errRe(wantErr),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   queryVersions,
		Steps: []resource.TestStep{
			{Config: `resource "terraform_data" "x" {}`},
			step(`name_regex = "VIP("`, `Invalid regular expression`),
			step(`project_id = "p1"`, `project_id`),
		},
	})
	if n := env.proxy.Count("", ""); n != 0 {
		t.Errorf("invalid list configurations sent %d requests: %v", n, env.proxy.Counts())
	}
}
