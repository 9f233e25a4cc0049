package tiledesktest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func basic(email, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(email+":"+password))
}

func TestAuthentication(t *testing.T) {
	tests := []struct {
		name, header string
		status       int
	}{
		{"JWT scheme", "JWT " + Token, 200},
		{"scheme is case-insensitive", "jwt " + Token, 200},
		{"Basic", basic(Email, Password), 200},
		{"Basic, e-mail in another case", basic(strings.ToUpper(Email), Password), 200},
		{"Bearer refused", "Bearer " + Token, 401},
		{"unknown token", "JWT eyJnope", 401},
		{"doubled JWT prefix", "JWT JWT " + Token, 401},
		{"Basic, wrong password", basic(Email, "nope"), 401},
		{"Basic, unknown user", basic("who@example.com", Password), 401},
		{"missing header", "", 401},
		{"no scheme", Token, 400},
		{"Basic without colon", "Basic " + base64.StdEncoding.EncodeToString([]byte(Email)), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newClient(t, Options{})
			c.auth = tt.header
			a := c.send(http.MethodGet, segmentsPath(ProjectID), nil)
			if tt.status == 200 {
				a.object(t)
				return
			}
			a.wantText(t, tt.status, "", http.StatusText(tt.status))
			if string(a.body) != http.StatusText(tt.status) {
				t.Fatalf("body %q", a.body)
			}
			if n := s.Count("", ""); n != 0 {
				t.Fatalf("refused request counted: %d", n)
			}
		})
	}
}

func TestProjectAndRoleChecks(t *testing.T) {
	_, c := newClient(t, Options{})
	var got map[string]any
	c.send(http.MethodGet, segmentsPath("not-an-id"), nil).want(t, 400, &got)
	if got["error"] != "Invalid project id: not-an-id" || len(got) != 1 {
		t.Fatalf("invalid project: %v", got)
	}
	unknown := "6750c0ffee0000000000dead"
	c.send(http.MethodGet, segmentsPath(unknown), nil).want(t, 400, &got)
	if got["error"] != "Project not found with id: "+unknown {
		t.Fatalf("unknown project: %v", got)
	}
	c.send(http.MethodGet, segmentsPath(ForeignProjectID), nil).wantMsg(t, 403, "you dont belong to the project.")
	c.send(http.MethodPost, segmentsPath(GuestProjectID), `{"name":"x"}`).wantMsg(t, 403, "you dont have the required role.")
	c.send(http.MethodGet, "/"+GuestProjectID+"/leads", nil).wantMsg(t, 403, "you dont have the required role.")
	c.send(http.MethodGet, segmentsPath(OtherProjectID), nil).object(t) // admin
	// The project is checked before the credentials; 12 characters cast to an id.
	c.auth = "Bearer " + Token
	c.send(http.MethodGet, segmentsPath("not-an-id"), nil).wantJSON(t, 400, `{"error":"Invalid project id: not-an-id"}`)
	c.send(http.MethodGet, segmentsPath("abcdefghijkl"), nil).wantJSON(t, 400, `{"error":"Project not found with id: abcdefghijkl"}`)
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).wantText(t, 401, "", "Unauthorized")
	c.send(http.MethodGet, "/"+ProjectID+"/other", nil).wantText(t, 404, contentHTML, "Cannot GET")
}

func TestCustomUsersAndProjects(t *testing.T) {
	agent := User{ID: "6750c0ffee00000000000a01", Email: "agent@example.com", Password: "pw", Token: "agent-token",
		Roles: map[string]string{"6750C0FFEE00000000000B01": "agent"}}
	s, c := newClient(t, Options{Users: []User{agent}, Projects: []string{"6750c0ffee00000000000b01"}})
	c.auth = "JWT agent-token"
	seg := c.create("6750c0ffee00000000000b01", map[string]any{"name": "n"})
	if seg.CreatedBy != agent.ID {
		t.Fatalf("createdBy = %q", seg.CreatedBy)
	}
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).want(t, 400, nil) // default projects not there
	c.auth = jwtAuth
	c.send(http.MethodGet, segmentsPath("6750c0ffee00000000000b01"), nil).wantText(t, 401, "", "Unauthorized")

	s.AddUser(User{ID: "6750c0ffee00000000000a02", Email: "new@example.com", Password: "pw2",
		Roles: map[string]string{"6750c0ffee00000000000b02": "owner"}})
	s.AddProject("6750c0ffee00000000000b02")
	c.auth = basic("new@example.com", "pw2")
	c.send(http.MethodGet, segmentsPath("6750c0ffee00000000000b02"), nil).object(t)
}

