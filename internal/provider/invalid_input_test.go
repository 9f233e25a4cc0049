package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// invalidCase is a configuration the provider must reject at validate or
// plan time with one error on the right attribute.
type invalidCase struct {
	name string
	// provider holds the provider block's settings; "" means valid ones.
	provider string
	// body holds resources, data sources and import blocks; "" means one
	// valid segment.
	body string
	// importID, when set, is imported into the segment with
	// terraform-plugin-testing (ImportState with ImportStateId).
	importID string
	// attr is the attribute whose line the error points at; "" when
	// Terraform cannot point at one (nested or missing attributes) and
	// want names it instead.
	attr string
	want string // errRe pattern the error matches
}

// errorLine starts each error diagnostic of terraform -no-color.
var errorLine = regexp.MustCompile(`(?m)^Error: `)

const okSegmentID = "6750c0ffee0000000000abcd"

func invalidCases(apiURL string) []invalidCase {
	p := tiledesktest.ProjectID
	url := fmt.Sprintf("api_url = %q", apiURL)
	token := fmt.Sprintf("token = %q", tiledesktest.Token)
	auth := token + fmt.Sprintf("\n  project_id = %q", p)
	filter := func(f string) string { return segmentConfig("Leads", "", "["+f+"]") }
	importBlock := func(id string) string {
		return fmt.Sprintf("import {\n  to = tiledesk_segment.test\n  id = %q\n}\n", id) + segmentConfig("Leads", "", "")
	}
	return []invalidCase{
		// The provider block (api_url is the test API's unless the case sets it).
		{name: "empty api_url", provider: `api_url = ""` + "\n  " + auth, attr: "api_url", want: `Invalid Tiledesk API URL.*must not be empty`},
		{name: "api_url not a URL", provider: `api_url = "api.tiledesk.com"` + "\n  " + auth, attr: "api_url", want: `is not an http\(s\) URL`},
		{name: "ftp api_url", provider: `api_url = "ftp://api.tiledesk.com/v3"` + "\n  " + auth, attr: "api_url", want: `"ftp://api.tiledesk.com/v3" is not an http\(s\) URL`},
		{name: "api_url with credentials", provider: `api_url = "https://me:pw@api.tiledesk.com/v3"` + "\n  " + auth, attr: "api_url", want: `must not carry credentials`},
		{name: "both auth methods", provider: url + "\n  " + auth + "\n  email = \"a@b.c\"\n  password = \"p\"", attr: "token", want: `Conflicting authentication methods`},
		{name: "no auth", provider: url + "\n  project_id = \"" + p + "\"", want: `Missing Tiledesk credentials.*token.*TILEDESK_TOKEN`},
		{name: "email without password", provider: url + "\n  email = \"a@b.c\"", want: `Incomplete email/password authentication.*.password. is missing`},
		{name: "password without email", provider: url + "\n  password = \"p\"", want: `Incomplete email/password authentication.*.email. is missing`},
		{name: "request_timeout not a duration", provider: url + "\n  " + auth + "\n  request_timeout = \"soon\"", attr: "request_timeout", want: `"soon" is not a positive duration`},
		{name: "request_timeout negative", provider: url + "\n  " + auth + "\n  request_timeout = \"-5s\"", attr: "request_timeout", want: `"-5s" is not a positive duration`},
		{name: "max_retries above 20", provider: url + "\n  " + auth + "\n  max_retries = 21", attr: "max_retries", want: `Attribute max_retries value must be between 0 and 20, got: 21`},
		{name: "max_retries negative", provider: url + "\n  " + auth + "\n  max_retries = -1", attr: "max_retries", want: `Attribute max_retries value must be between 0 and 20, got: -1`},
		{name: "malformed provider project_id", provider: url + "\n  " + token + "\n  project_id = \"42\"", attr: "project_id", want: `Attribute project_id must be a 24-character hexadecimal id`},

		// tiledesk_segment.
		{name: "empty name", body: segmentConfig("", "", ""), attr: "name", want: `Attribute name string length must be at least 1`},
		{name: "unknown match", body: segmentConfig("Leads", "some", ""), attr: "match", want: `Attribute match value must be one of: \["all" "any"\], got: "some"`},
		{name: "malformed segment project_id", body: "resource \"tiledesk_segment\" \"test\" {\n  name = \"Leads\"\n  project_id = \"not-a-project\"\n}\n", attr: "project_id", want: `Attribute project_id must be a 24-character hexadecimal id`},
		{name: "unknown operator", body: filter(`{ field = "email", operator = "like", value = "x" }`), want: `Attribute filters\[0\]\.operator value must be one of`},
		{name: "empty field", body: filter(`{ field = "", operator = "=", value = "x" }`), want: `Attribute filters\[0\]\.field string length must be at least 1`},
		{name: "missing value", body: filter(`{ field = "email", operator = "=" }`), want: `Missing value.*filters\[0\]: the operator "=" needs a .value.`},
		{name: "value on is null", body: filter(`{ field = "phone", operator = "is null", value = "" }`), want: `Value not allowed.*filters\[0\]: the operator "is null" tests`},
		{name: "value on is not null", body: filter(`{ field = "phone", operator = "is not null", value = "x" }`), want: `Value not allowed.*filters\[0\]: the operator "is not null" tests`},
		{name: "not a number", body: filter(`{ field = "attributes.orders", operator = ">=", value = "three", value_type = "number" }`), want: `Invalid filter value.*filters\[0\]: "three" is not a number`},
		{name: "not a boolean", body: filter(`{ field = "attributes.vip", operator = "=", value = "yes", value_type = "boolean" }`), want: `filters\[0\]: "yes" is not a boolean`},
		{name: "invalid JSON", body: filter(`{ field = "attributes.meta", operator = "=", value = "{", value_type = "json" }`), want: `filters\[0\]: "\{" is not valid JSON`},
		{name: "unknown value_type", body: filter(`{ field = "email", operator = "=", value = "x", value_type = "date" }`), want: `Attribute filters\[0\]\.value_type value must be one of`},
		{name: "error in the second filter", body: segmentConfig("Leads", "", `[{ field = "email", operator = "=", value = "x" }, { field = "phone", operator = "is null", value = "x" }]`), want: `filters\[1\]: the operator "is null" tests`},

		// Data sources.
		{name: "segment by neither id nor name", body: `data "tiledesk_segment" "x" {}`, want: `Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[id,name\]`},
		{name: "segment by both id and name", body: "data \"tiledesk_segment\" \"x\" {\n  id = \"" + okSegmentID + "\"\n  name = \"Leads\"\n}\n", want: `Invalid Attribute Combination.*Exactly one of these attributes must be configured: \[id,name\]`},
		{name: "malformed segment id", body: `data "tiledesk_segment" "x" { id = "x" }`, attr: "data \"tiledesk_segment\" \"x\" { id", want: `Attribute id must be a 24-character hexadecimal id`},
		{name: "empty segment name", body: `data "tiledesk_segment" "x" { name = "" }`, attr: "data \"tiledesk_segment\" \"x\" { name", want: `Attribute name string length must be at least 1`},
		{name: "invalid name_regex", body: `data "tiledesk_segments" "x" { name_regex = "(" }`, attr: "data \"tiledesk_segments\" \"x\" { name_regex", want: `"\(" is not a valid RE2 regular expression`},
		{name: "leads limit 0", body: `data "tiledesk_leads" "x" { limit = 0 }`, attr: "data \"tiledesk_leads\" \"x\" { limit", want: `Attribute limit value must be between 1 and 1000, got: 0`},
		{name: "leads limit 1001", body: `data "tiledesk_leads" "x" { limit = 1001 }`, attr: "data \"tiledesk_leads\" \"x\" { limit", want: `Attribute limit value must be between 1 and 1000, got: 1001`},
		{name: "malformed leads segment_id", body: `data "tiledesk_leads" "x" { segment_id = "nope" }`, attr: "data \"tiledesk_leads\" \"x\" { segment_id", want: `Attribute segment_id must be a 24-character hexadecimal id`},
		{name: "malformed leads project_id", body: `data "tiledesk_leads" "x" { project_id = "nope" }`, attr: "data \"tiledesk_leads\" \"x\" { project_id", want: `Attribute project_id must be a 24-character hexadecimal id`},

		// Import ids: in an import block, and through terraform import.
		{name: "import block malformed id", body: importBlock("not-an-id"), want: `Invalid import id.*segment id "not-an-id" in "not-an-id" is malformed`},
		{name: "import block malformed project", body: importBlock("123/" + okSegmentID), want: `Invalid import id.*project id "123"`},
		{name: "import block too many parts", body: importBlock("a/b/c"), want: `Invalid import id.*too many parts`},
		{name: "import malformed id", importID: "not-an-id", want: `Invalid import id.*segment id "not-an-id" in "not-an-id" is malformed`},
		{name: "import malformed project", importID: "123/" + okSegmentID, want: `Invalid import id.*project id "123"`},
		{name: "import too many parts", importID: "a/b/c", want: `Invalid import id.*too many parts`},
		{name: "import project without segment", importID: p + "/", want: `Invalid import id.*segment id "" in "` + p + `/" is malformed`},
	}
}

