package tiledesktest

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// Test hooks: safe for concurrent use, none of them counts as a request.
// They work on the store directly, as the dashboard or the database would.

// AddUser adds a user, or replaces the one with the same id. An empty
// Token gets a generated one, shaped as the server's JWTs (fakeJWT).
func (s *Server) AddUser(u User) {
	roles := make(map[string]string, len(u.Roles))
	for p, r := range u.Roles {
		roles[objectID(p)] = r
	}
	u.Roles = roles
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.Token == "" {
		u.Token = fakeJWT(u.ID, s.st.newID())
	}
	for i := range s.st.users {
		if s.st.users[i].ID == u.ID {
			s.st.users[i] = u
			return
		}
	}
	s.st.users = append(s.st.users, u)
}

// fakeJWT is a token shaped as the server's JWTs: a header, a payload that
// holds the user's `_id`, and (instead of a signature) sig.
func fakeJWT(userID, sig string) string {
	payload, _ := json.Marshal(map[string]string{"_id": userID})
	return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(payload) + "." + sig
}

// AddProject makes a project exist.
func (s *Server) AddProject(id string) {
	s.mu.Lock()
	known := s.st.projects[objectID(id)]
	s.st.projects[objectID(id)] = true
	s.mu.Unlock()
	if !known { // the server makes a project's default department with it
		s.addDefaultDepartment(objectID(id))
	}
}

// The hooks of every entity, as the dashboard or the database would act on
// a document. entity is a collection name: "segments", "departments", ...

// SeedDoc inserts a document of entity in project as if the default user
// (the first user) had POSTed it, without validation: it fills id_project,
// createdBy (when absent), what the create sets (when absent), the entity's
// defaults, _id (when absent) and the timestamps (when absent). It returns
// the stored copy; where the entity's unique index holds the values already,
// the document that holds them.
func (s *Server) SeedDoc(entity, project string, d map[string]any) map[string]any {
	e := entityNamed(entity)
	d = cloneDoc(d)
	d["id_project"] = project
	if id := str(d, "_id"); id != "" {
		d["_id"] = objectID(id)
	}
	e.completeNew(d)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := d["createdBy"]; !ok && len(s.st.users) > 0 {
		d["createdBy"] = s.st.users[0].ID
	}
	stored, clash := s.insertLocked(entity, d)
	if clash != nil { // as the create answers a tag whose name exists: the existing one
		return clash
	}
	return stored
}

// Doc returns a copy of the stored document of entity with that id,
// whatever its project and status; ghosts included.
func (s *Server) Doc(entity, id string) (map[string]any, bool) {
	return s.findDoc(entity, id)
}

// EditDoc changes a document out of band (as in the dashboard): it sets the
// keys of patch and bumps updatedAt. It reports false when there is no such
// document.
func (s *Server) EditDoc(entity, id string, patch map[string]any) bool {
	_, err := s.updateDoc(entity, id, patch, false)
	return err == nil
}

// DeleteDoc deletes a document as the entity's DELETE route does: a soft
// delete where the server keeps deleted documents (segments: status 0), for
// good otherwise. It reports false when there is no such document.
func (s *Server) DeleteDoc(entity, id string) bool {
	if soft := entityNamed(entity).softDelete; soft != nil {
		_, err := s.updateDoc(entity, id, soft, false)
		return err == nil
	}
	return s.RemoveDoc(entity, id)
}

// RemoveDoc removes a document for good, as only the database can for the
// entities the API deletes softly.
func (s *Server) RemoveDoc(entity, id string) bool {
	_, ok := s.removeDoc(entity, id)
	return ok
}

// Docs returns copies of the project's documents of entity in createdAt
// order (ties by _id); deleted ones only with includeDeleted. Ghosts belong
// to no project.
func (s *Server) Docs(entity, project string, includeDeleted bool) []map[string]any {
	live := entityNamed(entity).live
	if includeDeleted {
		live = nil
	}
	return s.projectDocs(entity, project, live)
}

// The segment hooks: the same, with typed segments.

// Seed inserts a live segment of project as if the default user had POSTed
// it (see SeedDoc); Match "" means "all". It returns the stored copy.
func (s *Server) Seed(project string, seg Segment) Segment {
	d := segmentDoc(seg)
	delete(d, "status")
	if seg.Match == "" {
		delete(d, "match")
	}
	return segmentOf(s.SeedDoc(entitySegments, project, d))
}

