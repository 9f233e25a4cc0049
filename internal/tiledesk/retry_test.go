package tiledesk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// GET is retried on 429 and 5xx but 501, up to MaxRetries, then fails with
// the last answer.
func TestGetRetriedOnTransientStatus(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504, 429} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			fake, c := newFake(t, tiledesktest.Options{}, nil) // MaxRetries 3
			seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "s"})
			fake.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segment", Status: status, Times: 100})

			_, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, seg.ID)
			e := asAPIError(t, err)
			if e.StatusCode != status || e.Attempts != 4 {
				t.Errorf("got %d after %d attempts, want %d after 4", e.StatusCode, e.Attempts, status)
			}
			if n := fake.Count("GET", "segment"); n != 4 {
				t.Errorf("server saw %d attempts, want 4", n)
			}
			if !strings.Contains(err.Error(), "(after 4 attempts)") {
				t.Errorf("Error() = %q does not count the attempts", err)
			}
		})
	}
	t.Run("recovers", func(t *testing.T) {
		fake, c := newFake(t, tiledesktest.Options{}, nil)
		seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "s"})
		fake.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segment", Status: 503, Times: 3})
		got, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, seg.ID)
		if err != nil || got.ID != seg.ID {
			t.Fatalf("GetSegment after 3 faults with 3 retries: %v", err)
		}
		if n := fake.Count("GET", "segment"); n != 4 {
			t.Errorf("server saw %d attempts, want 4", n)
		}
	})
}

func TestGetNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422, 501} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			fake, c := newFake(t, tiledesktest.Options{}, nil)
			fake.InjectFault(tiledesktest.Fault{Method: "GET", Route: "segments", Status: status, Times: 100})
			_, err := Segments.Page(t.Context(), c, tiledesktest.ProjectID, ListOptions{})
			e := asAPIError(t, err)
			if e.StatusCode != status || e.Attempts != 1 {
				t.Errorf("got %d after %d attempts, want %d after 1", e.StatusCode, e.Attempts, status)
			}
			if n := fake.Count("GET", "segments"); n != 1 {
				t.Errorf("server saw %d attempts, want 1", n)
			}
		})
	}
}

func TestPutAndDeleteRetried(t *testing.T) {
	calls := map[string]func(c *Client, ctx context.Context, id string) error{
		"PUT": func(c *Client, ctx context.Context, id string) error {
			_, err := putSegment(ctx, c, id, SegmentInput{Name: "renamed", Match: MatchAll})
			return err
		},
		"DELETE": func(c *Client, ctx context.Context, id string) error {
			_, err := deleteSegment(ctx, c, id)
			return err
		},
	}
	for method, call := range calls {
		for _, status := range []int{502, 503, 500} {
			t.Run(fmt.Sprint(method, " ", status), func(t *testing.T) {
				fake, c := newFake(t, tiledesktest.Options{}, nil)
				seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "s"})
				fake.InjectFault(tiledesktest.Fault{Method: method, Route: "segment", Status: status, Times: 2})
				if err := call(c, t.Context(), seg.ID); err != nil {
					t.Fatalf("%s after 2 faults with 3 retries: %v", method, err)
				}
				if n := fake.Count(method, "segment"); n != 3 {
					t.Errorf("server saw %d attempts, want 3", n)
				}
			})
		}
		t.Run(method+" answer lost", func(t *testing.T) {
			// PUT and DELETE are idempotent: a lost answer is retried.
			fake, c := newFake(t, tiledesktest.Options{}, nil)
			seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "s"})
			fake.InjectFault(tiledesktest.Fault{Method: method, Route: "segment", DropAfterWrite: true})
			if err := call(c, t.Context(), seg.ID); err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			if n := fake.Count(method, "segment"); n != 2 {
				t.Errorf("server saw %d attempts, want 2", n)
			}
		})
	}
}

// Trap 8: POST is retried only where the server refused it before doing
// anything (429). A 503 may come from a gateway after the server saved the
// segment: it is not retried (see TestPostNotRetriedOnServerError).
func TestPostRetriedOnRefusal(t *testing.T) {
	for _, status := range []int{429} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			fake, c := newFake(t, tiledesktest.Options{}, nil)
			fake.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", Status: status, Times: 2})
			s, err := Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{Name: "once", Match: MatchAll})
			if err != nil {
				t.Fatalf("CreateSegment after 2 x %d: %v", status, err)
			}
			if n := fake.Count("POST", "segments"); n != 3 {
				t.Errorf("server saw %d POSTs, want 3", n)
			}
			live := fake.Segments(tiledesktest.ProjectID, false)
			if len(live) != 1 || live[0].ID != s.ID {
				t.Errorf("fake holds %d live segments, want exactly the one created", len(live))
			}
		})
	}
}