// Each invalid input is one error on the right attribute, found before the
// provider sends anything: the API sees no request at all.
func TestE2EInvalidInput_rejectedBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	api := startTestAPI(t)
	cases := invalidCases(api.url)
	if len(cases) < 25 {
		t.Fatalf("only %d cases", len(cases))
	}
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				cfg := invalidCaseConfig(api, tc)
				if tc.importID != "" {
					resource.Test(t, resource.TestCase{
						ProtoV6ProviderFactories: protoV6Factories(),
						Steps: []resource.TestStep{{
							Config: cfg, ResourceName: segAddr, ImportState: true, ImportStateId: tc.importID, ExpectError: errRe(tc.want),
						}},
					})
					return
				}
				if strings.Contains(tc.body, "import {") && !terraformAtLeast(t, terraformBinary(t), 1, 5) {
					t.Skip("import blocks need Terraform 1.5 or later")
				}
				d := newTFDir(t, nil)
				d.write("main.tf", cfg)
				res := d.expect(1, "plan")
				if n := len(errorLine.FindAllString(res.stderr, -1)); n != 1 {
					t.Errorf("%d errors, want exactly one:\n%s", n, res)
				}
				expectOutput(t, res, tc.want)
				if tc.attr != "" {
					expectOutput(t, res, `\d+: `+regexp.QuoteMeta(tc.attr)+` = `)
				}
			})
		}
	})
	if n := api.requests.Load(); n != 0 {
		t.Errorf("invalid inputs sent %d HTTP requests: %v", n, api.proxy.Counts())
	}
	if n := api.proxy.Count("", ""); n != 0 {
		t.Errorf("the proxy counted %d requests: %v", n, api.proxy.Counts())
	}
}

// invalidCaseConfig is a case's configuration against api.
func invalidCaseConfig(api *e2eAPI, tc invalidCase) string {
	settings := tc.provider
	if settings == "" {
		settings = fmt.Sprintf("api_url = %q\n  token = %q\n  project_id = %q", api.url, tiledesktest.Token, tiledesktest.ProjectID)
	}
	body := tc.body
	if body == "" {
		body = segmentConfig("Leads", "", "")
	}
	return "provider \"tiledesk\" {\n  " + settings + "\n}\n\n" + body
}
