package tiledesk

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// Fast retry settings used by every test that does not check Retry-After.
const (
	testWaitMin = time.Millisecond
	testWaitMax = 5 * time.Millisecond
	// testTimeout bounds each attempt so that a broken test fails instead of
	// hanging for DefaultTimeout.
	testTimeout = 5 * time.Second
)

// testConfig is a Config for base with the fake's token and fast retries.
func testConfig(base string) Config {
	return Config{
		BaseURL:      base,
		Token:        tiledesktest.Token,
		Timeout:      testTimeout,
		MaxRetries:   new(3),
		RetryWaitMin: testWaitMin,
		RetryWaitMax: testWaitMax,
	}
}

func mustClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// newFake starts the fake server and a client for it; edit (may be nil)
// adjusts the client's Config.
func newFake(t testing.TB, opts tiledesktest.Options, edit func(*Config)) (*tiledesktest.Server, *Client) {
	t.Helper()
	fake, base := tiledesktest.NewTest(t, opts)
	cfg := testConfig(base)
	if edit != nil {
		edit(&cfg)
	}
	return fake, mustClient(t, cfg)
}

// newHandlerServer starts an httptest server running h, closed when the
// test ends. Handlers that block must return when their request ends.
func newHandlerServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

// newHandlerClient starts an httptest server running h and a client for it.
func newHandlerClient(t testing.TB, h http.HandlerFunc, edit func(*Config)) *Client {
	t.Helper()
	ts := newHandlerServer(t, h)
	cfg := testConfig(ts.URL)
	if edit != nil {
		edit(&cfg)
	}
	return mustClient(t, cfg)
}

func asAPIError(t testing.TB, err error) *APIError {
	t.Helper()
	var e *APIError
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	return e
}

func asRequestError(t testing.TB, err error) *RequestError {
	t.Helper()
	var e *RequestError
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *RequestError", err, err)
	}
	return e
}

// writeJSONBody answers a raw JSON body.
func writeJSONBody(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprint(w, body)
}

// counter counts requests received by a handler.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) inc() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n
}

func (c *counter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// segmentJSON is a realistic answer of the segment routes.
const segmentJSON = `{
  "_id": "6750c0ffee0000000000abcd",
  "name": "Italian premium leads",
  "match": "all",
  "filters": [
    {"field": "email", "operator": "contains", "value": "@example.it"},
    {"field": "attributes.plan", "operator": "=", "value": "premium"},
    {"field": "attributes.orders", "operator": ">=", "value": 3}
  ],
  "id_project": "6750c0ffee00000000001234",
  "status": 100,
  "createdBy": "6750c0ffee00000000005678",
  "createdAt": "2026-11-28T10:00:00.000Z",
  "updatedAt": "2026-11-28T10:00:00.000Z",
  "__v": 0
}`

// rawFilter builds a Filter whose value is the given JSON text.
func rawFilter(field, op, valueJSON string) Filter {
	return Filter{Field: field, Operator: op, Value: []byte(valueJSON)}
}

// assertNoSecret fails when s contains any of the secrets.
func assertNoSecret(t testing.TB, what, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("%s contains the secret %q: %s", what, sec, s)
		}
	}
}

// waitLog records the waits a client's backoff chose before its retries.
type waitLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (l *waitLog) get() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.waits)
}

// watchWaits records each wait c's own backoff chooses before a retry and
// sleeps then(wait) instead: tests check the wait the client chose, not the
// clock.
func watchWaits(c *Client, then func(time.Duration) time.Duration) *waitLog {
	l := &waitLog{}
	chosen := c.http.Backoff
	c.http.Backoff = func(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
		d := chosen(minWait, maxWait, n, resp)
		l.mu.Lock()
		l.waits = append(l.waits, d)
		l.mu.Unlock()
		return then(d)
	}
	return l
}

// skipWait retries at once, whatever the wait chosen.
func skipWait(time.Duration) time.Duration { return 0 }

// deadlineCtx is a context whose deadline passes when the test calls pass,
// not when a clock says so.
type deadlineCtx struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newDeadlineCtx(parent context.Context) *deadlineCtx {
	return &deadlineCtx{Context: parent, done: make(chan struct{})}
}

func (c *deadlineCtx) pass() { c.once.Do(func() { close(c.done) }) }

func (c *deadlineCtx) Done() <-chan struct{} { return c.done }

func (c *deadlineCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// String names a Kind in failure messages.
func (k Kind) String() string {
	names := [...]string{"other", "timeout", "canceled", "unreachable", "unauthorized", "forbidden", "bad request", "rate limited", "server error", "not found"}
	if k < 0 || int(k) >= len(names) {
		return "unknown"
	}
	return names[k]
}

// basicCredential is the Basic credential of the fake's user with password.
func basicCredential(password string) string {
	return base64.StdEncoding.EncodeToString([]byte(tiledesktest.Email + ":" + password))
}

// putSegment sends a bare PUT, without Update's check that the segment is
// live in the project: what the server's route does on its own.
func putSegment(ctx context.Context, c *Client, id string, in SegmentInput) (*Segment, error) {
	return Segments.call(ctx, c, http.MethodPut, Segments.wire(in), tiledesktest.ProjectID, id)
}

// deleteSegment sends a bare DELETE, without Delete's check that the segment
// is live in the project, and returns the server's answer.
func deleteSegment(ctx context.Context, c *Client, id string) (*Segment, error) {
	return Segments.call(ctx, c, http.MethodDelete, nil, tiledesktest.ProjectID, id)
}
