package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

var _ datasource.DataSourceWithConfigValidators = (*segmentDataSource)(nil)

type segmentDataSource struct {
	data *providerData
}

func newSegmentDataSource() datasource.DataSource { return &segmentDataSource{} }

// segmentDataSourceAttributes are a segment's attributes as data sources
// return them: the resource's, all computed.
func segmentDataSourceAttributes() map[string]schema.Attribute {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	return map[string]schema.Attribute{
		"id":         computed("The segment's id."),
		"project_id": computed("Project that owns the segment."),
		"name":       computed("Name of the segment."),
		"match":      computed("`all` or `any`."),
		"filters":    filtersDataSourceAttribute(),
		"created_at": computed("When the segment was created (RFC 3339)."),
		"updated_at": computed("When the segment was last changed (RFC 3339)."),
		"created_by": computed("Id of the user who created the segment."),
	}
}

func (d *segmentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_segment"
}

func (d *segmentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := segmentDataSourceAttributes()
	attrs["id"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Id of the segment to read. Exactly one of `id` and `name` is required.",
		Validators:          []validator.String{objectIDValidator()},
	}
	attrs["name"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Name of the segment to read. Names are not unique in Tiledesk: two live segments with this name are an error that lists their ids.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["project_id"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Project to look in. Defaults to the provider's `project_id`.",
		Validators:          []validator.String{objectIDValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one live segment of a project, by `id` or by `name`, with the same attributes as the `tiledesk_segment` resource.",
		Attributes:          attrs,
	}
}

func (d *segmentDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
}

func (d *segmentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *segmentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg segmentModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	client := d.data.clientOrError(&resp.Diagnostics)
	project := d.data.projectOf(cfg.ProjectID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var seg *tiledesk.Segment
	if !cfg.ID.IsNull() {
		seg = d.byID(ctx, client, project, cfg.ID.ValueString(), &resp.Diagnostics)
	} else {
		seg = d.byName(ctx, client, project, cfg.Name.ValueString(), &resp.Diagnostics)
	}
	if seg == nil {
		return
	}
	state, diags := segmentState(ctx, seg, types.ListNull(filterObjectType))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (d *segmentDataSource) byID(ctx context.Context, client *tiledesk.Client, project, id string, diags *diag.Diagnostics) *tiledesk.Segment {
	seg, err := client.LiveSegment(ctx, project, id)
	var gone *tiledesk.GoneError
	switch {
	case errors.As(err, &gone):
		diags.AddAttributeError(path.Root("id"), "Segment not found",
			fmt.Sprintf("No live segment %s in project %s: %v. Check the id and project_id.", id, project, gone))
		return nil
	case err != nil:
		diags.Append(apiErrorDiag(fmt.Sprintf("Could not read segment %s of project %s", id, project), err))
		return nil
	}
	return seg
}

func (d *segmentDataSource) byName(ctx context.Context, client *tiledesk.Client, project, name string, diags *diag.Diagnostics) *tiledesk.Segment {
	all, err := client.LiveSegments(ctx, project)
	if err != nil {
		diags.Append(apiErrorDiag(fmt.Sprintf("Could not list the segments of project %s", project), err))
		return nil
	}
	one, several := tiledesk.PickSegment(all, func(s tiledesk.Segment) bool { return s.Name == name })
	switch {
	case several != nil:
		diags.AddAttributeError(path.Root("name"), "Several segments have this name",
			fmt.Sprintf("%d live segments of project %s are named %q: %s. Look the one you mean up by id instead.", len(several), project, name, strings.Join(several, ", ")))
	case one == nil:
		diags.AddAttributeError(path.Root("name"), "Segment not found",
			fmt.Sprintf("No live segment named %q in project %s (%d segments looked at). Names are case-sensitive.", name, project, len(all)))
	}
	return one
}
