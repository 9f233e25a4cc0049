package tiledesktest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// The store holds every entity's documents as the server's database does:
// JSON objects (doc) per collection, keyed by _id. What every collection's
// routes share is here, once: ids and timestamps, findById, insert,
// findByIdAndUpdate with or without upsert, remove, the project's list and
// its sorting and paging. Each entity's file (segments.go, departments.go,
// ...) holds what its routes do with them.

// doc is a stored document: JSON values as encoding/json decodes them
// (string, float64, bool, nil, []any, map[string]any), or json.RawMessage
// for a value kept exactly as sent. Timestamps are ISO-8601 strings with
// milliseconds, which sort as they compare.
type doc = map[string]any

// cloneDoc copies a document deeply.
func cloneDoc(d doc) doc {
	if d == nil {
		return nil
	}
	out := make(doc, len(d))
	for k, v := range d {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return cloneDoc(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	case json.RawMessage:
		return json.RawMessage(bytes.Clone(x))
	}
	return v
}

// str is a string field of a document, "" when absent or not a string.
func str(d doc, key string) string {
	s, _ := d[key].(string)
	return s
}

// docStatus is a document's status; ok is false when absent or not a
// number.
func docStatus(d doc) (float64, bool) {
	switch x := d["status"].(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	}
	return 0, false
}

// fromDoc reads a document into a typed value through its JSON.
func fromDoc(d doc, v any) {
	b, err := marshal(d)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		panic("tiledesktest: fromDoc: " + err.Error())
	}
}

// collection returns an entity's documents; s.mu is held.
func (st *store) collection(entity string) map[string]doc {
	c := st.docs[entity]
	if c == nil {
		c = map[string]doc{}
		st.docs[entity] = c
	}
	return c
}

// taken reports whether any collection holds id.
func (st *store) taken(id string) bool {
	for _, c := range st.docs {
		if _, ok := c[id]; ok {
			return true
		}
	}
	return false
}

// insertDoc stores a new document: a fresh _id unless it has one, createdAt
// and updatedAt unless set, __v 0. It returns a copy; or, when the entity's
// unique index holds the document's values already (MongoDB's E11000), nil
// and a copy of the document that holds them.
func (s *Server) insertDoc(entity string, d doc) (stored, clash doc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insertLocked(entity, d)
}

// insertNew stores what a create route makes of d: a document of the URL's
// project, created by the caller, with what the entity's create sets and the
// schema's defaults (each where d has none). It answers as insertDoc.
func (s *Server) insertNew(entity string, req request, d doc) (stored, clash doc) {
	entityNamed(entity).completeNew(d)
	d["id_project"], d["createdBy"] = req.project, req.user.ID
	return s.insertDoc(entity, d)
}

func (s *Server) insertLocked(entity string, d doc) (stored, clash doc) {
	d = cloneDoc(d)
	if str(d, "_id") == "" {
		d["_id"] = s.st.newID()
	}
	if c := s.st.clash(entity, d); c != nil {
		return nil, cloneDoc(c)
	}
	if str(d, "createdAt") == "" {
		d["createdAt"] = formatTime(s.stamp())
	}
	if str(d, "updatedAt") == "" {
		d["updatedAt"] = d["createdAt"]
	}
	d["__v"] = 0
	s.st.collection(entity)[str(d, "_id")] = d
	return cloneDoc(d), nil
}

// clash returns the document of the entity, other than d (by _id), that has
// d's values of the entity's unique index (a missing key counts as null, as
// in MongoDB), or nil; s.mu is held.
func (st *store) clash(entity string, d doc) doc {
	unique := entityNamed(entity).unique
	if len(unique) == 0 {
		return nil
	}
	for id, other := range st.collection(entity) {
		if id != str(d, "_id") && !slices.ContainsFunc(unique, func(k string) bool { return !reflect.DeepEqual(other[k], d[k]) }) {
			return other
		}
	}
	return nil
}

// asStored renders a document as stored: the answer of most routes.
func asStored(d doc) any { return d }

// getByID is the GET /{project}/<entity>/{id} route of every entity:
// findById, whatever the document's project and status; 404 for none, 500
// for a malformed id. render turns the document into the answer.
func getByID(entity string, render func(doc) any) handlerFunc {
	return func(s *Server, w http.ResponseWriter, _ *http.Request, req request) {
		if !isObjectID(req.id) {
			writeMsg(w, http.StatusInternalServerError, msgGetError)
			return
		}
		d, ok := s.findDoc(entity, req.id)
		if !ok {
			writeMsg(w, http.StatusNotFound, msgNotFound)
			return
		}
		writeJSON(w, http.StatusOK, render(d))
	}
}

// findDoc is findById: any project, any status. id must be well-formed.
func (s *Server) findDoc(entity, id string) (doc, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.collection(entity)[objectID(id)]
	return cloneDoc(d), ok
}

// Errors of updateDoc.
var (
	errNoDoc        = errors.New("no such document")
	errDuplicateKey = errors.New("E11000 duplicate key")
)

