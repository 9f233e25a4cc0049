package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

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

// Adopting a whole project with `terraform query`: 200 segments made in the
// dashboard (directly through the API), a list block, then
// `terraform query -generate-config-out` writes their resource and import
// blocks, the plan imports all 200 and changes nothing, apply imports them,
// and the next plan is empty. Deleted segments and other projects' are left
// alone. Times and request counts go to the test log (see README "Benchmarks").
func TestAccQuery_adoptProject(t *testing.T) {
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
		seg, err := client.CreateSegment(ctx, api.project, in)
		if err != nil {
			t.Fatal(err)
		}
		if i == n { // one more, deleted in the dashboard: not adopted
			if _, err := client.DeleteSegment(ctx, api.project, seg.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	api.backend.Seed(t, api.otherProject, tiledesktest.Segment{Name: "Another project's"})

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

// A state written by Terraform < 1.12 holds no identity. Terraform 1.14
// then refreshes it without error, plans nothing, and records the identity
// of every segment with the next apply.
func TestAccSegmentIdentity_stateFromOlderTerraform(t *testing.T) {
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
