//go:build !windows

package provider

// Interrupted and concurrent applies met by the real terraform (or tofu)
// binary (see e2e_test.go) against an API with latency (the local API or a
// real server, behind the test's proxy): a create that
// was sent is finished and recorded, a 5xx after the save is adopted, an
// unrecorded create is never duplicated silently, and two configurations
// creating identical segments at once each keep their own.

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// e2eLatency is the API's answer time in these tests: a busy cloud API.
const e2eLatency = 150 * time.Millisecond

// slowAPI puts latency in front of every API request, as a real server
// behind a network has it: half before the request is processed, half
// after. Like the real server, it processes a request it has received even
// when the client goes away meanwhile. fail, when not nil, is asked after
// each create was saved: true replaces the answer with a 503, as a gateway
// that timed out while the backend finished does.
type slowAPI struct {
	api      *e2eAPI
	creates  atomic.Int64 // creates received
	inFlight atomic.Int64 // requests received and not yet answered
	last     atomic.Int64 // unix nanos of the last request's end
}

func newSlowAPI(api *e2eAPI, fail func() bool) *slowAPI {
	s := &slowAPI{api: api}
	api.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/__fake/") {
			return false
		}
		s.inFlight.Add(1)
		defer func() {
			s.last.Store(time.Now().UnixNano())
			s.inFlight.Add(-1)
		}()
		create := isCreate(r)
		if create {
			s.creates.Add(1)
		}
		readBody(r)
		time.Sleep(e2eLatency / 2)
		rec := httptest.NewRecorder()
		// Through the proxy, which records every create the API answers; on
		// a context of its own, so that it is processed even when the
		// client has gone away.
		api.forward(rec, r.WithContext(context.WithoutCancel(r.Context())))
		time.Sleep(e2eLatency / 2)
		if create && rec.Code == http.StatusOK && fail != nil && fail() {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html><head><title>503 Service Temporarily Unavailable</title></head></html>"))
			return true
		}
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return true
	})
	return s
}

// waitIdle waits until no request has been in progress for a second: a
// provider process left behind by a killed terraform has finished.
func (s *slowAPI) waitIdle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if s.inFlight.Load() == 0 && time.Since(time.Unix(0, s.last.Load())) > time.Second {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the API never went idle")
}

// startApply starts terraform apply in its own process group.
func startApply(t *testing.T, d *tfDir) (wait func() tfResult, group int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), commandTimeout)
	cmd, stdout, stderr := d.command(ctx, nil, "apply", "-auto-approve")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	return func() tfResult {
		defer cancel()
		err := cmd.Wait()
		res := tfResult{args: []string{"apply"}, stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start), code: cmd.ProcessState.ExitCode()}
		if ctx.Err() != nil {
			t.Fatalf("terraform did not finish within %s (%v):\n%s", commandTimeout, err, res)
		}
		return res
	}, cmd.Process.Pid
}

