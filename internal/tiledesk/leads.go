package tiledesk

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Lead is a contact of a project.
type Lead struct {
	ID         string
	LeadID     string
	Fullname   string
	Email      string
	Phone      string
	Company    string
	Tags       []string
	Attributes map[string]any
	CreatedAt  time.Time
}

type wireLead struct {
	MongoID    string            `json:"_id"`
	ID         string            `json:"id"`
	LeadID     string            `json:"lead_id"`
	Fullname   string            `json:"fullname"`
	Email      string            `json:"email"`
	Phone      string            `json:"phone"`
	Company    string            `json:"company"`
	Tags       []json.RawMessage `json:"tags"`
	Attributes map[string]any    `json:"attributes"`
	CreatedAt  json.RawMessage   `json:"createdAt"`
}

// UnmarshalJSON reads a lead; tags may be strings or {"tag": ...} objects.
func (l *Lead) UnmarshalJSON(b []byte) error {
	var w wireLead
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*l = Lead{
		ID: w.MongoID, LeadID: w.LeadID, Fullname: w.Fullname, Email: w.Email, Phone: w.Phone,
		Company: w.Company, Attributes: w.Attributes, CreatedAt: parseTime(w.CreatedAt),
	}
	if l.ID == "" {
		l.ID = w.ID
	}
	for _, raw := range w.Tags {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			var o struct {
				Tag string `json:"tag"`
			}
			if json.Unmarshal(raw, &o) != nil || o.Tag == "" {
				continue
			}
			s = o.Tag
		}
		if s != "" {
			l.Tags = append(l.Tags, s)
		}
	}
	return nil
}

// LeadPage is one page of the lead list.
type LeadPage struct {
	PerPage int    `json:"perPage"`
	Count   int    `json:"count"`
	Leads   []Lead `json:"leads"`
}

// LeadListOptions selects one page of leads, optionally only those a segment
// matches.
type LeadListOptions struct {
	SegmentID string
	Limit     int
	// Page is 0-based.
	Page int
}

// ListLeadsPage reads one page of a project's leads. The 2.19 server never
// answers for a segment with a "starts with" filter: the client's timeout
// ends such a call with a RequestError whose Timeout is set.
func (c *Client) ListLeadsPage(ctx context.Context, projectID string, opts LeadListOptions) (*LeadPage, error) {
	q := ListOptions{Limit: opts.Limit, Page: opts.Page}.query()
	if opts.SegmentID != "" {
		q.Set("segment", opts.SegmentID)
	}
	var p LeadPage
	if err := c.do(ctx, http.MethodGet, q, nil, &p, projectID, "leads"); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListLeads reads up to maxLeads leads (a segment's when segmentID is set),
// walking pages as needed, and returns them with the server's total count.
// maxLeads <= 0 reads them all.
func (c *Client) ListLeads(ctx context.Context, projectID, segmentID string, maxLeads int) ([]Lead, int, error) {
	limit := ListPageSize
	if maxLeads > 0 {
		limit = min(maxLeads, ListPageSize)
	}
	total := 0
	leads, err := walkPages(maxLeads, limit, func(page int) ([]Lead, int, error) {
		p, err := c.ListLeadsPage(ctx, projectID, LeadListOptions{SegmentID: segmentID, Limit: limit, Page: page})
		if err != nil {
			return nil, 0, err
		}
		total = p.Count
		return p.Leads, p.Count, nil
	}, func(l Lead) string { return l.ID })
	return leads, total, err
}
