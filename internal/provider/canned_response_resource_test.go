package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

const cannedAddr = "tiledesk_canned_response.test"

func cannedConfig(attrs string) string {
	return "resource \"tiledesk_canned_response\" \"test\" {\n" + attrs + "\n}\n"
}

// The owner's canned response: shared without asking, updated in place
// (removing the title clears it), imported by id and by project/id;
// shared = true on a shared one changes nothing.
func TestAccCannedResponse_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	title := testName(t, "canned")
	full := env.config(cannedConfig(fmt.Sprintf("  title = %q\n  text  = \"Hello! How can we help?\"", title)))
	plain := env.config(cannedConfig(`  text = "Hello again"`))
	asked := env.config(cannedConfig("  text   = \"Hello again\"\n  shared = true"))
	var id, first string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, cannedEntity, "tiledesk_canned_response"),
		Steps: []resource.TestStep{
			{
				Config: full,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cannedAddr, tfjsonpath.New("shared"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(cannedAddr, tfjsonpath.New("project_id"), knownvalue.StringExact(env.project)),
				},
				Check: resource.ComposeTestCheckFunc(
					serverDoc(t, env.backend, cannedEntity, cannedAddr, &id, map[string]any{"title": title, "text": "Hello! How can we help?",
						"shared": true, "status": 100, "id_project": env.project}),
					captureID(cannedAddr, &first)),
			},
			env.noOpStep(full, func(*terraform.State) error {
				if n := env.proxy.Count("GET", "canned_response"); n != 0 {
					return fmt.Errorf("%d GETs by id: canned responses are read from the list", n)
				}
				return nil
			}),
			env.importStep(full, cannedAddr, nil),
			env.importStep(full, cannedAddr, &id),
			{
				Config:           plain,
				ConfigPlanChecks: updatesInPlace(cannedAddr),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cannedAddr, tfjsonpath.New("title"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cannedAddr, tfjsonpath.New("shared"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					serverDoc(t, env.backend, cannedEntity, cannedAddr, &id, map[string]any{"title": nil, "text": "Hello again", "shared": true}),
					func(*terraform.State) error {
						if id != first {
							return fmt.Errorf("the update replaced canned response %s by %s", first, id)
						}
						return nil
					}),
			},
			{Config: asked, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// An agent's canned response is private unless it asks; asking afterwards
// replaces it (no update can share it), and a shared one stays shared.
func TestAccCannedResponse_agentSharing(t *testing.T) {
	env := newAccEnv(t)
	provider, agent := env.agentEnv(t)
	text := testName(t, "agent's canned response")
	private := provider + cannedConfig(fmt.Sprintf("  text = %q", text))
	shared := provider + cannedConfig(fmt.Sprintf("  text   = %q\n  shared = true", text))
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             func(s *terraform.State) error { return checkCannedDeleted(t, agent, &second)(s) },
		Steps: []resource.TestStep{
			{
				Config:            private,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(cannedAddr, tfjsonpath.New("shared"), knownvalue.Bool(false))},
				Check:             serverDoc(t, agent, cannedEntity, cannedAddr, &first, map[string]any{"shared": false, "text": text}),
			},
			env.importStep(private, cannedAddr, nil),
			{
				Config: shared,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(cannedAddr, plancheck.ResourceActionReplace)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(cannedAddr, tfjsonpath.New("shared"), knownvalue.Bool(true))},
				Check: resource.ComposeTestCheckFunc(
					serverDoc(t, agent, cannedEntity, cannedAddr, &second, map[string]any{"shared": true, "text": text}),
					func(*terraform.State) error {
						if second == first {
							return fmt.Errorf("shared = true kept canned response %s: it must replace it", first)
						}
						return checkCannedDeleted(t, agent, &first)(nil)
					}),
			},
			// Unset again: the shared one stays as it is.
			{Config: private, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// checkCannedDeleted: the canned response *id, read by its creator through
// b, is deleted (status 1000).
func checkCannedDeleted(t *testing.T, b accBackend, id *string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if d, ok := b.Get(t, cannedEntity, *id); !ok || fmt.Sprint(d["status"]) != "1000" {
			return fmt.Errorf("canned response %s: the server holds %v (found %v), want it deleted (status 1000)", *id, d, ok)
		}
		return nil
	}
}

// Edits and a delete made in the dashboard show as drift: the plan puts the
// canned response back, or creates it again (the deleted one stays deleted).
func TestAccCannedResponse_drift(t *testing.T) {
	env := newAccEnv(t)
	title := testName(t, "canned")
	cfg := env.config(cannedConfig(fmt.Sprintf("  title = %q\n  text  = \"Our hours: 9 to 17\"", title)))
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, cannedEntity, "tiledesk_canned_response"),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(cannedAddr, &first)},
			{
				PreConfig: func() {
					env.backend.Edit(t, cannedEntity, first, doc{"title": "Renamed in the dashboard", "text": "Our hours: 8 to 16"})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(cannedAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(cannedAddr, tfjsonpath.New("text"), knownvalue.StringExact("Our hours: 9 to 17")),
					},
				},
				Check: serverDoc(t, env.backend, cannedEntity, cannedAddr, &first, map[string]any{"title": title, "text": "Our hours: 9 to 17"}),
			},
			env.recreateStep(t, cannedEntity, cannedAddr, cfg, &first, &second, checkCannedDeleted(t, env.backend, &first)),
		},
	})
}

