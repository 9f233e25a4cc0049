package tiledesk

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Segment statuses.
const (
	StatusLive    = 100
	StatusDeleted = 0
)

// Match values the server understands.
const (
	MatchAll = "all"
	MatchAny = "any"
)

// Segment is a named set of lead filters in a project.
type Segment struct {
	ID        string
	Name      string
	Match     string
	Filters   []Filter
	ProjectID string
	// Status is StatusLive or StatusDeleted (soft delete).
	Status    int
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Live reports whether the segment has not been (soft-)deleted.
func (s *Segment) Live() bool { return s.Status == StatusLive }

// Filter is one condition on a lead field. Value keeps the JSON type the
// server stores (string, number, boolean, null, object or array): it matters
// when leads are matched.
type Filter struct {
	Field    string          `json:"field"`
	Operator string          `json:"operator"`
	Value    json.RawMessage `json:"value"`
}

// wireSegment is the segment as the server sends it.
type wireSegment struct {
	MongoID   string          `json:"_id"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Match     string          `json:"match"`
	Filters   []Filter        `json:"filters"`
	ProjectID string          `json:"id_project"`
	Status    *int            `json:"status"`
	CreatedBy string          `json:"createdBy"`
	CreatedAt json.RawMessage `json:"createdAt"`
	UpdatedAt json.RawMessage `json:"updatedAt"`
}

// UnmarshalJSON reads `_id` (what the server sends) or `id` (what its
// reference documentation says). A missing status counts as live.
func (s *Segment) UnmarshalJSON(b []byte) error {
	var w wireSegment
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = Segment{
		ID:        w.MongoID,
		Name:      w.Name,
		Match:     w.Match,
		Filters:   w.Filters,
		ProjectID: w.ProjectID,
		Status:    StatusLive,
		CreatedBy: w.CreatedBy,
		CreatedAt: parseTime(w.CreatedAt),
		UpdatedAt: parseTime(w.UpdatedAt),
	}
	if s.ID == "" {
		s.ID = w.ID
	}
	if w.Status != nil {
		s.Status = *w.Status
	}
	return nil
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

// SegmentInput is what create and update send. Update always sends every
// field, so an empty Filters clears the segment's filters.
type SegmentInput struct {
	Name    string   `json:"name"`
	Match   string   `json:"match"`
	Filters []Filter `json:"filters"`
}

func (in SegmentInput) wire() SegmentInput {
	if in.Filters == nil {
		in.Filters = []Filter{}
	}
	return in
}

// SegmentPage is one page of the segment list.
type SegmentPage struct {
	PerPage  int       `json:"perPage"`
	Count    int       `json:"count"`
	Segments []Segment `json:"segments"`
}

// ListOptions selects one page of a list. Zero values mean the server's
// defaults (40 per page, first page, newest first).
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

// GetSegment reads one segment. The server answers for any id, whatever the
// segment's project or status: callers check it with LiveIn, or use
// LiveSegment.
func (c *Client) GetSegment(ctx context.Context, projectID, id string) (*Segment, error) {
	return c.segmentCall(ctx, http.MethodGet, nil, projectID, "segments", id)
}

// CreateSegment creates a segment with one POST, which is retried only where
// it certainly did not reach the server (429, connection refused). A failure
// for which MayHaveCreated is true needs a lookup before anything is sent
// again. A POST already sent finishes even when ctx is cancelled (bounded by
// the client's timeout); none is sent once ctx is done.
func (c *Client) CreateSegment(ctx context.Context, projectID string, in SegmentInput) (*Segment, error) {
	return c.segmentCall(ctx, http.MethodPost, in.wire(), projectID, "segments")
}

// UpdateSegment replaces a segment's name, match and filters. The server
// upserts: a PUT to an id that does not exist creates a ghost segment, so
// call it only for a segment just seen alive.
func (c *Client) UpdateSegment(ctx context.Context, projectID, id string, in SegmentInput) (*Segment, error) {
	return c.segmentCall(ctx, http.MethodPut, in.wire(), projectID, "segments", id)
}

// DeleteSegment soft-deletes a segment (status 0) and returns it.
func (c *Client) DeleteSegment(ctx context.Context, projectID, id string) (*Segment, error) {
	return c.segmentCall(ctx, http.MethodDelete, nil, projectID, "segments", id)
}

// segmentCall sends a request answered by one segment, which must carry an
// id: an empty answer ({} or null) is an error, not a nameless segment.
func (c *Client) segmentCall(ctx context.Context, method string, body any, segments ...string) (*Segment, error) {
	if method != http.MethodGet { // segments[0] is the project: its list walk is stale from now on
		c.cache.beginWrite(segments[0])
		defer c.cache.endWrite(segments[0])
	}
	var s Segment
	if err := c.do(ctx, method, nil, body, &s, segments...); err != nil {
		return nil, err
	}
	if s.ID == "" {
		_, path := c.endpoint(nil, segments...)
		return nil, &APIError{StatusCode: http.StatusOK, Method: method, Path: path, Attempts: 1,
			Message: "the answer holds no segment id: check that the API URL points at a Tiledesk server"}
	}
	return &s, nil
}

// ListSegmentsPage reads one page of a project's live segments.
func (c *Client) ListSegmentsPage(ctx context.Context, projectID string, opts ListOptions) (*SegmentPage, error) {
	var p SegmentPage
	if err := c.do(ctx, http.MethodGet, opts.query(), nil, &p, projectID, "segments"); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListPageSize is the page size used when walking a whole list.
const ListPageSize = 100

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

// ListSegmentsCreatedSince returns the live segments of a project created at
// or after since (by the server's clock), and possibly a few older ones: it
// walks the list newest first (by the unique, creation-ordered _id) and stops
// at the first page that reaches back before since. Looking for a recent
// create thus costs one page, not the whole project. New segments added
// during the walk only shift older ones to later pages (seen twice, kept
// once), so none created since is missed.
func (c *Client) ListSegmentsCreatedSince(ctx context.Context, projectID string, since time.Time) ([]Segment, error) {
	var out []Segment
	seen := map[string]bool{}
	maxPages := -1 // set from the first page's count, so a server that ignores paging cannot make it loop
	for page := 0; maxPages < 0 || page < maxPages; page++ {
		p, err := c.ListSegmentsPage(ctx, projectID, ListOptions{Limit: ListPageSize, Page: page, Sort: "_id", Direction: -1})
		if err != nil {
			return nil, err
		}
		if maxPages < 0 {
			maxPages = p.Count/ListPageSize + 2
		}
		older, fresh := false, 0
		for _, s := range p.Segments {
			if !s.CreatedAt.IsZero() && s.CreatedAt.Before(since) {
				older = true
				continue
			}
			if !seen[s.ID] {
				seen[s.ID] = true
				fresh++
				out = append(out, s)
			}
		}
		if older || fresh == 0 || len(p.Segments) < ListPageSize {
			break
		}
	}
	return out, nil
}
