// Package provider implements the Tiledesk Terraform provider on
// terraform-plugin-framework.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// Environment variables read when the matching attribute is not set.
const (
	EnvAPIURL         = "TILEDESK_API_URL"
	EnvProjectID      = "TILEDESK_PROJECT_ID"
	EnvToken          = "TILEDESK_TOKEN"
	EnvEmail          = "TILEDESK_EMAIL"
	EnvPassword       = "TILEDESK_PASSWORD"
	EnvRequestTimeout = "TILEDESK_REQUEST_TIMEOUT"
	EnvMaxRetries     = "TILEDESK_MAX_RETRIES"
)

var _ provider.Provider = (*tiledeskProvider)(nil)

type tiledeskProvider struct {
	version string
	// configure, when set (tests), adjusts the client configuration.
	configure func(*tiledesk.Config)
}

// New returns a constructor of the provider, as providerserver wants it.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &tiledeskProvider{version: version} }
}

type providerModel struct {
	APIURL         types.String `tfsdk:"api_url"`
	ProjectID      types.String `tfsdk:"project_id"`
	Token          types.String `tfsdk:"token"`
	Email          types.String `tfsdk:"email"`
	Password       types.String `tfsdk:"password"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
}

// providerData is what resources and data sources receive. client is nil when
// the provider configuration held values unknown until apply.
type providerData struct {
	client    *tiledesk.Client
	projectID string
	creates   *createGuard // shared by the creates of this provider process (object_create.go)
}

// providerDataFrom reads the provider's data in the Configure of a resource
// or data source; nil (before the provider is configured) stays nil.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider: please report it.", v))
	}
	return data
}

// clientOrError returns the API client, or adds an error when the provider
// could not build one.
func (d *providerData) clientOrError(diags *diag.Diagnostics) *tiledesk.Client {
	if d == nil || d.client == nil {
		diags.AddError("Tiledesk provider not configured",
			"The provider configuration holds values that are not known yet, or it was not configured. Check the provider block.")
		return nil
	}
	return d.client
}

func (d *providerData) defaultProject() string {
	if d == nil {
		return ""
	}
	return d.projectID
}

// projectOf resolves a data source's project: its own project_id, else the
// provider's.
func (d *providerData) projectOf(v types.String, diags *diag.Diagnostics) string {
	if p := stringOr(v, d.defaultProject()); p != "" {
		return p
	}
	diags.AddAttributeError(path.Root("project_id"), "Missing project_id",
		"No project: set project_id here, or project_id in the provider block (or the "+EnvProjectID+" environment variable).")
	return ""
}

func (p *tiledeskProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "tiledesk"
	resp.Version = p.version
}

func (p *tiledeskProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a [Tiledesk](https://tiledesk.com) project's segments, departments, groups, tags, canned responses and webhook subscriptions through the Tiledesk REST API. " +
			"Authenticate with a JWT `token` or with `email` and `password`; every attribute can also come from a `TILEDESK_*` environment variable.",
		Attributes: map[string]schema.Attribute{
			"api_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Root of the Tiledesk API: `" + tiledesk.DefaultBaseURL + "` (the default) for the cloud, or a self-hosted server's root such as `http://localhost:3000`. " +
					"A trailing slash is ignored. Environment variable: `" + EnvAPIURL + "`.",
				Validators: []validator.String{apiURLValidator{}},
			},
			"project_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Default project (a 24-character hexadecimal id) for resources and data sources that do not set their own `project_id`. " +
					"Environment variable: `" + EnvProjectID + "`.",
				Validators: []validator.String{objectIDValidator()},
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "JWT of a user of the project (the agent role at least; departments and webhook subscriptions need the admin role), as the dashboard or `POST /auth/signin` gives it; the `JWT ` prefix is optional. " +
					"Conflicts with `email`/`password`. Environment variable: `" + EnvToken + "`.",
			},
			"email": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Email of a user, for HTTP Basic authentication together with `password`. Conflicts with `token`. Environment variable: `" + EnvEmail + "`.",
			},
			"password": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Password of the `email` user. Environment variable: `" + EnvPassword + "`.",
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long one HTTP request may wait for an answer, as a Go duration such as `30s` or `2m` (default `" +
					tiledesk.DefaultTimeout.String() + "`). A request that times out is not retried. Environment variable: `" + EnvRequestTimeout + "`.",
				Validators: []validator.String{durationValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many times a failed request is retried, with exponential backoff and jitter, honouring `Retry-After` (default %d; 0 disables retries). "+
					"Reads are retried on connection errors, 429 and 5xx; a create (POST) only on 429 and connection failures before the request was sent; "+
					"after any other failure a create is sent again only when a lookup proves the segment was not saved, at most this many times. "+
					"Environment variable: `%s`.", tiledesk.DefaultMaxRetries, EnvMaxRetries),
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
		},
	}
}

func (p *tiledeskProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Only what the configuration shows for sure: the environment may give
	// the credentials, and an unknown email or password may complete them.
	err := tiledesk.CheckAuth(stringOr(cfg.Token, ""), stringOr(cfg.Email, ""), stringOr(cfg.Password, ""))
	var ae *tiledesk.AuthError
	if errors.As(err, &ae) && (ae.Problem == tiledesk.AuthConflict ||
		ae.Problem == tiledesk.AuthIncomplete && !cfg.Email.IsUnknown() && !cfg.Password.IsUnknown()) {
		resp.Diagnostics.Append(authDiag(err))
	}
}

const authHelp = "Configure exactly one authentication method: `token` (or the " + EnvToken + " environment variable), " +
	"or `email` together with `password` (or " + EnvEmail + " and " + EnvPassword + "). Provider attributes take precedence over the environment."

