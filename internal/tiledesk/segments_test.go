package tiledesk

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

var objectIDRe = regexp.MustCompile(`^[0-9a-f]{24}$`)

// fixedNow is the fake's clock: a time with milliseconds.
var fixedNow = time.Date(2026, 11, 28, 10, 0, 0, 123_000_000, time.UTC)

func fixedClock() tiledesktest.Options {
	return tiledesktest.Options{Now: func() time.Time { return fixedNow }}
}

// jsonValue decodes a filter value to compare it by JSON type and content.
func jsonValue(t testing.TB, raw json.RawMessage) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("filter value %q is not JSON: %v", raw, err)
	}
	return v
}

// typedFilters covers every JSON type a filter value may have.
var typedFilters = []Filter{
	rawFilter("email", "contains", `"@example.it"`),
	rawFilter("attributes.orders", ">=", `3`),
	rawFilter("attributes.score", ">", `2.5`),
	rawFilter("attributes.vip", "=", `true`),
	rawFilter("attributes.address", "=", `{"city":"Rome","zip":[0,1]}`),
	rawFilter("tags", "=", `["a",2,false]`),
	rawFilter("phone", "is null", `""`),
}

func assertTypedFilters(t testing.TB, got []Filter) {
	t.Helper()
	if len(got) != len(typedFilters) {
		t.Fatalf("%d filters, want %d: %+v", len(got), len(typedFilters), got)
	}
	for i, want := range typedFilters {
		g := got[i]
		if g.Field != want.Field || g.Operator != want.Operator {
			t.Errorf("filter %d = %s %s, want %s %s", i, g.Field, g.Operator, want.Field, want.Operator)
		}
		gv, wv := jsonValue(t, g.Value), jsonValue(t, want.Value)
		if reflect.TypeOf(gv) != reflect.TypeOf(wv) || !reflect.DeepEqual(gv, wv) {
			t.Errorf("filter %d value = %s (%T), want %s (%T)", i, g.Value, gv, want.Value, wv)
		}
	}
}

func TestCreateSegment(t *testing.T) {
	fake, c := newFake(t, fixedClock(), nil)
	s, err := Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{
		Name: "Italian premium leads", Match: MatchAny, Filters: typedFilters,
	})
	if err != nil {
		t.Fatalf("CreateSegment: %v", err)
	}
	if !objectIDRe.MatchString(s.ID) {
		t.Errorf("ID = %q, want the _id of the answer", s.ID)
	}
	if s.Name != "Italian premium leads" || s.Match != MatchAny || s.ProjectID != tiledesktest.ProjectID ||
		s.Status != StatusLive || !s.Live() || s.CreatedBy != tiledesktest.UserID {
		t.Errorf("segment = %+v", s)
	}
	if !s.CreatedAt.Equal(fixedNow) || !s.UpdatedAt.Equal(fixedNow) {
		t.Errorf("times = %v, %v, want %v (milliseconds kept)", s.CreatedAt, s.UpdatedAt, fixedNow)
	}
	if s.CreatedAt.Nanosecond() != 123_000_000 {
		t.Errorf("milliseconds lost: %v", s.CreatedAt)
	}
	assertTypedFilters(t, s.Filters)

	stored, ok := fake.Get(s.ID)
	if !ok || stored.ProjectID != tiledesktest.ProjectID || stored.Name != s.Name {
		t.Fatalf("fake holds %+v, %v", stored, ok)
	}
	if n := fake.Count("POST", "segments"); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
}

