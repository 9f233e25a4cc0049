package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// tiledesk_tag: a label of a project's conversations and contacts, unique by
// name in the project. The Terraform types are the generic ones; the
// client refuses to create or rename onto a name the project has.

type tagModel struct {
	objectModel
	Tag   types.String `tfsdk:"tag"`
	Color types.String `tfsdk:"color"`
}

var tagType = &objectType[tagModel, tiledesk.Tag, tiledesk.TagInput]{
	objects: tiledesk.Tags,
	description: "A tag of a Tiledesk project, which agents put on conversations and contacts. A project has one tag per name: " +
		"creating one whose name exists is an error that names it and its import command (Tiledesk would answer with the existing tag), " +
		"and so is a rename onto an existing name. Every attribute updates the tag in place; a change of `project_id` replaces it. " +
		"Edits and deletions made in the dashboard show as drift. Needs the agent role in the project.",
	attributes: func() map[string]schema.Attribute {
		return map[string]schema.Attribute{
			"tag": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The tag itself, unique in the project: exact and case-sensitive (`vip`, `VIP` and `vip ` are three tags).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"color": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Color shown in the dashboard, such as `#43B1F2` (Tiledesk stores any text). Omit it for none.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		}
	},
	readOnlyAttributes: map[string]dsschema.Attribute{
		"color": dsschema.StringAttribute{Computed: true, MarkdownDescription: "Color shown in the dashboard; null for none."},
	},
	nameAttr: "tag",
	nameOf:   func(t *tiledesk.Tag) string { return t.Name },
	nameIn:   func(in tiledesk.TagInput) string { return in.Name },
	base:     func(m *tagModel) *objectModel { return &m.objectModel },
	input: func(_ context.Context, p tagModel) (tiledesk.TagInput, diag.Diagnostics) {
		return tiledesk.TagInput{Name: p.Tag.ValueString(), Color: p.Color.ValueString()}, nil
	},
	state: func(_ context.Context, t *tiledesk.Tag, _ *tagModel) (tagModel, diag.Diagnostics) {
		return tagModel{Tag: types.StringValue(t.Name), Color: nullIfEmpty(t.Color)}, nil
	},
}
