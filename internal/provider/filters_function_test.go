package provider

import (
	"context"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Values as Terraform sends them to the function: yamldecode gives tuples
// of objects, each object typed by its own attributes.

func tfObj(attrs map[string]tftypes.Value) tftypes.Value {
	types := map[string]tftypes.Type{}
	for k, v := range attrs {
		types[k] = v.Type()
	}
	return tftypes.NewValue(tftypes.Object{AttributeTypes: types}, attrs)
}

func tfTuple(elems ...tftypes.Value) tftypes.Value {
	types := make([]tftypes.Type, len(elems))
	for i, e := range elems {
		types[i] = e.Type()
	}
	return tftypes.NewValue(tftypes.Tuple{ElementTypes: types}, elems)
}

func tfStr(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
func tfBool(b bool) tftypes.Value  { return tftypes.NewValue(tftypes.Bool, b) }

// tfNum reads a number as Terraform does: 512 bits.
func tfNum(s string) tftypes.Value {
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return tftypes.NewValue(tftypes.Number, f)
}

// tfFilter is a filter object; value may be nil (no value key).
func tfFilter(field, op string, value *tftypes.Value) tftypes.Value {
	attrs := map[string]tftypes.Value{"field": tfStr(field), "operator": tfStr(op)}
	if value != nil {
		attrs["value"] = *value
	}
	return tfObj(attrs)
}

func ptr(v tftypes.Value) *tftypes.Value { return &v }

// filterText is a converted filter as "field|operator|value|value_type",
// the value <null> or <unknown>.
func filterText(v attr.Value) string {
	obj, ok := v.(types.Object)
	if !ok || obj.IsUnknown() {
		return "<unknown>"
	}
	a := obj.Attributes()
	s := func(k string) string {
		sv := a[k].(types.String) //nolint:forcetypeassert // filterObjectType
		switch {
		case sv.IsNull():
			return "<null>"
		case sv.IsUnknown():
			return "<unknown>"
		}
		return sv.ValueString()
	}
	return strings.Join([]string{s("field"), s("operator"), s("value"), s("value_type")}, "|")
}

func TestFiltersFunction_values(t *testing.T) {
	tests := []struct {
		name  string
		value *tftypes.Value
		op    string
		want  string // value|value_type
	}{
		{"string", ptr(tfStr("@example\\.it$")), "contains", `@example\.it$|string`},
		{"empty string", ptr(tfStr("")), "=", "|string"},
		{"string of a number", ptr(tfStr("00184")), "=", "00184|string"},
		{"string of a bool", ptr(tfStr("true")), "=", "true|string"},
		{"integer", ptr(tfNum("3")), ">=", "3|number"},
		{"decimal", ptr(tfNum("2.5")), ">", "2.5|number"},
		{"negative", ptr(tfNum("-7.25")), ">", "-7.25|number"},
		{"zero", ptr(tfNum("0")), "=", "0|number"},
		{"a million", ptr(tfNum("1000000")), ">=", "1e+06|number"},
		{"a million as float64", ptr(tftypes.NewValue(tftypes.Number, big.NewFloat(1e6))), ">=", "1e+06|number"},
		{"int64", ptr(tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(123456789))), ">=", "123456789|number"},
		{"a tenth", ptr(tfNum("0.1")), ">", "0.1|number"},
		{"tiny", ptr(tfNum("0.00001")), ">", "1e-05|number"},
		{"huge", ptr(tfNum("1e300")), ">", "1e+300|number"},
		{"big integer", ptr(tfNum("12345678901234567890")), "=", "12345678901234567890|number"},
		{"true", ptr(tfBool(true)), "=", "true|boolean"},
		{"false", ptr(tfBool(false)), "!=", "false|boolean"},
		{"object", ptr(tfObj(map[string]tftypes.Value{"language": tfStr("it"), "channels": tfTuple(tfStr("email"))})), "=", `{"channels":["email"],"language":"it"}|json`},
		{"map", ptr(tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"b": tfStr("<&>"), "a": tfStr(`"`)})), "=", `{"a":"\"","b":"\u003c\u0026\u003e"}|json`},
		{"tuple", ptr(tfTuple(tfStr("it"), tfStr("en"))), "=", `["it","en"]|json`},
		{"list", ptr(tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, []tftypes.Value{tfNum("1000000"), tfNum("2.5")})), "=", `[1000000,2.5]|json`},
		{"empty tuple", ptr(tfTuple()), "=", `[]|json`},
		{"nested null", ptr(tfObj(map[string]tftypes.Value{"a": tftypes.NewValue(tftypes.String, nil), "b": tfTuple(tfBool(true), tfNum("1"))})), "=", `{"a":null,"b":[true,1]}|json`},
		{"is null, no value", nil, "is null", "<null>|string"},
		{"is not null, no value", nil, "is not null", "<null>|string"},
		{"is null, null value", ptr(tftypes.NewValue(tftypes.DynamicPseudoType, nil)), "is null", "<null>|string"},
		{"is not null, null string", ptr(tftypes.NewValue(tftypes.String, nil)), "is not null", "<null>|string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, errs := convertFilters(tfTuple(tfFilter("attributes.x", tt.op, tt.value)))
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if got, want := filterText(list.Elements()[0]), "attributes.x|"+tt.op+"|"+tt.want; got != want {
				t.Fatalf("got %s\nwant %s", got, want)
			}
			// What the function returns, the resource accepts and sends.
			m := filterModel{}
			if diags := list.Elements()[0].(types.Object).As(context.Background(), &m, basetypes.ObjectAsOptions{}); diags.HasError() {
				t.Fatal(diags)
			}
			if !m.Value.IsNull() {
				if _, err := encodeValue(m.Value.ValueString(), m.ValueType.ValueString()); err != nil {
					t.Fatalf("the resource refuses it: %v", err)
				}
			}
		})
	}
}

