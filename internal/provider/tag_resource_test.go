package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

const tagAddr = "tiledesk_tag.test"

func tagConfig(attrs string) string { return resourceBlock("tiledesk_tag", attrs) }

// Create with a color, a no-op plan that writes nothing, import, a rename
// that only differs in case, then the color removed (the server's PUT sets
// it to null, as sent).
func TestAccTag_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "vip")
	colored := env.config(tagConfig(fmt.Sprintf("  tag   = %q\n  color = \"#43B1F2\"", name)))
	upper := strings.ToUpper(name) // another tag for Tiledesk: names are case-sensitive
	renamed := env.config(tagConfig(fmt.Sprintf("  tag   = %q\n  color = \"#43B1F2\"", upper)))
	plain := env.config(tagConfig(fmt.Sprintf("  tag = %q", upper)))
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, tagEntity, "tiledesk_tag"),
		Steps: []resource.TestStep{
			{
				Config:            colored,
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(tagAddr, tfjsonpath.New("id"))},
				Check:             serverObject(t, env, tagEntity, tagAddr, &id, map[string]any{"tag": name, "color": "#43B1F2"}),
			},
			env.noOpStep(colored),
			{Config: colored, ResourceName: tagAddr, ImportState: true, ImportStateVerify: true},
			updateStep(tagAddr, renamed, []statecheck.StateCheck{sameID.AddStateValue(tagAddr, tfjsonpath.New("id"))},
				serverObject(t, env, tagEntity, tagAddr, &id, map[string]any{"tag": upper, "color": "#43B1F2"})),
			updateStep(tagAddr, plain, []statecheck.StateCheck{statecheck.ExpectKnownValue(tagAddr, tfjsonpath.New("color"), knownvalue.Null())},
				serverObject(t, env, tagEntity, tagAddr, &id, map[string]any{"tag": upper, "color": nil})),
		},
	})
}

// Edits made in the dashboard show as drift and are put back; a tag deleted
// in the dashboard (for good) is created again.
func TestAccTag_drift(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "tag")
	cfg := env.config(tagConfig(fmt.Sprintf("  tag   = %q\n  color = \"#43B1F2\"", name)))
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, tagEntity, "tiledesk_tag"),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(tagAddr, &first)},
			{
				PreConfig: func() { env.backend.Edit(t, tagEntity, first, doc{"tag": name + " edited", "color": "#ff0000"}) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tagAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(tagAddr, tfjsonpath.New("tag"), knownvalue.StringExact(name)),
					},
				},
				Check: serverObject(t, env, tagEntity, tagAddr, &first, map[string]any{"tag": name, "color": "#43B1F2"}),
			},
			env.recreateStep(t, tagEntity, tagAddr, cfg, &first, &second),
		},
	})
}

// A tag whose name the project has already (made in the dashboard) is never
// adopted by a create: the server would answer with it, so the create is
// refused before anything is sent, with its id and the import command; an
// import block adopts it.
func TestAccTag_existingName(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "vip")
	existing := fmt.Sprint(env.backend.Seed(t, tagEntity, env.project, doc{"tag": name, "color": "#ff0000"})["_id"])
	cfg := tagConfig(fmt.Sprintf("  tag   = %q\n  color = \"#43B1F2\"", name))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)}, // import blocks
		CheckDestroy:             env.checkDeleted(t, tagEntity, "tiledesk_tag"),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { env.proxy.ResetCounts() },
				Config:    env.config(cfg),
				ExpectError: errRe(fmt.Sprintf(`Could not create tag %q.*already has a tag %s with this key.*Nothing was created.*terraform import <address> %s/%s`,
					name, existing, env.project, existing)),
			},
			{
				PreConfig: func() {
					if w := env.proxy.Writes(); w != 0 {
						t.Errorf("the refused create wrote %d times: %v", w, env.proxy.Counts())
					}
					if live := env.backend.Live(t, tagEntity, env.project); len(live) != 1 || live[0]["color"] != "#ff0000" {
						t.Errorf("after the refused create the project holds %v", live)
					}
				},
				Config: env.config(fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", tagAddr, existing) + cfg),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(tagAddr, plancheck.ResourceActionUpdate)},
				},
				Check: serverObject(t, env, tagEntity, tagAddr, &existing, map[string]any{"tag": name, "color": "#43B1F2"}),
			},
		},
	})
}