func TestPostNotRetriedOnServerError(t *testing.T) {
	for _, status := range []int{500, 501, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			fake, c := newFake(t, tiledesktest.Options{}, nil)
			fake.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", Status: status, Times: 5})
			_, err := Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll})
			e := asAPIError(t, err)
			if e.StatusCode != status || e.Attempts != 1 {
				t.Errorf("got %d after %d attempts, want %d after 1", e.StatusCode, e.Attempts, status)
			}
			if !MayHaveCreated(err) {
				t.Errorf("MayHaveCreated false for a POST answered %d", status)
			}
			if n := fake.Count("POST", "segments"); n != 1 {
				t.Errorf("server saw %d POSTs, want 1", n)
			}
		})
	}
}

// The write happened but the answer was lost: retrying would duplicate.
func TestPostAnswerLostNotRetried(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	fake.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", DropAfterWrite: true, Times: 5})
	_, err := Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{Name: "maybe", Match: MatchAll})
	if err == nil {
		t.Fatal("no error")
	}
	e := asRequestError(t, err)
	if !e.MaybeProcessed {
		t.Errorf("MaybeProcessed false for %v", err)
	}
	if e.Attempts != 1 || e.Method != "POST" || Classify(err) == KindTimeout {
		t.Errorf("RequestError = %+v", e)
	}
	if n := fake.Count("POST", "segments"); n != 1 {
		t.Errorf("server saw %d POSTs, want 1", n)
	}
	if live := fake.Segments(tiledesktest.ProjectID, false); len(live) != 1 || live[0].Name != "maybe" {
		t.Errorf("fake holds %d segments, want exactly 1", len(live))
	}
}

// countingTransport counts round trips.
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// closedURL is the URL of a server that is gone: connections are refused.
func closedURL(t testing.TB) string {
	t.Helper()
	ts := httptest.NewServer(http.NotFoundHandler())
	u := ts.URL
	ts.Close()
	return u
}

// Connection refused: the request never reached a server, so even POST is
// retried, and nothing may have been processed.
func TestConnectionRefusedRetried(t *testing.T) {
	for _, method := range []string{"POST", "GET"} {
		t.Run(method, func(t *testing.T) {
			rt := &countingTransport{base: cleanhttp.DefaultPooledTransport()}
			c := mustClient(t, Config{
				BaseURL: closedURL(t), Token: tiledesktest.Token,
				MaxRetries: new(2), RetryWaitMin: testWaitMin, RetryWaitMax: testWaitMax, Transport: rt,
			})
			var err error
			if method == "POST" {
				_, err = Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll})
			} else {
				_, err = Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
			}
			e := asRequestError(t, err)
			if e.Attempts != 3 || rt.n.Load() != 3 {
				t.Errorf("%d attempts, %d round trips, want 3", e.Attempts, rt.n.Load())
			}
			if e.MaybeProcessed || Classify(err) == KindTimeout || StatusCode(err) != 0 {
				t.Errorf("misclassified: %+v", e)
			}
			var op *net.OpError
			if !errors.As(err, &op) || op.Op != "dial" {
				t.Errorf("error %v does not wrap the dial error", err)
			}
			if !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "(after 3 attempts)") {
				t.Errorf("Error() = %q", err)
			}
			assertNoSecret(t, "error", err.Error(), tiledesktest.Token)
		})
	}
}

func TestMaxRetriesSettings(t *testing.T) {
	tests := []struct {
		name       string
		maxRetries *int
		want       int
	}{
		{"none", new(0), 1},
		{"default", nil, DefaultMaxRetries + 1},
		{"one", new(1), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n counter
			c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
				n.inc()
				writeJSONBody(w, 503, `{"success":false,"msg":"busy"}`)
			}, func(c *Config) { c.MaxRetries = tt.maxRetries })
			_, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
			e := asAPIError(t, err)
			if e.Attempts != tt.want || n.get() != tt.want {
				t.Errorf("%d attempts (%d seen), want %d", e.Attempts, n.get(), tt.want)
			}
			if e.Message != "busy" {
				t.Errorf("Message = %q", e.Message)
			}
		})
	}
}

