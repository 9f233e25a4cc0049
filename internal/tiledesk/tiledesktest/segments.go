package tiledesktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
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

// apply writes the sent keys into seg.
func (u segmentUpdate) apply(seg *Segment) {
	if u.name != nil {
		seg.Name, seg.unnamed = *u.name, false
	}
	if u.match != nil {
		seg.Match = *u.match
	}
	if u.filters != nil {
		seg.Filters = *u.filters
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
	seg := Segment{Match: "all", Filters: []Filter{}, ProjectID: req.project, CreatedBy: req.user.ID}
	u.apply(&seg)
	writeJSON(w, http.StatusOK, s.insert(seg))
}

// insert stores a new live segment, filling id and timestamps, and returns
// a copy.
func (s *Server) insert(seg Segment) Segment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seg.ID == "" {
		seg.ID = s.st.newID()
	}
	if seg.CreatedAt.IsZero() {
		seg.CreatedAt = s.stamp()
	}
	if seg.UpdatedAt.IsZero() {
		seg.UpdatedAt = seg.CreatedAt
	}
	seg.Status = StatusLive
	stored := seg.clone()
	s.st.segments[seg.ID] = &stored
	return stored.clone()
}

// getSegment serves GET /{project}/segments/{id}: any status, any project.
func (s *Server) getSegment(w http.ResponseWriter, _ *http.Request, req request) {
	if !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgGetError)
		return
	}
	seg, ok := s.Get(req.id)
	if !ok {
		writeMsg(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, seg)
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
	writeJSON(w, http.StatusOK, s.upsert(req.id, u.apply))
}

// deleteSegment serves DELETE /{project}/segments/{id}: a soft delete with
// upsert.
func (s *Server) deleteSegment(w http.ResponseWriter, _ *http.Request, req request) {
	if !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	writeJSON(w, http.StatusOK, s.upsert(req.id, func(seg *Segment) { seg.Status = StatusDeleted }))
}

// upsert applies fn to the segment with that id, creating a ghost (no
// project, no creator, defaults only) when there is none, bumps updatedAt
// and returns a copy.
func (s *Server) upsert(id string, fn func(*Segment)) Segment {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = objectID(id)
	seg, ok := s.st.segments[id]
	now := s.stamp()
	if !ok {
		seg = &Segment{ID: id, Match: "all", Filters: []Filter{}, Status: StatusLive, CreatedAt: now, unnamed: true}
		s.st.segments[id] = seg
	}
	fn(seg)
	seg.UpdatedAt = now
	return seg.clone()
}

// listSegments serves GET /{project}/segments: the live segments of the
// project, sorted and paged.
func (s *Server) listSegments(w http.ResponseWriter, r *http.Request, req request) {
	p, ok := parsePage(r.URL.Query())
	if !ok {
		s.hang(w, r) // MongoDB rejects a negative skip and the route never answers
		return
	}
	s.mu.Lock()
	var live []Segment
	for _, seg := range s.st.segments {
		if seg.ProjectID == req.project && seg.Status == StatusLive {
			live = append(live, seg.clone())
		}
	}
	s.mu.Unlock()
	sortDocs(live, p.sort, p.direction, segmentSortKey, func(s Segment) string { return s.ID })
	writeJSON(w, http.StatusOK, map[string]any{
		"perPage":  p.perPage(),
		"count":    len(live),
		"segments": nonNil(slice(p, live)),
	})
}

// segmentSortKey returns the text a segment sorts by on a field.
func segmentSortKey(seg Segment, field string) (string, bool) {
	switch field {
	case "_id":
		return seg.ID, true
	case "name":
		return seg.Name, true
	case "match":
		return seg.Match, true
	case "createdAt":
		return formatTime(seg.CreatedAt), true
	case "updatedAt":
		return formatTime(seg.UpdatedAt), true
	}
	return "", false
}
