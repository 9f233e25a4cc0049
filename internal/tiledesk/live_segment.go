package tiledesk

import (
	"context"
	"fmt"
)

// GoneReason says why an object is not a live object of the project asked
// about.
type GoneReason int

// The reasons a GoneError gives.
const (
	// GoneNotFound: no object has this id (the server answered 404).
	GoneNotFound GoneReason = iota + 1
	// GoneDeleted: the object is soft-deleted (its status is not live).
	GoneDeleted
	// GoneForeign: the object belongs to another project.
	GoneForeign
)

// GoneError reports that an object is not a live object of the project it
// was asked for: the answer for a segment deleted, or never created, outside
// the caller's knowledge.
type GoneError struct {
	// Object is what was looked for: "segment".
	Object string
	Reason GoneReason
	// ProjectID and ID are what was asked for.
	ProjectID string
	ID        string
	// Name and Status are what the server holds, for GoneDeleted and
	// GoneForeign; OwnerProjectID is the object's project.
	Name           string
	Status         int
	OwnerProjectID string
}

// Error says why, in words fit to follow "... is gone: ".
func (e *GoneError) Error() string {
	switch e.Reason {
	case GoneNotFound:
		return "no " + e.Object + " has this id (the server answered 404)"
	case GoneDeleted:
		return fmt.Sprintf("the %s is deleted (status %d)", e.Object, e.Status)
	default:
		return fmt.Sprintf("the %s belongs to project %q, not to project %s", e.Object, e.OwnerProjectID, e.ProjectID)
	}
}

// LiveIn returns nil when s is a live segment of project, else the
// *GoneError that says why not. It is the one rule of which segments a
// project's resources and data sources may use.
func (s *Segment) LiveIn(project string) error {
	var reason GoneReason
	switch {
	case !s.Live():
		reason = GoneDeleted
	case s.ProjectID != project:
		reason = GoneForeign
	default:
		return nil
	}
	return &GoneError{Object: "segment", Reason: reason, ProjectID: project, ID: s.ID, Name: s.Name, Status: s.Status, OwnerProjectID: s.ProjectID}
}

// LiveSegment returns segment id of project when it is live and belongs to
// the project; else a *GoneError (see LiveIn), or the request's error. It
// reads as LookupSegment does: from the project's list when many are read.
func (c *Client) LiveSegment(ctx context.Context, project, id string) (*Segment, error) {
	seg, err := c.LookupSegment(ctx, project, id)
	if IsNotFound(err) {
		return nil, &GoneError{Object: "segment", Reason: GoneNotFound, ProjectID: project, ID: id}
	}
	if err != nil {
		return nil, err
	}
	if err := seg.LiveIn(project); err != nil {
		return nil, err
	}
	return seg, nil
}

// PickSegment returns the one segment of segs that keep accepts. When none
// does it returns nil and no ids; when several do, nil and all their ids.
func PickSegment(segs []Segment, keep func(Segment) bool) (one *Segment, several []string) {
	var found []Segment
	for _, s := range segs {
		if keep(s) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return &found[0], nil
	}
	ids := make([]string, len(found))
	for i, s := range found {
		ids[i] = s.ID
	}
	return nil, ids
}
