package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ValidateConfig applies the client's credential rule (tiledesk.CheckAuth)
// to what the configuration already shows: unknown values and the
// environment may still complete it.
func TestValidateConfig_authentication(t *testing.T) {
	p := &tiledeskProvider{}
	var sch provider.SchemaResponse
	p.Schema(t.Context(), provider.SchemaRequest{}, &sch)
	typ := sch.Schema.Type().TerraformType(t.Context())
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	tests := []struct {
		name     string
		set      map[string]tftypes.Value
		wantAttr string // "" for no error
		want     string
	}{
		{name: "nothing (the environment may give it)"},
		{name: "token", set: map[string]tftypes.Value{"token": str("t")}},
		{name: "token and email", set: map[string]tftypes.Value{"token": str("t"), "email": str("a@b.c")}, wantAttr: "token", want: "Conflicting authentication methods"},
		{name: "email without password", set: map[string]tftypes.Value{"email": str("a@b.c")}, wantAttr: "password", want: "Incomplete email/password authentication"},
		{name: "password without email", set: map[string]tftypes.Value{"password": str("p")}, wantAttr: "email", want: "Incomplete email/password authentication"},
		{name: "email and an unknown password", set: map[string]tftypes.Value{"email": str("a@b.c"), "password": unknown}},
		{name: "unknown token and email", set: map[string]tftypes.Value{"token": unknown, "email": str("a@b.c"), "password": str("p")}},
		{name: "token and unknown email", set: map[string]tftypes.Value{"token": str("t"), "email": unknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := map[string]tftypes.Value{}
			for name, attrType := range typ.(tftypes.Object).AttributeTypes {
				vals[name] = tftypes.NewValue(attrType, nil)
			}
			for k, v := range tt.set {
				vals[k] = v
			}
			req := provider.ValidateConfigRequest{Config: tfsdk.Config{Schema: sch.Schema, Raw: tftypes.NewValue(typ, vals)}}
			var resp provider.ValidateConfigResponse
			p.ValidateConfig(t.Context(), req, &resp)
			if tt.wantAttr == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected diagnostics: %v", resp.Diagnostics)
				}
				return
			}
			errs := resp.Diagnostics.Errors()
			if len(errs) != 1 || errs[0].Summary() != tt.want {
				t.Fatalf("diagnostics %v, want one %q", resp.Diagnostics, tt.want)
			}
			if d, ok := errs[0].(interface{ Path() path.Path }); !ok || !d.Path().Equal(path.Root(tt.wantAttr)) {
				t.Errorf("error %v not on attribute %s", errs[0], tt.wantAttr)
			}
		})
	}
}
