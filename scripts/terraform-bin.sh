#!/usr/bin/env bash
# Finds a terraform (or OpenTofu) binary for the acceptance tests.
#
#   scripts/terraform-bin.sh         prints its path
#   scripts/terraform-bin.sh --env   prints shell exports for `eval`:
#                                      export TF_ACC_TERRAFORM_PATH=...
#                                      export TF_ACC_PROVIDER_NAMESPACE=hashicorp       (OpenTofu only)
#                                      export TF_ACC_PROVIDER_HOST=registry.opentofu.org (OpenTofu only)
#
# TF_BIN selects the binary:
#   (unset)         $TF_ACC_TERRAFORM_PATH, terraform on PATH, tofu on PATH, else OpenTofu 1.10.10 (below)
#   tofu            tofu on PATH, else OpenTofu 1.10.10 built and cached     (make testacc-tofu)
#   tofu-1.12       OpenTofu 1.12.6 built and cached: import by identity    (make testacc-tofu112)
#   terraform-1.14  Terraform 1.14.8 built and cached: identity, list resources, `terraform query`
#                   (make testacc-tf114)
# Builds come from the Go module proxy into a cache outside the repo (3-6 min each on 2 cores, once; then
# reused). Each is built to a temporary name and renamed, so an interrupted build never leaves a broken
# cached binary. Progress goes to stderr. Terraform 1.14 is under the Business Source License: it is built
# only to run the tests here, never shipped.
set -euo pipefail

CACHE_ROOT=${TILEDESK_BIN_CACHE:-$HOME/.cache/terraform-provider-tiledesk}
TOFU_VERSION=v1.10.10
TOFU_CACHE=${TOFU_CACHE:-$CACHE_ROOT/tofu}
TOFU112_VERSION=v1.12.6
TOFU112_CACHE=$CACHE_ROOT/tofu-${TOFU112_VERSION#v}
TF114_VERSION=v1.14.8
TF114_CACHE=$CACHE_ROOT/terraform-${TF114_VERSION#v}

log() { echo "terraform-bin: $*" >&2; }

# module_dir MODULE VERSION CACHE: downloads MODULE@VERSION from the Go module proxy and prints its
# (read-only) directory in the module cache. Run from the cache dir so no surrounding go.mod is consulted.
module_dir() {
  local dir
  dir=$(cd "$3" && go mod download -json "$1@$2" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    log "ERROR: could not download $1@$2 from the Go module proxy"
    return 1
  fi
  echo "$dir"
}

# build_tofu VERSION CACHE [GOFLAGS...]: OpenTofu VERSION as CACHE/tofu. `go install` refuses OpenTofu (its go.mod has
# replace directives), so build inside the downloaded module source.
build_tofu() {
  local version=$1 cache=$2 flags=${3:-}
  local bin="$cache/tofu"
  if [ -x "$bin" ]; then
    echo "$bin"
    return
  fi
  mkdir -p "$cache"
  log "building OpenTofu $version into $cache (about 5 min once) ..."
  local dir
  dir=$(module_dir github.com/opentofu/opentofu "$version" "$cache")
  (cd "$dir" && GOFLAGS="${GOFLAGS:-} $flags" go build -o "$bin.tmp.$$" ./cmd/tofu) >&2
  mv "$bin.tmp.$$" "$bin"
  log "built $bin"
  echo "$bin"
}

# build_terraform114: Terraform 1.14.8 as TF114_CACHE/terraform. Its go.mod replaces internal/legacy and the
# cloud-storage state backends (azurerm, consul, cos, gcs, kubernetes, oci, oss, pg, s3) with local modules
# that the module download does not contain. In a writable copy, drop those backends from
# internal/backend/init/init.go and their require/replace lines from go.mod; the local, remote, cloud, http
# and inmem backends remain, which is all the tests need.
build_terraform114() {
  local cache=$TF114_CACHE
  local bin="$cache/terraform"
  if [ -x "$bin" ]; then
    echo "$bin"
    return
  fi
  mkdir -p "$cache"
  log "building Terraform $TF114_VERSION into $cache (about 3-5 min once) ..."
  local dir src
  dir=$(module_dir github.com/hashicorp/terraform "$TF114_VERSION" "$cache")
  src=$(mktemp -d "$cache/src.XXXXXX")
  # shellcheck disable=SC2064 # expand $src now
  trap "chmod -R u+w '$src' 2>/dev/null; rm -rf '$src'" EXIT
  cp -R "$dir/." "$src/"
  chmod -R u+w "$src"
  sed -i -E '/backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)[ .]/d' "$src/internal/backend/init/init.go"
  sed -i -E '/github\.com\/hashicorp\/terraform\/internal\//d' "$src/go.mod"
  (cd "$src" && GOFLAGS="${GOFLAGS:-} -mod=mod" go build \
    -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$bin.tmp.$$" .) >&2
  mv "$bin.tmp.$$" "$bin"
  log "built $bin ($(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$bin" version 2>/dev/null | head -1))"
  echo "$bin"
}

find_bin() {
  case "${TF_BIN:-}" in
    tofu-1.12)
      # -mod=mod: the build of 1.12 needs go.sum entries its module download lacks.
      build_tofu "$TOFU112_VERSION" "$TOFU112_CACHE" -mod=mod
      return
      ;;
    terraform-1.14)
      build_terraform114
      return
      ;;
    tofu | "") ;;
    *)
      log "ERROR: unknown TF_BIN=$TF_BIN (want tofu, tofu-1.12 or terraform-1.14)"
      return 1
      ;;
  esac
  if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ]; then
    if [ -x "$TF_ACC_TERRAFORM_PATH" ]; then
      echo "$TF_ACC_TERRAFORM_PATH"
      return
    fi
    log "ERROR: TF_ACC_TERRAFORM_PATH=$TF_ACC_TERRAFORM_PATH is not an executable file"
    return 1
  fi
  if [ "${TF_BIN:-}" = tofu ]; then
    command -v tofu || build_tofu "$TOFU_VERSION" "$TOFU_CACHE"
    return
  fi
  command -v terraform || command -v tofu || build_tofu "$TOFU_VERSION" "$TOFU_CACHE"
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
