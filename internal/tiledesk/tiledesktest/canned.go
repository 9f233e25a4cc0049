package tiledesktest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
)

// Canned responses (pubmodules/canned/cannedResponseRoute.js), behind the
// agent role. GET by id answers only the creator (any project); PUT and
// DELETE look the response up in the URL's project first (no ghosts), then
// check the caller's right to it; DELETE is soft (status 1000), DELETE
// .../physical removes it. The list shows the live ones that are shared or
// the caller's own, 1000 a page.
var cannedRoutes = []route{
	{method: http.MethodGet, pattern: "{project}/canned", name: routeCanned, handle: (*Server).listCanned},
	{method: http.MethodPost, pattern: "{project}/canned", name: routeCanned, write: true, handle: (*Server).createCanned},
	{method: http.MethodGet, pattern: "{project}/canned/{id}", name: routeCannedOne, handle: (*Server).getCanned},
	{method: http.MethodPut, pattern: "{project}/canned/{id}", name: routeCannedOne, write: true, handle: (*Server).updateCanned},
	{method: http.MethodDelete, pattern: "{project}/canned/{id}", name: routeCannedOne, write: true, handle: (*Server).deleteCanned},
	{method: http.MethodDelete, pattern: "{project}/canned/{id}/physical", name: routeCannedOne, write: true, handle: (*Server).deleteCanned},
}

// The collection and the route names (Fault.Route, Count).
const (
	entityCanned   = "canned"
	routeCanned    = "canned"          // list and create
	routeCannedOne = "canned_response" // the single-id routes
)

// Canned response statuses: live, and deleted by the API's DELETE.
const (
	cannedLive    = 100
	cannedDeleted = 1000
)

// cannedLiveDoc: a canned response the list may show (status below 1000).
func cannedLiveDoc(d doc) bool { n, ok := docStatus(d); return !ok || n < cannedDeleted }

// sortDirection matches the values mongoose's sort takes: any other
// ?direction makes the query throw.
var sortDirection = regexp.MustCompile(`(?i)^(ascending|asc|descending|desc|1|-1)$`)

// listCanned serves GET /{project}/canned: the live canned responses of the
// project that are shared (or have no shared key) or the caller's, sorted
// (default createdAt, newest first), 1000 a page. ?full_text never answers:
// the collection has no text index and the route sends nothing on the error.
func (s *Server) listCanned(w http.ResponseWriter, r *http.Request, req request) {
	q := r.URL.Query()
	if q.Get("full_text") != "" {
		s.hang(w, r)
		return
	}
	if d := q.Get("direction"); d != "" && !sortDirection.MatchString(d) {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"err": "error"})
		return
	}
	docs := s.projectDocs(entityCanned, req.project, func(d doc) bool {
		shared, has := d["shared"]
		return cannedLiveDoc(d) && (!has || shared == true || str(d, "createdBy") == req.user.ID)
	})
	s.writeList(w, r, listShape{pageSize: 1000, sortable: true}, docs, func(d doc) any { return d })
}

// getCanned serves GET /{project}/canned/{id}: findById, any project and
// status, but only for the canned response's creator, whatever the role.
func (s *Server) getCanned(w http.ResponseWriter, _ *http.Request, req request) {
	if !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgGetError)
		return
	}
	d, ok := s.findDoc(entityCanned, req.id)
	switch {
	case !ok:
		writeMsg(w, http.StatusNotFound, msgNotFound)
	case str(d, "createdBy") != req.user.ID:
		writeMsg(w, http.StatusForbidden, "You are not allowed to get a canned response that is not yours.")
	default:
		writeJSON(w, http.StatusOK, d)
	}
}

