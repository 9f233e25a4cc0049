package tiledesktest

// The fidelity test: one table of request sequences sent to a real
// tiledesk-server and to this fake, answers compared after normalising ids
// and timestamps. `make fidelity` starts a real server with
// scripts/tiledesk-server.sh and runs it; CONTRACT.md is what both should do.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// fidelityEnv switches the test on; the TILEDESK_* settings name the real server.
const fidelityEnv = "TILEDESK_FIDELITY"

// fidelityTarget is one API under comparison.
type fidelityTarget struct {
	name            string
	base            string // no trailing slash
	project         string // user 1 may use it (agent or above)
	project2        string // user 1's second project
	token           string // user 1's Authorization header value ("JWT ...")
	email, password string // user 1
	otherToken      string // user 2's Authorization header value; user 2 is not a member of project
	agentToken      string // user 3's Authorization header value; user 3 is an agent of project and project2
	client          *http.Client
	addLead         func(t *testing.T, project, lead string)
}

// fidStep is one request. Paths and bodies may name ids as {name}: {p1} and
// {p2} are the two projects, {unknownProject} a well-formed id of no project,
// a step's save names the _id of its answer, and any other name is a fresh
// random well-formed id (the same within a case). {email} and {password} are
// user 1's.
type fidStep struct {
	method, path string
	body         string // sent as application/json unless ctype says otherwise; "" = no body
	ctype        string
	auth         string // "" = user 1's JWT; see authHeader for the others
	save         string // remember the answer's _id under this name
	short        bool   // a route expected to hang: give up after fidShortTimeout
	shape        bool   // compare keys and JSON types only, not values (answers with data no test controls)
	counts       bool   // compare a list's perPage, count and length only (lead objects differ, see CONTRACT.md)
	// ignore are keys of an object answer compared on neither side (where
	// FerretDB and MongoDB differ: see CONTRACT.md).
	ignore []string
	lead   string // not a request: add this lead (JSON: lead_id, fullname, email, attributes) to {p1}
	clear  bool   // not a request: delete the objects earlier cases left in both projects (clearObjects)
}

type fidCase struct {
	name  string
	steps []fidStep
}

const (
	fidTimeout      = 15 * time.Second
	fidShortTimeout = 2 * time.Second
	// fidUnknownProject is a well-formed id that names no project on either side.
	fidUnknownProject = "0123456789abcdef01234567"
)

const (
	segBody        = `{"name":"Italian premium leads","match":"any","filters":[{"field":"email","operator":"contains","value":"@example.it"},{"field":"attributes.plan","operator":"=","value":"premium"},{"field":"attributes.orders","operator":">=","value":3},{"field":"attributes.vip","operator":"=","value":true}]}`
	segBodyMinimal = `{"name":"only a name"}`
	depBody        = `{"name":"Sales","description":"Leads from the web","routing":"assigned","status":0,"id_bot":"{bot}","bot_only":true,"id_group":"{g}"}`
	groupBody      = `{"name":"Support team","members":["{u2}","{u1}","{u2}"]}`
)

