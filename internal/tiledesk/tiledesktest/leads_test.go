package tiledesktest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"
)

// seedLeads adds the leads the filter tests match, oldest first.
func seedLeads(s *Server) {
	for _, l := range []Lead{
		{Fullname: "Ann", Email: "ann@example.it", Tags: []string{"vip", "it"},
			Attributes: map[string]any{"plan": "premium", "orders": 5, "nested": map[string]any{"level": "gold"}}},
		{Fullname: "Bob", Email: "bob@example.com", Tags: []string{"new"},
			Attributes: map[string]any{"plan": "free", "orders": "3", "note": nil}},
		{Fullname: "Cid", Email: "CID@EXAMPLE.IT", Company: "Acme", Attributes: map[string]any{"orders": 3}},
		{Fullname: "Dee", Phone: "+39 333"},
	} {
		s.AddLead(ProjectID, l)
	}
	s.AddLead(OtherProjectID, Lead{Fullname: "Eve", Email: "eve@example.it"})
}

type leadsPage struct {
	PerPage int               `json:"perPage"`
	Count   int               `json:"count"`
	Leads   []json.RawMessage `json:"leads"`
}

func (c *client) leads(query string) leadsPage {
	c.t.Helper()
	var p leadsPage
	c.send(http.MethodGet, "/"+ProjectID+"/leads"+query, nil).want(c.t, http.StatusOK, &p)
	return p
}

func names(t *testing.T, p leadsPage) []string {
	t.Helper()
	out := []string{}
	for _, raw := range p.Leads {
		var l Lead
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l.Fullname)
	}
	slices.Sort(out)
	return out
}

func filter(field, op string, value any) Filter {
	raw, _ := json.Marshal(value)
	return Filter{Field: field, Operator: op, Value: raw}
}

func TestLeadFilters(t *testing.T) {
	tests := []struct {
		name    string
		match   string
		filters []Filter
		want    []string
	}{
		{"no filters", "all", nil, []string{"Ann", "Bob", "Cid", "Dee"}},
		{"= string", "all", []Filter{filter("attributes.plan", "=", "premium")}, []string{"Ann"}},
		{"= number is type-strict", "all", []Filter{filter("attributes.orders", "=", 3)}, []string{"Cid"}},
		{"= string is type-strict", "all", []Filter{filter("attributes.orders", "=", "3")}, []string{"Bob"}},
		{"= on an array field", "all", []Filter{filter("tags", "=", "vip")}, []string{"Ann"}},
		{"= nested path", "all", []Filter{filter("attributes.nested.level", "=", "gold")}, []string{"Ann"}},
		{"!= includes missing", "all", []Filter{filter("attributes.plan", "!=", "premium")}, []string{"Bob", "Cid", "Dee"}},
		{"!= on an array field", "all", []Filter{filter("tags", "!=", "new")}, []string{"Ann", "Cid", "Dee"}},
		{"> number", "all", []Filter{filter("attributes.orders", ">", 3)}, []string{"Ann"}},
		{">= number ignores strings", "all", []Filter{filter("attributes.orders", ">=", 3)}, []string{"Ann", "Cid"}},
		{">= string ignores numbers", "all", []Filter{filter("attributes.orders", ">=", "3")}, []string{"Bob"}},
		{"> string", "all", []Filter{filter("fullname", ">", "Bob")}, []string{"Cid", "Dee"}},
		{"contains is a case-sensitive regexp", "all", []Filter{filter("email", "contains", `\.it$`)}, []string{"Ann"}},
		{"contains on an array field", "all", []Filter{filter("tags", "contains", "^ne")}, []string{"Bob"}},
		{"contains with a number", "all", []Filter{filter("attributes.orders", "contains", 3)}, []string{}},
		{"is null means missing", "all", []Filter{filter("email", "is null", "")}, []string{"Dee"}},
		{"is not null means present", "all", []Filter{filter("attributes.note", "is not null", "")}, []string{"Bob"}},
		{"unknown operator ignored", "all", []Filter{filter("email", "like", "x")}, []string{"Ann", "Bob", "Cid", "Dee"}},
		{"filters on id_project and status are overridden", "all",
			[]Filter{filter("id_project", "=", OtherProjectID), filter("status", "=", 0)}, []string{"Ann", "Bob", "Cid", "Dee"}},
		{"a later filter on a field replaces the earlier", "all",
			[]Filter{filter("attributes.plan", "=", "premium"), filter("attributes.plan", "=", "free")}, []string{"Bob"}},
		{"match any is still ANDed", "any",
			[]Filter{filter("attributes.plan", "=", "premium"), filter("company", "=", "Acme")}, []string{}},
		{"match all ANDs", "all",
			[]Filter{filter("email", "contains", "EXAMPLE"), filter("tags", "is null", "")}, []string{"Cid"}},
	}
	s, c := newClient(t, Options{})
	seedLeads(s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seg := s.Seed(ProjectID, Segment{Name: tt.name, Match: tt.match, Filters: tt.filters})
			p := c.leads("?segment=" + seg.ID)
			if got := names(t, p); !slices.Equal(got, tt.want) || p.Count != len(tt.want) {
				t.Fatalf("leads %v (count %d), want %v", got, p.Count, tt.want)
			}
		})
	}
}

