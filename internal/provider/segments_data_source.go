package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

type segmentsDataSource struct {
	data *providerData
}

func newSegmentsDataSource() datasource.DataSource { return &segmentsDataSource{} }

type segmentsDataModel struct {
	ProjectID  types.String   `tfsdk:"project_id"`
	NamePrefix types.String   `tfsdk:"name_prefix"`
	NameRegex  types.String   `tfsdk:"name_regex"`
	IDs        []types.String `tfsdk:"ids"`
	Segments   []segmentModel `tfsdk:"segments"`
}

func (d *segmentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_segments"
}

func (d *segmentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the live segments of a project, optionally only those whose name starts with `name_prefix` and matches `name_regex`. " +
			"Walks every page of the list. Segments come oldest first (by `created_at`, then `id`).",
		Attributes: map[string]schema.Attribute{
			"project_id": schema.StringAttribute{
				Optional: true, Computed: true,
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
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Ids of the segments, in the order of `segments`.",
			},
			"segments": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The segments, with the same attributes as the `tiledesk_segment` data source.",
				NestedObject:        schema.NestedAttributeObject{Attributes: segmentDataSourceAttributes()},
			},
		},
	}
}

func (d *segmentsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *segmentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg segmentsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	client := d.data.clientOrError(&resp.Diagnostics)
	project := d.data.projectOf(cfg.ProjectID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	kept, err := listSegmentsNamed(ctx, client, project, cfg.NamePrefix, cfg.NameRegex)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(fmt.Sprintf("Could not list the segments of project %s", project), err))
		return
	}

	cfg.ProjectID = types.StringValue(project)
	cfg.IDs = make([]types.String, len(kept))
	cfg.Segments = make([]segmentModel, len(kept))
	for i := range kept {
		m, diags := segmentState(ctx, &kept[i], types.ListNull(filterObjectType))
		resp.Diagnostics.Append(diags...)
		cfg.IDs[i], cfg.Segments[i] = m.ID, m
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

// The name filters of the tiledesk_segments data source and the
// tiledesk_segment list resource, which listSegmentsNamed applies.
const (
	namePrefixDescription = "Keep only segments whose name starts with this text (case-sensitive)."
	nameRegexDescription  = "Keep only segments whose name matches this regular expression " +
		"([RE2 syntax](https://github.com/google/re2/wiki/Syntax)); `(?i)` makes it case-insensitive."
)

// listSegmentsNamed lists the live segments of a project (every page) whose
// name starts with prefix and matches the regular expression nameRegex (each
// filter applies when set), oldest first. The tiledesk_segments data source
// and the tiledesk_segment list resource share it; nameRegex was validated at
// plan time by regexValidator.
func listSegmentsNamed(ctx context.Context, client *tiledesk.Client, project string, prefix, nameRegex types.String) ([]tiledesk.Segment, error) {
	var re *regexp.Regexp
	if !nameRegex.IsNull() {
		re = regexp.MustCompile(nameRegex.ValueString()) // validated at plan time
	}
	all, err := client.LiveSegments(ctx, project) // a copy: filtered in place below
	if err != nil {
		return nil, err
	}
	kept := all[:0]
	for _, s := range all {
		if strings.HasPrefix(s.Name, prefix.ValueString()) && (re == nil || re.MatchString(s.Name)) {
			kept = append(kept, s)
		}
	}
	sortSegments(kept)
	return kept, nil
}

// sortSegments orders segments oldest first, then by id: a stable order
// whatever order the server's pages came in.
func sortSegments(segs []tiledesk.Segment) {
	sort.Slice(segs, func(i, j int) bool {
		if !segs[i].CreatedAt.Equal(segs[j].CreatedAt) {
			return segs[i].CreatedAt.Before(segs[j].CreatedAt)
		}
		return segs[i].ID < segs[j].ID
	})
}

// regexValidator checks that a string compiles as a Go regular expression.
type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a valid RE2 regular expression"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("%q is not a valid RE2 regular expression: %v.", req.ConfigValue.ValueString(), err))
	}
}