func fidelityCases() []fidCase {
	get := func(path string) fidStep { return fidStep{method: http.MethodGet, path: path} }
	post := func(path, body, save string) fidStep {
		return fidStep{method: http.MethodPost, path: path, body: body, save: save}
	}
	put := func(path, body string) fidStep { return fidStep{method: http.MethodPut, path: path, body: body} }
	del := func(path string) fidStep { return fidStep{method: http.MethodDelete, path: path} }
	as := func(auth string, s fidStep) fidStep { s.auth = auth; return s }
	short := func(s fidStep) fidStep { s.short = true; return s }
	return []fidCase{
		// The segment routes, good input.
		{"create then get", []fidStep{post("/{p1}/segments", segBody, "a"), get("/{p1}/segments/{a}")}},
		{"create with defaults", []fidStep{post("/{p1}/segments", segBodyMinimal, "a"), get("/{p1}/segments/{a}")}},
		{"create with a match the server does not check", []fidStep{post("/{p1}/segments", `{"name":"n","match":"sometimes"}`, "a")}},
		{"create with typed filter values", []fidStep{post("/{p1}/segments",
			`{"name":"types","filters":[{"field":"a","operator":"=","value":"3"},{"field":"b","operator":"=","value":3},{"field":"c","operator":"=","value":3.5},{"field":"d","operator":"=","value":false},{"field":"e","operator":"is null","value":""}]}`, "a")}},
		{"create with extra keys", []fidStep{post("/{p1}/segments", `{"name":"n","status":0,"id_project":"{p2}","_id":"{x}","unknown":1}`, "a"),
			get("/{p1}/segments/{a}")}},
		// Bad input on create.
		{"create without a name", []fidStep{post("/{p1}/segments", `{"match":"all","filters":[]}`, "")}},
		{"create with an empty name", []fidStep{post("/{p1}/segments", `{"name":""}`, "")}},
		{"create with a null name", []fidStep{post("/{p1}/segments", `{"name":null}`, "")}},
		{"create with a filter value null", []fidStep{post("/{p1}/segments", `{"name":"n","filters":[{"field":"email","operator":"is null","value":null}]}`, "")}},
		{"create with a filter without value", []fidStep{post("/{p1}/segments", `{"name":"n","filters":[{"field":"email","operator":"is null"}]}`, "")}},
		{"create with a filter without field", []fidStep{post("/{p1}/segments", `{"name":"n","filters":[{"operator":"=","value":"x"}]}`, "")}},
		{"create with filters not an array", []fidStep{post("/{p1}/segments", `{"name":"n","filters":"email"}`, "")}},
		{"create with invalid JSON", []fidStep{post("/{p1}/segments", `{"name":`, "")}},
		{"create with an empty body", []fidStep{post("/{p1}/segments", ``, "")}},
		{"create with a body not declared as JSON", []fidStep{{method: http.MethodPost, path: "/{p1}/segments", body: segBodyMinimal, ctype: "text/plain"}}},
		// Updates: only the keys sent change.
		{"update the name keeps the filters", []fidStep{post("/{p1}/segments", segBody, "a"),
			put("/{p1}/segments/{a}", `{"name":"renamed"}`), get("/{p1}/segments/{a}")}},
		{"update with empty filters clears them", []fidStep{post("/{p1}/segments", segBody, "a"),
			put("/{p1}/segments/{a}", `{"filters":[]}`), get("/{p1}/segments/{a}")}},
		{"update with null keys changes nothing", []fidStep{post("/{p1}/segments", segBody, "a"),
			put("/{p1}/segments/{a}", `{"name":null,"match":null,"filters":null}`)}},
		{"update with an empty body", []fidStep{post("/{p1}/segments", segBody, "a"), put("/{p1}/segments/{a}", `{}`)}},
		{"update with a filter value null", []fidStep{post("/{p1}/segments", segBody, "a"),
			put("/{p1}/segments/{a}", `{"filters":[{"field":"email","operator":"is null","value":null}]}`), get("/{p1}/segments/{a}")}},
		// Trap: soft delete.
		{"delete is soft", []fidStep{post("/{p1}/segments", segBody, "a"), del("/{p1}/segments/{a}"),
			get("/{p1}/segments/{a}"), get("/{p1}/segments"), del("/{p1}/segments/{a}"), put("/{p1}/segments/{a}", `{"name":"back"}`),
			get("/{p1}/segments")}},
		// Trap: PUT and DELETE upsert ghosts.
		{"PUT to a missing id creates a ghost", []fidStep{put("/{p1}/segments/{ghost}", `{"name":"ghost"}`),
			get("/{p1}/segments/{ghost}"), get("/{p1}/segments")}},
		{"DELETE of a missing id creates a deleted ghost", []fidStep{del("/{p1}/segments/{ghost}"), get("/{p1}/segments/{ghost}")}},
		{"GET of a missing id", []fidStep{get("/{p1}/segments/{missing}")}},
		// Trap: no project check on the single-segment routes.
		{"single routes ignore the project", []fidStep{post("/{p2}/segments", segBody, "b"), get("/{p1}/segments/{b}"),
			put("/{p1}/segments/{b}", `{"name":"moved?"}`), get("/{p2}/segments/{b}"), del("/{p1}/segments/{b}"), get("/{p2}/segments/{b}")}},
		// Malformed segment ids.
		{"malformed segment ids", []fidStep{get("/{p1}/segments/not-an-id"), put("/{p1}/segments/not-an-id", `{"name":"x"}`),
			del("/{p1}/segments/not-an-id"), get("/{p1}/segments/0123456789abcdef0123456"), get("/{p1}/segments/0123456789abcdef012345678")}},
		{"upper-case segment id", []fidStep{post("/{p1}/segments", segBodyMinimal, "a"), get("/{p1}/segments/{A}")}},
		// Paging, sorting, count.
		{"list paging and sorting", []fidStep{
			post("/{p2}/segments", `{"name":"b-second"}`, "s1"), post("/{p2}/segments", `{"name":"a-first"}`, "s2"),
			post("/{p2}/segments", `{"name":"c-third"}`, "s3"),
			get("/{p2}/segments"), get("/{p2}/segments?limit=2"), get("/{p2}/segments?limit=2&page=1"),
			get("/{p2}/segments?limit=2&page=2"), get("/{p2}/segments?sort=name&direction=1"),
			get("/{p2}/segments?sort=name&direction=-1"), get("/{p2}/segments?sort=name"),
			get("/{p2}/segments?direction=1"), get("/{p2}/segments?direction=ASC"), get("/{p2}/segments?direction=bogus"),
			get("/{p2}/segments?limit=0"), get("/{p2}/segments?limit=abc"),
			get("/{p2}/segments?limit=1&page=1.5"), get("/{p2}/segments?page=x"),
			del("/{p2}/segments/{s2}"), get("/{p2}/segments?sort=name&direction=1"),
		}},
		{"list with a negative page", []fidStep{short(get("/{p2}/segments?limit=2&page=-1"))}},
		// Auth failures and the project check.
		{"auth: none", []fidStep{as("none", get("/{p1}/segments")), as("none", post("/{p1}/segments", segBody, ""))}},
		{"auth: bad JWT", []fidStep{as("bad", get("/{p1}/segments"))}},
		{"auth: Bearer", []fidStep{as("bearer", get("/{p1}/segments"))}},
		{"auth: bare token", []fidStep{as("bare", get("/{p1}/segments"))}},
		{"auth: JWT scheme only", []fidStep{as("jwt-only", get("/{p1}/segments"))}},
		{"auth: lower-case jwt scheme", []fidStep{as("jwt-lower", get("/{p1}/segments"))}},
		{"auth: Basic", []fidStep{as("basic", get("/{p1}/segments")), as("basic", post("/{p1}/segments", segBodyMinimal, "a"))}},
		{"auth: Basic with a wrong password", []fidStep{as("basic-bad", get("/{p1}/segments"))}},
		{"auth: Basic without a colon", []fidStep{as("basic-nocolon", get("/{p1}/segments"))}},
		{"auth: no credentials and an invalid project", []fidStep{as("none", get("/not-a-project/segments"))}},
		{"403 for a non-member", []fidStep{post("/{p1}/segments", segBody, "a"), as("other", get("/{p1}/segments")),
			as("other", get("/{p1}/segments/{a}")), as("other", post("/{p1}/segments", segBody, "")),
			as("other", put("/{p1}/segments/{a}", `{"name":"x"}`)), as("other", del("/{p1}/segments/{a}")),
			as("other", get("/{p1}/leads")), get("/{p1}/segments/{a}")}},
		{"invalid project id", []fidStep{get("/not-a-project/segments"), get("/not-a-project/segments/{x}"),
			post("/not-a-project/segments", segBody, ""), get("/not-a-project/leads"), as("other", get("/not-a-project/segments"))}},
		{"unknown project id", []fidStep{get("/{unknownProject}/segments"), post("/{unknownProject}/segments", segBody, ""),
			get("/{unknownProject}/segments/{x}"), get("/{unknownProject}/leads"), as("other", get("/{unknownProject}/segments"))}},
		{"foreign project segment through its own project", []fidStep{post("/{p2}/segments", segBodyMinimal, "b"),
			get("/{p2}/segments/{b}"), get("/{p1}/segments")}},
		// Leads.
		{"leads of a project", []fidStep{get("/{p1}/leads"), get("/{p1}/leads?limit=5&page=1")}},
		{"leads of a segment", []fidStep{post("/{p1}/segments", `{"name":"n","filters":[{"field":"email","operator":"contains","value":"@example.it"},{"field":"attributes.orders","operator":">=","value":3}]}`, "a"),
			get("/{p1}/leads?segment={a}"), del("/{p1}/segments/{a}"), get("/{p1}/leads?segment={a}")}},
		{"leads of a segment without filters", []fidStep{post("/{p1}/segments", segBodyMinimal, "a"), get("/{p1}/leads?segment={a}")}},
		{"leads of an unknown segment", []fidStep{get("/{p1}/leads?segment={missing}")}},
		{"leads of another project's segment", []fidStep{post("/{p2}/segments", segBodyMinimal, "b"), get("/{p1}/leads?segment={b}")}},
		{"leads of a ghost segment", []fidStep{put("/{p1}/segments/{ghost}", `{"name":"g"}`), get("/{p1}/leads?segment={ghost}")}},
		{"leads of a malformed segment id", []fidStep{short(get("/{p1}/leads?segment=not-an-id"))}},
		{"leads of a segment with starts with", []fidStep{post("/{p1}/segments", `{"name":"n","filters":[{"field":"email","operator":"starts with","value":"a"}]}`, "a"),
			short(get("/{p1}/leads?segment={a}"))}},
		// An invalid "contains" regex: MongoDB refuses the query, and the route never answers. FerretDB only
		// notices with a lead document to match, so that case is in "leads matched by a segment" below.
		{"leads matched by a segment", []fidStep{
			{lead: `{"lead_id":"fid-1","fullname":"Mario Rossi","email":"mario@example.it","attributes":{"orders":3,"plan":"premium"}}`},
			{lead: `{"lead_id":"fid-2","fullname":"Anna Bianchi","email":"anna@example.com","attributes":{"orders":"3"}}`},
			{method: http.MethodGet, path: "/{p1}/leads", counts: true},
			post("/{p1}/segments", `{"name":"n","filters":[{"field":"attributes.orders","operator":">=","value":3}]}`, "a"),
			{method: http.MethodGet, path: "/{p1}/leads?segment={a}", counts: true},
			post("/{p1}/segments", `{"name":"n","match":"any","filters":[{"field":"email","operator":"contains","value":"example.it"},{"field":"fullname","operator":"=","value":"Anna Bianchi"}]}`, "b"),
			{method: http.MethodGet, path: "/{p1}/leads?segment={b}", counts: true},
			post("/{p1}/segments", `{"name":"n","filters":[{"field":"email","operator":"contains","value":"("}]}`, "c"),
			short(get("/{p1}/leads?segment={c}")),
			{method: http.MethodGet, path: "/{p1}/leads?limit=1&page=1", counts: true},
		}},
		// Ids of 12 characters cast to an ObjectId (their bytes) in mongoose 5.
		{"12-character ids", []fidStep{get("/abcdefghijkl/segments"), get("/{p1}/segments/abcdefghijkl"),
			get("/{p1}/leads?segment=abcdefghijkl"), put("/{p1}/segments/abcdefghijkm", `{"match":"any"}`),
			get("/{p1}/segments/abcdefghijkm"), del("/{p1}/segments/abcdefghijkn")}},
		// The order of the checks: body parser, project, credentials, role.
		{"order of the checks", []fidStep{as("none", get("/{unknownProject}/segments")),
			as("none", post("/not-a-project/segments", `{"name":`, "")), as("bad", post("/{p1}/segments", `{"name":`, "")),
			as("none", get("/{p1}/other")), as("none", get("/not-a-project")), as("none", get("/auth/signin")),
			as("other", post("/{unknownProject}/segments", `"text"`, ""))}},
		{"a body over 500 KB", []fidStep{post("/{p1}/segments", `{"name":"`+strings.Repeat("x", 600*1024)+`"}`, "")}},
		// Routes that do not exist.
		{"unknown routes", []fidStep{get("/{p1}/segments/{x}/extra"), as("none", get("/{p1}/segments/{x}/extra")),
			{method: http.MethodPatch, path: "/{p1}/segments/{x}", body: `{"name":"x"}`}}},
		// Departments (routes/department.js).
		{"department: create then get", []fidStep{post("/{p1}/departments", depBody, "a"), get("/{p1}/departments/{a}")}},
		{"department: create with defaults", []fidStep{post("/{p1}/departments", `{"name":"only a name"}`, "a"), get("/{p1}/departments/{a}")}},
		{"department: create without a name", []fidStep{post("/{p1}/departments", `{"description":"x"}`, ""), post("/{p1}/departments", `{"name":""}`, "")}},
		{"department: bot_only needs an id_bot on create", []fidStep{post("/{p1}/departments", `{"name":"n","bot_only":true,"id_bot":""}`, "a"),
			post("/{p1}/departments", `{"name":"n","bot_only":true,"id_bot":"{bot}"}`, "b")}},
		{"department: routing and status as sent", []fidStep{post("/{p1}/departments", `{"name":"n","routing":"weird","status":-1}`, "a"),
			post("/{p1}/departments", `{"name":"n","status":"abc"}`, "")}},
		{"department: groups get ids and need a percentage", []fidStep{
			post("/{p1}/departments", `{"name":"n","groups":[{"group_id":"{g}","percentage":100}]}`, "a"),
			post("/{p1}/departments", `{"name":"n","groups":[{"group_id":"{g}"}]}`, "")}},
		{"department: update sets id_bot and id_group from the body", []fidStep{post("/{p1}/departments", depBody, "a"),
			put("/{p1}/departments/{a}", `{"name":"renamed"}`), get("/{p1}/departments/{a}")}},
		{"department: update with null keeps, empty text clears", []fidStep{post("/{p1}/departments", depBody, "a"),
			put("/{p1}/departments/{a}", `{"description":null,"routing":null,"status":null,"id_bot":"{bot}","id_group":"{g}"}`),
			put("/{p1}/departments/{a}", `{"description":"","id_bot":"{bot}","id_group":"{g}","default":true,"id_project":"{p2}"}`)}},
		{"department: update with a bad status", []fidStep{post("/{p1}/departments", depBody, "a"), put("/{p1}/departments/{a}", `{"status":"abc"}`)}},
		{"department: of another project through p1", []fidStep{post("/{p2}/departments", depBody, "a"),
			get("/{p1}/departments/{a}"), put("/{p1}/departments/{a}", `{"name":"renamed through p1"}`), get("/{p2}/departments/{a}"),
			del("/{p1}/departments/{a}"), get("/{p2}/departments/{a}")}},
		{"department: upsert ghosts", []fidStep{put("/{p1}/departments/{x}", `{"name":"ghost"}`), get("/{p1}/departments/{x}"),
			put("/{p1}/departments/{y}", `{}`), del("/{p1}/departments/{x}"), get("/{p1}/departments/{x}")}},
		{"department: delete is for good", []fidStep{post("/{p1}/departments", depBody, "a"), del("/{p1}/departments/{a}"),
			get("/{p1}/departments/{a}"), del("/{p1}/departments/{a}"), del("/{p1}/departments/{x}")}},
		{"department: an escaped slash is no separator", []fidStep{get("/{p1}/departments%2Fallstatus")}},
		{"department: malformed ids", []fidStep{get("/{p1}/departments/nothex"), put("/{p1}/departments/nothex", `{"name":"x"}`),
			del("/{p1}/departments/nothex")}},
		{"department: lists", []fidStep{{clear: true},
			post("/{p1}/departments", `{"name":"b visible"}`, "a"), post("/{p1}/departments", `{"name":"a hidden","status":0}`, "b"),
			post("/{p1}/departments", `{"name":"c hidden from all","status":-1}`, "c"),
			get("/{p1}/departments"), get("/{p1}/departments/allstatus"), get("/{p1}/departments?sort=1"), get("/{p1}/departments/allstatus?sort=name"),
			as("none", get("/{p1}/departments")), as("none", get("/{p1}/departments/allstatus")), get("/{p1}/departments/default")}},
		{"department: reads need no credentials", []fidStep{post("/{p1}/departments", depBody, "a"),
			as("none", get("/{p1}/departments/{a}")), as("bad", get("/{p1}/departments/{a}")), as("other", get("/{p1}/departments/{a}")),
			as("none", get("/{p1}/departments/default"))}},
		{"department: writes need credentials and membership", []fidStep{post("/{p1}/departments", depBody, "a"),
			as("none", post("/{p1}/departments", depBody, "")), as("other", post("/{p1}/departments", depBody, "")),
			as("other", put("/{p1}/departments/{a}", `{"name":"x"}`)), as("other", del("/{p1}/departments/{a}")),
			as("other", get("/{p1}/departments/allstatus"))}},
		// Last of the department cases: it leaves {p2} without a default department.
		{"department: the default department can be deleted", []fidStep{get("/{p2}/departments/default"),
			{method: http.MethodGet, path: "/{p2}/departments/default", save: "d"}, del("/{p2}/departments/{d}"),
			get("/{p2}/departments/default"), get("/{p2}/departments/{d}")}},
		// Groups (routes/group.js). After the department cases: those clear the departments.
		{"group: create then get", []fidStep{post("/{p1}/groups", groupBody, "a"), get("/{p1}/groups/{a}")}},
		{"group: create ignores enabled, trashed, attributes and the project", []fidStep{
			post("/{p1}/groups", `{"name":"n","enabled":false,"trashed":true,"attributes":{"a":1},"id_project":"{p2}","createdBy":"{u1}"}`, "a"),
			get("/{p1}/groups/{a}")}},
		{"group: create without a name", []fidStep{post("/{p1}/groups", `{"members":[]}`, ""), post("/{p1}/groups", `{"name":""}`, ""),
			post("/{p1}/groups", `{"name":null}`, ""), post("/{p1}/groups", `{"name":{"a":1}}`, "")}},
		{"group: members are stored as sent", []fidStep{post("/{p1}/groups", `{"name":"n","members":"{u1}"}`, "a"),
			post("/{p1}/groups", `{"name":"n","members":null}`, "b"), post("/{p1}/groups", `{"name":"n","members":[5,{"a":1},"{u1}"]}`, "c")}},
		{"group: update sets what is sent and not null", []fidStep{post("/{p1}/groups", groupBody, "a"),
			put("/{p1}/groups/{a}", `{"name":"renamed"}`), put("/{p1}/groups/{a}", `{"members":["{u1}","{u2}"]}`),
			put("/{p1}/groups/{a}", `{"members":[],"attributes":{"x":"y"},"enabled":false,"id_project":"{p2}"}`),
			put("/{p1}/groups/{a}", `{"members":null,"name":null}`), get("/{p1}/groups/{a}")}},
		{"group: enable and disable", []fidStep{{clear: true}, post("/{p1}/groups", groupBody, "a"), put("/{p1}/groups/disable/{a}", ``),
			get("/{p1}/groups/{a}"), get("/{p1}/groups"), put("/{p1}/groups/{a}", `{"name":"still disabled","enabled":true}`),
			put("/{p1}/groups/enable/{a}", ``), get("/{p1}/groups/{a}")}},
		{"group: delete trashes", []fidStep{{clear: true}, post("/{p1}/groups", groupBody, "a"), del("/{p1}/groups/{a}"),
			get("/{p1}/groups/{a}"), get("/{p1}/groups"), del("/{p1}/groups/{a}"), put("/{p1}/groups/{a}", `{"trashed":false}`),
			get("/{p1}/groups"), del("/{p1}/groups/{x}"), get("/{p1}/groups/{x}")}},
		{"group: force delete removes", []fidStep{post("/{p1}/groups", groupBody, "a"), del("/{p1}/groups/{a}?force=true"),
			get("/{p1}/groups/{a}"), del("/{p1}/groups/{a}?force=true"), post("/{p1}/groups", groupBody, "b"), del("/{p1}/groups/{b}?force=1"),
			get("/{p1}/groups/{b}")}},
		{"group: list by member", []fidStep{{clear: true}, post("/{p1}/groups", groupBody, "a"),
			post("/{p1}/groups", `{"name":"other","members":["{u3}",5]}`, "b"), get("/{p1}/groups?member={u1}"), get("/{p1}/groups?member={u3}"),
			get("/{p1}/groups?member=5"), get("/{p1}/groups?member={u4}")}},
		{"group: a department's id_group blocks delete and disable", []fidStep{post("/{p1}/groups", groupBody, "a"),
			post("/{p1}/departments", `{"name":"routes to a","id_group":"{a}"}`, "d"), del("/{p1}/groups/{a}"), del("/{p1}/groups/{a}?force=true"),
			put("/{p1}/groups/disable/{a}", ``), put("/{p1}/groups/enable/{a}", ``), get("/{p1}/groups/{a}"),
			put("/{p1}/departments/{d}", `{"name":"hidden from all","status":-1,"id_group":"{a}"}`), del("/{p1}/groups/{a}"),
			put("/{p1}/groups/{a}", `{"trashed":true}`), get("/{p1}/groups/{a}"), del("/{p1}/departments/{d}"), del("/{p1}/groups/{a}")}},
		{"group: a department's groups do not block", []fidStep{post("/{p1}/groups", groupBody, "a"),
			post("/{p1}/departments", `{"name":"shares to a","groups":[{"group_id":"{a}","percentage":100}]}`, "d"), del("/{p1}/groups/{a}"),
			del("/{p1}/departments/{d}")}},
		{"group: of another project through p1", []fidStep{post("/{p2}/groups", groupBody, "a"),
			post("/{p2}/departments", `{"name":"routes to a","id_group":"{a}"}`, "d"), get("/{p1}/groups/{a}"),
			put("/{p1}/groups/{a}", `{"name":"renamed through p1"}`), put("/{p2}/groups/disable/{a}", ``), put("/{p1}/groups/disable/{a}", ``),
			del("/{p1}/groups/{a}"), get("/{p2}/groups/{a}"), del("/{p2}/departments/{d}")}},
		{"group: upsert ghosts", []fidStep{put("/{p1}/groups/{x}", `{"name":"ghost"}`), get("/{p1}/groups/{x}"),
			put("/{p1}/groups/enable/{y}", ``), put("/{p1}/groups/disable/{z}", ``), get("/{p1}/groups/{z}"), del("/{p1}/groups/{w}?force=true")}},
		{"group: malformed ids", []fidStep{get("/{p1}/groups/nothex"), put("/{p1}/groups/nothex", `{"name":"x"}`),
			put("/{p1}/groups/enable/nothex", ``), put("/{p1}/groups/disable/nothex", ``), del("/{p1}/groups/nothex"),
			del("/{p1}/groups/nothex?force=true"), put("/{p1}/groups/enable", `{"name":"x"}`)}},
		{"group: credentials and membership", []fidStep{post("/{p1}/groups", groupBody, "a"), as("none", get("/{p1}/groups")),
			as("none", get("/{p1}/groups/{a}")), as("other", get("/{p1}/groups")), as("other", post("/{p1}/groups", groupBody, "")),
			as("other", put("/{p1}/groups/{a}", `{"name":"x"}`)), as("other", put("/{p1}/groups/disable/{a}", ``)),
			as("other", del("/{p1}/groups/{a}")), get("/{p1}/groups/{a}")}},
		// Tags (routes/tag.js, models/tagLibrary.js): names are unique per project, so each case has its own.
		{"tag: create then get", []fidStep{post("/{p1}/tags", `{"tag":"vip","color":"#ff0000"}`, "a"), get("/{p1}/tags/{a}"),
			post("/{p1}/tags", `{"tag":"no color"}`, "b"), post("/{p1}/tags", `{"tag":"null color","color":null}`, "c"),
			post("/{p1}/tags", `{"tag":5,"color":7,"attributes":{"a":1},"id_project":"{p2}"}`, "d"), get("/{p1}/tags/{d}")}},
		{"tag: create without a tag", []fidStep{post("/{p1}/tags", `{"color":"red"}`, ""), post("/{p1}/tags", `{"tag":""}`, ""),
			post("/{p1}/tags", `{"tag":null}`, ""), post("/{p1}/tags", `{"tag":"obj","color":{"a":1}}`, "")}},
		{"tag: a create of an existing name answers the existing tag", []fidStep{post("/{p1}/tags", `{"tag":"dup","color":"#ff0000"}`, "a"),
			post("/{p1}/tags", `{"tag":"dup","color":"#00ff00"}`, ""), post("/{p1}/tags", `{"tag":"DUP","color":"#0000ff"}`, "b"),
			post("/{p1}/tags", `{"tag":"dup "}`, "c"), post("/{p2}/tags", `{"tag":"dup"}`, "d"), get("/{p1}/tags/{a}")}},
		{"tag: update sets both tag and color", []fidStep{post("/{p1}/tags", `{"tag":"upd","color":"#111111"}`, "a"),
			put("/{p1}/tags/{a}", `{"tag":"upd","color":null}`), put("/{p1}/tags/{a}", `{"color":"#222222"}`), get("/{p1}/tags/{a}"),
			put("/{p1}/tags/{a}", `{"tag":"upd2"}`), put("/{p1}/tags/{a}", `{"tag":{"a":1},"color":"x"}`), del("/{p1}/tags/{a}")}},
		{"tag: a rename onto an existing name fails", []fidStep{post("/{p1}/tags", `{"tag":"r1"}`, "a"), post("/{p1}/tags", `{"tag":"r2"}`, "b"),
			put("/{p1}/tags/{b}", `{"tag":"r1","color":"x"}`), get("/{p1}/tags/{b}"), put("/{p1}/tags/{a}", `{"tag":"r1","color":"x"}`),
			post("/{p2}/tags", `{"tag":"r2"}`, "c"), put("/{p2}/tags/{c}", `{"tag":"r1"}`)}},
		{"tag: a second null name fails", []fidStep{post("/{p1}/tags", `{"tag":"n1"}`, "a"), post("/{p1}/tags", `{"tag":"n2"}`, "b"),
			put("/{p1}/tags/{a}", `{"color":"x"}`), put("/{p1}/tags/{b}", `{"color":"y"}`), del("/{p1}/tags/{a}"), put("/{p1}/tags/{b}", `{"color":"y"}`),
			del("/{p1}/tags/{b}")}},
		{"tag: of another project through p1", []fidStep{post("/{p2}/tags", `{"tag":"foreign"}`, "a"), get("/{p1}/tags/{a}"),
			put("/{p1}/tags/{a}", `{"tag":"foreign renamed","color":"c"}`), get("/{p2}/tags/{a}"), del("/{p1}/tags/{a}"), get("/{p2}/tags/{a}")}},
		{"tag: upsert ghosts", []fidStep{put("/{p1}/tags/{x}", `{"tag":"ghost","color":"c"}`), get("/{p1}/tags/{x}"), put("/{p1}/tags/{y}", `{}`),
			get("/{p1}/tags?sort=_id&direction=1"), del("/{p1}/tags/{x}"), del("/{p1}/tags/{y}")}},
		{"tag: delete is for good", []fidStep{post("/{p1}/tags", `{"tag":"gone"}`, "a"), del("/{p1}/tags/{a}"), get("/{p1}/tags/{a}"),
			del("/{p1}/tags/{a}"), del("/{p1}/tags/{x}")}},
		{"tag: malformed ids", []fidStep{get("/{p1}/tags/nothex"), put("/{p1}/tags/nothex", `{"tag":"x"}`), del("/{p1}/tags/nothex")}},
		{"tag: list order", []fidStep{{clear: true}, post("/{p2}/tags", `{"tag":"b second"}`, "a"), post("/{p2}/tags", `{"tag":"a first"}`, "b"),
			post("/{p2}/tags", `{"tag":"c third"}`, "c"), get("/{p2}/tags"), get("/{p2}/tags?direction=1"), get("/{p2}/tags?sort=tag&direction=asc"),
			get("/{p2}/tags?sort=tag"), get("/{p2}/tags?direction=DESC"), get("/{p2}/tags?direction=bogus"), get("/{p2}/tags?page=abc")}},
		{"tag: list pages of 40", append(append([]fidStep{{clear: true}}, tagPosts(41)...),
			get("/{p2}/tags?sort=_id&direction=1"), get("/{p2}/tags?sort=_id&direction=1&page=1"), get("/{p2}/tags?sort=_id&direction=1&page=2"),
			get("/{p2}/tags?sort=_id&direction=-1&page=1&limit=100"), get("/{p2}/tags?sort=_id&direction=1&page=0.5"),
			short(get("/{p2}/tags?page=-1")))},
		{"tag: credentials and membership", []fidStep{post("/{p1}/tags", `{"tag":"members only"}`, "a"), as("none", get("/{p1}/tags")),
			as("other", get("/{p1}/tags")), as("other", post("/{p1}/tags", `{"tag":"x"}`, "")), as("other", put("/{p1}/tags/{a}", `{"tag":"x"}`)),
			as("other", del("/{p1}/tags/{a}")), get("/{p1}/tags/{a}")}},
		// Canned responses (pubmodules/canned/cannedResponseRoute.js).
		{"canned: an owner's is shared whatever is sent", []fidStep{post("/{p1}/canned", `{"title":"T owner","text":"hello owner","shared":false}`, "a"),
			get("/{p1}/canned/{a}")}},
		{"canned: create casts and ignores", []fidStep{post("/{p1}/canned", `{"text":"no title"}`, ""),
			post("/{p1}/canned", `{"title":null,"text":"null title"}`, ""), post("/{p1}/canned", `{"title":7,"text":5}`, ""),
			post("/{p1}/canned", `{"text":"t","attributes":{"a":1},"status":5,"id_project":"{p2}","createdBy":"{x}"}`, "")}},
		{"canned: create needs a text", []fidStep{post("/{p1}/canned", `{"title":"x"}`, ""), post("/{p1}/canned", `{"text":""}`, ""),
			post("/{p1}/canned", `{"text":{"a":1}}`, "")}},
		{"canned: an agent's is shared only when true is sent", []fidStep{as("agent", post("/{p1}/canned", `{"title":"private","text":"x"}`, "a")),
			as("agent", post("/{p1}/canned", `{"text":"x","shared":true}`, "b")), as("agent", post("/{p1}/canned", `{"text":"x","shared":"true"}`, "c")),
			as("agent", post("/{p1}/canned", `{"text":"x","shared":1}`, "d"))}},
		{"canned: GET by id answers only the creator", []fidStep{post("/{p1}/canned", `{"text":"owner's"}`, "a"),
			as("agent", post("/{p1}/canned", `{"text":"agent's","shared":true}`, "b")),
			as("agent", get("/{p1}/canned/{a}")), get("/{p1}/canned/{b}"), as("agent", get("/{p1}/canned/{b}")), get("/{p1}/canned/{a}"),
			get("/{p1}/canned/{missing}")}},
		{"canned: lists show the shared ones and the caller's own", []fidStep{{clear: true},
			post("/{p1}/canned", `{"title":"owner's","text":"x"}`, "a"), as("agent", post("/{p1}/canned", `{"title":"agent's private","text":"x"}`, "b")),
			as("agent", post("/{p1}/canned", `{"title":"agent's shared","text":"x","shared":true}`, "c")),
			get("/{p1}/canned"), as("agent", get("/{p1}/canned")), get("/{p1}/canned?sort=_id&direction=1"), get("/{p1}/canned?sort=title&direction=asc"),
			get("/{p1}/canned?page=1"), get("/{p1}/canned?page=0&limit=1"), get("/{p1}/canned?direction=bogus"),
			del("/{p1}/canned/{a}"), get("/{p1}/canned"), get("/{p2}/canned")}},
		{"canned: a full-text search never answers", []fidStep{short(get("/{p1}/canned?full_text=hello"))}},
		{"canned: update sets what is sent, null included, never shared", []fidStep{post("/{p1}/canned", `{"title":"T","text":"x"}`, "a"),
			put("/{p1}/canned/{a}", `{"title":"renamed"}`), get("/{p1}/canned/{a}"),
			put("/{p1}/canned/{a}", `{"title":null,"text":"","attributes":{"k":"v"},"shared":false,"status":5,"id_project":"{p2}","createdBy":"{x}"}`),
			put("/{p1}/canned/{a}", `{}`), put("/{p1}/canned/{a}", `{"text":{"a":1}}`), get("/{p1}/canned/{a}")}},
		{"canned: update and delete look in the URL's project", []fidStep{post("/{p2}/canned", `{"text":"in p2"}`, "b"),
			get("/{p1}/canned/{b}"), put("/{p1}/canned/{b}", `{"text":"x"}`), del("/{p1}/canned/{b}"), del("/{p1}/canned/{b}/physical"),
			get("/{p2}/canned/{b}"), put("/{p1}/canned/{ghost}", `{"text":"x"}`), del("/{p1}/canned/{ghost}"), get("/{p1}/canned/{ghost}")}},
		{"canned: who may change and delete", []fidStep{post("/{p1}/canned", `{"text":"owner's"}`, "a"),
			as("agent", post("/{p1}/canned", `{"text":"agent's private"}`, "b")), as("agent", post("/{p1}/canned", `{"text":"agent's shared","shared":true}`, "c")),
			put("/{p1}/canned/{b}", `{"text":"x"}`), del("/{p1}/canned/{b}"), del("/{p1}/canned/{b}/physical"),
			put("/{p1}/canned/{c}", `{"text":"changed by the owner"}`),
			as("agent", put("/{p1}/canned/{a}", `{"text":"x"}`)), as("agent", del("/{p1}/canned/{a}")), as("agent", del("/{p1}/canned/{a}/physical")),
			as("agent", put("/{p1}/canned/{b}", `{"text":"changed by the agent"}`)), as("agent", del("/{p1}/canned/{b}"))}},
		{"canned: delete is soft, physical is for good", []fidStep{post("/{p1}/canned", `{"text":"x"}`, "a"), del("/{p1}/canned/{a}"),
			get("/{p1}/canned/{a}"), put("/{p1}/canned/{a}", `{"text":"still there"}`), del("/{p1}/canned/{a}"),
			del("/{p1}/canned/{a}/physical"), del("/{p1}/canned/{a}/physical"), get("/{p1}/canned/{a}")}},
		{"canned: malformed ids", []fidStep{get("/{p1}/canned/nothex"), put("/{p1}/canned/nothex", `{"text":"x"}`), del("/{p1}/canned/nothex"),
			del("/{p1}/canned/nothex/physical")}},
		{"canned: needs membership", []fidStep{post("/{p1}/canned", `{"text":"x"}`, "a"), as("other", get("/{p1}/canned")),
			as("other", post("/{p1}/canned", `{"text":"x"}`, "")), as("other", get("/{p1}/canned/{a}")), as("other", put("/{p1}/canned/{a}", `{"text":"y"}`)),
			as("none", get("/{p1}/canned"))}},
		// Webhook subscriptions (routes/subscription.js).
		{"subscription: create then get", []fidStep{{clear: true},
			post("/{p1}/subscriptions", `{"event":"request.create","target":"https://example.com/hook1"}`, "a"),
			get("/{p1}/subscriptions/{a}"), get("/{p1}/subscriptions")}},
		{"subscription: the secret is one per server process", []fidStep{
			post("/{p1}/subscriptions", `{"event":"request.create","target":"https://example.com/hook-{x}"}`, "a"),
			post("/{p2}/subscriptions", `{"event":"message.create","target":"https://example.com/hook-{x}"}`, "b"),
			post("/{p1}/subscriptions", `{"event":"lead.create","target":"https://example.com/x-{x}","secret":"mine","global":true}`, "c")}},
		{"subscription: a duplicate answers the first of the same event", []fidStep{{clear: true},
			post("/{p1}/subscriptions", `{"event":"request.create","target":"https://example.com/hook1"}`, "a"),
			post("/{p1}/subscriptions", `{"event":"request.create","target":"https://example.com/hook2"}`, "b"),
			post("/{p1}/subscriptions", `{"event":"message.create","target":"https://example.com/hook1"}`, "c"),
			post("/{p1}/subscriptions", `{"event":"request.create","target":"https://example.com/hook2"}`, ""),
			post("/{p2}/subscriptions", `{"event":"request.create","target":"https://example.com/hook2"}`, "d"),
			get("/{p1}/subscriptions")}},
		{"subscription: any event and target, both required", []fidStep{
			post("/{p1}/subscriptions", `{"event":"no.such.event.{x}","target":"not a url"}`, "a"),
			post("/{p1}/subscriptions", `{"event":"x"}`, ""), post("/{p1}/subscriptions", `{"target":"y"}`, ""),
			post("/{p1}/subscriptions", `{"event":"","target":"y"}`, ""), post("/{p1}/subscriptions", `{"event":{"a":1},"target":"y"}`, "")}},
		{"subscription: PUT writes the raw body", []fidStep{
			post("/{p1}/subscriptions", `{"event":"request.update","target":"https://example.com/{x}"}`, "a"),
			{method: http.MethodPut, path: "/{p1}/subscriptions/{a}", body: `{"event":"lead.update.{x}","foo":"bar","createdBy":"me"}`, ignore: []string{"secret", "global"}},
			get("/{p1}/subscriptions/{a}"),
			{method: http.MethodPut, path: "/{p1}/subscriptions/{a}", body: `{"secret":"rotated-secret","global":true}`, ignore: []string{"secret", "global"}},
			post("/{p1}/subscriptions", `{"event":"lead.update.{x}","target":"https://example.com/{x}"}`, ""),
			{method: http.MethodPut, path: "/{p1}/subscriptions/{a}", body: `{}`, ignore: []string{"secret", "global"}}}},
		{"subscription: PUT onto another's key fails", []fidStep{
			post("/{p1}/subscriptions", `{"event":"request.close","target":"https://example.com/1-{x}"}`, "a"),
			post("/{p1}/subscriptions", `{"event":"request.close","target":"https://example.com/2-{x}"}`, "b"),
			put("/{p1}/subscriptions/{b}", `{"target":"https://example.com/1-{x}"}`), put("/{p1}/subscriptions/{b}", `{"global":"maybe"}`)}},
		{"subscription: of another project through p1", []fidStep{
			post("/{p2}/subscriptions", `{"event":"request.create","target":"https://example.com/{x}"}`, "b"),
			get("/{p1}/subscriptions/{b}"),
			{method: http.MethodPut, path: "/{p1}/subscriptions/{b}", body: `{"target":"https://example.com/moved-{x}"}`, ignore: []string{"secret", "global"}},
			get("/{p2}/subscriptions/{b}"),
			{method: http.MethodDelete, path: "/{p1}/subscriptions/{b}", ignore: []string{"secret", "global"}},
			get("/{p2}/subscriptions/{b}"), del("/{p1}/subscriptions/{b}")}},
		{"subscription: upsert ghosts", []fidStep{put("/{p1}/subscriptions/{x}", `{"event":"ghost.event.{x}"}`), get("/{p1}/subscriptions/{x}"),
			del("/{p1}/subscriptions/{x}"), get("/{p1}/subscriptions/{x}")}},
		{"subscription: malformed ids", []fidStep{get("/{p1}/subscriptions/nothex"), put("/{p1}/subscriptions/nothex", `{"event":"x"}`),
			del("/{p1}/subscriptions/nothex")}},
		{"subscription: history and test", []fidStep{get("/{p1}/subscriptions/history"), post("/{p1}/subscriptions/test", `{}`, "")}},
		{"subscription: needs the admin role", []fidStep{post("/{p1}/subscriptions", `{"event":"request.create","target":"https://example.com/{x}"}`, "a"),
			as("agent", get("/{p1}/subscriptions")), as("agent", post("/{p1}/subscriptions", `{"event":"x","target":"y"}`, "")),
			as("agent", get("/{p1}/subscriptions/{a}")), as("agent", del("/{p1}/subscriptions/{a}")), as("other", get("/{p1}/subscriptions")),
			as("none", get("/{p1}/subscriptions"))}},
		// Sign-in.
		{"sign-in with a wrong password", []fidStep{as("none", post("/auth/signin", `{"email":"{email}","password":"wrong-password"}`, ""))}},
		{"sign-in of an unknown user", []fidStep{as("none", post("/auth/signin", `{"email":"nobody-here@example.com","password":"x"}`, ""))}},
	}
}