func TestSignin(t *testing.T) {
	_, c := newClient(t, Options{BasePath: "/v3"})
	c.auth = ""
	got := c.send(http.MethodPost, "/auth/signin", map[string]string{"email": Email, "password": Password}).object(t)
	user, _ := got["user"].(map[string]any)
	if got["success"] != true || got["token"] != "JWT "+Token || user["_id"] != UserID || user["email"] != Email {
		t.Fatalf("signin = %v", got)
	}
	c.auth = got["token"].(string)
	c.send(http.MethodGet, segmentsPath(ProjectID), nil).object(t)

	c.auth = ""
	c.send(http.MethodPost, "/auth/signin", map[string]string{"email": Email, "password": "nope"}).
		wantMsg(t, 401, "Authentication failed. Wrong password.")
	c.send(http.MethodPost, "/auth/signin", map[string]string{"email": "who@example.com", "password": Password}).
		wantMsg(t, 401, "Authentication failed. User not found.")
	// Only POST is a sign-in route: anything else goes on to the project check.
	c.send(http.MethodGet, "/auth/signin", nil).wantJSON(t, 400, `{"error":"Invalid project id: auth"}`)
}

func TestBasePathAndUnknownRoutes(t *testing.T) {
	_, c := newClient(t, Options{BasePath: "v3/"})
	if !strings.HasSuffix(c.base, "/v3") {
		t.Fatalf("NewTest URL %q does not end with /v3", c.base)
	}
	c.create(ProjectID, map[string]any{"name": "cloud"})
	if _, count, _ := c.list(ProjectID, ""); count != 1 {
		t.Fatalf("count %d", count)
	}
	c.send(http.MethodGet, segmentsPath(ProjectID)+"/", nil).object(t) // trailing slash

	root := &client{t: t, base: strings.TrimSuffix(c.base, "/v3"), auth: jwtAuth}
	root.send(http.MethodGet, segmentsPath(ProjectID), nil).
		wantText(t, 404, contentHTML, "Cannot GET "+segmentsPath(ProjectID))
	c.send(http.MethodGet, "/"+ProjectID+"/widgets", nil).wantText(t, 404, contentHTML, "Cannot GET /v3/"+ProjectID+"/widgets")
	// Behind the auth middleware: credentials first, then 404.
	c.send(http.MethodPatch, segmentPath(ProjectID, "6750c0ffee0000000000abcd"), nil).wantText(t, 404, contentHTML, "Cannot PATCH")
	c.auth = ""
	c.send(http.MethodPatch, segmentPath(ProjectID, "6750c0ffee0000000000abcd"), nil).wantText(t, 401, "", "Unauthorized")
}

// Tokens are shaped as the server's JWTs: their payload names the user's
// `_id`, which the provider reads to know whose objects are its own.
func TestTokensNameTheirUser(t *testing.T) {
	s, _ := NewTest(t, Options{})
	s.AddUser(User{ID: "6750c0ffee00000000000a03", Email: "gen@example.com", Password: "pw"})
	var generated string
	s.mu.Lock()
	for _, u := range s.st.users {
		if u.ID == "6750c0ffee00000000000a03" {
			generated = u.Token
		}
	}
	s.mu.Unlock()
	for token, want := range map[string]string{Token: UserID, AgentToken: AgentUserID, generated: "6750c0ffee00000000000a03"} {
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			t.Errorf("token %q: %d parts, want 3", token, len(parts))
			continue
		}
		raw, err := base64.RawURLEncoding.DecodeString(parts[1])
		var claims struct {
			ID string `json:"_id"`
		}
		if err != nil || json.Unmarshal(raw, &claims) != nil || claims.ID != want {
			t.Errorf("token %q names user %q (%v), want %q", token, claims.ID, err, want)
		}
	}
}
