package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// tiledesk_group: a named set of a project's teammates, which a department
// routes its conversations to. The Terraform types are the generic ones.

type groupModel struct {
	objectModel
	Name    types.String `tfsdk:"name"`
	Members types.Set    `tfsdk:"members"`
	Enabled types.Bool   `tfsdk:"enabled"`
}

var groupType = &objectType[groupModel, tiledesk.Group, tiledesk.GroupInput]{
	objects: tiledesk.Groups,
	description: "A group of teammates in a Tiledesk project: a department (`tiledesk_department.id_group`) routes its " +
		"conversations to the group's members only. Every attribute updates the group in place; a change of `project_id` " +
		"replaces it. Edits and deletions made in the dashboard show as drift. Needs the agent role in the project. " +
		"Tiledesk refuses to delete or disable a group that a department names in `id_group`: the error names the departments.",
	attributes: func() map[string]schema.Attribute {
		return map[string]schema.Attribute{
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name shown in the dashboard. Tiledesk does not require names to be unique.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"members": schema.SetAttribute{
				Optional: true, Computed: true,
				ElementType:         types.StringType,
				Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, []attr.Value{})),
				MarkdownDescription: "User ids of the teammates in the group (24 hexadecimal characters each). Omitted or `[]`: none. Tiledesk does not check them against the project's teammates.",
				Validators:          []validator.Set{setvalidator.ValueStringsAre(objectIDValidator())},
			},
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(true),
				MarkdownDescription: "`true` (default): departments route to the group; `false`: disabled. Tiledesk refuses to disable " +
					"a group that a department names in `id_group`.",
			},
		}
	},
	readOnlyAttributes: map[string]dsschema.Attribute{
		"members": dsschema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "User ids of the teammates in the group."},
		"enabled": dsschema.BoolAttribute{Computed: true, MarkdownDescription: "Whether departments route to the group (`false`: disabled)."},
	},
	nameAttr: "name",
	nameOf:   func(g *tiledesk.Group) string { return g.Name },
	nameIn:   func(in tiledesk.GroupInput) string { return in.Name },
	base:     func(m *groupModel) *objectModel { return &m.objectModel },
	input: func(ctx context.Context, p groupModel) (tiledesk.GroupInput, diag.Diagnostics) {
		in := tiledesk.GroupInput{Name: p.Name.ValueString(), Members: []string{}}
		diags := p.Members.ElementsAs(ctx, &in.Members, false)
		slices.Sort(in.Members) // one order for the same set: a retried create sends the same
		return in, diags
	},
	state: func(ctx context.Context, g *tiledesk.Group, _ *groupModel) (groupModel, diag.Diagnostics) {
		members := append([]string{}, g.Members...) // the server keeps duplicates; the set holds each once
		slices.Sort(members)
		set, diags := types.SetValueFrom(ctx, types.StringType, slices.Compact(members))
		return groupModel{Name: types.StringValue(g.Name), Members: set, Enabled: types.BoolValue(g.Enabled)}, diags
	},
	// The server's POST and PUT ignore enabled: the enable and disable routes set it.
	written: func(ctx context.Context, c *tiledesk.Client, project string, g *tiledesk.Group, plan groupModel, _ bool) (*tiledesk.Group, error) {
		if plan.Enabled.IsUnknown() || plan.Enabled.ValueBool() == g.Enabled {
			return g, nil
		}
		return tiledesk.SetGroupEnabled(ctx, c, project, g.ID, plan.Enabled.ValueBool())
	},
	refused: groupInUse,
}

// groupInUse explains a delete or a disable that the server refused (403)
// because a department of the project names the group in its id_group: it
// looks the departments up, as the server's answer does not name them.
func groupInUse(ctx context.Context, c *tiledesk.Client, project, id string, err error) string {
	if tiledesk.Classify(err) != tiledesk.KindForbidden {
		return ""
	}
	deps, lerr := tiledesk.Departments.LiveAll(ctx, c, project)
	if lerr != nil {
		return ""
	}
	var users []string
	for _, d := range deps {
		if d.GroupID == id {
			users = append(users, fmt.Sprintf("%q (%s)", d.Name, d.ID))
		}
	}
	if len(users) == 0 {
		return fmt.Sprintf("Tiledesk refuses to delete or disable a group that a department of the project names in its id_group, and none of the "+
			"departments it lists does: look for one with status -1 (hidden from every list) that names group %s. Nothing was changed.", id)
	}
	return fmt.Sprintf("Tiledesk refuses to delete or disable a group that a department names in its id_group, and group %s is the group of "+
		"department %s of project %s. Nothing was changed: the group stays in the state. Change the departments' id_group (or remove it), "+
		"apply, then delete or disable the group.", id, strings.Join(users, ", "), project)
}