// Get returns a copy of the stored segment, whatever its status; ghosts
// included.
func (s *Server) Get(id string) (Segment, bool) {
	d, ok := s.findDoc(entitySegments, id)
	if !ok {
		return Segment{}, false
	}
	return segmentOf(d), true
}

// Edit changes a segment out of band (as in the dashboard) and bumps its
// updatedAt. The id cannot be changed. It reports false when there is no
// such segment.
func (s *Server) Edit(id string, fn func(*Segment)) bool {
	seg, ok := s.Get(id)
	if !ok {
		return false
	}
	fn(&seg)
	d := segmentDoc(seg)
	delete(d, "_id")
	delete(d, "createdAt")
	delete(d, "updatedAt")
	return s.EditDoc(entitySegments, id, d)
}

// SoftDelete sets status 0 and bumps updatedAt, as DELETE does.
func (s *Server) SoftDelete(id string) bool { return s.DeleteDoc(entitySegments, id) }

// HardDelete removes the document.
func (s *Server) HardDelete(id string) bool { return s.RemoveDoc(entitySegments, id) }

// Segments returns copies of the project's stored segments in createdAt
// order (ties by _id); deleted ones only with includeDeleted.
func (s *Server) Segments(project string, includeDeleted bool) []Segment {
	docs := s.Docs(entitySegments, project, includeDeleted)
	out := make([]Segment, len(docs))
	for i, d := range docs {
		out[i] = segmentOf(d)
	}
	return out
}

// segmentDoc is a segment as a document, its filter values as they are.
func segmentDoc(seg Segment) doc {
	d := doc{"name": seg.Name, "match": seg.Match, "filters": filterDocs(seg.Filters), "status": seg.Status}
	for k, v := range map[string]string{"_id": seg.ID, "id_project": seg.ProjectID, "createdBy": seg.CreatedBy} {
		if v != "" {
			d[k] = v
		}
	}
	if seg.unnamed {
		delete(d, "name")
	}
	for k, t := range map[string]time.Time{"createdAt": seg.CreatedAt, "updatedAt": seg.UpdatedAt} {
		if !t.IsZero() {
			d[k] = formatTime(t)
		}
	}
	return d
}

// segmentOf reads a stored segment document.
func segmentOf(d doc) Segment {
	var seg Segment
	fromDoc(d, &seg)
	_, named := d["name"]
	seg.unnamed = !named
	if seg.Filters == nil {
		seg.Filters = []Filter{}
	}
	return seg
}

// AddLead stores a live lead of project, filling _id and lead_id (when
// empty) and createdAt (when zero). It returns the stored copy.
func (s *Server) AddLead(project string, l Lead) Lead {
	l.ProjectID = project
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.ID == "" {
		l.ID = s.st.newID()
	}
	if l.LeadID == "" {
		l.LeadID = l.ID
	}
	if l.CreatedAt.IsZero() {
		l.CreatedAt = s.stamp()
	}
	raw, err := marshal(l)
	if err != nil {
		panic("tiledesktest: AddLead: " + err.Error())
	}
	stored := storedLead{project: project, raw: raw}
	var out Lead
	_ = json.Unmarshal(raw, &stored.doc)
	_ = json.Unmarshal(raw, &out)
	s.st.leads = append(s.st.leads, stored)
	return out
}

// countKey identifies a counter: the method and the route of a request.
type countKey struct{ method, route string }

// count counts a routed request; write is its route's flag in the table.
func (s *Server) count(method, route string, write bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[countKey{method, route}]++
	if write {
		s.writes++
	}
}

// Count returns the number of requests received on a method and route
// (after authentication, faulted ones included); "" matches any.
func (s *Server) Count(method, route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, c := range s.counts {
		if (method == "" || strings.EqualFold(method, k.method)) && (route == "" || route == k.route) {
			n += c
		}
	}
	return n
}

// Writes returns the number of requests received on the routes that change
// stored data (every route the table marks as a write: today POST, PUT and
// DELETE on the segment routes; the sign-in is not one), counted like
// Count.
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// Counts returns every counter, keyed "METHOD route", e.g. "GET segment".
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, c := range s.counts {
		out[k.method+" "+k.route] = c
	}
	return out
}

// ResetCounts zeroes the counters and Writes.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.counts)
	s.writes = 0
}
