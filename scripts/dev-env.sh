#!/usr/bin/env bash
# The development set-up of the scripts, written once (its Go form is internal/devenv):
#
#   env=$(scripts/dev-env.sh [--provider] [--local-api] WORK) && eval "$env"
#
# --provider   builds the provider into WORK/bin and writes WORK/dev.tfrc, a CLI configuration whose
#              dev_overrides point terraform and tofu at that build (no registry, no init); prints
#              TF_CLI_CONFIG_FILE.
# --local-api  builds the local Tiledesk API and starts it on a free loopback port (its log: WORK/local-api.log);
#              prints its settings, as the API itself gives them (TILEDESK_API_URL, TILEDESK_PROJECT_ID,
#              TILEDESK_TOKEN: its default user in its default project), and TILEDESK_LOCAL_API_PID: the caller
#              stops it (kill "$TILEDESK_LOCAL_API_PID").
# --cli-config DIR  prints the CLI configuration for a provider folder DIR, and nothing else.
#
# stdout carries only shell export lines (assign them first, then eval: `eval "$(...)"` alone hides a failure).
set -euo pipefail

cli_config() {
  printf 'provider_installation {\n  dev_overrides {\n'
  for src in registry.terraform.io/tiledesk/tiledesk registry.opentofu.org/tiledesk/tiledesk; do
    printf '    "%s" = "%s"\n' "$src" "$1"
  done
  printf '  }\n  direct {}\n}\n'
}

usage() { echo "usage: $0 [--provider] [--local-api] WORK | --cli-config DIR" >&2; exit 2; }

provider= api= work=
while [ $# -gt 0 ]; do
  case "$1" in
    --provider) provider=1 ;;
    --local-api) api=1 ;;
    --cli-config) [ $# = 2 ] || usage; cli_config "$2"; exit 0 ;;
    -*) usage ;;
    *) [ -z "$work" ] || usage; work=$1 ;;
  esac
  shift
done
[ -n "$work" ] && [ -n "$provider$api" ] || usage
mkdir -p "$work"
work=$(cd "$work" && pwd)
cd "$(dirname "$0")/.."

if [ -n "$provider" ]; then
  go build -o "$work/bin/terraform-provider-tiledesk" .
  cli_config "$work/bin" > "$work/dev.tfrc"
  printf "export TF_CLI_CONFIG_FILE='%s'\n" "$work/dev.tfrc"
fi

if [ -n "$api" ]; then
  go build -o "$work/tiledesk-local-api" ./internal/cmd/tiledesk-local-api
  rm -f "$work/local-api.url" "$work/local-api.env"
  # Its output goes to the log: the caller's $(...) would otherwise wait for the API to exit.
  "$work/tiledesk-local-api" -addr 127.0.0.1:0 -url-file "$work/local-api.url" -env-file "$work/local-api.env" -quiet \
    >"$work/local-api.log" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq 100); do
    [ -s "$work/local-api.url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -s "$work/local-api.url" ]; then
    kill "$pid" 2>/dev/null || true
    echo "dev-env: the local API did not start:" >&2
    cat "$work/local-api.log" >&2
    exit 1
  fi
  cat "$work/local-api.env"
  echo "export TILEDESK_LOCAL_API_PID=$pid"
fi
