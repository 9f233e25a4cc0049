package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// provider::tiledesk::filters turns filters whose values keep their own
// type (as yamldecode gives them) into the value of tiledesk_segment's
// `filters` attribute: the value as text, with the value_type that sends it
// as that type. The rules of a filter stay in filters.go: this file only
// picks the value text and value_type, and checks what a resource's schema
// cannot see once the conversion is done (a misspelt key, a value that
// belongs to no operator).

var (
	_ function.Function              = filtersFunction{}
	_ provider.ProviderWithFunctions = (*tiledeskProvider)(nil)
)

// Functions registers the provider's functions (Terraform >= 1.8, OpenTofu
// >= 1.7).
func (p *tiledeskProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{newFiltersFunction}
}

type filtersFunction struct{}

func newFiltersFunction() function.Function { return filtersFunction{} }

// filterKeys are the keys a filter given to the function may have.
var filterKeys = []string{"field", "operator", "value"}

func (filtersFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "filters"
}

func (filtersFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Filters with typed values, such as yamldecode gives them, as the filters attribute of tiledesk_segment",
		MarkdownDescription: "Turns a list of filters `{ field, operator, value }` whose `value` keeps its own type, as `yamldecode` " +
			"or `jsondecode` gives it, into the value of the `filters` attribute of `tiledesk_segment`, with the `value_type` " +
			"that sends the value to Tiledesk as that type:\n\n" +
			"| `value` | `value` returned | `value_type` |\n" +
			"|---|---|---|\n" +
			"| a string | the string as is | `string` |\n" +
			"| a number | the shortest text that reads back as the same number: `3`, `2.5`, `1e+06` | `number` |\n" +
			"| a bool | `true` or `false` | `boolean` |\n" +
			"| a map, object, list or tuple | compact JSON, keys sorted, as `jsonencode` writes it | `json` |\n" +
			"| `null`, or no `value` key | `null` | `string` |\n\n" +
			"A filter may have only the keys `field`, `operator` and `value`: any other key, such as a misspelt `vaule`, is an error " +
			"that names it (`value_type` too: the function sets it). `field` and `operator` are required strings, and `operator` " +
			"is one of " + operatorsDoc + ". `value` is required for every operator but `is null` and `is not null`, " +
			"and a value given to one of those two is an error, not ignored (the resource refuses it too). " +
			"Every error names the filter by its index in the list, counting from 0, and its `field`.\n\n" +
			"When any part of the list is unknown until apply, the filters it touches are unknown in the plan; " +
			"the errors that can already be seen are reported in the plan all the same. Requires Terraform 1.8 or later, or OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.DynamicParameter{
				Name: "filters",
				MarkdownDescription: "A list (or tuple) of objects or maps with the keys `field`, `operator` and, except for the null tests, `value`, " +
					"such as `yamldecode(file(\"segments.yaml\")).premium.filters`. `[]` gives no filters; `null` is an error.",
				AllowUnknownValues: true,
			},
		},
		Return: function.ListReturn{ElementType: filterObjectType},
	}
}

func (filtersFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var arg types.Dynamic
	resp.Error = req.Arguments.Get(ctx, &arg)
	if resp.Error != nil {
		return
	}
	v, err := arg.ToTerraformValue(ctx)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "Unable to read the filters: "+err.Error()+". This is a bug in the provider: please report it.")
		return
	}
	list, errs := convertFilters(v)
	if len(errs) > 0 {
		// Terraform and OpenTofu end the message with a period of their own.
		resp.Error = function.NewArgumentFuncError(0, strings.TrimSuffix(strings.Join(errs, "\n"), "."))
		return
	}
	resp.Error = resp.Result.Set(ctx, list)
}

// convertFilters converts the function's argument, or says, filter by
// filter, what is wrong with it. A filter with an unknown part is unknown;
// an unknown list is unknown.
func convertFilters(v tftypes.Value) (types.List, []string) {
	if !v.IsKnown() {
		return types.ListUnknown(filterObjectType), nil
	}
	if v.IsNull() {
		return types.ListNull(filterObjectType), []string{"the filters are null: use [] for no filters."}
	}
	if !v.Type().Is(tftypes.List{}) && !v.Type().Is(tftypes.Tuple{}) {
		return types.ListNull(filterObjectType), []string{fmt.Sprintf("the filters must be a list of objects with the keys %s, not %s.", keysDoc(), typeName(v.Type()))}
	}
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		return types.ListNull(filterObjectType), []string{"Unable to read the filters: " + err.Error() + ". This is a bug in the provider: please report it."}
	}
	out := make([]attr.Value, len(elems))
	var errs []string
	for i, e := range elems {
		f, fErrs := convertFilter(e)
		out[i] = f
		for _, err := range fErrs {
			errs = append(errs, filterName(i, e)+": "+err)
		}
	}
	if len(errs) > 0 {
		return types.ListNull(filterObjectType), errs
	}
	list, diags := types.ListValue(filterObjectType, out)
	if diags.HasError() {
		return types.ListNull(filterObjectType), []string{"Unable to build the filters. This is a bug in the provider: please report it."}
	}
	return list, nil
}