// waitCreates waits until the API has received at least n creates.
func (s *slowAPI) waitCreates(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for s.creates.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d creates reached the API, want %d", s.creates.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkOnePerName fails unless every segment ever created (deleted ones
// too) has a name of its own.
func checkOnePerName(t *testing.T, api *e2eAPI) {
	t.Helper()
	checkOnePerNameOf(t, api, segmentKind)
}

// checkOnePerNameOf fails unless every object of a kind ever created
// (deleted ones too) has a name of its own: the local API's whole store, or
// on a real server each object whose create the proxy saw answered (every
// create of these tests goes through it), read back whatever its status.
func checkOnePerNameOf(t *testing.T, api *e2eAPI, k objectKind) {
	t.Helper()
	var all []doc
	if api.fake != nil {
		all = api.fake.Docs(k.entity.name, api.project, true)
	} else {
		for _, id := range api.proxy.Created(k.entity.name) {
			d, ok := api.backend.Get(t, k.entity, id)
			if !ok && !k.entity.hardDelete {
				t.Fatalf("%s %s, created through the proxy, is not on the server", k.name, id)
			}
			if ok {
				all = append(all, d)
			}
		}
	}
	seen := map[string]any{}
	for _, d := range all {
		name := fmt.Sprint(d[k.nameAttr])
		if other, dup := seen[name]; dup {
			t.Errorf("%s %q was created twice: %v and %v", k.name, name, other, d["_id"])
		}
		seen[name] = d["_id"]
	}
}

// SIGINT (a first Ctrl-C, a cancelled CI job) while creates are in flight:
// every create that was sent is finished and recorded, so the server holds
// exactly what the state holds; the next apply creates the rest once. With
// 503 answers after the save, the lookup adopts those segments, also after
// the interrupt.
// Not parallel (nor the other TestE2EInterrupt tests): signals, and idle
// detection by time (slowAPI.waitIdle).
func TestE2EInterrupt_sigintMidApply(t *testing.T) {
	const n = 50
	for _, k := range append([]objectKind{segmentKind}, objectKinds...) {
		for _, tc := range []struct {
			name string
			fail func() bool
		}{
			{"answers", nil},
			{"503 after save", every(3)},
		} {
			t.Run(k.name+" "+tc.name, func(t *testing.T) {
				api := startTestAPI(t)
				slow := newSlowAPI(api, tc.fail)
				d := newTFDir(t, apiEnv(api))
				d.write("main.tf", k.countConfig(n))

				wait, group := startApply(t, d)
				slow.waitCreates(t, 25)
				inFlight := slow.inFlight.Load()
				// Ctrl-C in a terminal signals the whole process group: terraform
				// and the provider.
				if err := syscall.Kill(-group, syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
				res := wait()
				if res.code == 0 {
					t.Fatalf("the interrupted apply succeeded: the interrupt came too late\n%s", res)
				}
				if inFlight == 0 {
					t.Errorf("no request was in flight at the interrupt")
				}
				live := api.liveIDsOf(k)
				if len(live) >= n {
					t.Fatalf("%d %s created: the interrupt came after the last create\n%s", len(live), k.plural, res)
				}
				if ids := d.stateIDsOf(k.resourceType()); !slices.Equal(ids, live) {
					t.Fatalf("after the interrupt the state holds %d %s, the server %d: a create in flight was not recorded\n%s", len(ids), k.plural, len(live), res)
				}
				if ids := d.taintedIDsOf(k.resourceType()); len(ids) != 0 {
					t.Errorf("after the interrupt %d %s are tainted: a create stopped half-way\n%s", len(ids), k.plural, res)
				}
				if tc.fail != nil {
					expectOutput(t, res, k.adopted(), `HTTP 503 Service Unavailable`)
				} else if strings.Contains(res.output(), "answer lost") {
					// A create in flight must run to its answer, not be abandoned
					// and then found by a lookup.
					t.Errorf("a create in flight was abandoned at the interrupt:\n%s", res)
				}

				d.apply()
				checkConvergedOf(t, d, api, k, n)
				checkOnePerNameOf(t, api, k)
				d.expectEmptyPlan()
			})
		}
	}
}

// every returns a func that is true on every k-th call.
func every(k int64) func() bool {
	var n atomic.Int64
	return func() bool { return n.Add(1)%k == 0 }
}

// A killed runner (terraform and the provider SIGKILLed while creates are
// in flight) leaves segments no state holds. The next apply does not
// duplicate them: it stops with an error that names each one and its
// import command; importing them converges.
func TestE2EInterrupt_killedApplyNotDuplicated(t *testing.T) {
	const n = 40
	api := startTestAPI(t)
	slow := newSlowAPI(api, nil)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(n))

	wait, group := startApply(t, d)
	slow.waitCreates(t, 15)
	if err := syscall.Kill(-group, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = wait()
	slow.waitIdle(t)
	live := api.liveIDs()
	inState := d.stateIDs()
	var orphans []string
	for _, id := range live {
		if !slices.Contains(inState, id) {
			orphans = append(orphans, id)
		}
	}
	if len(orphans) == 0 || len(live) >= n {
		t.Fatalf("after the kill: %d live, %d in the state: no unrecorded create to test with", len(live), len(inState))
	}

	res := d.expect(1, "apply", "-auto-approve")
	expectOutput(t, res, `may already exist, created by an interrupted apply`, `terraform import <address of this resource`)
	for _, id := range orphans {
		expectOutput(t, res, regexp.QuoteMeta(api.project+"/"+id))
	}
	checkOnePerName(t, api)

	// The way out the error names: import them.
	var imports strings.Builder
	for _, id := range orphans {
		s, _ := api.segments.Get(t, id)
		var i int
		if _, err := fmt.Sscanf(s.Name, "Segment %d", &i); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&imports, "import {\n  to = tiledesk_segment.s[%d]\n  id = %q\n}\n", i, api.project+"/"+id)
	}
	d.write("imports.tf", imports.String())
	d.apply()
	checkConverged(t, d, api, n)
	checkOnePerName(t, api)
	d.expectEmptyPlan()
}

// Two configurations (two directories, the same user) apply identical
// segments into one project at the same moment: neither mistakes the
// other's segments for its own or for leftovers; each ends with its own.
func TestE2EInterrupt_concurrentIdenticalApplies(t *testing.T) {
	const n = 20
	api := startTestAPI(t)
	newSlowAPI(api, nil)
	dirs := []*tfDir{newTFDir(t, apiEnv(api)), newTFDir(t, apiEnv(api))}
	var waits []func() tfResult
	for _, d := range dirs {
		d.write("main.tf", segmentsConfig(n))
	}
	for _, d := range dirs {
		wait, _ := startApply(t, d)
		waits = append(waits, wait)
	}
	for i, wait := range waits {
		if res := wait(); res.code != 0 {
			t.Fatalf("apply in directory %d failed:\n%s", i+1, res)
		}
	}
	live := api.liveIDs()
	if len(live) != 2*n {
		t.Fatalf("%d live segments, want %d", len(live), 2*n)
	}
	a, b := dirs[0].stateIDs(), dirs[1].stateIDs()
	if len(a) != n || len(b) != n {
		t.Fatalf("the states hold %d and %d segments, want %d each", len(a), len(b), n)
	}
	if both := slices.Sorted(slices.Values(append(slices.Clone(a), b...))); !slices.Equal(slices.Compact(both), live) {
		t.Errorf("the two states share segments or miss some: %v and %v, server %v", a, b, live)
	}
	for _, d := range dirs {
		d.expectEmptyPlan()
	}
}