func TestGetSegment(t *testing.T) {
	fake, c := newFake(t, fixedClock(), nil)
	seeded := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{
		Name: "seeded", Match: "any",
		Filters: []tiledesktest.Filter{{Field: "attributes.orders", Operator: ">=", Value: json.RawMessage(`3`)}},
	})
	s, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, seeded.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != seeded.ID || s.Name != "seeded" || s.Match != "any" || s.ProjectID != tiledesktest.ProjectID || !s.Live() {
		t.Errorf("segment = %+v", s)
	}
	if len(s.Filters) != 1 || string(s.Filters[0].Value) != "3" {
		t.Errorf("filters = %+v", s.Filters)
	}
	if !s.CreatedAt.Equal(seeded.CreatedAt) || !s.UpdatedAt.Equal(seeded.UpdatedAt) {
		t.Errorf("times = %v/%v, want %v/%v", s.CreatedAt, s.UpdatedAt, seeded.CreatedAt, seeded.UpdatedAt)
	}

	_, err = Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000beef")
	if !IsNotFound(err) {
		t.Errorf("missing segment: %v, want a 404", err)
	}
}

func TestUpdateSegment(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ctx := t.Context()
	created, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "before", Match: MatchAll, Filters: typedFilters})
	if err != nil {
		t.Fatal(err)
	}

	updated, err := putSegment(ctx, c, created.ID, SegmentInput{
		Name: "after", Match: MatchAny, Filters: typedFilters[:2],
	})
	if err != nil {
		t.Fatal(err)
	}
	if updated.ID != created.ID || updated.Name != "after" || updated.Match != MatchAny || len(updated.Filters) != 2 ||
		updated.ProjectID != tiledesktest.ProjectID || !updated.Live() {
		t.Errorf("updated = %+v", updated)
	}
	if !updated.UpdatedAt.After(created.UpdatedAt) || !updated.CreatedAt.Equal(created.CreatedAt) {
		t.Errorf("updatedAt %v not after %v, or createdAt changed", updated.UpdatedAt, created.UpdatedAt)
	}

	for name, filters := range map[string][]Filter{"empty": {}, "nil": nil} {
		t.Run(name+" filters clear", func(t *testing.T) {
			if _, err := putSegment(ctx, c, created.ID, SegmentInput{Name: "x", Match: MatchAll, Filters: typedFilters}); err != nil {
				t.Fatal(err)
			}
			got, err := putSegment(ctx, c, created.ID, SegmentInput{Name: "cleared", Match: MatchAll, Filters: filters})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Filters) != 0 {
				t.Errorf("answer keeps %d filters", len(got.Filters))
			}
			stored, _ := fake.Get(created.ID)
			if len(stored.Filters) != 0 || stored.Name != "cleared" {
				t.Errorf("stored segment keeps %d filters (name %q): the filters were not sent as []", len(stored.Filters), stored.Name)
			}
		})
	}
}

// Create and update always send name, match and filters, filters as []
// rather than null, as JSON.
func TestSegmentRequestBodies(t *testing.T) {
	type seen struct {
		method, contentType string
		body                map[string]json.RawMessage
	}
	var mu sync.Mutex
	var got []seen
	c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]json.RawMessage
		_ = json.Unmarshal(b, &m)
		mu.Lock()
		got = append(got, seen{r.Method, r.Header.Get("Content-Type"), m})
		mu.Unlock()
		writeJSONBody(w, 200, segmentJSON)
	}, nil)
	ctx := t.Context()
	id := "6750c0ffee0000000000abcd"
	calls := []func() error{
		func() error {
			_, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "n", Match: MatchAll})
			return err
		},
		func() error {
			_, err := putSegment(ctx, c, id, SegmentInput{Name: "n", Match: MatchAll})
			return err
		},
		func() error {
			_, err := putSegment(ctx, c, id, SegmentInput{Name: "n", Match: MatchAny, Filters: []Filter{}})
			return err
		},
	}
	for i, call := range calls {
		if err := call(); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	snapshot := func() []seen {
		mu.Lock()
		defer mu.Unlock()
		out := slices.Clone(got)
		got = got[:0]
		return out
	}
	for i, s := range snapshot() {
		if s.contentType != "application/json" {
			t.Errorf("%s: Content-Type %q", s.method, s.contentType)
		}
		for _, key := range []string{"name", "match", "filters"} {
			if _, ok := s.body[key]; !ok {
				t.Errorf("request %d (%s) lacks %q: %v", i, s.method, key, s.body)
			}
		}
		if f := string(s.body["filters"]); f != "[]" {
			t.Errorf("request %d (%s) sends filters %s, want []", i, s.method, f)
		}
	}

	// Filter values are sent with their JSON type.
	if _, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "n", Match: MatchAll, Filters: typedFilters}); err != nil {
		t.Fatal(err)
	}
	var sent []Filter
	if err := json.Unmarshal(snapshot()[0].body["filters"], &sent); err != nil {
		t.Fatal(err)
	}
	assertTypedFilters(t, sent)
}