// filterName names a filter in a message: its index, and its field when
// the field is a known string.
func filterName(i int, e tftypes.Value) string {
	name := fmt.Sprintf("filters[%d]", i)
	if attrs, ok := filterAttrs(e); ok {
		var field string
		if f, ok := attrs["field"]; ok && f.Type().Is(tftypes.String) && f.IsKnown() && !f.IsNull() && f.As(&field) == nil {
			name += fmt.Sprintf(" (field %q)", field)
		}
	}
	return name
}

// filterAttrs is a known, non-null object's or map's attributes.
func filterAttrs(e tftypes.Value) (map[string]tftypes.Value, bool) {
	if !e.IsKnown() || e.IsNull() || (!e.Type().Is(tftypes.Object{}) && !e.Type().Is(tftypes.Map{})) {
		return nil, false
	}
	var attrs map[string]tftypes.Value
	if e.As(&attrs) != nil {
		return nil, false
	}
	return attrs, true
}

// convertFilter converts one filter, or lists what is wrong with it.
func convertFilter(e tftypes.Value) (attr.Value, []string) {
	unknown := types.ObjectUnknown(filterAttrTypes)
	t := e.Type()
	isObject, isMap := t.Is(tftypes.Object{}), t.Is(tftypes.Map{})
	switch {
	case t.Is(tftypes.DynamicPseudoType):
		return unknown, nil // unknown, of a type not known yet
	case !isObject && !isMap:
		return nil, []string{fmt.Sprintf("a filter must be an object with the keys %s, not %s.", keysDoc(), typeName(t))}
	case e.IsNull():
		return nil, []string{fmt.Sprintf("a filter must be an object with the keys %s, not null.", keysDoc())}
	}

	// An object's keys are in its type, known even when its values are not.
	var keys []string
	var attrs map[string]tftypes.Value
	if e.IsKnown() {
		attrs, _ = filterAttrs(e)
		for k := range attrs {
			keys = append(keys, k)
		}
	} else if isObject {
		for k := range t.(tftypes.Object).AttributeTypes { //nolint:forcetypeassert // Is above
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var errs []string
	// misspelt: the keys an unknown key looks like, whose absence it explains.
	misspelt := map[string]bool{}
	for _, k := range keys {
		if !slices.Contains(filterKeys, k) {
			near := nearest(k, filterKeys)
			misspelt[near] = true
			errs = append(errs, unknownKeyError(k, near))
		}
	}
	if !e.IsKnown() {
		return unknown, errs
	}

	// A missing key explained by a misspelt one is reported once, as that.
	explained := func(k string) bool {
		_, ok := attrs[k]
		return !ok && misspelt[k]
	}
	field, fieldKnown, err := stringAttr(attrs, "field")
	if err != "" && !explained("field") {
		errs = append(errs, err)
	}
	op, opKnown, err := stringAttr(attrs, "operator")
	if err != "" && !explained("operator") {
		errs = append(errs, err)
	}
	if opKnown && !slices.Contains(operators, op) {
		errs = append(errs, fmt.Sprintf("the operator %q is not one of %s.", op, operatorsList()))
		opKnown = false // no rule about its value
	}

	value, hasValue := attrs["value"]
	// An unknown value is neither null nor non-null yet.
	valueNull := !hasValue || value.IsNull()
	valueNotNull := hasValue && value.IsKnown() && !value.IsNull()
	if opKnown {
		switch {
		case isNullTest(op) && valueNotNull:
			errs = append(errs, fmt.Sprintf("the operator %q tests whether the field is present and takes no value: remove value from this filter.", op))
		case !isNullTest(op) && valueNull && !explained("value"):
			errs = append(errs, fmt.Sprintf("the operator %q needs a value. Only \"is null\" and \"is not null\" take none.", op))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if !fieldKnown || !opKnown || (hasValue && !value.IsFullyKnown()) {
		return unknown, nil
	}

	f := filterModel{
		Field: types.StringValue(field), Operator: types.StringValue(op),
		Value: types.StringNull(), ValueType: types.StringValue(valueTypeString),
	}
	if !valueNull {
		text, valueType, err := valueText(value)
		if err != nil {
			return nil, []string{err.Error()}
		}
		// What the resource will send: never an error, unless this file
		// and filters.go disagree.
		if _, err := encodeValue(text, valueType); err != nil {
			return nil, []string{err.Error() + ". This is a bug in the provider: please report it."}
		}
		f.Value, f.ValueType = types.StringValue(text), types.StringValue(valueType)
	}
	return f.object(), nil
}

// unknownKeyError reports a key a filter may not have; near is the key it
// looks like, if any.
func unknownKeyError(k, near string) string {
	if k == "value_type" {
		return "unknown key \"value_type\": the function sets value_type from the value's type. Remove it, and write the value with its type " +
			"(3, not \"3\", for a number)."
	}
	msg := fmt.Sprintf("unknown key %q", k)
	if near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return msg + ": a filter has only the keys " + keysDoc() + "."
}

// stringAttr reads a required string attribute: its value and whether it is
// known, or an error.
func stringAttr(attrs map[string]tftypes.Value, name string) (string, bool, string) {
	v, ok := attrs[name]
	switch {
	case !ok:
		return "", false, fmt.Sprintf("%s is missing.", name)
	case !v.IsKnown():
		if !v.Type().Is(tftypes.String) && !v.Type().Is(tftypes.DynamicPseudoType) {
			return "", false, fmt.Sprintf("%s must be a string, not %s.", name, typeName(v.Type()))
		}
		return "", false, ""
	case v.IsNull():
		return "", false, fmt.Sprintf("%s is null: it must be a string.", name)
	case !v.Type().Is(tftypes.String):
		return "", false, fmt.Sprintf("%s must be a string, not %s.", name, typeName(v.Type()))
	}
	var s string
	if err := v.As(&s); err != nil {
		return "", false, fmt.Sprintf("%s: %s.", name, err)
	}
	return s, true, ""
}

// valueText is the value's text and value_type for a known, non-null value.
func valueText(v tftypes.Value) (string, string, error) {
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		err := v.As(&s)
		return s, valueTypeString, err
	case t.Is(tftypes.Number):
		var n big.Float
		if err := v.As(&n); err != nil {
			return "", "", err
		}
		return numberText(&n), valueTypeNumber, nil
	case t.Is(tftypes.Bool):
		var b bool
		err := v.As(&b)
		return fmt.Sprint(b), valueTypeBoolean, err
	default:
		var buf bytes.Buffer
		if err := writeJSON(&buf, v); err != nil {
			return "", "", err
		}
		return buf.String(), valueTypeJSON, nil
	}
}

// numberText is the shortest text that reads back as n: the shorter of the
// plain (1000000) and the exponent (1e+06) forms, the plain one on a tie.
func numberText(n *big.Float) string {
	plain, exp := n.Text('f', -1), n.Text('g', -1)
	if len(exp) < len(plain) {
		return exp
	}
	return plain
}

// writeJSON writes v as jsonencode does: compact, object and map keys
// sorted, numbers in plain decimal notation, strings escaped as Go's
// encoding/json escapes them (<, > and & too).
func writeJSON(buf *bytes.Buffer, v tftypes.Value) error {
	if v.IsNull() {
		buf.WriteString("null")
		return nil
	}
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return err
		}
		b, err := json.Marshal(s)
		buf.Write(b)
		return err
	case t.Is(tftypes.Number):
		var n big.Float
		if err := v.As(&n); err != nil {
			return err
		}
		buf.WriteString(n.Text('f', -1))
	case t.Is(tftypes.Bool):
		var b bool
		if err := v.As(&b); err != nil {
			return err
		}
		fmt.Fprint(buf, b)
	case t.Is(tftypes.List{}), t.Is(tftypes.Tuple{}), t.Is(tftypes.Set{}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return err
		}
		buf.WriteByte('[')
		for i, e := range elems {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case t.Is(tftypes.Object{}), t.Is(tftypes.Map{}):
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			return err
		}
		keys := make([]string, 0, len(attrs))
		for k := range attrs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			kb, err := json.Marshal(k)
			if err != nil {
				return err
			}
			buf.Write(kb)
			buf.WriteByte(':')
			if err := writeJSON(buf, attrs[k]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	default:
		return fmt.Errorf("a value of type %s cannot be written as JSON", typeName(t))
	}
	return nil
}

// typeName names a type as Terraform's messages do.
func typeName(t tftypes.Type) string {
	switch {
	case t.Is(tftypes.String):
		return "a string"
	case t.Is(tftypes.Number):
		return "a number"
	case t.Is(tftypes.Bool):
		return "a bool"
	case t.Is(tftypes.List{}):
		return "a list"
	case t.Is(tftypes.Tuple{}):
		return "a tuple"
	case t.Is(tftypes.Set{}):
		return "a set"
	case t.Is(tftypes.Map{}):
		return "a map"
	case t.Is(tftypes.Object{}):
		return "an object"
	default:
		return "a value of type " + t.String()
	}
}

func keysDoc() string { return strings.Join(filterKeys, ", ") }

func operatorsList() string {
	quoted := make([]string, len(operators))
	for i, op := range operators {
		quoted[i] = fmt.Sprintf("%q", op)
	}
	return strings.Join(quoted, ", ")
}
