package provider

// Faults met by the real terraform binary (see e2e_test.go): rate limits,
// server errors, lost answers, a server that goes down or hangs, an
// interrupted apply, and error bodies that are not the API's JSON.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// About 30% of all requests are refused with 429 (Retry-After: 1) or 503:
// every create is retried until it lands exactly once, and refresh and
// destroy cope too.
func TestE2EFaults_rateLimitedApplyConverges(t *testing.T) {
	t.Parallel()
	const n = 50
	for _, k := range append([]objectKind{segmentKind}, objectKinds...) {
		t.Run(k.name, func(t *testing.T) {
			api := startTestAPI(t)
			d := newTFDir(t, apiEnv(api))
			api.proxy.InjectFault(tiledesktest.Fault{Rate: 0.15, Status: http.StatusTooManyRequests, RetryAfter: "1", Body: "Too many requests"})
			api.proxy.InjectFault(tiledesktest.Fault{Rate: 0.15, Status: http.StatusServiceUnavailable})
			d.write("main.tf", k.countConfig(n, "max_retries = 10"))

			d.apply("-parallelism=25")
			checkConvergedOf(t, d, api, k, n)
			if posts := api.proxy.Count("POST", k.entity.name); posts <= n {
				t.Errorf("%d POSTs for %d %s: the faults never hit a create", posts, n, k.plural)
			}
			d.expectEmptyPlan()

			d.expect(0, "destroy", "-auto-approve", "-parallelism=25")
			if live := api.liveIDsOf(k); len(live) != 0 {
				t.Errorf("%d %s still live after destroy", len(live), k.plural)
			}
		})
	}
}

// A 500 on the GETs of a refresh is retried and the plan succeeds.
func TestE2EFaults_refreshRetriesServerErrors(t *testing.T) {
	t.Parallel()
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(3))
	d.apply()

	api.proxy.ResetCounts()
	api.proxy.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segment", Status: http.StatusInternalServerError, Times: 3})
	d.expectEmptyPlan()
	if got := api.proxy.Count("GET", "segment"); got != 6 {
		t.Errorf("%d GETs, want 6: 3 segments read, 3 of them once more after a 500", got)
	}
}

// In an apply of several segments, the answer to one create is lost after
// the server saved it: that segment is adopted, not duplicated, and
// re-applying changes nothing.
func TestE2EFaults_lostCreateAnswerAdopted(t *testing.T) {
	t.Parallel()
	const n = 6
	for _, k := range append([]objectKind{segmentKind}, objectKinds...) {
		for _, fault := range []tiledesktest.Fault{
			{Method: "POST", Route: k.entity.name, DropAfterWrite: true},
			{Method: "POST", Route: k.entity.name, AfterWrite: true, Status: http.StatusGatewayTimeout},
		} {
			t.Run(fmt.Sprintf("%s %d", k.name, fault.Status), func(t *testing.T) {
				api := startTestAPI(t)
				d := newTFDir(t, apiEnv(api))
				api.proxy.InjectFault(fault)
				d.write("main.tf", k.countConfig(n))

				res := d.apply()
				expectOutput(t, res, k.adopted())
				checkConvergedOf(t, d, api, k, n)
				d.expectEmptyPlan()
				d.apply()
				checkConvergedOf(t, d, api, k, n)
				if posts := api.proxy.Count("POST", k.entity.name); posts != n {
					t.Errorf("%d POSTs, want %d: one per %s, never a retry", posts, n, k.name)
				}
			})
		}
	}
}

// The server goes down in the middle of an apply: the apply fails naming the
// connection failure, the state keeps every segment created, and once the
// server is back (same address, same data) the next apply converges.
// Not parallel: it listens again on the port it freed, which a parallel
// test could take meanwhile.
func TestE2EFaults_serverDownMidApply(t *testing.T) {
	const n, k = 12, 5
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	var creates atomic.Int32
	var down atomic.Bool
	api.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if down.Load() {
			// A request already on an open keep-alive connection: the server
			// is gone before it could process it.
			tiledesktest.Abort(w)
			return true
		}
		if isCreate(r) && creates.Add(1) == k {
			w.Header().Set("Connection", "close")
			down.Store(true)
			api.goDown() // this create is answered; nothing after it
		}
		return false
	})
	d.write("main.tf", segmentsConfig(n, "max_retries = 2"))

	res := d.expect(1, "apply", "-auto-approve", "-parallelism=4")
	expectOutput(t, res, `Could not create segment`, `connect: connection refused`)
	live := api.liveIDs()
	if len(live) < k || len(live) >= n {
		t.Fatalf("%d segments live after the server went down, want %d to %d", len(live), k, n-1)
	}
	if ids := d.stateIDs(); !slices.Equal(ids, live) {
		t.Fatalf("the state lost created segments: state %v, server %v", ids, live)
	}

	api.setHook(nil)
	api.restart(t)
	d.apply("-parallelism=4")
	checkConverged(t, d, api, n)
	d.expectEmptyPlan()
}

