package tiledesk

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

func TestParseBaseURLValid(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"", DefaultBaseURL},
		{"   ", DefaultBaseURL},
		{DefaultBaseURL, DefaultBaseURL},
		{DefaultBaseURL + "/", DefaultBaseURL},
		{"https://api.tiledesk.com/v3//", DefaultBaseURL},
		{"http://localhost:3000", "http://localhost:3000"},
		{"http://localhost:3000/", "http://localhost:3000"},
		{"  http://localhost:3000/  ", "http://localhost:3000"},
		{"HTTPS://tiledesk.example.com/api/", "https://tiledesk.example.com/api"},
		{"http://[::1]:3000/v3", "http://[::1]:3000/v3"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			u, err := ParseBaseURL(tt.raw)
			if err != nil {
				t.Fatalf("ParseBaseURL(%q): %v", tt.raw, err)
			}
			if got := u.String(); got != tt.want {
				t.Errorf("ParseBaseURL(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestParseBaseURLInvalid(t *testing.T) {
	const secret = "hunter2-very-secret"
	tests := []struct {
		name, raw string
	}{
		{"no scheme", "localhost:3000"},
		{"no scheme with path", "api.tiledesk.com/v3"},
		{"ftp", "ftp://api.tiledesk.com/v3"},
		{"ws", "ws://api.tiledesk.com/v3"},
		{"empty host", "http://"},
		{"empty host with path", "https:///v3"},
		{"relative path", "/v3"},
		{"unparsable", "http://[::1"},
		{"credentials", "https://ops:" + secret + "@api.tiledesk.com/v3"},
		{"credentials self-hosted", "http://admin:" + secret + "@localhost:3000"},
		{"query", "https://api.tiledesk.com/v3?x=1"},
		{"fragment", "https://api.tiledesk.com/v3#top"},
		// The URL is rejected for its scheme or host, but it also carries a
		// secret, which the message must not repeat.
		{"credentials and ftp", "ftp://ops:" + secret + "@api.tiledesk.com/v3"},
		{"credentials and empty host", "http://ops:" + secret + "@"},
		{"token as user name", "https://" + secret + "@api.tiledesk.com/v3"},
		{"token in the query", "https://api.tiledesk.com/v3?token=" + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := ParseBaseURL(tt.raw)
			if err == nil {
				t.Fatalf("ParseBaseURL(%q) = %v, want an error", tt.raw, u)
			}
			assertNoSecret(t, "ParseBaseURL error", err.Error(), secret)
			if !strings.Contains(err.Error(), "API URL") {
				t.Errorf("error %q does not say what is wrong", err)
			}

			c, err := NewClient(Config{BaseURL: tt.raw, Token: "tok"})
			if err == nil {
				t.Fatalf("NewClient accepted %q", tt.raw)
			}
			if c != nil {
				t.Errorf("NewClient returned a client with its error")
			}
			assertNoSecret(t, "NewClient error", err.Error(), secret)
		})
	}
}

func TestDefaultBaseURLEndpoint(t *testing.T) {
	c := mustClient(t, Config{Token: "tok"})
	full, path := c.endpoint(nil, tiledesktest.ProjectID, "segments")
	if want := "https://api.tiledesk.com/v3/" + tiledesktest.ProjectID + "/segments"; full != want {
		t.Errorf("endpoint = %q, want %q", full, want)
	}
	if want := "/" + tiledesktest.ProjectID + "/segments"; path != want {
		t.Errorf("path = %q, want %q", path, want)
	}
}

// The client reaches the fake whether it serves at its root (self-hosted)
// or under /v3 (cloud), with or without a trailing slash on the base URL.
func TestBaseURLAgainstFake(t *testing.T) {
	for _, basePath := range []string{"", "/v3"} {
		for _, slash := range []string{"", "/"} {
			t.Run("base "+basePath+" slash "+slash, func(t *testing.T) {
				fake, base := tiledesktest.NewTest(t, tiledesktest.Options{BasePath: basePath})
				if !strings.HasSuffix(base, basePath) {
					t.Fatalf("fake base %q does not end with %q", base, basePath)
				}
				seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "a"})
				c := mustClient(t, testConfig(base+slash))
				got, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, seg.ID)
				if err != nil {
					t.Fatalf("GetSegment: %v", err)
				}
				if got.ID != seg.ID || got.Name != "a" {
					t.Errorf("got %+v, want the seeded segment %s", got, seg.ID)
				}
				if n := fake.Count("GET", "segment"); n != 1 {
					t.Errorf("fake saw %d GET segment, want 1", n)
				}
			})
		}
	}
}

