package provider

// Refresh from the list (internal/tiledesk/segment_cache.go): the requests
// of each phase, drift between commands, data sources on the same walk, and
// a small state in a large project.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// readsByGet is how many reads of a project go by GET before the list is
// considered (the client's listAfterReads).
const readsByGet = 10

func pagesOf(p int) int { return (p + tiledesk.ListPageSize - 1) / tiledesk.ListPageSize }

// checkCounts fails unless the local API's counters are exactly want
// (missing keys count as zero).
func checkCounts(t *testing.T, phase string, got map[string]int, want map[string]int) {
	t.Helper()
	for _, k := range []string{"GET segment", "GET segments", "POST segments", "PUT segment", "DELETE segment"} {
		if got[k] != want[k] {
			t.Errorf("%s: %d %s, want %d (all: %v)", phase, got[k], k, want[k], got)
		}
	}
}

// The requests of each phase, terraform binary and real provider process:
// a refresh of N segments costs 10 GETs and one list page, not N GETs.
func TestE2EListRefresh_requestsPerPhase(t *testing.T) {
	t.Parallel()
	const n = 60
	api := startAPI(t)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(n))

	d.apply()
	// One list page before the first create: the check for segments an
	// interrupted apply left behind (segment_recovery.go).
	checkCounts(t, "apply", api.fake.Counts(), map[string]int{"GET segments": 1, "POST segments": n})

	api.fake.ResetCounts()
	d.expectEmptyPlan()
	checkCounts(t, "no-op plan", api.fake.Counts(), map[string]int{"GET segment": readsByGet, "GET segments": 1})

	api.fake.ResetCounts()
	d.expect(0, "destroy", "-auto-approve")
	checkCounts(t, "destroy", api.fake.Counts(), map[string]int{"GET segment": readsByGet, "GET segments": 1, "DELETE segment": n})
	if live := api.liveIDs(); len(live) != 0 {
		t.Errorf("%d segments live after destroy", len(live))
	}
}

// A small state in a project of thousands: the refresh reads one list page
// to learn the project's size, and never walks the rest.
func TestE2EListRefresh_smallStateLargeProject(t *testing.T) {
	t.Parallel()
	const n, others = 20, 3000
	api := startAPI(t)
	for i := range others {
		api.fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: fmt.Sprintf("dashboard %d", i)})
	}
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(n))
	d.apply()

	api.fake.ResetCounts()
	d.expectEmptyPlan()
	got := api.fake.Counts()
	if total, bound := api.fake.Count("", ""), min(n, pagesOf(n+others))+readsByGet; total > bound {
		t.Errorf("no-op plan: %d requests %v, want at most min(N, ceil(P/100)) + 10 = %d", total, got, bound)
	}
	if got["GET segments"] > 1 {
		t.Errorf("no-op plan: %d list pages for %d segments in state: the project was walked", got["GET segments"], n)
	}
}

// Data sources and resource refreshes of one command share one walk.
func TestE2EListRefresh_dataSourcesShareTheWalk(t *testing.T) {
	t.Parallel()
	const n = 30
	api := startAPI(t)
	seeded := api.fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "From the dashboard"})
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(n)+fmt.Sprintf(`
data "tiledesk_segments" "all" {}

data "tiledesk_segment" "by_name" {
  name = "From the dashboard"
}

data "tiledesk_segment" "by_id" {
  id = %q
}

output "count" { value = length(data.tiledesk_segments.all.ids) }
output "by_name" { value = data.tiledesk_segment.by_name.id }
output "by_id" { value = data.tiledesk_segment.by_id.name }
`, seeded.ID))
	d.apply()
	d.apply() // the first read the data sources before the segments existed

	api.fake.ResetCounts()
	res := d.expect(0, "plan", "-detailed-exitcode")
	got := api.fake.Counts()
	if got["GET segments"] != 1 {
		t.Errorf("plan: %d list requests, want 1 walk shared by the data sources and the refresh: %v", got["GET segments"], got)
	}
	if got["GET segment"] > readsByGet+1 {
		t.Errorf("plan: %d GET segment, want at most %d: %v", got["GET segment"], readsByGet+1, got)
	}
	out := d.expect(0, "output", "-json").stdout
	for _, want := range []string{fmt.Sprintf(`"value": %d`, n+1), fmt.Sprintf(`"value": %q`, seeded.ID), `"value": "From the dashboard"`} {
		if !strings.Contains(out, want) {
			t.Errorf("outputs lack %s:\n%s\n%s", want, out, res)
		}
	}
}

// Drift made between two commands shows in the second, with the refresh
// served by the list and ONE provider process for every command (the
// in-process provider of terraform-plugin-testing): a rename, a soft delete,
// a hard delete, a move to another project.
func TestAccListRefresh_driftBetweenCommands(t *testing.T) {
	env := newAccEnv(t)
	env.needFake(t)
	const n = 25 // > readsByGet: the list serves the refresh
	cfg := env.config(fmt.Sprintf(`
resource "tiledesk_segment" "s" {
  count = %d
  name  = "Segment ${count.index}"
}
`, n))
	ids := make([]string, n)
	capture := func(s *terraform.State) error {
		for i := range ids {
			rs, ok := s.RootModule().Resources[fmt.Sprintf("tiledesk_segment.s.%d", i)]
			if !ok {
				return fmt.Errorf("segment %d is not in the state", i)
			}
			ids[i] = rs.Primary.ID
		}
		return nil
	}
	addr := func(i int) string { return fmt.Sprintf("tiledesk_segment.s[%d]", i) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{Config: cfg, Check: capture},
			{
				// The previous step's last command (its post-apply plan) walked
				// the list in this same process.
				PreConfig: func() {
					env.fake.ResetCounts()
					env.fake.Edit(ids[20], func(s *tiledesktest.Segment) { s.Name = "Renamed in the dashboard" })
					env.fake.SoftDelete(ids[21])
					env.fake.HardDelete(ids[22])
					env.fake.Edit(ids[23], func(s *tiledesktest.Segment) { s.ProjectID = tiledesktest.OtherProjectID })
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr(20), plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(addr(21), plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(addr(22), plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(addr(23), plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(addr(24), plancheck.ResourceActionNoop),
					},
				},
				Check: func(*terraform.State) error {
					if n := env.fake.Count("GET", "segments"); n == 0 {
						return fmt.Errorf("the refresh never used the list: %v", env.fake.Counts())
					}
					return nil
				},
			},
			{
				// And back: an edit after the apply above shows too.
				PreConfig: func() {
					env.fake.Edit(ids[24], func(s *tiledesktest.Segment) { s.Name = "Edited again" })
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr(24), plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr(24), tfjsonpath.New("name"), knownvalue.StringExact("Segment 24")),
				},
			},
		},
	})
	if seg, _ := env.fake.Get(ids[23]); seg.ProjectID != tiledesktest.OtherProjectID || seg.Status != tiledesk.StatusLive {
		t.Errorf("the segment moved to another project was touched: %+v", seg)
	}
}
