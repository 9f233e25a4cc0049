#!/usr/bin/env bash
# make examples-check: every example is formatted, and valid against the provider built from this tree.
# Each example directory is copied to a temp dir (with a required_providers block when it has none, as
# the docs show examples without one) and checked with `terraform validate` through dev_overrides:
# no registry, no init, and the provider's own plan-time validation runs on every attribute.
set -euo pipefail
cd "$(dirname "$0")/.."

# Terraform 1.14.8 (built once by terraform-bin.sh): the examples show import by identity (1.12+) and a list
# resource in a .tfquery.hcl file (1.14+).
tf=${TF_ACC_TERRAFORM_PATH:-$(TF_BIN=terraform-1.14 scripts/terraform-bin.sh)}

"$tf" fmt -check -recursive -diff examples

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The build and a CLI config whose dev_overrides point terraform (or tofu) at it: $work/dev.tfrc.
scripts/dev-env.sh --provider "$work" >/dev/null

failed=0
while IFS= read -r dir; do
  dest="$work/$(echo "$dir" | tr / _)"
  mkdir -p "$dest"
  # every file of the folder, not only *.tf: a module may read its data (examples/gitops/segments.yaml)
  find "$dir" -maxdepth 1 -type f -exec cp {} "$dest/" \;
  if ! grep -qs required_providers "$dest"/*.tf; then
    printf 'terraform {\n  required_providers {\n    tiledesk = { source = "tiledesk/tiledesk" }\n  }\n}\n' > "$dest/versions.tf"
  fi
  query=()
  if compgen -G "$dest/*.tfquery.hcl" >/dev/null; then query=(-query); fi
  if out=$(TF_CLI_CONFIG_FILE="$work/dev.tfrc" "$tf" -chdir="$dest" validate -no-color "${query[@]}" 2>&1); then
    echo "valid: $dir"
  else
    echo "INVALID: $dir"
    echo "$out" | grep -v -e 'development overrides' -e '^│ *$' >&2
    failed=1
  fi
done < <(find examples \( -name '*.tf' -o -name '*.tfquery.hcl' \) -exec dirname {} \; | sort -u)
exit "$failed"
