package tiledesktest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAdminSurface(t *testing.T) {
	s, c := newClient(t, Options{BasePath: "/v3"})
	admin := &client{t: t, base: strings.TrimSuffix(c.base, "/v3") + "/__fake"} // no auth, outside BasePath
	seg := c.create(ProjectID, `{"name":"a"}`)

	var counts map[string]int
	admin.send(http.MethodGet, "/counts", nil).want(t, 200, &counts)
	if counts["POST segments"] != 1 || counts["writes"] != 1 {
		t.Fatalf("counts %v", counts)
	}
	admin.send(http.MethodPost, "/reset-counts", nil).want(t, 204, nil)
	if s.Count("", "") != 0 {
		t.Fatal("reset-counts")
	}

	var got Segment
	admin.send(http.MethodPatch, "/segments/"+seg.ID, `{"name":"renamed","filters":[]}`).want(t, 200, &got)
	if got.Name != "renamed" || got.Match != "all" || len(got.Filters) != 0 || !got.UpdatedAt.After(seg.UpdatedAt) {
		t.Fatalf("PATCH = %+v", got)
	}
	admin.send(http.MethodGet, "/segments/"+seg.ID, nil).want(t, 200, &got)
	admin.send(http.MethodDelete, "/segments/"+seg.ID, nil).want(t, 200, &got)
	if got.Status != 0 {
		t.Fatalf("soft delete = %+v", got)
	}
	admin.send(http.MethodDelete, "/segments/"+seg.ID+"?hard=true", nil).want(t, 200, nil)
	admin.send(http.MethodGet, "/segments/"+seg.ID, nil).wantMsg(t, 404, msgNotFound)
	admin.send(http.MethodPatch, "/segments/"+seg.ID, `{"name":"x"}`).wantMsg(t, 404, msgNotFound)

	admin.send(http.MethodPost, "/faults", `{"method":"GET","route":"segments","status":503,"retry_after":"1","times":1}`).want(t, 204, nil)
	if a := c.send(http.MethodGet, segmentsPath(ProjectID), nil); a.status != 503 || a.header.Get("Retry-After") != "1" {
		t.Fatalf("injected fault: %d %v", a.status, a.header)
	}
	admin.send(http.MethodPost, "/faults", `{"status":500,"times":9}`).want(t, 204, nil)
	admin.send(http.MethodDelete, "/faults", nil).want(t, 204, nil)
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t)
	admin.send(http.MethodPost, "/faults", `{"times":`).want(t, 400, nil)

	var lead Lead
	admin.send(http.MethodPost, "/leads/"+ProjectID, `{"fullname":"Ann","attributes":{"plan":"premium"}}`).want(t, 200, &lead)
	if p := c.leads(""); p.Count != 1 || lead.Fullname != "Ann" || lead.ProjectID != ProjectID {
		t.Fatalf("lead %+v, count %d", lead, p.Count)
	}

	// An hour of latency holds a request before its route: no answer, not
	// counted; back to none, it is answered.
	admin.send(http.MethodPost, "/latency", `{"latency":"1h"}`).want(t, 204, nil)
	before := s.Count(http.MethodGet, "segments")
	if err := c.getWithin(100*time.Millisecond, segmentsPath(ProjectID)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("latency not applied: err = %v, want no answer", err)
	}
	if n := s.Count(http.MethodGet, "segments"); n != before {
		t.Fatalf("latency not applied: the route handled %d requests, want %d", n, before)
	}
	admin.send(http.MethodPost, "/latency", `{"latency":"0s"}`).want(t, 204, nil)
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t)
	admin.send(http.MethodPost, "/latency", `{"latency":"soon"}`).want(t, 400, nil)
}