// isSet reports a known, non-empty string.
func isSet(v types.String) bool { return !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" }

func (p *tiledeskProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if anyUnknown(cfg) {
		// Values from other resources are known only at apply: plan without a
		// client; the apply run configures the provider again with them.
		tflog.Debug(ctx, "Tiledesk provider configuration has unknown values; deferring the client")
		// An unknown project_id is unknown, not TILEDESK_PROJECT_ID: the
		// environment stands in only for a project_id the configuration
		// leaves out. Resources then plan their project as unknown.
		data := &providerData{}
		if !cfg.ProjectID.IsUnknown() {
			data.projectID = stringOr(cfg.ProjectID, os.Getenv(EnvProjectID))
		}
		resp.ResourceData, resp.DataSourceData, resp.ListResourceData = data, data, data
		return
	}

	clientCfg, projectID, diags := resolveConfig(cfg, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	clientCfg.UserAgent = fmt.Sprintf("terraform-provider-tiledesk/%s (+https://registry.terraform.io/providers/tiledesk/tiledesk) Terraform/%s", p.version, req.TerraformVersion)
	clientCfg.Logger = tflogLogger{secrets: clientCfg.Secrets()}
	if p.configure != nil {
		p.configure(&clientCfg)
	}
	client, err := tiledesk.NewClient(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Tiledesk provider configuration", err.Error()+". "+authHelp)
		return
	}
	data := &providerData{client: client, projectID: projectID, creates: newCreateGuard(clientCfg.Token)}
	resp.ResourceData, resp.DataSourceData, resp.ListResourceData = data, data, data
}

func anyUnknown(cfg providerModel) bool {
	for _, v := range []types.String{cfg.APIURL, cfg.ProjectID, cfg.Token, cfg.Email, cfg.Password, cfg.RequestTimeout} {
		if v.IsUnknown() {
			return true
		}
	}
	return cfg.MaxRetries.IsUnknown()
}

// stringOr returns v's value when set, else fallback.
func stringOr(v types.String, fallback string) string {
	if isSet(v) {
		return v.ValueString()
	}
	return fallback
}

// resolveConfig merges the configuration with the environment (getenv):
// attributes win; the authentication method comes wholly from the
// configuration when it names one, else wholly from the environment.
func resolveConfig(cfg providerModel, getenv func(string) string) (tiledesk.Config, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := tiledesk.Config{BaseURL: stringOr(cfg.APIURL, getenv(EnvAPIURL))}
	if _, err := tiledesk.ParseBaseURL(out.BaseURL); err != nil {
		diags.AddAttributeError(path.Root("api_url"), "Invalid Tiledesk API URL", err.Error()+". Set `api_url` or "+EnvAPIURL+".")
	}

	projectID := stringOr(cfg.ProjectID, getenv(EnvProjectID))
	if projectID != "" && !isObjectID(projectID) {
		diags.AddAttributeError(path.Root("project_id"), "Invalid Tiledesk project id",
			fmt.Sprintf("The project id %q (from %s) is not a 24-character hexadecimal id. Copy it from the dashboard URL or the project settings.", projectID, EnvProjectID))
	}

	if isSet(cfg.Token) || isSet(cfg.Email) || isSet(cfg.Password) {
		out.Token, out.Email, out.Password = cfg.Token.ValueString(), cfg.Email.ValueString(), cfg.Password.ValueString()
	} else {
		out.Token, out.Email, out.Password = getenv(EnvToken), getenv(EnvEmail), getenv(EnvPassword)
	}
	if err := tiledesk.CheckAuth(out.Token, out.Email, out.Password); err != nil {
		diags.Append(authDiag(err))
	}

	timeout := stringOr(cfg.RequestTimeout, getenv(EnvRequestTimeout))
	if timeout != "" {
		d, err := time.ParseDuration(timeout)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
				fmt.Sprintf("%q is not a positive duration such as 30s or 2m (request_timeout or %s).", timeout, EnvRequestTimeout))
		}
		out.Timeout = d
	}

	switch { // unset: the client's default
	case !cfg.MaxRetries.IsNull():
		out.MaxRetries = new(int(cfg.MaxRetries.ValueInt64()))
	case getenv(EnvMaxRetries) != "":
		n, err := strconv.Atoi(getenv(EnvMaxRetries))
		if err != nil || n < 0 || n > 20 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid max_retries",
				fmt.Sprintf("%s=%q is not a whole number from 0 to 20.", EnvMaxRetries, getenv(EnvMaxRetries)))
		}
		out.MaxRetries = &n
	}
	return out, projectID, diags
}

// objectTypes are the project-scoped objects the provider manages, each
// with a resource, a data source, a plural data source and a list resource.
func objectTypes() []objectRegistration {
	return []objectRegistration{segmentType.registration(), departmentType.registration(), groupType.registration(), tagType.registration(),
		cannedResponseType.registration(), webhookSubscriptionType.registration()}
}

func (p *tiledeskProvider) Resources(context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, t := range objectTypes() {
		out = append(out, t.resource)
	}
	return out
}

func (p *tiledeskProvider) DataSources(context.Context) []func() datasource.DataSource {
	out := []func() datasource.DataSource{newLeadsDataSource}
	for _, t := range objectTypes() {
		out = append(out, t.dataSource, t.dataSources)
	}
	return out
}

var _ provider.ProviderWithListResources = (*tiledeskProvider)(nil)

func (p *tiledeskProvider) ListResources(context.Context) []func() list.ListResource {
	var out []func() list.ListResource
	for _, t := range objectTypes() {
		out = append(out, t.listResource)
	}
	return out
}
