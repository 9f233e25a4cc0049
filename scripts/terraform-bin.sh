#!/usr/bin/env bash
# Finds a terraform (or OpenTofu) binary for the acceptance tests.
#
#   scripts/terraform-bin.sh         prints its path
#   scripts/terraform-bin.sh --env   prints shell exports for `eval`:
#                                      export TF_ACC_TERRAFORM_PATH=...
#                                      export TF_ACC_PROVIDER_NAMESPACE=hashicorp       (OpenTofu only)
#                                      export TF_ACC_PROVIDER_HOST=registry.opentofu.org (OpenTofu only)
#
# Order: $TF_ACC_TERRAFORM_PATH, terraform on PATH, tofu on PATH, else OpenTofu built from the
# Go module proxy into a cache outside the repo (~5 min once, then reused). Progress goes to stderr.
# TF_BIN=tofu asks for OpenTofu: tofu on PATH, else the cached build (make testacc-tofu).
set -euo pipefail

TOFU_VERSION=v1.10.10
TOFU_CACHE=${TOFU_CACHE:-$HOME/.cache/terraform-provider-tiledesk/tofu}

log() { echo "terraform-bin: $*" >&2; }

build_tofu() {
  local bin="$TOFU_CACHE/tofu"
  if [ -x "$bin" ]; then
    echo "$bin"
    return
  fi
  mkdir -p "$TOFU_CACHE"
  log "no terraform or tofu found; building OpenTofu $TOFU_VERSION into $TOFU_CACHE (about 5 min) ..."
  # `go install` refuses OpenTofu (its go.mod has replace directives), so download the module source and
  # build inside it. Run from the cache dir so no surrounding go.mod is consulted or touched.
  local dir
  dir=$(cd "$TOFU_CACHE" && go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" |
    sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    log "ERROR: could not download github.com/opentofu/opentofu@$TOFU_VERSION from the Go module proxy"
    return 1
  fi
  # Build to a temporary name and rename, so an interrupted build never leaves a broken cached binary.
  (cd "$dir" && go build -o "$bin.tmp" ./cmd/tofu) >&2
  mv "$bin.tmp" "$bin"
  log "built $bin"
  echo "$bin"
}

find_bin() {
  if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ]; then
    if [ -x "$TF_ACC_TERRAFORM_PATH" ]; then
      echo "$TF_ACC_TERRAFORM_PATH"
      return
    fi
    log "ERROR: TF_ACC_TERRAFORM_PATH=$TF_ACC_TERRAFORM_PATH is not an executable file"
    return 1
  fi
  if [ "${TF_BIN:-}" = tofu ]; then
    command -v tofu || build_tofu
    return
  fi
  command -v terraform || command -v tofu || build_tofu
}

bin=$(find_bin) || { log "ERROR: no terraform binary available for acceptance tests"; exit 1; }

case "${1:-}" in
  "")
    echo "$bin"
    ;;
  --env)
    printf 'export TF_ACC_TERRAFORM_PATH=%q\n' "$bin"
    # Capture first (a `| grep -q` could SIGPIPE the binary and, under pipefail, fail the test).
    version=$(CHECKPOINT_DISABLE=1 "$bin" version 2>/dev/null || true)
    case $version in
      # OpenTofu rejects the testing library's legacy "-" namespace, and ImportState steps only find the
      # test provider when its address uses OpenTofu's registry host.
      *OpenTofu*)
        echo 'export TF_ACC_PROVIDER_NAMESPACE=hashicorp'
        echo 'export TF_ACC_PROVIDER_HOST=registry.opentofu.org'
        ;;
    esac
    ;;
  *)
    echo "usage: $0 [--env]" >&2
    exit 2
    ;;
esac
