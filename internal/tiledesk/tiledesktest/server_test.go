package tiledesktest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCreateAnswersTheFullObject(t *testing.T) {
	_, c := newClient(t, Options{Now: clock})
	a := c.send(http.MethodPost, segmentsPath(ProjectID), `{"name":"Italian <premium>","filters":[
		{"field":"email","operator":"contains","value":"@example.it"},
		{"field":"attributes.orders","operator":">=","value":3},
		{"field":"attributes.orders","operator":"=","value":"3"},
		{"field":"vip","operator":"=","value":true},
		{"field":"x","operator":"=","value":{"b":1,"a":[1,"x"]}},
		{"field":"n","operator":"=","value":3.50},
		{"field":"z","operator":"=","value":0},
		{"field":"f","operator":"is null","value":false},
		{"field":"e","operator":"is null","value":""}]}`)
	got := a.object(t)
	if id, _ := got["_id"].(string); !objectIDPattern.MatchString(id) {
		t.Errorf("_id = %v, want 24 lower case hex digits", got["_id"])
	}
	want := map[string]any{
		"name": "Italian <premium>", "match": "all", "id_project": ProjectID, "status": 100.0,
		"createdBy": UserID, "createdAt": "2026-11-28T10:00:00.000Z", "updatedAt": "2026-11-28T10:00:00.000Z", "__v": 0.0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	var raw struct {
		Filters []struct{ Value json.RawMessage }
	}
	if err := json.Unmarshal(a.body, &raw); err != nil {
		t.Fatal(err)
	}
	values := []string{`"@example.it"`, `3`, `"3"`, `true`, `{"b":1,"a":[1,"x"]}`, `3.5`, `0`, `false`, `""`}
	if len(raw.Filters) != len(values) {
		t.Fatalf("filters = %s", a.body)
	}
	for i, f := range raw.Filters {
		if string(f.Value) != values[i] {
			t.Errorf("filter %d value = %s, want %s", i, f.Value, values[i])
		}
	}
}

func TestCreateIDsAreUniqueAndIncreasing(t *testing.T) {
	_, c := newClient(t, Options{})
	var last string
	for range 5 {
		id := c.create(ProjectID, map[string]any{"name": "n"}).ID
		if !objectIDPattern.MatchString(id) || id <= last {
			t.Fatalf("id %q after %q: want increasing ObjectIds", id, last)
		}
		last = id
	}
}

func TestCreateValidation(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		match      string // the stored match when accepted
	}{
		{"missing name", `{"match":"all"}`, 500, ""},
		{"null name", `{"name":null}`, 500, ""},
		{"empty name", `{"name":""}`, 500, ""},
		{"object name", `{"name":{}}`, 500, ""},
		{"filter without operator", `{"name":"n","filters":[{"field":"email","value":"x"}]}`, 500, ""},
		{"filter with empty field", `{"name":"n","filters":[{"field":"","operator":"=","value":"x"}]}`, 500, ""},
		{"filter with null value", `{"name":"n","filters":[{"field":"email","operator":"=","value":null}]}`, 500, ""},
		{"filter without value", `{"name":"n","filters":[{"field":"email","operator":"is null"}]}`, 500, ""},
		{"filter not an object", `{"name":"n","filters":["email"]}`, 500, ""},
		{"null match", `{"name":"n","match":null}`, 500, ""},
		{"empty match", `{"name":"n","match":""}`, 500, ""},
		{"match defaults to all", `{"name":"n"}`, 200, "all"},
		{"any match string kept", `{"name":"n","match":"whatever"}`, 200, "whatever"},
		{"falsy values accepted", `{"name":"n","filters":[{"field":"a","operator":"=","value":""},{"field":"b","operator":"=","value":0},{"field":"c","operator":"=","value":false}]}`, 200, "all"},
		{"number name cast", `{"name":42,"match":"any"}`, 200, "any"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newClient(t, Options{})
			a := c.send(http.MethodPost, segmentsPath(ProjectID), tt.body)
			if tt.status == 500 {
				a.wantMsg(t, 500, msgUpdateError)
				if n := len(s.Segments(ProjectID, true)); n != 0 {
					t.Fatalf("%d segments stored after a refused POST", n)
				}
				return
			}
			var seg Segment
			a.want(t, tt.status, &seg)
			if seg.Match != tt.match {
				t.Fatalf("match = %q, want %q", seg.Match, tt.match)
			}
		})
	}
}