// tagPosts creates n tags in {p2}, named "tag 00", "tag 01", ...
func tagPosts(n int) []fidStep {
	steps := make([]fidStep, n)
	for i := range steps {
		steps[i] = fidStep{method: http.MethodPost, path: "/{p2}/tags", body: fmt.Sprintf(`{"tag":"tag %02d"}`, i), save: fmt.Sprintf("t%d", i)}
	}
	return steps
}

func TestFidelity(t *testing.T) {
	live, reason := realFidelityTarget()
	if live == nil {
		t.Skip(reason)
	}
	runFidelity(t, live, localFidelityTarget(t))
}

// TestFidelityHarness runs the table against two local APIs: it must find
// no difference, and it must find one that normalisation must not hide.
func TestFidelityHarness(t *testing.T) {
	runFidelity(t, localFidelityTarget(t), localFidelityTarget(t))

	vars := map[string]string{"a": "6750c0ffee0000000000aaaa"}
	a := fidAnswer{outcome: "answer", status: 200, kind: "json",
		body: map[string]any{"_id": "6750c0ffee0000000000aaaa", "createdAt": "2026-11-28T10:00:00.000Z", "n": 1.0}}
	b := a
	b.body = map[string]any{"_id": "6750C0FFEE0000000000AAAA", "createdAt": "2026-11-29T11:00:00.123Z", "n": 1.0}
	if !sameAnswer(a.normalized(vars), b.normalized(vars), false) {
		t.Errorf("the same answer up to id case and timestamps differs")
	}
	for name, body := range map[string]any{
		"another id":  map[string]any{"_id": "6750c0ffee0000000000bbbb", "createdAt": "2026-11-28T10:00:00.000Z", "n": 1.0},
		"a string":    map[string]any{"_id": "6750c0ffee0000000000aaaa", "createdAt": "2026-11-28T10:00:00.000Z", "n": "1"},
		"a key less":  map[string]any{"_id": "6750c0ffee0000000000aaaa", "createdAt": "2026-11-28T10:00:00.000Z"},
		"not a time":  map[string]any{"_id": "6750c0ffee0000000000aaaa", "createdAt": "2026-11-28", "n": 1.0},
		"other value": map[string]any{"_id": "6750c0ffee0000000000aaaa", "createdAt": "2026-11-28T10:00:00.000Z", "n": 2.0},
	} {
		c := a
		c.body = body
		if sameAnswer(a.normalized(vars), c.normalized(vars), name == "other value") != (name == "other value") {
			t.Errorf("%s: compared wrongly", name)
		}
	}
	if c := a; sameAnswer(a, func() fidAnswer { c.status = 201; return c }(), true) {
		t.Errorf("another status compares equal")
	}
}

