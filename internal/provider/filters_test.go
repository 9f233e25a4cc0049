package provider

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

func TestEncodeValue(t *testing.T) {
	tests := []struct {
		value, valueType, want, wantErr string
	}{
		{"@example.it", "string", `"@example.it"`, ""},
		{"", "string", `""`, ""},
		{`quote " and \ slash`, "string", `"quote \" and \\ slash"`, ""},
		{"3", "number", `3`, ""},
		{"-2.5e3", "number", `-2.5e3`, ""},
		{"3.0", "number", `3.0`, ""},
		{"03", "number", "", "not a number"},
		{" 3", "number", "", "not a number"},
		{"three", "number", "", "not a number"},
		{"NaN", "number", "", "not a number"},
		{"true", "boolean", `true`, ""},
		{"false", "boolean", `false`, ""},
		{"True", "boolean", "", "not a boolean"},
		{"1", "boolean", "", "not a boolean"},
		{`{ "a" : [1, 2] }`, "json", `{"a":[1,2]}`, ""},
		{`null`, "json", `null`, ""},
		{`{"a":`, "json", "", "not valid JSON"},
		{"x", "date", "", "unknown value_type"},
	}
	for _, tt := range tests {
		t.Run(tt.valueType+"/"+tt.value, func(t *testing.T) {
			got, err := encodeValue(tt.value, tt.valueType)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("encodeValue(%q, %q) error = %v, want it to contain %q", tt.value, tt.valueType, err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("encodeValue(%q, %q) = %s, %v; want %s", tt.value, tt.valueType, got, err, tt.want)
			}
		})
	}
}

func TestDecodeValue(t *testing.T) {
	tests := []struct {
		raw, wantValue, wantType string
		wantNull                 bool
	}{
		{`"premium"`, "premium", "string", false},
		{`""`, "", "string", false},
		{`3`, "3", "number", false},
		{`-0.5`, "-0.5", "number", false},
		{`true`, "true", "boolean", false},
		{`{"a": 1}`, `{"a":1}`, "json", false},
		{`[1, "x"]`, `[1,"x"]`, "json", false},
		{`null`, "null", "json", false},
		{``, "", "string", true},
	}
	for _, tt := range tests {
		v, typ := decodeValue(json.RawMessage(tt.raw))
		if v.IsNull() != tt.wantNull || (!tt.wantNull && v.ValueString() != tt.wantValue) || typ != tt.wantType {
			t.Errorf("decodeValue(%s) = %v, %q; want %q (null %v), %q", tt.raw, v, typ, tt.wantValue, tt.wantNull, tt.wantType)
		}
	}
}

// Every value a user can write survives the trip to the API and back with
// no difference, whatever value_type it has.
func TestFilterRoundTrip(t *testing.T) {
	cases := []filterModel{
		model("email", "contains", "@example.it", "string"),
		model("attributes.orders", ">=", "3", "number"),
		model("attributes.orders", ">", "3.0", "number"),
		model("attributes.vip", "=", "true", "boolean"),
		model("attributes.meta", "=", `{ "b": 2, "a": [1,2] }`, "json"),
		model("attributes.s", "=", `"quoted"`, "json"),
		model("tags", "!=", "", "string"),
		{Field: types.StringValue("phone"), Operator: types.StringValue("is not null"), Value: types.StringNull(), ValueType: types.StringValue("string")},
		{Field: types.StringValue("city"), Operator: types.StringValue("is null"), Value: types.StringNull(), ValueType: types.StringValue("number")},
	}
	ctx := context.Background()
	for _, f := range cases {
		t.Run(f.Operator.ValueString()+" "+f.Value.ValueString(), func(t *testing.T) {
			list := types.ListValueMust(filterObjectType, []attr.Value{f.object()})
			api, diags := filtersToAPI(ctx, list)
			if diags.HasError() {
				t.Fatalf("filtersToAPI: %v", diags)
			}
			// The server re-serialises JSON: simulate it.
			var v any
			if err := json.Unmarshal(api[0].Value, &v); err != nil {
				t.Fatal(err)
			}
			reencoded, _ := json.Marshal(v)
			api[0].Value = reencoded

			back, diags := filtersFromAPI(ctx, api, list)
			if diags.HasError() {
				t.Fatalf("filtersFromAPI: %v", diags)
			}
			if !back.Equal(list) {
				t.Fatalf("round trip changed the filter:\n got %v\nwant %v", back, list)
			}
			// Without a prior (import), the value reads back to something
			// that encodes to the same JSON.
			imported, _ := filtersFromAPI(ctx, api, types.ListNull(filterObjectType))
			again, diags := filtersToAPI(ctx, imported)
			if diags.HasError() || !tiledesk.JSONEqual(again[0].Value, api[0].Value) {
				t.Fatalf("import then encode = %s, %v; want %s", again[0].Value, diags, api[0].Value)
			}
		})
	}
}

func TestFilterFromAPI_DriftShows(t *testing.T) {
	prior := model("attributes.orders", ">=", "3", "number")
	tests := []struct {
		raw, wantValue, wantType string
	}{
		{`4`, "4", "number"},   // value edited
		{`"3"`, "3", "string"}, // same text, other JSON type
		{`[3]`, "[3]", "json"}, // an array now
		{`"something"`, "something", "string"},
	}
	for _, tt := range tests {
		got := filterFromAPI(tiledesk.Filter{Field: "attributes.orders", Operator: ">=", Value: json.RawMessage(tt.raw)}, &prior)
		if got.Value.ValueString() != tt.wantValue || got.ValueType.ValueString() != tt.wantType {
			t.Errorf("server value %s read as %v/%v, want %s/%s", tt.raw, got.Value, got.ValueType, tt.wantValue, tt.wantType)
		}
	}
	// A null test given a value in the dashboard shows that value.
	nullTest := filterModel{Field: types.StringValue("phone"), Operator: types.StringValue("is null"), Value: types.StringNull(), ValueType: types.StringValue("string")}
	got := filterFromAPI(tiledesk.Filter{Field: "phone", Operator: "is null", Value: json.RawMessage(`"x"`)}, &nullTest)
	if got.Value.ValueString() != "x" {
		t.Errorf("null test with a server value read as %v, want x", got.Value)
	}
}

func TestJSONEqual(t *testing.T) {
	equal := [][2]string{{`3`, `3.0`}, {`{"a":1,"b":2}`, `{ "b": 2, "a": 1 }`}, {`[1,2]`, `[1, 2]`}, {`"x"`, `"x"`}}
	for _, p := range equal {
		if !tiledesk.JSONEqual([]byte(p[0]), []byte(p[1])) {
			t.Errorf("tiledesk.JSONEqual(%s, %s) = false, want true", p[0], p[1])
		}
	}
	different := [][2]string{{`3`, `"3"`}, {`true`, `"true"`}, {`[1,2]`, `[2,1]`}, {`null`, `""`}, {`{`, `{}`}}
	for _, p := range different {
		if tiledesk.JSONEqual([]byte(p[0]), []byte(p[1])) {
			t.Errorf("tiledesk.JSONEqual(%s, %s) = true, want false", p[0], p[1])
		}
	}
}

func model(field, op, value, valueType string) filterModel {
	return filterModel{Field: types.StringValue(field), Operator: types.StringValue(op), Value: types.StringValue(value), ValueType: types.StringValue(valueType)}
}
