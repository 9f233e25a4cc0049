package tiledesk

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Every Tiledesk object the provider manages (segments, departments, ...)
// belongs to a project and is served by the same kind of routes under
// {base}/{project}/{path}: a list, a create, and a GET, a PUT and a DELETE by
// id. An Objects value describes one type of object: its path, how its list answers,
// how the server marks it deleted, and what counts as the same definition.
// Everything else, the rules every type shares, is written once here: what
// "gone" means (GoneError), that a PUT or DELETE is sent only to an object
// just seen live in the project (the server's single-id routes find objects
// of any project, and upsert missing ids), the list walk that serves
// refreshes (list_cache.go) and the lookups that make creates exactly-once.

// Meta is what every project-scoped object carries. Object types embed it.
type Meta struct {
	ID string
	// ProjectID is the object's id_project: "" for a ghost born of an upsert.
	ProjectID string
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (m *Meta) objectMeta() *Meta { return m }

// wireMeta is Meta as the server sends it.
type wireMeta struct {
	MongoID   string          `json:"_id"`
	ID        string          `json:"id"`
	ProjectID string          `json:"id_project"`
	CreatedBy string          `json:"createdBy"`
	CreatedAt json.RawMessage `json:"createdAt"`
	UpdatedAt json.RawMessage `json:"updatedAt"`
}

// meta reads the server's `_id` or, failing that, `id` (what its reference
// documentation says), and the timestamps.
func (w wireMeta) meta() Meta {
	m := Meta{ID: w.MongoID, ProjectID: w.ProjectID, CreatedBy: w.CreatedBy, CreatedAt: parseTime(w.CreatedAt), UpdatedAt: parseTime(w.UpdatedAt)}
	if m.ID == "" {
		m.ID = w.ID
	}
	return m
}

// parseTime reads the server's ISO-8601 timestamps; anything else (another
// JSON type, another format) is the zero time rather than a failed read.
func parseTime(raw json.RawMessage) time.Time {
	var v string
	if json.Unmarshal(raw, &v) != nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}
	}
	return t
}

// deref is the string p points to, "" for nil (JSON null or absent).
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// nullIfEmpty is JSON null for "", else the string.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Objects describes one type of project-scoped object: T as the client
// reads it, In what a create or an update sends.
type Objects[T, In any] struct {
	// Name names the type in messages: "segment".
	Name string
	// Path is the route below the project: "segments".
	Path string
	// ListPath is the list route below the project, when it is not Path.
	ListPath string
	// ListKey is the key of the items in a list answered as an object with
	// the total ({"perPage":..,"count":..,"segments":[...]}), paged by limit
	// and page. "" when the list answers a bare array.
	ListKey string
	// PageSize is, for a list answered as a bare array, the server's fixed
	// page size (pages by page alone); 0 when it answers every object at once.
	PageSize int
	// ReadFromList is set when the server answers a GET by id to few callers
	// (canned responses: only to their creator): reads start from the list,
	// which answers for every object the caller may see.
	ReadFromList bool
	// Roles says which role in the project the type's routes need, for
	// messages: "the agent role".
	Roles string

	// deleted says how the server marks a soft-deleted object ("status 0"),
	// "" for a live one; nil when the server removes objects for good.
	deleted func(*T) string
	// clone returns a copy that shares nothing mutable with t.
	clone func(T) T
	// wire is the body of a create or an update.
	wire func(In) any
	// same reports whether an object holds exactly what in sends: how a
	// create whose answer was lost is recognised.
	same func(*T, In) bool
	// unique, when set, is the key of which the server keeps one object per
	// project and answers a create of an existing key with that object (an
	// existing one, not a new one): uniqueOf for an object, uniqueIn for what
	// a create sends, uniqueName the key's name in messages.
	uniqueOf   func(*T) string
	uniqueIn   func(In) string
	uniqueName string
	// existed, when set, tells from the shape of a create's answer that
	// the server answered it with an object that existed before (its answer
	// to a create of an existing key), whatever that object holds.
	existed func(*T) bool
}

