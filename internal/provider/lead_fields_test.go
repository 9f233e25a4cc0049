package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestLeadFieldValidator(t *testing.T) {
	tests := []struct {
		field string
		want  string // "" means no diagnostic; else a part of the warning
	}{
		{"email", ""},
		{"streetAddress", ""},
		{"_id", ""},
		{"createdAt", ""},
		{"attributes.orders", ""},
		{"attributes.emial", ""},
		{"properties.source", ""},
		{"attributes.a.b", ""},
		{"emial", `"emial" is not a lead field of Tiledesk 2.19: did you mean email?`},
		{"Email", "did you mean email?"},
		{"fulname", "did you mean fullname?"},
		{"phnoe", "did you mean phone?"},
		{"streetadress", "did you mean streetAddress?"},
		{"zipcod", "did you mean zipcode?"},
		{"tag", "did you mean tags?"},
		{"id", "did you mean _id?"},
		{"attribute.orders", "did you mean attributes.orders?"},
		{"atributes.plan", "did you mean attributes.plan?"},
		{"propertes.source", "did you mean properties.source?"},
		{"attributes.", "did you mean attributes.<name>?"},
		{"attributes", "did you mean attributes.<name>?"},
		{"orders", `"orders" is not a lead field of Tiledesk 2.19. Leads have lead_id,`},
		{"emial.domain", `"emial.domain" is not a lead field of Tiledesk 2.19. Leads have`},
		{"shoe_size", `"shoe_size" is not a lead field of Tiledesk 2.19. Leads have`},
	}
	p := path.Root("filters").AtListIndex(2).AtName("field")
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			resp := &validator.StringResponse{}
			leadFieldValidator.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: types.StringValue(tt.field)}, resp)
			diags := resp.Diagnostics
			if tt.want == "" {
				if len(diags) != 0 {
					t.Fatalf("want no diagnostic, got %v", diags)
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("want one warning, got %v", diags)
			}
			d := diags[0]
			if d.Severity() != diag.SeverityWarning {
				t.Errorf("severity %v, want a warning (the server accepts any field)", d.Severity())
			}
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(p) {
				t.Errorf("the warning is not scoped to %s: %#v", p, d)
			}
			if d.Summary() != "Unknown lead field" {
				t.Errorf("summary %q", d.Summary())
			}
			if !strings.Contains(d.Detail(), tt.want) || !strings.HasPrefix(d.Detail(), "filters[2].field: ") {
				t.Errorf("detail %q\nwant it to start with the path and contain %q", d.Detail(), tt.want)
			}
		})
	}
}

func TestLeadFieldValidator_skipsNullUnknownEmpty(t *testing.T) {
	for _, v := range []types.String{types.StringNull(), types.StringUnknown(), types.StringValue("")} {
		resp := &validator.StringResponse{}
		leadFieldValidator.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("field"), ConfigValue: v}, resp)
		if len(resp.Diagnostics) != 0 {
			t.Errorf("%s: want no diagnostic, got %v", v, resp.Diagnostics)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"email", "email", 0}, {"emial", "email", 1}, {"", "abc", 3}, {"abc", "", 3},
		{"kitten", "sitting", 3}, {"ca", "abc", 3}, {"fulname", "fullname", 1}, {"phnoe", "phone", 1},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

// The warning shows in terraform's plan output, on the filter's field line,
// and the apply still sends the field as written (the server accepts it).
func TestE2ESegment_unknownFieldWarning(t *testing.T) {
	t.Parallel()
	api := startTestAPI(t)
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", `provider "tiledesk" {}

resource "tiledesk_segment" "s" {
  name = "Typo"
  filters = [
    { field = "attributes.emial", operator = "=", value = "x" },
    { field = "emial", operator = "contains", value = "@example\\.it$" },
  ]
}
`)
	plan := d.expect(0, "plan")
	out := plan.output()
	if n := strings.Count(out, "Warning: Unknown lead field"); n != 1 {
		t.Fatalf("want exactly one unknown-field warning (emial, not attributes.emial), got %d:\n%s", n, plan)
	}
	for _, want := range []string{`filters[1].field: "emial" is not a lead field of Tiledesk 2.19: did you mean email?`, `field = "emial"`, "Plan: 1 to add"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("plan output lacks %q:\n%s", want, plan)
		}
	}
	d.apply()
	segs := api.segments.Live(t, api.project)
	if len(segs) != 1 {
		t.Fatalf("%d live segments, want 1", len(segs))
	}
	if got := segs[0].Filters[1].Field; got != "emial" {
		t.Errorf("the server holds field %q, want emial as written", got)
	}
	d.expectEmptyPlan()
}
