package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// privateImporting marks, in private state, a Read that follows an import:
// an object that is missing or foreign is then an error, not a removal.
const privateImporting = "importing"

// projectScoped is what the resource of any project-scoped Tiledesk object
// shares (every Tiledesk object belongs to a project). The resource embeds
// it, which gives it Configure, ModifyPlan, ImportState and IdentitySchema as
// they are; its schema has a string attribute id and project_id =
// projectIDAttribute(); its Read starts with beginRead and ends a failed read
// with readFailed; its Create and Update end with setIdentity.
//
//   - Plan: project_id comes from the provider when the configuration does
//     not set it (unknown while the provider's is unknown), and a change of
//     project replaces the object.
//   - Import: "<id>" (in the provider's project) or "<project id>/<id>", or
//     an identity {project_id, id} (Terraform and OpenTofu 1.12+).
//   - Identity: {project_id, id}, set on create, every read (also one that
//     removes the object, and under Terraform < 1.12, whose state holds none),
//     update and import; it never changes: a new project replaces the object.
//   - Read: an object gone (tiledesk.GoneError) is an error right after an
//     import, and on a refresh a warning that removes it from the state.
type projectScoped struct {
	// object names what the resource manages, in messages: "segment".
	object string
	// roles is the role the object's routes need, for messages (tiledesk.Objects.Roles).
	roles string
	data  *providerData
}

// projectIDAttribute is the schema of project_id, which ModifyPlan fills.
func (p *projectScoped) projectIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: fmt.Sprintf("Project that owns the %[1]s. Defaults to the provider's `project_id`. Changing it replaces the %[1]s.", p.object),
		Validators:          []validator.String{objectIDValidator()},
	}
}

func (p *projectScoped) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	p.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fills project_id from the provider when the configuration does
// not set it, and replaces the object when its project changes.
func (p *projectScoped) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var configProject, planProject, stateProject types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("project_id"), &configProject)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("project_id"), &planProject)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("project_id"), &stateProject)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	if configProject.IsNull() {
		switch {
		case p.data == nil:
			planProject = types.StringUnknown()
		case p.data.projectID != "":
			planProject = types.StringValue(p.data.projectID)
		case p.data.client == nil:
			planProject = types.StringUnknown() // the provider's project is not known yet
		default:
			p.data.projectOf(configProject, &resp.Diagnostics) // reports the missing project
			return
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("project_id"), planProject)...)
	}

	if !stateProject.IsNull() && (planProject.IsUnknown() || planProject.ValueString() != stateProject.ValueString()) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("project_id"))
	}
}

// ImportState accepts "<id>" (in the provider's project),
// "<project id>/<id>", or an identity. The Read that follows checks that the
// object is live and belongs to that project.
func (p *projectScoped) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	project, id, ok := p.importTarget(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), project)...)
	setIdentity(ctx, resp.Identity, types.StringValue(project), types.StringValue(id), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImporting, []byte("true"))...)
}

// importTarget is the project and object an import names: a string id or,
// from an import block's identity, {project_id (optional), id}.
func (p *projectScoped) importTarget(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (project, id string, ok bool) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		project, id, err := parseImportID(req.ID, p.data.defaultProject(), p.object)
		if err != nil {
			diags.AddError("Invalid import id", err.Error())
			return "", "", false
		}
		return project, id, true
	}
	var ident projectIdentityModel
	diags.Append(req.Identity.Get(ctx, &ident)...)
	if diags.HasError() {
		return "", "", false
	}
	usage := fmt.Sprintf("An import identity is { id = \"<%[1]s id>\" } (in the provider's project) or "+
		"{ project_id = \"<project id>\", id = \"<%[1]s id>\" }, each a 24-character hexadecimal id.", p.object)
	project, id = stringOr(ident.ProjectID, p.data.defaultProject()), ident.ID.ValueString()
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

// projectIdentityModel is the identity of a project-scoped object.
type projectIdentityModel struct {
	ProjectID types.String `tfsdk:"project_id"`
	ID        types.String `tfsdk:"id"`
}

func (p *projectScoped) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"project_id": identityschema.StringAttribute{
				OptionalForImport: true,
				Description: fmt.Sprintf("Project that owns the %s (24 hexadecimal characters). An import block may leave it out: "+
					"the provider's `project_id` is used.", p.object),
			},
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       fmt.Sprintf("The %s's id (24 hexadecimal characters).", p.object),
			},
		},
	}
}

// setIdentity stores {project_id, id} as an object's identity; a no-op where
// the framework offers none.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, project, id types.String, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	diags.Append(identity.Set(ctx, projectIdentityModel{ProjectID: project, ID: id})...)
}

func parseImportID(raw, defaultProject, object string) (project, id string, err error) {
	usage := fmt.Sprintf("Use \"<%[1]s id>\" (in the provider's project) or \"<project id>/<%[1]s id>\", each a 24-character hexadecimal id", object)
	parts := strings.Split(strings.TrimSpace(raw), "/")
	switch len(parts) {
	case 1:
		project, id = defaultProject, parts[0]
		if project == "" {
			return "", "", fmt.Errorf("%q names no project and the provider has no project_id (nor %s). %s", raw, EnvProjectID, usage)
		}
	case 2:
		project, id = parts[0], parts[1]
	default:
		return "", "", fmt.Errorf("%q has too many parts. %s", raw, usage)
	}
	if !isObjectID(project) {
		return "", "", fmt.Errorf("the project id %q in %q is malformed. %s", project, raw, usage)
	}
	if !isObjectID(id) {
		return "", "", fmt.Errorf("the %s id %q in %q is malformed. %s", object, id, raw, usage)
	}
	return project, id, nil
}

// beginRead starts a Read: it sets the identity, and returns the client, nil when the provider's
// configuration is unknown until apply (keep the state as it is), and
// whether this Read follows an import (the mark is cleared).
func (p *projectScoped) beginRead(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) (client *tiledesk.Client, importing bool) {
	// Every Read answers with the identity, from the prior state: also one
	// that removes the object, and one under Terraform < 1.12.
	var project, id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("project_id"), &project)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	setIdentity(ctx, resp.Identity, project, id, &resp.Diagnostics)
	if p.data == nil || p.data.client == nil {
		return nil, false
	}
	mark, diags := req.Private.GetKey(ctx, privateImporting)
	resp.Diagnostics.Append(diags...)
	if mark != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImporting, nil)...)
	}
	return p.data.client, mark != nil
}

// readFailed reports a Read's error. An object gone is an error right after
// an import; on a refresh it is a warning, and the object leaves the state
// so that the next plan creates it again.
func (p *projectScoped) readFailed(ctx context.Context, resp *resource.ReadResponse, importing bool, project, id string, err error) {
	var gone *tiledesk.GoneError
	switch {
	case !errors.As(err, &gone):
		resp.Diagnostics.Append(objectErrorDiag(p.roles, fmt.Sprintf("Could not read %s %s of project %s", p.object, id, project), err))
	case importing:
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot import %s %s", p.object, id),
			fmt.Sprintf("%s %s cannot be imported into project %s: %v. Only live %ss of the project can be imported: "+
				"check the id, and import a %s of another project as <project_id>/<%s_id>.", capitalize(p.object), id, project, gone, p.object, p.object, p.object))
	default:
		resp.Diagnostics.AddWarning(capitalize(p.object)+" deleted outside Terraform",
			fmt.Sprintf("%s %s of project %s is gone: %v. It has been removed from the Terraform state, "+
				"and the next plan proposes to create it again.", capitalize(p.object), id, project, gone))
		resp.State.RemoveResource(ctx)
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
