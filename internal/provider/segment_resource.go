package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

var (
	_ resource.ResourceWithConfigure   = (*segmentResource)(nil)
	_ resource.ResourceWithImportState = (*segmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*segmentResource)(nil)
)

// privateImporting marks, in private state, a Read that follows an import:
// a segment that is missing or foreign is then an error, not a removal.
const privateImporting = "importing"

type segmentResource struct {
	data *providerData
}

func newSegmentResource() resource.Resource { return &segmentResource{} }

type segmentModel struct {
	ID        types.String `tfsdk:"id"`
	ProjectID types.String `tfsdk:"project_id"`
	Name      types.String `tfsdk:"name"`
	Match     types.String `tfsdk:"match"`
	Filters   types.List   `tfsdk:"filters"`
	CreatedAt types.String `tfsdk:"created_at"`
	UpdatedAt types.String `tfsdk:"updated_at"`
	CreatedBy types.String `tfsdk:"created_by"`
}

func (r *segmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_segment"
}

func (r *segmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A segment: a named set of lead filters in a Tiledesk project. " +
			"Changes to `name`, `match` and `filters` update the segment in place; a change of `project_id` replaces it. " +
			"A segment edited in the dashboard shows as a change to converge; one deleted there is removed from the state and planned for creation.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The segment's id (24 hexadecimal characters).",
				PlanModifiers:       keep,
			},
			"project_id": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Project that owns the segment. Defaults to the provider's `project_id`. Changing it replaces the segment.",
				Validators:          []validator.String{objectIDValidator()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name shown in the dashboard. Tiledesk does not require names to be unique.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"match": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(tiledesk.MatchAll),
				MarkdownDescription: "`all` (default): a lead must pass every filter; `any`: one filter is enough.",
				Validators:          []validator.String{stringvalidator.OneOf(tiledesk.MatchAll, tiledesk.MatchAny)},
			},
			"filters": filtersResourceAttribute(),
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the segment was created (RFC 3339).",
				PlanModifiers:       keep,
			},
			"updated_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the segment was last changed (RFC 3339).",
			},
			"created_by": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Id of the user who created the segment.",
				PlanModifiers:       keep,
			},
		},
	}
}

func (r *segmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fills project_id from the provider when the configuration does
// not set it, and replaces the segment when its project changes.
func (r *segmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
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
		case r.data == nil:
			planProject = types.StringUnknown()
		case r.data.projectID != "":
			planProject = types.StringValue(r.data.projectID)
		case r.data.client == nil:
			planProject = types.StringUnknown() // the provider's project is not known yet
		default:
			r.data.projectOf(configProject, &resp.Diagnostics) // reports the missing project
			return
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("project_id"), planProject)...)
	}

	if !stateProject.IsNull() && (planProject.IsUnknown() || planProject.ValueString() != stateProject.ValueString()) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("project_id"))
	}
}

func (r *segmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client, plan, in := r.planned(ctx, req.Plan, &resp.Diagnostics)
	if client == nil {
		return
	}
	project := plan.ProjectID.ValueString()
	seg := r.data.creates.createSegment(ctx, client, project, in, &resp.Diagnostics)
	if seg == nil {
		return
	}
	if seg.ProjectID != project { // the client already refuses an answer without an id
		resp.Diagnostics.AddError("Unexpected answer to segment creation",
			fmt.Sprintf("The server answered the creation in project %s with segment %q of project %q. Check that api_url points at a Tiledesk server.", project, seg.ID, seg.ProjectID))
		return
	}
	state, diags := segmentState(ctx, seg, plan.Filters)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	setSegmentIdentity(ctx, resp.Identity, state.ProjectID, state.ID, &resp.Diagnostics)
}

func (r *segmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state segmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Every Read answers with the identity, also one that removes the segment
	// and one under Terraform < 1.12, whose state holds none yet.
	setSegmentIdentity(ctx, resp.Identity, state.ProjectID, state.ID, &resp.Diagnostics)
	if r.data == nil || r.data.client == nil {
		return // provider configuration unknown until apply: keep the state as it is
	}
	importing, diags := req.Private.GetKey(ctx, privateImporting)
	resp.Diagnostics.Append(diags...)
	if importing != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImporting, nil)...)
	}

	project, id := state.ProjectID.ValueString(), state.ID.ValueString()
	seg, err := r.data.client.LookupSegment(ctx, project, id) // from the list when many are read
	reason := ""
	switch {
	case tiledesk.IsNotFound(err):
		reason = "no segment has this id (the server answered 404)"
	case err != nil:
		resp.Diagnostics.Append(apiErrorDiag(fmt.Sprintf("Could not read segment %s of project %s", id, project), err))
		return
	case !seg.Live():
		reason = fmt.Sprintf("the segment %q is deleted (status %d)", seg.Name, seg.Status)
	case seg.ProjectID != project:
		reason = fmt.Sprintf("the segment belongs to project %q, not to project %s", seg.ProjectID, project)
	}
	if reason != "" {
		if importing != nil {
			resp.Diagnostics.AddError("Cannot import segment "+id,
				fmt.Sprintf("Segment %s cannot be imported into project %s: %s. Only live segments of the project can be imported: "+
					"check the id, and import a segment of another project as <project_id>/<segment_id>.", id, project, reason))
			return
		}
		resp.Diagnostics.AddWarning("Segment deleted outside Terraform",
			fmt.Sprintf("Segment %s of project %s is gone: %s. It has been removed from the Terraform state, "+
				"and the next plan proposes to create it again.", id, project, reason))
		resp.State.RemoveResource(ctx)
		return
	}
	newState, diags := segmentState(ctx, seg, state.Filters)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
}