// Forgetting the /v3 prefix of the cloud gives express's HTML 404, which the
// client reports as a 404 APIError, not as a decoding error.
func TestBaseURLMissingPrefix(t *testing.T) {
	_, base := tiledesktest.NewTest(t, tiledesktest.Options{BasePath: "/v3"})
	c := mustClient(t, testConfig(strings.TrimSuffix(base, "/v3")))
	_, err := Segments.Page(t.Context(), c, tiledesktest.ProjectID, ListOptions{})
	e := asAPIError(t, err)
	if e.StatusCode != http.StatusNotFound || !IsNotFound(err) {
		t.Errorf("status = %d, want 404", e.StatusCode)
	}
	if strings.Contains(err.Error(), "invalid character") {
		t.Errorf("error shows a JSON decoding error: %v", err)
	}
}

func TestAuthorizationHeader(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("ops@example.com:p@ss:word"))
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"bare token", Config{Token: "abc.def"}, "JWT abc.def"},
		{"JWT prefix", Config{Token: "JWT abc.def"}, "JWT abc.def"},
		{"lower case prefix", Config{Token: "jwt abc.def"}, "JWT abc.def"},
		{"spaces around", Config{Token: "  JWT abc.def \n"}, "JWT abc.def"},
		{"spaces after prefix", Config{Token: "JWT   abc.def"}, "JWT abc.def"},
		{"spaces around bare", Config{Token: "\tabc.def "}, "JWT abc.def"},
		{"basic", Config{Email: "ops@example.com", Password: "p@ss:word"}, basic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got atomic.Value
			c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
				got.Store(r.Header.Get("Authorization"))
				writeJSONBody(w, 200, segmentJSON)
			}, func(cfg *Config) {
				cfg.Token, cfg.Email, cfg.Password = tt.cfg.Token, tt.cfg.Email, tt.cfg.Password
			})
			if _, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000abcd"); err != nil {
				t.Fatal(err)
			}
			if got.Load() != tt.want {
				t.Errorf("Authorization = %q, want %q", got.Load(), tt.want)
			}
		})
	}
}

// Both accepted forms authenticate against the fake.
func TestAuthAgainstFake(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"token", nil},
		{"token with prefix", func(c *Config) { c.Token = "JWT " + tiledesktest.Token }},
		{"token with prefix and spaces", func(c *Config) { c.Token = "  JWT " + tiledesktest.Token + "  " }},
		{"basic", func(c *Config) { c.Token, c.Email, c.Password = "", tiledesktest.Email, tiledesktest.Password }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c := newFake(t, tiledesktest.Options{}, tt.edit)
			seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "x"})
			if _, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, seg.ID); err != nil {
				t.Fatalf("GetSegment: %v", err)
			}
		})
	}
}

func TestNewClientCredentialErrors(t *testing.T) {
	const token, password = "eyJ.secret-token", "secret-Passw0rd"
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"neither", Config{}, "no credentials"},
		{"blank token", Config{Token: "  \t"}, "no credentials"},
		{"token and basic", Config{Token: token, Email: "a@b.c", Password: password}, "exactly one"},
		{"token and email", Config{Token: token, Email: "a@b.c"}, "exactly one"},
		{"token and password", Config{Token: token, Password: password}, "exactly one"},
		{"email only", Config{Email: "a@b.c"}, "both an email and a password"},
		{"password only", Config{Password: password}, "both an email and a password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.cfg)
			if err == nil {
				t.Fatalf("NewClient accepted %s", tt.name)
			}
			if c != nil {
				t.Error("NewClient returned a client with its error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			assertNoSecret(t, "NewClient error", err.Error(), token, password, "secret")
		})
	}
}

