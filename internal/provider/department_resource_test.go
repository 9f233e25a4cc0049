package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

const depAddr = "tiledesk_department.test"

// Ids of a bot and a group: the server checks neither.
const (
	testBotID   = "6750c0ffee0000000000b071"
	testGroupID = "6750c0ffee0000000000a001"
)

func departmentConfig(attrs string) string { return resourceBlock("tiledesk_department", attrs) }

// Create with every attribute, a no-op plan that writes nothing, updates in
// place (clearing the bot, which the server's PUT clears only when told),
// and import by id and by project/id.
func TestAccDepartment_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "department")
	full := env.config(departmentConfig(fmt.Sprintf(`  name        = %q
  description = "Leads from the web"
  routing     = "assigned"
  status      = 0
  id_bot      = %q
  bot_only    = true
  id_group    = %q`, name, testBotID, testGroupID)))
	plain := env.config(departmentConfig(fmt.Sprintf(`  name = %q`, name+" renamed")))
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, departmentEntity, "tiledesk_department"),
		Steps: []resource.TestStep{
			{
				Config: full,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(depAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("project_id"), knownvalue.StringExact(env.project)),
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("routing"), knownvalue.StringExact("assigned")),
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("status"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("default"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))),
				},
				Check: serverDoc(t, env.backend, departmentEntity, depAddr, &id, map[string]any{"id_project": env.project, "name": name, "description": "Leads from the web", "routing": "assigned",
					"status": 0, "id_bot": testBotID, "bot_only": true, "id_group": testGroupID}),
			},
			env.noOpStep(full),
			env.importStep(full, depAddr, nil),
			env.importStep(full, depAddr, &id),
			{
				Config:           plain,
				ConfigPlanChecks: updatesInPlace(depAddr),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(depAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("description"), knownvalue.Null()),
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("id_bot"), knownvalue.Null()),
				},
				Check: serverDoc(t, env.backend, departmentEntity, depAddr, &id, map[string]any{"id_project": env.project, "name": name + " renamed", "description": "", "routing": "pooled",
					"status": 1, "id_bot": nil, "bot_only": false, "id_group": nil}),
			},
		},
	})
}

// Edits, a status change and a delete made in the dashboard show as drift:
// the plan puts the department back, or creates it again.
func TestAccDepartment_drift(t *testing.T) {
	env := newAccEnv(t)
	name := testName(t, "department")
	cfg := env.config(departmentConfig(fmt.Sprintf(`  name     = %q
  id_group = %q`, name, testGroupID)))
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		CheckDestroy:             env.checkDeleted(t, departmentEntity, "tiledesk_department"),
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureID(depAddr, &first)},
			{
				PreConfig: func() {
					env.backend.Edit(t, departmentEntity, first, doc{"name": "Renamed in the dashboard", "status": -1, "id_group": nil})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(depAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(depAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
						plancheck.ExpectKnownValue(depAddr, tfjsonpath.New("status"), knownvalue.Int64Exact(1)),
					},
				},
				Check: serverDoc(t, env.backend, departmentEntity, depAddr, &first, map[string]any{"id_project": env.project, "name": name, "status": 1, "id_group": testGroupID}),
			},
			env.recreateStep(t, departmentEntity, depAddr, cfg, &first, &second),
		},
	})
}

// The project's default department: adopted with an import block, kept by a
// destroy that does not allow it (an error, nothing deleted), deleted once
// allow_default_deletion is applied. Setting that attribute sends nothing.
func TestAccDepartment_defaultDepartment(t *testing.T) {
	env := newAccEnv(t)
	var defaultID string
	for _, d := range env.backend.Live(t, departmentEntity, env.project) {
		if d["default"] == true {
			defaultID = fmt.Sprint(d["_id"])
		}
	}
	if defaultID == "" {
		t.Fatalf("project %s has no default department", env.project)
	}
	adopt := func(allow string) string {
		return env.config(fmt.Sprintf(`import {
  to = tiledesk_department.test
  id = %q
}

resource "tiledesk_department" "test" {
  name    = "Default Department"
  routing = "assigned"
  %s
}
`, defaultID, allow))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories(),
		// Import blocks came with Terraform 1.5.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config: adopt(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(depAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("default"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(depAddr, tfjsonpath.New("allow_default_deletion"), knownvalue.Bool(false)),
				},
			},
			{
				PreConfig:   func() { env.proxy.ResetCounts() },
				Config:      adopt(""),
				Destroy:     true,
				ExpectError: errRe(`Refusing to delete the default department.*allow_default_deletion = true`),
			},
			{
				PreConfig: func() {
					if w := env.proxy.Writes(); w != 0 {
						t.Errorf("the refused destroy wrote %d times: %v", w, env.proxy.Counts())
					}
					if _, ok := env.backend.Get(t, departmentEntity, defaultID); !ok {
						t.Errorf("the refused destroy deleted the default department")
					}
					env.proxy.ResetCounts()
				},
				Config: adopt("allow_default_deletion = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(depAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if w := env.proxy.Writes(); w != 0 {
						return fmt.Errorf("setting allow_default_deletion wrote %d times: %v", w, env.proxy.Counts())
					}
					return nil
				},
			},
			{Config: adopt("allow_default_deletion = true"), Destroy: true},
		},
	})
	if _, ok := env.backend.Get(t, departmentEntity, defaultID); ok {
		t.Errorf("the default department %s is still on the server after an allowed destroy", defaultID)
	}
}

// Plan-time errors, before any request: a routing or status the dashboard
// does not offer, bot_only without a bot, malformed ids.
func TestAccDepartment_invalidInput(t *testing.T) {
	invalidAttrs(t, "tiledesk_department", []struct{ attrs, want string }{
		{`name = "x"` + "\n" + `routing = "round robin"`, `value must be one of.*"pooled".*"assigned"`},
		{`name = "x"` + "\n" + `status = 2`, `status.*value must be one of`},
		{`name = "x"` + "\n" + `bot_only = true`, `bot_only needs a bot`},
		{`name = "x"` + "\n" + `id_group = "sales"`, `24-character hexadecimal id`},
		{`name = ""`, `name.*at least 1`},
		{`name = "x"` + "\n" + `description = ""`, `description.*at least 1`},
	})
}
