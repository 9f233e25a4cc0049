package tiledesktest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
)

// Webhook subscriptions (routes/subscription.js), behind the admin role.
// GET, PUT (the raw body, with upsert) and DELETE (for good) find a
// subscription of any project by id. The secret and global are select:false:
// only a create's answer shows them (and the header x-hook-secret). A create
// of an existing (event, target) answers the project's first subscription
// of that event, whatever its target.
var subscriptionRoutes = []route{
	{method: http.MethodGet, pattern: "{project}/subscriptions", name: routeSubscriptions, role: "admin", handle: (*Server).listSubscriptions},
	{method: http.MethodPost, pattern: "{project}/subscriptions", name: routeSubscriptions, write: true, role: "admin", handle: (*Server).createSubscription},
	{method: http.MethodGet, pattern: "{project}/subscriptions/history", name: routeSubscriptions, role: "admin", handle: (*Server).subscriptionHistory},
	{method: http.MethodPost, pattern: "{project}/subscriptions/test", name: routeSubscription, role: "admin", handle: (*Server).testSubscription},
	{method: http.MethodGet, pattern: "{project}/subscriptions/{id}", name: routeSubscription, role: "admin", handle: (*Server).getSubscription},
	{method: http.MethodPut, pattern: "{project}/subscriptions/{id}", name: routeSubscription, write: true, role: "admin", handle: (*Server).updateSubscription},
	{method: http.MethodDelete, pattern: "{project}/subscriptions/{id}", name: routeSubscription, write: true, role: "admin", handle: (*Server).deleteSubscription},
}

// The collection and the route names (Fault.Route, Count).
const (
	entitySubscriptions = "subscriptions"
	routeSubscriptions  = "subscriptions" // list and create
	routeSubscription   = "subscription"  // the single-id routes
)

// subscriptionSecret is the schema's default secret: uuidv4() evaluated once,
// when the server's model module loads, so every subscription a server
// process creates gets the same one (here: every Server of this process).
var subscriptionSecret = newUUID()

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// subscriptionDefaults are the schema's defaults, stored with a new
// subscription (never shown but by a create's answer).
func subscriptionDefaults(d doc) {
	for k, v := range map[string]any{"secret": subscriptionSecret, "global": false} {
		if _, ok := d[k]; !ok {
			d[k] = v
		}
	}
}

// hideSecret is a subscription as the routes other than POST answer it:
// without the select:false fields (MongoDB applies the projection to
// findByIdAndUpdate and findByIdAndRemove too).
func hideSecret(d doc) any {
	if d == nil {
		return nil
	}
	delete(d, "secret")
	delete(d, "global")
	return d
}

// listSubscriptions serves GET /{project}/subscriptions: every one of the
// project at once, in creation order.
func (s *Server) listSubscriptions(w http.ResponseWriter, r *http.Request, req request) {
	s.writeList(w, r, listShape{}, s.projectDocs(entitySubscriptions, req.project, nil), hideSecret)
}

// subscriptionHistory serves GET /{project}/subscriptions/history: the
// delivery logs, which a server writes only with SUBSCRIPTION_LOG_ENABLED.
func (s *Server) subscriptionHistory(w http.ResponseWriter, _ *http.Request, _ request) {
	writeJSON(w, http.StatusOK, []any{})
}

// testSubscription serves POST /{project}/subscriptions/test, which answers
// the request object: circular JSON, the error handler's 500.
func (s *Server) testSubscription(w http.ResponseWriter, _ *http.Request, _ request) {
	writeJSON(w, http.StatusInternalServerError, map[string]string{"err": "error"})
}

// getSubscription serves GET /{project}/subscriptions/{id}: findById.
func (s *Server) getSubscription(w http.ResponseWriter, _ *http.Request, req request) {
	s.getByID(w, req, entitySubscriptions, hideSecret)
}