func TestMaxRetriesNegativeRefused(t *testing.T) {
	c, err := NewClient(Config{Token: "tok", MaxRetries: new(-1)})
	if err == nil || c != nil || !strings.Contains(err.Error(), "MaxRetries is -1") {
		t.Errorf("NewClient with MaxRetries -1 = %v, %v; want an error", c, err)
	}
}

// The wait before a retry is the server's Retry-After: checked on the wait
// the client's backoff chooses (recorded, not slept), not on the clock.
func TestRetryAfterHonoured(t *testing.T) {
	t.Run("GET", func(t *testing.T) {
		t.Parallel()
		var n counter
		c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
			if n.inc() == 1 {
				w.Header().Set("Retry-After", "1")
				writeJSONBody(w, 503, `{"success":false,"msg":"later"}`)
				return
			}
			writeJSONBody(w, 200, segmentJSON)
		}, func(c *Config) { c.RetryWaitMax = 10 * time.Second })
		waits := watchWaits(c, skipWait)
		if _, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd"); err != nil {
			t.Fatal(err)
		}
		if got := waits.get(); !slices.Equal(got, []time.Duration{time.Second}) {
			t.Errorf("waits before the retries = %v, want [1s]: the server's Retry-After", got)
		}
		if n.get() != 2 {
			t.Errorf("%d attempts, want 2", n.get())
		}
	})
	t.Run("POST 429 on the fake", func(t *testing.T) {
		t.Parallel()
		fake, c := newFake(t, tiledesktest.Options{}, func(c *Config) { c.RetryWaitMax = 10 * time.Second })
		fake.InjectFault(tiledesktest.Fault{Method: "POST", Route: "segments", Status: 429, RetryAfter: "1"})
		waits := watchWaits(c, skipWait)
		if _, err := Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll}); err != nil {
			t.Fatal(err)
		}
		if got := waits.get(); !slices.Equal(got, []time.Duration{time.Second}) {
			t.Errorf("waits before the retries = %v, want [1s]: the server's Retry-After", got)
		}
		if n := fake.Count("POST", "segments"); n != 2 {
			t.Errorf("server saw %d POSTs, want 2", n)
		}
		if n := len(fake.Segments(tiledesktest.ProjectID, false)); n != 1 {
			t.Errorf("%d segments, want 1", n)
		}
	})
}

// A Retry-After beyond the caller's deadline ends the call with the
// context's error instead of sleeping past it: the deadline passes as the
// wait (30s, the cap) begins, and the call returns with one attempt made,
// not a second one after the wait.
func TestRetryAfterBeyondDeadline(t *testing.T) {
	var n counter
	c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
		n.inc()
		w.Header().Set("Retry-After", "60")
		writeJSONBody(w, 503, `{"success":false,"msg":"maintenance"}`)
	}, func(c *Config) { c.RetryWaitMax = 0 }) // the default: 30s
	ctx := newDeadlineCtx(t.Context())
	waits := watchWaits(c, func(d time.Duration) time.Duration {
		ctx.pass()
		return d
	})
	_, err := Segments.Get(ctx, c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
	if got := waits.get(); !slices.Equal(got, []time.Duration{DefaultRetryWaitMax}) {
		t.Errorf("waits = %v, want [%v]: Retry-After capped by RetryWaitMax", got, DefaultRetryWaitMax)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
	}
	if Classify(err) == KindTimeout {
		t.Errorf("the caller's deadline reported as the client's timeout: %v", err)
	}
	if e := asRequestError(t, err); e.Attempts != 1 || n.get() != 1 {
		t.Errorf("%d attempts, server saw %d, want 1: the wait did not end with the deadline", e.Attempts, n.get())
	}
}

