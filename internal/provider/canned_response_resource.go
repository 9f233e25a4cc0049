package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// tiledesk_canned_response: a text agents insert into conversations. The
// Terraform types are the generic ones; `shared` is what is its own: the
// server decides it on create (always true for owners and admins) and no
// update changes it.

type cannedResponseModel struct {
	objectModel
	Title  types.String `tfsdk:"title"`
	Text   types.String `tfsdk:"text"`
	Shared types.Bool   `tfsdk:"shared"`
}

var cannedResponseType = &objectType[cannedResponseModel, tiledesk.CannedResponse, tiledesk.CannedResponseInput]{
	objects: tiledesk.CannedResponses,
	description: "A canned response: a text a Tiledesk project's agents insert into conversations. `title` and `text` update it " +
		"in place; `shared` is decided when it is created and a change of it (or of `project_id`) replaces it. Edits and " +
		"deletions made in the dashboard show as drift. Needs the agent role in the project; an agent may change and delete " +
		"only the canned responses it created, the owner and admins only shared ones.",
	attributes: func() map[string]schema.Attribute {
		return map[string]schema.Attribute{
			"title": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Short name agents pick the canned response by. Omit it for none.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"text": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The text inserted into the conversation.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"shared": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Whether every member of the project sees the canned response (`true`), or only its creator (`false`). " +
					"Tiledesk decides it when the canned response is created: always `true` when the user is the project's owner or an admin, " +
					"otherwise `true` only when asked. So only `true` may be set: omit it to get what Tiledesk decides (a private one for an agent). " +
					"No update can change it: setting `shared = true` on a private canned response replaces it.",
				Validators:    []validator.Bool{onlyTrueValidator{}},
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown(), boolplanmodifier.RequiresReplace()},
			},
		}
	},
	readOnlyAttributes: map[string]dsschema.Attribute{
		"shared": dsschema.BoolAttribute{
			Computed:            true,
			MarkdownDescription: "Whether every member of the project sees the canned response (`true`), or only its creator (`false`).",
		},
	},
	nameAttr: "title",
	nameOf:   func(c *tiledesk.CannedResponse) string { return c.Title },
	nameIn:   func(in tiledesk.CannedResponseInput) string { return in.Title },
	base:     func(m *cannedResponseModel) *objectModel { return &m.objectModel },
	input: func(_ context.Context, p cannedResponseModel) (tiledesk.CannedResponseInput, diag.Diagnostics) {
		return tiledesk.CannedResponseInput{Title: p.Title.ValueString(), Text: p.Text.ValueString(), Shared: p.Shared.ValueBool()}, nil
	},
	state: func(_ context.Context, c *tiledesk.CannedResponse, _ *cannedResponseModel) (cannedResponseModel, diag.Diagnostics) {
		return cannedResponseModel{Title: nullIfEmpty(c.Title), Text: types.StringValue(c.Text), Shared: types.BoolValue(c.Shared)}, nil
	},
}

// onlyTrueValidator accepts shared = true only: false cannot be promised,
// since Tiledesk shares every canned response an owner or admin creates.
type onlyTrueValidator struct{}

func (onlyTrueValidator) Description(context.Context) string { return "only true may be set" }

func (v onlyTrueValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (onlyTrueValidator) ValidateBool(_ context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueBool() {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "shared = false cannot be promised",
		"Tiledesk decides whether a canned response is shared when it is created: it shares every canned response "+
			"that the project's owner or an admin creates, whatever is asked, and no update can change it afterwards. "+
			"Remove shared to let Tiledesk decide (an agent's canned response is then private to it), or set shared = true.")
}
