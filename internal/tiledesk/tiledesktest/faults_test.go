package tiledesktest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestFaultStatusBodyAndRetryAfter(t *testing.T) {
	tests := []struct {
		name        string
		fault       Fault
		contentType string
		body        string
	}{
		{"default JSON body", Fault{Status: 503, RetryAfter: "2"}, contentJSON, `{"success":false,"msg":"Service Unavailable"}`},
		{"HTML from a proxy", Fault{Status: 502, Body: "<html>Bad gateway</html>"}, contentHTML, "<html>Bad gateway</html>"},
		{"plain text", Fault{Status: 429, Body: "slow down"}, contentText, "slow down"},
		{"given content type", Fault{Status: 500, Body: "{}", ContentType: "application/problem+json"}, "application/problem+json", "{}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newClient(t, Options{})
			s.InjectFault(tt.fault)
			a := c.send(http.MethodGet, segmentsPath(ProjectID), nil)
			if a.status != tt.fault.Status || a.header.Get("Content-Type") != tt.contentType || string(a.body) != tt.body ||
				a.header.Get("Retry-After") != tt.fault.RetryAfter {
				t.Fatalf("got %d %q %q Retry-After %q", a.status, a.header.Get("Content-Type"), a.body, a.header.Get("Retry-After"))
			}
			c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t) // used up
		})
	}
}

func TestFaultTimesMethodAndRoute(t *testing.T) {
	s, c := newClient(t, Options{})
	s.InjectFault(Fault{Method: "POST", Route: "segments", Times: 2, Status: 503})
	s.InjectFault(Fault{Route: "segment", Status: 500, Times: 1})
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t) // GET: not the POST fault
	for range 2 {
		c.send(http.MethodPost, segmentsPath(ProjectID), `{"name":"x"}`).want(t, 503, nil)
	}
	seg := c.create(ProjectID, `{"name":"x"}`)
	c.send(http.MethodGet, segmentPath(ProjectID, seg.ID), nil).want(t, 500, nil)
	c.send(http.MethodGet, segmentPath(ProjectID, seg.ID), nil).object(t)
	if n := len(s.Segments(ProjectID, false)); n != 1 {
		t.Fatalf("%d segments stored, want 1: faulted POSTs must not write", n)
	}
	if got := s.Count(http.MethodPost, "segments"); got != 3 {
		t.Fatalf("POST count %d, want 3 (faulted ones included)", got)
	}
	s.InjectFault(Fault{Status: 500, Times: 5})
	s.ClearFaults()
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t)
}

func TestFaultDropAfterWrite(t *testing.T) {
	s, c := newClient(t, Options{})
	s.InjectFault(Fault{Method: "POST", DropAfterWrite: true})
	_, err := c.try(t.Context(), http.MethodPost, segmentsPath(ProjectID), `{"name":"lost answer"}`)
	if err == nil {
		t.Fatal("the dropped request got an answer")
	}
	segs := s.Segments(ProjectID, false)
	if len(segs) != 1 || segs[0].Name != "lost answer" {
		t.Fatalf("stored %+v, want the segment written", segs)
	}
}

func TestFaultHang(t *testing.T) {
	s, c := newClient(t, Options{})
	s.InjectFault(Fault{Route: "segments", Hang: true})
	if err := c.getWithin(100*time.Millisecond, segmentsPath(ProjectID)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline", err)
	}
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t)
}

func TestCloseUnblocksHangingRequests(t *testing.T) {
	s, c := newClient(t, Options{})
	s.InjectFault(Fault{Hang: true})
	done := make(chan error, 1)
	go func() {
		_, err := c.try(context.WithoutCancel(t.Context()), http.MethodGet, segmentsPath(ProjectID), nil)
		done <- err
	}()
	for s.Count("", "") == 0 {
		time.Sleep(time.Millisecond)
	}
	s.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the hanging request got an answer after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not unblock the hanging request")
	}
}

func TestFaultRate(t *testing.T) {
	pattern := func() []int {
		s, c := newClient(t, Options{})
		s.InjectFault(Fault{Route: "segments", Rate: 0.3, Status: 503})
		var out []int
		for range 100 {
			out = append(out, c.send(http.MethodGet, segmentsPath(ProjectID), nil).status)
		}
		return out
	}
	first, second := pattern(), pattern()
	faulted := 0
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("request %d: %d then %d: the rate is not deterministic", i, first[i], second[i])
		}
		if first[i] == 503 {
			faulted++
		}
	}
	if faulted < 10 || faulted > 50 {
		t.Fatalf("%d of 100 faulted at rate 0.3", faulted)
	}

	s, c := newClient(t, Options{})
	s.InjectFault(Fault{Rate: 0.5, Times: 3, Status: 503})
	faulted = 0
	for range 50 {
		if c.send(http.MethodGet, segmentsPath(ProjectID), nil).status == 503 {
			faulted++
		}
	}
	if faulted != 3 {
		t.Fatalf("%d faulted, want Times=3 to cap the rate", faulted)
	}
}

func TestCountsAndWrites(t *testing.T) {
	s, c := newClient(t, Options{})
	seg := c.create(ProjectID, `{"name":"x"}`)
	c.send(http.MethodGet, segmentPath(ProjectID, seg.ID), nil).object(t)
	c.send(http.MethodPut, segmentPath(ProjectID, seg.ID), `{"name":"y"}`).object(t)
	c.send(http.MethodDelete, segmentPath(ProjectID, seg.ID), nil).object(t)
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t)
	c.send(http.MethodGet, "/"+ProjectID+"/leads", nil).object(t)
	c.send(http.MethodPost, "/auth/signin", map[string]string{"email": Email, "password": Password}).object(t)
	c.auth = "Bearer x"
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).want(t, 401, nil)

	want := map[string]int{"POST segments": 1, "GET segment": 1, "PUT segment": 1, "DELETE segment": 1,
		"GET segments": 1, "GET leads": 1, "POST signin": 1}
	got := s.Counts()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Counts()[%q] = %d, want %d", k, got[k], v)
		}
	}
	if len(got) != len(want) || s.Writes() != 3 || s.Count("", "") != 7 || s.Count("GET", "") != 3 || s.Count("", "segment") != 3 {
		t.Fatalf("Counts %v, Writes %d", got, s.Writes())
	}
	s.ResetCounts()
	if s.Count("", "") != 0 || s.Writes() != 0 {
		t.Fatal("ResetCounts left counts")
	}
}

// Latency holds each request before it is handled: with an hour of it, a
// request gets no answer and never reaches its route (not counted there).
func TestLatency(t *testing.T) {
	s, c := newClient(t, Options{Latency: time.Hour})
	if err := c.getWithin(100*time.Millisecond, segmentsPath(ProjectID)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want no answer", err)
	}
	if n := s.Count(http.MethodGet, "segments"); n != 0 {
		t.Fatalf("the route handled %d requests, want 0: the latency did not hold it", n)
	}
}

func TestFaultAfter(t *testing.T) {
	s, c := newClient(t, Options{})
	s.InjectFault(Fault{Method: "GET", Route: "segments", Status: 400, After: 2})
	for i, want := range []int{200, 200, 400, 200} {
		if a := c.send(http.MethodGet, segmentsPath(ProjectID), nil); a.status != want {
			t.Errorf("request %d: %d, want %d", i+1, a.status, want)
		}
	}
}
