package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const groupAddr = "tiledesk_group.test"

func groupConfig(attrs string) string { return resourceBlock("tiledesk_group", attrs) }

// Create with every attribute (disabled: a second request, as POST ignores
// enabled), a no-op plan that writes nothing, members in another order
// (no change), import, then an update of every attribute.
func TestAccGroup_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "group")
	full := env.config(groupConfig(fmt.Sprintf(`  name    = %q
  members = [%q, %q]
  enabled = false`, name, testMemberB, testMemberA)))
	reordered := env.config(groupConfig(fmt.Sprintf(`  name    = %q
  members = [%q, %q]
  enabled = false`, name, testMemberA, testMemberB)))
	changed := env.config(groupConfig(fmt.Sprintf(`  name    = %q
  members = [%q]`, name+" renamed", testMemberC)))
	plain := env.config(groupConfig(fmt.Sprintf(`  name = %q`, name+" renamed")))
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, groupEntity, "tiledesk_group"),
		Steps: []resource.TestStep{
			{
				Config: full,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(groupAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(groupAddr, tfjsonpath.New("members"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(testMemberA), knownvalue.StringExact(testMemberB)})),
					statecheck.ExpectKnownValue(groupAddr, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
				},
				Check: serverObject(t, env, groupEntity, groupAddr, &id, map[string]any{"name": name, "enabled": false, "trashed": false,
					"members": []any{testMemberA, testMemberB}}),
			},
			env.noOpStep(reordered),
			{Config: reordered, ResourceName: groupAddr, ImportState: true, ImportStateVerify: true},
			updateStep(groupAddr, changed, []statecheck.StateCheck{sameID.AddStateValue(groupAddr, tfjsonpath.New("id"))},
				serverObject(t, env, groupEntity, groupAddr, &id, map[string]any{"name": name + " renamed", "enabled": true, "members": []any{testMemberC}})),
			updateStep(groupAddr, plain, []statecheck.StateCheck{statecheck.ExpectKnownValue(groupAddr, tfjsonpath.New("members"), knownvalue.SetSizeExact(0))},
				serverObject(t, env, groupEntity, groupAddr, &id, map[string]any{"members": []any{}})),
		},
	})
}

// Edits made in the dashboard (name, members, disabled) show as drift and
// are put back; a group deleted in the dashboard (trashed) is created
// again, and the trashed one stays trashed.
func TestAccGroup_drift(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "group")
	cfg := env.config(groupConfig(fmt.Sprintf(`  name    = %q
  members = [%q]`, name, testMemberA)))
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, groupEntity, "tiledesk_group"),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(groupAddr, &first)},
			{
				PreConfig: func() {
					env.backend.Edit(t, groupEntity, first, doc{"name": "Renamed in the dashboard", "members": []any{testMemberB, testMemberB}, "enabled": false})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(groupAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(groupAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
						plancheck.ExpectKnownValue(groupAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					},
				},
				Check: serverObject(t, env, groupEntity, groupAddr, &first, map[string]any{"name": name, "members": []any{testMemberA}, "enabled": true}),
			},
			env.recreateStep(t, groupEntity, groupAddr, cfg, &first, &second),
		},
	})
}

// A group that a department routes to (id_group) cannot be deleted nor
// disabled: the error names the department, nothing is changed on the
// server, and the group stays in the state. Once the department no longer
// names it, the group is deleted.
func TestAccGroup_usedByDepartment(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "group")
	group := func(attrs string) string {
		return fmt.Sprintf("resource \"tiledesk_group\" \"test\" {\n  name = %q\n  %s\n}\n", name, attrs)
	}
	department := func(idGroup string) string {
		return fmt.Sprintf("resource \"tiledesk_department\" \"test\" {\n  name     = %q\n  id_group = %s\n}\n", name+" department", idGroup)
	}
	byName := fmt.Sprintf("data \"tiledesk_group\" \"test\" {\n  name = %q\n}\n", name)
	var id, depID string
	unchanged := func() {
		d, ok := env.backend.Get(t, groupEntity, id)
		if !ok || d["trashed"] != false || d["enabled"] != true {
			t.Errorf("the refused write changed group %s: %v (found %v)", id, d, ok)
		}
	}
	routed := env.config(group("") + department("tiledesk_group.test.id"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, groupEntity, "tiledesk_group"),
		Steps: []resource.TestStep{
			{
				Config: routed,
				Check: resource.ComposeTestCheckFunc(captureID(groupAddr, &id), func(s *terraform.State) error {
					return serverObject(t, env, departmentEntity, depAddr, &depID, map[string]any{"id_group": id})(s)
				}),
			},
			{
				// The group leaves the configuration; the department keeps its id.
				Config:      env.config(byName + department("data.tiledesk_group.test.id")),
				ExpectError: errRe(fmt.Sprintf(`Could not delete group [0-9a-f]{24}.*Unable to delete a group associated with a department.*department "%s department" \([0-9a-f]{24}\)`, name)),
			},
			{
				PreConfig:        unchanged,
				Config:           routed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}, // still in the state
			},
			{
				Config:      env.config(group("enabled = false") + department("tiledesk_group.test.id")),
				ExpectError: errRe(fmt.Sprintf(`Could not finish writing group [0-9a-f]{24}.*Unable to disabled a group associated with a department.*department "%s department" \([0-9a-f]{24}\)`, name)),
			},
			{
				// Once the department no longer names it (updated first), the group is disabled.
				PreConfig: unchanged,
				Config:    env.config(group("enabled = false\n  depends_on = [tiledesk_department.test]") + department("null")),
				Check:     serverObject(t, env, groupEntity, groupAddr, &id, map[string]any{"enabled": false}),
			},
		},
	})
}

// Plan-time errors, before any request: an empty name, members that are not
// user ids.
func TestAccGroup_invalidInput(t *testing.T) {
	invalidAttrs(t, "tiledesk_group", []struct{ attrs, want string }{
		{`name = ""`, `name.*at least 1`},
		{`name = "x"` + "\n" + `members = ["agent@example.com"]`, `24-character hexadecimal id`},
	})
}
