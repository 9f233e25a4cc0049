package tiledesktest

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
)

// Fault makes matching API requests fail. Faults are checked after
// authentication and counting, in the order they were injected; the first
// one that hits wins.
type Fault struct {
	Method         string  `json:"method"`           // "GET", "POST", "PUT", "DELETE"; "" = any
	Route          string  `json:"route"`            // "segments", "segment", "leads", "signin"; "" = any
	Times          int     `json:"times"`            // matching requests it hits; 0 = once, or unlimited with Rate
	Status         int     `json:"status"`           // answer status (default 500)
	Body           string  `json:"body"`             // raw body; "" = {"success":false,"msg":<status text>}
	ContentType    string  `json:"content_type"`     // default: JSON, HTML or plain text after the body
	RetryAfter     string  `json:"retry_after"`      // sent as Retry-After when set
	DropAfterWrite bool    `json:"drop_after_write"` // process the request, then drop the connection unanswered
	AfterWrite     bool    `json:"after_write"`      // process the request, then answer Status (a gateway's 503/504 after the backend saved)
	Hang           bool    `json:"hang"`             // never answer until the request ends or Close
	Rate           float64 `json:"rate"`             // 0<Rate<1: hit each matching request with that probability (seeded)
	After          int     `json:"after"`            // let this many matching requests through before hitting
}

// faultQueue holds the injected faults; Server.mu guards it.
type faultQueue struct {
	list []*pendingFault
	rng  *rand.Rand
}

type pendingFault struct {
	Fault
	left  int // < 0 = unlimited
	after int // matching requests still to let through
}

func newFaultQueue() faultQueue {
	return faultQueue{rng: rand.New(rand.NewPCG(1, 2))} // deterministic on purpose
}

// InjectFault queues a fault.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.add(f)
}

// add queues a fault; the caller holds the queue's lock.
func (q *faultQueue) add(f Fault) {
	left := f.Times
	if left <= 0 {
		left = 1
		if f.Rate > 0 {
			left = -1
		}
	}
	q.list = append(q.list, &pendingFault{Fault: f, left: left, after: f.After})
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.list = nil
}

// takeFault returns the fault that hits this request, if any, and counts
// it down.
func (s *Server) takeFault(method, route string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.take(method, route)
}

// take returns the first queued fault that hits a request and counts it
// down; the caller holds the queue's lock.
func (q *faultQueue) take(method, route string) (Fault, bool) {
	for i, f := range q.list {
		if (f.Method != "" && !strings.EqualFold(f.Method, method)) || (f.Route != "" && f.Route != route) {
			continue
		}
		if f.after > 0 {
			f.after--
			continue
		}
		if f.Rate > 0 && f.Rate < 1 && q.rng.Float64() >= f.Rate {
			continue
		}
		if f.left > 0 {
			if f.left--; f.left == 0 {
				q.list = slices.Delete(q.list, i, i+1)
			}
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// applyFault answers a faulted request; run processes it normally.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault, run func(http.ResponseWriter)) {
	switch {
	case f.Hang:
		s.hang(w, r)
	case f.DropAfterWrite:
		run(httptest.NewRecorder())
		abort(w)
	case f.AfterWrite:
		run(httptest.NewRecorder())
		writeFault(w, f)
	default:
		writeFault(w, f)
	}
}

func writeFault(w http.ResponseWriter, f Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	body := []byte(f.Body)
	if f.Body == "" {
		body, _ = marshal(errorBody{Msg: http.StatusText(status)})
	}
	contentType := f.ContentType
	switch {
	case contentType != "":
	case json.Valid(body):
		contentType = contentJSON
	case strings.HasPrefix(strings.TrimSpace(f.Body), "<"):
		contentType = contentHTML
	default:
		contentType = contentText
	}
	writeBody(w, status, contentType, body)
}
