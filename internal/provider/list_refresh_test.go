package provider

// Refresh from the list (internal/tiledesk/list_cache.go): the requests
// of each phase, drift between commands, data sources on the same walk, and
// a small state in a large project.

import (
	"fmt"
	"strings"
	"sync"
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

// checkCounts fails unless the proxy's counters are exactly want
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
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(n))

	d.apply()
	// One list page before the first create: the check for segments an
	// interrupted apply left behind (object_create.go).
	checkCounts(t, "apply", api.proxy.Counts(), map[string]int{"GET segments": 1, "POST segments": n})

	api.proxy.ResetCounts()
	d.expectEmptyPlan()
	checkCounts(t, "no-op plan", api.proxy.Counts(), map[string]int{"GET segment": readsByGet, "GET segments": 1})

	// Destroy refreshes (10 GETs and a list page), then each DELETE follows a
	// check that the segment is live in the project (the server's DELETE finds
	// any project's segment by id): served by the apply's own walk, 10 GETs and
	// a list page again, not n GETs.
	api.proxy.ResetCounts()
	d.expect(0, "destroy", "-auto-approve")
	checkCounts(t, "destroy", api.proxy.Counts(), map[string]int{"GET segment": 2 * readsByGet, "GET segments": 2, "DELETE segment": n})
	if live := api.liveIDs(); len(live) != 0 {
		t.Errorf("%d segments live after destroy", len(live))
	}
}

// A small state in a project of thousands: the refresh reads one list page
// to learn the project's size, and never walks the rest.
//
// The client fetches the other pages once a command's lookups reach the
// project's page count (list_cache.go), so "never walks the rest" needs
// more pages than segments in the state: 3,000 others on the local API; on
// a real server, where each seed is a POST, a state of 12 (above the 10
// reads by GET, so the list is read) in a project of 1,212 (13 pages).
func TestE2EListRefresh_smallStateLargeProject(t *testing.T) {
	t.Parallel()
	n, others := 20, 3000
	api := startTestAPI(t)
	if api.fake == nil {
		n, others = readsByGet+2, 1200
	}
	if pagesOf(n+others) <= n {
		t.Fatalf("%d segments make %d pages, not more than the %d of the state", n+others, pagesOf(n+others), n)
	}
	seedDashboardSegments(t, api.liveTarget, others)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(n))
	d.apply()

	api.proxy.ResetCounts()
	d.expectEmptyPlan()
	got := api.proxy.Counts()
	if total, bound := api.proxy.Count("", ""), min(n, pagesOf(n+others))+readsByGet; total > bound {
		t.Errorf("no-op plan: %d requests %v, want at most min(N, ceil(P/100)) + 10 = %d", total, got, bound)
	}
	if got["GET segments"] > 1 {
		t.Errorf("no-op plan: %d list pages for %d segments in state: the project was walked", got["GET segments"], n)
	}
}

// seedDashboardSegments adds n segments to the test's project as the dashboard does
// ("dashboard 0", "dashboard 1", ...): on a real server, by POSTs from a few
// workers at once.
func seedDashboardSegments(t *testing.T, lt *liveTarget, n int) {
	t.Helper()
	if lt.fake != nil {
		for i := range n {
			lt.fake.Seed(lt.project, tiledesktest.Segment{Name: fmt.Sprintf("dashboard %d", i)})
		}
		return
	}
	c, err := tiledesk.NewClient(tiledesk.Config{BaseURL: lt.apiURL, Token: lt.token})
	if err != nil {
		t.Fatal(err)
	}
	next := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				_, err := tiledesk.Segments.Create(t.Context(), c, lt.project, tiledesk.SegmentInput{Name: fmt.Sprintf("dashboard %d", i), Match: tiledesk.MatchAll, Filters: []tiledesk.Filter{}})
				if err != nil {
					errs <- fmt.Errorf("seeding segment %d: %w", i, err)
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// Data sources and resource refreshes of one command share one walk.
func TestE2EListRefresh_dataSourcesShareTheWalk(t *testing.T) {
	t.Parallel()
	const n = 30
	api := startTestAPI(t)
	seeded := api.segments.Seed(t, api.project, tiledesktest.Segment{Name: "From the dashboard"})
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

	api.proxy.ResetCounts()
	res := d.expect(0, "plan", "-detailed-exitcode")
	got := api.proxy.Counts()
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
// in-process provider of terraform-plugin-testing): a rename and a soft
// delete; on the local API only, a hard delete and a move to another
// project, which no API call can make.
func TestAccListRefresh_driftBetweenCommands(t *testing.T) {
	const n = 25 // > readsByGet: the list serves the refresh
	addr := func(i int) string { return fmt.Sprintf("tiledesk_segment.s[%d]", i) }
	// run applies n segments, makes drift to some of them between two
	// commands, expects the plan to show it (want: the action for each
	// index; the others are no-ops), then edits one more after the apply.
	run := func(t *testing.T, env *accEnv, drift func(ids []string), want map[int]plancheck.ResourceActionType) []string {
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
		var checks []plancheck.PlanCheck
		for i := 15; i < 25; i++ {
			action, ok := want[i]
			if !ok {
				action = plancheck.ResourceActionNoop
			}
			checks = append(checks, plancheck.ExpectResourceAction(addr(i), action))
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(),
			Steps: []resource.TestStep{
				{Config: cfg, Check: capture},
				{
					// The previous step's last command (its post-apply plan)
					// walked the list in this same process.
					PreConfig: func() {
						env.proxy.ResetCounts()
						drift(ids)
					},
					Config:           cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: checks},
					Check: func(*terraform.State) error {
						if n := env.proxy.Count("GET", "segments"); n == 0 {
							return fmt.Errorf("the refresh never used the list: %v", env.proxy.Counts())
						}
						return nil
					},
				},
				{
					// And back: an edit after the apply above shows too.
					PreConfig: func() {
						env.segments.Edit(t, ids[24], func(s *tiledesktest.Segment) { s.Name = "Edited again" })
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
		return ids
	}

	t.Run("rename and soft delete", func(t *testing.T) {
		env := newAccEnv(t)
		run(t, env, func(ids []string) {
			env.segments.Edit(t, ids[20], func(s *tiledesktest.Segment) { s.Name = "Renamed in the dashboard" })
			env.segments.SoftDelete(t, ids[21])
		}, map[int]plancheck.ResourceActionType{20: plancheck.ResourceActionUpdate, 21: plancheck.ResourceActionCreate})
	})

	t.Run("hard delete and move to another project", func(t *testing.T) {
		env := newAccEnv(t)
		if env.fake == nil {
			t.Skip("no API call removes a segment's document (DELETE only sets status 0) nor moves a segment to another project (PUT changes only name, match and filters)")
		}
		ids := run(t, env, func(ids []string) {
			env.fake.HardDelete(ids[22])
			env.fake.Edit(ids[23], func(s *tiledesktest.Segment) { s.ProjectID = tiledesktest.OtherProjectID })
		}, map[int]plancheck.ResourceActionType{22: plancheck.ResourceActionCreate, 23: plancheck.ResourceActionCreate})
		if seg, _ := env.fake.Get(ids[23]); seg.ProjectID != tiledesktest.OtherProjectID || seg.Status != tiledesk.StatusLive {
			t.Errorf("the segment moved to another project was touched: %+v", seg)
		}
	})
}
