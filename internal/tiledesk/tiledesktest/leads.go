package tiledesktest

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// errNeverAnswers marks a query the real route throws on without answering.
var errNeverAnswers = errors.New("the route throws and never answers")

// condition is one query condition on a field of a lead; err is set when
// MongoDB would refuse it (an invalid regular expression).
type condition struct {
	match func(v any, exists bool) bool
	err   error
}

// convert imitates segment2MongoConverter: query[field] = condition for each
// filter in order, so a later filter on a field replaces an earlier one,
// and every condition is ANDed whatever the match. The route then sets
// id_project and status itself, overriding filters on those fields.
func convert(filters []Filter) (map[string]condition, error) {
	query := map[string]condition{}
	for _, f := range filters {
		var want any
		if len(f.Value) > 0 {
			_ = json.Unmarshal(f.Value, &want)
		}
		switch f.Operator {
		case "=":
			query[f.Field] = condition{match: func(v any, ok bool) bool { return equals(v, ok, want) }}
		case "!=":
			query[f.Field] = condition{match: func(v any, ok bool) bool { return !equals(v, ok, want) }}
		case ">":
			query[f.Field] = compareCondition(want, func(c int) bool { return c > 0 })
		case ">=":
			query[f.Field] = compareCondition(want, func(c int) bool { return c >= 0 })
		case "contains":
			query[f.Field] = regexCondition(want)
		case "is null":
			query[f.Field] = condition{match: func(_ any, ok bool) bool { return !ok }}
		case "is not null":
			query[f.Field] = condition{match: func(_ any, ok bool) bool { return ok }}
		case "starts with":
			return nil, errNeverAnswers // the converter calls a method that does not exist
		}
	}
	delete(query, "id_project")
	delete(query, "status")
	return query, nil
}

// equals is MongoDB's {field: value}: type-strict, any element of an array
// field, and null also matches a missing field.
func equals(v any, exists bool, want any) bool {
	if want == nil {
		return !exists || v == nil
	}
	return exists && anyElement(v, func(e any) bool { return reflect.DeepEqual(e, want) })
}

// compareCondition is $gt/$gte: only numbers with numbers, strings with strings.
func compareCondition(want any, ok func(int) bool) condition {
	return condition{match: func(v any, exists bool) bool {
		return exists && anyElement(v, func(e any) bool {
			c, same := compareSameType(e, want)
			return same && ok(c)
		})
	}}
}

func compareSameType(a, b any) (int, bool) {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return cmp.Compare(x, y), ok
	case string:
		y, ok := b.(string)
		return strings.Compare(x, y), ok
	}
	return 0, false
}

// regexCondition is $regex: the value is a case-sensitive pattern matched
// against string fields; a non-string value matches nothing.
func regexCondition(want any) condition {
	pattern, ok := want.(string)
	if !ok {
		return condition{match: func(any, bool) bool { return false }}
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return condition{err: err}
	}
	return condition{match: func(v any, exists bool) bool {
		return exists && anyElement(v, func(e any) bool {
			s, ok := e.(string)
			return ok && re.MatchString(s)
		})
	}}
}

// anyElement applies fn to v, or to each element when v is an array.
func anyElement(v any, fn func(any) bool) bool {
	if arr, ok := v.([]any); ok {
		return slices.ContainsFunc(arr, fn)
	}
	return fn(v)
}

// lookup follows a dotted path into a lead document.
func lookup(doc map[string]any, path string) (any, bool) {
	var cur any = doc
	for _, key := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[key]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func matches(doc map[string]any, query map[string]condition) bool {
	for field, c := range query {
		if !c.match(lookup(doc, field)) {
			return false
		}
	}
	return true
}

// listLeads serves GET /{project}/leads[?segment=id]: the project's leads,
// filtered by the segment's conditions, sorted and paged.
func (s *Server) listLeads(w http.ResponseWriter, r *http.Request, req request) {
	q := r.URL.Query()
	p, ok := parsePage(q)
	if !ok {
		s.hang(w, r)
		return
	}
	query := map[string]condition{}
	if id := q.Get("segment"); id != "" {
		// The 2.19 route is async and sends nothing when its segment lookup
		// throws (a malformed id: a cast error) or its lead query fails (an
		// invalid "contains" regex): like "starts with", it never answers.
		if !isObjectID(id) {
			s.hang(w, r)
			return
		}
		filters, status, msg := s.segmentFilters(req.project, id)
		if status != http.StatusOK {
			writeMsg(w, status, msg)
			return
		}
		var err error
		if query, err = convert(filters); err != nil {
			s.hang(w, r)
			return
		}
		for _, c := range query {
			if c.err != nil {
				s.hang(w, r)
				return
			}
		}
	}
	s.mu.Lock()
	var found []storedLead
	for _, l := range s.st.leads {
		if l.project == req.project && matches(l.doc, query) {
			found = append(found, l)
		}
	}
	s.mu.Unlock()
	sortItems(found, p.sort, p.direction, leadSortKey, func(l storedLead) string { return l.doc["_id"].(string) })
	leads := make([]json.RawMessage, 0, len(found))
	for _, l := range slice(p, found) {
		leads = append(leads, l.raw)
	}
	writeJSON(w, http.StatusOK, map[string]any{"perPage": p.perPage(), "count": len(found), "leads": leads})
}

// segmentFilters finds the segment of a project by id, whatever its status.
func (s *Server) segmentFilters(project, id string) ([]Filter, int, string) {
	if !isObjectID(id) {
		return nil, http.StatusInternalServerError, msgGetError
	}
	d, ok := s.findDoc(entitySegments, id)
	if !ok || str(d, "id_project") != project {
		return nil, http.StatusNotFound, msgSegmentNotFound
	}
	return segmentOf(d).Filters, http.StatusOK, ""
}

// leadSortKey sorts leads on their string fields (timestamps are ISO strings).
func leadSortKey(l storedLead, field string) (string, bool) {
	v, ok := lookup(l.doc, field)
	s, isString := v.(string)
	return s, ok && isString
}
