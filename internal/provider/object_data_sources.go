package provider

// The read-only Terraform types of every project-scoped object, from its
// objectType: the data source tiledesk_<name> (one object by id, by name or
// by a selector), the data source tiledesk_<plural> (the list, filtered by
// name) and the list resource tiledesk_<name> for `terraform query`.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// dataSourceAttributes are the resource's attributes as data sources return
// them: all computed, without the resource-only ones.
func (t *objectType[M, T, In]) dataSourceAttributes() map[string]dsschema.Attribute {
	out := map[string]dsschema.Attribute{}
	for name, a := range t.resourceSchema(schema.StringAttribute{MarkdownDescription: fmt.Sprintf("Project that owns the %s.", t.name())}).Attributes {
		switch {
		case slices.Contains(t.resourceOnly, name):
		case t.readOnlyAttributes[name] != nil:
			out[name] = t.readOnlyAttributes[name]
		default:
			out[name] = computedAttribute(a)
		}
	}
	return out
}

// computedAttribute is a resource attribute as a computed data source
// attribute, with its description.
func computedAttribute(a schema.Attribute) dsschema.Attribute {
	desc := a.GetMarkdownDescription()
	switch a := a.(type) {
	case schema.StringAttribute:
		return dsschema.StringAttribute{Computed: true, Sensitive: a.Sensitive, MarkdownDescription: desc}
	case schema.BoolAttribute:
		return dsschema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	case schema.Int64Attribute:
		return dsschema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	case schema.ListAttribute:
		return dsschema.ListAttribute{Computed: true, ElementType: a.ElementType, MarkdownDescription: desc}
	case schema.SetAttribute:
		return dsschema.SetAttribute{Computed: true, ElementType: a.ElementType, MarkdownDescription: desc}
	case schema.ListNestedAttribute:
		nested := map[string]dsschema.Attribute{}
		for name, n := range a.NestedObject.Attributes {
			nested[name] = computedAttribute(n)
		}
		return dsschema.ListNestedAttribute{Computed: true, MarkdownDescription: desc, NestedObject: dsschema.NestedAttributeObject{Attributes: nested}}
	default:
		panic(fmt.Sprintf("computedAttribute: no data source form of %T", a))
	}
}

// dataSourceValue is the object a data source sets for m: the resource's
// attributes without the resource-only ones.
func (t *objectType[M, T, In]) dataSourceValue(ctx context.Context, m M, diags *diag.Diagnostics) types.Object {
	attrTypes := t.resourceSchema(schema.StringAttribute{}).Type().(types.ObjectType).AttrTypes //nolint:forcetypeassert // a schema's type is an object type
	full, d := types.ObjectValueFrom(ctx, attrTypes, m)
	diags.Append(d...)
	if d.HasError() {
		return types.ObjectNull(nil)
	}
	kept, keptTypes := map[string]attr.Value{}, map[string]attr.Type{}
	for name, v := range full.Attributes() {
		if !slices.Contains(t.resourceOnly, name) {
			kept[name], keptTypes[name] = v, attrTypes[name]
		}
	}
	obj, d := types.ObjectValue(keptTypes, kept)
	diags.Append(d...)
	return obj
}

// listNamed lists the live objects of a project (every page) whose name
// starts with prefix and matches the regular expression nameRegex (each
// filter applies when set), oldest first, then by id: a stable order
// whatever order the server's pages came in. The plural data source and the
// list resource share it; nameRegex was validated at plan time.
func (t *objectType[M, T, In]) listNamed(ctx context.Context, client *tiledesk.Client, project string, prefix, nameRegex types.String) ([]T, error) {
	var re *regexp.Regexp
	if !nameRegex.IsNull() {
		re = regexp.MustCompile(nameRegex.ValueString()) // validated at plan time
	}
	all, err := t.objects.LiveAll(ctx, client, project) // a copy: filtered in place below
	if err != nil {
		return nil, err
	}
	kept := all[:0]
	for i := range all {
		if name := t.nameOf(&all[i]); strings.HasPrefix(name, prefix.ValueString()) && (re == nil || re.MatchString(name)) {
			kept = append(kept, all[i])
		}
	}
	k := t.objects
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := k.Meta(&kept[i]), k.Meta(&kept[j])
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	return kept, nil
}

