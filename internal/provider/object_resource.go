package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// Every project-scoped Tiledesk object (segment, department, ...) is managed
// by the same Terraform types, written once here and in object_data_sources.go:
// a resource, a data source by id or name, a plural data source and a list
// resource for `terraform query`. An objectType says what differs: its API
// (tiledesk.Objects), its attributes and the conversions between its model
// M and the API. The resource embeds projectScoped (project_id, identity,
// import), creates through createObject (exactly once), reads through the
// client's list walk, and writes only to an object the client has just seen
// live in the project.

// objectModel is what every object's model embeds: the attributes every
// project-scoped object has.
type objectModel struct {
	ID        types.String `tfsdk:"id"`
	ProjectID types.String `tfsdk:"project_id"`
	CreatedAt types.String `tfsdk:"created_at"`
	UpdatedAt types.String `tfsdk:"updated_at"`
	CreatedBy types.String `tfsdk:"created_by"`
}

// objectType is one type of project-scoped object as Terraform sees it: M is
// its resource model (embedding objectModel), T and In its API types.
type objectType[M, T, In any] struct {
	objects *tiledesk.Objects[T, In]
	// description is the resource's; data sources describe themselves.
	description string
	// attributes are the type's own resource attributes: id, project_id,
	// created_at, updated_at and created_by are added.
	attributes func() map[string]schema.Attribute
	// resourceOnly are attributes that data sources do not have;
	// readOnlyAttributes replace an attribute's computed copy in data
	// sources, where its resource description would mislead.
	resourceOnly       []string
	readOnlyAttributes map[string]dsschema.Attribute
	// nameAttr is the attribute that names an object ("name"): data sources
	// look objects up by it and filter lists on it; nameOf reads it.
	nameAttr string
	nameOf   func(*T) string
	// nameIn is the name a create sends, for messages.
	nameIn func(In) string
	// selectors are more ways than id and nameAttr to pick one object in the
	// singular data source (a department's `default`).
	selectors []boolSelector[T]

	// base returns the model's objectModel.
	base func(*M) *objectModel
	// input is what a create or an update of plan sends.
	input func(context.Context, M) (In, diag.Diagnostics)
	// state fills the type's own attributes from what the server answered;
	// prior is the plan or state it replaces (nil after an import, in a data
	// source or a list), for what the server does not say or spells otherwise.
	state func(context.Context, *T, *M) (M, diag.Diagnostics)

	// Hooks, each optional. written runs after a create (created true) or an
	// update: what the type writes through other routes. It returns the
	// object to record, also beside an error (nil: the one it was given).
	// checkDelete runs before a delete;
	// refused explains why the server refused a delete, or a write of
	// written, when the type knows better than the client's hint (a group a
	// department uses): "" when it does not.
	written     func(ctx context.Context, c *tiledesk.Client, project string, obj *T, plan M, created bool) (*T, error)
	checkDelete func(state M) diag.Diagnostics
	refused     func(ctx context.Context, c *tiledesk.Client, project, id string, err error) string
}

// boolSelector picks an object in the singular data source by a boolean
// attribute set to true.
type boolSelector[T any] struct {
	attr string
	is   func(*T) bool
}

// name is the type's name in messages ("canned response"), pluralName its
// plural; typeName names its resource and data source (tiledesk_<typeName>),
// pluralType its plural data source (tiledesk_<pluralType>).
func (t *objectType[M, T, In]) name() string       { return t.objects.Name }
func (t *objectType[M, T, In]) pluralName() string { return t.objects.Name + "s" }
func (t *objectType[M, T, In]) typeName() string   { return strings.ReplaceAll(t.objects.Name, " ", "_") }
func (t *objectType[M, T, In]) pluralType() string { return t.typeName() + "s" }

// what names an object in messages: `department "Sales"`.
func (t *objectType[M, T, In]) what(name string) string { return fmt.Sprintf("%s %q", t.name(), name) }

// stateOf is the model of what the server answered: the type's attributes
// and objectModel's.
func (t *objectType[M, T, In]) stateOf(ctx context.Context, obj *T, prior *M) (M, diag.Diagnostics) {
	m, diags := t.state(ctx, obj, prior)
	meta := t.objects.Meta(obj)
	*t.base(&m) = objectModel{
		ID:        types.StringValue(meta.ID),
		ProjectID: types.StringValue(meta.ProjectID),
		CreatedAt: timeValue(meta.CreatedAt),
		UpdatedAt: timeValue(meta.UpdatedAt),
		CreatedBy: types.StringValue(meta.CreatedBy),
	}
	return m, diags
}

// nameAttribute is the required attribute that names an object; what says
// where the name shows.
func nameAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		MarkdownDescription: what + " Tiledesk does not require names to be unique.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// nullIfEmpty is null for "", which the server holds for an unset text.
func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// timeValue renders a server timestamp as RFC 3339 with milliseconds, as the
// server writes it.
func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringValue("")
	}
	return types.StringValue(t.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
}

