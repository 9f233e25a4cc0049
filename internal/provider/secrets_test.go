package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

const (
	wrongToken    = "eyJ-wrong-token-that-must-not-leak"
	wrongPassword = "wrong-Passw0rd-that-must-not-leak"
)

func basicCredential(email, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(email + ":" + password))
}

// A whole life cycle under TF_LOG=TRACE, with each authentication method:
// the token, the password and the Basic credential appear in nothing
// terraform prints, logs or stores. The secrets come from TILEDESK_*
// variables, as they should: a value written in the configuration or passed
// through a variable is stored by Terraform itself in the plan file.
func TestE2ESecrets_neverLeaked(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		auth    func(*e2eAPI) map[string]string // the credentials
		wrong   map[string]string               // credentials the server refuses
		secrets func(*e2eAPI) []string
	}{
		{
			name: "token", auth: func(api *e2eAPI) map[string]string { return map[string]string{EnvToken: "JWT " + api.token} },
			wrong:   map[string]string{EnvToken: wrongToken},
			secrets: func(api *e2eAPI) []string { return []string{api.token, wrongToken} },
		},
		{
			name: "email and password",
			auth: func(api *e2eAPI) map[string]string {
				return map[string]string{EnvEmail: api.email, EnvPassword: api.password}
			},
			wrong: map[string]string{EnvPassword: wrongPassword},
			secrets: func(api *e2eAPI) []string {
				return []string{api.password, basicCredential(api.email, api.password), wrongPassword, basicCredential(api.email, wrongPassword)}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := startTestAPI(t)
			if tc.name != "token" {
				api.needPassword(t)
			}
			dashboard := api.segments.Seed(t, api.project, tiledesktest.Segment{Name: "Made in the dashboard"})
			logFile := filepath.Join(t.TempDir(), "terraform.log")
			env := apiEnv(api)
			delete(env, EnvToken)
			for k, v := range tc.auth(api) {
				env[k] = v
			}
			env["TF_LOG"], env["TF_LOG_PROVIDER"], env["TF_LOG_PATH"] = "TRACE", "TRACE", logFile
			d := newTFDir(t, env)
			d.write("main.tf", segmentsConfig(2)+"\ndata \"tiledesk_segments\" \"all\" {\n  depends_on = [tiledesk_segment.s]\n}\n")

			var seen []string // everything printed or stored
			keep := func(res tfResult) { seen = append(seen, res.String()) }
			keepFile := func(name string) {
				b, err := os.ReadFile(filepath.Join(d.dir, name))
				if err != nil {
					t.Fatal(err)
				}
				seen = append(seen, string(b))
			}
			keep(d.expect(0, "plan", "-out=tfplan"))
			keep(d.expect(0, "show", "-json", "tfplan"))
			keep(d.expect(0, "apply", "tfplan"))
			keepFile("terraform.tfstate")
			keep(d.expect(0, "apply", "-refresh-only", "-auto-approve"))

			refused := d.runEnv(tc.wrong, "plan")
			if refused.code != 1 || !errRe(`HTTP 401 Unauthorized.*credentials were refused`).MatchString(refused.output()) {
				t.Errorf("wrong credentials: want a 401 error:\n%s", refused)
			}
			keep(refused)

			d.write("imported.tf", "resource \"tiledesk_segment\" \"imported\" {\n  name = \"Made in the dashboard\"\n}\n")
			keep(d.expect(0, "import", "tiledesk_segment.imported", dashboard.ID))
			keep(d.expect(0, "show", "-json"))
			keepFile("terraform.tfstate")
			keep(d.expect(0, "destroy", "-auto-approve"))
			keepFile("terraform.tfstate")
			keepFile("terraform.tfstate.backup")
			if live := api.liveIDs(); len(live) != 0 {
				t.Errorf("destroy left %d segments", len(live))
			}

			logs, err := os.ReadFile(logFile)
			if err != nil {
				t.Fatal(err)
			}
			// The log must hold what the provider logs at TRACE, or the
			// search below proves nothing.
			for _, want := range []string{"Tiledesk API request body", "Tiledesk API response body", "status=401", "/segments"} {
				if !strings.Contains(string(logs), want) {
					t.Errorf("the TRACE log has no %q: is provider logging on?", want)
				}
			}
			seen = append(seen, string(logs))
			for _, secret := range tc.secrets(api) {
				for _, s := range seen {
					if i := strings.Index(s, secret); i >= 0 {
						t.Errorf("secret %q leaked: ...%s...", secret, s[max(0, i-200):min(len(s), i+len(secret)+50)])
						break
					}
				}
			}
		})
	}
}

