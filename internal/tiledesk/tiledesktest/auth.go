package tiledesktest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
)

// roleRank is the server's role hierarchy (middleware/has-role.js): a route
// that needs a role lets in that role and every one above it.
var roleRank = map[string]int{"guest": 1, "user": 2, "teammate": 3, "agent": 4, "supervisor": 5, "admin": 6, "owner": 7}

// checkProject is the project check in front of every /{project}/ path,
// before any credentials are looked at: a malformed id, then an unknown one.
func (s *Server) checkProject(w http.ResponseWriter, req request) bool {
	if !isObjectID(req.project) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Invalid project id: " + req.project})
		return false
	}
	s.mu.Lock()
	known := s.st.projects[objectID(req.project)]
	s.mu.Unlock()
	if !known {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Project not found with id: " + req.project})
		return false
	}
	return true
}

// authorize runs the checks in front of the segment and lead routes, after
// the project check: credentials (passport basic+jwt), then the role. It
// fills req.user, or answers and returns false.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, req *request) bool {
	user, status := s.authenticate(r.Header.Get("Authorization"))
	if status != http.StatusOK {
		writeText(w, status)
		return false
	}
	switch role := user.Roles[objectID(req.project)]; {
	case role == "":
		writeMsg(w, http.StatusForbidden, "you dont belong to the project.")
		return false
	case roleRank[role] < roleRank[cmp.Or(neededRole(req), "agent")]:
		writeMsg(w, http.StatusForbidden, "you dont have the required role.")
		return false
	}
	req.user = user
	return true
}

// neededRole is the least role of the request's route ("" for agent).
func neededRole(req *request) string {
	if req.route == nil {
		return ""
	}
	return req.route.role
}

// authenticate imitates passport.authenticate(['basic', 'jwt']): the first
// strategy failure with a status wins (basic's 400 for a header without a
// space-separated scheme, or Basic credentials without a colon), otherwise
// 401.
func (s *Server) authenticate(header string) (User, int) {
	if header == "" {
		return User{}, http.StatusUnauthorized
	}
	scheme, cred, found := strings.Cut(header, " ")
	if !found {
		return User{}, http.StatusBadRequest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch strings.ToLower(scheme) {
	case "basic":
		email, password, ok := strings.Cut(decodeBase64(cred), ":")
		if !ok {
			return User{}, http.StatusBadRequest
		}
		if u, ok := s.st.userByEmail(email); ok && u.Password == password {
			return u, http.StatusOK
		}
	case "jwt":
		if fields := strings.Fields(cred); len(fields) > 0 {
			if u, ok := s.st.userByToken(fields[0]); ok {
				return u, http.StatusOK
			}
		}
	}
	return User{}, http.StatusUnauthorized
}

// decodeBase64 decodes leniently, like Node's Buffer.from(s, 'base64').
func decodeBase64(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return ""
	}
	return string(b)
}

// signin serves POST /auth/signin.
func (s *Server) signin(w http.ResponseWriter, r *http.Request, _ request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	var email, password string
	_ = json.Unmarshal(fields["email"], &email)
	_ = json.Unmarshal(fields["password"], &password)
	s.mu.Lock()
	u, found := s.st.userByEmail(email)
	s.mu.Unlock()
	switch {
	case !found || email == "":
		writeMsg(w, http.StatusUnauthorized, "Authentication failed. User not found.")
	case u.Password != password:
		writeMsg(w, http.StatusUnauthorized, "Authentication failed. Wrong password.")
	default:
		writeJSON(w, http.StatusOK, map[string]any{
			"success": true,
			"token":   "JWT " + u.Token,
			"user":    map[string]string{"_id": u.ID, "email": u.Email},
		})
	}
}
