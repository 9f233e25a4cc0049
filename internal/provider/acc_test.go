package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// liveEnv, when set, points the acceptance tests at a real Tiledesk server
// configured through the TILEDESK_* environment variables (make testacc-live).
// Tests that need the local API's hooks (out-of-band edits, faults, request
// counts) are skipped there.
const liveEnv = "TILEDESK_ACC_LIVE"

// accEnv is one acceptance test's Tiledesk: a fresh local API per test, or
// the live server.
type accEnv struct {
	fake    *tiledesktest.Server // nil against a live server
	url     string
	project string
	// provider is the provider block for this Tiledesk.
	provider string
}

func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	if os.Getenv(liveEnv) != "" {
		project := os.Getenv(EnvProjectID)
		if project == "" || os.Getenv(EnvAPIURL) == "" {
			t.Fatalf("%s is set: %s and %s (and credentials) are needed too", liveEnv, EnvAPIURL, EnvProjectID)
		}
		return &accEnv{url: os.Getenv(EnvAPIURL), project: project, provider: `provider "tiledesk" {}` + "\n"}
	}
	fake, url := tiledesktest.NewTest(t, tiledesktest.Options{})
	return &accEnv{
		fake:    fake,
		url:     url,
		project: tiledesktest.ProjectID,
		provider: fmt.Sprintf(`provider "tiledesk" {
  api_url    = %q
  token      = %q
  project_id = %q
}
`, url, tiledesktest.Token, tiledesktest.ProjectID),
	}
}

// errRe matches an error message however Terraform wraps its lines: each
// space of pattern matches any run of white space.
func errRe(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

// needFake skips a test that drives the local API's hooks.
func (e *accEnv) needFake(t *testing.T) {
	t.Helper()
	if e.fake == nil {
		t.Skip("needs the local Tiledesk API's test hooks")
	}
}

// config prepends the provider block to a configuration.
func (e *accEnv) config(body string) string { return e.provider + body }

func protoV6Factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"tiledesk": func() (tfprotov6.ProviderServer, error) { return NewServer("test")(), nil },
	}
}

// client is an API client for checks outside Terraform, from the same
// settings the provider uses.
func (e *accEnv) client(t *testing.T) *tiledesk.Client {
	t.Helper()
	cfg := tiledesk.Config{BaseURL: e.url, Token: tiledesktest.Token}
	if e.fake == nil {
		cfg = tiledesk.Config{BaseURL: e.url, Token: os.Getenv(EnvToken), Email: os.Getenv(EnvEmail), Password: os.Getenv(EnvPassword)}
	}
	c, err := tiledesk.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// captureID stores the id of a resource in *id when a step's checks run.
func captureID(address string, id *string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// checkSegmentsDeleted is a CheckDestroy: every tiledesk_segment of the
// state is deleted on the server (status 0, or gone).
func (e *accEnv) checkSegmentsDeleted(t *testing.T) func(*terraform.State) error {
	return func(s *terraform.State) error {
		c := e.client(t)
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "tiledesk_segment" {
				continue
			}
			seg, err := c.GetSegment(context.Background(), rs.Primary.Attributes["project_id"], rs.Primary.ID)
			if tiledesk.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if seg.Live() {
				return fmt.Errorf("segment %s is still live after destroy", rs.Primary.ID)
			}
		}
		return nil
	}
}
