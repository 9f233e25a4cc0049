package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk"
	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

// liveEnv, when set, points the acceptance tests at a real Tiledesk server
// configured through the TILEDESK_* environment variables (make testacc-live,
// make testacc-real): see backend_test.go. Each test then works in a project
// of its own, created for it. Tests that need what only the local API can do
// are skipped there, each with its reason.
const liveEnv = "TILEDESK_ACC_LIVE"

// accEnv is one acceptance test's Tiledesk: a fresh local API per test, or
// the live server, always behind a proxy of the test's own
// (tiledesktest.Proxy) that counts the provider's requests and injects
// faults.
type accEnv struct {
	*liveTarget
	proxy *tiledesktest.Proxy
	url   string // the proxy's: what the provider talks to
	// provider is the provider block for this Tiledesk.
	provider string
}

func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	lt := newLiveTarget(t)
	proxy, url := tiledesktest.NewTestProxy(t, lt.apiURL)
	return &accEnv{liveTarget: lt, proxy: proxy, url: url, provider: providerBlock(url, lt.token, lt.project)}
}

// providerBlock is a provider block with every setting given.
func providerBlock(url, token, project string) string {
	return fmt.Sprintf(`provider "tiledesk" {
  api_url    = %q
  token      = %q
  project_id = %q
}
`, url, token, project)
}

// errRe matches an error message however Terraform wraps its lines: each
// space of pattern matches any run of white space.
func errRe(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

// config prepends the provider block to a configuration.
func (e *accEnv) config(body string) string { return e.provider + body }

func protoV6Factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"tiledesk": func() (tfprotov6.ProviderServer, error) { return NewServer("test")(), nil },
	}
}

// client is an API client for checks outside Terraform, with the test's
// credentials, straight to the API (not through the proxy).
func (e *accEnv) client(t *testing.T) *tiledesk.Client {
	t.Helper()
	c, err := tiledesk.NewClient(tiledesk.Config{BaseURL: e.apiURL, Token: e.token})
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
			seg, err := tiledesk.Segments.Get(context.Background(), c, rs.Primary.Attributes["project_id"], rs.Primary.ID)
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

// checkDeleted is a CheckDestroy: no resource of resourceType that the state
// held is a live object of its project on the server any more.
func (e *accEnv) checkDeleted(t *testing.T, ent testEntity, resourceType string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != resourceType {
				continue
			}
			for _, d := range e.backend.Live(t, ent, rs.Primary.Attributes["project_id"]) {
				if d["_id"] == rs.Primary.ID {
					return fmt.Errorf("%s %s is still live after destroy", resourceType, rs.Primary.ID)
				}
			}
		}
		return nil
	}
}

// noOpStep applies cfg again: the plan is empty and nothing is written;
// extra checks run after.
func (e *accEnv) noOpStep(cfg string, extra ...resource.TestCheckFunc) resource.TestStep {
	noWrites := func(*terraform.State) error {
		if w := e.proxy.Writes(); w != 0 {
			return fmt.Errorf("a no-op plan and apply wrote %d times: %v", w, e.proxy.Counts())
		}
		return nil
	}
	return resource.TestStep{
		PreConfig:        func() { e.proxy.ResetCounts() },
		Config:           cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		Check:            resource.ComposeTestCheckFunc(append([]resource.TestCheckFunc{noWrites}, extra...)...),
	}
}

// importStep imports addr by its id or, when byProject holds the id, as
// <project_id>/<id>, verified against the state.
func (e *accEnv) importStep(cfg, addr string, byProject *string) resource.TestStep {
	step := resource.TestStep{Config: cfg, ResourceName: addr, ImportState: true, ImportStateVerify: true}
	if byProject != nil {
		step.ImportStateIdFunc = func(*terraform.State) (string, error) { return e.project + "/" + *byProject, nil }
	}
	return step
}

// updatesInPlace are the plan checks of a step that updates addr in place
// and converges.
func updatesInPlace(addr string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

// recreateStep deletes the object *first as the dashboard does, then applies
// cfg: the plan creates addr again (see recreated); extra checks run after.
func (e *accEnv) recreateStep(t *testing.T, ent testEntity, addr, cfg string, first, second *string, extra ...resource.TestCheckFunc) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() { e.backend.Delete(t, ent, *first) },
		Config:    cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
		},
		Check: resource.ComposeTestCheckFunc(append([]resource.TestCheckFunc{e.recreated(t, ent, addr, first, second)}, extra...)...),
	}
}

// recreated checks the apply that follows a delete made outside Terraform of
// the object *first: addr holds a new one (its id goes to *second), and the
// deleted one is not back (no PUT brought it to life, nor upserted it).
func (e *accEnv) recreated(t *testing.T, ent testEntity, addr string, first, second *string) resource.TestCheckFunc {
	return resource.ComposeTestCheckFunc(captureID(addr, second), func(*terraform.State) error {
		if *second == *first {
			return fmt.Errorf("the deleted %s %s came back", ent.name, *first)
		}
		if _, ok := e.backend.Get(t, ent, *first); ok && ent.hardDelete {
			return fmt.Errorf("%s %s, deleted outside Terraform, is on the server again (a PUT upserted it?)", ent.name, *first)
		}
		for _, d := range e.backend.Live(t, ent, e.project) {
			if d["_id"] == *first {
				return fmt.Errorf("%s %s, deleted outside Terraform, is live again", ent.name, *first)
			}
		}
		return nil
	})
}

// serverDoc checks what the server holds for the object of addr in the
// state, read through b: want maps a key of the server's document to its
// value (nil: null or absent).
func serverDoc(t *testing.T, b accBackend, e testEntity, addr string, id *string, want map[string]any) func(*terraform.State) error {
	return func(s *terraform.State) error {
		if err := captureID(addr, id)(s); err != nil {
			return err
		}
		d, ok := b.Get(t, e, *id)
		if !ok {
			return fmt.Errorf("%s %s is not on the server", e.name, *id)
		}
		for k, v := range want {
			if got := d[k]; fmt.Sprint(got) != fmt.Sprint(v) && (v != nil || got != nil) {
				return fmt.Errorf("%s %s: the server holds %s = %v, want %v (all: %v)", e.name, *id, k, got, v, d)
			}
		}
		return nil
	}
}

// agentEnv is the test's Tiledesk as an agent of its project sees it: the
// provider block and the backend with the agent's credentials.
func (e *accEnv) agentEnv(t *testing.T) (provider string, backend accBackend) {
	t.Helper()
	token := e.agent(t)
	return providerBlock(e.url, token, e.project), newAPIBackend(e.apiURL, token, e.project)
}
