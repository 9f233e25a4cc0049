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
// command: the server's own, then every entity's.
func adminTable() []adminRoute {
	return []adminRoute{
		{"GET /__fake/counts", (*Server).adminCounts},             // Counts plus "writes"
		{"POST /__fake/reset-counts", (*Server).adminResetCounts}, // ResetCounts
		{"POST /__fake/faults", (*Server).adminInjectFault},       // InjectFault (a Fault, snake_case keys)
		{"DELETE /__fake/faults", (*Server).adminClearFaults},     // ClearFaults
		{"POST /__fake/latency", (*Server).adminLatency},          // {"latency":"20ms"}
		{"POST /__fake/leads/{project}", (*Server).adminAddLead},  // AddLead (a Lead as JSON)
		{"POST /__fake/{entity}/{project}", (*Server).adminSeed},  // SeedDoc (a document as JSON)
		{"GET /__fake/{entity}/{id}", (*Server).adminGet},         // Doc (the raw document)
		{"PATCH /__fake/{entity}/{id}", (*Server).adminEdit},      // EditDoc (the keys to set)
		{"DELETE /__fake/{entity}/{id}", (*Server).adminDelete},   // DeleteDoc, RemoveDoc with ?hard=true
	}
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

// adminEntity is the {entity} of an admin path, or false after a 404.
func adminEntity(w http.ResponseWriter, r *http.Request) (string, bool) {
	name := r.PathValue("entity")
	for _, e := range entities {
		if e.name == name && name != "leads" {
			return name, true
		}
	}
	writeMsg(w, http.StatusNotFound, "no entity "+name)
	return "", false
}

func (s *Server) adminSeed(w http.ResponseWriter, r *http.Request) {
	var d doc
	if e, ok := adminEntity(w, r); ok && decode(w, r, &d) {
		writeJSON(w, http.StatusOK, s.SeedDoc(e, r.PathValue("project"), d))
	}
}

func (s *Server) adminGet(w http.ResponseWriter, r *http.Request) {
	if e, ok := adminEntity(w, r); ok {
		d, found := s.Doc(e, r.PathValue("id"))
		answerDoc(w, d, found)
	}
}

func (s *Server) adminEdit(w http.ResponseWriter, r *http.Request) {
	var patch doc
	if e, ok := adminEntity(w, r); ok && decode(w, r, &patch) {
		found := s.EditDoc(e, r.PathValue("id"), patch)
		d, _ := s.Doc(e, r.PathValue("id"))
		answerDoc(w, d, found)
	}
}

func (s *Server) adminDelete(w http.ResponseWriter, r *http.Request) {
	e, ok := adminEntity(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	if r.URL.Query().Get("hard") == "true" {
		answerDoc(w, doc{"_id": objectID(id)}, s.RemoveDoc(e, id))
		return
	}
	found := s.DeleteDoc(e, id)
	d, stored := s.Doc(e, id)
	if !stored {
		d = doc{"_id": objectID(id)}
	}
	answerDoc(w, d, found)
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

func answerDoc(w http.ResponseWriter, d doc, found bool) {
	if !found {
		writeMsg(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, d)
}