// orList is "`a`, `b` or `c`".
func orList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + n + "`"
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// The descriptions of the name filters of the plural data sources and the
// list resources.
func namePrefixDescription(plural, attr string) string {
	return fmt.Sprintf("Keep only %s whose `%s` starts with this text (case-sensitive).", plural, attr)
}

func nameRegexDescription(plural, attr string) string {
	return fmt.Sprintf("Keep only %s whose `%s` matches this regular expression "+
		"([RE2 syntax](https://github.com/google/re2/wiki/Syntax)); `(?i)` makes it case-insensitive.", plural, attr)
}

// objectDataSource is the data source tiledesk_<name>: one live object.
type objectDataSource[M, T, In any] struct {
	t    *objectType[M, T, In]
	data *providerData
}

var _ datasource.DataSourceWithConfigValidators = (*objectDataSource[segmentModel, tiledesk.Segment, tiledesk.SegmentInput])(nil)

func (d *objectDataSource[M, T, In]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.t.typeName()
}

// selectorNames are the attributes of which exactly one picks the object.
func (d *objectDataSource[M, T, In]) selectorNames() []string {
	names := []string{"id", d.t.nameAttr}
	for _, s := range d.t.selectors {
		names = append(names, s.attr)
	}
	return names
}

func (d *objectDataSource[M, T, In]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	t := d.t
	oneOf := orList(d.selectorNames())
	attrs := t.dataSourceAttributes()
	attrs["id"] = dsschema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: fmt.Sprintf("Id of the %s to read. Exactly one of %s is required.", t.name(), oneOf),
		Validators:          []validator.String{objectIDValidator()},
	}
	nameDesc := fmt.Sprintf("`%s` of the %s to read. Two live %s that match are an error that lists their ids.", t.nameAttr, t.name(), t.pluralName())
	if t.objects.UniqueKeyName() == t.nameAttr {
		nameDesc = fmt.Sprintf("`%s` of the %s to read (a project has one %s of each).", t.nameAttr, t.name(), t.name())
	}
	attrs[t.nameAttr] = dsschema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: nameDesc,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	for _, s := range t.selectors {
		attrs[s.attr] = dsschema.BoolAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: fmt.Sprintf("`%s = true` reads the %s whose `%s` is true. %s", s.attr, t.name(), s.attr,
				attrs[s.attr].GetMarkdownDescription()),
		}
	}
	attrs["project_id"] = dsschema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Project to look in. Defaults to the provider's `project_id`.",
		Validators:          []validator.String{objectIDValidator()},
	}
	resp.Schema = dsschema.Schema{
		MarkdownDescription: fmt.Sprintf("Reads one live %s of a project, by %s, with the same attributes as the `tiledesk_%s` resource.", t.name(), oneOf, t.typeName()),
		Attributes:          attrs,
	}
}

func (d *objectDataSource[M, T, In]) ConfigValidators(context.Context) []datasource.ConfigValidator {
	var exprs []path.Expression
	for _, n := range d.selectorNames() {
		exprs = append(exprs, path.MatchRoot(n))
	}
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(exprs...)}
}

func (d *objectDataSource[M, T, In]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *objectDataSource[M, T, In]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	t := d.t
	var projectID, id, name types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("project_id"), &projectID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(t.nameAttr), &name)...)
	client := d.data.clientOrError(&resp.Diagnostics)
	project := d.data.projectOf(projectID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var obj *T
	if !id.IsNull() {
		obj = d.byID(ctx, client, project, id.ValueString(), &resp.Diagnostics)
	} else {
		c := criterion[T]{attr: t.nameAttr, is: func(o *T) bool { return t.nameOf(o) == name.ValueString() },
			plural: fmt.Sprintf("with %s %q", t.nameAttr, name.ValueString())}
		if t.nameAttr == "name" {
			c.plural = fmt.Sprintf("named %q", name.ValueString())
		}
		for _, s := range t.selectors {
			var v types.Bool
			resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(s.attr), &v)...)
			if v.ValueBool() {
				c = criterion[T]{attr: s.attr, is: s.is, plural: fmt.Sprintf("with %s = true", s.attr)}
			}
		}
		obj = d.pick(ctx, client, project, c, &resp.Diagnostics)
	}
	if obj == nil {
		return
	}
	m, diags := t.stateOf(ctx, obj, nil)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, t.dataSourceValue(ctx, m, &resp.Diagnostics))...)
}

