package tiledesk

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Refresh from the list.
//
// Terraform reads every segment of a state with its own request, ten at a
// time: N GETs for a refresh of N segments. One walk of the project's list
// (pages of ListPageSize, with each segment's full content) answers them all
// with ceil(P/ListPageSize) requests, P being the project's live segments.
// LookupSegment and LiveSegments share such a walk, per project, for the
// lifetime of the Client. The provider builds a Client each time Terraform
// configures it, that is once per Terraform operation (plan, apply, refresh,
// import), so a walk never serves a later command: an out-of-band change made
// between two commands always shows in the second one, even when one provider
// process serves several commands (terraform-plugin-testing's in-process
// provider). A write through the Client drops the project's walk, so that
// what the Client wrote, or lets others write, is read back from the server.
//
// When the list pays: the first listAfterReads lookups of a project go by GET
// (a small state costs no list request at all). The next one fetches the
// list's first page, which gives its total P and so its L = ceil(P/perPage)
// pages. The other pages are fetched, in parallel, as soon as the project's
// lookups so far reach L (each lookup is a GET saved from then on); until
// then lookups that the first page cannot answer go by GET. So a refresh of N
// segments costs N requests when N <= listAfterReads, listAfterReads + L when
// L <= listAfterReads+1 (every project up to 1,100 segments), and otherwise at
// most N + 1 when N < L, 2L when N >= L: a small state in a large project
// never lists it whole.
//
// A segment that is not in the walk (deleted, of another project, removed
// for good, or created after the walk) is read with GET, whose answer says
// which: the walk only ever answers for live segments of the project.

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
	walkFailed                    // a page request failed: lookups go by GET
)

// segmentWalk is one walk of a project's live segments.
type segmentWalk struct {
	gen     uint64 // the project's generation when the walk began
	state   walkState
	wantAll bool          // LiveSegments waits for it: fetch every page
	changed chan struct{} // closed (and replaced) at each change of state
	perPage int
	pages   int // L, from the first page's count
	count   int // the largest count any page gave
	byID    map[string]Segment
	order   []string // ids in list order
	err     error
	started time.Time
	asked   int // page requests
}

// signal wakes whoever waits for a change of the walk; the cache's lock is held.
func (w *segmentWalk) signal() {
	close(w.changed)
	w.changed = make(chan struct{})
}

// add records a page's segments: only live ones of the project, once each.
func (w *segmentWalk) add(project string, segs []Segment) {
	for _, s := range segs {
		if s.ID == "" || s.LiveIn(project) != nil {
			continue
		}
		if _, dup := w.byID[s.ID]; !dup {
			w.order = append(w.order, s.ID)
		}
		w.byID[s.ID] = s
	}
}

// projectCache is what the Client knows of one project's list.
type projectCache struct {
	lookups int    // LookupSegment calls so far
	gen     uint64 // bumped at the start and the end of each write
	writes  int    // writes in flight
	walk    *segmentWalk
	noList  bool // a walk failed: lookups go by GET from now on
}

// segmentCache holds a Client's walks, per project. The zero value is ready.
type segmentCache struct {
	mu       sync.Mutex
	projects map[string]*projectCache
}

// project returns the project's entry; the lock is held.
func (sc *segmentCache) project(id string) *projectCache {
	if sc.projects == nil {
		sc.projects = map[string]*projectCache{}
	}
	p := sc.projects[id]
	if p == nil {
		p = &projectCache{}
		sc.projects[id] = p
	}
	return p
}

// invalidate drops the project's walk; the lock is held.
func (p *projectCache) invalidate() {
	p.gen++
	if p.walk != nil {
		p.walk.signal() // waiters look again, and find no walk
		p.walk = nil
	}
}

// beginWrite and endWrite bracket a write to a project: no walk is trusted
// while one is in flight, nor any walk that began before it ended.
func (sc *segmentCache) beginWrite(project string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	p := sc.project(project)
	p.writes++
	p.invalidate()
}

func (sc *segmentCache) endWrite(project string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	p := sc.project(project)
	p.writes--
	p.invalidate()
}