func TestAPIErrorRetryAfter(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	for _, tt := range []struct {
		header   string
		min, max time.Duration
	}{
		{"7", 7 * time.Second, 7 * time.Second},
		{date, 80 * time.Second, 91 * time.Second},
		{"soon", 0, 0},
		{"", 0, 0},
	} {
		t.Run(tt.header, func(t *testing.T) {
			c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				writeJSONBody(w, 429, `{"msg":"slow down"}`)
			}, func(c *Config) { c.MaxRetries = new(0) })
			_, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
			e := asAPIError(t, err)
			if e.RetryAfter < tt.min || e.RetryAfter > tt.max {
				t.Errorf("RetryAfter = %v, want in [%v, %v]", e.RetryAfter, tt.min, tt.max)
			}
		})
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		h    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"5", 5 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"later", 0, false},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v, want %v, %v", tt.h, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	minWait, maxWait := 100*time.Millisecond, 2*time.Second
	for n := range 70 {
		for range 20 {
			d := backoff(minWait, maxWait, n, nil)
			if d < minWait/2 || d > maxWait {
				t.Fatalf("backoff(n=%d) = %v, outside [%v, %v]", n, d, minWait/2, maxWait)
			}
		}
	}
	resp := &http.Response{Header: http.Header{"Retry-After": {"1"}}}
	if d := backoff(minWait, maxWait, 0, resp); d != time.Second {
		t.Errorf("backoff with Retry-After 1 = %v, want 1s", d)
	}
	resp.Header.Set("Retry-After", "3600")
	if d := backoff(minWait, maxWait, 0, resp); d != maxWait {
		t.Errorf("backoff with Retry-After 3600 = %v, want the cap %v", d, maxWait)
	}
	resp.Header.Set("Retry-After", "garbage")
	if d := backoff(minWait, maxWait, 0, resp); d < minWait/2 || d > maxWait {
		t.Errorf("backoff with a bad Retry-After = %v", d)
	}
}

// A server that never answers: the per-attempt timeout ends the call with
// one attempt only, since a hung server would only hang again.
func TestTimeoutNotRetried(t *testing.T) {
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			fake, c := newFake(t, tiledesktest.Options{}, func(c *Config) { c.Timeout = 200 * time.Millisecond })
			seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "s"})
			fake.InjectFault(tiledesktest.Fault{Method: method, Hang: true, Times: 10})
			var err error
			if method == "GET" {
				_, err = Segments.Get(t.Context(), c, tiledesktest.ProjectID, seg.ID)
			} else {
				_, err = Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{Name: "x", Match: MatchAll})
			}
			// The client's timeout ended it (not the test's context, nor an
			// answer), after one attempt.
			e := asRequestError(t, err)
			if e.Timeout != 200*time.Millisecond || Classify(err) != KindTimeout {
				t.Errorf("Timeout = %v, Classify %v for %v", e.Timeout, Classify(err), err)
			}
			if !strings.Contains(err.Error(), "timeout of 200ms") {
				t.Errorf("Error() = %q does not name the timeout", err)
			}
			if e.Attempts != 1 || fake.Count(method, "") != 1 {
				t.Errorf("%d attempts, server saw %d, want 1", e.Attempts, fake.Count(method, ""))
			}
			// The POST reached the server: it may have been processed.
			if e.MaybeProcessed != (method == "POST") {
				t.Errorf("MaybeProcessed = %v", e.MaybeProcessed)
			}
			assertNoSecret(t, "error", err.Error(), tiledesktest.Token)
		})
	}
}

// A cancel ends a GET in progress: the call returns the cancellation (not
// the client's timeout, 5s here, which a call that ignored it would meet),
// and the server sees the client leave.
func TestContextCancelledMidRequest(t *testing.T) {
	started := make(chan struct{}, 10)
	serverErr := make(chan error, 10)
	ts := newHandlerServer(t, func(_ http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done() // the client goes away
		serverErr <- r.Context().Err()
	})
	c := mustClient(t, testConfig(ts.URL))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		<-started
		cancel()
	}()
	_, err := Segments.Get(ctx, c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v does not wrap context.Canceled", err)
	}
	e := asRequestError(t, err)
	if Classify(err) == KindTimeout || e.Attempts != 1 {
		t.Errorf("RequestError = %+v", e)
	}
	if !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("Error() = %q", err)
	}
	if err := <-serverErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the server's request ended with %v, want the client gone (context.Canceled)", err)
	}
	if len(started) != 0 {
		t.Error("the GET was sent again after the cancel")
	}
}

func TestContextAlreadyCancelled(t *testing.T) {
	var n counter
	c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
		n.inc()
		writeJSONBody(w, 200, segmentJSON)
	}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Segments.Get(ctx, c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
	if n.get() != 0 {
		t.Errorf("%d requests sent with a cancelled context", n.get())
	}
}
