#!/usr/bin/env bash
# make demo: the provider's main job, end to end, against the built-in local Tiledesk API.
# Builds the provider, starts the local API on a free loopback port, points Terraform at the
# build with dev_overrides (no registry, no network), then: plan and apply the segments of
# examples/, a group, a department routed to it and a canned response, read them back through
# data sources, edit a segment and the department "in the dashboard", show that the plan finds
# the drift, converge, destroy. Exits non-zero as soon as a step misbehaves.
set -euo pipefail
cd "$(dirname "$0")/.."

export CHECKPOINT_DISABLE=1
command -v terraform >/dev/null || { echo "demo: terraform is not on PATH" >&2; exit 1; }
command -v curl >/dev/null || { echo "demo: curl is needed to play the dashboard" >&2; exit 1; }
command -v jq >/dev/null || {
  echo "demo: jq is needed to read terraform's and the API's JSON: apt-get install jq (Debian, Ubuntu), brew install jq (macOS)" >&2
  exit 1
}

work=$(mktemp -d)
cleanup() {
  [ -z "${TILEDESK_LOCAL_API_PID:-}" ] || kill "$TILEDESK_LOCAL_API_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\ndemo: FAILED: %s\n' "$*" >&2; exit 1; }

step "Build the provider, start the local Tiledesk API on a free loopback port"
# scripts/dev-env.sh: the build, a CLI config whose dev_overrides point terraform at it, and the local API's
# settings (TILEDESK_API_URL, TILEDESK_PROJECT_ID, TILEDESK_TOKEN: its demo user). The provider reads its
# configuration from the environment, as in a CI pipeline.
unset TILEDESK_EMAIL TILEDESK_PASSWORD
env=$(scripts/dev-env.sh --provider --local-api "$work") || fail "the build or the local API failed"
eval "$env"
export TF_IN_AUTOMATION=1
api=$TILEDESK_API_URL
echo "local Tiledesk API at $api"

# Leads, so that the leads data source has someone to show.
for lead in \
  '{"fullname":"Giulia Rossi","email":"giulia@example.it","phone":"+39 06 555","tags":["vip"],"attributes":{"plan":"premium","orders":7,"vip":true}}' \
  '{"fullname":"Marco Bianchi","email":"marco@example.it","phone":"+39 02 555","attributes":{"plan":"premium","orders":2,"vip":true}}' \
  '{"fullname":"Ann Smith","email":"ann@example.com","attributes":{"plan":"free","orders":9}}'; do
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' -d "$lead" "$api/__fake/leads/$TILEDESK_PROJECT_ID"
done

cfg="$work/config"
mkdir -p "$cfg"
cp examples/resources/tiledesk_segment/resource.tf "$cfg/segments.tf"
cat > "$cfg/main.tf" <<'EOF'
terraform {
  required_providers {
    tiledesk = { source = "tiledesk/tiledesk" }
  }
}

provider "tiledesk" {} # api_url, project_id and token come from TILEDESK_* variables

data "tiledesk_segments" "all" {
  depends_on = [tiledesk_segment.italian_premium, tiledesk_segment.every_operator, tiledesk_segment.everyone]
}

data "tiledesk_leads" "italian_premium" {
  segment_id = tiledesk_segment.italian_premium.id
}

# The sales agents, and the department whose conversations about prices go to them, one agent at a time.
resource "tiledesk_group" "sales_team" {
  name = "Sales team"
}

resource "tiledesk_department" "sales" {
  name        = "Sales"
  description = "Questions about plans and prices"
  routing     = "assigned"
  id_group    = tiledesk_group.sales_team.id
}

# A reply every agent can insert.
resource "tiledesk_canned_response" "welcome" {
  title = "Welcome"
  text  = "Hi! Thanks for writing: a member of the sales team answers within the hour."
}

output "sales_department_id" {
  value = tiledesk_department.sales.id
}

output "sales_team_id" {
  value = tiledesk_group.sales_team.id
}

output "segment_names" {
  value = [for s in data.tiledesk_segments.all.segments : s.name]
}

output "italian_premium_id" {
  value = tiledesk_segment.italian_premium.id
}

output "italian_premium_reaches" {
  value = [for l in data.tiledesk_leads.italian_premium.leads : "${l.fullname} <${l.email}>"]
}
EOF
tf() { terraform -chdir="$cfg" "$@" 2> >(grep -v -e 'Provider development overrides' -e 'dev_overrides' >&2); }

step "terraform plan: three segments, a group, a department and a canned response to create"
tf plan -no-color -out=plan.out | tee "$work/plan.txt" | grep -E '^(  # |Plan:)' || true
grep -q 'Plan: 6 to add, 0 to change, 0 to destroy' "$work/plan.txt" || fail "expected 6 objects to create"

step "terraform apply"
tf apply -no-color plan.out | grep -E 'Creation complete|Apply complete' || fail "apply failed"

step "Read them back through the data sources"
tf apply -no-color -auto-approve -refresh-only >/dev/null
tf output segment_names
tf output italian_premium_reaches
[ "$(tf output -json italian_premium_reaches | jq length)" = 1 ] || fail "expected the segment to reach one lead (Giulia)"

step "A colleague edits the segment and the department in the dashboard"
id=$(tf output -raw italian_premium_id)
curl -fsS -X PATCH -H 'Content-Type: application/json' \
  -d '{"name":"Renamed in the dashboard","filters":[{"field":"email","operator":"contains","value":"@example\\.com$"}]}' \
  "$api/__fake/segments/$id" >/dev/null
echo "segment $id now named \"Renamed in the dashboard\" with one filter"
dep=$(tf output -raw sales_department_id)
tf output -raw sales_team_id >"$work/group_id"
curl -fsS -X PATCH -H 'Content-Type: application/json' -d '{"status":0,"routing":"pooled","id_group":null}' "$api/__fake/departments/$dep" >/dev/null
echo "department $dep now hidden from the widget (status 0), pooled, and routed to every agent instead of the sales team"

step "terraform plan finds the drift and proposes to put it back"
set +e
tf plan -no-color -detailed-exitcode >"$work/drift.txt"
code=$?
set -e
[ "$code" = 2 ] || { cat "$work/drift.txt"; fail "plan did not detect the drift (exit $code)"; }
sed -n '/will be updated in-place/,/^Plan:/p' "$work/drift.txt"
grep -q 'Plan: 0 to add, 2 to change, 0 to destroy' "$work/drift.txt" || fail "expected two in-place updates"

step "terraform apply converges"
tf apply -no-color -auto-approve | grep -E 'Modifications complete|Apply complete' || fail "apply failed"
tf plan -no-color -detailed-exitcode >/dev/null || fail "the plan after converging is not empty"
echo "the plan is empty: the segment and the department match the configuration again"

step "terraform destroy"
tf destroy -no-color -auto-approve | grep -E 'Destruction complete|Destroy complete' || fail "destroy failed"
status=$(curl -fsS "$api/__fake/segments/$id" | jq .status)
[ "$status" = 0 ] || fail "segment $id still has status $status after destroy"
echo "segment $id is deleted on the server (status 0, as Tiledesk deletes)"
code=$(curl -s -o /dev/null -w '%{http_code}' "$api/__fake/departments/$dep")
[ "$code" = 404 ] || fail "department $dep is still on the server after destroy (HTTP $code)"
echo "department $dep is deleted on the server (for good, as Tiledesk deletes departments)"
group=$(curl -fsS "$api/__fake/groups/$(cat "$work/group_id")" | jq .trashed)
[ "$group" = true ] || fail "the sales team group is not trashed after destroy"
echo "group $(cat "$work/group_id") is deleted on the server (trashed, as Tiledesk deletes groups)"

step "API requests the provider made"
curl -fsS "$api/__fake/counts" | jq -c .

printf '\n\033[1mdemo: every step behaved\033[0m\n'
