package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// tiledesk_department: where a project routes conversations, to its agents
// (pooled or assigned) or a bot. The Terraform types are the generic ones.

type departmentModel struct {
	objectModel
	Name                 types.String `tfsdk:"name"`
	Description          types.String `tfsdk:"description"`
	Routing              types.String `tfsdk:"routing"`
	Status               types.Int64  `tfsdk:"status"`
	BotID                types.String `tfsdk:"id_bot"`
	BotOnly              types.Bool   `tfsdk:"bot_only"`
	GroupID              types.String `tfsdk:"id_group"`
	Default              types.Bool   `tfsdk:"default"`
	AllowDefaultDeletion types.Bool   `tfsdk:"allow_default_deletion"`
}

// departmentDescription is the resource's description.
const departmentDescription = "A department: where a Tiledesk project routes conversations, to its agents or to a bot. " +
	"Every attribute updates the department in place; a change of `project_id` replaces it. " +
	"Edits and deletions made in the dashboard show as drift. Needs the admin role in the project (the agent role to read). " +
	"The project's default department, which Tiledesk makes with the project, is adopted by import (or read with the " +
	"`tiledesk_department` data source and `default = true`); deleting it needs `allow_default_deletion = true`."

var departmentType = &objectType[departmentModel, tiledesk.Department, tiledesk.DepartmentInput]{
	objects:     tiledesk.Departments,
	description: departmentDescription,
	attributes: func() map[string]schema.Attribute {
		return map[string]schema.Attribute{
			"name": nameAttribute("Name shown to visitors and agents."),
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Description shown in the dashboard. Omit it for none.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"routing": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:             stringdefault.StaticString(tiledesk.RoutingPooled),
				MarkdownDescription: "`pooled` (default): a conversation is offered to every available agent; `assigned`: Tiledesk assigns it to one agent.",
				Validators:          []validator.String{stringvalidator.OneOf(tiledesk.RoutingPooled, tiledesk.RoutingAssigned)},
			},
			"status": schema.Int64Attribute{
				Optional: true, Computed: true,
				Default: int64default.StaticInt64(tiledesk.DepartmentVisible),
				MarkdownDescription: "`1` (default): visible, visitors may pick it in the widget; `0`: hidden from the widget; " +
					"`-1`: hidden from the widget and from the dashboard's list.",
				Validators: []validator.Int64{int64validator.OneOf(tiledesk.DepartmentVisible, tiledesk.DepartmentHidden, tiledesk.DepartmentHiddenFromAll)},
			},
			"id_bot": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Id of the bot that answers first in this department. Omit it for none.",
				Validators:          []validator.String{objectIDValidator()},
			},
			"bot_only": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "`true`: only the bot answers, never an agent. Needs `id_bot`.",
				Validators:          []validator.Bool{botOnlyValidator{}},
			},
			"id_group": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Id of the group of agents (`tiledesk_group`) that this department routes to; omit it for every agent of the project.",
				Validators:          []validator.String{objectIDValidator()},
			},
			"default": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether this is the project's default department, the one Tiledesk made with the project.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"allow_default_deletion": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(false),
				MarkdownDescription: "Only for the default department (`default = true`): deleting it breaks the routing of conversations that name no department, " +
					"so destroying it is an error unless this is `true` (set it, apply, then destroy). To stop managing it without deleting it, " +
					"remove it from the state instead (a `removed` block, or `terraform state rm`).",
			},
		}
	},
	resourceOnly: []string{"allow_default_deletion"},
	nameAttr:     "name",
	nameOf:       func(d *tiledesk.Department) string { return d.Name },
	nameIn:       func(in tiledesk.DepartmentInput) string { return in.Name },
	selectors:    []boolSelector[tiledesk.Department]{{attr: "default", is: func(d *tiledesk.Department) bool { return d.Default }}},
	base:         func(m *departmentModel) *objectModel { return &m.objectModel },
	input: func(_ context.Context, p departmentModel) (tiledesk.DepartmentInput, diag.Diagnostics) {
		return tiledesk.DepartmentInput{
			Name: p.Name.ValueString(), Description: p.Description.ValueString(), Routing: p.Routing.ValueString(),
			Status: int(p.Status.ValueInt64()), BotID: p.BotID.ValueString(), BotOnly: p.BotOnly.ValueBool(), GroupID: p.GroupID.ValueString(),
		}, nil
	},
	state: func(_ context.Context, d *tiledesk.Department, prior *departmentModel) (departmentModel, diag.Diagnostics) {
		allow := types.BoolValue(false)
		if prior != nil && !prior.AllowDefaultDeletion.IsNull() && !prior.AllowDefaultDeletion.IsUnknown() {
			allow = prior.AllowDefaultDeletion
		}
		return departmentModel{
			Name: types.StringValue(d.Name), Description: nullIfEmpty(d.Description), Routing: types.StringValue(d.Routing),
			Status: types.Int64Value(int64(d.Status)), BotID: nullIfEmpty(d.BotID), BotOnly: types.BoolValue(d.BotOnly),
			GroupID: nullIfEmpty(d.GroupID), Default: types.BoolValue(d.Default), AllowDefaultDeletion: allow,
		}, nil
	},
	checkDelete: func(state departmentModel) diag.Diagnostics {
		var diags diag.Diagnostics
		if state.Default.ValueBool() && !state.AllowDefaultDeletion.ValueBool() {
			diags.AddAttributeError(path.Root("allow_default_deletion"), "Refusing to delete the default department",
				fmt.Sprintf("Department %s (%q) is the default department of project %s: Tiledesk routes every conversation that names no department to it, "+
					"and deleting it breaks that routing. Nothing was deleted.\n\n"+
					"To delete it anyway, set allow_default_deletion = true, apply, then destroy. To stop managing it without deleting it, "+
					"remove it from the state with a `removed` block (Terraform 1.7+) or `terraform state rm`.",
					state.ID.ValueString(), state.Name.ValueString(), state.ProjectID.ValueString()))
		}
		return diags
	},
}

// botOnlyValidator: bot_only = true needs id_bot (the server drops bot_only
// without a bot).
type botOnlyValidator struct{}

func (botOnlyValidator) Description(context.Context) string { return "true needs id_bot" }

func (v botOnlyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (botOnlyValidator) ValidateBool(ctx context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	if !req.ConfigValue.ValueBool() {
		return
	}
	var bot types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id_bot"), &bot)...)
	if bot.IsNull() {
		resp.Diagnostics.AddAttributeError(req.Path, "bot_only needs a bot",
			"bot_only = true means only the department's bot answers, and no id_bot is set: set id_bot, or remove bot_only.")
	}
}