// UniqueKey says whether the server answers a create whose key exists with
// the existing object, and the key of t and of in.
func (k *Objects[T, In]) UniqueKey(t *T, in In) (ofT, ofIn string, ok bool) {
	if k.uniqueOf == nil {
		return "", "", false
	}
	return k.uniqueOf(t), k.uniqueIn(in), true
}

// AnsweredExisting reports whether t, the answer to a create, is by its
// shape an object that existed before the create: false when the type's
// answers do not tell.
func (k *Objects[T, In]) AnsweredExisting(t *T) bool { return k.existed != nil && k.existed(t) }

// UniqueKeyName names the key of which the server keeps one object per
// project ("tag"), "" when there is none.
func (k *Objects[T, In]) UniqueKeyName() string { return k.uniqueName }

// Meta returns the object's Meta: the object type embeds it.
func (k *Objects[T, In]) Meta(t *T) *Meta { return k.meta(t) }

// meta returns the Meta that T embeds (every object type does).
func (k *Objects[T, In]) meta(t *T) *Meta {
	m, ok := any(t).(interface{ objectMeta() *Meta })
	if !ok {
		panic(fmt.Sprintf("tiledesk: %T does not embed Meta", t))
	}
	return m.objectMeta()
}

// Same reports whether t holds exactly what in sends.
func (k *Objects[T, In]) Same(t *T, in In) bool { return k.same(t, in) }

// deletedMark is how the server marks t deleted, "" for a live object.
func (k *Objects[T, In]) deletedMark(t *T) string {
	if k.deleted == nil {
		return ""
	}
	return k.deleted(t)
}

// LiveIn returns nil when t is a live object of project, else the
// *GoneError that says why not. It is the one rule of which objects a
// project's resources and data sources may use: never one that is deleted,
// nor one of another project (the single-id routes answer for any).
func (k *Objects[T, In]) LiveIn(t *T, project string) error {
	m := k.meta(t)
	e := &GoneError{Object: k.Name, ProjectID: project, ID: m.ID, OwnerProjectID: m.ProjectID, Deleted: k.deletedMark(t)}
	switch {
	case e.Deleted != "":
		e.Reason = GoneDeleted
	case m.ProjectID != project:
		e.Reason = GoneForeign
	default:
		return nil
	}
	return e
}

// Get reads one object by id. The server answers for any id, whatever the
// object's project or status: callers check it with LiveIn, or use Live.
func (k *Objects[T, In]) Get(ctx context.Context, c *Client, project, id string) (*T, error) {
	return k.call(ctx, c, http.MethodGet, nil, project, id)
}

// Live returns object id of project when it is live and belongs to the
// project; else a *GoneError (see LiveIn), or the request's error. It reads
// from the project's list when many objects are read (list_cache.go).
func (k *Objects[T, In]) Live(ctx context.Context, c *Client, project, id string) (*T, error) {
	t, err := k.lookup(ctx, c, project, id)
	if IsNotFound(err) {
		return nil, &GoneError{Object: k.Name, Reason: GoneNotFound, ProjectID: project, ID: id}
	}
	if err != nil {
		return nil, err
	}
	if err := k.LiveIn(t, project); err != nil {
		return nil, err
	}
	return t, nil
}

// Create creates an object with one POST, which is retried only where it
// certainly did not reach the server (429, connection refused). A failure
// for which MayHaveCreated is true needs a lookup (CreatedSince) before
// anything is sent again. A POST already sent finishes even when ctx is
// cancelled (bounded by the client's timeout); none is sent once ctx is done.
func (k *Objects[T, In]) Create(ctx context.Context, c *Client, project string, in In) (*T, error) {
	return k.call(ctx, c, http.MethodPost, k.wire(in), project, "")
}

// Update sends in to object id of project, which must be live there: the
// server's PUT finds an object of any project by its id alone, and creates a
// ghost for an id it does not know. So it first reads the object (Live) and
// sends nothing when it is gone (the *GoneError says why); then it checks the
// answer, which must be the live object of the project. For a type with a
// unique key, an update that gives the object the key of another object of
// the project is a *KeyTakenError: found before sending (nothing is sent),
// or after the server refused the write.
func (k *Objects[T, In]) Update(ctx context.Context, c *Client, project, id string, in In) (*T, error) {
	cur, err := k.Live(ctx, c, project, id)
	if err != nil {
		return nil, err
	}
	if err := k.keyTaken(ctx, c, project, cur, in, nil); err != nil {
		return nil, err
	}
	t, err := k.put(ctx, c, k.wire(in), project, id)
	if err != nil && Classify(err) == KindServerError { // how the server's unique index refuses a write
		if taken := k.keyTaken(ctx, c, project, cur, in, err); taken != nil {
			return nil, taken
		}
	}
	return t, err
}