// A rename onto the name of another tag of the project is refused before
// anything is sent, with the other tag's id; both tags stay as they were.
func TestAccTag_renameOntoExistingName(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "tag")
	two := func(second string) string {
		return env.config(fmt.Sprintf("resource \"tiledesk_tag\" \"first\" {\n  tag = %q\n}\n\n", name+" first") +
			fmt.Sprintf("resource \"tiledesk_tag\" \"second\" {\n  tag = %q\n}\n", second))
	}
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, tagEntity, "tiledesk_tag"),
		Steps: []resource.TestStep{
			{Config: two(name + " second"), Check: resource.ComposeTestCheckFunc(captureID("tiledesk_tag.first", &first), captureID("tiledesk_tag.second", &second))},
			{
				PreConfig: func() { env.proxy.ResetCounts() },
				Config:    two(name + " first"),
				ExpectError: errRe(fmt.Sprintf(`Could not update tag [0-9a-f]{24}.*tag [0-9a-f]{24} of project %s has the tag "%s first" already.*nothing was sent.*Choose another key`,
					env.project, name)),
			},
			{
				PreConfig: func() {
					if n := env.proxy.Count("PUT", ""); n != 0 {
						t.Errorf("the refused rename sent %d PUTs: %v", n, env.proxy.Counts())
					}
				},
				Config:           two(name + " second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					serverObject(t, env, tagEntity, "tiledesk_tag.first", &first, map[string]any{"tag": name + " first"}),
					serverObject(t, env, tagEntity, "tiledesk_tag.second", &second, map[string]any{"tag": name + " second"})),
			},
		},
	})
}

// Plan-time errors, before any request: an empty tag or color.
func TestAccTag_invalidInput(t *testing.T) {
	invalidAttrs(t, "tiledesk_tag", []struct{ attrs, want string }{
		{`tag = ""`, `tag.*at least 1`},
		{`tag = "x"` + "\n" + `color = ""`, `color.*at least 1`},
	})
}

// A tag of the same name and color that another user creates between the
// provider's check and its create: the server answers the create with it.
// It is refused, never adopted, and stays as that user made it.
func TestE2ETag_racedCreateRefused(t *testing.T) {
	t.Parallel()
	api := startTestAPI(t)
	agent := api.agent(t)
	name := testName(t, "raced")
	var raced atomic.Value
	api.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if isCreate(r) && raced.Load() == nil {
			var out struct {
				ID string `json:"_id"`
			}
			if err := rawCall(context.WithoutCancel(r.Context()), http.MethodPost, api.apiURL+"/"+api.project+"/tags", agent,
				map[string]string{"tag": name, "color": "#43B1F2"}, &out); err != nil || out.ID == "" {
				t.Errorf("the agent's create: %v (%+v)", err, out)
			}
			raced.Store(out.ID)
		}
		return false
	})
	d := newTFDir(t, apiEnv(api))
	d.write("main.tf", tagConfig(fmt.Sprintf("  tag   = %q\n  color = \"#43B1F2\"", name)))
	res := d.expect(1, "apply", "-auto-approve")
	id, _ := raced.Load().(string)
	expectOutput(t, res, fmt.Sprintf(`answered the create with an existing tag, %s, instead of a new one`, id), `Nothing was created`)
	if n := api.proxy.Count("POST", "tags"); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
	if ids := d.stateIDsOf("tiledesk_tag"); len(ids) != 0 {
		t.Errorf("the state adopted %v", ids)
	}
	if d, ok := api.backend.Get(t, tagEntity, id); !ok || d["tag"] != name || d["color"] != "#43B1F2" {
		t.Errorf("the agent's tag changed: %v (found %v)", d, ok)
	}
}