func TestCreateBodyParsing(t *testing.T) {
	_, c := newClient(t, Options{})
	// The body parser runs first, its errors reach the app's error handler.
	c.send(http.MethodPost, segmentsPath(ProjectID), `{"name":`).wantJSON(t, 500, `{"err":"error"}`)
	c.send(http.MethodPost, segmentsPath(ProjectID), `"name"`).wantJSON(t, 500, `{"err":"error"}`)
	c.send(http.MethodPost, segmentsPath("not-a-project"), `{"name":`).wantJSON(t, 500, `{"err":"error"}`)
	c.send(http.MethodPost, segmentsPath(ProjectID), `{"name":"`+strings.Repeat("x", jsonBodyLimit)+`"}`).
		wantJSON(t, 413, `{"err":"Request entity too large","limit":512000}`)
	c.send(http.MethodPost, segmentsPath(ProjectID), `[{"name":"n"}]`).wantMsg(t, 500, msgUpdateError)
	// Without a JSON Content-Type express ignores the body: no name.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, c.base+segmentsPath(ProjectID), strings.NewReader(`{"name":"n"}`))
	req.Header.Set("Authorization", jwtAuth)
	req.Header.Set("Content-Type", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Fatalf("text/plain body: status %d, want 500", resp.StatusCode)
	}
	if seg := c.create(ProjectID, `{"name":"n"}  `); seg.Name != "n" {
		t.Fatalf("name = %q", seg.Name)
	}
}

func TestGetAnswersAnyStatusAndProject(t *testing.T) {
	s, c := newClient(t, Options{})
	other := c.create(OtherProjectID, map[string]any{"name": "other's"})
	var got Segment
	c.send(http.MethodGet, segmentPath(ProjectID, other.ID), nil).want(t, 200, &got)
	if got.ProjectID != OtherProjectID || got.Name != "other's" {
		t.Fatalf("GET through another project = %+v", got)
	}
	s.SoftDelete(other.ID)
	c.send(http.MethodGet, segmentPath(OtherProjectID, other.ID), nil).want(t, 200, &got)
	if got.Status != 0 {
		t.Fatalf("status = %d, want 0", got.Status)
	}
	c.send(http.MethodGet, segmentPath(ProjectID, "6750c0ffee000000000fffff"), nil).wantMsg(t, 404, msgNotFound)
}

func TestSoftDelete(t *testing.T) {
	_, c := newClient(t, Options{Now: clock})
	seg := c.create(ProjectID, map[string]any{"name": "doomed"})
	for range 2 { // deleting a deleted segment answers 200 again
		var del Segment
		c.send(http.MethodDelete, segmentPath(ProjectID, seg.ID), nil).want(t, 200, &del)
		if del.Status != 0 || del.Name != "doomed" || !del.UpdatedAt.After(seg.UpdatedAt) {
			t.Fatalf("DELETE answered %+v", del)
		}
		seg = del
	}
	var got Segment
	c.send(http.MethodGet, segmentPath(ProjectID, seg.ID), nil).want(t, 200, &got)
	if got.Status != 0 {
		t.Fatalf("GET after DELETE: status %d, want 0", got.Status)
	}
	if _, count, segs := c.list(ProjectID, ""); count != 0 || len(segs) != 0 {
		t.Fatalf("list after DELETE: count %d, %v", count, ids(segs))
	}
}

