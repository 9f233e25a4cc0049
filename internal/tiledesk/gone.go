package tiledesk

import "fmt"

// GoneReason says why an object is not a live object of the project asked
// about.
type GoneReason int

// The reasons a GoneError gives.
const (
	// GoneNotFound: no object has this id (the server answered 404).
	GoneNotFound GoneReason = iota + 1
	// GoneDeleted: the object is soft-deleted.
	GoneDeleted
	// GoneForeign: the object belongs to another project.
	GoneForeign
)

// GoneError reports that an object is not a live object of the project it
// was asked for: the answer for an object deleted, or never created, outside
// the caller's knowledge, or one of another project.
type GoneError struct {
	// Object is what was looked for: "segment".
	Object string
	Reason GoneReason
	// ProjectID and ID are what was asked for.
	ProjectID string
	ID        string
	// Deleted is how the server marks the object deleted ("status 0"), for
	// GoneDeleted; OwnerProjectID is the object's project, for GoneForeign.
	Deleted        string
	OwnerProjectID string
}

// Error says why, in words fit to follow "... is gone: ".
func (e *GoneError) Error() string {
	switch e.Reason {
	case GoneNotFound:
		return "no " + e.Object + " has this id (the server answered 404)"
	case GoneDeleted:
		return fmt.Sprintf("the %s is deleted (%s)", e.Object, e.Deleted)
	default:
		return fmt.Sprintf("the %s belongs to project %q, not to project %s", e.Object, e.OwnerProjectID, e.ProjectID)
	}
}

// KeyTakenError reports a write that would give an object the key of
// another object of the project, where the server keeps one object per key
// (a tag's name).
type KeyTakenError struct {
	// Object is the type ("tag"), KeyName its key ("tag"), Key the value.
	Object, KeyName, Key string
	ProjectID            string
	// ID is the object written, OtherID the one that has the key.
	ID, OtherID string
	// Err is the server's refusal when the write was sent; nil when the
	// client found the key taken and sent nothing.
	Err error
}

func (e *KeyTakenError) Error() string {
	s := fmt.Sprintf("%s %s of project %s has the %s %q already, and Tiledesk keeps one %s per %s in a project", e.Object, e.OtherID, e.ProjectID, e.KeyName, e.Key, e.Object, e.KeyName)
	if e.Err == nil {
		return s + ": nothing was sent"
	}
	return s + " (the server refused the write: " + e.Err.Error() + ")"
}

func (e *KeyTakenError) Unwrap() error { return e.Err }