// A server that never answers: request_timeout ends the request with an
// error that names the timeout, and terraform exits. The hanging request
// ends because the provider leaves it, and is not sent again: a hung server
// would only hang again.
// Not parallel: with a request_timeout of 1s, every request that is
// answered must be answered in time, which the load of parallel tests
// could break.
func TestE2EFaults_hangingServerTimesOut(t *testing.T) {
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	timeout := api.answerTimeout()
	// max_retries = 0: no re-send after the lookup proves nothing was created.
	d.write("main.tf", segmentsConfig(1, fmt.Sprintf("request_timeout = %q", timeout), "max_retries = 0"))

	api.proxy.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", Hang: true})
	res := d.expect(1, "apply", "-auto-approve")
	expectOutput(t, res, `POST /`+api.project+`/segments: no answer within the request timeout of `+timeout.String(), `nothing was created`)
	if len(api.liveIDs()) != 0 {
		t.Errorf("a segment was created: %v", api.liveIDs())
	}
	if n := api.proxy.Count("POST", "segments"); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}

	d.apply()
	// Retries allowed now: a read that timed out is still not sent again.
	d.write("main.tf", segmentsConfig(1, fmt.Sprintf("request_timeout = %q", timeout), "max_retries = 3"))
	api.proxy.ResetCounts()
	ended := make(chan error, 10)
	api.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/segments/") {
			return false
		}
		// The deferred send runs also when the proxy aborts by panicking.
		defer func() { ended <- r.Context().Err() }()
		api.forward(w, r)
		return true
	})
	api.proxy.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segment", Hang: true, Times: 10})
	res = d.expect(1, "plan")
	expectOutput(t, res, `Could not read segment`, `no answer within the request timeout of `+timeout.String(), `raise request_timeout`)
	if n := api.proxy.Count("GET", "segment"); n != 1 {
		t.Errorf("%d GETs of the segment, want 1: a request that timed out is not retried", n)
	}
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the hanging read ended with %v, want the provider gone from it (context.Canceled)", err)
		}
	case <-time.After(10 * time.Second): // a hang guard, not a measurement
		t.Errorf("the hanging read never ended")
	}
}

// SIGINT while a create hangs: the create was sent, so it is not abandoned
// (the server does not see the client go away when the interrupt comes);
// request_timeout ends it, the lookup proves nothing was saved, nothing is
// sent again, and terraform exits by itself.
// Not parallel: it sends SIGINT.
func TestE2EFaults_interruptFinishesHangingCreate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sends SIGINT")
	}
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(1, `request_timeout = "3s"`))

	// What the API saw, in order, and when the test sent SIGINT.
	var mu sync.Mutex
	var events []string
	note := func(e string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}
	started := make(chan struct{})
	var once sync.Once
	gone := make(chan error, 1)
	api.proxy.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", Hang: true, Times: 10})
	api.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if !isCreate(r) {
			note(r.Method + " " + r.URL.Path)
			return false
		}
		note("create sent")
		once.Do(func() { close(started) })
		// Read the body as the real server's body parser does: net/http
		// watches for the client going away only once the body is read.
		readBody(r)
		// The deferred send runs also when the proxy aborts by panicking.
		defer func() {
			err := r.Context().Err()
			note(fmt.Sprintf("create ended (%v)", err))
			gone <- err
		}()
		api.forward(w, r) // hangs until the client goes away
		return true
	})

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // kills a terraform that ignores SIGINT
	defer cancel()
	cmd, stdout, stderr := d.command(ctx, nil, "apply", "-auto-approve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the create never reached the server:\n%s\n%s", stdout, stderr)
	}
	note("SIGINT")
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Errorf("interrupted apply ended with %v, want a non-zero exit", err)
	}
	if ctx.Err() != nil {
		t.Errorf("terraform did not exit after SIGINT: killed (%v)", ctx.Err())
	}
	select {
	case err := <-gone:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the hanging create ended with %v, want the provider gone from it (context.Canceled)", err)
		}
	case <-time.After(10 * time.Second): // a hang guard, not a measurement
		t.Errorf("the hanging request never ended")
	}
	// The create ended with the request timeout, not with the interrupt: an
	// abandoned create would say "cancelled".
	res := tfResult{stdout: stdout.String(), stderr: stderr.String()}
	expectOutput(t, res, `no answer within the request timeout of 3s`, `nothing was created`, `stopped before the create could be sent again`)
	if n := api.proxy.Count("POST", "segments"); n != 1 {
		t.Errorf("%d POSTs, want 1: nothing is sent after the stop", n)
	}
	mu.Lock()
	seen := slices.Clone(events)
	mu.Unlock()
	checkInterruptOrder(t, seen, "/"+api.project+"/segments")
	if t.Failed() {
		t.Logf("API events: %q\nstdout:\n%s\nstderr:\n%s", seen, stdout, stderr)
	}
}

