package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// Adopting a whole project with `terraform query`: 200 segments made in the
// dashboard (directly through the API), a list block, then
// `terraform query -generate-config-out` writes their resource and import
// blocks, the plan imports all 200 and changes nothing, apply imports them,
// and the next plan is empty. Deleted segments and other projects' are left
// alone. Times and request counts go to the test log (see README "Benchmarks").
// Not parallel: it logs the time of each command.
func TestE2EQuery_adoptProject(t *testing.T) {
	const n = 200
	bin := terraform114(t)
	api := startTestAPI(t)
	// Straight to the API, as the dashboard: the proxy counts Terraform's
	// requests only.
	client, err := tiledesk.NewClient(tiledesk.Config{BaseURL: api.apiURL, Token: api.token})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range n + 1 {
		in := tiledesk.SegmentInput{Name: fmt.Sprintf("Dashboard segment %03d", i), Match: []string{"all", "any"}[i%2], Filters: []tiledesk.Filter{
			{Field: "attributes.rank", Operator: ">=", Value: json.RawMessage(fmt.Sprint(i))},
			{Field: "email", Operator: "contains", Value: json.RawMessage(`"@example.it"`)},
			{Field: "attributes.vip", Operator: "=", Value: json.RawMessage(`true`)},
		}}
		if i%10 == 0 {
			in.Filters = nil
		}
		seg, err := tiledesk.Segments.Create(ctx, client, api.project, in)
		if err != nil {
			t.Fatal(err)
		}
		if i == n { // one more, deleted in the dashboard: not adopted
			if err := tiledesk.Segments.Delete(ctx, client, api.project, seg.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	api.segments.Seed(t, api.otherProject, tiledesktest.Segment{Name: "Another project's"})

	d := newTFDir(t, apiEnv(api))
	d.bin = bin
	d.write("segments.tfquery.hcl", `list "tiledesk_segment" "all" {
  provider = tiledesk
  limit    = 1000
}
`)
	type run struct {
		what     string
		elapsed  time.Duration
		requests int64
	}
	var runs []run
	measure := func(what string, code int, args ...string) tfResult {
		t.Helper()
		api.proxy.ResetCounts()
		api.requests.Store(0)
		res := d.expect(code, args...)
		runs = append(runs, run{what, res.elapsed, api.requests.Load()})
		if w := api.proxy.Writes(); w != 0 {
			t.Errorf("%s wrote %d times, want none: %v", what, w, api.proxy.Counts())
		}
		return res
	}

	res := measure("terraform query -generate-config-out", 0, "query", "-no-color", "-generate-config-out=segments.tf")
	if lists, want := api.proxy.Count("GET", "segments"), (n+tiledesk.ListPageSize-1)/tiledesk.ListPageSize; lists != want {
		t.Errorf("the query listed %d pages, want ceil(%d/%d) = %d", lists, n, tiledesk.ListPageSize, want)
	}
	if got := strings.Count(res.stdout, "list.tiledesk_segment.all"); got != n {
		t.Errorf("terraform query printed %d results, want %d:\n%s", got, n, res)
	}
	generated, err := os.ReadFile(filepath.Join(d.dir, "segments.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no segments.tf: %v\n%s", err, res)
	}
	if imports, resources := strings.Count(string(generated), "import {"), regexp.MustCompile(`(?m)^resource "tiledesk_segment" `).FindAllIndex(generated, -1); imports != n || len(resources) != n {
		t.Fatalf("segments.tf holds %d import and %d resource blocks, want %d each:\n%.3000s", imports, len(resources), n, generated)
	}

	res = measure("terraform plan", 2, "plan", "-detailed-exitcode")
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", n); !strings.Contains(res.stdout, want) {
		t.Fatalf("the plan does not say %q:\n%s", want, res)
	}
	res = measure("terraform apply", 0, "apply", "-auto-approve")
	if want := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", n); !strings.Contains(res.stdout, want) {
		t.Errorf("apply does not say %q:\n%s", want, res)
	}
	measure("terraform plan (after apply)", 0, "plan", "-detailed-exitcode")

	live := api.liveIDs()
	if len(live) != n {
		t.Fatalf("%d live segments on the server, want %d", len(live), n)
	}
	if ids := d.stateIDs(); !slices.Equal(ids, live) {
		t.Errorf("the state holds %d segments, the server %d live ones", len(ids), len(live))
	}

	var log strings.Builder
	fmt.Fprintf(&log, "adopting %d segments with %s:\n| step | time | requests |\n|---|---|---|\n", n, bin)
	for _, r := range runs {
		fmt.Fprintf(&log, "| %s | %.2f s | %d |\n", r.what, r.elapsed.Seconds(), r.requests)
	}
	t.Log(log.String())
}