// LookupSegment answers what GetSegment answers, from this Client's walk of
// the project's list when one pays (see the comment at the top of this
// file), else with GET. A segment the walk does not hold (deleted, foreign,
// missing, or newer than the walk) is read with GET, so callers check it
// with LiveIn as they do for GetSegment (LiveSegment does).
func (c *Client) LookupSegment(ctx context.Context, projectID, id string) (*Segment, error) {
	if seg, ok := c.cache.lookup(ctx, c, projectID, id); ok {
		return seg, nil
	}
	return c.GetSegment(ctx, projectID, id)
}

// lookup returns the segment from a walk, or false when a GET must answer.
func (sc *segmentCache) lookup(ctx context.Context, c *Client, project, id string) (*Segment, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	p := sc.project(project)
	p.lookups++
	for {
		if p.writes > 0 || p.noList {
			return nil, false
		}
		w := p.walk
		switch {
		case w == nil:
			if p.lookups <= listAfterReads {
				return nil, false
			}
			sc.walk(ctx, c, project, p, false)
		case w.state == walkProbing || w.state == walkFetching:
			if !sc.wait(ctx, w) {
				return nil, false
			}
		case w.state == walkParked:
			if s, ok := w.byID[id]; ok {
				return cloneSegment(s), true
			}
			if p.lookups < w.pages {
				return nil, false
			}
			sc.fetchRest(ctx, c, project, p, w)
		case w.state == walkComplete:
			s, ok := w.byID[id]
			if !ok {
				return nil, false
			}
			return cloneSegment(s), true
		default: // walkFailed
			return nil, false
		}
	}
}

// LiveSegments returns every live segment of a project, in list order (by
// _id, oldest first). It shares this Client's walk of the project's list
// with LookupSegment: the first caller walks it (the pages after the first in
// parallel), later ones reuse it until a write to the project.
func (c *Client) LiveSegments(ctx context.Context, projectID string) ([]Segment, error) {
	if segs, served, err := c.cache.all(ctx, c, projectID); served {
		return segs, err
	}
	// A write is in flight, or another caller's walk failed: a walk of our
	// own, whose error (if any) is this call's.
	var own segmentCache
	segs, _, err := own.all(ctx, c, projectID)
	return segs, err
}

// all returns the project's walk, walking it if needed; served is false when
// the caller must walk on its own (a write in flight, another's walk failed).
func (sc *segmentCache) all(ctx context.Context, c *Client, project string) (segs []Segment, served bool, err error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	p := sc.project(project)
	var mine *segmentWalk
	for {
		if p.writes > 0 {
			return nil, false, nil
		}
		w := p.walk
		switch {
		case w == nil:
			sc.walk(ctx, c, project, p, true)
			mine = p.walk
			if mine == nil { // a write began meanwhile
				return nil, false, nil
			}
		case w.state == walkProbing || w.state == walkFetching:
			w.wantAll = true
			if !sc.wait(ctx, w) {
				return nil, true, ctx.Err()
			}
		case w.state == walkParked:
			sc.fetchRest(ctx, c, project, p, w)
		case w.state == walkComplete:
			return w.list(), true, nil
		case w == mine:
			return nil, true, w.err
		default: // someone else's walk failed
			return nil, false, nil
		}
	}
}

// list returns a copy of the walk's segments in list order.
func (w *segmentWalk) list() []Segment {
	out := make([]Segment, len(w.order))
	for i, id := range w.order {
		out[i] = *cloneSegment(w.byID[id])
	}
	return out
}

func cloneSegment(s Segment) *Segment {
	s.Filters = slices.Clone(s.Filters)
	return &s
}

// wait releases the lock until the walk changes or ctx ends (false).
func (sc *segmentCache) wait(ctx context.Context, w *segmentWalk) bool {
	ch := w.changed
	sc.mu.Unlock()
	defer sc.mu.Lock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	}
}