func (r *segmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	client, plan, in := r.planned(ctx, req.Plan, &resp.Diagnostics)
	if client == nil {
		return
	}
	project, id := plan.ProjectID.ValueString(), plan.ID.ValueString()
	seg, err := client.UpdateSegment(ctx, project, id, in)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(fmt.Sprintf("Could not update segment %s of project %s", id, project), err))
		return
	}
	// PUT upserts: a segment deleted since the refresh comes back deleted
	// (status 0) or, when it was removed for good, as a new record without
	// a project. Neither is the segment this resource manages.
	if !seg.Live() || seg.ProjectID != project {
		resp.Diagnostics.AddError(fmt.Sprintf("Segment %s was deleted outside Terraform", id),
			fmt.Sprintf("The segment %s of project %s was deleted after the last refresh, so it could not be updated. "+
				"Run terraform plan again: the refresh removes it from the state and the plan proposes to create it.", id, project))
		return
	}
	state, diags := segmentState(ctx, seg, plan.Filters)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	setSegmentIdentity(ctx, resp.Identity, state.ProjectID, state.ID, &resp.Diagnostics)
}

func (r *segmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	client := r.data.clientOrError(&resp.Diagnostics)
	var state segmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || client == nil {
		return
	}
	project, id := state.ProjectID.ValueString(), state.ID.ValueString()
	// DELETE only sets status 0; a segment already deleted, or missing
	// (404), is the wanted outcome.
	if _, err := client.DeleteSegment(ctx, project, id); err != nil && !tiledesk.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag(fmt.Sprintf("Could not delete segment %s of project %s", id, project), err))
	}
}

// ImportState accepts "<segment id>" (in the provider's project) and
// "<project id>/<segment id>", or an identity (see importTarget). The Read
// that follows checks that the segment is live and belongs to that project.
func (r *segmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	project, id, ok := r.importTarget(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), project)...)
	setSegmentIdentity(ctx, resp.Identity, types.StringValue(project), types.StringValue(id), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImporting, []byte("true"))...)
}

func parseImportID(raw, defaultProject string) (project, id string, err error) {
	const usage = "Use \"<segment id>\" (in the provider's project) or \"<project id>/<segment id>\", each a 24-character hexadecimal id"
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
		return "", "", fmt.Errorf("the segment id %q in %q is malformed. %s", id, raw, usage)
	}
	return project, id, nil
}

// planned reads the plan of a create or update and what it sends; the client
// is nil when anything failed (the error is in diags).
func (r *segmentResource) planned(ctx context.Context, p tfsdk.Plan, diags *diag.Diagnostics) (*tiledesk.Client, segmentModel, tiledesk.SegmentInput) {
	var plan segmentModel
	client := r.data.clientOrError(diags)
	diags.Append(p.Get(ctx, &plan)...)
	filters, d := filtersToAPI(ctx, plan.Filters)
	diags.Append(d...)
	if diags.HasError() {
		return nil, plan, tiledesk.SegmentInput{}
	}
	return client, plan, tiledesk.SegmentInput{Name: plan.Name.ValueString(), Match: plan.Match.ValueString(), Filters: filters}
}

// segmentState is the state for a segment as the server answered it;
// priorFilters (plan or state) keeps the user's spelling of equal values.
func segmentState(ctx context.Context, seg *tiledesk.Segment, priorFilters types.List) (segmentModel, diag.Diagnostics) {
	filters, diags := filtersFromAPI(ctx, seg.Filters, priorFilters)
	match := seg.Match
	if match == "" {
		match = tiledesk.MatchAll // the server's default
	}
	return segmentModel{
		ID:        types.StringValue(seg.ID),
		ProjectID: types.StringValue(seg.ProjectID),
		Name:      types.StringValue(seg.Name),
		Match:     types.StringValue(match),
		Filters:   filters,
		CreatedAt: timeValue(seg.CreatedAt),
		UpdatedAt: timeValue(seg.UpdatedAt),
		CreatedBy: types.StringValue(seg.CreatedBy),
	}, diags
}

// timeValue renders a server timestamp as RFC 3339 with milliseconds, as the
// server writes it.
func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringValue("")
	}
	return types.StringValue(t.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
}
