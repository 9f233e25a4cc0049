package tiledesk

import (
	"errors"
	"slices"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// Live answers only a live object of the project asked about; the others are
// a *GoneError that says why.
func TestLive(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	live := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "Live"})
	deleted := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "Deleted"})
	fake.SoftDelete(deleted.ID)
	foreign := fake.Seed(tiledesktest.OtherProjectID, tiledesktest.Segment{Name: "Foreign"})

	seg, err := Segments.Live(t.Context(), c, tiledesktest.ProjectID, live.ID)
	if err != nil || seg.ID != live.ID || seg.Name != "Live" {
		t.Fatalf("Live(live) = %+v, %v", seg, err)
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
			seg, err := Segments.Live(t.Context(), c, tiledesktest.ProjectID, tt.id)
			var gone *GoneError
			if seg != nil || !errors.As(err, &gone) {
				t.Fatalf("Live = %+v, %v; want a *GoneError", seg, err)
			}
			if gone.Reason != tt.reason || gone.ID != tt.id || gone.ProjectID != tiledesktest.ProjectID || err.Error() != tt.want {
				t.Errorf("got %+v %q, want reason %d %q", gone, err, tt.reason, tt.want)
			}
		})
	}
}

func TestPick(t *testing.T) {
	segs := []Segment{{Meta: Meta{ID: "a"}, Name: "x"}, {Meta: Meta{ID: "b"}, Name: "y"}, {Meta: Meta{ID: "c"}, Name: "y"}}
	byName := func(n string) func(*Segment) bool { return func(s *Segment) bool { return s.Name == n } }
	if one, several := Segments.Pick(segs, byName("z")); one != nil || several != nil {
		t.Errorf("none: %v %v", one, several)
	}
	if one, several := Segments.Pick(segs, byName("x")); one == nil || one.ID != "a" || several != nil {
		t.Errorf("one: %v %v", one, several)
	}
	if one, several := Segments.Pick(segs, byName("y")); one != nil || !slices.Equal(several, []string{"b", "c"}) {
		t.Errorf("several: %v %v", one, several)
	}
}

func isGone(err error, reason GoneReason) bool {
	var gone *GoneError
	return errors.As(err, &gone) && gone.Reason == reason
}

// Update and Delete write only to a live object of the project asked about:
// the server's PUT and DELETE find an object of any project by id and upsert
// a missing one, so a foreign, deleted or missing object is a *GoneError and
// nothing is sent.
func TestWritesOnlyToLiveObjectsOfTheProject(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	deleted := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "Deleted"})
	fake.SoftDelete(deleted.ID)
	foreign := fake.Seed(tiledesktest.OtherProjectID, tiledesktest.Segment{Name: "Foreign"})
	missing := "6750c0ffee0000000000abcd"
	for _, tt := range []struct {
		name, id string
		reason   GoneReason
	}{
		{"missing", missing, GoneNotFound},
		{"deleted", deleted.ID, GoneDeleted},
		{"foreign", foreign.ID, GoneForeign},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake.ResetCounts()
			if _, err := Segments.Update(t.Context(), c, tiledesktest.ProjectID, tt.id, SegmentInput{Name: "x", Match: MatchAll}); !isGone(err, tt.reason) {
				t.Errorf("Update: %v, want gone (reason %d)", err, tt.reason)
			}
			if err := Segments.Delete(t.Context(), c, tiledesktest.ProjectID, tt.id); !isGone(err, tt.reason) {
				t.Errorf("Delete: %v, want gone (reason %d)", err, tt.reason)
			}
			if w := fake.Writes(); w != 0 {
				t.Errorf("%d writes sent: %v", w, fake.Counts())
			}
		})
	}
	if seg, _ := fake.Get(foreign.ID); seg.Name != "Foreign" || seg.Status != tiledesktest.StatusLive {
		t.Errorf("the foreign segment was changed: %+v", seg)
	}
	if _, found := fake.Get(missing); found {
		t.Error("a ghost was created for the missing id")
	}
}
