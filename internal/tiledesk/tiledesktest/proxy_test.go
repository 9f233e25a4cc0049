package tiledesktest

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"
)

// newProxied starts a fake with opts and a proxy in front of it; the client
// talks to the proxy.
func newProxied(t *testing.T, opts Options) (*Server, *Proxy, *client) {
	t.Helper()
	s, base := NewTest(t, opts)
	p, url := NewTestProxy(t, base)
	return s, p, &client{t: t, base: url, auth: jwtAuth}
}

func TestProxyForwardsAndCounts(t *testing.T) {
	for _, basePath := range []string{"", "/v3"} {
		t.Run("base "+basePath, func(t *testing.T) {
			s, p, c := newProxied(t, Options{BasePath: basePath})
			seg := c.create(ProjectID, `{"name":"x","filters":[{"field":"a","operator":"=","value":3}]}`)
			if got, ok := s.Get(seg.ID); !ok || got.Name != "x" || string(got.Filters[0].Value) != "3" {
				t.Fatalf("the fake holds %+v (found %v)", got, ok)
			}
			c.send(http.MethodGet, segmentPath(ProjectID, seg.ID), nil).object(t)
			c.send(http.MethodPut, segmentPath(ProjectID, seg.ID), `{"name":"y"}`).object(t)
			c.send(http.MethodDelete, segmentPath(ProjectID, seg.ID), nil).object(t)
			c.send(http.MethodGet, segmentsPath(ProjectID)+"?page=0", nil).object(t)
			c.send(http.MethodGet, "/"+ProjectID+"/leads", nil).object(t)
			c.send(http.MethodPost, "/auth/signin", map[string]string{"email": Email, "password": Password}).object(t)
			c.auth = "Bearer x"
			c.send(http.MethodGet, segmentsPath(ProjectID), nil).wantText(t, 401, contentText, "Unauthorized")

			want := map[string]int{"POST segments": 1, "GET segment": 1, "PUT segment": 1, "DELETE segment": 1,
				"GET segments": 2, "GET leads": 1, "POST signin": 1}
			if got := p.Counts(); !mapsEqual(got, want) {
				t.Errorf("proxy Counts() = %v, want %v (unauthenticated requests included)", got, want)
			}
			if p.Writes() != 3 || p.Count("", "") != 8 || p.Count("get", "segments") != 2 {
				t.Errorf("Writes %d, Count %d", p.Writes(), p.Count("", ""))
			}
			if got := p.Created(routeSegments); !slices.Equal(got, []string{seg.ID}) {
				t.Errorf("Created() = %v, want [%s]", got, seg.ID)
			}
			p.ResetCounts()
			if p.Count("", "") != 0 || p.Writes() != 0 || len(p.Created(routeSegments)) != 1 {
				t.Errorf("ResetCounts: %v, %d writes, created %v", p.Counts(), p.Writes(), p.Created(routeSegments))
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestProxyFaults(t *testing.T) {
	s, p, c := newProxied(t, Options{})
	p.InjectFault(Fault{Method: "POST", Route: "segments", Status: 429, RetryAfter: "1", Body: "slow down"})
	a := c.send(http.MethodPost, segmentsPath(ProjectID), `{"name":"x"}`)
	if a.status != 429 || string(a.body) != "slow down" || a.header.Get("Retry-After") != "1" {
		t.Fatalf("got %d %q Retry-After %q", a.status, a.body, a.header.Get("Retry-After"))
	}
	if n := len(s.Segments(ProjectID, true)); n != 0 || s.Count("", "") != 0 {
		t.Fatalf("a faulted request reached the API: %d segments, %v", n, s.Counts())
	}

	// The API saves the segment, then the answer is lost.
	p.InjectFault(Fault{Method: "POST", DropAfterWrite: true})
	if _, err := c.try(t.Context(), http.MethodPost, segmentsPath(ProjectID), `{"name":"lost"}`); err == nil {
		t.Fatal("the dropped request got an answer")
	}
	// The API saves the segment, then a gateway answers 503.
	p.InjectFault(Fault{Method: "POST", AfterWrite: true, Status: 503})
	c.send(http.MethodPost, segmentsPath(ProjectID), `{"name":"gateway"}`).want(t, 503, nil)
	segs := s.Segments(ProjectID, false)
	if len(segs) != 2 || segs[0].Name != "lost" || segs[1].Name != "gateway" {
		t.Fatalf("the API holds %+v, want both segments written", segs)
	}
	if got := p.Created(routeSegments); !slices.Equal(got, ids(segs)) {
		t.Fatalf("Created() = %v, want %v", got, ids(segs))
	}
	if p.Count("POST", "segments") != 3 {
		t.Fatalf("counts %v", p.Counts())
	}

	p.InjectFault(Fault{Route: "segments", Hang: true})
	if err := c.getWithin(100*time.Millisecond, segmentsPath(ProjectID)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline", err)
	}
	p.InjectFault(Fault{Status: 500, Times: 5})
	p.ClearFaults()
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t)
}

func TestProxyFaultOnTheFakeToo(t *testing.T) {
	s, c := newClient(t, Options{})
	s.InjectFault(Fault{Method: "POST", AfterWrite: true, Status: 504})
	c.send(http.MethodPost, segmentsPath(ProjectID), `{"name":"gateway"}`).want(t, 504, nil)
	if segs := s.Segments(ProjectID, false); len(segs) != 1 {
		t.Fatalf("stored %+v, want the segment written before the 504", segs)
	}
}

// Close unblocks a hanging request: it ends without an answer.
func TestProxyClose(t *testing.T) {
	_, p, c := newProxied(t, Options{})
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t) // counted: 1; the POST reuses its connection

	p.InjectFault(Fault{Hang: true})
	done := make(chan error, 1)
	go func() {
		// A POST: net/http retries a GET whose reused connection closes unanswered.
		_, err := c.try(context.WithoutCancel(t.Context()), http.MethodPost, segmentsPath(ProjectID), `{"name":"x"}`)
		done <- err
	}()
	for p.Count("", "") < 2 { // the POST reached the proxy
		time.Sleep(time.Millisecond)
	}
	p.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the hanging request got an answer after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not unblock the hanging request")
	}
}

// An API that cannot be reached: the proxy answers 502 as a gateway does.
func TestProxyAPIUnreachable(t *testing.T) {
	p, url := NewTestProxy(t, "http://127.0.0.1:1")
	c := &client{t: t, base: url, auth: jwtAuth}
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).wantMsg(t, http.StatusBadGateway,
		"tiledesktest proxy: dial tcp 127.0.0.1:1: connect: connection refused")
	if p.Count("GET", "segments") != 1 {
		t.Fatalf("counts %v", p.Counts())
	}
	if _, err := NewProxy("127.0.0.1:3000"); err == nil {
		t.Fatal("NewProxy accepted a URL without scheme")
	}
}
