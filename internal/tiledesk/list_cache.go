package tiledesk

import (
	"context"
	"math"
	"sync"
	"time"
)

// Refresh from the list.
//
// Terraform reads every object of a state with its own request, ten at a
// time: N GETs for a refresh of N objects. One walk of the project's list
// (pages of ListPageSize, with each object's full content) answers them all
// with ceil(P/ListPageSize) requests, P being the project's live objects of
// that type. Objects.Live and Objects.LiveAll share such a walk, per type and
// project, for the lifetime of the Client. The provider builds a Client each
// time Terraform configures it, that is once per Terraform operation (plan,
// apply, refresh, import), so a walk never serves a later command: an
// out-of-band change made between two commands always shows in the second
// one, even when one provider process serves several commands
// (terraform-plugin-testing's in-process provider).
//
// Writes through the Client: an object the Client is writing, or wrote after
// the walk began, is read with GET, so what the Client wrote is read back
// from the server; every other object is still served by the walk (so the
// checks before the writes of a destroy or an update of N objects cost no N
// GETs). LiveAll, which must show every create and delete, never serves a
// walk that began before the Client's last write to the project ended.
//
// When the list pays: the first listAfterReads lookups of a project go by GET
// (a small state costs no list request at all). The next one fetches the
// list's first page, which gives its total P and so its L = ceil(P/perPage)
// pages. The other pages are fetched, in parallel, as soon as the project's
// lookups so far reach L (each lookup is a GET saved from then on); until
// then lookups that the first page cannot answer go by GET. So a refresh of N
// objects costs N requests when N <= listAfterReads, listAfterReads + L when
// L <= listAfterReads+1 (every project up to 1,100 objects), and otherwise at
// most N + 1 when N < L, 2L when N >= L: a small state in a large project
// never lists it whole. A list that is not paged is one request.
//
// An object that is not in the walk (deleted, of another project, removed
// for good, or created after the walk) is read with GET, whose answer says
// which: the walk only ever answers for live objects of the project.

// listAfterReads is how many lookups of a project go by GET before the list
// is considered.
const listAfterReads = 10

// walkConcurrency bounds the page requests of one walk in flight at once.
const walkConcurrency = 8

// walkState is where a walk of a project's list stands.
type walkState int

const (
	walkProbing  walkState = iota // the first page is in flight
	walkParked                    // the first page is known; the rest is not worth fetching yet
	walkFetching                  // the other pages are in flight
	walkComplete                  // every page is known
	walkFailed                    // a page request failed, or a newer walk replaced it
)

// listWalk is one walk of a project's live objects of one type.
type listWalk[T any] struct {
	gen     uint64 // the entry's generation when the walk began
	state   walkState
	wantAll bool          // LiveAll waits for it: fetch every page
	changed chan struct{} // closed (and replaced) at each change of state
	perPage int
	pages   int // L, from the first page's count
	count   int // the largest count any page gave
	byID    map[string]T
	order   []string // ids in list order
	err     error
	started time.Time
	asked   int // page requests
}

// signal wakes whoever waits for a change of the walk; the cache's lock is held.
func (w *listWalk[T]) signal() {
	close(w.changed)
	w.changed = make(chan struct{})
}

// cacheKey names the list of one type of object in one project.
type cacheKey struct{ path, project string }

// cacheEntry is what the Client knows of one list.
type cacheEntry struct {
	lookups int    // lookups so far
	gen     uint64 // bumped at the start and the end of each write
	writes  int    // writes in flight
	// writing counts the writes in flight per object id; written is the
	// generation at which the last write to an id ended.
	writing map[string]int
	written map[string]uint64
	walk    any  // *listWalk[T] of the entry's type, or nil
	noList  bool // a walk failed: lookups go by GET from now on
}

// listCache holds a Client's walks. The zero value is ready.
type listCache struct {
	mu      sync.Mutex
	entries map[cacheKey]*cacheEntry
}

// entry returns the list's entry; the lock is held.
func (lc *listCache) entry(key cacheKey) *cacheEntry {
	if lc.entries == nil {
		lc.entries = map[cacheKey]*cacheEntry{}
	}
	e := lc.entries[key]
	if e == nil {
		e = &cacheEntry{writing: map[string]int{}, written: map[string]uint64{}}
		lc.entries[key] = e
	}
	return e
}

// beginWrite and endWrite bracket a write to the list (id "" for a create):
// the object is read with GET from then on, and no walk that began before the
// write ended serves LiveAll.
func (lc *listCache) beginWrite(key cacheKey, id string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	e := lc.entry(key)
	e.gen++
	e.writes++
	if id != "" {
		e.writing[id]++
		e.written[id] = math.MaxUint64
	}
}

func (lc *listCache) endWrite(key cacheKey, id string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	e := lc.entry(key)
	e.gen++
	e.writes--
	if id != "" {
		if e.writing[id]--; e.writing[id] == 0 {
			delete(e.writing, id)
			e.written[id] = e.gen
		}
	}
}

