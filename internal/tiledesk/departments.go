package tiledesk

import "encoding/json"

// Department routing values the dashboard offers (the server stores any string).
const (
	RoutingPooled   = "pooled"
	RoutingAssigned = "assigned"
)

// Department statuses: shown in the widget, hidden from it, hidden from both
// of the server's lists.
const (
	DepartmentVisible       = 1
	DepartmentHidden        = 0
	DepartmentHiddenFromAll = -1
)

// Department routes a project's conversations to its agents or a bot.
type Department struct {
	Meta
	Name        string
	Description string
	Routing     string
	// Default marks the department the server made with the project.
	Default bool
	Status  int
	// BotID and GroupID are "" when the server holds null or nothing.
	BotID   string
	BotOnly bool
	GroupID string
}

// UnmarshalJSON reads a department as the server sends it: `_id` (and the
// virtual `id`), id_bot and id_group null after an update that cleared them.
func (d *Department) UnmarshalJSON(b []byte) error {
	var w struct {
		wireMeta
		Name        string  `json:"name"`
		Description *string `json:"description"`
		Routing     string  `json:"routing"`
		Default     bool    `json:"default"`
		Status      *int    `json:"status"`
		BotID       *string `json:"id_bot"`
		BotOnly     bool    `json:"bot_only"`
		GroupID     *string `json:"id_group"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = Department{Meta: w.meta(), Name: w.Name, Description: deref(w.Description), Routing: w.Routing, Default: w.Default,
		Status: DepartmentVisible, BotID: deref(w.BotID), BotOnly: w.BotOnly, GroupID: deref(w.GroupID)}
	if w.Status != nil {
		d.Status = *w.Status
	}
	return nil
}

// DepartmentInput is what create and update send: every field, because the
// server's PUT sets id_bot and id_group from the body (absent clears them)
// and keeps the other fields when they are absent or null. An empty
// Description clears it; an empty BotID or GroupID is sent as null.
type DepartmentInput struct {
	Name        string
	Description string
	Routing     string
	Status      int
	BotID       string
	BotOnly     bool
	GroupID     string
}

// Departments are served under {project}/departments: a list answered whole
// (departments/allstatus lists those of status 1 and 0), hard delete, and
// GET, PUT (upserting) and DELETE by id alone, for any project's department.
// Creating, changing and deleting need the admin role, listing the agent role.
var Departments = &Objects[Department, DepartmentInput]{
	Name:     "department",
	Path:     "departments",
	ListPath: "departments/allstatus",
	Roles:    "the admin role to create, change and delete departments, the agent role to read them",
	clone:    func(d Department) Department { return d },
	wire: func(in DepartmentInput) any {
		return map[string]any{
			"name": in.Name, "description": in.Description, "routing": in.Routing, "status": in.Status,
			"id_bot": nullIfEmpty(in.BotID), "bot_only": in.BotOnly, "id_group": nullIfEmpty(in.GroupID),
		}
	},
	same: func(d *Department, in DepartmentInput) bool {
		return d.Name == in.Name && d.Description == in.Description && d.Routing == in.Routing && d.Status == in.Status &&
			d.BotID == in.BotID && d.BotOnly == in.BotOnly && d.GroupID == in.GroupID
	},
}
