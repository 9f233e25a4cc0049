package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/devenv"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

func TestResolveConfig(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	str := types.StringValue
	null := types.StringNull()
	tests := []struct {
		name    string
		cfg     providerModel
		getenv  func(string) string
		wantErr string
		check   func(t *testing.T, url, token, email string, timeout time.Duration, retries *int, project string)
	}{
		{
			name:   "everything from the environment",
			cfg:    providerModel{APIURL: null, ProjectID: null, Token: null, Email: null, Password: null, RequestTimeout: null, MaxRetries: types.Int64Null()},
			getenv: env(EnvAPIURL, "http://localhost:3000/", EnvProjectID, tiledesktest.ProjectID, EnvToken, "JWT abc", EnvRequestTimeout, "5s", EnvMaxRetries, "0"),
			check: func(t *testing.T, url, token, _ string, timeout time.Duration, retries *int, project string) {
				if url != "http://localhost:3000/" || token != "JWT abc" || timeout != 5*time.Second || retries == nil || *retries != 0 || project != tiledesktest.ProjectID {
					t.Errorf("got %q %q %v %v %q", url, token, timeout, retries, project)
				}
			},
		},
		{
			name:   "configuration wins over the environment, auth method as a whole",
			cfg:    providerModel{APIURL: str("https://example.com/v3"), ProjectID: null, Token: null, Email: str("a@b.c"), Password: str("pw"), RequestTimeout: null, MaxRetries: types.Int64Value(7)},
			getenv: env(EnvAPIURL, "http://ignored", EnvToken, "ignored-token", EnvMaxRetries, "1"),
			check: func(t *testing.T, url, token, email string, _ time.Duration, retries *int, _ string) {
				if url != "https://example.com/v3" || token != "" || email != "a@b.c" || retries == nil || *retries != 7 {
					t.Errorf("got %q %q %q %v", url, token, email, retries)
				}
			},
		},
		{name: "no credentials", cfg: nullModel(), getenv: env(), wantErr: "Missing Tiledesk credentials"},
		{name: "both methods from the environment", cfg: nullModel(), getenv: env(EnvToken, "t", EnvEmail, "a@b.c", EnvPassword, "p"), wantErr: "Conflicting authentication methods"},
		{name: "email without password", cfg: nullModel(), getenv: env(EnvEmail, "a@b.c"), wantErr: "Incomplete email/password"},
		{name: "password without email names email", cfg: nullModel(), getenv: env(EnvPassword, "p"), wantErr: "`email` is missing"},
		{name: "a bare JWT scheme is no token", cfg: nullModel(), getenv: env(EnvToken, "JWT "), wantErr: "Missing Tiledesk credentials"},
		{
			name: "max_retries unset leaves the client's default", cfg: nullModel(), getenv: env(EnvToken, "t"),
			check: func(t *testing.T, _, _, _ string, _ time.Duration, retries *int, _ string) {
				if retries != nil {
					t.Errorf("MaxRetries = %d, want nil (the client's default)", *retries)
				}
			},
		},
		{name: "bad URL from the environment", cfg: nullModel(), getenv: env(EnvToken, "t", EnvAPIURL, "api.tiledesk.com"), wantErr: "not an http(s) URL"},
		{name: "bad project from the environment", cfg: nullModel(), getenv: env(EnvToken, "t", EnvProjectID, "42"), wantErr: "not a 24-character hexadecimal id"},
		{name: "bad timeout from the environment", cfg: nullModel(), getenv: env(EnvToken, "t", EnvRequestTimeout, "-1s"), wantErr: "not a positive duration"},
		{name: "bad retries from the environment", cfg: nullModel(), getenv: env(EnvToken, "t", EnvMaxRetries, "many"), wantErr: "not a whole number from 0 to 20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, project, diags := resolveConfig(tt.cfg, tt.getenv)
			if tt.wantErr != "" {
				if !diags.HasError() || !strings.Contains(fmt.Sprint(diags), tt.wantErr) {
					t.Fatalf("diagnostics %v, want an error containing %q", diags, tt.wantErr)
				}
				return
			}
			if diags.HasError() {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			tt.check(t, out.BaseURL, out.Token, out.Email, out.Timeout, out.MaxRetries, project)
		})
	}
}

func nullModel() providerModel {
	n := types.StringNull()
	return providerModel{APIURL: n, ProjectID: n, Token: n, Email: n, Password: n, RequestTimeout: n, MaxRetries: types.Int64Null()}
}

