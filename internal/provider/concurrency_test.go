package provider

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// terraform apply -parallelism=50 of 200 segments: each is created exactly
// once and destroy deletes each exactly once, while up to 50 requests run
// at the same time through the provider's shared client.
func TestE2EConcurrency_parallelApplyAndDestroy(t *testing.T) {
	t.Parallel()
	const n = 200
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	var inFlight, peak atomic.Int32
	api.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
		}
		time.Sleep(100 * time.Millisecond) // a real server's latency: lets requests overlap
		api.forward(w, r)
		return true
	})
	d.write("main.tf", segmentsConfig(n))

	d.apply("-parallelism=50")
	if posts := api.proxy.Count("POST", "segments"); posts != n {
		t.Errorf("%d POSTs, want %d", posts, n)
	}
	checkConverged(t, d, api, n)
	names := map[string]bool{}
	for _, s := range api.segments.Live(t, api.project) {
		names[s.Name] = true
	}
	if len(names) != n {
		t.Errorf("%d distinct names among %d segments", len(names), n)
	}
	if p := peak.Load(); p < 5 {
		t.Errorf("at most %d requests ran at once with -parallelism=50", p)
	}

	api.proxy.ResetCounts()
	d.expect(0, "destroy", "-auto-approve", "-parallelism=50")
	if dels := api.proxy.Count("DELETE", "segment"); dels != n {
		t.Errorf("%d DELETEs, want %d", dels, n)
	}
	if w := api.proxy.Writes(); w != n {
		t.Errorf("destroy wrote %d times, want only the %d DELETEs: %v", w, n, api.proxy.Counts())
	}
	if live := api.liveIDs(); len(live) != 0 {
		t.Errorf("%d segments still live after destroy", len(live))
	}
}