func TestAuthErrorsFromFake(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Config)
		project string
		status  int
		message string
		kind    Kind
	}{
		{"wrong token", func(c *Config) { c.Token = "JWT wrong-token-value" }, tiledesktest.ProjectID, 401, "Unauthorized", KindUnauthorized},
		{"wrong password", func(c *Config) { c.Token, c.Email, c.Password = "", tiledesktest.Email, "wrong-password-value" }, tiledesktest.ProjectID, 401, "Unauthorized", KindUnauthorized},
		{"not a member", nil, tiledesktest.ForeignProjectID, 403, "you dont belong to the project.", KindForbidden},
		{"role too low", nil, tiledesktest.GuestProjectID, 403, "you dont have the required role.", KindForbidden},
		{"invalid project id", nil, "not-a-project", 400, "Invalid project id: not-a-project", KindBadRequest},
		{"unknown project", nil, "6750c0ffee0000000000dead", 400, "Project not found with id: 6750c0ffee0000000000dead", KindBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, c := newFake(t, tiledesktest.Options{}, tt.edit)
			_, err := Segments.Page(t.Context(), c, tt.project, ListOptions{})
			e := asAPIError(t, err)
			if e.StatusCode != tt.status || e.Message != tt.message {
				t.Errorf("got %d %q, want %d %q", e.StatusCode, e.Message, tt.status, tt.message)
			}
			if k := Classify(err); k != tt.kind {
				t.Errorf("Classify = %v, want %v for %v", k, tt.kind, err)
			}
			if e.Attempts != 1 || fake.Count("", "") > 1 {
				t.Errorf("a %d was retried: %d attempts", tt.status, e.Attempts)
			}
			assertNoSecret(t, "error", err.Error(), "wrong-token-value", "wrong-password-value", tiledesktest.Token, tiledesktest.Password)
		})
	}
}

func TestUserAgent(t *testing.T) {
	for _, tt := range []struct{ configured, want string }{
		{"terraform-provider-tiledesk/1.2.3 (+https://registry.terraform.io)", "terraform-provider-tiledesk/1.2.3 (+https://registry.terraform.io)"},
		{"", "terraform-provider-tiledesk"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			var mu sync.Mutex
			var agents, accepts []string
			c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				agents = append(agents, r.UserAgent())
				accepts = append(accepts, r.Header.Get("Accept"))
				mu.Unlock()
				if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/segments") {
					writeJSONBody(w, 200, `{"perPage":40,"count":0,"segments":[]}`)
					return
				}
				writeJSONBody(w, 200, segmentJSON)
			}, func(cfg *Config) { cfg.UserAgent = tt.configured })
			ctx := t.Context()
			if _, err := Segments.Create(ctx, c, tiledesktest.ProjectID, SegmentInput{Name: "n", Match: MatchAll}); err != nil {
				t.Fatal(err)
			}
			if _, err := Segments.List(ctx, c, tiledesktest.ProjectID); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			for i, ua := range agents {
				if ua != tt.want {
					t.Errorf("request %d: User-Agent %q, want %q", i, ua, tt.want)
				}
				if accepts[i] != "application/json" {
					t.Errorf("request %d: Accept %q", i, accepts[i])
				}
			}
		})
	}
}

// Ids are path-escaped once: the server decodes them back to what was given.
func TestEndpointEscaping(t *testing.T) {
	var mu sync.Mutex
	var paths, rawURIs []string
	c := newHandlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		rawURIs = append(rawURIs, r.RequestURI)
		mu.Unlock()
		writeJSONBody(w, 404, `{"success":false,"msg":"Object not found."}`)
	}, nil)
	for _, id := range []string{"a b", "a/b", "50%", "é?x#y"} {
		_, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, id)
		if !IsNotFound(err) {
			t.Fatalf("GetSegment(%q): %v", id, err)
		}
		e := asAPIError(t, err)
		mu.Lock()
		gotPath, gotURI := paths[len(paths)-1], rawURIs[len(rawURIs)-1]
		mu.Unlock()
		if want := "/" + tiledesktest.ProjectID + "/segments/" + id; gotPath != want {
			t.Errorf("id %q: server decoded the path to %q (request URI %q), want %q", id, gotPath, gotURI, want)
		}
		if want := "/" + tiledesktest.ProjectID + "/segments/" + url.PathEscape(id); e.Path != want {
			t.Errorf("id %q: error path %q, want %q", id, e.Path, want)
		}
	}
}

