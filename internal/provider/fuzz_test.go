package provider

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
)

// Fuzz targets of the filter value conversions. `make test` runs their
// seeds (f.Add and testdata/fuzz/<FuzzName>/); `make fuzz` explores.

// serverCopy is a value as the server stores and sends it back: parsed and
// serialised again. Values it cannot parse (numbers out of float64 range)
// come back as they were sent.
func serverCopy(sent json.RawMessage) json.RawMessage {
	var v any
	if json.Unmarshal(sent, &v) != nil {
		return sent
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sent
	}
	return b
}

// For every value_type and value text that encodes, the server's copy read
// back with the configuration as prior keeps the configured text and type
// (no perpetual diff); read back without a prior (import) it encodes to the
// same JSON again.
func FuzzFilterValueRoundTrip(f *testing.F) {
	for _, s := range []struct {
		value     string
		valueType uint8 // index in valueTypes
	}{
		{"@example.it", 0}, {"", 0}, {`quote " and \ slash`, 0}, {"<b>&</b>", 0},
		{"3", 1}, {"3.0", 1}, {"-2.5e3", 1}, {"1e400", 1}, {"12345678901234567890", 1}, {"-0", 1},
		{"true", 2}, {"false", 2},
		{`{ "b": 2, "a": [1,2] }`, 3}, {`"quoted"`, 3}, {"null", 3}, {`{"a":1,"a":2}`, 3}, {`"\ud800"`, 3},
	} {
		f.Add(s.value, s.valueType)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, value string, typeIndex uint8) {
		if !utf8.ValidString(value) {
			t.Skip("Terraform strings are UTF-8")
		}
		valueType := valueTypes[int(typeIndex)%len(valueTypes)]
		sent, err := encodeValue(value, valueType)
		if err != nil {
			return // the plan refuses it
		}
		stored := []tiledesk.Filter{{Field: "attributes.x", Operator: "=", Value: serverCopy(sent)}}

		prior := types.ListValueMust(filterObjectType, []attr.Value{model("attributes.x", "=", value, valueType).object()})
		back, diags := filtersFromAPI(ctx, stored, prior)
		if diags.HasError() || !back.Equal(prior) {
			t.Fatalf("%s %q sent as %s, stored as %s, read back as %v (%v)", valueType, value, sent, stored[0].Value, back, diags)
		}

		imported, diags := filtersFromAPI(ctx, stored, types.ListNull(filterObjectType))
		if diags.HasError() {
			t.Fatal(diags)
		}
		again, diags := filtersToAPI(ctx, imported)
		if diags.HasError() || !tiledesk.JSONEqual(again[0].Value, stored[0].Value) {
			t.Fatalf("stored %s, imported as %v, sent again as %s (%v)", stored[0].Value, imported, again[0].Value, diags)
		}
	})
}

// decodeValue never panics on anything the server could send, and for
// valid JSON returns a value text and type that encode back to the same
// JSON value.
func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{`"premium"`, `""`, `3`, `-0.5e-3`, `true`, `false`, `null`, `{"a": [1, {"b": null}]}`, `[]`, ` "padded" `,
		`"\u00e9\ud800"`, `tru`, `{`, `"unterminated`, "", `1e400`, `-`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		value, valueType := decodeValue(raw)
		if !slices.Contains(valueTypes, valueType) {
			t.Fatalf("decodeValue(%q) gave value_type %q", raw, valueType)
		}
		if !json.Valid(raw) {
			return
		}
		if value.IsNull() {
			t.Fatalf("decodeValue(%q) = null", raw)
		}
		again, err := encodeValue(value.ValueString(), valueType)
		if err != nil || !tiledesk.JSONEqual(again, raw) {
			t.Fatalf("decodeValue(%q) = %q (%s), which encodes to %s, %v", raw, value.ValueString(), valueType, again, err)
		}
	})
}

// jsonEqual is reflexive and symmetric.
func FuzzJSONEqual(f *testing.F) {
	for _, p := range [][2]string{{`3`, `3.0`}, {`{"a":1,"b":2}`, `{ "b": 2, "a": 1 }`}, {`[1,2]`, `[2,1]`}, {`3`, `"3"`}, {`null`, `""`}, {`{`, `{`}, {"", "null"}} {
		f.Add([]byte(p[0]), []byte(p[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if !tiledesk.JSONEqual(a, a) || !tiledesk.JSONEqual(b, b) {
			t.Fatalf("jsonEqual is not reflexive on %q or %q", a, b)
		}
		if tiledesk.JSONEqual(a, b) != tiledesk.JSONEqual(b, a) {
			t.Fatalf("tiledesk.JSONEqual(%q, %q) = %v but the reverse is %v", a, b, tiledesk.JSONEqual(a, b), tiledesk.JSONEqual(b, a))
		}
	})
}
