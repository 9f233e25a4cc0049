#!/usr/bin/env bash
# scripts/install-check.sh DIST: installs the release archive in DIST the way a registry user gets it, and uses it.
# Run by `make release-check` on the archive goreleaser just built; DIST holds
# terraform-provider-tiledesk_<version>_SHA256SUMS and terraform-provider-tiledesk_<version>_linux_amd64.zip.
#   1. the zip goes into a filesystem mirror in the packed layout
#      (registry.terraform.io/tiledesk/tiledesk/terraform-provider-tiledesk_<version>_linux_amd64.zip), after its
#      SHA256 is checked against SHA256SUMS; the CLI config sends tiledesk/tiledesk to that mirror only
#   2. `terraform init` of a configuration with a version constraint installs it from there
#   3. plan and apply of a segment against the local Tiledesk API (internal/cmd/tiledesk-local-api), provider
#      configured through TILEDESK_* only, then a plan that must be empty
#   4. .terraform.lock.hcl: the provider's entry holds the version, the constraint, and the archive's hashes:
#      zh:<SHA256 from SHA256SUMS> if terraform recorded one, and h1: computed here from the zip's content
# No registry, no network: the mirror is the only installation method.
set -euo pipefail
cd "$(dirname "$0")/.."

dist=$(cd "${1:?usage: $0 DIST}" && pwd)
export CHECKPOINT_DISABLE=1
fail() { echo "install-check: FAILED: $*" >&2; exit 1; }

tf=${TF_ACC_TERRAFORM_PATH:-$(scripts/terraform-bin.sh)}
host=registry.terraform.io
case "$(basename "$tf")" in tofu*) host=registry.opentofu.org ;; esac
addr="$host/tiledesk/tiledesk"

shopt -s nullglob
sums=("$dist"/terraform-provider-tiledesk_*_SHA256SUMS)
[ ${#sums[@]} = 1 ] || fail "want one terraform-provider-tiledesk_<version>_SHA256SUMS in $dist, found ${#sums[@]}"
sums=${sums[0]}
version=$(basename "$sums")
version=${version#terraform-provider-tiledesk_}
version=${version%_SHA256SUMS}
zip_name="terraform-provider-tiledesk_${version}_linux_amd64.zip"
[ -f "$dist/$zip_name" ] || fail "$dist has no $zip_name"
zip_sha=$(awk -v f="$zip_name" '$2 == f { print $1 }' "$sums")
[ -n "$zip_sha" ] || fail "$sums does not list $zip_name"
[ "$(sha256sum "$dist/$zip_name" | cut -d' ' -f1)" = "$zip_sha" ] || fail "$zip_name does not match its SHA256 in $sums"
# A release version installs with `~> major.minor`; a pre-release only matches a constraint that names it.
case "$version" in
  *-*) constraint="= $version" ;;
  *) constraint="~> $(echo "$version" | cut -d. -f1-2)" ;;
esac
echo "install-check: $zip_name (sha256 $zip_sha), version constraint \"$constraint\", $(basename "$tf")"

work=$(mktemp -d)
api_pid=
cleanup() {
  [ -z "$api_pid" ] || kill "$api_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The mirror, packed layout: HOSTNAME/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_TARGET.zip.
mkdir -p "$work/mirror/$addr"
cp "$dist/$zip_name" "$work/mirror/$addr/"
cat > "$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["$addr"]
  }
}
CFG
# Only this CLI config: no plugin cache, no dev_overrides, no credentials of the caller's.
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_plan TF_CLI_ARGS_apply
unset TILEDESK_EMAIL TILEDESK_PASSWORD TILEDESK_REQUEST_TIMEOUT TILEDESK_MAX_RETRIES
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0

# The local Tiledesk API and its settings (its demo user in its default project).
env=$(scripts/dev-env.sh --local-api "$work/local-api") || fail "the local API did not start"
eval "$env"
api_pid=$TILEDESK_LOCAL_API_PID

cfg="$work/config"
mkdir -p "$cfg"
cat > "$cfg/main.tf" <<EOF
terraform {
  required_providers {
    tiledesk = {
      source  = "tiledesk/tiledesk"
      version = "$constraint"
    }
  }
}

provider "tiledesk" {}

resource "tiledesk_segment" "installed" {
  name = "Installed from the release archive"
  filters = [
    { field = "email", operator = "contains", value = "@example\\\\.it$" },
    { field = "attributes.orders", operator = ">=", value = "3", value_type = "number" },
  ]
}
EOF
run() { "$tf" -chdir="$cfg" "$@"; }

# 2. init from the mirror.
echo "==> terraform init (filesystem mirror only)"
run init -no-color | tee "$work/init.txt"
grep -q "Installing tiledesk/tiledesk v$version" "$work/init.txt" || fail "init did not install tiledesk/tiledesk v$version"
run version | tee "$work/version.txt"
grep -q "provider $addr v$version" "$work/version.txt" || fail "terraform does not use $addr v$version"

# 3. plan, apply, empty plan.
echo "==> terraform plan / apply / plan"
run plan -no-color -out=plan.out | tee "$work/plan.txt"
grep -q 'Plan: 1 to add, 0 to change, 0 to destroy' "$work/plan.txt" || fail "want 1 to add"
run apply -no-color plan.out
code=0
run plan -no-color -detailed-exitcode >"$work/replan.txt" || code=$?
[ "$code" = 0 ] || { cat "$work/replan.txt"; fail "the plan after apply is not empty (exit $code)"; }
echo "the plan after apply is empty"
id=$(run show -json | jq -r '.values.root_module.resources[] | select(.type == "tiledesk_segment") | .values.id')
curl -fsS "$TILEDESK_API_URL/__fake/segments/$id" | jq -e '.status == 100 and .filters[1].value == 3' >/dev/null ||
  fail "the server does not hold segment $id as applied"

# 4. The lock file.
echo "==> .terraform.lock.hcl"
lock="$cfg/.terraform.lock.hcl"
cat "$lock"
entry=$(awk -v a="provider \"$addr\" {" 'index($0, a) == 1 { on = 1 } on { print } on && /^}/ { exit }' "$lock")
[ -n "$entry" ] || fail "the lock file has no entry for $addr"
grep -q "^  version *= \"$version\"\$" <<<"$entry" || fail "the lock file's $addr entry is not version $version"
grep -qF "constraints = \"$constraint\"" <<<"$entry" || fail "the lock file's $addr entry does not record the constraint $constraint"
# h1: is Go's dirhash "Hash1" of the archive's files: SHA256 of the sorted lines "<sha256 hex>  <name>".
mkdir "$work/unzipped"
unzip -q "$dist/$zip_name" -d "$work/unzipped"
h1="h1:$(cd "$work/unzipped" && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
  while IFS= read -r f; do printf '%s  %s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$f"; done |
  sha256sum | cut -d' ' -f1 | xxd -r -p | base64)"
grep -qF "\"$h1\"" <<<"$entry" || fail "the lock file's $addr entry lacks $h1, the hash of $zip_name"
if grep -q '"zh:' <<<"$entry"; then
  grep -qF "\"zh:$zip_sha\"" <<<"$entry" || fail "the lock file's zh: hash is not the SHA256 of $zip_name in $(basename "$sums")"
  echo "lock file: version $version, $h1 and zh:$zip_sha match the archive"
else
  echo "lock file: version $version, $h1 matches the archive (whose SHA256 matches $(basename "$sums"))"
fi

echo "==> terraform destroy"
run destroy -no-color -auto-approve >/dev/null
echo "install-check: ok"
