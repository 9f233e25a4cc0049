package tiledesktest

import (
	"net/http"
	"strings"
)

// Route names, as used by Fault.Route, Count and Counts.
const (
	routeSegments = "segments" // list and create
	routeSegment  = "segment"  // the single-id routes
	routeLeads    = "leads"
	routeSignin   = "signin"
)

// route is one row of the route table.
type route struct {
	method string
	// pattern is the path below BasePath: literal segments, {project} (the
	// project check runs on it) and {id}, each matching one path segment.
	// A pattern that starts with {project}/X is served by a router mounted
	// at /{project}/X, behind the authentication and role checks.
	pattern string
	name    string // the route's name in faults and counters
	write   bool   // it changes stored data: counted by Writes
	handle  handlerFunc
}

// handlerFunc serves a routed request; the table holds method expressions
// such as (*Server).listSegments, so that it needs no Server.
type handlerFunc func(*Server, http.ResponseWriter, *http.Request, request)

// entity is one kind of stored object: its API routes and its hooks on
// the admin surface. A new entity (a second resource) is a row in entities
// plus its handlers, store field and Go hooks; routing, the checks in front
// of the routes, faults and counters follow from the rows. Projects and
// users are not entities: no API route serves them here, Options,
// AddProject and AddUser set them up.
type entity struct {
	name  string
	api   []route
	admin []adminRoute
}

// entities is the table of entities.
var entities = []entity{
	{
		name: "segments",
		api: []route{
			{method: http.MethodGet, pattern: "{project}/segments", name: routeSegments, handle: (*Server).listSegments},
			{method: http.MethodPost, pattern: "{project}/segments", name: routeSegments, write: true, handle: (*Server).createSegment},
			{method: http.MethodGet, pattern: "{project}/segments/{id}", name: routeSegment, handle: (*Server).getSegment},
			{method: http.MethodPut, pattern: "{project}/segments/{id}", name: routeSegment, write: true, handle: (*Server).updateSegment},
			{method: http.MethodDelete, pattern: "{project}/segments/{id}", name: routeSegment, write: true, handle: (*Server).deleteSegment},
		},
		admin: []adminRoute{
			{"GET /__fake/segments/{id}", (*Server).adminGetSegment},       // Get (the raw document)
			{"PATCH /__fake/segments/{id}", (*Server).adminEditSegment},    // Edit with {"name","match","filters"}
			{"DELETE /__fake/segments/{id}", (*Server).adminDeleteSegment}, // SoftDelete, HardDelete with ?hard=true
		},
	},
	{
		name: "leads",
		api: []route{
			{method: http.MethodGet, pattern: "{project}/leads", name: routeLeads, handle: (*Server).listLeads},
		},
		admin: []adminRoute{
			{"POST /__fake/leads/{project}", (*Server).adminAddLead}, // AddLead (a Lead as JSON)
		},
	},
}

// routeTable is every API route: the sign-in, then each entity's.
func routeTable() []route {
	routes := []route{
		{method: http.MethodPost, pattern: "auth/signin", name: routeSignin, handle: (*Server).signin},
	}
	for _, e := range entities {
		routes = append(routes, e.api...)
	}
	return routes
}

// apiRouter routes every Server's requests.
var apiRouter = newRouter(routeTable())

const (
	paramProject = "{project}"
	paramID      = "{id}"
)

// router finds the route of a request in the table.
type router struct {
	routes []route
	parts  [][]string      // each route's pattern, split on "/"
	mounts map[string]bool // X of every {project}/X/... pattern
}

func newRouter(routes []route) *router {
	rt := &router{routes: routes, mounts: map[string]bool{}}
	for _, r := range routes {
		parts := strings.Split(r.pattern, "/")
		rt.parts = append(rt.parts, parts)
		if len(parts) >= 2 && parts[0] == paramProject {
			rt.mounts[parts[1]] = true
		}
	}
	return rt
}

// request is an API request after routing and authentication.
type request struct {
	route   *route // nil where no route matches
	project string // as written in the URL (the server stores it as a string)
	id      string // the {id} of the single-id routes, as written
	user    User
	mounted bool // under a mounted router (/{project}/segments, /{project}/leads), where auth runs
}

// find maps a path to a request. ok is false for a path outside BasePath
// and for the root. A route outside /{project}/ (the sign-in) matches
// first; every other path passes the project check (express's
// app.use('/:projectid/')), even /auth/other, and is mounted when its
// second segment is a mount; route is nil where no route matches.
func (rt *router) find(base, method, path string) (request, bool) {
	rest, ok := strings.CutPrefix(path, base)
	if !ok || !strings.HasPrefix(rest, "/") {
		return request{}, false
	}
	rest = strings.TrimSuffix(rest[1:], "/") // express is not strict about a trailing slash
	parts := strings.Split(rest, "/")
	for i, r := range rt.routes {
		if r.method == method && rt.parts[i][0] != paramProject {
			if req, ok := rt.match(i, parts); ok {
				return req, true
			}
		}
	}
	if rest == "" {
		return request{}, false
	}
	req := request{project: parts[0]}
	if len(parts) < 2 || !rt.mounts[parts[1]] {
		return req, true
	}
	req.mounted = true
	for i, r := range rt.routes {
		if r.method == method && rt.parts[i][0] == paramProject {
			if m, ok := rt.match(i, parts); ok {
				return m, true
			}
		}
	}
	return req, true // behind the auth middleware, but no such route
}

// match matches route i against the path segments.
func (rt *router) match(i int, parts []string) (request, bool) {
	pattern := rt.parts[i]
	if len(pattern) != len(parts) {
		return request{}, false
	}
	req := request{route: &rt.routes[i]}
	for j, p := range pattern {
		switch p {
		case paramProject:
			req.project, req.mounted = parts[j], true
		case paramID:
			req.id = parts[j]
		default:
			if p != parts[j] {
				return request{}, false
			}
		}
	}
	return req, true
}
