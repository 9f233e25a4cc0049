package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// This file holds the filter schema and every conversion between a filter
// as Terraform holds it (field, operator, value text, value_type) and as the
// API holds it (field, operator, a JSON value).

// Operators the server understands when it matches leads.
var operators = []string{"=", "!=", ">", ">=", "starts with", "contains", "is null", "is not null"}

// Value types: how the value text is sent as JSON.
const (
	valueTypeString  = "string"
	valueTypeNumber  = "number"
	valueTypeBoolean = "boolean"
	valueTypeJSON    = "json"
)

var valueTypes = []string{valueTypeString, valueTypeNumber, valueTypeBoolean, valueTypeJSON}

// isNullTest reports the operators that test a field's presence and take no
// value.
func isNullTest(op string) bool { return op == "is null" || op == "is not null" }

type filterModel struct {
	Field     types.String `tfsdk:"field"`
	Operator  types.String `tfsdk:"operator"`
	Value     types.String `tfsdk:"value"`
	ValueType types.String `tfsdk:"value_type"`
}

var filterAttrTypes = map[string]attr.Type{
	"field":      types.StringType,
	"operator":   types.StringType,
	"value":      types.StringType,
	"value_type": types.StringType,
}

var filterObjectType = types.ObjectType{AttrTypes: filterAttrTypes}

func (f filterModel) object() types.Object {
	return types.ObjectValueMust(filterAttrTypes, map[string]attr.Value{
		"field": f.Field, "operator": f.Operator, "value": f.Value, "value_type": f.ValueType,
	})
}

const operatorsDoc = "`=`, `!=`, `>`, `>=`, `starts with`, `contains`, `is null`, `is not null`"

// filtersResourceAttribute is the `filters` attribute of tiledesk_segment.
func filtersResourceAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Optional: true,
		Computed: true,
		Default:  listdefault.StaticValue(types.ListValueMust(filterObjectType, nil)),
		MarkdownDescription: "Conditions on lead fields, in the order written. Omitted or `[]` means no filters. " +
			"Note that the Tiledesk 2.19 server ANDs all filters when it lists a segment's leads, even with `match = \"any\"`, " +
			"and that a later filter on the same field replaces an earlier one there.",
		NestedObject: schema.NestedAttributeObject{
			Validators: []validator.Object{filterValidator{}},
			Attributes: map[string]schema.Attribute{
				"field": schema.StringAttribute{
					Required:            true,
					MarkdownDescription: leadFieldDoc,
					Validators:          []validator.String{stringvalidator.LengthAtLeast(1), leadFieldValidator},
				},
				"operator": schema.StringAttribute{
					Required:            true,
					MarkdownDescription: "One of " + operatorsDoc + ".",
					Validators:          []validator.String{stringvalidator.OneOf(operators...)},
				},
				"value": schema.StringAttribute{
					Optional: true,
					MarkdownDescription: "Value to compare with, as text read according to `value_type`. Required for every operator but `is null` and `is not null`, " +
						"where it must be omitted. `contains` takes a regular expression.",
				},
				"value_type": schema.StringAttribute{
					Optional: true,
					Computed: true,
					Default:  stringdefault.StaticString(valueTypeString),
					MarkdownDescription: "How `value` is sent: `string` (default), `number` (`value = \"3\"` is sent as the number 3, " +
						"which matches leads whose field is the number 3 but not the text \"3\"), `boolean` (`true` or `false`), or `json` (any JSON text, compared semantically).",
					Validators: []validator.String{stringvalidator.OneOf(valueTypes...)},
				},
			},
		},
	}
}

// filterValidator checks the rules that tie a filter's attributes together.
type filterValidator struct{}

func (filterValidator) Description(context.Context) string {
	return "value is required except for the null tests, and must parse as value_type"
}

func (v filterValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (filterValidator) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var f filterModel
	if diags := req.ConfigValue.As(ctx, &f, basetypes.ObjectAsOptions{}); diags.HasError() {
		return
	}
	if f.Operator.IsUnknown() || f.Value.IsUnknown() || f.ValueType.IsUnknown() {
		return
	}
	op := f.Operator.ValueString()
	valuePath := req.Path.AtName("value")
	// Terraform cannot point at an attribute missing from the configuration,
	// so every message names the filter itself.
	where := req.Path.String() + ": "
	switch {
	case isNullTest(op) && !f.Value.IsNull():
		resp.Diagnostics.AddAttributeError(valuePath, "Value not allowed",
			where+fmt.Sprintf("the operator %q tests whether the field is present and takes no value: remove `value` from this filter.", op))
	case !isNullTest(op) && f.Value.IsNull():
		resp.Diagnostics.AddAttributeError(valuePath, "Missing value",
			where+fmt.Sprintf("the operator %q needs a `value`. Only \"is null\" and \"is not null\" take none.", op))
	case !isNullTest(op) && slices.Contains(valueTypes, valueTypeOf(f.ValueType)): // value_type's own validator reports others
		if _, err := encodeValue(f.Value.ValueString(), valueTypeOf(f.ValueType)); err != nil {
			resp.Diagnostics.AddAttributeError(valuePath, "Invalid filter value", where+err.Error())
		}
	}
}

// valueTypeOf reads value_type, defaulting to string while it is unset.
func valueTypeOf(v types.String) string {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return valueTypeString
	}
	return v.ValueString()
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// emptyValue is what a null test sends: the server requires a value.
var emptyValue = json.RawMessage(`""`)