// servable reports whether walk w may answer for id: the Client wrote
// nothing to it since w began.
func (e *cacheEntry) servable(id string, gen uint64) bool {
	last, ok := e.written[id]
	return !ok || last < gen
}

// lookup answers what Get answers, from this Client's walk of the project's
// list when one pays (see the comment at the top of this file; for a type
// read from its list, always), else with GET. An object the walk does not hold (deleted, foreign, missing, or newer
// than the walk) is read with GET, so callers check it with LiveIn (Live
// does). For a type read from its list, an object this Client wrote since
// the walk began is looked for in a walk that began after the write (LiveAll)
// before any GET, which most callers are refused.
func (k *Objects[T, In]) lookup(ctx context.Context, c *Client, project, id string) (*T, error) {
	if t, ok := k.fromWalk(ctx, c, project, id); ok {
		return t, nil
	}
	if k.ReadFromList {
		if all, err := k.LiveAll(ctx, c, project); err == nil { // else the GET's error says more
			for i := range all {
				if k.meta(&all[i]).ID == id {
					return &all[i], nil
				}
			}
		}
	}
	return k.Get(ctx, c, project, id)
}

// walkOf is the entry's walk; the lock is held.
func walkOf[T any](e *cacheEntry) *listWalk[T] {
	w, _ := e.walk.(*listWalk[T])
	return w
}

// fromWalk returns the object from a walk, or false when a GET must answer.
func (k *Objects[T, In]) fromWalk(ctx context.Context, c *Client, project, id string) (*T, bool) {
	lc := &c.cache
	lc.mu.Lock()
	defer lc.mu.Unlock()
	e := lc.entry(cacheKey{k.Path, project})
	e.lookups++
	for {
		if e.noList || e.writing[id] > 0 {
			return nil, false
		}
		w := walkOf[T](e)
		switch {
		case w == nil:
			if e.lookups <= listAfterReads && !k.ReadFromList {
				return nil, false
			}
			k.walkWith(ctx, lc, c, project, e, false)
		case w.state == walkProbing || w.state == walkFetching:
			if !lc.wait(ctx, w.changed) {
				return nil, false
			}
		case w.state == walkParked || w.state == walkComplete:
			if t, ok := w.byID[id]; ok && e.servable(id, w.gen) {
				t = k.clone(t)
				return &t, true
			}
			if w.state == walkComplete || e.lookups < w.pages {
				return nil, false
			}
			k.fetchRestWith(ctx, lc, c, project, e, w)
		default: // walkFailed
			return nil, false
		}
	}
}

// LiveAll returns every live object of a project, in list order (by _id,
// oldest first). It shares this Client's walk of the project's list with
// Live: the first caller walks it (the pages after the first in parallel),
// later ones reuse it until a write to the project.
func (k *Objects[T, In]) LiveAll(ctx context.Context, c *Client, project string) ([]T, error) {
	if ts, served, err := k.all(ctx, &c.cache, c, project); served {
		return ts, err
	}
	// A write is in flight, or another caller's walk failed: a walk of our
	// own, whose error (if any) is this call's.
	var own listCache
	ts, _, err := k.all(ctx, &own, c, project)
	return ts, err
}

// all returns the project's walk, walking it if needed; served is false when
// the caller must walk on its own (a write in flight, another's walk failed).
func (k *Objects[T, In]) all(ctx context.Context, lc *listCache, c *Client, project string) (ts []T, served bool, err error) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	e := lc.entry(cacheKey{k.Path, project})
	var mine *listWalk[T]
	for {
		if e.writes > 0 {
			return nil, false, nil
		}
		w := walkOf[T](e)
		switch {
		case w == nil || (w.gen != e.gen && w != mine):
			// None yet, or one that began before a write: a new walk.
			k.walkWith(ctx, lc, c, project, e, true)
			mine = walkOf[T](e)
			if mine == nil || mine.gen != e.gen { // a write began meanwhile
				return nil, false, nil
			}
		case w.state == walkProbing || w.state == walkFetching:
			w.wantAll = true
			if !lc.wait(ctx, w.changed) {
				return nil, true, ctx.Err()
			}
		case w.state == walkParked:
			k.fetchRestWith(ctx, lc, c, project, e, w)
		case w.state == walkComplete:
			return k.listOf(w), true, nil
		case w == mine:
			return nil, true, w.err
		default: // someone else's walk failed
			return nil, false, nil
		}
	}
}

// listOf returns a copy of the walk's objects in list order.
func (k *Objects[T, In]) listOf(w *listWalk[T]) []T {
	out := make([]T, len(w.order))
	for i, id := range w.order {
		out[i] = k.clone(w.byID[id])
	}
	return out
}

// wait releases the lock until ch is closed (the walk changed) or ctx ends
// (false).
func (lc *listCache) wait(ctx context.Context, ch <-chan struct{}) bool {
	lc.mu.Unlock()
	defer lc.mu.Lock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	}
}