func (d *objectDataSource[M, T, In]) byID(ctx context.Context, client *tiledesk.Client, project, id string, diags *diag.Diagnostics) *T {
	k := d.t.objects
	obj, err := k.Live(ctx, client, project, id)
	var gone *tiledesk.GoneError
	switch {
	case errors.As(err, &gone):
		diags.AddAttributeError(path.Root("id"), capitalize(k.Name)+" not found",
			fmt.Sprintf("No live %s %s in project %s: %v. Check the id and project_id.", k.Name, id, project, gone))
		return nil
	case err != nil:
		diags.Append(objectErrorDiag(k.Roles, fmt.Sprintf("Could not read %s %s of project %s", k.Name, id, project), err))
		return nil
	}
	return obj
}

// criterion is how the singular data source picks an object: the attribute
// the configuration sets, the test, and its words ("named \"Leads\"").
type criterion[T any] struct {
	attr   string
	is     func(*T) bool
	plural string
}

// pick finds the one live object of the project that c accepts.
func (d *objectDataSource[M, T, In]) pick(ctx context.Context, client *tiledesk.Client, project string, c criterion[T], diags *diag.Diagnostics) *T {
	k := d.t.objects
	all, err := k.LiveAll(ctx, client, project)
	if err != nil {
		diags.Append(objectErrorDiag(k.Roles, fmt.Sprintf("Could not list the %s of project %s", d.t.pluralName(), project), err))
		return nil
	}
	one, several := k.Pick(all, c.is)
	switch {
	case several != nil:
		diags.AddAttributeError(path.Root(c.attr), "Several "+d.t.pluralName()+" match",
			fmt.Sprintf("%d live %s of project %s are %s: %s. Look the one you mean up by id instead.", len(several), d.t.pluralName(), project, c.plural, strings.Join(several, ", ")))
	case one == nil:
		diags.AddAttributeError(path.Root(c.attr), capitalize(k.Name)+" not found",
			fmt.Sprintf("No live %s %s in project %s (%d %s looked at). Names are case-sensitive.", k.Name, c.plural, project, len(all), d.t.pluralName()))
	}
	return one
}

// objectsDataSource is the data source tiledesk_<plural>: the live objects
// of a project, filtered by name.
type objectsDataSource[M, T, In any] struct {
	t    *objectType[M, T, In]
	data *providerData
}

func (d *objectsDataSource[M, T, In]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.t.pluralType()
}

func (d *objectsDataSource[M, T, In]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	t := d.t
	resp.Schema = dsschema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the live %s of a project, optionally only those whose `%s` starts with `name_prefix` and matches `name_regex`. "+
			"Walks every page of the list. %s come oldest first (by `created_at`, then `id`).", t.pluralName(), t.nameAttr, capitalize(t.pluralName())),
		Attributes: map[string]dsschema.Attribute{
			"project_id": dsschema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Project to list. Defaults to the provider's `project_id`.",
				Validators:          []validator.String{objectIDValidator()},
			},
			"name_prefix": dsschema.StringAttribute{Optional: true, MarkdownDescription: namePrefixDescription(t.pluralName(), t.nameAttr)},
			"name_regex": dsschema.StringAttribute{
				Optional: true, MarkdownDescription: nameRegexDescription(t.pluralName(), t.nameAttr),
				Validators: []validator.String{regexValidator{}},
			},
			"ids": dsschema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: fmt.Sprintf("Ids of the %s, in the order of `%s`.", t.pluralName(), t.pluralType()),
			},
			t.pluralType(): dsschema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: fmt.Sprintf("The %s, with the same attributes as the `tiledesk_%s` data source.", t.pluralName(), t.typeName()),
				NestedObject:        dsschema.NestedAttributeObject{Attributes: t.dataSourceAttributes()},
			},
		},
	}
}