func TestUpsertCreatesGhosts(t *testing.T) {
	tests := []struct {
		method, body string
		status       int
	}{
		{http.MethodPut, `{"name":"ghost"}`, 100},
		{http.MethodDelete, "", 0},
	}
	for i, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			s, c := newClient(t, Options{})
			id := []string{"6750c0ffee0000000000aaaa", "6750c0ffee0000000000bbbb"}[i]
			var body any
			if tt.body != "" {
				body = tt.body
			}
			got := c.send(tt.method, segmentPath(ProjectID, id), body).object(t)
			if got["_id"] != id || got["status"] != float64(tt.status) || got["match"] != "all" ||
				!isoPattern.MatchString(got["createdAt"].(string)) || got["createdAt"] != got["updatedAt"] {
				t.Fatalf("ghost = %v", got)
			}
			for _, absent := range []string{"id_project", "createdBy"} {
				if _, ok := got[absent]; ok {
					t.Errorf("ghost has %s", absent)
				}
			}
			if _, count, _ := c.list(ProjectID, ""); count != 0 {
				t.Fatalf("ghost listed: count %d", count)
			}
			if g, ok := s.Get(id); !ok || g.ProjectID != "" {
				t.Fatalf("stored ghost = %+v, %v", g, ok)
			}
		})
	}
}

func TestUpdateChangesOnlySentKeys(t *testing.T) {
	_, c := newClient(t, Options{Now: clock})
	seg := c.create(ProjectID, `{"name":"a","match":"any","filters":[{"field":"email","operator":"=","value":"x"}]}`)
	steps := []struct {
		body        string
		name, match string
		filters     int
	}{
		{`{"name":"b"}`, "b", "any", 1},
		{`{"name":null,"match":null,"filters":null}`, "b", "any", 1},
		{`{"match":"all","status":0}`, "b", "all", 1},
		{`{"filters":[]}`, "b", "all", 0},
		{`{"name":"","filters":[{"field":"","operator":"x"}]}`, "", "all", 1}, // no validation on update
	}
	prev := seg
	for _, st := range steps {
		var got Segment
		c.send(http.MethodPut, segmentPath(ProjectID, seg.ID), st.body).want(t, 200, &got)
		if got.Name != st.name || got.Match != st.match || len(got.Filters) != st.filters || got.Status != 100 {
			t.Fatalf("PUT %s = %+v", st.body, got)
		}
		if !got.UpdatedAt.After(prev.UpdatedAt) || !got.CreatedAt.Equal(seg.CreatedAt) || got.ProjectID != ProjectID {
			t.Fatalf("PUT %s: timestamps or project wrong: %+v", st.body, got)
		}
		prev = got
	}
	c.send(http.MethodPut, segmentPath(ProjectID, seg.ID), `{"name":["x"]}`).wantMsg(t, 500, msgUpdateError)
}

func TestSingleRoutesIgnoreTheProjectInTheURL(t *testing.T) {
	s, c := newClient(t, Options{})
	seg := c.create(OtherProjectID, map[string]any{"name": "theirs"})
	var got Segment
	c.send(http.MethodPut, segmentPath(ProjectID, seg.ID), `{"name":"mine now"}`).want(t, 200, &got)
	if got.ProjectID != OtherProjectID || got.Name != "mine now" {
		t.Fatalf("PUT through another project = %+v", got)
	}
	c.send(http.MethodDelete, segmentPath(ProjectID, seg.ID), nil).want(t, 200, &got)
	if stored, _ := s.Get(seg.ID); stored.Status != 0 || stored.ProjectID != OtherProjectID {
		t.Fatalf("DELETE through another project: stored %+v", stored)
	}
}

func TestMalformedIDs(t *testing.T) {
	_, c := newClient(t, Options{})
	tests := []struct{ method, msg string }{
		{http.MethodGet, msgGetError},
		{http.MethodPut, msgUpdateError},
		{http.MethodDelete, msgUpdateError},
	}
	for _, tt := range tests {
		for _, id := range []string{"123", "6750c0ffee00000000001zzz", "6750c0ffee000000000012345"} {
			c.send(tt.method, segmentPath(ProjectID, id), `{"name":"x"}`).wantMsg(t, 500, tt.msg)
		}
	}
}