// UpdateVia sends a PUT without a body to {project}/{Path}/{action}/{id}, a
// route that changes one thing (a group's enable and disable), to object id
// of project, which must be live there, as Update does: such routes too find
// an object of any project by its id alone and upsert a missing one.
func (k *Objects[T, In]) UpdateVia(ctx context.Context, c *Client, project, id, action string) (*T, error) {
	if _, err := k.Live(ctx, c, project, id); err != nil {
		return nil, err
	}
	return k.put(ctx, c, nil, project, action, id)
}

// put sends a PUT to {project}/{Path}/{route...} (the last part the object's
// id) and checks the answer, which must be a live object of the project.
func (k *Objects[T, In]) put(ctx context.Context, c *Client, body any, project string, route ...string) (*T, error) {
	t, err := k.call(ctx, c, http.MethodPut, body, project, route...)
	if err != nil {
		return nil, err
	}
	if err := k.LiveIn(t, project); err != nil {
		return nil, err // deleted between the read and the PUT
	}
	return t, nil
}

// keyTaken returns a *KeyTakenError when in gives cur, for a type with a
// unique key, the key of another live object of the project; sent is the
// error of a write the server refused (nil: none was sent yet). It lists the
// project only when in changes the key. A failed list is the error when
// nothing was sent, and no verdict (nil) after a refusal.
func (k *Objects[T, In]) keyTaken(ctx context.Context, c *Client, project string, cur *T, in In, sent error) error {
	if k.uniqueOf == nil || k.uniqueOf(cur) == k.uniqueIn(in) {
		return nil
	}
	all, err := k.LiveAll(ctx, c, project) // none when it fails: no verdict after a refusal
	if err != nil && sent == nil {
		return err
	}
	id := k.meta(cur).ID
	for i := range all {
		if other := k.meta(&all[i]).ID; other != id && k.uniqueOf(&all[i]) == k.uniqueIn(in) {
			return &KeyTakenError{Object: k.Name, KeyName: k.uniqueName, Key: k.uniqueIn(in), ProjectID: project, ID: id, OtherID: other, Err: sent}
		}
	}
	return nil
}

// Delete deletes object id of project, which must be live there: the
// server's DELETE finds an object of any project by its id alone (and, for
// some types, upserts a missing one). It first reads the object (Live) and
// sends nothing when it is gone: the *GoneError says why, and callers that
// want the object gone take it as success. A 404 answer to the DELETE itself
// is a *GoneError too. What the DELETE answers is not read: it differs from
// type to type (the object, null, a message).
func (k *Objects[T, In]) Delete(ctx context.Context, c *Client, project, id string) error {
	if _, err := k.Live(ctx, c, project, id); err != nil {
		return err
	}
	err := k.send(ctx, c, http.MethodDelete, nil, nil, project, id)
	if IsNotFound(err) {
		return &GoneError{Object: k.Name, Reason: GoneNotFound, ProjectID: project, ID: id}
	}
	return err
}

// call sends a request to {project}/{Path}/{route...} answered by one
// object, which must carry an id: an empty answer ({} or null) is an error,
// not a nameless object.
func (k *Objects[T, In]) call(ctx context.Context, c *Client, method string, body any, project string, route ...string) (*T, error) {
	t := new(T)
	if err := k.send(ctx, c, method, body, t, project, route...); err != nil {
		return nil, err
	}
	if k.meta(t).ID == "" {
		_, path := c.endpoint(nil, k.route(project, route...)...)
		return nil, &APIError{StatusCode: http.StatusOK, Method: method, Path: path, Attempts: 1,
			Message: "the answer holds no " + k.Name + " id: check that the API URL points at a Tiledesk server"}
	}
	return t, nil
}