func TestDeleteSegmentSoftDeletes(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ctx := t.Context()
	seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "doomed"})

	deleted, err := deleteSegment(ctx, c, seg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if deleted.ID != seg.ID || deleted.Status != StatusDeleted || deleted.Live() {
		t.Errorf("DeleteSegment answered %+v, want status 0", deleted)
	}
	if !deleted.UpdatedAt.After(seg.UpdatedAt) {
		t.Errorf("updatedAt not bumped: %v", deleted.UpdatedAt)
	}

	// Trap 1: the segment is still there, with status 0.
	got, err := Segments.Get(ctx, c, tiledesktest.ProjectID, seg.ID)
	if err != nil {
		t.Fatalf("GetSegment after delete: %v (the server answers 200)", err)
	}
	if got.Status != StatusDeleted || got.Live() {
		t.Errorf("after delete: status %d, Live %v", got.Status, got.Live())
	}
	// ... and gone from the list.
	all, err := Segments.List(ctx, c, tiledesktest.ProjectID)
	if err != nil || len(all) != 0 {
		t.Errorf("list after delete = %v, %v", all, err)
	}
	// Deleting again succeeds (trap 2).
	if again, err := deleteSegment(ctx, c, seg.ID); err != nil || again.Live() {
		t.Errorf("second delete: %+v, %v", again, err)
	}
}

// Trap 2: PUT and DELETE upsert on a well-formed id that does not exist.
func TestUpsertGhosts(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ctx := t.Context()
	const missing = "6750c0ffee0000000000f00d"

	ghost, err := putSegment(ctx, c, missing, SegmentInput{Name: "ghost", Match: MatchAll})
	if err != nil {
		t.Fatalf("PUT to a missing id: %v (the server answers 200)", err)
	}
	if ghost.ID != missing || ghost.ProjectID != "" || !ghost.Live() {
		t.Errorf("ghost = %+v, want the id, no project and status 100", ghost)
	}
	if stored, ok := fake.Get(missing); !ok || stored.ProjectID != "" {
		t.Errorf("fake holds %+v, %v", stored, ok)
	}
	if all, _ := Segments.List(ctx, c, tiledesktest.ProjectID); len(all) != 0 {
		t.Errorf("the ghost shows in the list: %+v", all)
	}

	const missing2 = "6750c0ffee0000000000f00e"
	del, err := deleteSegment(ctx, c, missing2)
	if err != nil {
		t.Fatalf("DELETE of a missing id: %v, want 200", err)
	}
	if del.Live() || del.ProjectID != "" {
		t.Errorf("DELETE answered %+v", del)
	}
}

// Trap 3: the single-segment routes do not check the project.
func TestGetSegmentOfAnotherProject(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	other := fake.Seed(tiledesktest.OtherProjectID, tiledesktest.Segment{Name: "theirs"})
	got, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != other.ID || got.ProjectID != tiledesktest.OtherProjectID {
		t.Errorf("got %+v, want project %s", got, tiledesktest.OtherProjectID)
	}
	list, err := Segments.List(t.Context(), c, tiledesktest.ProjectID)
	if err != nil || len(list) != 0 {
		t.Errorf("another project's segment in the list: %v, %v", list, err)
	}
}