// A single Client shared by 50 goroutines: run with -race.
func TestConcurrentUse(t *testing.T) {
	fake, c := newFake(t, tiledesktest.Options{}, nil)
	const workers = 50
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers)
	ids := make(chan string, workers)
	for i := range workers {
		wg.Go(func() {
			s, err := Segments.Create(t.Context(), c, tiledesktest.ProjectID, SegmentInput{
				Name: "concurrent", Match: MatchAny,
				Filters: []Filter{rawFilter("attributes.n", "=", fmt.Sprintf(`"w%d"`, i))},
			})
			if err != nil {
				errs <- err
				return
			}
			got, err := Segments.Get(t.Context(), c, tiledesktest.ProjectID, s.ID)
			if err != nil {
				errs <- err
				return
			}
			if want := fmt.Sprintf(`"w%d"`, i); got.ID != s.ID || len(got.Filters) != 1 || string(got.Filters[0].Value) != want {
				t.Errorf("worker %d read %s %+v, want %s with value %s", i, got.ID, got.Filters, s.ID, want)
			}
			ids <- s.ID
		})
	}
	wg.Wait()
	close(errs)
	close(ids)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("id %s returned twice", id)
		}
		seen[id] = true
	}
	if n := len(fake.Segments(tiledesktest.ProjectID, false)); n != workers {
		t.Errorf("fake holds %d segments, want %d", n, workers)
	}
	if n := fake.Count("POST", "segments"); n != workers {
		t.Errorf("fake saw %d POSTs, want %d", n, workers)
	}
}

// Sequential requests reuse one pooled keep-alive connection.
func TestKeepAlive(t *testing.T) {
	fake := tiledesktest.New(tiledesktest.Options{})
	ts := httptest.NewUnstartedServer(fake)
	var newConns atomic.Int32
	ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			newConns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(fake.Close)

	c := mustClient(t, testConfig(ts.URL))
	seg := fake.Seed(tiledesktest.ProjectID, tiledesktest.Segment{Name: "k"})
	const requests = 200
	for i := range requests {
		var err error
		switch i % 4 {
		case 0:
			_, err = Segments.Get(t.Context(), c, tiledesktest.ProjectID, seg.ID)
		case 1:
			_, err = Segments.Page(t.Context(), c, tiledesktest.ProjectID, ListOptions{Limit: 10})
		case 2:
			_, err = putSegment(t.Context(), c, seg.ID, SegmentInput{Name: "k", Match: MatchAll})
		case 3:
			// An error answer must not cost the connection either.
			_, err = Segments.Get(t.Context(), c, tiledesktest.ProjectID, "6750c0ffee0000000000beef")
			if IsNotFound(err) {
				err = nil
			}
		}
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if n := newConns.Load(); n > 10 {
		t.Errorf("%d new connections for %d sequential requests: keep-alive is not working", n, requests)
	}
}

// An invalid API URL is quoted as written (not URL-escaped), without its
// user info, query or fragment.
func TestParseBaseURLQuotesAsWritten(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"not a url", `the API URL "not a url" is not`},
		{"ftp://ops:pw@api.tiledesk.com/v%203?token=x", `the API URL "ftp://api.tiledesk.com/v%203" is not`},
		{"https://ops@api.tiledesk.com/v3#top", `the API URL "https://api.tiledesk.com/v3" must not carry`},
	}
	for _, tt := range tests {
		_, err := ParseBaseURL(tt.raw)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseBaseURL(%q) = %v, want an error starting %q", tt.raw, err, tt.want)
		}
	}
}
