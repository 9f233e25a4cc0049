package provider

// The Tiledesk behind an acceptance test, for what the test does outside
// Terraform (the dashboard's edits, reads of what the server holds), written
// once for the local API and for a real server (TILEDESK_ACC_LIVE).

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// Settings of a real server beyond the provider's own TILEDESK_* variables
// (scripts/tiledesk-server.sh prints them): a second project of the same
// user, and a second user who is not a member of TILEDESK_PROJECT_ID nor of
// the projects the tests create.
const (
	envProject2      = "TILEDESK_TEST_PROJECT2_ID"
	envOtherToken    = "TILEDESK_TEST_OTHER_TOKEN"
	envOtherEmail    = "TILEDESK_TEST_OTHER_EMAIL"
	envOtherPassword = "TILEDESK_TEST_OTHER_PASSWORD"
)

// liveServer holds the real server's settings, read when the package starts:
// tests change the TILEDESK_* variables for themselves (clearTiledeskEnv).
var liveServer = readLiveSettings(os.Getenv)

type liveSettings struct {
	on                               bool
	url, token, email, password      string
	project, project2                string
	otherToken, otherEmail, otherPwd string

	once sync.Once
	err  error
}

func readLiveSettings(getenv func(string) string) *liveSettings {
	return &liveSettings{
		on:  getenv(liveEnv) != "",
		url: strings.TrimSuffix(getenv(EnvAPIURL), "/"), token: tiledesk.NormalizeToken(getenv(EnvToken)),
		email: getenv(EnvEmail), password: getenv(EnvPassword),
		project: getenv(EnvProjectID), project2: getenv(envProject2),
		otherToken: tiledesk.NormalizeToken(getenv(envOtherToken)), otherEmail: getenv(envOtherEmail), otherPwd: getenv(envOtherPassword),
	}
}

// resolve checks the settings once and signs in for the tokens that are
// missing (a user may give only an email and a password).
func (l *liveSettings) resolve(t *testing.T) {
	t.Helper()
	l.once.Do(func() {
		if l.url == "" || l.project == "" || (l.token == "" && (l.email == "" || l.password == "")) {
			l.err = fmt.Errorf("%s is set: %s, %s and %s (or %s and %s) are needed too", liveEnv, EnvAPIURL, EnvProjectID, EnvToken, EnvEmail, EnvPassword)
			return
		}
		if l.token == "" {
			if l.token, l.err = signIn(l.url, l.email, l.password); l.err != nil {
				return
			}
		}
		if l.otherToken == "" && l.otherEmail != "" && l.otherPwd != "" {
			l.otherToken, l.err = signIn(l.url, l.otherEmail, l.otherPwd)
		}
	})
	if l.err != nil {
		t.Fatal(l.err)
	}
}

// otherProject is a second project where the default user may manage
// segments: TILEDESK_TEST_PROJECT2_ID, else TILEDESK_PROJECT_ID (each test
// works in a project of its own).
func (l *liveSettings) otherProject() string {
	if l.project2 != "" {
		return l.project2
	}
	return l.project
}

// signIn returns the token POST /auth/signin answers, without its scheme.
func signIn(url, email, password string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	if err := rawCall(context.Background(), http.MethodPost, url+"/auth/signin", "", map[string]string{"email": email, "password": password}, &out); err != nil {
		return "", fmt.Errorf("signing in as %s: %w", email, err)
	}
	return tiledesk.NormalizeToken(out.Token), nil
}

// rawCall sends a JSON request for what the provider's client does not do
// (projects, leads); token without its scheme, "" for none.
func rawCall(ctx context.Context, method, url, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "JWT "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %.300s", method, req.URL.Path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: %w: %.300s", method, req.URL.Path, err, data)
		}
	}
	return nil
}

// testName makes a name unique to this test and run, for things created on
// a server that other tests share: "tf-acc TestX/sub 1a2b3c".
func testName(t *testing.T, what string) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	name := strings.Join(strings.Fields("tf-acc "+t.Name()+" "+what), " ")
	return name + " " + hex.EncodeToString(b)
}