func runFidelity(t *testing.T, live, local *fidelityTarget) {
	for _, tg := range []*fidelityTarget{live, local} {
		tg.clearProjects(t)
	}
	for _, c := range fidelityCases() {
		t.Run(c.name, func(t *testing.T) {
			varsReal, varsLocal := live.vars(), local.vars()
			for i, st := range c.steps {
				if st.lead != "" {
					live.addLead(t, live.project, st.lead)
					local.addLead(t, local.project, st.lead)
					continue
				}
				if st.clear {
					live.clearObjects(t)
					local.clearObjects(t)
					continue
				}
				// Both at once: a step that hangs costs its timeout once.
				var b fidAnswer
				done := make(chan struct{})
				go func() { defer close(done); b = local.do(st, varsLocal) }()
				a := live.do(st, varsReal)
				<-done
				a, b = a.without(st.ignore), b.without(st.ignore)
				a.nameUUIDs(varsReal)
				b.nameUUIDs(varsLocal)
				na, nb := a.normalized(varsReal), b.normalized(varsLocal)
				if st.counts {
					na, nb = na.listCounts(), nb.listCounts()
				}
				if !sameAnswer(na, nb, st.shape) {
					t.Fatalf("step %d of %d: %s %s%s\n%s", i+1, len(c.steps), st.method, st.path, describeExtras(st),
						sideBySide(live.name, na.render(), local.name, nb.render()))
				}
				if st.save != "" {
					if id := a.id(); id != "" {
						varsReal[st.save] = id
					}
					if id := b.id(); id != "" {
						varsLocal[st.save] = id
					}
				}
			}
		})
	}
}

