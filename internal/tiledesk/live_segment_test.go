package tiledesk

import (
	"errors"
	"slices"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// LiveSegment answers only a live segment of the project asked about; the
// others are a *GoneError that says why.
func TestLiveSegment(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	live := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "Live"})
	deleted := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "Deleted"})
	fake.SoftDelete(deleted.ID)
	foreign := fake.Seed(tiledesktest.OtherProjectID, tiledesktest.Segment{Name: "Foreign"})

	seg, err := c.LiveSegment(t.Context(), tiledesktest.ProjectID, live.ID)
	if err != nil || seg.ID != live.ID || seg.Name != "Live" {
		t.Fatalf("LiveSegment(live) = %+v, %v", seg, err)
	}
	tests := []struct {
		name, id string
		reason   GoneReason
		want     string
	}{
		{"missing", "6750c0ffee0000000000abcd", GoneNotFound, "no segment has this id (the server answered 404)"},
		{"deleted", deleted.ID, GoneDeleted, "the segment is deleted (status 0)"},
		{"foreign", foreign.ID, GoneForeign, `the segment belongs to project "` + tiledesktest.OtherProjectID + `", not to project ` + tiledesktest.ProjectID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seg, err := c.LiveSegment(t.Context(), tiledesktest.ProjectID, tt.id)
			var gone *GoneError
			if seg != nil || !errors.As(err, &gone) {
				t.Fatalf("LiveSegment = %+v, %v; want a *GoneError", seg, err)
			}
			if gone.Reason != tt.reason || gone.ID != tt.id || gone.ProjectID != tiledesktest.ProjectID || err.Error() != tt.want {
				t.Errorf("got %+v %q, want reason %d %q", gone, err, tt.reason, tt.want)
			}
		})
	}
}

func TestPickSegment(t *testing.T) {
	segs := []Segment{{ID: "a", Name: "x"}, {ID: "b", Name: "y"}, {ID: "c", Name: "y"}}
	byName := func(n string) func(Segment) bool { return func(s Segment) bool { return s.Name == n } }
	if one, several := PickSegment(segs, byName("z")); one != nil || several != nil {
		t.Errorf("none: %v %v", one, several)
	}
	if one, several := PickSegment(segs, byName("x")); one == nil || one.ID != "a" || several != nil {
		t.Errorf("one: %v %v", one, several)
	}
	if one, several := PickSegment(segs, byName("y")); one != nil || !slices.Equal(several, []string{"b", "c"}) {
		t.Errorf("several: %v %v", one, several)
	}
}
