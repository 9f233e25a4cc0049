package provider

// The Terraform types every object has from the generic core (data sources,
// list resource, identity, import, the foreign-project guard), tested once
// per object kind: a new object adds a row to objectKinds. The segment's own
// tests (segment_*_test.go) cover the same for segments, and more.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// objectKind is one type of object as the generic tests drive it.
type objectKind struct {
	name   string // "department": tiledesk_department, tiledesk_<plural>
	plural string
	entity testEntity
	// nameAttr is the attribute (and document key) that names an object;
	// value, when set, is its value for an object named name (default: name).
	nameAttr string
	value    func(name string) string
	// seed is a document the API's create takes, named name; twin, for a
	// kind with a unique key, another one with the same name (default: seed).
	seed func(name string) doc
	twin func(name string) doc
	// attrs are the resource's attributes for an object named name, as seed
	// makes it.
	attrs func(name string) string
	// preexisting is how many objects of the kind every project is made
	// with (the default department), which lists count; madeWithProject
	// tells them.
	preexisting     int
	madeWithProject func(doc) bool
	// unique: the server keeps one object per name in a project (tags).
	unique bool
	// importIgnore are attributes an import cannot read back (a secret only
	// the create's answer holds).
	importIgnore []string
}

// countConfig is a provider block with settings (HCL lines; api_url, project
// and credentials come from the environment) and n objects of the kind named
// "E2E <index>".
func (k objectKind) countConfig(n int, settings ...string) string {
	return fmt.Sprintf("provider \"tiledesk\" {\n  %s\n}\n\nresource %q \"s\" {\n  count = %d\n%s\n}\n",
		strings.Join(settings, "\n  "), k.resourceType(), n, k.attrs("E2E ${count.index}"))
}

// adopted is the warning of a create whose answer was lost, adopted.
func (k objectKind) adopted() string {
	return capitalize(k.noun()) + " creation answer lost; " + k.noun() + " adopted"
}

var departmentKind = objectKind{
	name: "department", plural: "departments", entity: departmentEntity, nameAttr: "name",
	preexisting: 1, madeWithProject: func(d doc) bool { return d["default"] == true },
	seed:  func(name string) doc { return doc{"name": name, "routing": "assigned"} },
	attrs: func(name string) string { return fmt.Sprintf("  name    = %q\n  routing = \"assigned\"", name) },
}

// Teammates' user ids: the server does not check a group's members.
const (
	testMemberA = "6750c0ffee0000000000c0a1"
	testMemberB = "6750c0ffee0000000000c0b2"
	testMemberC = "6750c0ffee0000000000c0c3"
)

var groupKind = objectKind{
	name: "group", plural: "groups", entity: groupEntity, nameAttr: "name",
	seed: func(name string) doc { return doc{"name": name, "members": []any{testMemberB, testMemberA}} },
	attrs: func(name string) string {
		return fmt.Sprintf("  name    = %q\n  members = [%q, %q]", name, testMemberA, testMemberB)
	},
}

var tagKind = objectKind{
	name: "tag", plural: "tags", entity: tagEntity, nameAttr: "tag", unique: true,
	seed:  func(name string) doc { return doc{"tag": name, "color": "#43B1F2"} },
	attrs: func(name string) string { return fmt.Sprintf("  tag   = %q\n  color = \"#43B1F2\"", name) },
}

// cannedText is the text of the canned responses of the generic tests.
const cannedText = "Thanks for writing: we answer within a day."

var cannedResponseKind = objectKind{
	name: "canned_response", plural: "canned_responses", entity: cannedEntity, nameAttr: "title",
	seed:  func(name string) doc { return doc{"title": name, "text": cannedText, "shared": true} },
	attrs: func(name string) string { return fmt.Sprintf("  title = %q\n  text  = %q", name, cannedText) },
}

// hookBase is where the webhook subscriptions of the tests deliver: the
// target of one named name is hookBase + urlencode(name).
const hookBase = "https://hooks.example.com/"

var webhookSubscriptionKind = objectKind{
	name: "webhook_subscription", plural: "webhook_subscriptions", entity: subscriptionEntity, nameAttr: "target",
	value: func(name string) string { return hookBase + url.QueryEscape(name) },
	seed: func(name string) doc {
		return doc{"event": "request.create", "target": hookBase + url.QueryEscape(name)}
	},
	twin: func(name string) doc {
		return doc{"event": "request.update", "target": hookBase + url.QueryEscape(name)}
	},
	attrs: func(name string) string {
		return fmt.Sprintf("  event  = \"request.create\"\n  target = \"%s${urlencode(%q)}\"", hookBase, name)
	},
	importIgnore: []string{"secret"},
}

