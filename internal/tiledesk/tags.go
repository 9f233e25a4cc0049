package tiledesk

import "encoding/json"

// Tag is a label of a project's conversations and contacts, with a color
// for the dashboard. Its name is unique in the project.
type Tag struct {
	Meta
	// Name is the tag itself (the server's `tag`): exact and case-sensitive.
	Name string
	// Color is free text ("#43B1F2"); "" when the server holds null or
	// nothing.
	Color string
}

// UnmarshalJSON reads a tag as the server sends it.
func (t *Tag) UnmarshalJSON(b []byte) error {
	var w struct {
		wireMeta
		Name  *string `json:"tag"`
		Color *string `json:"color"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*t = Tag{Meta: w.meta(), Name: deref(w.Name), Color: deref(w.Color)}
	return nil
}

// TagInput is what a create and an update send: both keys, because the
// server's PUT sets each from the body (absent is null). An empty Color is
// sent as null.
type TagInput struct {
	Name  string
	Color string
}

// Tags are served under {project}/tags: a list in pages of a fixed 40,
// deletion for good, and GET, PUT (upserting) and DELETE by id alone, for
// any project's tag. The server keeps one tag per name in a project: it
// answers a create of an existing name with the existing tag, and refuses a
// rename onto one (500). Every route needs the agent role.
var Tags = &Objects[Tag, TagInput]{
	Name:       "tag",
	Path:       "tags",
	PageSize:   40,
	Roles:      "the agent role",
	clone:      func(t Tag) Tag { return t },
	wire:       func(in TagInput) any { return map[string]any{"tag": in.Name, "color": nullIfEmpty(in.Color)} },
	same:       func(t *Tag, in TagInput) bool { return t.Name == in.Name && t.Color == in.Color },
	uniqueOf:   func(t *Tag) string { return t.Name },
	uniqueIn:   func(in TagInput) string { return in.Name },
	uniqueName: "tag",
}
