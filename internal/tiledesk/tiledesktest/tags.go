package tiledesktest

import (
	"errors"
	"net/http"
)

// Tags (routes/tag.js, models/tagLibrary.js), all behind the agent role: a
// list paged at a fixed 40, a unique index on (id_project, tag), a create of
// an existing name answered with the existing tag, a PUT that sets both tag
// and color (an absent one becomes null) and upserts, a DELETE for good;
// GET, PUT and DELETE find a tag of any project by id alone.
var tagRoutes = []route{
	{method: http.MethodGet, pattern: "{project}/tags", name: routeTags, handle: (*Server).listTags},
	{method: http.MethodGet, pattern: "{project}/tags/{id}", name: routeTag, handle: getByID(entityTags, asStored)},
	{method: http.MethodPost, pattern: "{project}/tags", name: routeTags, write: true, handle: (*Server).createTag},
	{method: http.MethodPut, pattern: "{project}/tags/{id}", name: routeTag, write: true, handle: (*Server).updateTag},
	{method: http.MethodDelete, pattern: "{project}/tags/{id}", name: routeTag, write: true, handle: (*Server).deleteTag},
}

// tagPageSize is the list's fixed page size.
const tagPageSize = 40

// listTags serves GET /{project}/tags: pages of 40 (page alone), sorted by
// ?sort and ?direction (newest first by default).
func (s *Server) listTags(w http.ResponseWriter, r *http.Request, req request) {
	s.writeList(w, r, listShape{pageSize: tagPageSize, sortable: true}, s.projectDocs(entityTags, req.project, nil), asStored)
}

// createTag serves POST /{project}/tags: tag (required) and color, as sent
// (null stored as null). A tag whose name the project has already (E11000)
// is answered with that tag, unchanged.
func (s *Server) createTag(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	d, err := castKeys(fields, nil, "tag", "color")
	if err != nil || str(d, "tag") == "" {
		writeMsg(w, http.StatusInternalServerError, "Error saving object.")
		return
	}
	stored, clash := s.insertNew(entityTags, req, d)
	if clash != nil {
		stored = clash // findOne({id_project, tag}): the index's own key
	}
	writeJSON(w, http.StatusOK, stored)
}

// updateTag serves PUT /{project}/tags/{id}: findByIdAndUpdate of tag and
// color from the body (absent: null), with upsert; a name another tag of
// the project has (or a second null name) fails on the index.
func (s *Server) updateTag(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	u, err := castKeys(fields, nil, "tag", "color")
	if err != nil || !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	for _, k := range []string{"tag", "color"} {
		if _, sent := u[k]; !sent {
			u[k] = nil
		}
	}
	d, err := s.updateDoc(entityTags, req.id, u, true)
	if errors.Is(err, errDuplicateKey) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// deleteTag serves DELETE /{project}/tags/{id}: Tag.remove({_id}), answered
// with MongoDB's count of what it removed.
func (s *Server) deleteTag(w http.ResponseWriter, _ *http.Request, req request) {
	if !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, "Error deleting object.")
		return
	}
	n := 0
	if _, ok := s.removeDoc(entityTags, req.id); ok {
		n = 1
	}
	writeJSON(w, http.StatusOK, map[string]any{"n": n, "ok": 1, "deletedCount": n})
}