func describeExtras(st fidStep) string {
	var parts []string
	if st.auth != "" {
		parts = append(parts, "auth "+st.auth)
	}
	if st.body != "" {
		b := st.body
		if len(b) > 200 {
			b = b[:200] + fmt.Sprintf("... (%d bytes)", len(st.body))
		}
		parts = append(parts, "body "+b)
	}
	if st.ctype != "" {
		parts = append(parts, "content-type "+st.ctype)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// realFidelityTarget reads the real server's settings (scripts/tiledesk-server.sh env).
func realFidelityTarget() (*fidelityTarget, string) {
	if os.Getenv(fidelityEnv) == "" {
		return nil, fidelityEnv + " is not set: run `make fidelity` (it starts a real tiledesk-server with scripts/tiledesk-server.sh)"
	}
	names := []string{"TILEDESK_API_URL", "TILEDESK_TOKEN", "TILEDESK_EMAIL", "TILEDESK_PASSWORD", "TILEDESK_PROJECT_ID",
		"TILEDESK_TEST_PROJECT2_ID", "TILEDESK_TEST_OTHER_TOKEN", "TILEDESK_TEST_AGENT_TOKEN"}
	var missing []string
	for _, n := range names {
		if os.Getenv(n) == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, "missing settings of the real server: " + strings.Join(missing, ", ") +
			` (eval "$(scripts/tiledesk-server.sh start)")`
	}
	tg := &fidelityTarget{
		name:       "real server",
		base:       strings.TrimRight(os.Getenv("TILEDESK_API_URL"), "/"),
		project:    os.Getenv("TILEDESK_PROJECT_ID"),
		project2:   os.Getenv("TILEDESK_TEST_PROJECT2_ID"),
		token:      jwtHeader(os.Getenv("TILEDESK_TOKEN")),
		email:      os.Getenv("TILEDESK_EMAIL"),
		password:   os.Getenv("TILEDESK_PASSWORD"),
		otherToken: jwtHeader(os.Getenv("TILEDESK_TEST_OTHER_TOKEN")),
		agentToken: jwtHeader(os.Getenv("TILEDESK_TEST_AGENT_TOKEN")),
		client:     &http.Client{},
	}
	tg.addLead = func(t *testing.T, project, lead string) {
		t.Helper()
		a := tg.do(fidStep{method: http.MethodPost, path: "/" + project + "/leads", body: lead}, nil)
		if a.status != http.StatusOK {
			t.Fatalf("%s: adding a lead: %s", tg.name, a.render())
		}
	}
	return tg, ""
}

func jwtHeader(token string) string {
	if strings.HasPrefix(token, "JWT ") {
		return token
	}
	return "JWT " + token
}

// localFidelityTarget starts this fake with the same cast: user 1 (the
// default user) with two projects, user 2 a member of neither, user 3 an
// agent of both.
func localFidelityTarget(t *testing.T) *fidelityTarget {
	other := User{ID: "6750c0ffee0000000000beef", Email: "other@example.com", Password: "other-Passw0rd!", Token: "other-token"}
	s, url := NewTest(t, Options{Users: []User{DefaultUser(), AgentUser(), other}})
	return &fidelityTarget{
		name: "local API", base: url, project: ProjectID, project2: OtherProjectID,
		token: jwtAuth, email: Email, password: Password, otherToken: "JWT " + other.Token, agentToken: "JWT " + AgentToken,
		client: &http.Client{},
		addLead: func(t *testing.T, project, lead string) {
			t.Helper()
			var l Lead
			if err := json.Unmarshal([]byte(lead), &l); err != nil {
				t.Fatalf("local API: adding a lead: %v", err)
			}
			s.AddLead(project, l)
		},
	}
}

// vars returns the names every case starts with.
func (tg *fidelityTarget) vars() map[string]string {
	return map[string]string{"p1": tg.project, "p2": tg.project2, "unknownProject": fidUnknownProject}
}

// clearProjects soft-deletes every live segment and lead of both projects
// and deletes their departments but the default ones, so that lists and
// counts start from the same on both sides.
func (tg *fidelityTarget) clearProjects(t *testing.T) {
	t.Helper()
	for _, p := range []string{tg.project, tg.project2} {
		for range 100 {
			a := tg.do(fidStep{method: http.MethodGet, path: "/" + p + "/leads?limit=100"}, nil)
			var list struct {
				Leads []struct {
					ID string `json:"_id"`
				} `json:"leads"`
			}
			if a.status != http.StatusOK || json.Unmarshal(a.raw, &list) != nil {
				t.Fatalf("%s: clearing project %s: lead list answered %s", tg.name, p, a.render())
			}
			if len(list.Leads) == 0 {
				break
			}
			for _, l := range list.Leads { // the real server's lead DELETE is soft; the local API never has old leads
				if d := tg.do(fidStep{method: http.MethodDelete, path: "/" + p + "/leads/" + l.ID}, nil); d.status != http.StatusOK {
					t.Fatalf("%s: clearing project %s: lead delete answered %s", tg.name, p, d.render())
				}
			}
		}
		for range 100 {
			a := tg.do(fidStep{method: http.MethodGet, path: "/" + p + "/segments?limit=100"}, nil)
			var list struct {
				Segments []struct {
					ID string `json:"_id"`
				} `json:"segments"`
			}
			if a.status != http.StatusOK || json.Unmarshal(a.raw, &list) != nil {
				t.Fatalf("%s: clearing project %s: list answered %s", tg.name, p, a.render())
			}
			if len(list.Segments) == 0 {
				break
			}
			for _, s := range list.Segments {
				if d := tg.do(fidStep{method: http.MethodDelete, path: "/" + p + "/segments/" + s.ID}, nil); d.status != http.StatusOK {
					t.Fatalf("%s: clearing project %s: delete answered %s", tg.name, p, d.render())
				}
			}
		}
	}
	tg.clearObjects(t)
}

// deleteAll deletes, as auth, every object a bare-array list answers, page
// after page: DELETE {list}/{id}{suffix}.
func (tg *fidelityTarget) deleteAll(t *testing.T, auth, list, suffix string) {
	t.Helper()
	for range 100 {
		a := tg.do(fidStep{method: http.MethodGet, path: list, auth: auth}, nil)
		var items []struct {
			ID string `json:"_id"`
		}
		if a.status != http.StatusOK || json.Unmarshal(a.raw, &items) != nil {
			t.Fatalf("%s: clearing %s: the list answered %s", tg.name, list, a.render())
		}
		if len(items) == 0 {
			return
		}
		for _, it := range items {
			if d := tg.do(fidStep{method: http.MethodDelete, path: list + "/" + it.ID + suffix, auth: auth}, nil); d.status != http.StatusOK {
				t.Fatalf("%s: clearing %s: delete answered %s", tg.name, list, d.render())
			}
		}
	}
}

// clearObjects deletes, in both projects, the departments but the default
// ones, then the groups, the tags, the canned responses and the webhook
// subscriptions, all for good.
func (tg *fidelityTarget) clearObjects(t *testing.T) {
	t.Helper()
	for _, p := range []string{tg.project, tg.project2} {
		tg.clearDepartments(t, p)
		tg.deleteAll(t, "", "/"+p+"/groups", "?force=true") // a group's DELETE only trashes it
		tg.deleteAll(t, "", "/"+p+"/tags", "")
		for _, auth := range []string{"", "agent"} { // the agent's private ones as the agent
			tg.deleteAll(t, auth, "/"+p+"/canned", "/physical")
		}
		tg.deleteAll(t, "", "/"+p+"/subscriptions", "")
	}
}

// clearDepartments deletes the departments of a project but the default
// ones (for good: the API's delete is).
func (tg *fidelityTarget) clearDepartments(t *testing.T, p string) {
	t.Helper()
	a := tg.do(fidStep{method: http.MethodGet, path: "/" + p + "/departments/allstatus"}, nil)
	var deps []struct {
		ID      string `json:"_id"`
		Default bool   `json:"default"`
	}
	if a.status != http.StatusOK || json.Unmarshal(a.raw, &deps) != nil {
		t.Fatalf("%s: clearing project %s: department list answered %s", tg.name, p, a.render())
	}
	for _, d := range deps {
		if d.Default {
			continue
		}
		if del := tg.do(fidStep{method: http.MethodDelete, path: "/" + p + "/departments/" + d.ID}, nil); del.status != http.StatusOK {
			t.Fatalf("%s: clearing project %s: department delete answered %s", tg.name, p, del.render())
		}
	}
}

// fidAnswer is what a request got: an answer, no answer in time, or an error.
type fidAnswer struct {
	status  int
	kind    string // json, text, html, or the media type
	raw     []byte
	body    any               // parsed JSON, or the text
	headers map[string]string // the answer's fidHeaders that were sent
	outcome string
}

// fidHeaders are the answer headers compared (canonical names).
var fidHeaders = []string{"X-Hook-Secret"}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9]+)\}`)

// expand replaces {name} by its id, {email} and {password} by user 1's,
// and any unknown name by a fresh id (kept in vars).
func (tg *fidelityTarget) expand(s string, vars map[string]string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		switch name {
		case "email":
			return tg.email
		case "password":
			return tg.password
		}
		if vars == nil {
			return m
		}
		if v, ok := vars[name]; ok {
			return v
		}
		if lower := strings.ToLower(name); lower != name {
			if v, ok := vars[lower]; ok {
				return strings.ToUpper(v) // {A}: the upper-case form of {a}
			}
		}
		vars[name] = randomObjectID()
		return vars[name]
	})
}

func randomObjectID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// authHeader is the Authorization header of an auth kind.
func (tg *fidelityTarget) authHeader(kind string) string {
	bare := strings.TrimPrefix(tg.token, "JWT ")
	basic := func(s string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(s)) }
	switch kind {
	case "":
		return tg.token
	case "none":
		return ""
	case "bad":
		return "JWT eyJhbGciOiJIUzI1NiJ9.eyJfaWQiOiJ4In0.bm90LWEtc2lnbmF0dXJl"
	case "bearer":
		return "Bearer " + bare
	case "bare":
		return bare
	case "jwt-only":
		return "JWT"
	case "jwt-lower":
		return "jwt " + bare
	case "basic":
		return basic(tg.email + ":" + tg.password)
	case "basic-bad":
		return basic(tg.email + ":wrong-password")
	case "basic-nocolon":
		return basic(tg.email)
	case "other":
		return tg.otherToken
	case "agent":
		return tg.agentToken
	}
	panic("unknown auth kind " + kind)
}

func (tg *fidelityTarget) do(st fidStep, vars map[string]string) fidAnswer {
	timeout := fidTimeout
	if st.short {
		timeout = fidShortTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var body io.Reader
	if st.body != "" {
		body = strings.NewReader(tg.expand(st.body, vars))
	}
	req, err := http.NewRequestWithContext(ctx, st.method, tg.base+tg.expand(st.path, vars), body)
	if err != nil {
		return fidAnswer{outcome: "request error: " + err.Error()}
	}
	if st.body != "" || st.method == http.MethodPost || st.method == http.MethodPut {
		ct := st.ctype
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if h := tg.authHeader(st.auth); h != "" {
		req.Header.Set("Authorization", h)
	}
	resp, err := tg.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fidAnswer{outcome: fmt.Sprintf("no answer within %s", timeout)}
		}
		return fidAnswer{outcome: "connection error"}
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fidAnswer{outcome: "body read error"}
	}
	a := fidAnswer{status: resp.StatusCode, raw: raw, outcome: "answer", headers: map[string]string{}}
	for _, h := range fidHeaders {
		if v, ok := resp.Header[h]; ok {
			a.headers[h] = strings.Join(v, ", ")
		}
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		a.kind = "json"
		if json.Unmarshal(raw, &a.body) != nil {
			a.kind, a.body = "invalid json", string(raw)
		}
	case "text/plain":
		a.kind, a.body = "text", string(raw)
	case "text/html":
		a.kind, a.body = "html", string(raw)
	default:
		a.kind, a.body = "content-type "+mt, string(raw)
	}
	return a
}

// listCounts keeps what a list answer says about its size: perPage, count
// and the length of its segments or leads.
func (a fidAnswer) listCounts() fidAnswer {
	m, ok := a.body.(map[string]any)
	if !ok || a.kind != "json" {
		return a
	}
	out := map[string]any{"perPage": m["perPage"], "count": m["count"]}
	for _, k := range []string{"segments", "leads"} {
		if l, ok := m[k].([]any); ok {
			out["len("+k+")"] = float64(len(l))
		}
	}
	a.body = out
	return a
}

// id is the _id of a JSON object answer.
func (a fidAnswer) id() string {
	if m, ok := a.body.(map[string]any); ok && a.kind == "json" {
		if id, ok := m["_id"].(string); ok {
			return id
		}
	}
	return ""
}

var (
	fidObjectID  = regexp.MustCompile(`(?i)\b[0-9a-f]{24}\b`)
	fidUUID      = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	fidTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
)

// without drops keys from an object answer.
func (a fidAnswer) without(keys []string) fidAnswer {
	m, ok := a.body.(map[string]any)
	if !ok || len(keys) == 0 {
		return a
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	a.body = out
	return a
}

// nameUUIDs names each UUID (a webhook secret) the answer holds that vars
// does not know yet: {uuid1}, {uuid2}, ... in the order met (headers, then
// the body's keys in sorted order), so that the same secret compares equal
// across the steps of a case and another one does not.
func (a fidAnswer) nameUUIDs(vars map[string]string) {
	known, n := map[string]bool{}, 0
	for name, v := range vars {
		known[strings.ToLower(v)] = true
		if strings.HasPrefix(name, "uuid") {
			n++
		}
	}
	note := func(s string) {
		for _, u := range fidUUID.FindAllString(s, -1) {
			if !known[strings.ToLower(u)] {
				known[strings.ToLower(u)] = true
				n++
				vars[fmt.Sprintf("uuid%d", n)] = u
			}
		}
	}
	for _, h := range fidHeaders {
		note(a.headers[h])
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			note(x)
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(a.body)
}

// normalized replaces ids by their names ({a}, {p1}, ... or <id> when
// unnamed), timestamps by <time> and tokens by <token>.
func (a fidAnswer) normalized(vars map[string]string) fidAnswer {
	names := map[string]string{}
	for name, id := range vars {
		names[strings.ToLower(id)] = "{" + name + "}"
	}
	var norm func(v any) any
	norm = func(v any) any {
		switch x := v.(type) {
		case string:
			if fidTimestamp.MatchString(x) {
				return "<time>"
			}
			if strings.HasPrefix(x, "JWT ") {
				return "<token>"
			}
			x = fidUUID.ReplaceAllStringFunc(x, func(u string) string {
				if n, ok := names[strings.ToLower(u)]; ok {
					return n
				}
				return "<uuid>"
			})
			return fidObjectID.ReplaceAllStringFunc(x, func(id string) string {
				if n, ok := names[strings.ToLower(id)]; ok {
					return n
				}
				return "<id>"
			})
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = norm(e)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = norm(e)
			}
			return out
		}
		return v
	}
	a.body = norm(a.body)
	headers := make(map[string]string, len(a.headers))
	for h, v := range a.headers {
		headers[h], _ = norm(v).(string)
	}
	a.headers = headers
	return a
}

// sameAnswer compares outcome, status, kind and the normalised body (or,
// with shapeOnly, its keys and JSON types).
func sameAnswer(a, b fidAnswer, shapeOnly bool) bool {
	if a.outcome != b.outcome || a.status != b.status || a.kind != b.kind || !maps.Equal(a.headers, b.headers) {
		return false
	}
	if shapeOnly {
		return reflect.DeepEqual(jsonShape(a.body), jsonShape(b.body))
	}
	return reflect.DeepEqual(a.body, b.body)
}

// jsonShape keeps keys and the JSON types of values.
func jsonShape(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = jsonShape(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonShape(e)
		}
		return out
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func (a fidAnswer) render() string {
	if a.outcome != "answer" {
		return a.outcome
	}
	head := fmt.Sprintf("%d %s", a.status, a.kind)
	for _, h := range fidHeaders {
		if v, ok := a.headers[h]; ok {
			head += fmt.Sprintf("\n%s: %s", h, v)
		}
	}
	if a.kind != "json" {
		return head + "\n" + strings.TrimSpace(fmt.Sprint(a.body))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(a.body) // map keys come out sorted
	return head + "\n" + strings.TrimSpace(b.String())
}

// sideBySide lays two renderings out in two columns.
func sideBySide(leftName, left, rightName, right string) string {
	l := append([]string{"== " + leftName}, strings.Split(left, "\n")...)
	r := append([]string{"== " + rightName}, strings.Split(right, "\n")...)
	width := 0
	for _, s := range l {
		width = max(width, len(s))
	}
	width = min(width, 80)
	var b strings.Builder
	for i := range max(len(l), len(r)) {
		var x, y string
		if i < len(l) {
			x = l[i]
		}
		if i < len(r) {
			y = r[i]
		}
		mark := " | "
		if x != y {
			mark = " ≠ "
		}
		fmt.Fprintf(&b, "%-*s%s%s\n", width, x, mark, y)
	}
	return b.String()
}