func TestListSegmentsPageQuery(t *testing.T) {
	tests := []struct {
		opts ListOptions
		want url.Values
	}{
		{ListOptions{}, url.Values{}},
		{ListOptions{Limit: 25, Page: 3, Sort: "updatedAt", Direction: -1},
			url.Values{"limit": {"25"}, "page": {"3"}, "sort": {"updatedAt"}, "direction": {"-1"}}},
		{ListOptions{Limit: 100, Sort: "_id", Direction: 1},
			url.Values{"limit": {"100"}, "sort": {"_id"}, "direction": {"1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.want.Encode(), func(t *testing.T) {
			var got url.Values
			var path string
			c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
				got, path = r.URL.Query(), r.URL.Path
				writeJSONBody(w, 200, `{"perPage":25,"count":77,"segments":[`+segmentJSON+`]}`)
			}, nil)
			p, err := Segments.Page(t.Context(), c, tiledesktest.ProjectID, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("query = %v, want %v", got, tt.want)
			}
			if path != "/"+tiledesktest.ProjectID+"/segments" {
				t.Errorf("path = %q", path)
			}
			if p.Count != 77 || len(p.Items) != 1 || p.Items[0].ID != "6750c0ffee0000000000abcd" {
				t.Errorf("page = %+v", p)
			}
		})
	}
}

func TestListSegmentsPageAgainstFake(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	var ids []string
	for i := range 7 {
		ids = append(ids, fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: fmt.Sprint("s", i)}).ID)
	}
	p, err := Segments.Page(t.Context(), c, tiledesktest.ProjectID, ListOptions{Limit: 3, Page: 1, Sort: "_id", Direction: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != 7 || len(p.Items) != 3 {
		t.Fatalf("page = %+v", p)
	}
	for i, s := range p.Items {
		if s.ID != ids[3+i] {
			t.Errorf("item %d = %s, want %s", i, s.ID, ids[3+i])
		}
	}
	// Default: newest first.
	p, err = Segments.Page(t.Context(), c, tiledesktest.ProjectID, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 7 || p.Items[0].ID != ids[6] {
		t.Errorf("default page: %d items, first %s", len(p.Items), p.Items[0].ID)
	}
}

// Trap 6: 250 segments come back in three pages of 100, each exactly once.
func TestListSegmentsWalksEveryPage(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	want := map[string]bool{}
	for i := range 250 {
		want[fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: fmt.Sprintf("seg-%03d", i)}).ID] = true
	}
	fake.Seed(tiledesktest.OtherProjectID, tiledesktest.Segment{Name: "other project"})
	gone := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "deleted"})
	fake.SoftDelete(gone.ID)
	fake.ResetCounts()

	all, err := Segments.List(t.Context(), c, tiledesktest.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 250 {
		t.Errorf("%d segments, want 250", len(all))
	}
	seen := map[string]int{}
	for _, s := range all {
		seen[s.ID]++
		if !want[s.ID] {
			t.Errorf("unexpected segment %s %q", s.ID, s.Name)
		}
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("segment %s returned %d times", id, seen[id])
		}
	}
	if !slices.IsSortedFunc(all, func(a, b Segment) int { return cmp.Compare(a.ID, b.ID) }) {
		t.Error("not sorted by _id ascending")
	}
	if n := fake.Count("GET", "segments"); n != 3 {
		t.Errorf("%d list requests, want 3", n)
	}
}

// Trap 7: duplicate names are all returned.
func TestListSegmentsDuplicateNames(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	a := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "twin"})
	b := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "twin"})
	all, err := Segments.List(t.Context(), c, tiledesktest.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range all {
		if s.Name == "twin" {
			ids = append(ids, s.ID)
		}
	}
	slices.Sort(ids)
	want := []string{a.ID, b.ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("twins = %v, want %v", ids, want)
	}
}

