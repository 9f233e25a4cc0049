package tiledesktest

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// segmentUpdate is the part of a body the routes read; nil = not sent.
type segmentUpdate struct {
	name, match *string
	filters     *[]Filter
}

// parseSegmentBody reads name, match and filters like the routes do: a key
// that is absent or null is not sent. Values are cast like mongoose casts
// them; strict adds the validation of a new document (POST).
func parseSegmentBody(fields map[string]json.RawMessage, strict bool) (segmentUpdate, error) {
	var u segmentUpdate
	var err error
	if u.name, err = castString(fields["name"]); err != nil {
		return u, err
	}
	if u.match, err = castString(fields["match"]); err != nil {
		return u, err
	}
	if u.filters, err = castFilters(fields["filters"], strict); err != nil {
		return u, err
	}
	if strict {
		_, matchSent := fields["match"]
		if u.name == nil || *u.name == "" || (matchSent && (u.match == nil || *u.match == "")) {
			return u, errCast // required name; match defaults only when absent
		}
	}
	return u, nil
}

// castFilters casts the filters array; strict also requires a non-empty
// field and operator and a non-null value in each filter.
func castFilters(raw json.RawMessage, strict bool) (*[]Filter, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errCast
	}
	filters := make([]Filter, 0, len(items))
	for _, item := range items {
		f, err := castFilter(item, strict)
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	return &filters, nil
}

func castFilter(item map[string]json.RawMessage, strict bool) (Filter, error) {
	if item == nil {
		return Filter{}, errCast
	}
	field, err := castString(item["field"])
	if err != nil {
		return Filter{}, err
	}
	op, err := castString(item["operator"])
	if err != nil {
		return Filter{}, err
	}
	f := Filter{Field: deref(field), Operator: deref(op), Value: canonicalValue(item["value"])}
	if strict && (f.Field == "" || f.Operator == "" || f.Value == nil || bytes.Equal(f.Value, []byte("null"))) {
		return Filter{}, errCast
	}
	return f, nil
}

// canonicalValue renders a value as MongoDB gives it back: numbers as
// JavaScript doubles (3.0 is 3), strings re-encoded, objects and arrays
// compacted with their key order kept. nil stays nil (absent).
func canonicalValue(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil
	}
	switch v.(type) {
	case map[string]any, []any:
		var b bytes.Buffer
		if json.Compact(&b, raw) != nil {
			return nil
		}
		return b.Bytes()
	}
	b, _ := marshal(v)
	return b
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// fields are the sent keys as a document update.
func (u segmentUpdate) fields() doc {
	d := doc{}
	if u.name != nil {
		d["name"] = *u.name
	}
	if u.match != nil {
		d["match"] = *u.match
	}
	if u.filters != nil {
		d["filters"] = filterDocs(*u.filters)
	}
	return d
}

// filterDocs are filters as stored: each value exactly as cast (a
// json.RawMessage; none renders as null).
func filterDocs(fs []Filter) []any {
	out := make([]any, len(fs))
	for i, f := range fs {
		out[i] = doc{"field": f.Field, "operator": f.Operator, "value": f.Value}
	}
	return out
}

// createSegment serves POST /{project}/segments.
func (s *Server) createSegment(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	u, err := parseSegmentBody(fields, true)
	if err != nil {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	d := u.fields()
	withDefaults(d, entityNamed(entitySegments).defaults)
	d["id_project"], d["createdBy"], d["status"] = req.project, req.user.ID, StatusLive
	stored, _ := s.insertDoc(entitySegments, d) // no unique index
	writeJSON(w, http.StatusOK, stored)
}

// updateSegment serves PUT /{project}/segments/{id}: findByIdAndUpdate with
// upsert and without validation.
func (s *Server) updateSegment(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	u, err := parseSegmentBody(fields, false)
	if err != nil || !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	d, _ := s.updateDoc(entitySegments, req.id, u.fields(), true)
	writeJSON(w, http.StatusOK, d)
}

// deleteSegment serves DELETE /{project}/segments/{id}: a soft delete with
// upsert (a ghost born of it has no name).
func (s *Server) deleteSegment(w http.ResponseWriter, _ *http.Request, req request) {
	if !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	d, _ := s.updateDoc(entitySegments, req.id, doc{"status": StatusDeleted}, true)
	writeJSON(w, http.StatusOK, d)
}

// listSegments serves GET /{project}/segments: the live segments of the
// project, sorted and paged.
func (s *Server) listSegments(w http.ResponseWriter, r *http.Request, req request) {
	s.writeList(w, r, listShape{key: "segments", sortable: true},
		s.projectDocs(entitySegments, req.project, segmentLive), asStored)
}

// segmentLive: a segment of status 100 (a missing status counts as live).
func segmentLive(d doc) bool {
	n, ok := docStatus(d)
	return !ok || n == StatusLive
}