// A number's text reads back as the same number at the precision it came
// with.
func TestFiltersFunction_numberTextRoundTrips(t *testing.T) {
	for _, s := range []string{"3", "2.5", "1000000", "1e21", "0.1", "1e-7", "123456789", "-0.000123", "3.14159265358979323846264338327950288", "9007199254740993"} {
		f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		text := numberText(f)
		back, _, err := big.ParseFloat(text, 10, f.Prec(), big.ToNearestEven)
		if err != nil || back.Cmp(f) != 0 {
			t.Errorf("%s: text %q reads back as %v (%v)", s, text, back, err)
		}
		if !jsonNumber.MatchString(text) {
			t.Errorf("%s: text %q is not a number for value_type number", s, text)
		}
	}
}

func TestFiltersFunction_lists(t *testing.T) {
	objType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"field": tftypes.String, "operator": tftypes.String, "value": tftypes.String}}
	mapType := tftypes.Map{ElementType: tftypes.String}
	tests := []struct {
		name string
		arg  tftypes.Value
		want []string
	}{
		{"empty tuple", tfTuple(), []string{}},
		{"empty list", tftypes.NewValue(tftypes.List{ElementType: objType}, []tftypes.Value{}), []string{}},
		{"list of objects", tftypes.NewValue(tftypes.List{ElementType: objType}, []tftypes.Value{
			tftypes.NewValue(objType, map[string]tftypes.Value{"field": tfStr("email"), "operator": tfStr("contains"), "value": tfStr("@x")}),
			tftypes.NewValue(objType, map[string]tftypes.Value{"field": tfStr("phone"), "operator": tfStr("is null"), "value": tftypes.NewValue(tftypes.String, nil)}),
		}), []string{"email|contains|@x|string", "phone|is null|<null>|string"}},
		{"list of maps", tftypes.NewValue(tftypes.List{ElementType: mapType}, []tftypes.Value{
			tftypes.NewValue(mapType, map[string]tftypes.Value{"field": tfStr("city"), "operator": tfStr("="), "value": tfStr("Roma")}),
			tftypes.NewValue(mapType, map[string]tftypes.Value{"field": tfStr("phone"), "operator": tfStr("is not null")}),
		}), []string{"city|=|Roma|string", "phone|is not null|<null>|string"}},
		{"order kept", tfTuple(
			tfFilter("b", "=", ptr(tfNum("1"))), tfFilter("a", "=", ptr(tfBool(true))), tfFilter("b", "=", ptr(tfStr("x"))),
		), []string{"b|=|1|number", "a|=|true|boolean", "b|=|x|string"}},
		// Unknown until apply: the filters it touches are unknown, the others known.
		{"unknown value", tfTuple(
			tfFilter("email", "=", ptr(tftypes.NewValue(tftypes.String, tftypes.UnknownValue))), tfFilter("city", "=", ptr(tfStr("Roma"))),
		), []string{"<unknown>", "city|=|Roma|string"}},
		{"partly unknown value", tfTuple(
			tfFilter("tags", "=", ptr(tfTuple(tfStr("a"), tftypes.NewValue(tftypes.String, tftypes.UnknownValue)))),
		), []string{"<unknown>"}},
		{"unknown operator", tfTuple(tfObj(map[string]tftypes.Value{"field": tfStr("email"), "operator": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})),
			[]string{"<unknown>"}}, // the value's rule waits for the operator
		{"unknown value of a null test", tfTuple(
			tfFilter("phone", "is null", ptr(tftypes.NewValue(tftypes.DynamicPseudoType, tftypes.UnknownValue))),
		), []string{"<unknown>"}},
		{"unknown filter", tfTuple(tftypes.NewValue(objType, tftypes.UnknownValue)), []string{"<unknown>"}},
		{"unknown map", tfTuple(tftypes.NewValue(mapType, tftypes.UnknownValue)), []string{"<unknown>"}},
		{"unknown of unknown type", tfTuple(tftypes.NewValue(tftypes.DynamicPseudoType, tftypes.UnknownValue), tfFilter("city", "=", ptr(tfStr("Roma")))),
			[]string{"<unknown>", "city|=|Roma|string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, errs := convertFilters(tt.arg)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if list.IsNull() || list.IsUnknown() {
				t.Fatalf("got %v, want a known list", list)
			}
			got := []string{}
			for _, e := range list.Elements() {
				got = append(got, filterText(e))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}

	t.Run("unknown list", func(t *testing.T) {
		for _, arg := range []tftypes.Value{
			tftypes.NewValue(tftypes.DynamicPseudoType, tftypes.UnknownValue),
			tftypes.NewValue(tftypes.List{ElementType: objType}, tftypes.UnknownValue),
		} {
			if list, errs := convertFilters(arg); !list.IsUnknown() || len(errs) > 0 {
				t.Errorf("convertFilters(%v) = %v, %v; want unknown", arg, list, errs)
			}
		}
	})
}

func TestFiltersFunction_errors(t *testing.T) {
	unknownStr := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	good := tfFilter("city", "=", ptr(tfStr("Roma")))
	tests := []struct {
		name string
		arg  tftypes.Value
		want []string // each error, in order
	}{
		{"null list", tftypes.NewValue(tftypes.DynamicPseudoType, nil), []string{"the filters are null: use [] for no filters."}},
		{"not a list", tfStr("email"), []string{"the filters must be a list of objects with the keys field, operator, value, not a string."}},
		{"one filter, not in a list", good, []string{"the filters must be a list of objects with the keys field, operator, value, not an object."}},
		{"a set", tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tfStr("a")}), []string{"not a set."}},
		{"string element", tfTuple(good, tfStr("email = x")), []string{`filters[1]: a filter must be an object with the keys field, operator, value, not a string.`}},
		{"list element", tfTuple(tfTuple(tfStr("email"), tfStr("="), tfStr("x"))), []string{`filters[0]: a filter must be an object with the keys field, operator, value, not a tuple.`}},
		{"null element", tfTuple(good, tftypes.NewValue(good.Type(), nil)), []string{`filters[1]: a filter must be an object with the keys field, operator, value, not null.`}},
		{"misspelt value", tfTuple(good, tfObj(map[string]tftypes.Value{"field": tfStr("attributes.orders"), "operator": tfStr(">="), "vaule": tfNum("3")})), []string{
			`filters[1] (field "attributes.orders"): unknown key "vaule" (did you mean "value"?): a filter has only the keys field, operator, value.`,
		}},
		{"misspelt value and a value", tfTuple(tfObj(map[string]tftypes.Value{"field": tfStr("email"), "operator": tfStr("is null"), "value": tftypes.NewValue(tftypes.String, nil), "valeu": tfStr("x")})), []string{
			`filters[0] (field "email"): unknown key "valeu" (did you mean "value"?)`,
		}},
		{"misspelt operator", tfTuple(tfObj(map[string]tftypes.Value{"field": tfStr("email"), "opertor": tfStr("=")})), []string{
			`filters[0] (field "email"): unknown key "opertor" (did you mean "operator"?)`,
		}},
		{"misspelt field", tfTuple(tfObj(map[string]tftypes.Value{"feild": tfStr("email"), "operator": tfStr("is null")})), []string{
			`filters[0]: unknown key "feild" (did you mean "field"?): a filter has only the keys field, operator, value.`,
		}},
		{"missing field", tfTuple(tfObj(map[string]tftypes.Value{"operator": tfStr("is null")})), []string{`filters[0]: field is missing.`}},
		{"foreign key", tfTuple(tfObj(map[string]tftypes.Value{"field": tfStr("email"), "operator": tfStr("is null"), "comment": tfStr("x")})), []string{
			`filters[0] (field "email"): unknown key "comment": a filter has only the keys field, operator, value.`,
		}},
		{"value_type", tfTuple(tfObj(map[string]tftypes.Value{"field": tfStr("email"), "operator": tfStr("="), "value": tfStr("3"), "value_type": tfStr("number")})), []string{
			`filters[0] (field "email"): unknown key "value_type": the function sets value_type from the value's type. Remove it, and write the value with its type (3, not "3", for a number).`,
		}},
		{"missing operator", tfTuple(tfObj(map[string]tftypes.Value{"field": tfStr("email"), "value": tfStr("x")})), []string{`filters[0] (field "email"): operator is missing.`}},
		{"number field", tfTuple(tfObj(map[string]tftypes.Value{"field": tfNum("3"), "operator": tfStr("="), "value": tfStr("x")})), []string{`filters[0]: field must be a string, not a number.`}},
		{"null field", tfTuple(tfObj(map[string]tftypes.Value{"field": tftypes.NewValue(tftypes.String, nil), "operator": tfStr("="), "value": tfStr("x")})), []string{`filters[0]: field is null: it must be a string.`}},
		{"bool operator", tfTuple(tfObj(map[string]tftypes.Value{"field": tfStr("email"), "operator": tfBool(true), "value": tfStr("x")})), []string{`filters[0] (field "email"): operator must be a string, not a bool.`}},
		{"unknown operator name", tfTuple(tfFilter("email", "equals", ptr(tfStr("x")))), []string{
			`filters[0] (field "email"): the operator "equals" is not one of "=", "!=", ">", ">=", "starts with", "contains", "is null", "is not null".`,
		}},
		{"missing value", tfTuple(good, good, tfFilter("attributes.orders", ">=", nil)), []string{
			`filters[2] (field "attributes.orders"): the operator ">=" needs a value. Only "is null" and "is not null" take none.`,
		}},
		{"null value", tfTuple(tfFilter("email", "=", ptr(tftypes.NewValue(tftypes.DynamicPseudoType, nil)))), []string{
			`filters[0] (field "email"): the operator "=" needs a value.`,
		}},
		{"value for is null", tfTuple(tfFilter("phone", "is null", ptr(tfStr("")))), []string{
			`filters[0] (field "phone"): the operator "is null" tests whether the field is present and takes no value: remove value from this filter.`,
		}},
		{"value for is not null", tfTuple(tfFilter("phone", "is not null", ptr(tfBool(true)))), []string{
			`filters[0] (field "phone"): the operator "is not null" tests whether the field is present and takes no value`,
		}},
		{"partly unknown value for is null", tfTuple(tfFilter("phone", "is null", ptr(tfTuple(unknownStr)))), []string{
			`filters[0] (field "phone"): the operator "is null" tests whether the field is present and takes no value`,
		}},
		{"errors in several filters", tfTuple(tfStr("x"), good, tfFilter("email", "=", nil)), []string{
			`filters[0]: a filter must be an object`, `filters[2] (field "email"): the operator "=" needs a value.`,
		}},
		// What can be seen before apply is reported before apply.
		{"misspelt key, unknown filter", tfTuple(tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"field": tftypes.String, "operator": tftypes.String, "vaule": tftypes.String}}, tftypes.UnknownValue)), []string{
			`filters[0]: unknown key "vaule" (did you mean "value"?)`,
		}},
		{"misspelt key, unknown value", tfTuple(tfObj(map[string]tftypes.Value{"field": tfStr("email"), "operator": tfStr("="), "vaule": unknownStr})), []string{
			`filters[0] (field "email"): unknown key "vaule" (did you mean "value"?)`,
		}},
		{"missing value, unknown field", tfTuple(tfObj(map[string]tftypes.Value{"field": unknownStr, "operator": tfStr("=")})), []string{
			`filters[0]: the operator "=" needs a value.`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, errs := convertFilters(tt.arg)
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(errs), len(tt.want), strings.Join(errs, "\n"))
			}
			for i, want := range tt.want {
				if !strings.Contains(errs[i], want) {
					t.Errorf("error %d:\n got %s\nwant it to contain %s", i, errs[i], want)
				}
			}
			if !list.IsNull() {
				t.Errorf("a result with errors: %v", list)
			}
		})
	}
}