// send sends one request to {project}/{Path}[/{route...}] (the last of route
// being the object's id, or none for a create) and decodes the answer into
// out (nil: not read). A write marks the project's list walk (list_cache.go).
func (k *Objects[T, In]) send(ctx context.Context, c *Client, method string, body, out any, project string, route ...string) error {
	if method != http.MethodGet {
		id := ""
		if len(route) > 0 {
			id = route[len(route)-1]
		}
		key := cacheKey{k.Path, project}
		c.cache.beginWrite(key, id)
		defer c.cache.endWrite(key, id)
	}
	return c.do(ctx, method, nil, body, out, k.route(project, route...)...)
}

// route is the path of {project}/{Path}/{rest...}, without empty parts.
func (k *Objects[T, In]) route(project string, rest ...string) []string {
	out := []string{project, k.Path}
	for _, r := range rest {
		if r != "" {
			out = append(out, r)
		}
	}
	return out
}

// Page is one page of a list.
type Page[T any] struct {
	// Count is the server's total; for a list answered whole, len(Items).
	Count int
	Items []T
}

// ListOptions selects one page of a paged list. Zero values mean the
// server's defaults (40 per page, first page, newest first).
type ListOptions struct {
	Limit int
	// Page is 0-based.
	Page int
	// Sort is a field name such as "createdAt" or "_id".
	Sort string
	// Direction is 1 (ascending) or -1 (descending).
	Direction int
}

func (o ListOptions) query() url.Values {
	q := url.Values{}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.Sort != "" {
		q.Set("sort", o.Sort)
	}
	if o.Direction != 0 {
		q.Set("direction", strconv.Itoa(o.Direction))
	}
	return q
}

// ListPageSize is the page size used when walking a whole paged list.
const ListPageSize = 100

// listRoute is the list route: {project}/{ListPath or Path}, a path segment
// each.
func (k *Objects[T, In]) listRoute(project string) []string {
	return append([]string{project}, strings.Split(cmp.Or(k.ListPath, k.Path), "/")...)
}

// pageSize is how many objects a full page of a walk holds: 0 for a list
// answered whole.
func (k *Objects[T, In]) pageSize() int {
	if k.ListKey != "" {
		return ListPageSize
	}
	return k.PageSize
}

// Page reads one page of a project's list: live objects only, as the server
// lists them. Count is the server's total, or -1 when the list does not say
// it (a bare array). A list answered whole answers it whatever opts says.
func (k *Objects[T, In]) Page(ctx context.Context, c *Client, project string, opts ListOptions) (*Page[T], error) {
	if k.ListKey == "" {
		var items []T
		if k.PageSize == 0 {
			opts = ListOptions{}
		}
		opts.Limit = 0 // the server's own page size
		if err := c.do(ctx, http.MethodGet, opts.query(), nil, &items, k.listRoute(project)...); err != nil {
			return nil, err
		}
		count := -1
		if k.PageSize == 0 {
			count = len(items)
		}
		return &Page[T]{Count: count, Items: items}, nil
	}
	var raw map[string]json.RawMessage
	if err := c.do(ctx, http.MethodGet, opts.query(), nil, &raw, k.listRoute(project)...); err != nil {
		return nil, err
	}
	p := &Page[T]{}
	if err := json.Unmarshal(raw["count"], &p.Count); len(raw["count"]) > 0 && err != nil {
		return nil, k.badList(c, project, "count", err)
	}
	if err := json.Unmarshal(raw[k.ListKey], &p.Items); len(raw[k.ListKey]) > 0 && err != nil {
		return nil, k.badList(c, project, k.ListKey, err)
	}
	return p, nil
}

func (k *Objects[T, In]) badList(c *Client, project, key string, err error) error {
	_, path := c.endpoint(nil, k.listRoute(project)...)
	return &APIError{StatusCode: http.StatusOK, Method: http.MethodGet, Path: path, Attempts: 1,
		Message: fmt.Sprintf("the list's %q is not what the Tiledesk API sends (%v): check that the API URL points at a Tiledesk server", key, err)}
}

// walkPage is one page of the walks below: a full page of objects sorted by
// the unique, creation-ordered _id, oldest first (direction 1) or newest
// first (-1), so that pages stay stable while objects are added.
func (k *Objects[T, In]) walkPage(ctx context.Context, c *Client, project string, page, direction int) (*Page[T], error) {
	return k.Page(ctx, c, project, ListOptions{Limit: ListPageSize, Page: page, Sort: "_id", Direction: direction})
}

