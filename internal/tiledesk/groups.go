package tiledesk

import (
	"context"
	"encoding/json"
	"slices"
)

// Group is a named set of a project's teammates: a department routes its
// conversations to a group's members (the department's id_group).
type Group struct {
	Meta
	Name string
	// Members are user ids, as the server keeps them: in the order sent,
	// duplicates included; one that is not a string is its JSON text.
	Members []string
	// Enabled changes only through SetGroupEnabled (and a delete).
	Enabled bool
	// Trashed marks a deleted group: the server's delete is soft.
	Trashed bool
}

// UnmarshalJSON reads a group as the server sends it: members of any JSON
// type, enabled true unless it says false.
func (g *Group) UnmarshalJSON(b []byte) error {
	var w struct {
		wireMeta
		Name    string            `json:"name"`
		Members []json.RawMessage `json:"members"`
		Enabled *bool             `json:"enabled"`
		Trashed bool              `json:"trashed"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*g = Group{Meta: w.meta(), Name: w.Name, Enabled: w.Enabled == nil || *w.Enabled, Trashed: w.Trashed}
	for _, raw := range w.Members {
		var id string
		if json.Unmarshal(raw, &id) != nil {
			id = string(raw)
		}
		g.Members = append(g.Members, id)
	}
	return nil
}

// GroupInput is what a create and an update send: the server's POST and PUT
// read nothing else (enabled changes through SetGroupEnabled). Members are
// sent in this order, and an empty list clears them.
type GroupInput struct {
	Name    string
	Members []string
}

// Groups are served under {project}/groups: a list answered whole (trashed
// groups hidden), a soft delete (trashed) answered with a message, and GET,
// PUT and PUT enable/disable (the two PUTs upserting) by id alone, for any
// project's group. A group that a department of the project names in its
// id_group cannot be deleted or disabled (403). Every route needs the agent
// role.
var Groups = &Objects[Group, GroupInput]{
	Name:  "group",
	Path:  "groups",
	Roles: "the agent role",
	deleted: func(g *Group) string {
		if g.Trashed {
			return "trashed"
		}
		return ""
	},
	clone: func(g Group) Group {
		g.Members = slices.Clone(g.Members)
		return g
	},
	wire: func(in GroupInput) any {
		return map[string]any{"name": in.Name, "members": append([]string{}, in.Members...)}
	},
	same: func(g *Group, in GroupInput) bool { return g.Name == in.Name && slices.Equal(g.Members, in.Members) },
}

// SetGroupEnabled enables or disables group id of project, which must be
// live there (Objects.UpdateVia): the only way to change enabled.
func SetGroupEnabled(ctx context.Context, c *Client, project, id string, enabled bool) (*Group, error) {
	action := "disable"
	if enabled {
		action = "enable"
	}
	return Groups.UpdateVia(ctx, c, project, id, action)
}
