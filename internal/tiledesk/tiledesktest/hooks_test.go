package tiledesktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestParallelCreates(t *testing.T) {
	s, c := newClient(t, Options{})
	const n = 100
	idc := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var seg Segment
			a, err := c.try(t.Context(), http.MethodPost, segmentsPath(ProjectID), fmt.Sprintf(`{"name":"s%d"}`, i))
			if err != nil || a.status != 200 || json.Unmarshal(a.body, &seg) != nil {
				t.Errorf("POST %d: %v %d %s", i, err, a.status, a.body)
			}
			idc <- seg.ID
			c.send(http.MethodGet, segmentsPath(ProjectID), nil)
		})
	}
	wg.Wait()
	close(idc)
	seen := map[string]bool{}
	for id := range idc {
		seen[id] = true
	}
	if len(seen) != n || s.Writes() != n {
		t.Fatalf("%d distinct ids, %d writes, want %d", len(seen), s.Writes(), n)
	}
	if _, count, _ := c.list(ProjectID, ""); count != n {
		t.Fatalf("count %d", count)
	}
}

func TestHooks(t *testing.T) {
	s, c := newClient(t, Options{})
	seg := s.Seed(ProjectID, Segment{Name: "seeded", Filters: []Filter{filter("email", "=", "x")}})
	if !objectIDPattern.MatchString(seg.ID) || seg.Status != 100 || seg.Match != "all" || seg.CreatedBy != UserID ||
		seg.ProjectID != ProjectID || seg.CreatedAt.IsZero() || !seg.UpdatedAt.Equal(seg.CreatedAt) {
		t.Fatalf("Seed = %+v", seg)
	}
	got, _ := s.Get(seg.ID)
	got.Filters[0].Value[1] = 'Y' // a deep copy: the store must not change
	got.Filters[0].Field = "changed"
	if again, _ := s.Get(seg.ID); string(again.Filters[0].Value) != `"x"` || again.Filters[0].Field != "email" {
		t.Fatalf("Get returned shared memory: %+v", again)
	}
	var answered Segment
	c.send(http.MethodGet, segmentPath(ProjectID, strings.ToUpper(seg.ID)), nil).want(t, 200, &answered)
	if answered.ID != seg.ID {
		t.Fatalf("upper case id: %+v", answered)
	}

	if !s.Edit(seg.ID, func(x *Segment) { x.Name, x.ID = "edited", "other" }) || s.Edit("6750c0ffee0000000000dead", nil) {
		t.Fatal("Edit result")
	}
	if got, _ := s.Get(seg.ID); got.Name != "edited" || !got.UpdatedAt.After(seg.UpdatedAt) {
		t.Fatalf("after Edit: %+v", got)
	}
	deleted := s.Seed(ProjectID, Segment{Name: "deleted"})
	if !s.SoftDelete(deleted.ID) {
		t.Fatal("SoftDelete")
	}
	if all, live := s.Segments(ProjectID, true), s.Segments(ProjectID, false); len(all) != 2 || len(live) != 1 ||
		all[0].ID != seg.ID || all[1].Status != 0 {
		t.Fatalf("Segments: all %+v live %+v", all, live)
	}
	if !s.HardDelete(seg.ID) || s.HardDelete(seg.ID) {
		t.Fatal("HardDelete result")
	}
	c.send(http.MethodGet, segmentPath(ProjectID, seg.ID), nil).wantMsg(t, 404, msgNotFound)
	if s.Count("", "") != 2 {
		t.Fatalf("hooks were counted: %v", s.Counts())
	}

	l := s.AddLead(ProjectID, Lead{Fullname: "Ann", Attributes: map[string]any{"n": 1}})
	if !objectIDPattern.MatchString(l.ID) || l.LeadID != l.ID || l.CreatedAt.IsZero() || l.ProjectID != ProjectID ||
		l.Attributes["n"] != 1.0 {
		t.Fatalf("AddLead = %+v", l)
	}
}