// accBackend is what a test does to the Tiledesk behind the provider,
// outside Terraform: what the dashboard does (seed, edit, delete segments,
// add leads) and reads of what the server holds. Failures fail the test.
type accBackend interface {
	// Seed creates a live segment of project as if the default user made it
	// in the dashboard; Match "" means "all". It returns the stored segment.
	Seed(t *testing.T, project string, seg tiledesktest.Segment) tiledesktest.Segment
	// Edit changes a segment's name, match and filters out of band.
	Edit(t *testing.T, id string, fn func(*tiledesktest.Segment))
	// SoftDelete deletes a segment as the dashboard does (status 0).
	SoftDelete(t *testing.T, id string)
	// HardDelete removes a segment's document from the database; where no
	// API call can, it skips the test.
	HardDelete(t *testing.T, id string)
	// Get reads a segment, whatever its project and status; false when the
	// server has no such document.
	Get(t *testing.T, id string) (tiledesktest.Segment, bool)
	// Live lists the live segments of project, oldest first.
	Live(t *testing.T, project string) []tiledesktest.Segment
	// AddLead adds a lead to project.
	AddLead(t *testing.T, project string, l tiledesktest.Lead)
}

// localBackend drives the local API's hooks.
type localBackend struct{ fake *tiledesktest.Server }

func (b localBackend) Seed(_ *testing.T, project string, seg tiledesktest.Segment) tiledesktest.Segment {
	return b.fake.Seed(project, seg)
}

func (b localBackend) Edit(t *testing.T, id string, fn func(*tiledesktest.Segment)) {
	t.Helper()
	if !b.fake.Edit(id, fn) {
		t.Fatalf("editing segment %s: no such segment", id)
	}
}

func (b localBackend) SoftDelete(t *testing.T, id string) {
	t.Helper()
	if !b.fake.SoftDelete(id) {
		t.Fatalf("deleting segment %s: no such segment", id)
	}
}

func (b localBackend) HardDelete(t *testing.T, id string) {
	t.Helper()
	if !b.fake.HardDelete(id) {
		t.Fatalf("removing segment %s: no such segment", id)
	}
}

func (b localBackend) Get(_ *testing.T, id string) (tiledesktest.Segment, bool) {
	return b.fake.Get(id)
}

func (b localBackend) Live(_ *testing.T, project string) []tiledesktest.Segment {
	return b.fake.Segments(project, false)
}

func (b localBackend) AddLead(_ *testing.T, project string, l tiledesktest.Lead) {
	b.fake.AddLead(project, l)
}

// apiBackend does the same through the API, with the test's own credentials,
// straight to the server (never through a test's proxy: nothing it does is
// counted).
type apiBackend struct {
	url, token string
	project    string // any project of the user: the single-segment routes find every segment
	client     *tiledesk.Client

	mu       sync.Mutex
	lastLead time.Time
}

