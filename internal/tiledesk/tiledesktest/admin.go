package tiledesktest

import (
	"encoding/json"
	"net/http"
	"time"
)

// adminPrefix is the admin surface for the standalone command: outside
// BasePath, no authentication, never counted.
const adminPrefix = "/__fake/"

// adminMux serves the test hooks over HTTP:
//
//	GET    /__fake/counts            Counts plus "writes"
//	POST   /__fake/reset-counts      ResetCounts
//	GET    /__fake/segments/{id}     Get (the raw document)
//	PATCH  /__fake/segments/{id}     Edit with {"name","match","filters"}
//	DELETE /__fake/segments/{id}     SoftDelete, HardDelete with ?hard=true
//	POST   /__fake/faults            InjectFault (a Fault, snake_case keys)
//	DELETE /__fake/faults            ClearFaults
//	POST   /__fake/leads/{project}   AddLead (a Lead as JSON)
//	POST   /__fake/latency           {"latency":"20ms"}
func (s *Server) adminMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /__fake/counts", func(w http.ResponseWriter, _ *http.Request) {
		counts := s.Counts()
		counts["writes"] = s.Writes()
		writeJSON(w, http.StatusOK, counts)
	})
	m.HandleFunc("POST /__fake/reset-counts", func(w http.ResponseWriter, _ *http.Request) {
		s.ResetCounts()
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("GET /__fake/segments/{id}", func(w http.ResponseWriter, r *http.Request) {
		seg, ok := s.Get(r.PathValue("id"))
		answerSegment(w, seg, ok)
	})
	m.HandleFunc("PATCH /__fake/segments/{id}", func(w http.ResponseWriter, r *http.Request) {
		var patch struct {
			Name, Match *string
			Filters     *[]Filter
		}
		if decode(w, r, &patch) {
			ok := s.Edit(r.PathValue("id"), segmentUpdate{patch.Name, patch.Match, patch.Filters}.apply)
			seg, _ := s.Get(r.PathValue("id"))
			answerSegment(w, seg, ok)
		}
	})
	m.HandleFunc("DELETE /__fake/segments/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if r.URL.Query().Get("hard") == "true" {
			answerSegment(w, Segment{ID: objectID(id)}, s.HardDelete(id))
			return
		}
		ok := s.SoftDelete(id)
		seg, _ := s.Get(id)
		answerSegment(w, seg, ok)
	})
	m.HandleFunc("POST /__fake/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if decode(w, r, &f) {
			s.InjectFault(f)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	m.HandleFunc("DELETE /__fake/faults", func(w http.ResponseWriter, _ *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("POST /__fake/leads/{project}", func(w http.ResponseWriter, r *http.Request) {
		var l Lead
		if decode(w, r, &l) {
			writeJSON(w, http.StatusOK, s.AddLead(r.PathValue("project"), l))
		}
	})
	m.HandleFunc("POST /__fake/latency", func(w http.ResponseWriter, r *http.Request) {
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
	})
	return m
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
