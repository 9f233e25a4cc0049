// Package tiledesktest is an in-memory imitation of the Tiledesk segments and
// leads API, faithful to the real server (tiledesk-server 2.19) including its
// traps: soft delete, upsert on PUT and DELETE, no project check on the
// single-segment routes, type-strict lead matching and routes that never
// answer. CONTRACT.md beside this file describes the behaviour it imitates;
// fidelity_test.go (make fidelity) compares it with a real server.
//
// Its routes and entities are one table (routes.go): a new route or entity
// is a row plus its handlers. It is used by the provider's tests, by the
// standalone tiledesk-local-api command and by benchmarks. Standard library
// only.
package tiledesktest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Fixed identities of the default set-up.
const (
	// ProjectID is the default project; the default user is its owner.
	ProjectID = "6750c0ffee00000000001234"
	// OtherProjectID is a second project; the default user is admin there.
	OtherProjectID = "6750c0ffee00000000005555"
	// ForeignProjectID exists but the default user is not a member.
	ForeignProjectID = "6750c0ffee00000000009999"
	// GuestProjectID exists and the default user has the role "guest" there.
	GuestProjectID = "6750c0ffee00000000007777"
	// Token is the default user's JWT, without the "JWT " scheme: shaped as
	// the server's, its payload holds the user's `_id` (UserID); the
	// signature is not one.
	Token = "eyJhbGciOiJIUzI1NiJ9.eyJfaWQiOiI2NzUwYzBmZmVlMDAwMDAwMDAwMDU2NzgifQ.fake-test-signature"
	// Email is the default user's e-mail (sign-in and Basic auth).
	Email = "ops@example.com"
	// Password is the default user's password.
	Password = "s3cret-Passw0rd!"
	// UserID is the default user's id.
	UserID = "6750c0ffee00000000005678"
)

// The second default user, an agent of ProjectID and OtherProjectID: for
// what depends on the caller's role and ownership (canned responses, the
// admin-only routes).
const (
	AgentUserID   = "6750c0ffee0000000000a9e1"
	AgentEmail    = "agent@example.com"
	AgentPassword = "agent-Passw0rd!"
	AgentToken    = "eyJhbGciOiJIUzI1NiJ9.eyJfaWQiOiI2NzUwYzBmZmVlMDAwMDAwMDAwMGE5ZTEifQ.fake-agent-signature" // payload: AgentUserID
)

// Options configures a Server. The zero value gives the default set-up.
type Options struct {
	BasePath string           // "" (root, self-hosted) or a prefix such as "/v3" (cloud)
	Latency  time.Duration    // added before every API answer
	Users    []User           // nil => the default user and the agent (AgentUser)
	Projects []string         // nil => the four default projects
	Now      func() time.Time // nil => time.Now; timestamps still strictly increase per write
}

// AgentUser returns the second default user: agent of ProjectID and
// OtherProjectID.
func AgentUser() User {
	return User{
		ID: AgentUserID, Email: AgentEmail, Password: AgentPassword, Token: AgentToken,
		Roles: map[string]string{ProjectID: "agent", OtherProjectID: "agent"},
	}
}

// User is an account of the fake. Roles maps a project id to a role
// ("owner", "admin", "agent" pass the segment routes; "guest" does not).
type User struct {
	ID, Email, Password, Token string
	Roles                      map[string]string
}

// Server is the fake API. It is an http.Handler, safe for concurrent use.
type Server struct {
	base    string
	now     func() time.Time
	latency atomic.Int64
	admin   *http.ServeMux

	done      chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	st       store
	faults   faultQueue
	counts   map[countKey]int
	writes   int
	lastTime time.Time
}

