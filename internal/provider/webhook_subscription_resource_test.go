package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/tiledesk/terraform-provider-tiledesk/internal/tiledesk/tiledesktest"
)

const hookAddr = "tiledesk_webhook_subscription.test"

func hookConfig(event, target string) string {
	return fmt.Sprintf("resource \"tiledesk_webhook_subscription\" \"test\" {\n  event  = %q\n  target = %q\n}\n", event, target)
}

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// serverSecret is the secret the server holds for the project's first
// subscription of event: a create of (event, target) that exists answers it
// (the only way the API shows a secret after the create).
func serverSecret(t *testing.T, lt *liveTarget, event, target string) string {
	t.Helper()
	var out struct {
		Secret string `json:"secret"`
	}
	if err := rawCall(t.Context(), http.MethodPost, lt.apiURL+"/"+lt.project+"/subscriptions", lt.token,
		map[string]string{"event": event, "target": target}, &out); err != nil || out.Secret == "" {
		t.Fatalf("reading the secret of (%s, %s): %v (%+v)", event, target, err, out)
	}
	return out.Secret
}

// processSecret is the secret the server gives every subscription it
// creates (one per server process): that of a subscription created through
// the API alone, in a project of its own.
func processSecret(t *testing.T, lt *liveTarget) string {
	t.Helper()
	var out struct {
		Secret string `json:"secret"`
	}
	if err := rawCall(t.Context(), http.MethodPost, lt.apiURL+"/"+lt.project+"/subscriptions", lt.token,
		map[string]string{"event": "request.close", "target": hookBase + "process-secret"}, &out); err != nil || out.Secret == "" {
		t.Fatalf("creating a subscription through the API: %v (%+v)", err, out)
	}
	return out.Secret
}

// The secret is the subscription's own (not the one the server gives every
// subscription it creates), set right after the create; it stays through
// updates and refreshes; an import has none; a replacement gets a new one
// (how it is rotated). Event and target update in place.
func TestAccWebhookSubscription_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	target := hookBase + "lifecycle"
	created := env.config(hookConfig("request.create", target))
	updated := env.config(hookConfig("lead.create", target+"/v2"))
	var id, first, secret string
	keepsSecret := statecheck.ExpectKnownValue(hookAddr, tfjsonpath.New("secret"), sameString(&secret))
	shared := processSecret(t, env.liveTarget)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, subscriptionEntity, "tiledesk_webhook_subscription"),
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(hookAddr, tfjsonpath.New("secret"), knownvalue.StringRegexp(uuidRe)),
					statecheck.ExpectSensitiveValue(hookAddr, tfjsonpath.New("secret")),
				},
				Check: resource.ComposeTestCheckFunc(
					serverDoc(t, env.backend, subscriptionEntity, hookAddr, &first, map[string]any{"event": "request.create", "target": target, "id_project": env.project}),
					resource.TestCheckResourceAttrWith(hookAddr, "secret", func(v string) error {
						secret = v
						if v == shared {
							return fmt.Errorf("the secret is the one the server gives every subscription")
						}
						if want := serverSecret(t, env.liveTarget, "request.create", target); v != want {
							return fmt.Errorf("secret %q, the server holds %q", v, want)
						}
						return nil
					})),
			},
			env.noOpStep(created, resource.TestCheckResourceAttrWith(hookAddr, "secret", func(v string) error {
				if v != secret {
					return fmt.Errorf("secret %q after a refresh, want %q", v, secret)
				}
				return nil
			})),
			{
				Config:            updated,
				ConfigPlanChecks:  updatesInPlace(hookAddr),
				ConfigStateChecks: []statecheck.StateCheck{keepsSecret},
				Check: resource.ComposeTestCheckFunc(
					serverDoc(t, env.backend, subscriptionEntity, hookAddr, &id, map[string]any{"event": "lead.create", "target": target + "/v2"}),
					func(*terraform.State) error {
						if id != first {
							return fmt.Errorf("the update replaced subscription %s by %s", first, id)
						}
						if got := serverSecret(t, env.liveTarget, "lead.create", target+"/v2"); got != secret {
							return fmt.Errorf("the update changed the server's secret to %q", got)
						}
						return nil
					}),
			},
			{
				Config: updated, ResourceName: hookAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"secret"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["secret"] != "" {
						return fmt.Errorf("an import read a secret: %v", states)
					}
					return nil
				},
			},
			{
				Config: updated,
				Taint:  []string{hookAddr}, // what terraform apply -replace does
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(hookAddr, plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(hookAddr, tfjsonpath.New("secret"), knownvalue.StringRegexp(uuidRe))},
				Check: resource.ComposeTestCheckFunc(captureID(hookAddr, &id), func(*terraform.State) error {
					if id == first {
						return fmt.Errorf("the replacement kept subscription %s", first)
					}
					if _, ok := env.backend.Get(t, subscriptionEntity, first); ok {
						return fmt.Errorf("the replaced subscription %s is still on the server", first)
					}
					return nil
				}, resource.TestCheckResourceAttrWith(hookAddr, "secret", func(v string) error {
					switch v {
					case secret:
						return fmt.Errorf("the replacement kept the old secret: nothing rotated")
					case shared:
						return fmt.Errorf("the replacement has the secret the server gives every subscription")
					}
					if want := serverSecret(t, env.liveTarget, "lead.create", target+"/v2"); v != want {
						return fmt.Errorf("secret %q after the replacement, the server holds %q", v, want)
					}
					return nil
				})),
			},
		},
	})
}