// Run: the result, and errors as an error on argument 0, all in one.
func TestFiltersFunction_run(t *testing.T) {
	ctx := context.Background()
	run := func(arg tftypes.Value) function.RunResponse {
		t.Helper()
		v, err := types.DynamicType.ValueFromTerraform(ctx, arg)
		if err != nil {
			t.Fatal(err)
		}
		resp := function.RunResponse{Result: function.NewResultData(types.ListUnknown(filterObjectType))}
		filtersFunction{}.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{v})}, &resp)
		return resp
	}

	resp := run(tfTuple(tfFilter("attributes.orders", ">=", ptr(tfNum("3"))), tfFilter("phone", "is not null", nil)))
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	list, ok := resp.Result.Value().(types.List)
	if !ok || len(list.Elements()) != 2 || filterText(list.Elements()[0]) != "attributes.orders|>=|3|number" {
		t.Fatalf("result %v", resp.Result.Value())
	}

	resp = run(tfTuple(tfFilter("a", "=", nil), tfFilter("b", "is null", ptr(tfStr("x")))))
	if resp.Error == nil || resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != 0 {
		t.Fatalf("error %#v, want one on argument 0", resp.Error)
	}
	if !strings.Contains(resp.Error.Text, `filters[0] (field "a")`) || !strings.Contains(resp.Error.Text, "\n"+`filters[1] (field "b")`) ||
		strings.HasSuffix(resp.Error.Text, ".") { // Terraform adds one
		t.Fatalf("error text:\n%s", resp.Error.Text)
	}

	resp = run(tftypes.NewValue(tftypes.DynamicPseudoType, tftypes.UnknownValue))
	if resp.Error != nil || !resp.Result.Value().IsUnknown() {
		t.Fatalf("unknown argument: %v, %v", resp.Result.Value(), resp.Error)
	}
}

