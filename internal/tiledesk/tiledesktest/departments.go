package tiledesktest

import (
	"encoding/json"
	"net/http"
)

// Departments (routes/department.js): the list and the single-id GETs take
// no credentials at all, the writes need the admin role; GET, PUT (with
// upsert) and DELETE (for good) find a department of any project by id.
var departmentRoutes = []route{
	{method: http.MethodGet, pattern: "{project}/departments", name: routeDepartments, public: true, handle: (*Server).listDepartments},
	{method: http.MethodGet, pattern: "{project}/departments/allstatus", name: routeDepartments, handle: (*Server).listDepartments},
	{method: http.MethodGet, pattern: "{project}/departments/default", name: routeDepartment, public: true, handle: (*Server).defaultDepartment},
	{method: http.MethodGet, pattern: "{project}/departments/{id}", name: routeDepartment, public: true, handle: getByID(entityDepartments, renderDepartment)},
	{method: http.MethodPost, pattern: "{project}/departments", name: routeDepartments, write: true, role: "admin", handle: (*Server).createDepartment},
	{method: http.MethodPut, pattern: "{project}/departments/{id}", name: routeDepartment, write: true, role: "admin", handle: (*Server).updateDepartment},
	{method: http.MethodDelete, pattern: "{project}/departments/{id}", name: routeDepartment, write: true, role: "admin", handle: removeByID(entityDepartments, renderDepartment)},
}

// renderDepartment adds the virtuals toJSON shows: id, and hasBot (an id_bot
// that is neither absent nor null).
func renderDepartment(d doc) any {
	if d == nil {
		return nil
	}
	d["id"] = d["_id"]
	bot, ok := d["id_bot"]
	d["hasBot"] = ok && bot != nil
	return d
}

// addDefaultDepartment makes a project's default department, as the server
// does when it creates the project. Its timestamps are the project's (the
// clock's time, not a write's: the writes of a test's clock start after).
func (s *Server) addDefaultDepartment(project string) {
	at := formatTime(s.now())
	d := doc{"name": "Default Department", "routing": "assigned", "default": true, "id_project": project, "createdAt": at, "updatedAt": at}
	withDefaults(d, entityNamed(entityDepartments).defaults)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.st.users) > 0 {
		d["createdBy"] = s.st.users[0].ID
	}
	_, _ = s.insertLocked(entityDepartments, d)
}

// listDepartments serves GET /{project}/departments (status 1) and
// /{project}/departments/allstatus (status 1 and 0): every one at once, in
// creation order, by name with ?sort.
func (s *Server) listDepartments(w http.ResponseWriter, r *http.Request, req request) {
	least := 1.0
	if req.route.pattern == "{project}/departments/allstatus" {
		least = 0
	}
	docs := s.projectDocs(entityDepartments, req.project, func(d doc) bool { n, _ := docStatus(d); return n >= least })
	if r.URL.Query().Get("sort") != "" {
		sortDocs(docs, "name", 1)
	}
	s.writeList(w, r, listShape{}, docs, renderDepartment)
}

// defaultDepartment serves GET /{project}/departments/default: the first
// department with default true, or null.
func (s *Server) defaultDepartment(w http.ResponseWriter, _ *http.Request, req request) {
	docs := s.projectDocs(entityDepartments, req.project, func(d doc) bool { return d["default"] == true })
	if len(docs) == 0 {
		writeJSON(w, http.StatusOK, nil)
		return
	}
	writeJSON(w, http.StatusOK, renderDepartment(docs[0]))
}

// castDepartment casts the keys the routes read, as mongoose casts them;
// only keys present and not null are set.
func castDepartment(fields map[string]json.RawMessage, keys ...string) (doc, error) {
	d, err := castKeys(fields, departmentCasts, keys...)
	return withoutNulls(d), err
}

// departmentCasts are the types of the department's keys that are not
// Strings.
var departmentCasts = map[string]caster{"default": asBool, "bot_only": asBool, "status": asNumber, "groups": castGroups}

// castGroups casts [{group_id, percentage}]; each element gets an _id of its
// own, as a subdocument does.
func castGroups(raw json.RawMessage) (any, error) {
	var items []map[string]json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, errCast
	}
	out := make([]any, len(items))
	for i, it := range items {
		g, err := castKeys(it, nil, "group_id")
		g = withoutNulls(g)
		if err != nil {
			return nil, err
		}
		if p := it["percentage"]; len(p) > 0 {
			if g["percentage"], err = castNumber(p); err != nil {
				return nil, err
			}
		}
		out[i] = g
	}
	return out, nil
}

// createDepartment serves POST /{project}/departments: id_bot and bot_only
// are kept only with a truthy id_bot; name and every group's group_id and
// percentage are required.
func (s *Server) createDepartment(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	d, err := castDepartment(fields, "routing", "name", "description", "default", "status", "id_group", "groups")
	if err == nil && truthy(fields["id_bot"]) {
		var bot doc
		if bot, err = castDepartment(fields, "id_bot", "bot_only"); err == nil {
			d["id_bot"], d["bot_only"] = bot["id_bot"], bot["bot_only"]
			if d["bot_only"] == nil {
				delete(d, "bot_only")
			}
		}
	}
	if err != nil || str(d, "name") == "" || !groupsComplete(d["groups"]) {
		writeMsg(w, http.StatusInternalServerError, "Error saving object.")
		return
	}
	s.subdocIDs(d)
	withDefaults(d, entityNamed(entityDepartments).defaults)
	d["id_project"], d["createdBy"] = req.project, req.user.ID
	stored, _ := s.insertDoc(entityDepartments, d) // no unique index
	writeJSON(w, http.StatusOK, renderDepartment(stored))
}

// groupsComplete: every group has a group_id and a percentage (POST validates them).
func groupsComplete(groups any) bool {
	list, _ := groups.([]any)
	for _, g := range list {
		gd, _ := g.(doc)
		if _, ok := gd["percentage"]; !ok || str(gd, "group_id") == "" {
			return false
		}
	}
	return true
}

// subdocIDs gives every group a fresh _id.
func (s *Server) subdocIDs(d doc) {
	list, _ := d["groups"].([]any)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range list {
		g.(doc)["_id"] = s.st.newID() //nolint:forcetypeassert // castGroups makes docs
	}
}

// updateDepartment serves PUT /{project}/departments/{id}: findByIdAndUpdate
// with upsert; id_bot and id_group are set from the body (absent: null),
// the other fields only when present and not null.
func (s *Server) updateDepartment(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	u, err := castDepartment(fields, "bot_only", "routing", "name", "description", "online_msg", "status", "groups", "id_bot", "id_group")
	if err != nil || !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	for _, k := range []string{"id_bot", "id_group"} {
		if _, sent := u[k]; !sent {
			u[k] = nil
		}
	}
	s.subdocIDs(u)
	d, _ := s.updateDoc(entityDepartments, req.id, u, true)
	writeJSON(w, http.StatusOK, renderDepartment(d))
}
