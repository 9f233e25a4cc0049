package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

const (
	defaultLeadsLimit = 100
	maxLeadsLimit     = 1000
)

type leadsDataSource struct {
	data *providerData
}

func newLeadsDataSource() datasource.DataSource { return &leadsDataSource{} }

type leadsDataModel struct {
	ProjectID types.String `tfsdk:"project_id"`
	SegmentID types.String `tfsdk:"segment_id"`
	Limit     types.Int64  `tfsdk:"limit"`
	Count     types.Int64  `tfsdk:"total"`
	Leads     []leadModel  `tfsdk:"leads"`
}

type leadModel struct {
	ID        types.String   `tfsdk:"id"`
	LeadID    types.String   `tfsdk:"lead_id"`
	Fullname  types.String   `tfsdk:"fullname"`
	Email     types.String   `tfsdk:"email"`
	Phone     types.String   `tfsdk:"phone"`
	Company   types.String   `tfsdk:"company"`
	Tags      []types.String `tfsdk:"tags"`
	CreatedAt types.String   `tfsdk:"created_at"`
}

func (d *leadsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_leads"
}

func (d *leadsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the leads of a project, or only those a segment matches, as the Tiledesk server selects them: " +
			"useful to review whom a segment reaches before a change is applied.\n\n" +
			"~> The Tiledesk 2.19 server ANDs all of a segment's filters even when `match = \"any\"`, and never answers for a segment " +
			"with a `starts with` filter or with a `contains` value that is not a valid regular expression: such a read fails when `request_timeout` runs out.",
		Attributes: map[string]schema.Attribute{
			"project_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Project to read. Defaults to the provider's `project_id`.",
				Validators:          []validator.String{objectIDValidator()},
			},
			"segment_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the leads this segment of the project matches. A deleted segment still selects leads.",
				Validators:          []validator.String{objectIDValidator()},
			},
			"limit": schema.Int64Attribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: fmt.Sprintf("How many leads to return at most, from 1 to %d (default %d), newest first.", maxLeadsLimit, defaultLeadsLimit),
				Validators:          []validator.Int64{int64validator.Between(1, maxLeadsLimit)},
			},
			"total": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "How many leads match in all, as the server counts them (may exceed `limit`). Named `total` because Terraform reserves `count`.",
			},
			"leads": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The leads, newest first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         computed("The lead's id."),
					"lead_id":    computed("The lead's id in its channel."),
					"fullname":   computed("Full name."),
					"email":      computed("Email address."),
					"phone":      computed("Phone number."),
					"company":    computed("Company."),
					"tags":       schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Tags."},
					"created_at": computed("When the lead was created (RFC 3339)."),
				}},
			},
		},
	}
}

func (d *leadsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *leadsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg leadsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	client := d.data.clientOrError(&resp.Diagnostics)
	project := d.data.projectOf(cfg.ProjectID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Limit.IsNull() {
		cfg.Limit = types.Int64Value(defaultLeadsLimit)
	}
	segmentID := cfg.SegmentID.ValueString()
	leads, count, err := client.ListLeads(ctx, project, segmentID, int(cfg.Limit.ValueInt64()))
	switch {
	case err != nil && segmentID != "" && tiledesk.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("segment_id"), "Segment not found",
			fmt.Sprintf("Project %s has no segment %s (%v). Check segment_id and project_id.", project, segmentID, err))
		return
	case err != nil:
		what := "the leads of project " + project
		if segmentID != "" {
			what = fmt.Sprintf("the leads of segment %s of project %s", segmentID, project)
		}
		resp.Diagnostics.Append(apiErrorDiag("Could not list "+what, err))
		return
	}
	cfg.ProjectID = types.StringValue(project)
	cfg.Count = types.Int64Value(int64(count))
	cfg.Leads = make([]leadModel, len(leads))
	for i, l := range leads {
		tags := make([]types.String, len(l.Tags))
		for j, t := range l.Tags {
			tags[j] = types.StringValue(t)
		}
		cfg.Leads[i] = leadModel{
			ID: types.StringValue(l.ID), LeadID: types.StringValue(l.LeadID), Fullname: types.StringValue(l.Fullname),
			Email: types.StringValue(l.Email), Phone: types.StringValue(l.Phone), Company: types.StringValue(l.Company),
			Tags: tags, CreatedAt: timeValue(l.CreatedAt),
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}
