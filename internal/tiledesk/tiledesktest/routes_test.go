package tiledesktest

import (
	"net/http"
	"strings"
	"testing"
)

// TestEveryRouteIsRoutedAndCounted sends one authenticated request to each
// row of the route table and checks that it reached that row: counted
// under the row's name, a write exactly when the row says so.
func TestEveryRouteIsRoutedAndCounted(t *testing.T) {
	s, c := newClient(t, Options{})
	for _, r := range routeTable() {
		path := "/" + strings.NewReplacer(paramProject, ProjectID, paramID, "6750c0ffee0000000000abcd").Replace(r.pattern)
		var body any
		if r.method != http.MethodGet && r.method != http.MethodDelete {
			body = map[string]string{"name": "x", "email": Email, "password": Password}
		}
		s.ResetCounts()
		a := c.send(r.method, path, body)
		if ct := a.header.Get("Content-Type"); ct != contentJSON {
			t.Errorf("%s %s: %d %s, want the route's JSON answer: %s", r.method, path, a.status, ct, a.body)
		}
		want := map[string]int{r.method + " " + r.name: 1}
		if got := s.Counts(); len(got) != 1 || got[r.method+" "+r.name] != 1 {
			t.Errorf("%s %s: Counts() = %v, want %v", r.method, path, got, want)
		}
		if w, want := s.Writes(), map[bool]int{true: 1}[r.write]; w != want {
			t.Errorf("%s %s: Writes() = %d, want %d", r.method, path, w, want)
		}
		if r.write && r.method == http.MethodGet {
			t.Errorf("%s %s: a GET marked as a write", r.method, r.pattern)
		}
	}
}

// TestRouteTableIsConsistent: no two rows for one method and pattern, the
// names faults and counters use are those of the table, and every route
// behind the project check is under a mounted router.
func TestRouteTableIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	names := map[string]bool{}
	for _, r := range routeTable() {
		key := r.method + " " + r.pattern
		if seen[key] {
			t.Errorf("%s: two rows", key)
		}
		seen[key] = true
		names[r.name] = true
		if r.handle == nil {
			t.Errorf("%s: no handler", key)
		}
		if parts := strings.Split(r.pattern, "/"); parts[0] == paramProject && len(parts) < 2 {
			t.Errorf("%s: a project route needs a mount", key)
		}
	}
	for _, name := range []string{routeSegments, routeSegment, routeLeads, routeSignin} {
		if !names[name] {
			t.Errorf("route name %q is in no row", name)
		}
	}
	seenEntity := map[string]bool{}
	for _, e := range entities {
		if seenEntity[e.name] {
			t.Errorf("entity %q: two rows", e.name)
		}
		seenEntity[e.name] = true
	}
	for _, r := range adminTable() {
		if _, path, _ := strings.Cut(r.pattern, " "); !strings.HasPrefix(path, adminPrefix) {
			t.Errorf("admin route %q is outside %s", r.pattern, adminPrefix)
		}
	}
}