// resourceSchema is the resource's schema: the type's attributes and the
// common ones.
func (t *objectType[M, T, In]) resourceSchema(projectID schema.StringAttribute) schema.Schema {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs := t.attributes()
	attrs["id"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: fmt.Sprintf("The %s's id (24 hexadecimal characters).", t.name()),
		PlanModifiers:       keep,
	}
	attrs["project_id"] = projectID
	attrs["created_at"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: fmt.Sprintf("When the %s was created (RFC 3339).", t.name()),
		PlanModifiers:       keep,
	}
	attrs["updated_at"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: fmt.Sprintf("When the %s was last changed (RFC 3339).", t.name()),
	}
	attrs["created_by"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: fmt.Sprintf("Id of the user who created the %s.", t.name()),
		PlanModifiers:       keep,
	}
	return schema.Schema{MarkdownDescription: t.description, Attributes: attrs}
}

// registration gives the provider the type's resource, data sources and
// list resource.
func (t *objectType[M, T, In]) registration() objectRegistration {
	return objectRegistration{
		resource: func() resource.Resource {
			return &objectResource[M, T, In]{projectScoped{object: t.name(), roles: t.objects.Roles}, t}
		},
		dataSource:   func() datasource.DataSource { return &objectDataSource[M, T, In]{t: t} },
		dataSources:  func() datasource.DataSource { return &objectsDataSource[M, T, In]{t: t} },
		listResource: func() list.ListResource { return &objectListResource[M, T, In]{t: t} },
	}
}

// objectRegistration is what one type adds to the provider.
type objectRegistration struct {
	resource     func() resource.Resource
	dataSource   func() datasource.DataSource
	dataSources  func() datasource.DataSource
	listResource func() list.ListResource
}

var (
	_ resource.ResourceWithConfigure   = (*objectResource[segmentModel, tiledesk.Segment, tiledesk.SegmentInput])(nil)
	_ resource.ResourceWithImportState = (*objectResource[segmentModel, tiledesk.Segment, tiledesk.SegmentInput])(nil)
	_ resource.ResourceWithIdentity    = (*objectResource[segmentModel, tiledesk.Segment, tiledesk.SegmentInput])(nil)
	_ resource.ResourceWithModifyPlan  = (*objectResource[segmentModel, tiledesk.Segment, tiledesk.SegmentInput])(nil)
)

// objectResource is the resource tiledesk_<name> of one type; projectScoped
// gives it Configure, ModifyPlan, ImportState and IdentitySchema, and the
// start and failure of its Read.
type objectResource[M, T, In any] struct {
	projectScoped
	t *objectType[M, T, In]
}

func (r *objectResource[M, T, In]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.t.typeName()
}

func (r *objectResource[M, T, In]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.t.resourceSchema(r.projectIDAttribute())
}