// The server keeps one subscription per event and target, and answers a
// create of an existing one with the project's FIRST subscription of the
// event, whatever its target: the provider never sends that create. It
// names the existing one and its import, and nothing is written; importing
// it adopts it.
func TestAccWebhookSubscription_existingKey(t *testing.T) {
	env := newAccEnv(t)
	target := hookBase + "existing"
	other := fmt.Sprint(env.backend.Seed(t, subscriptionEntity, env.project, doc{"event": "request.create", "target": hookBase + "other"})["_id"])
	same := fmt.Sprint(env.backend.Seed(t, subscriptionEntity, env.project, doc{"event": "request.create", "target": target})["_id"])
	cfg := env.config(hookConfig("request.create", target))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)}, // import blocks
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ExpectError: errRe(fmt.Sprintf(`The project already has a webhook subscription %s with this key \(event "request.create", target %q\).*`+
					`Nothing was created.*terraform import <address> %s/%s`, same, target, env.project, same)),
			},
			{
				PreConfig: func() {
					if n := env.proxy.Count("POST", "subscriptions"); n != 0 {
						t.Errorf("%d creates sent for an existing key", n)
					}
				},
				Config: env.config(fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", hookAddr, same)) + hookConfig("request.create", target),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(hookAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(hookAddr, tfjsonpath.New("id"), knownvalue.StringExact(same)),
					statecheck.ExpectKnownValue(hookAddr, tfjsonpath.New("secret"), knownvalue.Null()),
				},
			},
		},
	})
	if d, ok := env.backend.Get(t, subscriptionEntity, other); !ok || d["target"] != hookBase+"other" {
		t.Errorf("the first subscription of the event changed: %v (found %v)", d, ok)
	}
}

// A subscription made between the provider's check and its create (another
// apply, the dashboard) makes the server answer the create with the first
// subscription of the event: one of another target, or the raced one
// itself, of exactly this event and target, when it is the first. Either is
// refused, never adopted (nor given a secret of the provider's).
func TestE2EWebhookSubscription_duplicateAnswerRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		firstOther bool // the project has an older subscription of the event, another target
	}{
		{"first of the event another target", true},
		{"the raced one first of the event", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := startTestAPI(t)
			target := hookBase + "raced"
			var first, raced atomic.Value
			if tc.firstOther {
				first.Store(fmt.Sprint(api.backend.Seed(t, subscriptionEntity, api.project, doc{"event": "request.create", "target": hookBase + "first"})["_id"]))
			}
			api.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
				if isCreate(r) {
					raced.Store(fmt.Sprint(api.backend.Seed(t, subscriptionEntity, api.project, doc{"event": "request.create", "target": target})["_id"]))
				}
				return false
			})
			d := newTFDir(t, apiEnv(api))
			d.write("main.tf", hookConfig("request.create", target))
			res := d.expect(1, "apply", "-auto-approve")
			answered := raced.Load()
			if tc.firstOther {
				answered = first.Load()
			}
			expectOutput(t, res, fmt.Sprintf(`answered the create with an existing webhook subscription, %s, instead of a new one`, answered), `Nothing was created`)
			if n := api.proxy.Count("POST", "subscriptions"); n != 1 {
				t.Errorf("%d creates, want 1", n)
			}
			if n := api.proxy.Count("PUT", "subscription"); n != 0 {
				t.Errorf("%d PUTs: another's subscription was written to", n)
			}
			if ids := d.stateIDsOf("tiledesk_webhook_subscription"); len(ids) != 0 {
				t.Errorf("the state adopted %v", ids)
			}
		})
	}
}