// List reads every live object of a project, walking every page (oldest
// first), with requests of its own: no walk is shared (LiveAll shares one).
// An object seen twice (the list shifted under the walk) is kept once.
func (k *Objects[T, In]) List(ctx context.Context, c *Client, project string) ([]T, error) {
	size := k.pageSize()
	if size == 0 { // answered whole
		p, err := k.Page(ctx, c, project, ListOptions{})
		if err != nil {
			return nil, err
		}
		return p.Items, nil
	}
	return walkPages(0, size, func(page int) ([]T, int, error) {
		p, err := k.walkPage(ctx, c, project, page, 1)
		if err != nil {
			return nil, 0, err
		}
		return p.Items, max(p.Count, 0), nil
	}, func(t T) string { return k.meta(&t).ID })
}

// walkPages fetches pages 0, 1, ... of size limit until a short or empty
// page, maxItems items (0: no cap), or the server's count is reached. Items
// seen twice (the list shifted under the walk) are kept once. It stops at a
// page that brings nothing new, and never asks for more pages than the first
// count allows plus one, so a server that ignores the page parameter cannot
// make it loop.
func walkPages[T any](maxItems, limit int, fetch func(page int) ([]T, int, error), key func(T) string) ([]T, error) {
	var out []T
	seen := map[string]struct{}{}
	maxPages := -1
	for page := 0; maxPages < 0 || page < maxPages; page++ {
		items, count, err := fetch(page)
		if err != nil {
			return nil, err
		}
		if maxPages < 0 && count > 0 {
			maxPages = count/limit + 2
		}
		fresh := 0
		for _, it := range items {
			k := key(it)
			if _, dup := seen[k]; dup {
				continue
			}
			seen[k] = struct{}{}
			fresh++
			out = append(out, it)
			if maxItems > 0 && len(out) == maxItems {
				return out, nil
			}
		}
		// A page with nothing new means the server ignores paging: stop.
		if len(items) < limit || fresh == 0 || (count > 0 && (page+1)*limit >= count) {
			break
		}
	}
	return out, nil
}

// CreatedSince returns the live objects of a project created at or after
// since (by the server's clock), and possibly a few older ones. A paged list
// is walked newest first (by the unique, creation-ordered _id) and the walk
// stops at the first page that reaches back before since: looking for a
// recent create costs one page, not the whole project. New objects added
// during the walk only shift older ones to later pages (seen twice, kept
// once), so none created since is missed.
func (k *Objects[T, In]) CreatedSince(ctx context.Context, c *Client, project string, since time.Time) ([]T, error) {
	var out []T
	seen := map[string]bool{}
	size := k.pageSize()
	maxPages := -1 // set from the first page's count, so a server that ignores paging cannot make it loop
	for page := 0; maxPages < 0 || page < maxPages; page++ {
		p, err := k.walkPage(ctx, c, project, page, -1)
		if err != nil {
			return nil, err
		}
		if maxPages < 0 && p.Count >= 0 && size > 0 {
			maxPages = p.Count/size + 2
		}
		older, fresh := false, 0
		for _, t := range p.Items {
			m := k.meta(&t)
			if !m.CreatedAt.IsZero() && m.CreatedAt.Before(since) {
				older = true
				continue
			}
			if !seen[m.ID] {
				seen[m.ID] = true
				fresh++
				out = append(out, t)
			}
		}
		if size == 0 || older || fresh == 0 || len(p.Items) < size {
			break
		}
	}
	return out, nil
}

// Pick returns the one object of ts that keep accepts. When none does it
// returns nil and no ids; when several do, nil and all their ids.
func (k *Objects[T, In]) Pick(ts []T, keep func(*T) bool) (one *T, several []string) {
	var found []T
	for i := range ts {
		if keep(&ts[i]) {
			found = append(found, ts[i])
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return &found[0], nil
	}
	ids := make([]string, len(found))
	for i := range found {
		ids[i] = k.meta(&found[i]).ID
	}
	return nil, ids
}
