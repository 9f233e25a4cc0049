package tiledesktest

import (
	"net/http"
	"net/url"
	"strings"
)

// Route names, as used by Fault.Route, Count and Counts: each entity's
// list-and-create routes are named after it ("segments"), its single-id
// routes after one of it ("segment").
const (
	routeSegments    = "segments" // list and create
	routeSegment     = "segment"  // the single-id routes
	routeDepartments = "departments"
	routeDepartment  = "department"
	routeGroups      = "groups"
	routeGroup       = "group"
	routeTags        = "tags"
	routeTag         = "tag"
	routeLeads       = "leads"
	routeSignin      = "signin"
)

// Collections (entity names).
const (
	entitySegments    = "segments"
	entityDepartments = "departments"
	entityGroups      = "groups"
	entityTags        = "tags"
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
	// role is the least role the route lets in ("" = agent); public routes
	// take no credentials at all.
	role   string
	public bool
	handle handlerFunc
}

// handlerFunc serves a routed request; the table holds method expressions
// such as (*Server).listSegments, so that it needs no Server.
type handlerFunc func(*Server, http.ResponseWriter, *http.Request, request)

// entity is one kind of stored object: a collection of the store, its API
// routes and what its hooks need to know. A new entity (another resource) is
// a row in entities plus its handlers; routing, the checks in front of the
// routes, faults, counters, storage and the hooks (SeedDoc, EditDoc,
// DeleteDoc, RemoveDoc, Doc, Docs and the admin surface) follow from the row.
// Projects and users are not entities: no API route serves them here,
// Options, AddProject and AddUser set them up.
type entity struct {
	name string
	api  []route
	// defaults are the schema's defaults, which a new document gets (a
	// create, a seed, an upsert ghost) where it has no value.
	defaults doc
	// softDelete is what the API's DELETE sets; nil when it removes the
	// document for good.
	softDelete doc
	// live reports a document the API's list shows (nil: every one).
	live func(doc) bool
	// created is what the API's create sets besides the body, the project
	// and the creator (a group's trashed: false).
	created doc
	// unique are the keys of a unique index (id_project among them): a
	// write that would give two documents the same values fails (E11000).
	unique []string
}

// completeNew adds to a new document what the entity's create sets and the
// schema's defaults, where d has none.
func (e *entity) completeNew(d doc) {
	withDefaults(d, e.created)
	withDefaults(d, e.defaults)
}

// withDefaults sets the keys of defaults that d has no value for.
func withDefaults(d, defaults doc) {
	for k, v := range defaults {
		if _, ok := d[k]; !ok {
			d[k] = cloneValue(v)
		}
	}
}

// entities is the table of entities.
var entities = []entity{
	{
		name: entitySegments,
		api: []route{
			{method: http.MethodGet, pattern: "{project}/segments", name: routeSegments, handle: (*Server).listSegments},
			{method: http.MethodPost, pattern: "{project}/segments", name: routeSegments, write: true, handle: (*Server).createSegment},
			{method: http.MethodGet, pattern: "{project}/segments/{id}", name: routeSegment, handle: getByID(entitySegments, asStored)},
			{method: http.MethodPut, pattern: "{project}/segments/{id}", name: routeSegment, write: true, handle: (*Server).updateSegment},
			{method: http.MethodDelete, pattern: "{project}/segments/{id}", name: routeSegment, write: true, handle: (*Server).deleteSegment},
		},
		defaults:   doc{"match": "all", "filters": []any{}, "status": StatusLive},
		softDelete: doc{"status": StatusDeleted},
		live:       segmentLive,
	},
	{
		name:     entityDepartments,
		api:      departmentRoutes,
		defaults: doc{"routing": "pooled", "default": false, "status": 1, "groups": []any{}, "tags": []any{}},
		live:     func(d doc) bool { n, _ := docStatus(d); return n >= 0 },
	},
	{
		name:       entityGroups,
		api:        groupRoutes,
		defaults:   doc{"members": []any{}, "enabled": true}, // trashed has none: the create sets it, a ghost lacks it
		softDelete: groupTrashed,
		live:       groupLive,
		created:    doc{"trashed": false},
	},
	{
		name:   entityTags,
		api:    tagRoutes,
		unique: []string{"id_project", "tag"},
	},
	{
		name: entityCanned, api: cannedRoutes, defaults: doc{"status": cannedLive},
		softDelete: doc{"status": cannedDeleted}, live: cannedLiveDoc,
	},
	// secret and global are stored with a new subscription (never shown but by a create's answer).
	{
		name: entitySubscriptions, api: subscriptionRoutes, defaults: doc{"secret": subscriptionSecret, "global": false},
		unique: []string{"id_project", "event", "target"},
	},
	{
		name: "leads",
		api: []route{
			{method: http.MethodGet, pattern: "{project}/leads", name: routeLeads, handle: (*Server).listLeads},
		},
	},
}

// entityIndex is entities by name, built at init: handlers reach the table
// through it (a reference to entities itself would be an initialization
// cycle, the table holding the handlers).
var entityIndex map[string]*entity

func init() {
	entityIndex = make(map[string]*entity, len(entities))
	for i := range entities {
		entityIndex[entities[i].name] = &entities[i]
	}
}

// entityNamed returns the entity of a collection; it panics for an unknown
// name, a mistake in a test.
func entityNamed(name string) *entity {
	if e := entityIndex[name]; e != nil {
		return e
	}
	panic("tiledesktest: no entity " + name)
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

// find maps a path, as sent (escaped), to a request. Literal segments match
// the path as sent, as express matches a route, so an escaped slash is no
// separator; parameters are unescaped. ok is false for a path outside BasePath
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
	req := request{project: unescape(parts[0])}
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

// unescape decodes a path parameter as express does (a malformed escape is
// kept as sent).
func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
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
			req.project, req.mounted = unescape(parts[j]), true
		case paramID:
			req.id = unescape(parts[j])
		default:
			if p != parts[j] {
				return request{}, false
			}
		}
	}
	return req, true
}