func TestProjectIDIsStoredAsWritten(t *testing.T) {
	_, c := newClient(t, Options{})
	upper := strings.ToUpper(ProjectID)
	seg := c.create(upper, map[string]any{"name": "shouting"})
	if seg.ProjectID != upper {
		t.Fatalf("id_project = %q, want %q as written in the URL", seg.ProjectID, upper)
	}
	if _, count, _ := c.list(ProjectID, ""); count != 0 {
		t.Fatalf("listed under the lower case id: count %d", count)
	}
	if _, count, _ := c.list(upper, ""); count != 1 {
		t.Fatalf("not listed under the id as written: count %d", count)
	}
}

func TestListPaging(t *testing.T) {
	s, c := newClient(t, Options{Now: clock})
	var created []string // oldest first
	for i := range 45 {
		created = append(created, s.Seed(ProjectID, Segment{Name: string(rune('a' + i%3))}).ID)
	}
	s.Seed(OtherProjectID, Segment{Name: "elsewhere"})
	s.SoftDelete(created[0])
	live := created[1:]
	newest := slices.Clone(live)
	slices.Reverse(newest)

	tests := []struct {
		query   string
		perPage int
		want    []string
	}{
		{"", 40, newest[:40]},
		{"?page=1", 40, newest[40:]},
		{"?limit=10&page=2", 10, newest[20:30]},
		{"?limit=10abc", 10, newest[:10]},
		{"?limit=5&sort=_id&direction=1", 5, live[:5]},
		{"?limit=3&sort=createdAt&direction=1&page=1", 3, live[3:6]},
		{"?limit=2&page=50", 2, nil},
		{"?limit=0", 0, newest},
	}
	for _, tt := range tests {
		perPage, count, segs := c.list(ProjectID, tt.query)
		if perPage != tt.perPage || count != 44 || !slices.Equal(ids(segs), tt.want) {
			t.Errorf("%q: perPage %d count %d ids %v, want %d 44 %v", tt.query, perPage, count, ids(segs), tt.perPage, tt.want)
		}
	}
}

func TestListSortByNameIsStable(t *testing.T) {
	s, c := newClient(t, Options{})
	b1 := s.Seed(ProjectID, Segment{Name: "b"}).ID
	a1 := s.Seed(ProjectID, Segment{Name: "a"}).ID
	b2 := s.Seed(ProjectID, Segment{Name: "b"}).ID
	a2 := s.Seed(ProjectID, Segment{Name: "a"}).ID
	for query, want := range map[string][]string{
		"?sort=name&direction=1":  {a1, a2, b1, b2},
		"?sort=name&direction=-1": {b2, b1, a2, a1},
		"?sort=nothing":           {a2, b2, a1, b1},
	} {
		if _, _, segs := c.list(ProjectID, query); !slices.Equal(ids(segs), want) {
			t.Errorf("%s: %v, want %v", query, ids(segs), want)
		}
	}
}

func TestNegativePageNeverAnswers(t *testing.T) {
	_, c := newClient(t, Options{})
	if err := c.getWithin(100*time.Millisecond, segmentsPath(ProjectID)+"?page=-1"); err == nil {
		t.Fatal("answered a negative page")
	}
}

func TestTimestampsStrictlyIncrease(t *testing.T) {
	s, c := newClient(t, Options{Now: clock})
	a := c.create(ProjectID, map[string]any{"name": "a"})
	b := c.create(ProjectID, map[string]any{"name": "b"})
	if !b.CreatedAt.Equal(a.CreatedAt.Add(time.Millisecond)) {
		t.Fatalf("createdAt %v then %v: want +1ms on a frozen clock", a.CreatedAt, b.CreatedAt)
	}
	s.Edit(a.ID, func(seg *Segment) { seg.Name = "edited" })
	if got, _ := s.Get(a.ID); got.Name != "edited" || !got.UpdatedAt.After(b.CreatedAt) {
		t.Fatalf("Edit: %+v", got)
	}
}