// castCanned casts the keys sent of title, text (strings) and attributes
// (any value); null is kept as null.
func castCanned(fields map[string]json.RawMessage, keys ...string) (doc, error) {
	d := doc{}
	for _, k := range keys {
		raw, sent := fields[k]
		switch {
		case !sent:
		case bytes.Equal(raw, []byte("null")):
			d[k] = nil
		case k == "attributes":
			var v any
			_ = json.Unmarshal(raw, &v)
			d[k] = v
		default:
			v, err := castString(raw)
			if err != nil {
				return nil, err
			}
			d[k] = *v
		}
	}
	return d, nil
}

// createCanned serves POST /{project}/canned: title and text (required, not
// empty); attributes are ignored. An owner's or admin's canned response is
// always shared; anyone else's only when the JSON boolean true is sent.
func (s *Server) createCanned(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	d, err := castCanned(fields, "title", "text")
	if text, _ := d["text"].(string); err != nil || text == "" {
		writeMsg(w, http.StatusInternalServerError, "Error saving object.")
		return
	}
	role := req.user.Roles[objectID(req.project)]
	d["shared"] = role == "owner" || role == "admin" || bytes.Equal(fields["shared"], []byte("true"))
	d["id_project"], d["createdBy"], d["status"] = req.project, req.user.ID, cannedLive
	stored, _ := s.insertDoc(entityCanned, d) // no unique index
	writeJSON(w, http.StatusOK, stored)
}

// writeCannedError answers {"success":false,"error":msg}, the shape of the
// PUT and DELETE routes' errors.
func writeCannedError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"success": false, "error": msg})
}

// cannedToWrite finds the canned response a PUT or DELETE names in the URL's
// project and checks the caller's right to it (verb: "modify", "delete");
// false when the answer has been written.
func (s *Server) cannedToWrite(w http.ResponseWriter, req request, verb string) bool {
	if !isObjectID(req.id) {
		writeCannedError(w, http.StatusInternalServerError, "General error: cannot find the canned response with id "+req.id)
		return false
	}
	d, ok := s.findDoc(entityCanned, req.id)
	if !ok || str(d, "id_project") != req.project {
		writeCannedError(w, http.StatusNotFound, "Canned response not found with id "+req.id+" for project "+req.project)
		return false
	}
	shared, has := d["shared"]
	private, mine := has && shared == false, str(d, "createdBy") == req.user.ID
	switch role := req.user.Roles[objectID(req.project)]; {
	case role == "agent" && !mine:
		writeCannedError(w, http.StatusForbidden, "You are not allowed to "+verb+" a canned response that is not yours.")
	case (role == "owner" || role == "admin") && private,
		role != "agent" && role != "owner" && role != "admin" && private && !mine: // supervisors
		writeCannedError(w, http.StatusForbidden, "Not allowed to "+verb+" a non administration canned response")
	default:
		return true
	}
	return false
}

// updateCanned serves PUT /{project}/canned/{id}: title, text and
// attributes, each when sent (null included), without validation; shared,
// status and the project are never changed.
func (s *Server) updateCanned(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	if !s.cannedToWrite(w, req, "modify") {
		return
	}
	u, err := castCanned(fields, "title", "text", "attributes")
	if err != nil {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	d, _ := s.updateDoc(entityCanned, req.id, u, true)
	writeJSON(w, http.StatusOK, d)
}

// deleteCanned serves DELETE /{project}/canned/{id} (status 1000, answering
// the canned response) and DELETE /{project}/canned/{id}/physical (removed
// for good, answering the count).
func (s *Server) deleteCanned(w http.ResponseWriter, _ *http.Request, req request) {
	if !s.cannedToWrite(w, req, "delete") {
		return
	}
	if req.route.pattern == "{project}/canned/{id}/physical" {
		s.removeDoc(entityCanned, req.id)
		writeJSON(w, http.StatusOK, map[string]int{"n": 1, "ok": 1, "deletedCount": 1})
		return
	}
	d, _ := s.updateDoc(entityCanned, req.id, doc{"status": cannedDeleted}, true)
	writeJSON(w, http.StatusOK, d)
}