func TestSegmentUnmarshalJSON(t *testing.T) {
	ms := time.Date(2026, 11, 28, 10, 0, 0, 456_000_000, time.UTC)
	tests := []struct {
		name string
		json string
		want Segment
	}{
		{"server answer", segmentJSON, Segment{
			Meta: Meta{ID: "6750c0ffee0000000000abcd", ProjectID: tiledesktest.ProjectID, CreatedBy: tiledesktest.UserID,
				CreatedAt: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)},
			Name: "Italian premium leads", Match: "all", Status: 100,
		}},
		{"id when _id is absent", `{"id":"aaaaaaaaaaaaaaaaaaaaaaaa","status":100}`, Segment{Meta: Meta{ID: "aaaaaaaaaaaaaaaaaaaaaaaa"}, Status: 100}},
		{"_id wins over id", `{"_id":"bbbbbbbbbbbbbbbbbbbbbbbb","id":"aaaaaaaaaaaaaaaaaaaaaaaa"}`, Segment{Meta: Meta{ID: "bbbbbbbbbbbbbbbbbbbbbbbb"}, Status: 100}},
		{"empty _id falls back", `{"_id":"","id":"aaaaaaaaaaaaaaaaaaaaaaaa"}`, Segment{Meta: Meta{ID: "aaaaaaaaaaaaaaaaaaaaaaaa"}, Status: 100}},
		{"missing status is live", `{"_id":"x"}`, Segment{Meta: Meta{ID: "x"}, Status: StatusLive}},
		{"null status is live", `{"_id":"x","status":null}`, Segment{Meta: Meta{ID: "x"}, Status: StatusLive}},
		{"status 0", `{"_id":"x","status":0}`, Segment{Meta: Meta{ID: "x"}, Status: StatusDeleted}},
		{"milliseconds", `{"_id":"x","createdAt":"2026-11-28T10:00:00.456Z","updatedAt":"2026-11-28T11:00:00.456+01:00"}`,
			Segment{Meta: Meta{ID: "x", CreatedAt: ms, UpdatedAt: ms}, Status: 100}},
		{"bad timestamps", `{"_id":"x","createdAt":"yesterday","updatedAt":""}`, Segment{Meta: Meta{ID: "x"}, Status: 100}},
		{"date only", `{"_id":"x","createdAt":"2026-11-28","updatedAt":null}`, Segment{Meta: Meta{ID: "x"}, Status: 100}},
		{"unknown keys ignored", `{"_id":"x","__v":3,"extra":{"a":1}}`, Segment{Meta: Meta{ID: "x"}, Status: 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Segment
			if err := json.Unmarshal([]byte(tt.json), &s); err != nil {
				t.Fatal(err)
			}
			filters := s.Filters
			s.Filters = nil
			if !s.CreatedAt.Equal(tt.want.CreatedAt) || !s.UpdatedAt.Equal(tt.want.UpdatedAt) {
				t.Errorf("times = %v, %v, want %v, %v", s.CreatedAt, s.UpdatedAt, tt.want.CreatedAt, tt.want.UpdatedAt)
			}
			s.CreatedAt, s.UpdatedAt, tt.want.CreatedAt, tt.want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(s, tt.want) {
				t.Errorf("got %+v, want %+v", s, tt.want)
			}
			if s.Live() != (tt.want.Status == StatusLive) {
				t.Errorf("Live() = %v for status %d", s.Live(), s.Status)
			}
			if tt.name == "server answer" {
				if len(filters) != 3 || string(filters[2].Value) != "3" || string(filters[1].Value) != `"premium"` {
					t.Errorf("filters = %+v", filters)
				}
			}
		})
	}
	var s Segment
	if err := json.Unmarshal([]byte(`{"_id": 5}`), &s); err == nil {
		t.Error("a non-string _id decoded without error")
	}
}
