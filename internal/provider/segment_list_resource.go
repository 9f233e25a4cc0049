package provider

// The tiledesk_segment list resource: `terraform query` (Terraform 1.14+)
// enumerates a project's live segments with it, and
// `terraform query -generate-config-out=FILE` writes a resource block and an
// import block (by identity) for each, which adopts a whole project at once.

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResourceWithConfigure     = (*segmentListResource)(nil)
	_ provider.ProviderWithListResources = (*tiledeskProvider)(nil)
)

func (p *tiledeskProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{newSegmentListResource}
}

type segmentListResource struct {
	data *providerData
}

func newSegmentListResource() list.ListResource { return &segmentListResource{} }

type segmentListModel struct {
	ProjectID  types.String `tfsdk:"project_id"`
	NamePrefix types.String `tfsdk:"name_prefix"`
	NameRegex  types.String `tfsdk:"name_regex"`
}

func (r *segmentListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_segment"
}

func (r *segmentListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the live segments of a project for `terraform query` (Terraform 1.14 and later), optionally only those whose name " +
			"starts with `name_prefix` and matches `name_regex`, oldest first. Each result has the segment's identity (`project_id`, `id`), " +
			"its name as display name and, with `include_resource = true`, every attribute of the `tiledesk_segment` resource. " +
			"`terraform query -generate-config-out=FILE` writes a resource block and an import block for each.",
		Attributes: map[string]schema.Attribute{
			"project_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Project to list. Defaults to the provider's `project_id`.",
				Validators:          []validator.String{objectIDValidator()},
			},
			"name_prefix": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: namePrefixDescription,
			},
			"name_regex": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: nameRegexDescription,
				Validators:          []validator.String{regexValidator{}},
			},
		},
	}
}

func (r *segmentListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List reads every page of the project's segments (one request per 100
// segments), then streams the matching ones, at most req.Limit of them.
func (r *segmentListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg segmentListModel
	diags := req.Config.Get(ctx, &cfg)
	client := r.data.clientOrError(&diags)
	project := r.data.projectOf(cfg.ProjectID, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	segs, err := listSegmentsNamed(ctx, client, project, cfg.NamePrefix, cfg.NameRegex)
	if err != nil {
		diags.Append(apiErrorDiag(fmt.Sprintf("Could not list the segments of project %s", project), err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range segs {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			seg := &segs[i]
			result := req.NewListResult(ctx)
			result.DisplayName = seg.Name
			setIdentity(ctx, result.Identity, types.StringValue(seg.ProjectID), types.StringValue(seg.ID), &result.Diagnostics)
			if req.IncludeResource {
				state, d := segmentState(ctx, seg, types.ListNull(filterObjectType))
				result.Diagnostics.Append(d...)
				result.Diagnostics.Append(result.Resource.Set(ctx, state)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