// encodeValue turns value text into the JSON value_type names.
func encodeValue(value, valueType string) (json.RawMessage, error) {
	switch valueType {
	case valueTypeString:
		return json.Marshal(value)
	case valueTypeNumber:
		if !jsonNumber.MatchString(value) {
			return nil, fmt.Errorf("%q is not a number: with value_type \"number\" write a decimal number such as 3, -2.5 or 1e6", value)
		}
		return json.RawMessage(value), nil
	case valueTypeBoolean:
		if value != "true" && value != "false" {
			return nil, fmt.Errorf("%q is not a boolean: with value_type \"boolean\" write true or false", value)
		}
		return json.RawMessage(value), nil
	case valueTypeJSON:
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(value)); err != nil {
			return nil, fmt.Errorf("%q is not valid JSON (%w): with value_type \"json\" write JSON text such as [\"a\",\"b\"] or {\"k\":1}; use jsonencode() to build it", value, err)
		}
		return buf.Bytes(), nil
	default:
		return nil, fmt.Errorf("unknown value_type %q: use one of %s", valueType, strings.Join(valueTypes, ", "))
	}
}

// decodeValue turns a JSON value from the server into value text and the
// value_type that reproduces it.
func decodeValue(raw json.RawMessage) (types.String, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return types.StringNull(), valueTypeString
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return types.StringValue(s), valueTypeString
		}
	case 't', 'f':
		return types.StringValue(string(raw)), valueTypeBoolean
	case '{', '[', 'n':
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil {
			return types.StringValue(buf.String()), valueTypeJSON
		}
	default:
		return types.StringValue(string(raw)), valueTypeNumber
	}
	return types.StringValue(string(raw)), valueTypeJSON
}

// filtersToAPI converts planned filters to what the API stores. Validation
// has already run, so an encoding error here is a bug worth reporting.
func filtersToAPI(ctx context.Context, list types.List) ([]tiledesk.Filter, diag.Diagnostics) {
	var models []filterModel
	diags := list.ElementsAs(ctx, &models, false)
	if diags.HasError() {
		return nil, diags
	}
	out := make([]tiledesk.Filter, 0, len(models))
	for i, f := range models {
		api := tiledesk.Filter{Field: f.Field.ValueString(), Operator: f.Operator.ValueString(), Value: emptyValue}
		if !isNullTest(api.Operator) {
			v, err := encodeValue(f.Value.ValueString(), valueTypeOf(f.ValueType))
			if err != nil {
				diags.AddAttributeError(filterPath(i).AtName("value"), "Invalid filter value", err.Error())
				continue
			}
			api.Value = v
		}
		out = append(out, api)
	}
	return out, diags
}

// filtersFromAPI converts the server's filters to Terraform values. Where the
// server's value equals (as JSON) what the prior filter at the same position
// sends, the prior text and value_type are kept, so that "3.0" written as a
// number, or JSON written with spaces, never shows as a change.
func filtersFromAPI(ctx context.Context, api []tiledesk.Filter, prior types.List) (types.List, diag.Diagnostics) {
	var priors []filterModel
	var diags diag.Diagnostics
	if !prior.IsNull() && !prior.IsUnknown() {
		diags = prior.ElementsAs(ctx, &priors, false)
	}
	elems := make([]attr.Value, len(api))
	for i, f := range api {
		var p *filterModel
		if i < len(priors) {
			p = &priors[i]
		}
		elems[i] = filterFromAPI(f, p).object()
	}
	list, d := types.ListValue(filterObjectType, elems)
	diags.Append(d...)
	return list, diags
}

func filterFromAPI(f tiledesk.Filter, prior *filterModel) filterModel {
	m := filterModel{Field: types.StringValue(f.Field), Operator: types.StringValue(f.Operator)}
	priorType := valueTypeString
	if prior != nil && !prior.ValueType.IsNull() && !prior.ValueType.IsUnknown() {
		priorType = prior.ValueType.ValueString()
	}
	if isNullTest(f.Operator) && isEmptyValue(f.Value) {
		m.Value, m.ValueType = types.StringNull(), types.StringValue(priorType)
		return m
	}
	if prior != nil && !prior.Value.IsNull() && !prior.Value.IsUnknown() {
		if sent, err := encodeValue(prior.Value.ValueString(), priorType); err == nil && tiledesk.JSONEqual(sent, f.Value) {
			m.Value, m.ValueType = prior.Value, types.StringValue(priorType)
			return m
		}
	}
	v, t := decodeValue(f.Value)
	m.Value, m.ValueType = v, types.StringValue(t)
	return m
}

// isEmptyValue reports the value a null test carries: "" (what the provider
// sends), null or nothing.
func isEmptyValue(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == `""` || string(raw) == "null"
}

func filterPath(i int) path.Path { return path.Root("filters").AtListIndex(i) }

// filtersDataSourceAttribute is `filters` as data sources return it.
func filtersDataSourceAttribute() dsschema.ListNestedAttribute {
	return dsschema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: "The segment's filters, in order, as the `tiledesk_segment` resource reads them.",
		NestedObject: dsschema.NestedAttributeObject{
			Attributes: map[string]dsschema.Attribute{
				"field":      dsschema.StringAttribute{Computed: true, MarkdownDescription: "Lead field tested."},
				"operator":   dsschema.StringAttribute{Computed: true, MarkdownDescription: "One of " + operatorsDoc + "."},
				"value":      dsschema.StringAttribute{Computed: true, MarkdownDescription: "Value as text; null for the null tests."},
				"value_type": dsschema.StringAttribute{Computed: true, MarkdownDescription: "`string`, `number`, `boolean` or `json`: the JSON type of the stored value."},
			},
		},
	}
}
