package tiledesk

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// seedN seeds n live segments in the default project and returns their ids.
func seedN(fake *tiledesktest.Server, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: fmt.Sprintf("s-%d", i)}).ID
	}
	return ids
}

// lookupAll looks every id up, 10 at a time as Terraform does, and fails on
// any error or any answer that is not the segment asked for.
func lookupAll(t *testing.T, c *Client, ids []string) map[string]*Segment {
	t.Helper()
	var mu sync.Mutex
	got := map[string]*Segment{}
	sem := make(chan struct{}, 10)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			seg, err := Segments.lookup(context.Background(), c, tiledesktest.ProjectID, id)
			if err != nil {
				t.Errorf("LookupSegment(%s): %v", id, err)
				return
			}
			if seg.ID != id {
				t.Errorf("LookupSegment(%s) answered %s", id, seg.ID)
			}
			mu.Lock()
			got[id] = seg
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// The request counts of a refresh of N segments in a project of P: never
// more than min(N, ceil(P/100)) + 10.
func TestLookupSegment_requestBounds(t *testing.T) {
	for _, tc := range []struct{ n, p int }{
		{1, 1}, {10, 10}, {11, 11}, {50, 50}, {500, 500}, {500, 520}, {20, 3000}, {5, 3000}, {1000, 1000},
	} {
		t.Run(fmt.Sprintf("N=%d,P=%d", tc.n, tc.p), func(t *testing.T) {
			fake, c := newFake(t, tiledesktest.Options{}, nil)
			ids := seedN(fake, tc.p)
			fake.ResetCounts()
			got := lookupAll(t, c, ids[tc.p-tc.n:])
			if len(got) != tc.n {
				t.Fatalf("%d segments read, want %d", len(got), tc.n)
			}
			total := fake.Count("", "")
			if bound := min(tc.n, ceilDiv(tc.p, ListPageSize)) + listAfterReads; total > bound {
				t.Errorf("%d requests (%v), want at most %d", total, fake.Counts(), bound)
			}
			if tc.n <= listAfterReads && fake.Count("GET", "segments") != 0 {
				t.Errorf("a state of %d segments listed the project: %v", tc.n, fake.Counts())
			}
			if tc.n > 2*listAfterReads && tc.p == tc.n && fake.Count("GET", "segment") > listAfterReads {
				t.Errorf("the list served no read: %v", fake.Counts())
			}
		})
	}
}

// What the list serves is what GET answers.
func TestLookupSegment_sameAsGet(t *testing.T) {
	fake, base := tiledesktest.NewTest(t, tiledesktest.Options{})
	c := mustClient(t, testConfig(base))
	ids := seedN(fake, 150)
	fake.Edit(ids[120], func(s *tiledesktest.Segment) {
		s.Match = "any"
		s.Filters = []tiledesktest.Filter{{Field: "attributes.orders", Operator: ">=", Value: []byte(`3`)}}
	})
	listed := lookupAll(t, c, ids)
	if n := fake.Count("GET", "segment"); n > listAfterReads {
		t.Fatalf("%d GETs: the list served nothing", n)
	}
	fresh := mustClient(t, testConfig(base))
	for _, id := range ids {
		want, err := Segments.Get(context.Background(), fresh, tiledesktest.ProjectID, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(listed[id], want) {
			t.Errorf("segment %s from the list:\n%+v\nfrom GET:\n%+v", id, listed[id], want)
		}
	}
}

// Segments the list does not hold are answered by GET as before: deleted,
// hard-deleted, of another project.
func TestLookupSegment_missingConfirmedByGet(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ids := seedN(fake, 60)
	foreign := fake.Seed(tiledesktest.OtherProjectID, tiledesktest.Segment{Name: "other"}).ID
	fake.SoftDelete(ids[40])
	fake.HardDelete(ids[41])
	lookupAll(t, c, ids[:40])
	fake.ResetCounts()

	seg, err := Segments.lookup(context.Background(), c, tiledesktest.ProjectID, ids[40])
	if err != nil || seg.Live() {
		t.Errorf("soft-deleted: %+v, %v; want status 0", seg, err)
	}
	if _, err := Segments.lookup(context.Background(), c, tiledesktest.ProjectID, ids[41]); !IsNotFound(err) {
		t.Errorf("hard-deleted: %v; want 404", err)
	}
	seg, err = Segments.lookup(context.Background(), c, tiledesktest.ProjectID, foreign)
	if err != nil || seg.ProjectID != tiledesktest.OtherProjectID {
		t.Errorf("foreign: %+v, %v; want the other project's segment", seg, err)
	}
	if seg, err := Segments.lookup(context.Background(), c, tiledesktest.ProjectID, ids[59]); err != nil || seg.ID != ids[59] {
		t.Errorf("live: %+v, %v", seg, err)
	}
	if got := fake.Counts(); got["GET segment"] != 3 || got["GET segments"] != 0 {
		t.Errorf("requests %v, want 3 GET segment (one per missing segment) and no more list", got)
	}
}

// A write drops the walk: what was written, and anything newer, is read from
// the server again.
func TestLookupSegment_writes(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ids := seedN(fake, 30)
	lookupAll(t, c, ids)
	ctx := context.Background()
	fake.ResetCounts()
	// Update's check that the segment is live is served by the walk.
	if _, err := Segments.Update(ctx, c, tiledesktest.ProjectID, ids[20], SegmentInput{Name: "renamed", Match: MatchAll}); err != nil {
		t.Fatal(err)
	}
	if got := fake.Counts(); got["GET segment"] != 0 || got["PUT segment"] != 1 || len(got) != 1 {
		t.Errorf("an update after a walk sent %v, want one PUT", got)
	}
	// What the Client wrote is read back from the server; the rest from the walk.
	seg, err := Segments.lookup(ctx, c, tiledesktest.ProjectID, ids[20])
	if err != nil || seg.Name != "renamed" || fake.Count("GET", "segment") != 1 {
		t.Errorf("after a write, %s reads %+v, %v with %v; want name %q by GET", ids[20], seg, err, fake.Counts(), "renamed")
	}
	if seg, err := Segments.lookup(ctx, c, tiledesktest.ProjectID, ids[21]); err != nil || seg.Name != "s-21" || fake.Count("GET", "") != 1 {
		t.Errorf("an unwritten segment reads %+v, %v with %v; want it from the walk", seg, err, fake.Counts())
	}
	created, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "new", Match: MatchAll})
	if err != nil {
		t.Fatal(err)
	}
	all, err := Segments.LiveAll(ctx, c, tiledesktest.ProjectID)
	if err != nil || len(all) != 31 || all[30].ID != created.ID || all[20].Name != "renamed" {
		t.Errorf("LiveAll after a create: %d segments, %v; want 31 ending with %s", len(all), err, created.ID)
	}
	if err := Segments.Delete(ctx, c, tiledesktest.ProjectID, created.ID); err != nil {
		t.Fatal(err)
	}
	if all, err = Segments.LiveAll(ctx, c, tiledesktest.ProjectID); err != nil || len(all) != 30 {
		t.Errorf("LiveAll after a delete: %d segments, %v; want 30", len(all), err)
	}
	if _, err := Segments.Live(ctx, c, tiledesktest.ProjectID, created.ID); !isGone(err, GoneDeleted) {
		t.Errorf("Live of the deleted segment: %v, want it gone (deleted)", err)
	}
}

