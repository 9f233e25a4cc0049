package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// tiledesk_segment: a named set of lead filters. The resource, the data
// sources tiledesk_segment and tiledesk_segments and the list resource are
// the generic ones (object_resource.go, object_data_sources.go); filters.go
// holds the filter schema and conversions.

type segmentModel struct {
	objectModel
	Name    types.String `tfsdk:"name"`
	Match   types.String `tfsdk:"match"`
	Filters types.List   `tfsdk:"filters"`
}

// segmentDescription is the resource's description.
const segmentDescription = "A segment: a named set of lead filters in a Tiledesk project. " +
	"Changes to `name`, `match` and `filters` update the segment in place; a change of `project_id` replaces it. " +
	"A segment edited in the dashboard shows as a change to converge; one deleted there is removed from the state and planned for creation. " +
	"Needs the agent role in the project."

var segmentType = &objectType[segmentModel, tiledesk.Segment, tiledesk.SegmentInput]{
	objects:     tiledesk.Segments,
	description: segmentDescription,
	attributes: func() map[string]schema.Attribute {
		return map[string]schema.Attribute{
			"name": nameAttribute("Name shown in the dashboard."),
			"match": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(tiledesk.MatchAll),
				MarkdownDescription: "`all` (default): a lead must pass every filter; `any`: one filter is enough.",
				Validators:          []validator.String{stringvalidator.OneOf(tiledesk.MatchAll, tiledesk.MatchAny)},
			},
			"filters": filtersResourceAttribute(),
		}
	},
	readOnlyAttributes: map[string]dsschema.Attribute{
		"match":   dsschema.StringAttribute{Computed: true, MarkdownDescription: "`all` or `any`."},
		"filters": filtersDataSourceAttribute(),
	},
	nameAttr: "name",
	nameOf:   func(s *tiledesk.Segment) string { return s.Name },
	nameIn:   func(in tiledesk.SegmentInput) string { return in.Name },
	base:     func(m *segmentModel) *objectModel { return &m.objectModel },
	input: func(ctx context.Context, plan segmentModel) (tiledesk.SegmentInput, diag.Diagnostics) {
		filters, diags := filtersToAPI(ctx, plan.Filters)
		return tiledesk.SegmentInput{Name: plan.Name.ValueString(), Match: plan.Match.ValueString(), Filters: filters}, diags
	},
	state: func(ctx context.Context, seg *tiledesk.Segment, prior *segmentModel) (segmentModel, diag.Diagnostics) {
		priorFilters := types.ListNull(filterObjectType)
		if prior != nil {
			priorFilters = prior.Filters // keeps the user's spelling of equal values
		}
		filters, diags := filtersFromAPI(ctx, seg.Filters, priorFilters)
		match := seg.Match
		if match == "" {
			match = tiledesk.MatchAll // the server's default
		}
		return segmentModel{Name: types.StringValue(seg.Name), Match: types.StringValue(match), Filters: filters}, diags
	},
}