// Provider functions need Terraform 1.8 (OpenTofu 1.7).
var functionVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// The function as Terraform calls it: from yamldecode, every kind of value.
func TestAccFunctionFilters_yamldecode(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   functionVersions,
		Steps: []resource.TestStep{{
			Config: `
locals {
  yaml = <<-EOT
    - { field: email, operator: contains, value: "@example\\.it$" }
    - { field: attributes.orders, operator: ">=", value: 3 }
    - { field: attributes.score, operator: ">", value: 7.5 }
    - { field: attributes.revenue, operator: ">=", value: 1000000 }
    - { field: attributes.vip, operator: "=", value: true }
    - { field: attributes.prefs, operator: "=", value: { language: it, channels: [email] } }
    - { field: tags, operator: "=", value: [vip, 2] }
    - { field: zipcode, operator: "=", value: "00184" }
    - { field: phone, operator: is not null }
    - { field: attributes.unsubscribed_at, operator: is null, value: null }
  EOT
}

output "filters" {
  value = provider::tiledesk::filters(yamldecode(local.yaml))
}

output "empty" {
  value = provider::tiledesk::filters([])
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("filters", knownvalue.ListExact([]knownvalue.Check{
					filterCheck("email", "contains", knownvalue.StringExact(`@example\.it$`), "string"),
					filterCheck("attributes.orders", ">=", knownvalue.StringExact("3"), "number"),
					filterCheck("attributes.score", ">", knownvalue.StringExact("7.5"), "number"),
					filterCheck("attributes.revenue", ">=", knownvalue.StringExact("1e+06"), "number"),
					filterCheck("attributes.vip", "=", knownvalue.StringExact("true"), "boolean"),
					filterCheck("attributes.prefs", "=", knownvalue.StringExact(`{"channels":["email"],"language":"it"}`), "json"),
					filterCheck("tags", "=", knownvalue.StringExact(`["vip",2]`), "json"),
					filterCheck("zipcode", "=", knownvalue.StringExact("00184"), "string"),
					filterCheck("phone", "is not null", knownvalue.Null(), "string"),
					filterCheck("attributes.unsubscribed_at", "is null", knownvalue.Null(), "string"),
				})),
				statecheck.ExpectKnownOutputValue("empty", knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

// A JSON value is what jsonencode writes, so that a configuration that
// built it with jsonencode shows no change when it moves to the function.
func TestAccFunctionFilters_jsonLikeJsonencode(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   functionVersions,
		Steps: []resource.TestStep{{
			Config: `
locals {
  value = { b = [1000000, 0.1, -2.5e-3, true, null], a = "<&>\"é", c = { z = 1, y = {} } }
}

output "same" {
  value = provider::tiledesk::filters([{ field = "attributes.x", operator = "=", value = local.value }])[0].value == jsonencode(local.value)
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("same", knownvalue.Bool(true)),
			},
		}},
	})
}

