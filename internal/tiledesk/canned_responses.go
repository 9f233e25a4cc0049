package tiledesk

import (
	"encoding/json"
	"strconv"
)

// Canned response statuses: live, and deleted by the API's DELETE (soft).
const (
	CannedLive    = 100
	CannedDeleted = 1000
)

// CannedResponse is a text agents insert into conversations.
type CannedResponse struct {
	Meta
	// Title is "" when the server holds none (absent or null).
	Title string
	Text  string
	// Shared: every member of the project sees it, not only its creator.
	Shared bool
	Status int
}

// UnmarshalJSON reads a canned response as the server sends it; a missing
// status counts as live.
func (c *CannedResponse) UnmarshalJSON(b []byte) error {
	var w struct {
		wireMeta
		Title  *string `json:"title"`
		Text   *string `json:"text"`
		Shared bool    `json:"shared"`
		Status *int    `json:"status"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = CannedResponse{Meta: w.meta(), Title: deref(w.Title), Text: deref(w.Text), Shared: w.Shared, Status: CannedLive}
	if w.Status != nil {
		c.Status = *w.Status
	}
	return nil
}

// CannedResponseInput is what a create or an update sends. An empty Title
// is sent as null (the server's PUT sets what is sent, null clears it).
// Shared = true asks for a shared canned response: the server honours it on
// create only, and shares every canned response an owner or admin creates
// whatever is sent; an update never changes it.
type CannedResponseInput struct {
	Title  string
	Text   string
	Shared bool
}

// CannedResponses are served under {project}/canned: a list of the live ones
// the caller may see (shared, or its own) answered as a bare array 1000 a
// page, soft delete (status 1000), GET by id only for the creator (so reads
// come from the list), PUT and DELETE that look the canned response up in
// the project first and check the caller's right to it.
var CannedResponses = &Objects[CannedResponse, CannedResponseInput]{
	Name:         "canned response",
	Path:         "canned",
	PageSize:     1000,
	ReadFromList: true,
	Roles: "the agent role, and a right to the canned response itself: an agent may change or delete only the ones it created, " +
		"the owner and admins only shared ones (never an agent's private one), supervisors shared ones and their own; " +
		"a user sees only shared ones and its own, and only the creator may read one by id (so another user's private one, " +
		"or one another user deleted, cannot be read)",
	deleted: func(c *CannedResponse) string {
		if c.Status < CannedDeleted {
			return ""
		}
		return "status " + strconv.Itoa(c.Status)
	},
	clone: func(c CannedResponse) CannedResponse { return c },
	wire: func(in CannedResponseInput) any {
		body := map[string]any{"title": nullIfEmpty(in.Title), "text": in.Text}
		if in.Shared {
			body["shared"] = true // the JSON boolean: the server ignores anything else
		}
		return body
	},
	same: func(c *CannedResponse, in CannedResponseInput) bool {
		return c.Title == in.Title && c.Text == in.Text && (c.Shared || !in.Shared)
	},
}
