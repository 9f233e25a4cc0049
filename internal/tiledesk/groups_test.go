package tiledesk

import (
	"errors"
	"slices"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// A group as the server keeps it: members in the order sent, duplicates and
// values of any JSON type included; enabled unless it says false.
func TestGroupReadsMembersAsKept(t *testing.T) {
	var g Group
	if err := g.UnmarshalJSON([]byte(`{"_id":"6750c0ffee0000000000a001","name":"G","members":["b","a","b",5],"trashed":false}`)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.Members, []string{"b", "a", "b", "5"}) || !g.Enabled || g.Trashed || g.ID != "6750c0ffee0000000000a001" {
		t.Errorf("read %+v", g)
	}
}

// Enabling and disabling go through the same check as any write: nothing is
// sent to a group that is not live in the project (the routes upsert and
// find a group of any project); a group a department uses is refused by the
// server, a 403.
func TestSetGroupEnabled(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	p := tiledesktest.ProjectID
	seed := func(project, name string) string {
		return fake.SeedDoc("groups", project, map[string]any{"name": name})["_id"].(string) //nolint:forcetypeassert // the fake's ids are strings
	}
	live := seed(p, "live")
	g, err := SetGroupEnabled(t.Context(), c, p, live, false)
	if err != nil || g.Enabled || g.ID != live {
		t.Fatalf("disable: %+v, %v", g, err)
	}
	if g, err = SetGroupEnabled(t.Context(), c, p, live, true); err != nil || !g.Enabled {
		t.Fatalf("enable: %+v, %v", g, err)
	}

	trashed := seed(p, "trashed")
	fake.DeleteDoc("groups", trashed)
	foreign := seed(tiledesktest.OtherProjectID, "foreign")
	missing := "6750c0ffee0000000000abcd"
	fake.ResetCounts()
	for id, reason := range map[string]GoneReason{trashed: GoneDeleted, foreign: GoneForeign, missing: GoneNotFound} {
		if _, err := SetGroupEnabled(t.Context(), c, p, id, false); !isGone(err, reason) {
			t.Errorf("disable %s: %v, want gone (reason %d)", id, err, reason)
		}
	}
	if w := fake.Writes(); w != 0 {
		t.Errorf("%d writes sent to groups that are not live in the project: %v", w, fake.Counts())
	}
	if _, ok := fake.Doc("groups", missing); ok {
		t.Error("a ghost group was made")
	}

	fake.SeedDoc("departments", p, map[string]any{"name": "uses it", "id_group": live})
	_, err = SetGroupEnabled(t.Context(), c, p, live, false)
	if Classify(err) != KindForbidden {
		t.Errorf("disabling a group a department uses: %v, want a 403", err)
	}
	err = Groups.Delete(t.Context(), c, p, live)
	var api *APIError
	if !errors.As(err, &api) || api.StatusCode != 403 || api.Message != "Unable to delete a group associated with a department" {
		t.Errorf("deleting a group a department uses: %v", err)
	}
}
