package tiledesktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// errCast is a mongoose cast or validation error: the routes answer 500.
var errCast = errors.New("cast error")

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

// castString casts a JSON value to a mongoose String: nil for absent or
// null, numbers and booleans become their text, objects and arrays fail.
func castString(raw json.RawMessage) (*string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, errCast
	}
	if v == nil {
		return nil, nil
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case bool:
		s = strconv.FormatBool(x)
	case float64:
		b, _ := marshal(x) // like JavaScript's String(number)
		s = string(b)
	default:
		return nil, errCast
	}
	return &s, nil
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

// segmentDefaults are the schema's defaults, which a ghost gets too.
func segmentDefaults(d doc) {
	if _, ok := d["match"]; !ok {
		d["match"] = "all"
	}
	if _, ok := d["filters"]; !ok {
		d["filters"] = []any{}
	}
	if _, ok := d["status"]; !ok {
		d["status"] = StatusLive
	}
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
	segmentDefaults(d)
	d["id_project"], d["createdBy"], d["status"] = req.project, req.user.ID, StatusLive
	writeJSON(w, http.StatusOK, s.insertDoc(entitySegments, d))
}

// getSegment serves GET /{project}/segments/{id}: any status, any project.
func (s *Server) getSegment(w http.ResponseWriter, _ *http.Request, req request) {
	s.getByID(w, req, entitySegments, func(d doc) any { return d })
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
	d, _ := s.updateDoc(entitySegments, req.id, u.fields(), true, segmentDefaults)
	writeJSON(w, http.StatusOK, d)
}

// deleteSegment serves DELETE /{project}/segments/{id}: a soft delete with
// upsert (a ghost born of it has no name).
func (s *Server) deleteSegment(w http.ResponseWriter, _ *http.Request, req request) {
	if !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	d, _ := s.updateDoc(entitySegments, req.id, doc{"status": StatusDeleted}, true, segmentDefaults)
	writeJSON(w, http.StatusOK, d)
}

// listSegments serves GET /{project}/segments: the live segments of the
// project, sorted and paged.
func (s *Server) listSegments(w http.ResponseWriter, r *http.Request, req request) {
	s.writeList(w, r, listShape{key: "segments", sortable: true},
		s.projectDocs(entitySegments, req.project, segmentLive), func(d doc) any { return d })
}

// segmentLive: a segment of status 100 (a missing status counts as live).
func segmentLive(d doc) bool {
	n, ok := docStatus(d)
	return !ok || n == StatusLive
}

// castBool casts a JSON value to a mongoose Boolean: true, false, "true",
// "false", 1, 0, "1", "0", "yes", "no".
func castBool(raw json.RawMessage) (bool, error) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false, errCast
	}
	switch v {
	case true, "true", 1.0, "1", "yes":
		return true, nil
	case false, "false", 0.0, "0", "no":
		return false, nil
	}
	return false, errCast
}

// castNumber casts a JSON value to a mongoose Number: a number, or a string
// that holds one.
func castNumber(raw json.RawMessage) (float64, error) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return 0, errCast
	}
	switch x := v.(type) {
	case float64:
		return x, nil
	case string:
		if n, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && strings.TrimSpace(x) != "" {
			return n, nil
		}
	}
	return 0, errCast
}

// truthy is JavaScript's truthiness of a JSON value (absent is false).
func truthy(raw json.RawMessage) bool {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	}
	return true
}