// Each way of authenticating reaches the API; the environment fills what
// the configuration leaves out.
// resource.Test, not ParallelTest: t.Setenv (so for the other
// TestAccProvider tests).
func TestAccProvider_authentication(t *testing.T) {
	env := newAccEnv(t)
	cases := []struct {
		name     string
		env      map[string]string
		provider string
		password bool // signs in with the email and password
	}{
		{"token with JWT prefix", nil, fmt.Sprintf(`token = "JWT %s"`, env.token), false},
		{"email and password", nil, fmt.Sprintf("email = %q\n  password = %q", env.email, env.password), true},
		{"token from the environment", map[string]string{EnvToken: env.token}, "", false},
		{"email and password from the environment", map[string]string{EnvEmail: env.email, EnvPassword: env.password}, "", true},
		{"configuration wins over a wrong environment", map[string]string{EnvToken: "wrong", EnvAPIURL: "http://127.0.0.1:1"}, fmt.Sprintf("token = %q", env.token), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.password {
				env.needPassword(t)
			}
			clearTiledeskEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cfg := fmt.Sprintf("provider \"tiledesk\" {\n  api_url = %q\n  project_id = %q\n  %s\n}\n", env.url, env.project, tc.provider)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(),
				Steps: []resource.TestStep{{
					Config: cfg + segmentConfig("Auth "+tc.name, "", ""),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("name"), knownvalue.StringExact("Auth "+tc.name)),
					},
				}},
			})
		})
	}
}

func TestAccProvider_refusedCredentials(t *testing.T) {
	env := newAccEnv(t)
	env.needForeign(t)
	clearTiledeskEnv(t)
	const wrong = "eyJ-a-wrong-token-that-must-not-leak"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{
			{
				Config:      fmt.Sprintf("provider \"tiledesk\" {\n  api_url = %q\n  project_id = %q\n  token = %q\n}\n", env.url, env.project, wrong) + segmentConfig("Leads", "", ""),
				ExpectError: errRe(`(?s)HTTP 401 Unauthorized.*credentials were refused.*TILEDESK_TOKEN`),
			},
			{
				Config:      fmt.Sprintf("provider \"tiledesk\" {\n  api_url = %q\n  token = %q\n}\n", env.url, env.token) + segmentConfig("Leads", "", ""),
				ExpectError: errRe(`(?s)Missing project_id.*TILEDESK_PROJECT_ID`),
				PlanOnly:    true,
			},
			{
				Config: fmt.Sprintf("provider \"tiledesk\" {\n  api_url = %q\n  token = %q\n}\n", env.url, env.foreignToken) +
					fmt.Sprintf("resource \"tiledesk_segment\" \"test\" {\n  name = \"x\"\n  project_id = %q\n}\n", env.foreignProject),
				ExpectError: errRe(`(?s)HTTP 403 Forbidden: you dont belong to the project.*not a member of the project`),
			},
		},
	})
}

// A provider configured from values known only at apply plans without
// error, and applies with the values once known.
func TestAccProvider_unknownConfiguration(t *testing.T) {
	env := newAccEnv(t)
	clearTiledeskEnv(t)
	cfg := fmt.Sprintf(`
resource "terraform_data" "credentials" {
  input = { url = %q, token = %q }
}

provider "tiledesk" {
  api_url    = terraform_data.credentials.output.url
  token      = terraform_data.credentials.output.token
  project_id = %q
}
`, env.url, env.token, env.project) + segmentConfig("Leads", "", twoFilters)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		// terraform_data, which supplies the unknown values, came with Terraform 1.4.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_4_0)},
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionCreate)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("project_id"), knownvalue.StringExact(env.project)),
			},
		}},
	})
}

// A provider whose project_id is known only at apply (it comes from another
// resource) plans project_id as unknown, never as TILEDESK_PROJECT_ID, which
// names another project here; apply creates the segment in the configured
// project, and the next plan is empty.
// Not parallel: it sets TILEDESK_PROJECT_ID.
func TestAccProvider_unknownProjectID(t *testing.T) {
	env := newAccEnv(t)
	clearTiledeskEnv(t)
	t.Setenv(EnvProjectID, env.otherProject)
	name := testName(t, "segment")
	cfg := fmt.Sprintf(`
resource "terraform_data" "project" {
  input = %q
}

provider "tiledesk" {
  api_url    = %q
  token      = %q
  project_id = terraform_data.project.output
}
`, env.project, env.url, env.token) + segmentConfig(name, "", "")
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		// terraform_data, which supplies the unknown project, came with Terraform 1.4.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_4_0)},
		CheckDestroy:           env.checkSegmentsDeleted(t),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(segAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(segAddr, tfjsonpath.New("project_id")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(segAddr, tfjsonpath.New("project_id"), knownvalue.StringExact(env.project)),
				},
				Check: func(s *terraform.State) error {
					if err := captureID(segAddr, &id)(s); err != nil {
						return err
					}
					if seg, ok := env.segments.Get(t, id); !ok || seg.ProjectID != env.project || seg.Status != tiledesktest.StatusLive {
						return fmt.Errorf("the server holds %+v (found %v), want a live segment of project %s", seg, ok, env.project)
					}
					for _, seg := range env.segments.Live(t, env.otherProject) {
						if seg.Name == name {
							return fmt.Errorf("segment %s was created in %s's project %s", seg.ID, EnvProjectID, env.otherProject)
						}
					}
					return nil
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// devenv (the e2e tests', the bench's and the scripts' glue) names the
// provider's environment variables as the provider does.
func TestDevenvUsesTheProviderEnvironment(t *testing.T) {
	want := []string{EnvAPIURL + "=u", EnvProjectID + "=p", EnvToken + "=t"}
	if got := devenv.Env("u", "p", "t"); !slices.Equal(got, want) {
		t.Errorf("devenv.Env = %v, want %v", got, want)
	}
}