func (r *objectResource[M, T, In]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client, plan, in := r.planned(ctx, req.Plan, &resp.Diagnostics)
	if client == nil {
		return
	}
	k, project := r.t.objects, r.t.base(&plan).ProjectID.ValueString()
	obj := createObject(ctx, r.data.creates, client, objectCreate[T, In]{
		k: k, project: project, in: in, what: r.t.what(r.t.nameIn(in)), dataSource: "tiledesk_" + r.t.pluralType(),
	}, &resp.Diagnostics)
	if obj == nil {
		return
	}
	if m := k.Meta(obj); m.ProjectID != project { // the client already refuses an answer without an id
		resp.Diagnostics.AddError("Unexpected answer to "+k.Name+" creation",
			fmt.Sprintf("The server answered the creation in project %s with %s %q of project %q. Check that api_url points at a Tiledesk server.", project, k.Name, m.ID, m.ProjectID))
		return
	}
	r.finishWrite(ctx, client, project, obj, plan, true, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *objectResource[M, T, In]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, importing := r.beginRead(ctx, req, resp)
	if client == nil {
		return
	}
	base := r.t.base(&state)
	project, id := base.ProjectID.ValueString(), base.ID.ValueString()
	obj, err := r.t.objects.Live(ctx, client, project, id) // from the list when many are read
	if err != nil {
		r.readFailed(ctx, resp, importing, project, id, err)
		return
	}
	m, diags := r.t.stateOf(ctx, obj, &state)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (r *objectResource[M, T, In]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	client, plan, in := r.planned(ctx, req.Plan, &resp.Diagnostics)
	if client == nil {
		return
	}
	k, base := r.t.objects, r.t.base(&plan)
	project, id := base.ProjectID.ValueString(), base.ID.ValueString()
	var obj *T
	var err error
	if r.sameAsState(ctx, req.State, in, &resp.Diagnostics) {
		// Only attributes of the resource's own changed (allow_default_deletion):
		// nothing to send, the object is read back.
		obj, err = k.Live(ctx, client, project, id)
	} else {
		obj, err = k.Update(ctx, client, project, id, in)
	}
	var gone *tiledesk.GoneError
	switch {
	case errors.As(err, &gone):
		// Nothing was sent: the server's PUT would have changed another
		// project's object, or upserted a ghost.
		resp.Diagnostics.AddError(fmt.Sprintf("%s %s is gone", capitalize(k.Name), id),
			fmt.Sprintf("%s %s of project %s could not be updated: %v. Nothing was sent. "+
				"Run terraform plan again: the refresh removes it from the state and the plan proposes to create it.", capitalize(k.Name), id, project, gone))
		return
	case err != nil:
		resp.Diagnostics.Append(r.failure(ctx, client, project, id, fmt.Sprintf("Could not update %s %s of project %s", k.Name, id, project), err))
		return
	}
	r.finishWrite(ctx, client, project, obj, plan, false, &resp.State, resp.Identity, &resp.Diagnostics)
}

// sameAsState reports whether in is what the state would send too: then the
// server holds it already.
func (r *objectResource[M, T, In]) sameAsState(ctx context.Context, st tfsdk.State, in In, diags *diag.Diagnostics) bool {
	var state M
	if d := st.Get(ctx, &state); d.HasError() {
		diags.Append(d...)
		return false
	}
	prior, d := r.t.input(ctx, state)
	return !d.HasError() && reflect.DeepEqual(prior, in)
}

// finishWrite runs the type's written hook after a create or an update and
// records what the server answered: the state and the identity. The hook
// finishes the write, so it runs to its end after a stop (Terraform waits
// for it), bounded by the client's timeouts: stopping half-way would leave
// an object other than planned. When the hook fails the object still lands
// in the state, as the hook says the server holds it, beside the error.
func (r *objectResource[M, T, In]) finishWrite(ctx context.Context, client *tiledesk.Client, project string, obj *T, plan M, created bool, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if r.t.written != nil {
		id := r.t.objects.Meta(obj).ID
		after, err := r.t.written(context.WithoutCancel(ctx), client, project, obj, plan, created)
		if after != nil {
			obj = after
		}
		if err != nil {
			diags.Append(r.failure(ctx, client, project, id, fmt.Sprintf("Could not finish writing %s %s of project %s", r.t.name(), id, project), err))
		}
	}
	m, d := r.t.stateOf(ctx, obj, &plan)
	diags.Append(d...)
	diags.Append(state.Set(ctx, m)...)
	base := r.t.base(&m)
	setIdentity(ctx, identity, base.ProjectID, base.ID, diags)
}

func (r *objectResource[M, T, In]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	client := r.data.clientOrError(&resp.Diagnostics)
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || client == nil {
		return
	}
	if r.t.checkDelete != nil {
		if resp.Diagnostics.Append(r.t.checkDelete(state)...); resp.Diagnostics.HasError() {
			return
		}
	}
	k, base := r.t.objects, r.t.base(&state)
	project, id := base.ProjectID.ValueString(), base.ID.ValueString()
	err := k.Delete(ctx, client, project, id)
	var gone *tiledesk.GoneError
	switch {
	case errors.As(err, &gone) && gone.Reason == tiledesk.GoneForeign:
		resp.Diagnostics.AddWarning(fmt.Sprintf("%s %s left untouched", capitalize(k.Name), id),
			fmt.Sprintf("%s %s is not an object of project %s: %v. It was not deleted, and it leaves the Terraform state.", capitalize(k.Name), id, project, gone))
	case errors.As(err, &gone):
		// Deleted or removed outside Terraform already: the wanted outcome.
	case err != nil:
		resp.Diagnostics.Append(r.failure(ctx, client, project, id, fmt.Sprintf("Could not delete %s %s of project %s", k.Name, id, project), err))
	}
}

// failure is the error of a failed request about object id: what the
// server said, then why and what to do, from the type's refused hook when it
// knows, else from the client's classification of the error.
func (r *objectResource[M, T, In]) failure(ctx context.Context, client *tiledesk.Client, project, id, summary string, err error) diag.Diagnostic {
	if r.t.refused != nil {
		if why := r.t.refused(ctx, client, project, id, err); why != "" {
			return diag.NewErrorDiagnostic(summary, err.Error()+"\n\n"+why)
		}
	}
	return objectErrorDiag(r.t.objects.Roles, summary, err)
}

// planned reads the plan of a create or update and what it sends; the client
// is nil when anything failed (the error is in diags).
func (r *objectResource[M, T, In]) planned(ctx context.Context, p tfsdk.Plan, diags *diag.Diagnostics) (*tiledesk.Client, M, In) {
	var plan M
	var in In
	client := r.data.clientOrError(diags)
	diags.Append(p.Get(ctx, &plan)...)
	if diags.HasError() {
		return nil, plan, in
	}
	in, d := r.t.input(ctx, plan)
	diags.Append(d...)
	if diags.HasError() {
		return nil, plan, in
	}
	return client, plan, in
}