// walkWith starts a walk of the project with this caller's context: it
// fetches the first page and, when all is true or the lookups so far reach
// its page count, the others. The lock of lc is held on entry and on return,
// released while requests are in flight.
func (k *Objects[T, In]) walkWith(ctx context.Context, lc *listCache, c *Client, project string, e *cacheEntry, all bool) {
	w := &listWalk[T]{gen: e.gen, state: walkProbing, wantAll: all, changed: make(chan struct{}), byID: map[string]T{}, started: time.Now()}
	if old := walkOf[T](e); old != nil {
		old.signal() // its waiters look again, and find this one
	}
	e.walk = w
	lc.mu.Unlock()
	var first *Page[T]
	var err error
	if k.ListKey == "" { // no total to plan pages by: read it whole, page after page
		first = &Page[T]{}
		first.Items, err = k.List(ctx, c, project)
		first.Count = len(first.Items)
	} else {
		first, err = k.walkPage(ctx, c, project, 0, 1)
	}
	lc.mu.Lock()
	w.asked++
	if walkOf[T](e) != w { // a newer walk replaced it meanwhile
		w.state = walkFailed
		w.signal()
		return
	}
	if err == nil {
		w.count = first.Count
		w.perPage = ListPageSize
		if n := len(first.Items); n > 0 && n < ListPageSize && n < first.Count {
			w.perPage = n // a gateway caps the page size
		}
		w.pages = max(1, (first.Count+w.perPage-1)/w.perPage)
		k.add(w, project, first.Items)
	}
	switch {
	case err != nil:
		k.fail(ctx, c, e, w, err)
	case k.ListKey == "" || w.pages <= 1 || len(first.Items) < w.perPage:
		k.complete(ctx, c, project, w)
	case w.wantAll || e.lookups >= w.pages:
		k.fetchRestWith(ctx, lc, c, project, e, w)
	default:
		w.state = walkParked
		w.signal()
	}
}

// add records a page's objects: only live ones of the project, once each.
func (k *Objects[T, In]) add(w *listWalk[T], project string, items []T) {
	for i := range items {
		t := &items[i]
		id := k.meta(t).ID
		if id == "" || k.LiveIn(t, project) != nil {
			continue
		}
		if _, dup := w.byID[id]; !dup {
			w.order = append(w.order, id)
		}
		w.byID[id] = *t
	}
}

// fetchRestWith fetches the pages after the first, in parallel; the lock of
// lc is held on entry and on return.
func (k *Objects[T, In]) fetchRestWith(ctx context.Context, lc *listCache, c *Client, project string, e *cacheEntry, w *listWalk[T]) {
	w.state = walkFetching
	w.signal()
	pages, perPage := w.pages, w.perPage
	lc.mu.Unlock()
	results := make([]*Page[T], pages)
	errs := make([]error, pages)
	sem := make(chan struct{}, walkConcurrency)
	var wg sync.WaitGroup
	for page := 1; page < pages; page++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[page], errs[page] = k.walkPage(ctx, c, project, page, 1)
		}()
	}
	wg.Wait()
	// Objects added during the walk push the list past its first count:
	// follow on while the last page is full and a count says there is more.
	asked := pages - 1
	var err error
	for _, e := range errs {
		if e != nil {
			err = e
			break
		}
	}
	last := results[pages-1]
	for page := pages; err == nil && last != nil && len(last.Items) >= perPage && page*perPage < last.Count && page < 2*pages+2; page++ {
		var next *Page[T]
		next, err = k.walkPage(ctx, c, project, page, 1)
		asked++
		results = append(results, next)
		last = next
	}
	lc.mu.Lock()
	w.asked += asked
	if walkOf[T](e) != w { // a newer walk replaced it meanwhile
		w.state = walkFailed
		w.signal()
		return
	}
	if err != nil {
		k.fail(ctx, c, e, w, err)
		return
	}
	for _, r := range results[1:] {
		if r != nil {
			w.count = max(w.count, r.Count)
			k.add(w, project, r.Items)
		}
	}
	k.complete(ctx, c, project, w)
}

func (k *Objects[T, In]) complete(ctx context.Context, c *Client, project string, w *listWalk[T]) {
	w.state = walkComplete
	w.signal()
	c.log.Debug(ctx, "Tiledesk list walked", map[string]any{
		"objects": k.Path, "project": project, "requests": w.asked, "count": len(w.order), "server_count": w.count,
		"duration_ms": time.Since(w.started).Milliseconds(),
	})
}

func (k *Objects[T, In]) fail(ctx context.Context, c *Client, e *cacheEntry, w *listWalk[T], err error) {
	w.state, w.err = walkFailed, err
	w.signal()
	if ctx.Err() == nil {
		e.noList = true // the API refuses the list: GET each object, whose errors say more
	}
	c.log.Debug(ctx, "Tiledesk list walk failed; reading objects one by one", map[string]any{"objects": k.Path, "error": err.Error()})
}
