package provider

// The Tiledesk behind an acceptance test, for what the test does outside
// Terraform (the dashboard's edits, reads of what the server holds), written
// once for the local API and for a real server (TILEDESK_ACC_LIVE).

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
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
	// A third user, whom the tests invite into their projects as an agent.
	envAgentToken    = "TILEDESK_TEST_AGENT_TOKEN"
	envAgentEmail    = "TILEDESK_TEST_AGENT_EMAIL"
	envAgentPassword = "TILEDESK_TEST_AGENT_PASSWORD"
)

// liveServer holds the real server's settings, read when the package starts:
// tests change the TILEDESK_* variables for themselves (clearTiledeskEnv).
var liveServer = readLiveSettings(os.Getenv)

type liveSettings struct {
	on                               bool
	url, token, email, password      string
	project, project2                string
	otherToken, otherEmail, otherPwd string
	agentToken, agentEmail, agentPwd string

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
		agentToken: tiledesk.NormalizeToken(getenv(envAgentToken)), agentEmail: getenv(envAgentEmail), agentPwd: getenv(envAgentPassword),
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
			if l.otherToken, l.err = signIn(l.url, l.otherEmail, l.otherPwd); l.err != nil {
				return
			}
		}
		if l.agentToken == "" && l.agentEmail != "" && l.agentPwd != "" {
			l.agentToken, l.err = signIn(l.url, l.agentEmail, l.agentPwd)
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

// testEntity is one type of object as the tests drive it outside Terraform:
// its collection and list (from the client's tiledesk.Objects), and what the
// dashboard does with it.
type testEntity struct {
	name              string // the collection and route: "segments"
	listPath, listKey string
	pageSize          int
	// editKeys are what the dashboard's edit form sends with a PUT: every
	// editable key, whether it changed or not.
	editKeys []string
	// hardDelete: the API's DELETE removes the document (no soft delete).
	hardDelete bool
	// removeQuery, for a type deleted softly, is the query with which the
	// API's DELETE removes the document for good ("force=true"), if any.
	removeQuery string
	// setVia are keys the dashboard sets through routes of their own, named
	// by the value: a group's enabled through groups/enable/{id} and
	// groups/disable/{id}.
	setVia map[string]func(value any) string
}

func entityOf[T, In any](k *tiledesk.Objects[T, In], editKeys []string, hardDelete bool) testEntity {
	return testEntity{name: k.Path, listPath: cmp.Or(k.ListPath, k.Path), listKey: k.ListKey, pageSize: k.PageSize, editKeys: editKeys, hardDelete: hardDelete}
}

var (
	segmentEntity    = entityOf(tiledesk.Segments, []string{"name", "match", "filters"}, false)
	departmentEntity = entityOf(tiledesk.Departments, []string{"name", "description", "routing", "status", "id_bot", "bot_only", "id_group"}, true)
	groupEntity      = func() testEntity {
		e := entityOf(tiledesk.Groups, []string{"name", "members"}, false)
		e.removeQuery = "force=true"
		e.setVia = map[string]func(any) string{"enabled": func(v any) string {
			if v == true {
				return "enable"
			}
			return "disable"
		}}
		return e
	}()
	tagEntity          = entityOf(tiledesk.Tags, []string{"tag", "color"}, true)
	cannedEntity       = entityOf(tiledesk.CannedResponses, []string{"title", "text"}, false)
	subscriptionEntity = entityOf(tiledesk.WebhookSubscriptions, []string{"event", "target"}, true)
)

// doc is an object as the API answers it.
type doc = map[string]any

// accBackend is what a test does to the Tiledesk behind the provider,
// outside Terraform, for any type of object: what the dashboard does (seed,
// edit, delete), reads of what the server holds, and leads. Failures fail
// the test.
type accBackend interface {
	// Seed creates an object of project as the default user does in the
	// dashboard (a POST of d); it returns the stored object.
	Seed(t *testing.T, e testEntity, project string, d doc) doc
	// Edit sets the keys of patch on an object, as the dashboard's edit form
	// does.
	Edit(t *testing.T, e testEntity, id string, patch doc)
	// Delete deletes an object as the dashboard does (the API's DELETE:
	// soft for segments).
	Delete(t *testing.T, e testEntity, id string)
	// Remove removes an object's document for good; where no API call can
	// (a soft-deleting type), it skips the test.
	Remove(t *testing.T, e testEntity, id string)
	// Get reads an object, whatever its project and status; false when the
	// server has no such document.
	Get(t *testing.T, e testEntity, id string) (doc, bool)
	// Live lists the live objects of project, oldest first.
	Live(t *testing.T, e testEntity, project string) []doc
	// AddLead adds a lead to project.
	AddLead(t *testing.T, project string, l tiledesktest.Lead)
}

// localBackend drives the local API's hooks.
type localBackend struct{ fake *tiledesktest.Server }

func (b localBackend) Seed(_ *testing.T, e testEntity, project string, d doc) doc {
	return b.fake.SeedDoc(e.name, project, d)
}

func (b localBackend) Edit(t *testing.T, e testEntity, id string, patch doc) {
	t.Helper()
	if !b.fake.EditDoc(e.name, id, patch) {
		t.Fatalf("editing %s %s: no such document", e.name, id)
	}
}

func (b localBackend) Delete(t *testing.T, e testEntity, id string) {
	t.Helper()
	if !b.fake.DeleteDoc(e.name, id) {
		t.Fatalf("deleting %s %s: no such document", e.name, id)
	}
}

func (b localBackend) Remove(t *testing.T, e testEntity, id string) {
	t.Helper()
	if !b.fake.RemoveDoc(e.name, id) {
		t.Fatalf("removing %s %s: no such document", e.name, id)
	}
}

func (b localBackend) Get(_ *testing.T, e testEntity, id string) (doc, bool) {
	return b.fake.Doc(e.name, id)
}

func (b localBackend) Live(_ *testing.T, e testEntity, project string) []doc {
	return b.fake.Docs(e.name, project, false)
}

func (b localBackend) AddLead(_ *testing.T, project string, l tiledesktest.Lead) {
	b.fake.AddLead(project, l)
}

// apiBackend does the same through the API, with the test's own credentials,
// straight to the server (never through a test's proxy: nothing it does is
// counted).
type apiBackend struct {
	url, token string
	project    string // any project of the user: the single-id GET routes find every object

	mu       sync.Mutex
	lastLead time.Time
}

func newAPIBackend(url, token, project string) *apiBackend {
	return &apiBackend{url: strings.TrimSuffix(url, "/"), token: token, project: project}
}

func (b *apiBackend) call(t *testing.T, method, path string, body, out any) error {
	t.Helper()
	return rawCall(t.Context(), method, b.url+"/"+path, b.token, body, out)
}

func (b *apiBackend) Seed(t *testing.T, e testEntity, project string, d doc) doc {
	t.Helper()
	var out doc
	if err := b.call(t, http.MethodPost, project+"/"+e.name, d, &out); err != nil {
		t.Fatalf("seeding %s %v: %v", e.name, d, err)
	}
	return out
}

// Edit reads the object, then PUTs every key the dashboard's form sends, the
// patch's values over the stored ones, to the object's own project.
func (b *apiBackend) Edit(t *testing.T, e testEntity, id string, patch doc) {
	t.Helper()
	d, ok := b.Get(t, e, id)
	if !ok {
		t.Fatalf("editing %s %s: no such object", e.name, id)
	}
	body := doc{}
	for _, k := range e.editKeys {
		if v, ok := d[k]; ok {
			body[k] = v
		}
	}
	maps.Copy(body, patch)
	var routes []string
	for k, route := range e.setVia {
		if v, ok := body[k]; ok {
			routes = append(routes, route(v))
			delete(body, k)
		}
	}
	if err := b.call(t, http.MethodPut, fmt.Sprintf("%s/%s/%s", d["id_project"], e.name, id), body, nil); err != nil {
		t.Fatalf("editing %s %s: %v", e.name, id, err)
	}
	for _, route := range routes {
		if err := b.call(t, http.MethodPut, fmt.Sprintf("%s/%s/%s/%s", d["id_project"], e.name, route, id), nil, nil); err != nil {
			t.Fatalf("editing %s %s (%s): %v", e.name, id, route, err)
		}
	}
}

func (b *apiBackend) Delete(t *testing.T, e testEntity, id string) {
	t.Helper()
	b.delete(t, e, id, "")
}

// delete sends the API's DELETE, with query, to the object's own project.
func (b *apiBackend) delete(t *testing.T, e testEntity, id, query string) {
	t.Helper()
	d, ok := b.Get(t, e, id)
	if !ok {
		t.Fatalf("deleting %s %s: no such object", e.name, id) // DELETE might upsert one
	}
	path := fmt.Sprintf("%s/%s/%s", d["id_project"], e.name, id)
	if query != "" {
		path += "?" + query
	}
	if err := b.call(t, http.MethodDelete, path, nil, nil); err != nil {
		t.Fatalf("deleting %s %s: %v", e.name, id, err)
	}
}

func (b *apiBackend) Remove(t *testing.T, e testEntity, id string) {
	t.Helper()
	if !e.hardDelete && e.removeQuery == "" {
		t.Skipf("removing a document of %s needs the database: no API call does it (DELETE keeps it, marked deleted)", e.name)
	}
	b.delete(t, e, id, e.removeQuery)
}

func (b *apiBackend) Get(t *testing.T, e testEntity, id string) (doc, bool) {
	t.Helper()
	var out doc
	err := b.call(t, http.MethodGet, fmt.Sprintf("%s/%s/%s", b.project, e.name, id), nil, &out)
	if err != nil && strings.Contains(err.Error(), "HTTP 404") {
		return nil, false
	}
	if err != nil {
		t.Fatalf("reading %s %s: %v", e.name, id, err)
	}
	return out, out != nil
}

// Live reads the whole list, oldest first: one request for a paged list
// (a limit above any test's count), page after page for a fixed page size.
func (b *apiBackend) Live(t *testing.T, e testEntity, project string) []doc {
	t.Helper()
	path := project + "/" + e.listPath
	var all []doc
	switch {
	case e.listKey != "":
		var page map[string]json.RawMessage
		if err := b.call(t, http.MethodGet, path+"?limit=100000&sort=_id&direction=1", nil, &page); err != nil {
			t.Fatalf("listing %s of project %s: %v", e.name, project, err)
		}
		if err := json.Unmarshal(page[e.listKey], &all); err != nil {
			t.Fatalf("listing %s of project %s: %v", e.name, project, err)
		}
	default:
		for p := 0; ; p++ {
			var items []doc
			if err := b.call(t, http.MethodGet, fmt.Sprintf("%s?page=%d&sort=_id&direction=1", path, p), nil, &items); err != nil {
				t.Fatalf("listing %s of project %s: %v", e.name, project, err)
			}
			all = append(all, items...)
			if e.pageSize == 0 || len(items) < e.pageSize {
				break
			}
		}
	}
	slices.SortStableFunc(all, func(x, y doc) int {
		return cmp.Or(cmp.Compare(fmt.Sprint(x["createdAt"]), fmt.Sprint(y["createdAt"])), cmp.Compare(fmt.Sprint(x["_id"]), fmt.Sprint(y["_id"])))
	})
	return all
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
	base := project + "/leads"
	var created struct {
		ID string `json:"_id"`
	}
	post := map[string]any{"fullname": l.Fullname, "email": l.Email, "attributes": l.Attributes}
	if l.LeadID != "" {
		post["lead_id"] = l.LeadID
	}
	if err := b.call(t, http.MethodPost, base, post, &created); err != nil || created.ID == "" {
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
		if err := b.call(t, http.MethodPut, base+"/"+created.ID, put, nil); err != nil {
			t.Fatalf("completing lead %q: %v", l.Fullname, err)
		}
	}
}

// segmentBackend is a backend's segments, typed: what most segment tests
// seed, edit and read.
type segmentBackend struct{ b accBackend }

// segmentOf reads a segment document.
func segmentOf(t *testing.T, d doc) tiledesktest.Segment {
	t.Helper()
	var seg tiledesktest.Segment
	raw, err := json.Marshal(d)
	if err == nil {
		err = json.Unmarshal(raw, &seg)
	}
	if err != nil {
		t.Fatalf("reading segment %v: %v", d, err)
	}
	if seg.Filters == nil {
		seg.Filters = []tiledesktest.Filter{}
	}
	return seg
}

// segmentBody is what the dashboard sends for a segment.
func segmentBody(seg tiledesktest.Segment) doc {
	filters := make([]any, len(seg.Filters))
	for i, f := range seg.Filters {
		filters[i] = doc{"field": f.Field, "operator": f.Operator, "value": f.Value}
	}
	d := doc{"name": seg.Name, "filters": filters}
	if seg.Match != "" {
		d["match"] = seg.Match
	}
	return d
}

// Seed creates a live segment of project as if the default user made it in
// the dashboard; Match "" means "all". It returns the stored segment.
func (s segmentBackend) Seed(t *testing.T, project string, seg tiledesktest.Segment) tiledesktest.Segment {
	t.Helper()
	return segmentOf(t, s.b.Seed(t, segmentEntity, project, segmentBody(seg)))
}

// Edit changes a segment's name, match and filters out of band.
func (s segmentBackend) Edit(t *testing.T, id string, fn func(*tiledesktest.Segment)) {
	t.Helper()
	seg, ok := s.Get(t, id)
	if !ok {
		t.Fatalf("editing segment %s: no such segment", id)
	}
	edited := seg
	edited.Filters = slices.Clone(seg.Filters)
	fn(&edited)
	if edited.Status != seg.Status || edited.ProjectID != seg.ProjectID || edited.ID != seg.ID {
		t.Fatalf("editing segment %s: the API changes only the name, match and filters", id)
	}
	s.b.Edit(t, segmentEntity, id, segmentBody(edited))
}

// SoftDelete deletes a segment as the dashboard does (status 0).
func (s segmentBackend) SoftDelete(t *testing.T, id string) { s.b.Delete(t, segmentEntity, id) }

// HardDelete removes a segment's document from the database; no API call
// can, so against a real server it skips the test.
func (s segmentBackend) HardDelete(t *testing.T, id string) { s.b.Remove(t, segmentEntity, id) }

// Get reads a segment, whatever its project and status.
func (s segmentBackend) Get(t *testing.T, id string) (tiledesktest.Segment, bool) {
	t.Helper()
	d, ok := s.b.Get(t, segmentEntity, id)
	if !ok {
		return tiledesktest.Segment{}, false
	}
	return segmentOf(t, d), true
}

// Live lists the live segments of project, oldest first.
func (s segmentBackend) Live(t *testing.T, project string) []tiledesktest.Segment {
	t.Helper()
	docs := s.b.Live(t, segmentEntity, project)
	out := make([]tiledesktest.Segment, len(docs))
	for i, d := range docs {
		out[i] = segmentOf(t, d)
	}
	return out
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
	fake     *tiledesktest.Server // nil against a real server
	backend  accBackend
	segments segmentBackend // the backend's segments, typed
	apiURL   string         // the API itself, not the test's proxy
	project  string
	token    string // the default user's, without scheme
	// email and password of the default user ("" when the live settings
	// give none).
	email, password string
	// otherProject is another project where the default user manages
	// segments.
	otherProject string
	// foreignToken and foreignProject: a user and a project he is not a
	// member of ("" when the live settings give no second user).
	foreignToken, foreignProject string

	// agentToken is a user with the agent role in project (invited into it
	// on first use against a real server: agentOnce).
	agentToken string
	agentOnce  sync.Once
	agentErr   error
}

func newLiveTarget(t *testing.T) *liveTarget {
	t.Helper()
	if !liveServer.on {
		fake, url := tiledesktest.NewTest(t, tiledesktest.Options{})
		return &liveTarget{
			fake: fake, backend: localBackend{fake}, segments: segmentBackend{localBackend{fake}}, apiURL: url, project: tiledesktest.ProjectID,
			token: tiledesktest.Token, email: tiledesktest.Email, password: tiledesktest.Password,
			otherProject: tiledesktest.OtherProjectID,
			foreignToken: tiledesktest.Token, foreignProject: tiledesktest.ForeignProjectID,
			agentToken: tiledesktest.AgentToken,
		}
	}
	l := liveServer
	l.resolve(t)
	project := newProject(t, l.url, l.token)
	api := newAPIBackend(l.url, l.token, project)
	target := &liveTarget{
		backend: api, segments: segmentBackend{api}, apiURL: l.url, project: project,
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

// agent returns the token of a user with the agent role in the test's
// project: the local API's agent, or on a real server the settings' third
// user, invited into the project on first use. It skips the test when the
// live settings give no such user.
func (lt *liveTarget) agent(t *testing.T) string {
	t.Helper()
	if lt.fake != nil {
		return lt.agentToken
	}
	if liveServer.agentToken == "" || liveServer.agentEmail == "" {
		t.Skipf("needs a third user to invite as an agent: set %s and %s (or %s and %s)", envAgentEmail, envAgentToken, envAgentEmail, envAgentPassword)
	}
	lt.agentOnce.Do(func() {
		lt.agentErr = rawCall(context.Background(), http.MethodPost, lt.apiURL+"/"+lt.project+"/project_users/invite", lt.token,
			map[string]string{"email": liveServer.agentEmail, "role": "agent"}, nil)
		lt.agentToken = liveServer.agentToken
	})
	if lt.agentErr != nil {
		t.Fatalf("inviting %s into project %s as agent: %v", liveServer.agentEmail, lt.project, lt.agentErr)
	}
	return lt.agentToken
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
	for _, tc := range []struct {
		e           testEntity
		key         string // the key that names the object: "Seeded"
		seed, patch doc
	}{
		{segmentEntity, "name", doc{"name": "Seeded", "filters": []any{doc{"field": "attributes.orders", "operator": ">=", "value": 3}}},
			doc{"name": "Edited", "filters": []any{doc{"field": "attributes.orders", "operator": ">=", "value": 10}}}},
		{departmentEntity, "name", doc{"name": "Seeded", "id_group": "6750c0ffee0000000000aaaa"}, doc{"name": "Edited"}},
		{groupEntity, "name", doc{"name": "Seeded", "members": []any{testMemberA}}, doc{"name": "Edited", "enabled": false}},
		{tagEntity, "tag", doc{"tag": "Seeded", "color": "#43B1F2"}, doc{"color": "#ff0000"}},
		{cannedEntity, "title", doc{"title": "Seeded", "text": "Hello", "shared": true}, doc{"title": "Edited"}},
		{subscriptionEntity, "target", doc{"event": "request.create", "target": "Seeded"}, doc{"target": "Edited"}},
	} {
		t.Run(tc.e.name, func(t *testing.T) {
			fake, url := tiledesktest.NewTest(t, tiledesktest.Options{})
			api := newAPIBackend(url, tiledesktest.Token, tiledesktest.ProjectID)
			local := localBackend{fake}
			project := tiledesktest.OtherProjectID
			before := len(local.Live(t, tc.e, project)) // a project has a default department

			id := fmt.Sprint(api.Seed(t, tc.e, project, tc.seed)["_id"])
			stored, ok := local.Get(t, tc.e, id)
			if !ok || stored[tc.key] != "Seeded" || stored["id_project"] != project || stored["createdBy"] != tiledesktest.UserID {
				t.Fatalf("seeded %s, the local API holds %v", id, stored)
			}
			api.Edit(t, tc.e, id, tc.patch)
			got, _ := api.Get(t, tc.e, id)
			for k, want := range tc.patch {
				if fmt.Sprint(got[k]) != fmt.Sprint(want) {
					t.Errorf("after the edit %s = %v, want %v", k, got[k], want)
				}
			}
			for k, v := range tc.seed { // the form sends every key: the others are kept
				if _, patched := tc.patch[k]; !patched && fmt.Sprint(got[k]) != fmt.Sprint(v) {
					t.Errorf("after the edit %s = %v, want it kept (%v)", k, got[k], v)
				}
			}
			if live := api.Live(t, tc.e, project); len(live) != before+1 || live[before]["_id"] != id {
				t.Fatalf("live %s: %v", tc.e.name, live)
			}
			api.Delete(t, tc.e, id)
			if got, ok := local.Get(t, tc.e, id); ok == tc.e.hardDelete {
				t.Fatalf("after the delete the local API holds %v (found %v)", got, ok)
			}
			if live := api.Live(t, tc.e, project); len(live) != before {
				t.Fatalf("live %s after the delete: %v", tc.e.name, live)
			}
			if tc.e.removeQuery != "" {
				api.Remove(t, tc.e, id)
				if got, ok := local.Get(t, tc.e, id); ok {
					t.Fatalf("after the removal the local API holds %v", got)
				}
			}
			if _, ok := api.Get(t, tc.e, "6750c0ffee0000000000ffff"); ok {
				t.Fatal("Get found an object that does not exist")
			}
		})
	}
}
