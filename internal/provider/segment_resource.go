package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	_ resource.ResourceWithIdentity    = (*segmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*segmentResource)(nil)
)

// segmentResource is tiledesk_segment; projectScoped gives it Configure,
// ModifyPlan and ImportState, and the start and failure of its Read.
type segmentResource struct {
	projectScoped
}

func newSegmentResource() resource.Resource {
	return &segmentResource{projectScoped{object: "segment"}}
}

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
			"project_id": r.projectIDAttribute(),
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
	setSegmentState(ctx, seg, plan.Filters, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *segmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state segmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, importing := r.beginRead(ctx, req, resp)
	if client == nil {
		return
	}
	project, id := state.ProjectID.ValueString(), state.ID.ValueString()
	seg, err := client.LiveSegment(ctx, project, id) // from the list when many are read
	if err != nil {
		r.readFailed(ctx, resp, importing, project, id, err)
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
	if seg.LiveIn(project) != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Segment %s was deleted outside Terraform", id),
			fmt.Sprintf("The segment %s of project %s was deleted after the last refresh, so it could not be updated. "+
				"Run terraform plan again: the refresh removes it from the state and the plan proposes to create it.", id, project))
		return
	}
	setSegmentState(ctx, seg, plan.Filters, &resp.State, resp.Identity, &resp.Diagnostics)
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

// setSegmentState records what the server answered to a create or update:
// the state (priorFilters keeps the user's spelling of equal values) and the
// identity.
func setSegmentState(ctx context.Context, seg *tiledesk.Segment, priorFilters types.List, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	m, d := segmentState(ctx, seg, priorFilters)
	diags.Append(d...)
	diags.Append(state.Set(ctx, m)...)
	setIdentity(ctx, identity, m.ProjectID, m.ID, diags)
}