// Edits and a delete made in the dashboard show as drift: the plan puts the
// subscription back (the secret unchanged), or creates it again (the deleted
// one stays deleted: no PUT upserted it).
func TestAccWebhookSubscription_drift(t *testing.T) {
	env := newAccEnv(t)
	target := hookBase + "drift"
	cfg := env.config(hookConfig("message.create", target))
	var first, second, secret string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, subscriptionEntity, "tiledesk_webhook_subscription"),
		Steps: []resource.TestStep{
			{Config: cfg, Check: resource.ComposeTestCheckFunc(captureID(hookAddr, &first),
				resource.TestCheckResourceAttrWith(hookAddr, "secret", func(v string) error { secret = v; return nil }))},
			{
				PreConfig: func() {
					env.backend.Edit(t, subscriptionEntity, first, doc{"event": "request.close", "target": hookBase + "elsewhere"})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(hookAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(hookAddr, tfjsonpath.New("target"), knownvalue.StringExact(target)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(hookAddr, tfjsonpath.New("secret"), sameString(&secret))},
				Check:             serverDoc(t, env.backend, subscriptionEntity, hookAddr, &first, map[string]any{"event": "message.create", "target": target}),
			},
			env.recreateStep(t, subscriptionEntity, hookAddr, cfg, &first, &second),
		},
	})
}

// Everything about subscriptions needs the admin role: an agent's create is
// an error that says so, and nothing is sent.
func TestAccWebhookSubscription_agentRefused(t *testing.T) {
	env := newAccEnv(t)
	provider, _ := env.agentEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		Steps: []resource.TestStep{{
			Config:      provider + hookConfig("request.create", hookBase+"agent"),
			ExpectError: errRe(`Could not create webhook subscription.*you dont have the required role.*Tiledesk needs the admin role`),
		}},
	})
	if n := env.proxy.Count("POST", "subscriptions"); n != 0 {
		t.Errorf("%d creates sent by an agent", n)
	}
}

// Plan-time errors, before any request: a target that is not an http(s)
// URL, an empty event.
func TestAccWebhookSubscription_invalidInput(t *testing.T) {
	env := newAccEnv(t)
	for _, tc := range []struct{ event, target, want string }{
		{"request.create", "not a url", `absolute http or https URL`},
		{"request.create", "ftp://example.com/hook", `absolute http or https URL`},
		{"request.create", "/hooks/tiledesk", `absolute http or https URL`},
		{"request.create", "", `absolute http or https URL`},
		{"", hookBase + "x", `event.*at least 1`},
	} {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(),
			Steps:                    []resource.TestStep{{Config: env.config(hookConfig(tc.event, tc.target)), ExpectError: errRe(tc.want), PlanOnly: true}},
		})
	}
	if n := env.proxy.Count("", ""); n != 0 {
		t.Errorf("invalid configurations sent %d requests: %v", n, env.proxy.Counts())
	}
}

