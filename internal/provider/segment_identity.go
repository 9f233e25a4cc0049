package provider

// Resource identity of tiledesk_segment: {project_id, id}. Terraform 1.12+
// and OpenTofu 1.12+ store it beside the state, import by it
// (`import { to = ..., identity = { ... } }`), and `terraform query` (1.14+)
// returns it for every segment the list resource finds. Older versions never
// ask for it and are unaffected.

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*segmentResource)(nil)

// segmentIdentityModel is a segment's identity. Neither value ever changes
// for the life of a segment: a change of project_id replaces the segment.
type segmentIdentityModel struct {
	ProjectID types.String `tfsdk:"project_id"`
	ID        types.String `tfsdk:"id"`
}

func (r *segmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = segmentIdentitySchema()
}

func segmentIdentitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"project_id": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "Project that owns the segment (24 hexadecimal characters). An import block may leave it out: the provider's `project_id` is used.",
			},
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The segment's id (24 hexadecimal characters).",
			},
		},
	}
}

// setSegmentIdentity stores {project_id, id} as a segment's identity. It is
// a no-op where the framework offers no identity (never for this resource,
// which declares an identity schema).
func setSegmentIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, project, id types.String, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	diags.Append(identity.Set(ctx, segmentIdentityModel{ProjectID: project, ID: id})...)
}

// importTarget is the project and segment an import names: a string id
// ("<segment id>" or "<project id>/<segment id>") or, from an import block's
// `identity` (Terraform/OpenTofu 1.12+), {project_id (optional), id}.
func (r *segmentResource) importTarget(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (project, id string, ok bool) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		project, id, err := parseImportID(req.ID, r.data.defaultProject())
		if err != nil {
			diags.AddError("Invalid import id", err.Error())
			return "", "", false
		}
		return project, id, true
	}
	var ident segmentIdentityModel
	diags.Append(req.Identity.Get(ctx, &ident)...)
	if diags.HasError() {
		return "", "", false
	}
	const usage = "An import identity is { id = \"<segment id>\" } (in the provider's project) or " +
		"{ project_id = \"<project id>\", id = \"<segment id>\" }, each a 24-character hexadecimal id."
	project, id = stringOr(ident.ProjectID, r.data.defaultProject()), ident.ID.ValueString()
	switch {
	case project == "":
		diags.AddAttributeError(path.Root("project_id"), "Invalid import identity",
			fmt.Sprintf("The identity names no project_id and the provider has no project_id (nor %s). %s", EnvProjectID, usage))
	case !isObjectID(project):
		diags.AddAttributeError(path.Root("project_id"), "Invalid import identity",
			fmt.Sprintf("The project_id %q is malformed. %s", project, usage))
	case !isObjectID(id):
		diags.AddAttributeError(path.Root("id"), "Invalid import identity",
			fmt.Sprintf("The id %q is malformed. %s", id, usage))
	default:
		return project, id, true
	}
	return "", "", false
}
