package tiledesktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Proxy is a reverse proxy for tests, put in front of a Tiledesk API: this
// package's Server or a real tiledesk-server. It counts requests by route
// and injects faults as Server does (same Fault, same route names), so that a
// test that counts requests or injects faults runs the same against either.
//
// Unlike Server, it counts every request it receives, authenticated or not,
// and a fault hits before the API sees the request (except DropAfterWrite
// and AfterWrite, which forward it first). It is an http.Handler, safe for
// concurrent use.
type Proxy struct {
	target    *url.URL // scheme and host of the API
	base      string   // the API's base path, from the target URL
	rp        *httputil.ReverseProxy
	transport *http.Transport

	done      chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	faults  faultQueue
	counts  map[countKey]int
	writes  int
	created map[string][]string // create route -> ids, in order
}

// NewProxy returns a proxy to the API at target, a base URL such as
// http://127.0.0.1:3000 or https://api.example.com/v3. Requests keep their
// path: serve the proxy at the same base path.
func NewProxy(target string) (*Proxy, error) {
	u, err := url.Parse(strings.TrimSuffix(target, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("tiledesktest: proxy target %q is not an http(s) URL", target)
	}
	p := &Proxy{
		target:  &url.URL{Scheme: u.Scheme, Host: u.Host},
		base:    normalizeBasePath(u.Path),
		done:    make(chan struct{}),
		counts:  map[countKey]int{},
		created: map[string][]string{},
		faults:  newFaultQueue(),
		transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			MaxIdleConns:        256,
			MaxIdleConnsPerHost: 256,
			// Below node's 5 s keep-alive timeout: never send a request on a
			// connection the server is closing (a POST there cannot be retried).
			IdleConnTimeout: 2 * time.Second,
		},
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host, pr.Out.Host = p.target.Scheme, p.target.Host, p.target.Host
		},
		Transport:      p.transport,
		ModifyResponse: p.noteCreated,
		ErrorHandler:   p.proxyError,
	}
	return p, nil
}

// NewTestProxy starts a proxy to target on a loopback port, closes it when
// the test ends and returns its base URL (with target's base path, without
// trailing slash).
func NewTestProxy(tb testing.TB, target string) (*Proxy, string) {
	tb.Helper()
	p, err := NewProxy(target)
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(p)
	tb.Cleanup(func() {
		p.Close() // unblock hanging requests first: ts.Close waits for them
		ts.Close()
	})
	return p, ts.URL + p.base
}

// Close unblocks every hanging request (their connections are dropped
// without an answer) and closes the idle connections to the API. The proxy
// keeps serving other requests.
func (p *Proxy) Close() {
	p.closeOnce.Do(func() { close(p.done) })
	p.transport.CloseIdleConnections()
}

// ServeHTTP counts the request, applies the first matching fault or
// forwards it to the API.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, write := routeOf(p.base, r.Method, r.URL.EscapedPath())
	p.mu.Lock()
	p.counts[countKey{r.Method, route}]++
	if write {
		p.writes++
	}
	f, faulted := p.faults.take(r.Method, route)
	p.mu.Unlock()
	switch {
	case !faulted:
		p.rp.ServeHTTP(w, r)
	case f.Hang:
		hangUntil(w, r, p.done)
	case f.DropAfterWrite:
		p.rp.ServeHTTP(httptest.NewRecorder(), r)
		abort(w)
	case f.AfterWrite:
		p.rp.ServeHTTP(httptest.NewRecorder(), r)
		writeFault(w, f)
	default:
		writeFault(w, f)
	}
}

// noteCreated records the id of each object the API answered a create
// (a POST to a write route of the table) with, per route.
func (p *Proxy) noteCreated(resp *http.Response) error {
	route, write := routeOf(p.base, resp.Request.Method, resp.Request.URL.EscapedPath())
	if resp.Request.Method != http.MethodPost || !write || resp.StatusCode/100 != 2 {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return err
	}
	var obj struct {
		ID string `json:"_id"`
	}
	if json.Unmarshal(body, &obj) == nil && obj.ID != "" {
		p.mu.Lock()
		p.created[route] = append(p.created[route], obj.ID)
		p.mu.Unlock()
	}
	return nil
}

// proxyError answers when the API could not be reached or its answer not
// read: a 502 as a gateway gives, or nothing when the client is gone.
func (p *Proxy) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		abort(w)
		return
	}
	writeMsg(w, http.StatusBadGateway, "tiledesktest proxy: "+err.Error())
}

// InjectFault queues a fault, as Server.InjectFault.
func (p *Proxy) InjectFault(f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults.add(f)
}

// ClearFaults removes every queued fault.
func (p *Proxy) ClearFaults() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults.list = nil
}

// Count returns the number of requests received on a method and route
// ("segments", "segment", "leads", "signin"; faulted ones included); ""
// matches any.
func (p *Proxy) Count(method, route string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for k, c := range p.counts {
		if (method == "" || strings.EqualFold(method, k.method)) && (route == "" || route == k.route) {
			n += c
		}
	}
	return n
}

// Writes returns the number of POST, PUT and DELETE requests received on
// the segment routes.
func (p *Proxy) Writes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.writes
}

// Counts returns every counter, keyed "METHOD route", e.g. "GET segment".
func (p *Proxy) Counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.counts))
	for k, c := range p.counts {
		out[k.method+" "+k.route] = c
	}
	return out
}

// ResetCounts zeroes the counters and Writes (not Created).
func (p *Proxy) ResetCounts() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.counts)
	p.writes = 0
}

// Created returns the ids of every object the API created through this
// proxy on a create route ("segments", "departments", ...): each successful
// POST answer, delivered to the client or not, in order.
func (p *Proxy) Created(route string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.created[route]...)
}

// routeOf names a request's route as Server counts it ("segments",
// "segment", "leads", "signin"; "" for any other request) and says whether
// the route writes, from the local API's own route table.
func routeOf(base, method, path string) (name string, write bool) {
	req, ok := apiRouter.find(base, method, path)
	if !ok || req.route == nil {
		return "", false
	}
	return req.route.name, req.route.write
}

// hangUntil never answers: it reads the body (so that net/http notices a
// client that leaves), blocks until the client is gone or done is closed,
// then drops the connection.
func hangUntil(w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-done:
	}
	abort(w)
}