func (d *objectsDataSource[M, T, In]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *objectsDataSource[M, T, In]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	t := d.t
	var projectID, prefix, nameRegex types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("project_id"), &projectID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name_prefix"), &prefix)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name_regex"), &nameRegex)...)
	client := d.data.clientOrError(&resp.Diagnostics)
	project := d.data.projectOf(projectID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	kept, err := t.listNamed(ctx, client, project, prefix, nameRegex)
	if err != nil {
		resp.Diagnostics.Append(objectErrorDiag(t.objects.Roles, fmt.Sprintf("Could not list the %s of project %s", t.pluralName(), project), err))
		return
	}
	ids := make([]attr.Value, len(kept))
	items := make([]attr.Value, len(kept))
	var itemType attr.Type
	for i := range kept {
		m, diags := t.stateOf(ctx, &kept[i], nil)
		resp.Diagnostics.Append(diags...)
		obj := t.dataSourceValue(ctx, m, &resp.Diagnostics)
		ids[i], items[i], itemType = t.base(&m).ID, obj, obj.Type(ctx)
	}
	if itemType == nil {
		itemType = types.ObjectType{AttrTypes: dataSourceAttrTypes(t.dataSourceAttributes())}
	}
	idList, diags := types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	itemList, diags := types.ListValue(itemType, items)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), project)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ids"), idList)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(t.pluralType()), itemList)...)
}

// dataSourceAttrTypes are the value types of data source attributes.
func dataSourceAttrTypes(attrs map[string]dsschema.Attribute) map[string]attr.Type {
	out := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		out[name] = a.GetType()
	}
	return out
}

// objectListResource is the list resource tiledesk_<name>: `terraform query`
// (Terraform 1.14+) enumerates a project's live objects with it, and
// `terraform query -generate-config-out=FILE` writes a resource block and an
// import block (by identity) for each, which adopts a whole project at once.
type objectListResource[M, T, In any] struct {
	t    *objectType[M, T, In]
	data *providerData
}

var _ list.ListResourceWithConfigure = (*objectListResource[segmentModel, tiledesk.Segment, tiledesk.SegmentInput])(nil)

func (r *objectListResource[M, T, In]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.t.typeName()
}

func (r *objectListResource[M, T, In]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	t := r.t
	resp.Schema = listschema.Schema{
		MarkdownDescription: fmt.Sprintf("Finds the live %[1]s of a project for `terraform query` (Terraform 1.14 and later), optionally only those whose `%[2]s` "+
			"starts with `name_prefix` and matches `name_regex`, oldest first. Each result has the %[3]s's identity (`project_id`, `id`), "+
			"its `%[2]s` as display name and, with `include_resource = true`, every attribute of the `tiledesk_%[3]s` resource. "+
			"`terraform query -generate-config-out=FILE` writes a resource block and an import block for each.", t.pluralName(), t.nameAttr, t.typeName()),
		Attributes: map[string]listschema.Attribute{
			"project_id": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Project to list. Defaults to the provider's `project_id`.",
				Validators:          []validator.String{objectIDValidator()},
			},
			"name_prefix": listschema.StringAttribute{Optional: true, MarkdownDescription: namePrefixDescription(t.pluralName(), t.nameAttr)},
			"name_regex": listschema.StringAttribute{
				Optional: true, MarkdownDescription: nameRegexDescription(t.pluralName(), t.nameAttr),
				Validators: []validator.String{regexValidator{}},
			},
		},
	}
}

func (r *objectListResource[M, T, In]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List reads every page of the project's list, then streams the matching
// objects, at most req.Limit of them.
func (r *objectListResource[M, T, In]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	t := r.t
	var projectID, prefix, nameRegex types.String
	var diags diag.Diagnostics
	diags.Append(req.Config.GetAttribute(ctx, path.Root("project_id"), &projectID)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("name_prefix"), &prefix)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("name_regex"), &nameRegex)...)
	client := r.data.clientOrError(&diags)
	project := r.data.projectOf(projectID, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	objs, err := t.listNamed(ctx, client, project, prefix, nameRegex)
	if err != nil {
		diags.Append(objectErrorDiag(t.objects.Roles, fmt.Sprintf("Could not list the %s of project %s", t.pluralName(), project), err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range objs {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			obj := &objs[i]
			meta := t.objects.Meta(obj)
			result := req.NewListResult(ctx)
			result.DisplayName = t.nameOf(obj)
			setIdentity(ctx, result.Identity, types.StringValue(meta.ProjectID), types.StringValue(meta.ID), &result.Diagnostics)
			if req.IncludeResource {
				m, d := t.stateOf(ctx, obj, nil)
				result.Diagnostics.Append(d...)
				result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