// subscriptionKey is the unique index {id_project, event, target}: a
// missing key counts as null.
func subscriptionKey(d doc) string {
	b, _ := marshal([]any{d["id_project"], d["event"], d["target"]})
	return string(b)
}

// createSubscription serves POST /{project}/subscriptions: event and target
// required (any string); secret and global are the defaults whatever is
// sent. A duplicate of (event, target) answers the project's first
// subscription of the event, with its secret and without global.
func (s *Server) createSubscription(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	d := doc{}
	for _, k := range []string{"event", "target"} {
		v, err := castString(fields[k])
		if err != nil || v == nil || *v == "" {
			writeMsg(w, http.StatusInternalServerError, "Error saving object.")
			return
		}
		d[k] = *v
	}
	d["id_project"], d["createdBy"] = req.project, req.user.ID
	subscriptionDefaults(d)
	s.mu.Lock()
	var first doc
	dup := false
	for _, o := range s.st.collection(entitySubscriptions) {
		if o["id_project"] == req.project && o["event"] == d["event"] && (first == nil || olderDoc(o, first)) {
			first = o
		}
		dup = dup || subscriptionKey(o) == subscriptionKey(d)
	}
	var out doc
	if dup {
		out = cloneDoc(first)
		delete(out, "global")
	} else {
		out = s.insertLocked(entitySubscriptions, d)
	}
	s.mu.Unlock()
	w.Header().Set("X-Hook-Secret", str(out, "secret"))
	writeJSON(w, http.StatusOK, out)
}

// olderDoc: a was created before b (createdAt, then _id).
func olderDoc(a, b doc) bool {
	if ca, cb := str(a, "createdAt"), str(b, "createdAt"); ca != cb {
		return ca < cb
	}
	return str(a, "_id") < str(b, "_id")
}

// updateSubscription serves PUT /{project}/subscriptions/{id}:
// findByIdAndUpdate of the raw body with upsert, no project check: every key
// of the schema is set (secret, global, id_project, createdBy included),
// others are dropped. A key that another subscription holds answers 500.
func (s *Server) updateSubscription(w http.ResponseWriter, r *http.Request, req request) {
	fields, ok := readBody(w, r)
	if !ok {
		return
	}
	u, err := castSubscription(fields)
	if err != nil || !isObjectID(req.id) || s.subscriptionTaken(req.id, u) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	d, _ := s.updateDoc(entitySubscriptions, req.id, u, true, nil)
	writeJSON(w, http.StatusOK, hideSecret(d))
}

// castSubscription casts the schema's keys of a PUT body: strings, global a
// Boolean; null is set as null.
func castSubscription(fields map[string]json.RawMessage) (doc, error) {
	u := doc{}
	for _, k := range []string{"event", "target", "secret", "id_project", "createdBy", "global"} {
		raw, sent := fields[k]
		if !sent {
			continue
		}
		if string(raw) == "null" {
			u[k] = nil
			continue
		}
		if k == "global" {
			b, err := castBool(raw)
			if err != nil {
				return nil, err
			}
			u[k] = b
			continue
		}
		v, err := castString(raw)
		if err != nil {
			return nil, err
		}
		u[k] = *v
	}
	return u, nil
}

// subscriptionTaken reports whether the update u of subscription id would
// give it the unique key of another one.
func (s *Server) subscriptionTaken(id string, u doc) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.collection(entitySubscriptions)
	after := cloneDoc(c[objectID(id)])
	if after == nil {
		after = doc{}
	}
	for k, v := range u {
		after[k] = v
	}
	for oid, o := range c {
		if oid != objectID(id) && subscriptionKey(o) == subscriptionKey(after) {
			return true
		}
	}
	return false
}

// deleteSubscription serves DELETE /{project}/subscriptions/{id}:
// findByIdAndRemove, no project check, answering the removed subscription or
// null.
func (s *Server) deleteSubscription(w http.ResponseWriter, _ *http.Request, req request) {
	s.removeByID(w, req, entitySubscriptions, hideSecret)
}