// New returns a fake server configured by opts.
func New(opts Options) *Server {
	s := &Server{
		base:   normalizeBasePath(opts.BasePath),
		now:    opts.Now,
		done:   make(chan struct{}),
		counts: map[countKey]int{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.latency.Store(int64(opts.Latency))
	s.st = newStore(s.now().Unix())
	s.faults = newFaultQueue()
	users := opts.Users
	if users == nil {
		users = []User{DefaultUser(), AgentUser()}
	}
	for _, u := range users {
		s.AddUser(u)
	}
	projects := opts.Projects
	if projects == nil {
		projects = []string{ProjectID, OtherProjectID, ForeignProjectID, GuestProjectID}
	}
	for _, p := range projects {
		s.AddProject(p)
	}
	s.admin = s.adminMux()
	return s
}

// DefaultUser returns the default user: owner of ProjectID, admin of
// OtherProjectID, guest of GuestProjectID, not a member of ForeignProjectID.
func DefaultUser() User {
	return User{
		ID: UserID, Email: Email, Password: Password, Token: Token,
		Roles: map[string]string{ProjectID: "owner", OtherProjectID: "admin", GuestProjectID: "guest"},
	}
}

// NewTest starts the fake on an httptest server, closes both when the test
// ends and returns the base URL including BasePath, without trailing slash.
func NewTest(tb testing.TB, opts Options) (*Server, string) {
	tb.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	tb.Cleanup(func() {
		s.Close() // unblock hanging requests first: ts.Close waits for them
		ts.Close()
	})
	return s, ts.URL + s.base
}

// Close unblocks every hanging request (their connections are dropped
// without an answer). The server keeps serving other requests.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}

// ServeHTTP serves the API under BasePath and the admin surface under /__fake/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		s.admin.ServeHTTP(w, r)
		return
	}
	if !s.sleep(r.Context(), time.Duration(s.latency.Load())) {
		abort(w)
		return
	}
	// express runs the JSON body parser before any route, then the project
	// check of every /:projectid/ path, then the auth of the mounted routes.
	if !parseBodyFirst(w, r) {
		return
	}
	req, ok := apiRouter.find(s.base, r.Method, r.URL.EscapedPath())
	if !ok {
		writeCannot(w, r)
		return
	}
	if req.route != nil && !req.mounted {
		s.serve(w, r, req) // outside /{project}/ (the sign-in): no checks
		return
	}
	if !s.checkProject(w, req) {
		return
	}
	if !req.mounted {
		writeCannot(w, r) // no router is mounted there: no auth either
		return
	}
	if (req.route == nil || !req.route.public) && !s.authorize(w, r, &req) {
		return
	}
	if req.route == nil {
		writeCannot(w, r) // express: the auth middleware ran, then no route matched
		return
	}
	s.serve(w, r, req)
}

// serve counts the request, applies a matching fault or runs the handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, req request) {
	rt := req.route
	s.count(r.Method, rt.name, rt.write)
	if f, ok := s.takeFault(r.Method, rt.name); ok {
		s.applyFault(w, r, f, func(w http.ResponseWriter) { rt.handle(s, w, r, req) })
		return
	}
	rt.handle(s, w, r, req)
}

// sleep waits d; false if the request ended first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.done:
		return true
	case <-ctx.Done():
		return false
	}
}

// hang never answers: it blocks until the client is gone or the server is
// closed, then drops the connection. It reads the body first, as the real
// server's body parser does, so that net/http notices a client that leaves.
func (s *Server) hang(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-s.done:
	}
	abort(w)
}

// abort drops the connection without an answer. When the writer cannot be
// hijacked it panics with http.ErrAbortHandler, which net/http turns into a
// dropped connection too.
func abort(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

// stamp returns the time of a write: millisecond precision, strictly after
// the previous one. s.mu must be held.
func (s *Server) stamp() time.Time {
	t := s.now().UTC().Truncate(time.Millisecond)
	if !t.After(s.lastTime) {
		t = s.lastTime.Add(time.Millisecond)
	}
	s.lastTime = t
	return t
}

func normalizeBasePath(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return ""
	}
	return "/" + p
}
