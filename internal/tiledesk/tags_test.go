package tiledesk

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// A rename onto the name of another tag of the project is refused before
// anything is sent: a *KeyTakenError that names the other tag.
func TestTagRenameOntoATakenName(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	p := tiledesktest.ProjectID
	vip := fake.SeedDoc("tags", p, map[string]any{"tag": "vip", "color": "#ff0000"})["_id"]
	other := fake.SeedDoc("tags", p, map[string]any{"tag": "other"})["_id"]
	fake.SeedDoc("tags", tiledesktest.OtherProjectID, map[string]any{"tag": "elsewhere"})
	fake.ResetCounts()

	_, err := Tags.Update(t.Context(), c, p, fmt.Sprint(other), TagInput{Name: "vip", Color: "#00ff00"})
	var taken *KeyTakenError
	if !errors.As(err, &taken) || taken.OtherID != vip || taken.Err != nil || Classify(err) != KindKeyTaken {
		t.Fatalf("rename onto vip: %v", err)
	}
	if w := fake.Writes(); w != 0 {
		t.Errorf("%d writes sent: %v", w, fake.Counts())
	}
	// A name another project has is free, and so is the tag's own.
	if tag, err := Tags.Update(t.Context(), c, p, fmt.Sprint(other), TagInput{Name: "elsewhere"}); err != nil || tag.Name != "elsewhere" || tag.Color != "" {
		t.Fatalf("rename onto another project's name: %+v, %v", tag, err)
	}
	if tag, err := Tags.Update(t.Context(), c, p, fmt.Sprint(vip), TagInput{Name: "vip", Color: "#0000ff"}); err != nil || tag.Color != "#0000ff" {
		t.Fatalf("a new color: %+v, %v", tag, err)
	}
}

// When another tag takes the name between the check and the PUT, the
// server's refusal (a 500) is told apart from a failure: a *KeyTakenError
// wrapping it.
func TestTagRenameRefusedByTheServer(t *testing.T) {
	const p, id, other = "6750c0ffee00000000001234", "6750c0ffee0000000000aaaa", "6750c0ffee0000000000bbbb"
	tag := func(id, name string) string {
		return fmt.Sprintf(`{"_id":%q,"tag":%q,"id_project":%q}`, id, name, p)
	}
	var lists counter
	c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/tags/"+id):
			writeJSONBody(w, http.StatusOK, tag(id, "mine"))
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/tags"):
			if lists.inc() == 1 || r.URL.Query().Get("page") != "" { // before the PUT: the name is free
				writeJSONBody(w, http.StatusOK, `[`+tag(id, "mine")+`]`)
				return
			}
			writeJSONBody(w, http.StatusOK, `[`+tag(id, "mine")+`,`+tag(other, "vip")+`]`)
		case r.Method == http.MethodPut:
			writeJSONBody(w, http.StatusInternalServerError, `{"success":false,"msg":"Error updating object."}`)
		default:
			http.NotFound(w, r)
		}
	}, func(cfg *Config) { cfg.MaxRetries = new(0) })
	_, err := Tags.Update(t.Context(), c, p, id, TagInput{Name: "vip"})
	var taken *KeyTakenError
	if !errors.As(err, &taken) || taken.OtherID != other || StatusCode(taken.Err) != http.StatusInternalServerError || Classify(err) != KindKeyTaken {
		t.Fatalf("got %v, want a *KeyTakenError naming %s and wrapping the 500", err, other)
	}
	if !strings.Contains(err.Error(), `tag `+other+` of project `+p+` has the tag "vip" already`) {
		t.Errorf("message: %v", err)
	}
}