// checkInterruptOrder checks what the API saw of an interrupted create: the
// interrupt came while the create hung (before it ended), and after the
// create was sent only the lookup of the project's list (GET list) was.
func checkInterruptOrder(t *testing.T, events []string, list string) {
	t.Helper()
	sent, sigint, ended := slices.Index(events, "create sent"), slices.Index(events, "SIGINT"), -1
	for i, e := range events {
		if strings.HasPrefix(e, "create ended") {
			ended = i
		}
	}
	if sent < 0 || sigint < sent || ended < sigint {
		t.Errorf("events %q: want the create sent, then SIGINT, then the create ended", events)
	}
	lookups := 0
	for _, e := range events[sent+1:] {
		switch {
		case e == "GET "+list:
			lookups++
		case e != "SIGINT" && !strings.HasPrefix(e, "create ended"):
			t.Errorf("after the create: %q, want only the lookup (GET %s)", e, list)
		}
	}
	if lookups == 0 {
		t.Errorf("events %q: no lookup after the create", events)
	}
}

const proxyHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// Error bodies of a proxy (HTML), empty ones and plain text: the error
// shows the status and a readable message, never a JSON decoding error nor
// the HTML itself.
func TestE2EFaults_unreadableErrorBodies(t *testing.T) {
	t.Parallel()
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", segmentsConfig(1, "max_retries = 0"))
	d.apply()
	d.write("main.tf", segmentsConfig(2, "max_retries = 0")) // one more: a create

	cases := []struct {
		name, method      string
		status            int
		contentType, body string
		want              []string
	}{
		{"proxy HTML on read", "GET", 502, "text/html", proxyHTML, []string{`Could not read segment`, `HTTP 502 Bad Gateway: 502 Bad Gateway`}},
		{"proxy HTML on create", "POST", 502, "text/html", proxyHTML, []string{`Could not create segment`, `HTTP 502 Bad Gateway: 502 Bad Gateway`, `nothing was created`}},
		{"empty body", "GET", 503, "", "", []string{`GET /` + api.project + `/segments/[0-9a-f]{24}: HTTP 503 Service Unavailable\n`}},
		{"empty JSON body", "GET", 500, "application/json", "", []string{`HTTP 500 Internal Server Error\n`}},
		{"cut JSON body", "GET", 500, "application/json", `{"msg": "Error get`, []string{`HTTP 500 Internal Server Error: {"msg": "Error get`}},
		{"plain text", "GET", 429, "text/plain", "Too many requests, slow down", []string{`HTTP 429 Too Many Requests: Too many requests, slow down`, `raise max_retries`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != tc.method || !strings.Contains(r.URL.Path, "/segments") {
					return false
				}
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
				return true
			})
			defer api.setHook(nil)
			cmd := []string{"plan"}
			if tc.method == "POST" {
				cmd = []string{"apply", "-auto-approve"}
			}
			res := d.expect(1, cmd...)
			expectOutput(t, res, tc.want...)
			for _, bad := range []string{"invalid character", "unexpected end of JSON", "cannot unmarshal", "<html", "<title", "<center"} {
				if strings.Contains(res.output(), bad) {
					t.Errorf("the error shows %q:\n%s", bad, res)
				}
			}
		})
	}
}
