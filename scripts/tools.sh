#!/usr/bin/env bash
# Installs the pinned lint/test tools into a cache outside the repo and reuses them across runs.
# Usage: scripts/tools.sh            -> golangci-lint + gotestsum
#        scripts/tools.sh goreleaser -> goreleaser only (slow: ~8 min the first time)
set -euo pipefail

TOOLS_BIN=${TOOLS_BIN:-$HOME/.cache/terraform-provider-tiledesk/bin}
GOLANGCI_LINT_VERSION=2.15.0
GOTESTSUM_VERSION=1.13.0
# Not 2.15.0 or 2.15.1: they add the .sig file to SHA256SUMS after signing it, so the signature of
# every release is invalid (goreleaser issues #6508, #6514). 2.14.3 is the last good one.
GORELEASER_VERSION=2.14.3

mkdir -p "$TOOLS_BIN"

# ensure NAME VERSION PKG: install PKG@vVERSION unless "$TOOLS_BIN/NAME --version" already mentions VERSION.
ensure() {
  local name=$1 version=$2 pkg=$3
  local bin="$TOOLS_BIN/$name"
  # Each tool prints its version differently (golangci-lint: "version 2.15.0", gotestsum: "gotestsum version
  # v1.13.0", goreleaser: "GitVersion: v2.15.1"); a plain substring match on the number covers all three.
  if [ -x "$bin" ] && "$bin" --version 2>&1 | grep -qF "$version"; then
    echo "tools: $name $version already in $TOOLS_BIN"
    return
  fi
  echo "tools: installing $name $version into $TOOLS_BIN ..."
  local start=$SECONDS
  GOBIN="$TOOLS_BIN" go install "$pkg@v$version"
  echo "tools: $name $version installed in $((SECONDS - start)) s"
}

case "${1:-}" in
  "")
    ensure golangci-lint "$GOLANGCI_LINT_VERSION" github.com/golangci/golangci-lint/v2/cmd/golangci-lint
    ensure gotestsum "$GOTESTSUM_VERSION" gotest.tools/gotestsum
    ;;
  goreleaser)
    ensure goreleaser "$GORELEASER_VERSION" github.com/goreleaser/goreleaser/v2
    ;;
  *)
    echo "usage: $0 [goreleaser]" >&2
    exit 2
    ;;
esac
