package provider

import (
	"strings"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// A segment deleted in the dashboard after the last refresh is never
// resurrected by an update: the PUT's answer (the deleted segment, or after
// a hard delete the ghost the server's upsert creates without a project) is
// refused with an error, and the next plan proposes to create it again.
func TestAccSegment_updateOfDeletedSegment(t *testing.T) {
	for _, tc := range []struct {
		name   string
		delete func(*tiledesktest.Server, string) bool
	}{
		{"soft", (*tiledesktest.Server).SoftDelete},
		{"hard", (*tiledesktest.Server).HardDelete},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := startAPI(t)
			d := newTFDir(t, apiEnv(api))
			d.write("main.tf", segmentsConfig(1))
			d.apply()
			ids := api.liveIDs()
			if len(ids) != 1 || !tc.delete(api.fake, ids[0]) {
				t.Fatalf("could not delete the segment: %v", ids)
			}

			// A change applied without a refresh reaches Update with the old state.
			d.write("main.tf", strings.Replace(segmentsConfig(1), `name  = "Segment`, `name  = "Renamed`, 1))
			res := d.expect(1, "apply", "-auto-approve", "-refresh=false")
			expectOutput(t, res, `Segment `+ids[0]+` was deleted outside Terraform`, `Run terraform plan again`)
			if live := api.liveIDs(); len(live) != 0 {
				t.Errorf("the update made %d live segments of the project: %v", len(live), live)
			}
			if seg, ok := api.fake.Get(ids[0]); ok && seg.Status == tiledesktest.StatusLive && seg.ProjectID == tiledesktest.ProjectID {
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