// Errors name the filter, and every bad filter is reported at once.
func TestAccFunctionFilters_errors(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   functionVersions,
		Steps: []resource.TestStep{
			{
				Config: `
output "filters" {
  value = provider::tiledesk::filters(yamldecode(<<-EOT
    - { field: email, operator: contains, value: x }
    - { field: attributes.orders, operator: ">=", vaule: 3 }
    - { field: phone, operator: is null, value: "" }
  EOT
  ))
}
`,
				ExpectError: errRe(`filters\[1\] \(field "attributes.orders"\): unknown key "vaule" \(did you mean "value"\?\)` +
					`.* filters\[2\] \(field "phone"\): the operator "is null" tests whether the field is present and takes no value`),
			},
			{
				Config:      `output "filters" { value = provider::tiledesk::filters(["email = x"]) }`,
				ExpectError: errRe(`filters\[0\]: a filter must be an object with the keys field, operator, value, not a string`),
			},
			{
				// Terraform's words, or OpenTofu's: neither calls the provider.
				Config:      `output "filters" { value = provider::tiledesk::filters(null) }`,
				ExpectError: errRe(`(argument must not be null|parameter filters is null, which is not allowed)`),
			},
		},
	})
}

// An argument unknown until apply, wholly or in part, gives an unknown
// result in the plan and the right one after apply.
func TestAccFunctionFilters_unknownArgument(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   functionVersions,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "later" {
  input = "Roma"
}

output "partly" {
  value = provider::tiledesk::filters([
    { field = "city", operator = "=", value = terraform_data.later.id },
    { field = "attributes.orders", operator = ">=", value = 3 },
  ])
}

output "wholly" {
  value = provider::tiledesk::filters(terraform_data.later.id == "" ? [] : [{ field = "city", operator = "=", value = terraform_data.later.output }])
}
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownOutputValueAtPath("partly", tfjsonpath.New(0)),
					plancheck.ExpectKnownOutputValueAtPath("partly", tfjsonpath.New(1),
						filterCheck("attributes.orders", ">=", knownvalue.StringExact("3"), "number")),
					plancheck.ExpectUnknownOutputValue("wholly"),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("partly", knownvalue.ListExact([]knownvalue.Check{
					filterCheck("city", "=", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`)), "string"),
					filterCheck("attributes.orders", ">=", knownvalue.StringExact("3"), "number"),
				})),
				statecheck.ExpectKnownOutputValue("wholly", knownvalue.ListExact([]knownvalue.Check{
					filterCheck("city", "=", knownvalue.StringExact("Roma"), "string"),
				})),
			},
		}},
	})
}

// The function's result as a segment's filters: applied as it plans,
// stored with the values' types, and no difference on the next plan.
func TestAccFunctionFilters_segment(t *testing.T) {
	env := newAccEnv(t)
	config := env.config(`
locals {
  segment = yamldecode(<<-EOT
    name: Function filters
    filters:
      - { field: email, operator: contains, value: "@example\\.it$" }
      - { field: attributes.orders, operator: ">=", value: 3 }
      - { field: attributes.score, operator: ">", value: 7.5 }
      - { field: attributes.revenue, operator: ">=", value: 1000000 }
      - { field: attributes.vip, operator: "=", value: true }
      - { field: attributes.prefs, operator: "=", value: { language: it, channels: [email] } }
      - { field: zipcode, operator: "=", value: "00184" }
      - { field: phone, operator: is not null }
  EOT
  )
}

resource "tiledesk_segment" "test" {
  name    = local.segment.name
  filters = provider::tiledesk::filters(local.segment.filters)
}
`)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   functionVersions,
		CheckDestroy:             env.checkSegmentsDeleted(t),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("filters"), knownvalue.ListExact([]knownvalue.Check{
						filterCheck("email", "contains", knownvalue.StringExact(`@example\.it$`), "string"),
						filterCheck("attributes.orders", ">=", knownvalue.StringExact("3"), "number"),
						filterCheck("attributes.score", ">", knownvalue.StringExact("7.5"), "number"),
						filterCheck("attributes.revenue", ">=", knownvalue.StringExact("1e+06"), "number"),
						filterCheck("attributes.vip", "=", knownvalue.StringExact("true"), "boolean"),
						filterCheck("attributes.prefs", "=", knownvalue.StringExact(`{"channels":["email"],"language":"it"}`), "json"),
						filterCheck("zipcode", "=", knownvalue.StringExact("00184"), "string"),
						filterCheck("phone", "is not null", knownvalue.Null(), "string"),
					})),
				},
				Check: func(s *terraform.State) error {
					if err := captureID(segAddr, &id)(s); err != nil {
						return err
					}
					return checkStoredValues(t, env.segments, id, map[string]any{
						"email": `@example\.it$`, "attributes.orders": 3.0, "attributes.score": 7.5, "attributes.revenue": 1e6,
						"attributes.vip": true, "attributes.prefs": map[string]any{"language": "it", "channels": []any{"email"}},
						"zipcode": "00184", "phone": "",
					})
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
