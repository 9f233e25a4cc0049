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
	{method: http.MethodGet, pattern: "{project}/subscriptions/{id}", name: routeSubscription, role: "admin", handle: getByID(entitySubscriptions, hideSecret)},
	{method: http.MethodPut, pattern: "{project}/subscriptions/{id}", name: routeSubscription, write: true, role: "admin", handle: (*Server).updateSubscription},
	{method: http.MethodDelete, pattern: "{project}/subscriptions/{id}", name: routeSubscription, write: true, role: "admin", handle: removeByID(entitySubscriptions, hideSecret)},
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
	withDefaults(d, entityNamed(entitySubscriptions).defaults)
	out, clash := s.insertDoc(entitySubscriptions, d)
	if clash != nil { // E11000: the route answers the first subscription of the event, whatever its target
		for _, o := range s.projectDocs(entitySubscriptions, req.project, func(o doc) bool { return o["event"] == d["event"] }) {
			out = o
			break
		}
		delete(out, "global")
	}
	w.Header().Set("X-Hook-Secret", str(out, "secret"))
	writeJSON(w, http.StatusOK, out)
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
	if err != nil || !isObjectID(req.id) {
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
	d, err := s.updateDoc(entitySubscriptions, req.id, u, true)
	if err != nil { // the unique index: a key another subscription holds
		writeMsg(w, http.StatusInternalServerError, msgUpdateError)
		return
	}
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
