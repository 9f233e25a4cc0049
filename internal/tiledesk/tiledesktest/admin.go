package tiledesktest

import (
	"encoding/json"
	"net/http"
	"time"
)

// adminPrefix is the admin surface for the standalone command: outside
// BasePath, no authentication, never counted.
const adminPrefix = "/__fake/"

// adminRoute is one row of the admin table: a net/http pattern and its
// handler.
type adminRoute struct {
	pattern string
	handle  func(*Server, http.ResponseWriter, *http.Request)
}

// adminTable is the test hooks served over HTTP, for the standalone
// command: the server's own, then each entity's.
func adminTable() []adminRoute {
	routes := []adminRoute{
		{"GET /__fake/counts", (*Server).adminCounts},             // Counts plus "writes"
		{"POST /__fake/reset-counts", (*Server).adminResetCounts}, // ResetCounts
		{"POST /__fake/faults", (*Server).adminInjectFault},       // InjectFault (a Fault, snake_case keys)
		{"DELETE /__fake/faults", (*Server).adminClearFaults},     // ClearFaults
		{"POST /__fake/latency", (*Server).adminLatency},          // {"latency":"20ms"}
	}
	for _, e := range entities {
		routes = append(routes, e.admin...)
	}
	return routes
}

func (s *Server) adminMux() *http.ServeMux {
	m := http.NewServeMux()
	for _, r := range adminTable() {
		m.HandleFunc(r.pattern, func(w http.ResponseWriter, req *http.Request) { r.handle(s, w, req) })
	}
	return m
}

func (s *Server) adminCounts(w http.ResponseWriter, _ *http.Request) {
	counts := s.Counts()
	counts["writes"] = s.Writes()
	writeJSON(w, http.StatusOK, counts)
}

func (s *Server) adminResetCounts(w http.ResponseWriter, _ *http.Request) {
	s.ResetCounts()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminGetSegment(w http.ResponseWriter, r *http.Request) {
	seg, ok := s.Get(r.PathValue("id"))
	answerSegment(w, seg, ok)
}

func (s *Server) adminEditSegment(w http.ResponseWriter, r *http.Request) {
	var patch struct {
		Name, Match *string
		Filters     *[]Filter
	}
	if decode(w, r, &patch) {
		ok := s.Edit(r.PathValue("id"), segmentUpdate{patch.Name, patch.Match, patch.Filters}.apply)
		seg, _ := s.Get(r.PathValue("id"))
		answerSegment(w, seg, ok)
	}
}

func (s *Server) adminDeleteSegment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if r.URL.Query().Get("hard") == "true" {
		answerSegment(w, Segment{ID: objectID(id)}, s.HardDelete(id))
		return
	}
	ok := s.SoftDelete(id)
	seg, _ := s.Get(id)
	answerSegment(w, seg, ok)
}

func (s *Server) adminAddLead(w http.ResponseWriter, r *http.Request) {
	var l Lead
	if decode(w, r, &l) {
		writeJSON(w, http.StatusOK, s.AddLead(r.PathValue("project"), l))
	}
}

func (s *Server) adminInjectFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if decode(w, r, &f) {
		s.InjectFault(f)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) adminClearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminLatency(w http.ResponseWriter, r *http.Request) {
	var body struct{ Latency string }
	if !decode(w, r, &body) {
		return
	}
	d, err := time.ParseDuration(body.Latency)
	if err != nil || d < 0 {
		writeMsg(w, http.StatusBadRequest, "latency: want a duration such as \"20ms\"")
		return
	}
	s.latency.Store(int64(d))
	w.WriteHeader(http.StatusNoContent)
}

// decode reads a JSON body into v, or answers 400 and returns false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeMsg(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return false
	}
	return true
}

func answerSegment(w http.ResponseWriter, seg Segment, found bool) {
	if !found {
		writeMsg(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, seg)
}