// An event the server never delivers is a warning (the server stores any
// name) that names the closest event when one is near.
func TestSubscriptionEventValidator(t *testing.T) {
	for _, tc := range []struct {
		event, want string // want "": no warning
	}{
		{"request.create", ""},
		{"event.emit.checkout", ""},
		{"request.craete", "did you mean request.create?"},
		{"Lead.Create", "did you mean lead.create?"},
		{"something.else.entirely", `"something.else.entirely" is not an event Tiledesk 2.19 delivers. It delivers request.create`},
	} {
		var resp validator.StringResponse
		subscriptionEventValidator.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("event"), ConfigValue: types.StringValue(tc.event),
		}, &resp)
		switch {
		case resp.Diagnostics.HasError():
			t.Errorf("%q: an error: %v", tc.event, resp.Diagnostics)
		case tc.want == "" && resp.Diagnostics.WarningsCount() != 0:
			t.Errorf("%q: a warning: %v", tc.event, resp.Diagnostics)
		case tc.want != "" && (resp.Diagnostics.WarningsCount() != 1 || !strings.Contains(resp.Diagnostics[0].Detail(), tc.want)):
			t.Errorf("%q: %v, want one warning saying %q", tc.event, resp.Diagnostics, tc.want)
		}
	}
	var resp validator.StringResponse
	subscriptionEventValidator.ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("event"), ConfigValue: types.StringValue("something.else.entirely"),
	}, &resp)
	if d := resp.Diagnostics; len(d) == 1 && strings.Contains(d[0].Detail(), "did you mean") {
		t.Errorf("a far name got a suggestion: %v", d)
	}
}

// When giving a new subscription its own secret fails (here the PUT lands
// but every answer is lost), the apply fails saying so; the subscription is
// in the state, tainted and without a secret (which one the server holds is
// not known), and the next apply replaces it: one subscription, its secret
// known and held by the server.
func TestE2EWebhookSubscription_secretFailureTaints(t *testing.T) {
	t.Parallel()
	api := startTestAPI(t)
	target := hookBase + "secret-failure"
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", "provider \"tiledesk\" {\n  max_retries = 1\n}\n\n"+hookConfig("request.create", target))
	api.proxy.InjectFault(tiledesktest.Fault{Method: "PUT", Route: "subscription", AfterWrite: true, Status: http.StatusBadGateway, Times: 2})

	res := d.expect(1, "apply", "-auto-approve")
	expectOutput(t, res, `Could not finish writing webhook subscription`, `giving it a secret of its own failed`,
		`HTTP 502 Bad Gateway`, `marked tainted: the next apply replaces it`)
	first := d.taintedIDsOf("tiledesk_webhook_subscription")
	if live := api.liveIDsOf(webhookSubscriptionKind); len(first) != 1 || !slices.Equal(first, live) {
		t.Fatalf("after the failed secret the state's tainted subscriptions are %v, the server's %v", first, live)
	}
	shown := d.expect(0, "show", "-json")
	if !strings.Contains(shown.stdout, `"secret":null`) {
		t.Errorf("the state of a subscription whose secret is unknown holds one:\n%s", shown.stdout)
	}
	if n := api.proxy.Count("PUT", "subscription"); n != 2 {
		t.Errorf("%d PUTs of the secret, want 2 (max_retries = 1)", n)
	}

	d.apply()
	ids := d.stateIDsOf("tiledesk_webhook_subscription")
	if live := api.liveIDsOf(webhookSubscriptionKind); len(ids) != 1 || ids[0] == first[0] || !slices.Equal(ids, live) {
		t.Fatalf("after the next apply the state holds %v (the tainted one was %v), the server %v", ids, first, live)
	}
	if tainted := d.taintedIDsOf("tiledesk_webhook_subscription"); len(tainted) != 0 {
		t.Errorf("still tainted: %v", tainted)
	}
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values struct {
						Secret string `json:"secret"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	shown = d.expect(0, "show", "-json")
	if err := json.Unmarshal([]byte(shown.stdout), &state); err != nil || len(state.Values.RootModule.Resources) != 1 {
		t.Fatalf("terraform show -json: %v\n%s", err, shown.stdout)
	}
	if got, want := state.Values.RootModule.Resources[0].Values.Secret, serverSecret(t, api.liveTarget, "request.create", target); got != want {
		t.Errorf("the state's secret is %q, the server holds %q", got, want)
	}
	d.expectEmptyPlan()
}