// objectKinds are the kinds the generic tests run for.
var objectKinds = []objectKind{departmentKind, groupKind, tagKind, cannedResponseKind, webhookSubscriptionKind}

// nameOf is the nameAttr value of an object named name.
func (k objectKind) nameOf(name string) string {
	if k.value == nil {
		return name
	}
	return k.value(name)
}

func (k objectKind) resourceType() string { return "tiledesk_" + k.name }

// noun is the kind's name in the provider's messages: "canned response".
func (k objectKind) noun() string { return strings.ReplaceAll(k.name, "_", " ") }

// config is a resource block "test" of the kind, for an object named name.
func (k objectKind) config(name string) string {
	return fmt.Sprintf("resource %q \"test\" {\n%s\n}\n", k.resourceType(), k.attrs(name))
}

// seedOn seeds an object of the kind and returns its id.
func (k objectKind) seedOn(t *testing.T, env *accEnv, project, name string) string {
	t.Helper()
	return fmt.Sprint(env.backend.Seed(t, k.entity, project, k.seed(name))["_id"])
}

// seedTwinOn seeds another object with the same name (k.twin; where names
// are unique, one named apart) and returns
// its id.
func (k objectKind) seedTwinOn(t *testing.T, env *accEnv, project, name string) string {
	t.Helper()
	if k.unique { // no two may share the name: a second one, named apart
		return k.seedOn(t, env, project, name+"2")
	}
	if k.twin == nil {
		return k.seedOn(t, env, project, name)
	}
	return fmt.Sprint(env.backend.Seed(t, k.entity, project, k.twin(name))["_id"])
}

// The data sources: one object by id or by name, the list filtered by name;
// a name two objects share, a missing one, another project's id and a
// deleted id are errors that say so.
func TestAccObject_dataSources(t *testing.T) {
	for _, k := range objectKinds {
		t.Run(k.name, func(t *testing.T) {
			env := newAccEnv(t)
			prefix := testName(t, "")
			one := k.seedOn(t, env, env.project, prefix+"one")
			twin := k.seedOn(t, env, env.project, prefix+"twin")
			twin2 := k.seedTwinOn(t, env, env.project, prefix+"twin")
			deleted := k.seedOn(t, env, env.project, prefix+"deleted")
			env.backend.Delete(t, k.entity, deleted)
			foreign := k.seedOn(t, env, env.otherProject, prefix+"foreign")
			ds := "data." + k.resourceType() + ".test"
			by := func(attr, value string) string {
				return env.config(fmt.Sprintf("data %q \"test\" {\n  %s = %q\n}\n", k.resourceType(), attr, value))
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(),
				Steps: []resource.TestStep{
					{
						Config: by("id", one),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(ds, tfjsonpath.New(k.nameAttr), knownvalue.StringExact(k.nameOf(prefix+"one"))),
							statecheck.ExpectKnownValue(ds, tfjsonpath.New("project_id"), knownvalue.StringExact(env.project)),
						},
					},
					{
						Config:            by(k.nameAttr, k.nameOf(prefix+"one")),
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact(one))},
					},
					twinsStep(k, by(k.nameAttr, k.nameOf(prefix+"twin")), env.project, twin, twin2),
					{Config: by(k.nameAttr, k.nameOf(prefix+"nobody")), ExpectError: errRe(`No live ` + k.noun())},
					{Config: by("id", foreign), ExpectError: errRe(fmt.Sprintf(`belongs to project "%s"`, env.otherProject))},
					{Config: by("id", deleted), ExpectError: errRe(`No live ` + k.noun() + ` ` + deleted)},
					{
						Config: env.config(fmt.Sprintf("data %q \"test\" {\n  name_prefix = %q\n}\n", "tiledesk_"+k.plural, k.nameOf(prefix+"t"))),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.tiledesk_"+k.plural+".test", tfjsonpath.New("ids"),
								knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(twin), knownvalue.StringExact(twin2)})),
							statecheck.ExpectKnownValue("data.tiledesk_"+k.plural+".test", tfjsonpath.New(k.plural).AtSliceIndex(0).AtMapKey(k.nameAttr),
								knownvalue.StringExact(k.nameOf(prefix+"twin"))),
						},
					},
					{
						Config: env.config(fmt.Sprintf("data %q \"test\" {}\n", "tiledesk_"+k.plural)),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.tiledesk_"+k.plural+".test", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3+k.preexisting)),
						},
					},
				},
			})
			if w := env.proxy.Writes(); w != 0 {
				t.Errorf("data sources wrote %d times: %v", w, env.proxy.Counts())
			}
		})
	}
}