// The server's rights are errors that say what is needed, never drift: the
// owner cannot read (so not import) an agent's private canned response, and
// an agent cannot change or delete the owner's, which it may read and
// import. Nothing is written by the refused operations.
func TestAccCannedResponse_rights(t *testing.T) {
	env := newAccEnv(t)
	provider, agent := env.agentEnv(t)
	private := fmt.Sprint(agent.Seed(t, cannedEntity, env.project, doc{"title": "agent's private", "text": "mine"})["_id"])
	owners := fmt.Sprint(env.backend.Seed(t, cannedEntity, env.project, doc{"title": "owner's", "text": "ours"})["_id"])
	importBlock := func(id string) string { return fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", cannedAddr, id) }
	removed := fmt.Sprintf("removed {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", cannedAddr)
	writes := func() error {
		if w := env.proxy.Writes(); w != 0 {
			return fmt.Errorf("%d writes: %v", w, env.proxy.Counts())
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		// removed blocks came with Terraform 1.7.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		Steps: []resource.TestStep{
			{
				Config: env.config(importBlock(private) + cannedConfig("  title = \"agent's private\"\n  text = \"mine\"")),
				ExpectError: errRe(`Could not read canned response ` + private + `.*HTTP 403 Forbidden: You are not allowed to get a canned response that is not yours.*` +
					`only the creator may read one by id`),
			},
			{
				PreConfig: func() {
					if err := writes(); err != nil {
						t.Error(err)
					}
				},
				Config: provider + importBlock(owners) + cannedConfig("  title = \"owner's\"\n  text = \"ours\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(cannedAddr, plancheck.ResourceActionNoop)},
				},
			},
			{
				Config: provider + cannedConfig("  title = \"owner's\"\n  text = \"changed by the agent\""),
				ExpectError: errRe(`Could not update canned response ` + owners + `.*You are not allowed to modify a canned response that is not yours.*` +
					`an agent may change or delete only the ones it created`),
			},
			{
				Config:      provider + cannedConfig("  title = \"owner's\"\n  text = \"ours\""),
				Destroy:     true,
				ExpectError: errRe(`Could not delete canned response ` + owners + `.*You are not allowed to delete a canned response that is not yours`),
			},
			{Config: provider + removed},
		},
	})
	if d, ok := env.backend.Get(t, cannedEntity, owners); !ok || d["text"] != "ours" || fmt.Sprint(d["status"]) != "100" {
		t.Errorf("the owner's canned response was changed: %v", d)
	}
}

// Plan-time errors, before any request: shared = false (never promised),
// empty texts, no text.
func TestAccCannedResponse_invalidInput(t *testing.T) {
	env := newAccEnv(t)
	for _, tc := range []struct{ attrs, want string }{
		{"text = \"x\"\nshared = false", `shared = false cannot be promised.*owner or an admin`},
		{`text = ""`, `text.*at least 1`},
		{"text = \"x\"\ntitle = \"\"", `title.*at least 1`},
		{`title = "x"`, `The argument "text" is required`},
	} {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories(),
			Steps:                    []resource.TestStep{{Config: env.config(cannedConfig(tc.attrs)), ExpectError: errRe(tc.want), PlanOnly: true}},
		})
	}
	if n := env.proxy.Count("", ""); n != 0 {
		t.Errorf("invalid configurations sent %d requests: %v", n, env.proxy.Counts())
	}
}
