package tiledesk

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
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
	Meta
	Name    string
	Match   string
	Filters []Filter
	// Status is StatusLive or StatusDeleted (soft delete).
	Status int
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

// UnmarshalJSON reads a segment as the server sends it. A missing status
// counts as live.
func (s *Segment) UnmarshalJSON(b []byte) error {
	var w struct {
		wireMeta
		Name    string   `json:"name"`
		Match   string   `json:"match"`
		Filters []Filter `json:"filters"`
		Status  *int     `json:"status"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = Segment{Meta: w.meta(), Name: w.Name, Match: w.Match, Filters: w.Filters, Status: StatusLive}
	if w.Status != nil {
		s.Status = *w.Status
	}
	return nil
}

// SegmentInput is what create and update send. Update always sends every
// field, so an empty Filters clears the segment's filters.
type SegmentInput struct {
	Name    string   `json:"name"`
	Match   string   `json:"match"`
	Filters []Filter `json:"filters"`
}

// Segments are served under {project}/segments: a paged list
// ({"perPage","count","segments"}), soft delete (status 0), and PUT and
// DELETE that upsert and find segments of any project.
var Segments = &Objects[Segment, SegmentInput]{
	Name:    "segment",
	Path:    "segments",
	ListKey: "segments",
	Roles:   "the agent role",
	deleted: func(s *Segment) string {
		if s.Live() {
			return ""
		}
		return "status " + strconv.Itoa(s.Status)
	},
	clone: func(s Segment) Segment {
		s.Filters = slices.Clone(s.Filters)
		return s
	},
	wire: func(in SegmentInput) any {
		if in.Filters == nil {
			in.Filters = []Filter{}
		}
		return in
	},
	same: func(s *Segment, in SegmentInput) bool {
		if s.Name != in.Name || s.Match != in.Match || len(s.Filters) != len(in.Filters) {
			return false
		}
		for i, f := range in.Filters {
			g := s.Filters[i]
			if g.Field != f.Field || g.Operator != f.Operator || !JSONEqual(g.Value, f.Value) {
				return false
			}
		}
		return true
	},
}

// JSONEqual reports whether two JSON texts hold the same value: numbers
// compared as numbers (3 is 3.0), objects regardless of key order.
func JSONEqual(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}