// twinsStep reads by a name two objects share: an error that names both; for
// a kind whose names are unique, the one object of that name.
func twinsStep(k objectKind, config, project, twin, twin2 string) resource.TestStep {
	if k.unique {
		return resource.TestStep{Config: config, ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data."+k.resourceType()+".test", tfjsonpath.New("id"), knownvalue.StringExact(twin)),
		}}
	}
	return resource.TestStep{Config: config, ExpectError: errRe(fmt.Sprintf(`2 live %ss of project %s are .*%s, %s`, k.noun(), project, twin, twin2))}
}

// Identity on create, update and refresh, import by identity and by id, and
// an import block that adopts an object made in the dashboard.
func TestAccObject_identity(t *testing.T) {
	for _, k := range objectKinds {
		t.Run(k.name, func(t *testing.T) {
			env := newAccEnv(t)
			addr := k.resourceType() + ".test"
			name := testName(t, k.name)
			created := env.config(k.config(name))
			renamed := env.config(k.config(name + " renamed"))
			var id string
			identityIs := []statecheck.StateCheck{
				statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"project_id": knownvalue.StringExact(env.project), "id": sameString(&id)}),
				statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(),
				TerraformVersionChecks:   identityVersions,
				CheckDestroy:             env.checkDeleted(t, k.entity, k.resourceType()),
				Steps: []resource.TestStep{
					{Config: created, Check: captureID(addr, &id), ConfigStateChecks: identityIs},
					{Config: renamed, ConfigStateChecks: identityIs},
					{Config: renamed, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
					{Config: renamed, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
					{Config: renamed, ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: k.importIgnore},
					{Config: renamed, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}, ConfigStateChecks: identityIs},
				},
			})

			// Made in the dashboard, adopted by identity: nothing written but the destroy.
			env.proxy.ResetCounts()
			adopted := k.seedOn(t, env, env.project, name+" adopted")
			id = adopted
			resource.Test(t, resource.TestCase{ // (the test runs in parallel already)
				ProtoV6ProviderFactories: protoV6Factories(),
				TerraformVersionChecks:   identityVersions,
				Steps: []resource.TestStep{{
					Config: env.config(fmt.Sprintf("import {\n  to       = %s\n  identity = { id = %q }\n}\n", addr, adopted) + k.config(name+" adopted")),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)},
					},
					ConfigStateChecks: identityIs,
				}},
			})
			if w := env.proxy.Writes(); w != 1 {
				t.Errorf("adopting by identity and destroying wrote %d times, want only the DELETE: %v", w, env.proxy.Counts())
			}
		})
	}
}

// The list resource finds the live objects of a project, filtered by name,
// with identity, display name and the resource's attributes.
// resource.Test, not ParallelTest: t.Setenv (queryEnv).
func TestAccObjectList_query(t *testing.T) {
	for _, k := range objectKinds {
		t.Run(k.name, func(t *testing.T) {
			env := newAccEnv(t)
			queryEnv(t, env)
			prefix := testName(t, "")
			a := k.seedOn(t, env, env.project, prefix+"VIP a")
			b := k.seedOn(t, env, env.project, prefix+"VIP b")
			k.seedOn(t, env, env.project, prefix+"other")
			list := k.resourceType() + ".vip"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories(),
				TerraformVersionChecks:   queryVersions,
				Steps: []resource.TestStep{
					{Config: fmt.Sprintf("data %q \"all\" {}", "tiledesk_"+k.plural)},
					{
						Query: true,
						Config: fmt.Sprintf(`
provider "tiledesk" {}

list %[1]q "vip" {
  provider         = tiledesk
  include_resource = true
  config {
    name_prefix = %[2]q
  }
}

list %[1]q "all" {
  provider = tiledesk
}
`, k.resourceType(), k.nameOf(prefix+"VIP")),
						QueryResultChecks: []querycheck.QueryResultCheck{
							querycheck.ExpectLength(list, 2),
							querycheck.ExpectIdentity(list, identityOf(env.project, a)),
							querycheck.ExpectIdentity(list, identityOf(env.project, b)),
							querycheck.ExpectResourceDisplayName(list, queryfilter.ByResourceIdentity(identityOf(env.project, a)), knownvalue.StringExact(k.nameOf(prefix+"VIP a"))),
							querycheck.ExpectResourceKnownValues(list, queryfilter.ByResourceIdentity(identityOf(env.project, a)), []querycheck.KnownValueCheck{
								{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(a)},
								{Path: tfjsonpath.New(k.nameAttr), KnownValue: knownvalue.StringExact(k.nameOf(prefix + "VIP a"))},
							}),
							querycheck.ExpectLength(k.resourceType()+".all", 3+k.preexisting),
						},
					},
				},
			})
			if w := env.proxy.Writes(); w != 0 {
				t.Errorf("listing wrote %d times: %v", w, env.proxy.Counts())
			}
		})
	}
}