// A destroy of N segments after a refresh: each DELETE's check is served by
// the walk, so the destroy costs N DELETEs and no GET.
func TestDeleteAfterWalk(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ids := seedN(fake, 40)
	lookupAll(t, c, ids)
	fake.ResetCounts()
	sem := make(chan struct{}, 10)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := Segments.Delete(context.Background(), c, tiledesktest.ProjectID, id); err != nil {
				t.Errorf("Delete(%s): %v", id, err)
			}
		}()
	}
	wg.Wait()
	if got := fake.Counts(); got["DELETE segment"] != len(ids) || len(got) != 1 {
		t.Errorf("deleting %d segments after a walk sent %v, want only the DELETEs", len(ids), got)
	}
	if n := len(fake.Segments(tiledesktest.ProjectID, false)); n != 0 {
		t.Errorf("%d segments still live", n)
	}
}

// LiveAll and lookup share one walk, in both orders; the copy a
// caller gets is its own.
func TestLiveAll_sharesTheWalk(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	ids := seedN(fake, 250)
	ctx := context.Background()
	all, err := Segments.LiveAll(ctx, c, tiledesktest.ProjectID)
	if err != nil || len(all) != 250 {
		t.Fatalf("LiveAll: %d, %v", len(all), err)
	}
	all[0].Name = "scribbled"
	lookupAll(t, c, ids)
	again, _ := Segments.LiveAll(ctx, c, tiledesktest.ProjectID)
	if again[0].Name == "scribbled" {
		t.Error("a caller's edit reached the cache")
	}
	if got := fake.Counts(); got["GET segments"] != 3 || got["GET segment"] != 0 {
		t.Errorf("requests %v, want 3 GET segments (one walk) and no GET segment", got)
	}
}

// A list the API refuses (a gateway, a role) costs one request: the reads
// go by GET, and a data source's list gets the error.
func TestLookupSegment_listRefused(t *testing.T) {
	fake, base := tiledesktest.NewTest(t, tiledesktest.Options{})
	ids := seedN(fake, 40)
	c := mustClient(t, testConfig(base))
	c.http.HTTPClient.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/"+tiledesktest.ProjectID+"/segments" && r.Method == http.MethodGet {
			return &http.Response{StatusCode: 403, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	lookupAll(t, c, ids)
	if got := fake.Count("GET", "segment"); got != 40 {
		t.Errorf("%d GET segment, want 40", got)
	}
	if _, err := Segments.LiveAll(context.Background(), c, tiledesktest.ProjectID); err == nil {
		t.Error("LiveAll succeeded on a refused list")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A gateway that caps the page size at 50: the walk pages by what it gets.
func TestLookupSegment_cappedPageSize(t *testing.T) {
	fake, base := tiledesktest.NewTest(t, tiledesktest.Options{})
	ids := seedN(fake, 230)
	c := mustClient(t, testConfig(base))
	c.http.HTTPClient.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if q := r.URL.Query(); q.Get("limit") == "100" {
			q.Set("limit", "50")
			r.URL.RawQuery = q.Encode()
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	lookupAll(t, c, ids)
	if got := fake.Counts(); got["GET segments"] != 5 || got["GET segment"] != listAfterReads {
		t.Errorf("requests %v, want 5 pages of 50 and %d GET segment", got, listAfterReads)
	}
}