func TestLeadErrors(t *testing.T) {
	s, c := newClient(t, Options{})
	seedLeads(s)
	bad := s.Seed(ProjectID, Segment{Name: "bad regexp", Filters: []Filter{filter("email", "contains", "(")}})
	// An invalid regex makes the lead query fail, and the route never answers.
	if err := c.getWithin(100*time.Millisecond, "/"+ProjectID+"/leads?segment="+bad.ID); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("invalid regexp: got %v, want no answer", err)
	}
	replaced := s.Seed(ProjectID, Segment{Name: "bad regexp replaced",
		Filters: []Filter{filter("email", "contains", "("), filter("email", "=", "ann@example.it")}})
	if got := names(t, c.leads("?segment="+replaced.ID)); !slices.Equal(got, []string{"Ann"}) {
		t.Fatalf("replaced bad regexp: %v", got)
	}
	// A malformed segment id throws in the async route: no answer either.
	if err := c.getWithin(100*time.Millisecond, "/"+ProjectID+"/leads?segment=nope"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("malformed segment id: got %v, want no answer", err)
	}
	c.send(http.MethodGet, "/"+ProjectID+"/leads?segment=6750c0ffee0000000000beef", nil).wantMsg(t, 404, msgSegmentNotFound)
	foreign := s.Seed(OtherProjectID, Segment{Name: "theirs"})
	c.send(http.MethodGet, "/"+ProjectID+"/leads?segment="+foreign.ID, nil).wantMsg(t, 404, msgSegmentNotFound)
	// A PUT-born ghost has no project: not found either.
	c.send(http.MethodPut, segmentPath(ProjectID, "6750c0ffee0000000000face"), `{"name":"ghost"}`).object(t)
	c.send(http.MethodGet, "/"+ProjectID+"/leads?segment=6750c0ffee0000000000face", nil).wantMsg(t, 404, msgSegmentNotFound)
}

func TestLeadsOfASoftDeletedSegment(t *testing.T) {
	s, c := newClient(t, Options{})
	seedLeads(s)
	seg := s.Seed(ProjectID, Segment{Name: "deleted", Filters: []Filter{filter("company", "=", "Acme")}})
	s.SoftDelete(seg.ID)
	if got := names(t, c.leads("?segment="+seg.ID)); !slices.Equal(got, []string{"Cid"}) {
		t.Fatalf("leads of a deleted segment: %v", got)
	}
}

func TestStartsWithNeverAnswers(t *testing.T) {
	s, c := newClient(t, Options{})
	seedLeads(s)
	seg := s.Seed(ProjectID, Segment{Name: "sw", Filters: []Filter{filter("email", "starts with", "ann")}})
	// No answer: the client's deadline ends the request, not an answer nor
	// a dropped connection.
	if err := c.getWithin(150*time.Millisecond, "/"+ProjectID+"/leads?segment="+seg.ID); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("starts with: got %v, want no answer", err)
	}
	if s.Count(http.MethodGet, "leads") != 1 {
		t.Fatalf("counts %v", s.Counts())
	}
}

func TestLeadListShapeAndPaging(t *testing.T) {
	s, c := newClient(t, Options{Now: clock})
	seedLeads(s)
	p := c.leads("?limit=3")
	if p.PerPage != 3 || p.Count != 4 || len(p.Leads) != 3 {
		t.Fatalf("page = %d %d %d", p.PerPage, p.Count, len(p.Leads))
	}
	var first map[string]any
	if err := json.Unmarshal(p.Leads[0], &first); err != nil {
		t.Fatal(err)
	}
	// Newest first: Dee has only a name and a phone.
	want := map[string]any{"fullname": "Dee", "phone": "+39 333", "id_project": ProjectID, "status": 100.0,
		"createdAt": "2026-11-28T10:00:00.003Z", "updatedAt": "2026-11-28T10:00:00.003Z"}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s = %v, want %v", k, first[k], v)
		}
	}
	for _, k := range []string{"_id", "lead_id"} {
		if id, _ := first[k].(string); !objectIDPattern.MatchString(id) {
			t.Errorf("%s = %v", k, first[k])
		}
	}
	for _, absent := range []string{"email", "tags", "attributes", "company"} {
		if _, ok := first[absent]; ok {
			t.Errorf("lead has %s", absent)
		}
	}
	if got := names(t, c.leads("?limit=3&page=1")); !slices.Equal(got, []string{"Ann"}) {
		t.Fatalf("page 1: %v", got)
	}
	if d := c.leads("?sort=fullname&direction=1&limit=1"); names(t, d)[0] != "Ann" {
		t.Fatalf("sorted by fullname: %v", names(t, d))
	}
	if p := c.leads(""); p.PerPage != 40 || p.Count != 4 {
		t.Fatalf("defaults: perPage %d count %d", p.PerPage, p.Count)
	}
}