// Another project's object is never read, changed or deleted: an import of
// it through the wrong project is refused, and a state that points at it
// (a hand-edited state) makes an apply and a destroy without refresh send
// nothing to it, and a refresh drop it from the state.
func TestE2EObjects_foreignProjectUntouched(t *testing.T) {
	t.Parallel()
	for _, k := range append([]objectKind{segmentKind}, objectKinds...) {
		t.Run(k.name, func(t *testing.T) {
			api := startTestAPI(t)
			other := api.otherProject
			foreignName := testName(t, "foreign")
			foreign := fmt.Sprint(api.backend.Seed(t, k.entity, other, k.seed(foreignName))["_id"])
			before, _ := api.backend.Get(t, k.entity, foreign)
			d := newTFDir(t, apiEnv(api))
			addr := k.resourceType() + ".test"
			name := testName(t, "mine")

			// Import through the provider's project: refused.
			d.write("main.tf", k.config(name))
			res := d.expect(1, "import", addr, foreign)
			expectOutput(t, res, `Cannot import `+k.noun(), `belongs to project "`+other+`"`)

			// A state that names the foreign object under the provider's project.
			d.apply()
			d.editState(t, addr, foreign)
			d.write("main.tf", k.config(name+" renamed"))
			api.proxy.ResetCounts()
			res = d.expect(1, "apply", "-auto-approve", "-refresh=false")
			expectOutput(t, res, `belongs to project "`+other+`"`, `Nothing was sent`)
			res = d.expect(0, "destroy", "-auto-approve", "-refresh=false")
			expectOutput(t, res, `left untouched`)
			if w := api.proxy.Writes(); w != 0 {
				t.Errorf("an apply and a destroy of a state naming another project's %s sent %d writes: %v", k.name, w, api.proxy.Counts())
			}
			after, ok := api.backend.Get(t, k.entity, foreign)
			if !ok || fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the foreign %s changed:\nbefore %v\nafter  %v (found %v)", k.name, before, after, ok)
			}
		})
	}
}

var segmentKind = objectKind{
	name: "segment", plural: "segments", entity: segmentEntity, nameAttr: "name",
	seed:  func(name string) doc { return doc{"name": name} },
	attrs: func(name string) string { return fmt.Sprintf("  name = %q", name) },
}

// editState points the state's resource at another object id (as a
// hand-edited state would), identity included.
func (d *tfDir) editState(t *testing.T, addr, id string) {
	t.Helper()
	file := filepath.Join(d.dir, "terraform.tfstate")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	typ, label, _ := strings.Cut(addr, ".")
	found := false
	resources, _ := st["resources"].([]any)
	for _, r := range resources {
		res, _ := r.(map[string]any)
		if res["type"] != typ || res["name"] != label {
			continue
		}
		instances, _ := res["instances"].([]any)
		for _, i := range instances {
			inst, _ := i.(map[string]any)
			for _, key := range []string{"attributes", "identity"} {
				if m, ok := inst[key].(map[string]any); ok {
					m["id"] = id
					found = key == "attributes" || found
				}
			}
		}
	}
	if !found {
		t.Fatalf("%s is not in the state", addr)
	}
	serial, _ := st["serial"].(float64)
	st["serial"] = serial + 1
	out, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, file, string(out))
}
