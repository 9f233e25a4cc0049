package tiledesk

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// seedLeads adds n leads with the given plan to the project.
func seedLeads(fake *tiledesktest.Server, project, plan string, n int) map[string]bool {
	ids := map[string]bool{}
	for i := range n {
		l := fake.AddLead(project, tiledesktest.Lead{
			Fullname: fmt.Sprintf("%s %d", plan, i), Email: fmt.Sprintf("%s%d@example.it", plan, i),
			Tags: []string{plan}, Attributes: map[string]any{"plan": plan},
		})
		ids[l.ID] = true
	}
	return ids
}

func TestListLeadsOfSegment(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ctx := t.Context()
	premium := seedLeads(fake, tiledesktest.ProjectID, "premium", 45)
	seedLeads(fake, tiledesktest.ProjectID, "basic", 10)
	seedLeads(fake, tiledesktest.OtherProjectID, "premium", 5)
	seg, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{
		Name: "premium", Match: MatchAll, Filters: []Filter{rawFilter("attributes.plan", "=", `"premium"`)},
	})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name        string
		segment     string
		max         int
		wantLen     int
		wantTotal   int
		wantFetches int
	}{
		{"capped", seg.ID, 30, 30, 45, 1},
		{"all", seg.ID, 0, 45, 45, 1},
		{"cap above count", seg.ID, 100, 45, 45, 1},
		{"cap equals count", seg.ID, 45, 45, 45, 1},
		{"whole project", "", 0, 55, 55, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.ResetCounts()
			leads, total, err := c.ListLeads(ctx, tiledesktest.ProjectID, tt.segment, tt.max)
			if err != nil {
				t.Fatal(err)
			}
			if len(leads) != tt.wantLen || total != tt.wantTotal {
				t.Errorf("%d leads of %d, want %d of %d", len(leads), total, tt.wantLen, tt.wantTotal)
			}
			if n := fake.Count("GET", "leads"); n != tt.wantFetches {
				t.Errorf("%d requests, want %d", n, tt.wantFetches)
			}
			seen := map[string]bool{}
			for _, l := range leads {
				if seen[l.ID] {
					t.Errorf("lead %s returned twice", l.ID)
				}
				seen[l.ID] = true
				if tt.segment != "" && (!premium[l.ID] || !reflect.DeepEqual(l.Tags, []string{"premium"})) {
					t.Errorf("lead %+v is not a premium lead", l)
				}
				if l.LeadID == "" || l.Email == "" || l.CreatedAt.IsZero() || l.Attributes["plan"] == nil {
					t.Errorf("lead not fully read: %+v", l)
				}
			}
		})
	}
}

func TestListLeadsWalksPages(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ids := seedLeads(fake, tiledesktest.ProjectID, "gold", 230)
	seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{
		Name:    "gold",
		Filters: []tiledesktest.Filter{{Field: "attributes.plan", Operator: "=", Value: json.RawMessage(`"gold"`)}},
	})
	for _, tt := range []struct{ max, want, fetches int }{{0, 230, 3}, {150, 150, 2}, {200, 200, 2}} {
		t.Run(fmt.Sprint(tt.max), func(t *testing.T) {
			fake.ResetCounts()
			leads, total, err := c.ListLeads(t.Context(), tiledesktest.ProjectID, seg.ID, tt.max)
			if err != nil {
				t.Fatal(err)
			}
			if len(leads) != tt.want || total != 230 {
				t.Errorf("%d leads of %d, want %d of 230", len(leads), total, tt.want)
			}
			seen := map[string]bool{}
			for _, l := range leads {
				if seen[l.ID] || !ids[l.ID] {
					t.Errorf("lead %s duplicated or unknown", l.ID)
				}
				seen[l.ID] = true
			}
			if n := fake.Count("GET", "leads"); n != tt.fetches {
				t.Errorf("%d requests, want %d", n, tt.fetches)
			}
		})
	}
}