// The schema marks the secrets sensitive, as terraform reads it.
func TestE2ESecrets_schemaMarksSensitive(t *testing.T) {
	t.Parallel()
	d := newTFDir(t, nil)
	res := d.expect(0, "providers", "schema", "-json")
	var schemas struct {
		ProviderSchemas map[string]struct {
			Provider struct {
				Block struct {
					Attributes map[string]struct {
						Sensitive bool `json:"sensitive"`
					} `json:"attributes"`
				} `json:"block"`
			} `json:"provider"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &schemas); err != nil {
		t.Fatalf("%v\n%s", err, res)
	}
	if len(schemas.ProviderSchemas) != 1 {
		t.Fatalf("want one provider schema:\n%s", res)
	}
	for _, s := range schemas.ProviderSchemas {
		for name, attr := range s.Provider.Block.Attributes {
			if want := name == "token" || name == "password"; attr.Sensitive != want {
				t.Errorf("provider attribute %s: sensitive = %v, want %v", name, attr.Sensitive, want)
			}
		}
	}
}

// newSelfSignedAPI serves the local API over TLS with httptest's
// self-signed certificate.
func newSelfSignedAPI(t *testing.T) *httptest.Server {
	ts := httptest.NewTLSServer(tiledesktest.New(tiledesktest.Options{}))
	t.Cleanup(ts.Close)
	return ts
}

// TLS certificates are always verified: the client refuses a server with a
// self-signed certificate, the error says so, and nothing lets a user turn
// verification off.
func TestTLSVerificationAlwaysOn(t *testing.T) {
	ts := newSelfSignedAPI(t)
	c, err := tiledesk.NewClient(tiledesk.Config{BaseURL: ts.URL, Token: tiledesktest.Token, MaxRetries: new(3)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tiledesk.Segments.Page(context.Background(), c, tiledesktest.ProjectID, tiledesk.ListOptions{})
	var rerr *tiledesk.RequestError
	switch {
	case err == nil:
		t.Fatal("the client accepted a self-signed certificate")
	case !strings.Contains(err.Error(), "certificate"):
		t.Errorf("error %q does not mention the certificate", err)
	case !errors.As(err, &rerr) || rerr.Attempts != 1:
		t.Errorf("error %v: want one attempt, a certificate error is not retried", err)
	}

	// No setting to turn verification off: the provider's settings are
	// exactly these, and production builds have no client hook.
	var resp provider.SchemaResponse
	p := New("test")()
	p.Schema(context.Background(), provider.SchemaRequest{}, &resp)
	var names []string
	for name := range resp.Schema.Attributes {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"api_url", "email", "max_retries", "password", "project_id", "request_timeout", "token"}; !slices.Equal(names, want) {
		t.Errorf("provider settings %v, want %v: a new setting must not weaken TLS", names, want)
	}
	if p.(*tiledeskProvider).configure != nil {
		t.Error("New sets a client hook: it could replace the transport")
	}
}

// Through terraform, the certificate error reaches the user.
func TestE2ESecrets_selfSignedCertificateRefused(t *testing.T) {
	t.Parallel()
	ts := newSelfSignedAPI(t)
	d := newTFDir(t, map[string]string{EnvAPIURL: ts.URL, EnvProjectID: tiledesktest.ProjectID, EnvToken: tiledesktest.Token})
	d.write("main.tf", `data "tiledesk_segments" "all" {}`+"\n")
	res := d.expect(1, "plan")
	expectOutput(t, res, `tls: failed to verify certificate: x509: certificate signed by unknown authority`)
}

// A webhook subscription's secret, under TF_LOG=TRACE: it reaches the state
// (sensitive) and nothing that terraform prints or logs, not even an error
// whose answer quotes it; an import has none.
func TestE2ESecrets_webhookSecretNeverLogged(t *testing.T) {
	t.Parallel()
	api := startTestAPI(t)
	logFile := filepath.Join(t.TempDir(), "terraform.log")
	env := apiEnv(api)
	env["TF_LOG"], env["TF_LOG_PROVIDER"], env["TF_LOG_PATH"] = "TRACE", "TRACE", logFile
	d := newTFDir(t, env)
	d.write("main.tf", hookConfig("request.create", hookBase+"secret"))

	var seen []string // everything printed or logged
	keep := func(res tfResult) { seen = append(seen, res.String()) }
	keep(d.expect(0, "plan", "-out=tfplan"))
	keep(d.expect(0, "apply", "tfplan"))
	keep(d.expect(0, "apply", "-refresh-only", "-auto-approve"))
	shown := d.expect(0, "show")
	expectOutput(t, shown, `secret\s+= \(sensitive value\)`)
	keep(shown)

	raw, err := os.ReadFile(filepath.Join(d.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Instances []struct {
				Attributes struct {
					ID     string `json:"id"`
					Secret string `json:"secret"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil || len(state.Resources) != 1 || len(state.Resources[0].Instances) != 1 {
		t.Fatalf("state: %v\n%s", err, raw)
	}
	secret, id := state.Resources[0].Instances[0].Attributes.Secret, state.Resources[0].Instances[0].Attributes.ID
	if !uuidRe.MatchString(secret) {
		t.Fatalf("the state's secret is %q", secret)
	}

	// An answer that quotes the secret (a gateway echoing a body) fails the
	// refresh: the error shows it masked.
	api.proxy.InjectFault(tiledesktest.Fault{Method: "GET", Route: "subscription", Status: http.StatusBadGateway, Times: 20,
		Body: `{"secret":"` + secret + `","event":"request.create"}`})
	refused := d.expect(1, "plan")
	expectOutput(t, refused, `HTTP 502 Bad Gateway: \{"secret":"\*\*\*"`)
	keep(refused)
	api.proxy.ClearFaults()

	keep(d.expect(0, "state", "rm", hookAddr))
	keep(d.expect(0, "import", hookAddr, id))
	imported := d.expect(0, "show", "-json")
	if strings.Contains(imported.stdout, secret) || !strings.Contains(imported.stdout, `"secret":null`) {
		t.Errorf("after an import the secret is not null:\n%s", imported.stdout)
	}
	keep(d.expect(0, "destroy", "-auto-approve"))

	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// The log must hold the create's answer, masked, or the search below
	// proves nothing.
	for _, want := range []string{"Tiledesk API response body", `\"secret\":\"***\"`, "/subscriptions"} {
		if !strings.Contains(string(logs), want) {
			t.Errorf("the TRACE log has no %q: is provider logging on?", want)
		}
	}
	seen = append(seen, string(logs))
	for _, s := range seen {
		if i := strings.Index(s, secret); i >= 0 {
			t.Errorf("the webhook secret leaked: ...%s...", s[max(0, i-200):min(len(s), i+len(secret)+50)])
		}
	}
}
