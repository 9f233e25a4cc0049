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
func TestE2ESegment_updateOfDeletedSegment(t *testing.T) {
	for _, tc := range []struct {
		name   string
		delete func(accBackend, *testing.T, string)
	}{
		{"soft", accBackend.SoftDelete},
		{"hard", accBackend.HardDelete},
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
			tc.delete(api.backend, t, ids[0])

			// A change applied without a refresh reaches Update with the old state.
			d.write("main.tf", strings.Replace(segmentsConfig(1), `name  = "Segment`, `name  = "Renamed`, 1))
			res := d.expect(1, "apply", "-auto-approve", "-refresh=false")
			expectOutput(t, res, `Segment `+ids[0]+` was deleted outside Terraform`, `Run terraform plan again`)
			if live := api.liveIDs(); len(live) != 0 {
				t.Errorf("the update made %d live segments of the project: %v", len(live), live)
			}
			if seg, ok := api.backend.Get(t, ids[0]); ok && seg.Status == tiledesktest.StatusLive && seg.ProjectID == api.project {
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