// Filter values keep their JSON type end to end: >= 3 matches the number
// 5, not the string "5".
func TestLeadMatchingKeepsValueType(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	num := fake.AddLead(tiledesktest.ProjectID, tiledesktest.Lead{Email: "n@x.it", Attributes: map[string]any{"orders": 5}})
	fake.AddLead(tiledesktest.ProjectID, tiledesktest.Lead{Email: "s@x.it", Attributes: map[string]any{"orders": "5"}})
	seg, err := Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{
		Name: "buyers", Match: MatchAll, Filters: []Filter{rawFilter("attributes.orders", ">=", `3`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	leads, total, err := c.ListLeads(t.Context(), tiledesktest.ProjectID, seg.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(leads) != 1 || leads[0].ID != num.ID {
		t.Errorf("got %d leads (%+v), want only the numeric one", total, leads)
	}
}

func TestListLeadsPageQuery(t *testing.T) {
	var got url.Values
	var path string
	c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		got, path = r.URL.Query(), r.URL.Path
		writeJSONBody(w, 200, `{"perPage":20,"count":41,"leads":[{"_id":"l1","lead_id":"u1"}]}`)
	}, nil)
	p, err := c.ListLeadsPage(t.Context(), tiledesktest.ProjectID, LeadListOptions{SegmentID: "6750c0ffee0000000000abcd", Limit: 20, Page: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"segment": {"6750c0ffee0000000000abcd"}, "limit": {"20"}, "page": {"2"}}
	if !reflect.DeepEqual(got, want) || path != "/"+tiledesktest.ProjectID+"/leads" {
		t.Errorf("request %s?%v, want query %v", path, got, want)
	}
	if p.PerPage != 20 || p.Count != 41 || len(p.Leads) != 1 || p.Leads[0].ID != "l1" || p.Leads[0].LeadID != "u1" {
		t.Errorf("page = %+v", p)
	}
	if _, err := c.ListLeadsPage(t.Context(), tiledesktest.ProjectID, LeadListOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("zero options sent the query %v", got)
	}
}

func TestLeadUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		json string
		want Lead
	}{
		{"full", `{"_id":"m1","lead_id":"u1","fullname":"Ada L","email":"ada@example.it","phone":"+39 1","company":"ACME",
			"tags":["vip",{"tag":"beta","color":"#f00"}],"attributes":{"plan":"premium","orders":3},"createdAt":"2026-11-28T10:00:00.250Z"}`,
			Lead{ID: "m1", LeadID: "u1", Fullname: "Ada L", Email: "ada@example.it", Phone: "+39 1", Company: "ACME",
				Tags: []string{"vip", "beta"}, Attributes: map[string]any{"plan": "premium", "orders": float64(3)},
				CreatedAt: time.Date(2026, 11, 28, 10, 0, 0, 250_000_000, time.UTC)}},
		{"tags as strings", `{"_id":"m","tags":["a","b"]}`, Lead{ID: "m", Tags: []string{"a", "b"}}},
		{"tags as objects", `{"_id":"m","tags":[{"tag":"a"},{"tag":"b","_id":"t"}]}`, Lead{ID: "m", Tags: []string{"a", "b"}}},
		{"odd tags skipped", `{"_id":"m","tags":[{"name":"x"},{"tag":""},3,null,"ok"]}`, Lead{ID: "m", Tags: []string{"ok"}}},
		{"id fallback", `{"id":"m2"}`, Lead{ID: "m2"}},
		{"bad createdAt", `{"_id":"m","createdAt":"not a time"}`, Lead{ID: "m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Lead
			if err := json.Unmarshal([]byte(tt.json), &l); err != nil {
				t.Fatal(err)
			}
			if !l.CreatedAt.Equal(tt.want.CreatedAt) {
				t.Errorf("CreatedAt = %v, want %v", l.CreatedAt, tt.want.CreatedAt)
			}
			l.CreatedAt, tt.want.CreatedAt = time.Time{}, time.Time{}
			if !reflect.DeepEqual(l, tt.want) {
				t.Errorf("got %+v, want %+v", l, tt.want)
			}
		})
	}
}

// Tags as {"tag": ...} objects, through the client.
func TestListLeadsTagObjects(t *testing.T) {
	c := newHandlerClient(t, func(w http.ResponseWriter, _ *http.Request) {
		writeJSONBody(w, 200, `{"perPage":100,"count":2,"leads":[
			{"_id":"a","tags":["x",{"tag":"y"}]},
			{"_id":"b","tags":[{"tag":"z","color":"red"}]}]}`)
	}, nil)
	leads, total, err := c.ListLeads(t.Context(), tiledesktest.ProjectID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(leads) != 2 {
		t.Fatalf("%d leads of %d", len(leads), total)
	}
	if !reflect.DeepEqual(leads[0].Tags, []string{"x", "y"}) || !reflect.DeepEqual(leads[1].Tags, []string{"z"}) {
		t.Errorf("tags = %v, %v", leads[0].Tags, leads[1].Tags)
	}
}

// The 2.19 server never answers the lead list of a segment with a "starts
// with" filter: the client's timeout ends it with a clear error.
func TestListLeadsStartsWithTimesOut(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, func(c *Config) { c.Timeout = 200 * time.Millisecond })
	seedLeads(fake, tiledesktest.ProjectID, "premium", 3)
	seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{
		Name:    "starts",
		Filters: []tiledesktest.Filter{{Field: "email", Operator: "starts with", Value: json.RawMessage(`"premium"`)}},
	})
	_, _, err := c.ListLeads(t.Context(), tiledesktest.ProjectID, seg.ID, 10)
	// The client's timeout ended it, after one attempt (a hung server would
	// only hang again).
	e := asRequestError(t, err)
	if Classify(err) != KindTimeout || e.Timeout != 200*time.Millisecond || e.Attempts != 1 {
		t.Errorf("RequestError = %+v", e)
	}
	if msg := err.Error(); !strings.Contains(msg, "/leads") || !strings.Contains(msg, "timeout of 200ms") {
		t.Errorf("Error() = %q", msg)
	}
	if n := fake.Count("GET", "leads"); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}
