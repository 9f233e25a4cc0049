package tiledesktest

import (
	"encoding/json"
	"strings"
)

// Test hooks: safe for concurrent use, none of them counts as a request.
// They work on the store directly, as the dashboard or the database would.

// AddUser adds a user, or replaces the one with the same id. An empty
// Token gets a generated one.
func (s *Server) AddUser(u User) {
	roles := make(map[string]string, len(u.Roles))
	for p, r := range u.Roles {
		roles[objectID(p)] = r
	}
	u.Roles = roles
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.Token == "" {
		u.Token = "fake-token-" + s.st.newID()
	}
	for i := range s.st.users {
		if s.st.users[i].ID == u.ID {
			s.st.users[i] = u
			return
		}
	}
	s.st.users = append(s.st.users, u)
}

// AddProject makes a project exist.
func (s *Server) AddProject(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.projects[objectID(id)] = true
}

// Seed inserts a live segment of project as if the default user (the first
// user) had POSTed it, without validation: it fills _id (when empty),
// status 100, timestamps (when zero), createdBy (when empty) and match "all"
// (when empty). It returns the stored copy.
func (s *Server) Seed(project string, seg Segment) Segment {
	seg = seg.clone()
	seg.ID = objectID(seg.ID)
	seg.ProjectID = project
	if seg.Match == "" {
		seg.Match = "all"
	}
	if seg.Filters == nil {
		seg.Filters = []Filter{}
	}
	if seg.CreatedBy == "" {
		s.mu.Lock()
		if len(s.st.users) > 0 {
			seg.CreatedBy = s.st.users[0].ID
		}
		s.mu.Unlock()
	}
	return s.insert(seg)
}

// Get returns a copy of the stored segment, whatever its status; ghosts
// included.
func (s *Server) Get(id string) (Segment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seg, ok := s.st.segments[objectID(id)]
	if !ok {
		return Segment{}, false
	}
	return seg.clone(), true
}

// Edit changes a segment out of band (as in the dashboard) and bumps its
// updatedAt. fn runs under the server's lock: it must not call the Server.
// The id cannot be changed. It reports false when there is no such segment.
func (s *Server) Edit(id string, fn func(*Segment)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	seg, ok := s.st.segments[objectID(id)]
	if !ok {
		return false
	}
	edited := seg.clone()
	fn(&edited)
	edited.ID = seg.ID
	edited.Filters = cloneFilters(edited.Filters)
	edited.UpdatedAt = s.stamp()
	*seg = edited
	return true
}

// SoftDelete sets status 0 and bumps updatedAt, as DELETE does.
func (s *Server) SoftDelete(id string) bool {
	return s.Edit(id, func(seg *Segment) { seg.Status = StatusDeleted })
}

// HardDelete removes the document.
func (s *Server) HardDelete(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = objectID(id)
	_, ok := s.st.segments[id]
	delete(s.st.segments, id)
	return ok
}

// Segments returns copies of the project's stored segments in createdAt
// order (ties by _id); deleted ones only with includeDeleted. Ghosts belong
// to no project.
func (s *Server) Segments(project string, includeDeleted bool) []Segment {
	s.mu.Lock()
	var out []Segment
	for _, seg := range s.st.segments {
		if seg.ProjectID == project && (includeDeleted || seg.Status == StatusLive) {
			out = append(out, seg.clone())
		}
	}
	s.mu.Unlock()
	sortDocs(out, "createdAt", 1, segmentSortKey, func(s Segment) string { return s.ID })
	return out
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