// updateDoc is findByIdAndUpdate(id, {$set: update}, {new: true, upsert}):
// it sets the keys of update and bumps updatedAt. Without a document of that
// id it creates one when upsert is set (a ghost: the keys of update, the
// defaults, no project and no creator) and answers errNoDoc otherwise. A
// result that the entity's unique index refuses is not stored:
// errDuplicateKey.
func (s *Server) updateDoc(entity, id string, update doc, upsert bool) (doc, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = objectID(id)
	c := s.st.collection(entity)
	d, ok := c[id]
	now := formatTime(s.stamp())
	if ok {
		d = cloneDoc(d)
	} else {
		if !upsert {
			return nil, errNoDoc
		}
		d = doc{"_id": id, "createdAt": now, "__v": 0}
		withDefaults(d, entityNamed(entity).defaults)
	}
	maps.Copy(d, cloneDoc(update))
	d["updatedAt"] = now
	if s.st.clash(entity, d) != nil {
		return nil, errDuplicateKey
	}
	c[id] = d
	return cloneDoc(d), nil
}

// removeDoc removes a document for good and returns it.
func (s *Server) removeDoc(entity, id string) (doc, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.collection(entity)
	d, ok := c[objectID(id)]
	delete(c, objectID(id))
	return d, ok
}

// projectDocs returns copies of the project's documents that keep accepts
// (nil: all), in creation order (createdAt, then _id).
func (s *Server) projectDocs(entity, project string, keep func(doc) bool) []doc {
	s.mu.Lock()
	var out []doc
	for _, d := range s.st.collection(entity) {
		if str(d, "id_project") == project && (keep == nil || keep(d)) {
			out = append(out, cloneDoc(d))
		}
	}
	s.mu.Unlock()
	sortDocs(out, "createdAt", 1)
	return out
}

// sortDocs sorts documents on a field in a direction, ties broken by _id in
// the same direction, as MongoDB's sort on a field and then the index. A
// document without the field sorts as equal to any other.
func sortDocs(docs []doc, field string, direction int) {
	slices.SortStableFunc(docs, func(a, b doc) int {
		c := 0
		if ka, okA := sortKey(a[field]); okA {
			if kb, okB := sortKey(b[field]); okB {
				c = ka.compare(kb)
			}
		}
		if c == 0 {
			c = cmp.Compare(str(a, "_id"), str(b, "_id"))
		}
		return direction * c
	})
}

// key is a sortable value: a number or a string.
type key struct {
	isNum bool
	n     float64
	s     string
}

func sortKey(v any) (key, bool) {
	switch x := v.(type) {
	case string:
		return key{s: x}, true
	case float64:
		return key{isNum: true, n: x}, true
	case int:
		return key{isNum: true, n: float64(x)}, true
	case bool:
		return key{s: strconv.FormatBool(x)}, true
	}
	return key{}, false
}

func (a key) compare(b key) int {
	switch {
	case a.isNum && b.isNum:
		return cmp.Compare(a.n, b.n)
	case a.isNum != b.isNum: // numbers sort before strings in MongoDB
		if a.isNum {
			return -1
		}
		return 1
	}
	return cmp.Compare(a.s, b.s)
}

// listShape is how a list route answers.
type listShape struct {
	// key, when set: {"perPage":..,"count":..,key:[...]} paged by limit (default
	// 40) and page; otherwise a bare array.
	key string
	// pageSize, for a bare array: the fixed page size (page alone pages), 0
	// for every document at once.
	pageSize int
	// sortable: the route sorts by ?sort and ?direction (default createdAt,
	// newest first); otherwise the documents come in creation order.
	sortable bool
}

// writeList answers the documents as the list route does: sorted and paged
// per the shape and the query. render turns a document into its answer.
func (s *Server) writeList(w http.ResponseWriter, r *http.Request, shape listShape, docs []doc, render func(doc) any) {
	q := r.URL.Query()
	p, ok := parsePage(q)
	if shape.key == "" && shape.pageSize > 0 { // a fixed page size: limit is ignored
		p.limit, p.nanLimit = shape.pageSize, false
		p.skip = int(pageNumber(q) * float64(shape.pageSize))
		ok = p.skip >= 0
	}
	if !ok && (shape.key != "" || shape.pageSize > 0) {
		s.hang(w, r) // MongoDB rejects a negative skip and the route never answers
		return
	}
	if shape.sortable && p.badDirection {
		// mongoose's sort() throws, and the app's error handler answers
		writeJSON(w, http.StatusInternalServerError, map[string]string{"err": "error"})
		return
	}
	if shape.sortable {
		sortDocs(docs, p.sort, p.direction)
	}
	total := len(docs)
	if shape.key != "" || shape.pageSize > 0 {
		docs = slice(p, docs)
	}
	items := make([]any, len(docs))
	for i, d := range docs {
		items[i] = render(d)
	}
	if shape.key == "" {
		writeJSON(w, http.StatusOK, items)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"perPage": p.perPage(), "count": total, shape.key: items})
}

// pageNumber is ?page as the routes read it: a number (page*size is the
// skip), else 0.
func pageNumber(q url.Values) float64 {
	n, err := strconv.ParseFloat(strings.TrimSpace(q.Get("page")), 64)
	if err != nil || math.IsNaN(n) {
		return 0
	}
	return n
}

// removeByID is the DELETE /{project}/<entity>/{id} route of the entities
// the server removes for good with findByIdAndRemove: whatever the
// document's project; a malformed id is 500 "Error deleting object.", the
// answer the removed document (render) or null.
func removeByID(entity string, render func(doc) any) handlerFunc {
	return func(s *Server, w http.ResponseWriter, _ *http.Request, req request) {
		if !isObjectID(req.id) {
			writeMsg(w, http.StatusInternalServerError, "Error deleting object.")
			return
		}
		d, ok := s.removeDoc(entity, req.id)
		if !ok {
			writeJSON(w, http.StatusOK, nil)
			return
		}
		writeJSON(w, http.StatusOK, render(d))
	}
}
