package tiledesktest

import (
	"net/http"
	"slices"
)

// Groups (routes/group.js), all behind the agent role: GET, PUT and the
// enable and disable PUTs find a group of any project by id alone, and the
// PUTs upsert; DELETE trashes (with ?force=true it removes); DELETE and
// disable are refused for a group that a department of the URL's project
// names in id_group.
var groupRoutes = []route{
	{method: http.MethodGet, pattern: "{project}/groups", name: routeGroups, handle: (*Server).listGroups},
	{method: http.MethodGet, pattern: "{project}/groups/{id}", name: routeGroup, handle: getByID(entityGroups, asStored)},
	{method: http.MethodPost, pattern: "{project}/groups", name: routeGroups, write: true, handle: (*Server).createGroup},
	{method: http.MethodPut, pattern: "{project}/groups/{id}", name: routeGroup, write: true, handle: (*Server).updateGroup},
	{method: http.MethodPut, pattern: "{project}/groups/enable/{id}", name: routeGroup, write: true, handle: (*Server).enableGroup},
	{method: http.MethodPut, pattern: "{project}/groups/disable/{id}", name: routeGroup, write: true, handle: (*Server).disableGroup},
	{method: http.MethodDelete, pattern: "{project}/groups/{id}", name: routeGroup, write: true, handle: (*Server).deleteGroup},
}

// groupTrashed is what the soft DELETE sets.
var groupTrashed = doc{"enabled": false, "trashed": true}

// groupLive: a group the list shows, trashed false (a ghost has no trashed).
func groupLive(d doc) bool { return d["trashed"] == false }

// groupCasts are the types of the group's keys that are not Strings.
var groupCasts = map[string]caster{"members": asArray, "trashed": asBool, "attributes": asMixed}

// listGroups serves GET /{project}/groups: every group not trashed, at once,
// in creation order; ?member=<user> keeps the groups with that member.
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, req request) {
	member := r.URL.Query()["member"]
	s.writeList(w, r, listShape{}, s.projectDocs(entityGroups, req.project, func(d doc) bool {
		list, _ := d["members"].([]any)
		return groupLive(d) && (len(member) == 0 || slices.ContainsFunc(list, func(m any) bool {
			id, ok := m.(string)
			return ok && slices.Contains(member, id)
		}))
	}), asStored)
}

// createGroup serves POST /{project}/groups: name (required) and members;
// enabled, trashed and attributes in the body are ignored.
func (s *Server) createGroup(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	d, err := castKeys(fields, groupCasts, "name", "members")
	if err != nil || str(d, "name") == "" {
		writeMsg(w, http.StatusInternalServerError, "Error saving object.")
		return
	}
	stored, _ := s.insertNew(entityGroups, req, d) // no unique index
	writeJSON(w, http.StatusOK, stored)
}

// updateGroup serves PUT /{project}/groups/{id}: findByIdAndUpdate with
// upsert of name, members, trashed and attributes, each when sent and not
// null; enabled is ignored.
func (s *Server) updateGroup(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	u, err := castKeys(fields, groupCasts, "name", "members", "trashed", "attributes")
	if err != nil || !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	d, _ := s.updateDoc(entityGroups, req.id, withoutNulls(u), true)
	writeJSON(w, http.StatusOK, d)
}

// enableGroup serves PUT /{project}/groups/enable/{id}: enabled true, with
// upsert.
func (s *Server) enableGroup(w http.ResponseWriter, _ *http.Request, req request) {
	s.setGroupEnabled(w, req, true, "Error enabling group")
}

// disableGroup serves PUT /{project}/groups/disable/{id}: refused for a group
// a department uses, else enabled false, with upsert.
func (s *Server) disableGroup(w http.ResponseWriter, _ *http.Request, req request) {
	if s.groupInDepartment(req) {
		writeError(w, http.StatusForbidden, "Unable to disabled a group associated with a department")
		return
	}
	s.setGroupEnabled(w, req, false, "Error disabling group")
}

func (s *Server) setGroupEnabled(w http.ResponseWriter, req request, enabled bool, failed string) {
	if !isObjectID(req.id) {
		writeError(w, http.StatusInternalServerError, failed)
		return
	}
	d, _ := s.updateDoc(entityGroups, req.id, doc{"enabled": enabled}, true)
	writeJSON(w, http.StatusOK, d)
}

// groupInDepartment is departmentService.isGroupInProjectDepartment: a
// department of the URL's project (any status) whose id_group is the id as
// written in the URL. The departments' groups[] do not count.
func (s *Server) groupInDepartment(req request) bool {
	return len(s.projectDocs(entityDepartments, req.project, func(d doc) bool { return d["id_group"] == req.id })) > 0
}

// deleteGroup serves DELETE /{project}/groups/{id}: refused for a group a
// department uses; with ?force=true, findByIdAndRemove (the removed group,
// or an empty answer); otherwise a soft delete without upsert, answered with
// a message whatever the id.
func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request, req request) {
	switch {
	case s.groupInDepartment(req):
		writeError(w, http.StatusForbidden, "Unable to delete a group associated with a department")
	case !isObjectID(req.id):
		writeMsg(w, http.StatusInternalServerError, "Error deleting group")
	case r.URL.Query().Get("force") == "true":
		if d, ok := s.removeDoc(entityGroups, req.id); ok {
			writeJSON(w, http.StatusOK, d)
		} else {
			writeBody(w, http.StatusOK, "", nil) // res.send(null)
		}
	default:
		_, _ = s.updateDoc(entityGroups, req.id, groupTrashed, false)
		writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": "Group successfully deleted"})
	}
}
