package tiledesk

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// A lookup of recent creates in a project of hundreds reads one page, and
// finds every recent segment whatever its position in the list.
func TestListSegmentsCreatedSince(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	now := time.Now()
	for i := range 250 {
		fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: fmt.Sprintf("old %d", i), CreatedAt: now.Add(-time.Hour)})
	}
	var want []string
	for i := range 3 {
		want = append(want, fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: fmt.Sprintf("new %d", i), CreatedAt: now}).ID)
	}
	deleted := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "new, deleted", CreatedAt: now})
	fake.SoftDelete(deleted.ID)

	fake.ResetCounts()
	got, err := Segments.CreatedSince(t.Context(), c, tiledesktest.ProjectID, now.Add(-10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	slices.Sort(ids)
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("got %v, want %v", ids, want)
	}
	if n := fake.Count("GET", "segments"); n != 1 {
		t.Errorf("%d list pages read, want 1", n)
	}

	// Everything recent: the walk goes on to the end of the list.
	fake.ResetCounts()
	got, err = Segments.CreatedSince(t.Context(), c, tiledesktest.ProjectID, now.Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 253 {
		t.Errorf("%d segments, want all 253 live ones", len(got))
	}
	if n := fake.Count("GET", "segments"); n != 3 {
		t.Errorf("%d list pages read, want 3", n)
	}
}