func newAPIBackend(t *testing.T, url, token, project string) *apiBackend {
	t.Helper()
	c, err := tiledesk.NewClient(tiledesk.Config{BaseURL: url, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return &apiBackend{url: strings.TrimSuffix(url, "/"), token: token, project: project, client: c}
}

func fromClientSegment(s *tiledesk.Segment) tiledesktest.Segment {
	out := tiledesktest.Segment{
		ID: s.ID, Name: s.Name, Match: s.Match, ProjectID: s.ProjectID, Status: s.Status,
		CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Filters: []tiledesktest.Filter{},
	}
	for _, f := range s.Filters {
		out.Filters = append(out.Filters, tiledesktest.Filter{Field: f.Field, Operator: f.Operator, Value: f.Value})
	}
	return out
}

func segmentInput(s tiledesktest.Segment) tiledesk.SegmentInput {
	in := tiledesk.SegmentInput{Name: s.Name, Match: s.Match, Filters: []tiledesk.Filter{}}
	if in.Match == "" {
		in.Match = tiledesk.MatchAll
	}
	for _, f := range s.Filters {
		in.Filters = append(in.Filters, tiledesk.Filter{Field: f.Field, Operator: f.Operator, Value: f.Value})
	}
	return in
}

func (b *apiBackend) Seed(t *testing.T, project string, seg tiledesktest.Segment) tiledesktest.Segment {
	t.Helper()
	got, err := tiledesk.Segments.Create(t.Context(), b.client, project, segmentInput(seg))
	if err != nil {
		t.Fatalf("seeding segment %q: %v", seg.Name, err)
	}
	return fromClientSegment(got)
}

func (b *apiBackend) Edit(t *testing.T, id string, fn func(*tiledesktest.Segment)) {
	t.Helper()
	seg, ok := b.Get(t, id)
	if !ok {
		t.Fatalf("editing segment %s: no such segment", id)
	}
	edited := seg
	edited.Filters = append([]tiledesktest.Filter(nil), seg.Filters...)
	fn(&edited)
	if edited.Status != seg.Status || edited.ProjectID != seg.ProjectID || edited.ID != seg.ID {
		t.Fatalf("editing segment %s: the API changes only the name, match and filters", id)
	}
	if _, err := tiledesk.Segments.Update(t.Context(), b.client, seg.ProjectID, id, segmentInput(edited)); err != nil {
		t.Fatalf("editing segment %s: %v", id, err)
	}
}

func (b *apiBackend) SoftDelete(t *testing.T, id string) {
	t.Helper()
	seg, ok := b.Get(t, id)
	if !ok {
		t.Fatalf("deleting segment %s: no such segment", id) // DELETE would upsert one
	}
	if err := tiledesk.Segments.Delete(t.Context(), b.client, seg.ProjectID, id); err != nil {
		t.Fatalf("deleting segment %s: %v", id, err)
	}
}

func (b *apiBackend) HardDelete(t *testing.T, _ string) {
	t.Helper()
	t.Skip("removing a segment's document needs the database: no API call does it (DELETE only sets status 0)")
}

func (b *apiBackend) Get(t *testing.T, id string) (tiledesktest.Segment, bool) {
	t.Helper()
	seg, err := tiledesk.Segments.Get(t.Context(), b.client, b.project, id)
	if tiledesk.IsNotFound(err) {
		return tiledesktest.Segment{}, false
	}
	if err != nil {
		t.Fatalf("reading segment %s: %v", id, err)
	}
	return fromClientSegment(seg), true
}

func (b *apiBackend) Live(t *testing.T, project string) []tiledesktest.Segment {
	t.Helper()
	segs, err := tiledesk.Segments.List(t.Context(), b.client, project)
	if err != nil {
		t.Fatalf("listing the segments of project %s: %v", project, err)
	}
	slices.SortFunc(segs, func(a, b tiledesk.Segment) int { return strings.Compare(a.ID, b.ID) })
	out := make([]tiledesktest.Segment, len(segs))
	for i := range segs {
		out[i] = fromClientSegment(&segs[i])
	}
	return out
}

// AddLead creates the lead (POST takes the name, email and attributes), then
// sets the other fields with a PUT. Leads are listed newest first by their
// createdAt, in milliseconds: consecutive leads get distinct ones, as on the
// local API.
func (b *apiBackend) AddLead(t *testing.T, project string, l tiledesktest.Lead) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if wait := time.Until(b.lastLead.Add(3 * time.Millisecond)); wait > 0 {
		time.Sleep(wait)
	}
	base := b.url + "/" + project + "/leads"
	var created struct {
		ID string `json:"_id"`
	}
	post := map[string]any{"fullname": l.Fullname, "email": l.Email, "attributes": l.Attributes}
	if l.LeadID != "" {
		post["lead_id"] = l.LeadID
	}
	if err := rawCall(t.Context(), http.MethodPost, base, b.token, post, &created); err != nil || created.ID == "" {
		t.Fatalf("adding lead %q: %v (id %q)", l.Fullname, err, created.ID)
	}
	b.lastLead = time.Now()
	put := map[string]any{}
	for k, v := range map[string]string{"phone": l.Phone, "company": l.Company, "city": l.City, "region": l.Region, "country": l.Country} {
		if v != "" {
			put[k] = v
		}
	}
	if len(l.Tags) > 0 {
		put["tags"] = l.Tags
	}
	if len(put) > 0 {
		if err := rawCall(t.Context(), http.MethodPut, base+"/"+created.ID, b.token, put, nil); err != nil {
			t.Fatalf("completing lead %q: %v", l.Fullname, err)
		}
	}
}

var objectIDRe = regexp.MustCompile(`^[0-9a-f]{24}$`)

// newProject creates a project of the user that token authenticates, named
// after the test, and returns its id: a test's own project starts empty.
func newProject(t *testing.T, url, token string) string {
	t.Helper()
	var p struct {
		ID string `json:"_id"`
	}
	if err := rawCall(t.Context(), http.MethodPost, strings.TrimSuffix(url, "/")+"/projects", token, map[string]string{"name": testName(t, "project")}, &p); err != nil || !objectIDRe.MatchString(p.ID) {
		t.Fatalf("creating a project for the test: %v (id %q)", err, p.ID)
	}
	return p.ID
}

// liveTarget is the Tiledesk a test runs against: the local API (a fresh one
// per test) or the real server, with a project of the test's own.
type liveTarget struct {
	fake    *tiledesktest.Server // nil against a real server
	backend accBackend
	apiURL  string // the API itself, not the test's proxy
	project string
	token   string // the default user's, without scheme
	// email and password of the default user ("" when the live settings
	// give none).
	email, password string
	// otherProject is another project where the default user manages
	// segments.
	otherProject string
	// foreignToken and foreignProject: a user and a project he is not a
	// member of ("" when the live settings give no second user).
	foreignToken, foreignProject string
}

func newLiveTarget(t *testing.T) *liveTarget {
	t.Helper()
	if !liveServer.on {
		fake, url := tiledesktest.NewTest(t, tiledesktest.Options{})
		return &liveTarget{
			fake: fake, backend: localBackend{fake}, apiURL: url, project: tiledesktest.ProjectID,
			token: tiledesktest.Token, email: tiledesktest.Email, password: tiledesktest.Password,
			otherProject: tiledesktest.OtherProjectID,
			foreignToken: tiledesktest.Token, foreignProject: tiledesktest.ForeignProjectID,
		}
	}
	l := liveServer
	l.resolve(t)
	project := newProject(t, l.url, l.token)
	target := &liveTarget{
		backend: newAPIBackend(t, l.url, l.token, project), apiURL: l.url, project: project,
		token: l.token, email: l.email, password: l.password, otherProject: l.otherProject(),
	}
	if l.otherToken != "" {
		// The second user is a member of neither the test's project nor
		// TILEDESK_PROJECT_ID.
		target.foreignToken, target.foreignProject = l.otherToken, project
	}
	return target
}

// answerTimeout is a request timeout that the API meets whenever it
// answers at all: 1s on the local API; 5s on a real server, whose lists take
// about a second on a busy 2-core machine.
func (lt *liveTarget) answerTimeout() time.Duration {
	if lt.fake == nil {
		return 5 * time.Second
	}
	return time.Second
}

// needForeign skips a test that needs a user outside a project when the
// live settings give no second user.
func (lt *liveTarget) needForeign(t *testing.T) {
	t.Helper()
	if lt.foreignToken == "" {
		t.Skipf("needs a second user who is not a member of the project: set %s (or %s and %s)", envOtherToken, envOtherEmail, envOtherPassword)
	}
}

// needPassword skips a test that signs in with an email and a password
// when the live settings give only a token.
func (lt *liveTarget) needPassword(t *testing.T) {
	t.Helper()
	if lt.email == "" || lt.password == "" {
		t.Skipf("needs the user's %s and %s", EnvEmail, EnvPassword)
	}
}

// The API backend (the live form of the hooks) does what the local hooks do:
// checked against the local API, whose hooks see the result.
func TestAPIBackendMatchesLocalHooks(t *testing.T) {
	fake, url := tiledesktest.NewTest(t, tiledesktest.Options{})
	api := newAPIBackend(t, url, tiledesktest.Token, tiledesktest.ProjectID)
	local := localBackend{fake}

	seg := api.Seed(t, tiledesktest.OtherProjectID, tiledesktest.Segment{Name: "Seeded", Filters: []tiledesktest.Filter{
		{Field: "attributes.orders", Operator: ">=", Value: json.RawMessage(`3`)},
	}})
	stored, ok := local.Get(t, seg.ID)
	if !ok || stored.Name != "Seeded" || stored.Match != "all" || stored.ProjectID != tiledesktest.OtherProjectID ||
		stored.CreatedBy != tiledesktest.UserID || string(stored.Filters[0].Value) != "3" {
		t.Fatalf("seeded %+v, the local API holds %+v", seg, stored)
	}
	api.Edit(t, seg.ID, func(s *tiledesktest.Segment) {
		s.Name = "Edited"
		s.Filters[0].Value = json.RawMessage(`10`)
	})
	if got, _ := api.Get(t, seg.ID); got.Name != "Edited" || string(got.Filters[0].Value) != "10" || got.ProjectID != tiledesktest.OtherProjectID {
		t.Fatalf("after the edit the API answers %+v", got)
	}
	if live := api.Live(t, tiledesktest.OtherProjectID); len(live) != 1 || live[0].ID != seg.ID {
		t.Fatalf("live segments %+v", live)
	}
	api.SoftDelete(t, seg.ID)
	if got, ok := local.Get(t, seg.ID); !ok || got.Status != tiledesktest.StatusDeleted {
		t.Fatalf("after the delete the local API holds %+v (found %v)", got, ok)
	}
	if live := api.Live(t, tiledesktest.OtherProjectID); len(live) != 0 {
		t.Fatalf("live segments after the delete: %+v", live)
	}
	if _, ok := api.Get(t, "6750c0ffee0000000000ffff"); ok {
		t.Fatal("Get found a segment that does not exist")
	}
}
