package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// gitopsExampleDir is the GitOps example, used as is: the test copies its
// files, never a version of its own.
const gitopsExampleDir = "../../examples/gitops"

// topLevelKey matches a top-level key line of segments.yaml (the format has
// nothing else at column 0 but comments and blank lines).
var topLevelKey = regexp.MustCompile(`(?m)^([A-Za-z0-9_-]+):`)

// The example's life in Git: apply what the example holds, then add an
// entry, change one of its filters and remove it again, each a commit that
// plans exactly one action on exactly that segment, while the other
// segments keep their ids.
func TestE2EGitopsExample_lifecycle(t *testing.T) {
	t.Parallel()
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api)) // TILEDESK_* only, as in CI
	d.write("versions.tf", "")    // the example has its own required_providers
	files, err := os.ReadDir(gitopsExampleDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Type().IsRegular() {
			content, err := os.ReadFile(filepath.Join(gitopsExampleDir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			d.write(f.Name(), string(content))
		}
	}
	original, err := os.ReadFile(filepath.Join(gitopsExampleDir, "segments.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	n := len(topLevelKey.FindAllString(string(original), -1))
	if n == 0 {
		t.Fatalf("no entry found in %s/segments.yaml", gitopsExampleDir)
	}

	planExactly := func(want string, address string) {
		t.Helper()
		res := d.expect(2, "plan", "-detailed-exitcode")
		if !strings.Contains(res.stdout, want) {
			t.Fatalf("want %q:\n%s", want, res)
		}
		if address != "" && !strings.Contains(res.stdout, "# "+address+" ") {
			t.Fatalf("the plan does not name %s:\n%s", address, res)
		}
	}

	// The example as it is.
	planExactly(fmt.Sprintf("Plan: %d to add, 0 to change, 0 to destroy.", n), "")
	d.apply()
	checkConverged(t, d, api, n)
	d.expectEmptyPlan()
	before := d.stateIDs()

	// A new entry, with every kind of YAML value.
	const added = `
gitops_test_added:
  name: Added by the test
  match: any
  filters:
    - { field: attributes.orders, operator: ">=", value: 3 }
    - { field: attributes.score, operator: ">", value: 7.5 }
    - { field: attributes.vip, operator: "=", value: false }
    - { field: attributes.prefs, operator: "=", value: { language: it, channels: [email] } }
    - { field: tags, operator: "=", value: [vip] }
    - { field: zipcode, operator: "=", value: "00184" }
    - { field: city, operator: "=", value: "true" }
    - { field: attributes.unsubscribed_at, operator: is null }
`
	d.write("segments.yaml", string(original)+added)
	addr := `tiledesk_segment.this["gitops_test_added"]`
	planExactly("Plan: 1 to add, 0 to change, 0 to destroy.", addr)
	d.apply()
	checkConverged(t, d, api, n+1)
	id := gitopsSegmentID(t, d, "gitops_test_added")
	seg := serverSegment(t, api, id)
	if seg.Name != "Added by the test" || seg.Match != "any" {
		t.Errorf("the server holds name %q, match %q", seg.Name, seg.Match)
	}
	// The JSON the server received: YAML numbers, booleans, maps and lists
	// keep their type; quoted text stays text.
	wantValues := []string{`3`, `7.5`, `false`, `{"channels":["email"],"language":"it"}`, `["vip"]`, `"00184"`, `"true"`, `""`}
	checkFilterValues(t, seg, wantValues)
	d.expectEmptyPlan()

	// A changed filter.
	changed := strings.Replace(added, `operator: ">=", value: 3 }`, `operator: ">=", value: 4 }`, 1)
	d.write("segments.yaml", string(original)+changed)
	planExactly("Plan: 0 to add, 1 to change, 0 to destroy.", addr)
	d.apply()
	wantValues[0] = `4`
	checkFilterValues(t, serverSegment(t, api, id), wantValues)
	if got := gitopsSegmentID(t, d, "gitops_test_added"); got != id {
		t.Errorf("the segment's id changed from %s to %s: it was replaced, not updated", id, got)
	}
	d.expectEmptyPlan()

	// The entry removed.
	d.write("segments.yaml", string(original))
	planExactly("Plan: 0 to add, 0 to change, 1 to destroy.", addr)
	d.apply()
	if serverSegment(t, api, id).Status != tiledesktest.StatusDeleted {
		t.Errorf("segment %s is still live after its entry was removed", id)
	}
	if after := d.stateIDs(); !slices.Equal(after, before) {
		t.Errorf("the example's own segments changed ids: %v, then %v", before, after)
	}
	if live := api.liveIDs(); !slices.Equal(live, before) {
		t.Errorf("live segments %v, want the example's %v", live, before)
	}
	d.expectEmptyPlan()

	// Misspelt keys stop the plan, naming the entry (and the filter).
	d.write("segments.yaml", string(original)+`
gitops_test_typo:
  name: Typo
  filters:
    - { field: email, operator: contains, value: "@example" }
    - { field: attributes.orders, operator: ">=", vaule: 3 }
`)
	expectOutput(t, d.expect(1, "plan"), `each.key is "gitops_test_typo"`,
		`filters\[1\] \(field "attributes.orders"\): unknown key "vaule" \(did you mean "value"\?\)`)
	d.write("segments.yaml", string(original)+`
gitops_test_typo:
  name: Typo
  filter:
    - { field: email, operator: is not null }
`)
	expectOutput(t, d.expect(1, "plan"), `segments.yaml, entry gitops_test_typo: unknown key\(s\) filter;`)
	d.write("segments.yaml", string(original))
	d.expectEmptyPlan()
}

// gitopsSegmentID is the id of the example's segment for a key of
// segments.yaml, from the module's output.
func gitopsSegmentID(t *testing.T, d *tfDir, key string) string {
	t.Helper()
	res := d.expect(0, "output", "-json", "segment_ids")
	var ids map[string]string
	if err := json.Unmarshal([]byte(res.stdout), &ids); err != nil {
		t.Fatalf("output segment_ids: %v\n%s", err, res)
	}
	if ids[key] == "" {
		t.Fatalf("output segment_ids has no %q: %v", key, ids)
	}
	return ids[key]
}

// serverSegment is the server's segment with that id, deleted or not; it
// must belong to the test's project.
func serverSegment(t *testing.T, api *e2eAPI, id string) tiledesktest.Segment {
	t.Helper()
	s, ok := api.segments.Get(t, id)
	if !ok {
		t.Fatalf("the server has no segment %s", id)
	}
	if s.ProjectID != api.project {
		t.Fatalf("segment %s belongs to project %q, not to the test's %q", id, s.ProjectID, api.project)
	}
	return s
}

func checkFilterValues(t *testing.T, seg tiledesktest.Segment, want []string) {
	t.Helper()
	var got []string
	for _, f := range seg.Filters {
		got = append(got, string(f.Value))
	}
	if !slices.Equal(got, want) {
		t.Errorf("filter values on the server:\n got %v\nwant %v", got, want)
	}
}