// walk starts a walk of the project with this caller's context: it fetches
// the first page and, when all is true or the lookups so far reach its page
// count, the others. The lock is held on entry and on return, released
// while requests are in flight.
func (sc *segmentCache) walk(ctx context.Context, c *Client, project string, p *projectCache, all bool) {
	w := &segmentWalk{gen: p.gen, state: walkProbing, wantAll: all, changed: make(chan struct{}), byID: map[string]Segment{}, started: time.Now()}
	p.walk = w
	sc.mu.Unlock()
	first, err := c.listPage(ctx, project, 0)
	sc.mu.Lock()
	w.asked++
	if p.walk != w { // a write dropped it meanwhile
		w.state = walkFailed
		w.signal()
		return
	}
	if err == nil {
		w.count = first.Count
		w.perPage = ListPageSize
		if n := len(first.Segments); n > 0 && n < ListPageSize && n < first.Count {
			w.perPage = n // a gateway caps the page size
		}
		w.pages = max(1, (first.Count+w.perPage-1)/w.perPage)
		w.add(project, first.Segments)
	}
	switch {
	case err != nil:
		sc.fail(ctx, c, p, w, err)
	case w.pages <= 1 || len(first.Segments) < w.perPage:
		sc.complete(ctx, c, project, w)
	case w.wantAll || p.lookups >= w.pages:
		sc.fetchRest(ctx, c, project, p, w)
	default:
		w.state = walkParked
		w.signal()
	}
}

// fetchRest fetches the pages after the first, in parallel; the lock is held
// on entry and on return.
func (sc *segmentCache) fetchRest(ctx context.Context, c *Client, project string, p *projectCache, w *segmentWalk) {
	w.state = walkFetching
	w.signal()
	pages, perPage := w.pages, w.perPage
	sc.mu.Unlock()
	results := make([]*SegmentPage, pages)
	errs := make([]error, pages)
	sem := make(chan struct{}, walkConcurrency)
	var wg sync.WaitGroup
	for page := 1; page < pages; page++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[page], errs[page] = c.listPage(ctx, project, page)
		}()
	}
	wg.Wait()
	// Segments added during the walk push the list past its first count:
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
	for page := pages; err == nil && last != nil && len(last.Segments) >= perPage && page*perPage < last.Count && page < 2*pages+2; page++ {
		var next *SegmentPage
		next, err = c.listPage(ctx, project, page)
		asked++
		results = append(results, next)
		last = next
	}
	sc.mu.Lock()
	w.asked += asked
	if p.walk != w { // a write dropped it meanwhile
		w.state = walkFailed
		w.signal()
		return
	}
	if err != nil {
		sc.fail(ctx, c, p, w, err)
		return
	}
	for _, r := range results[1:] {
		if r != nil {
			w.count = max(w.count, r.Count)
			w.add(project, r.Segments)
		}
	}
	sc.complete(ctx, c, project, w)
}

func (sc *segmentCache) complete(ctx context.Context, c *Client, project string, w *segmentWalk) {
	w.state = walkComplete
	w.signal()
	c.log.Debug(ctx, "Tiledesk segment list walked", map[string]any{
		"project": project, "requests": w.asked, "segments": len(w.order), "count": w.count,
		"duration_ms": time.Since(w.started).Milliseconds(),
	})
}

func (sc *segmentCache) fail(ctx context.Context, c *Client, p *projectCache, w *segmentWalk, err error) {
	w.state, w.err = walkFailed, err
	w.signal()
	if ctx.Err() == nil {
		p.noList = true // the API refuses the list: GET each segment, whose errors say more
	}
	c.log.Debug(ctx, "Tiledesk segment list walk failed; reading segments one by one", map[string]any{"error": err.Error()})
}

// listPage fetches one page of the walk: ListPageSize segments sorted by the
// unique _id, oldest first, so that pages stay stable while segments are added.
func (c *Client) listPage(ctx context.Context, project string, page int) (*SegmentPage, error) {
	return c.ListSegmentsPage(ctx, project, ListOptions{Limit: ListPageSize, Page: page, Sort: "_id", Direction: 1})
}
