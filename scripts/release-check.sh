#!/usr/bin/env bash
# `make release-check`: checks the release setup without publishing anything.
#   1. goreleaser check
#   2. a snapshot build for this machine's platform
#   3. a snapshot release for linux/amd64 only, signed with a throwaway GPG key, then a check that the
#      SHA256SUMS signature verifies and lists the registry manifest (what the Terraform Registry checks)
# goreleaser needs a git repo with an origin remote, so everything runs in a throwaway copy of the working
# tree (tracked and untracked-but-not-ignored files, so uncommitted changes are checked too).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/tools.sh goreleaser
goreleaser="${TOOLS_BIN:-$HOME/.cache/terraform-provider-tiledesk/bin}/goreleaser"

tmp=$(mktemp -d)
export GNUPGHOME="$tmp/gnupg"
# Stop the gpg-agent that key generation starts, then remove the copy.
trap 'gpgconf --kill gpg-agent 2>/dev/null || true; rm -rf "$tmp"' EXIT

# Copy the working tree; skip tracked files deleted in the working tree (tar would fail on them).
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$tmp"
cd "$tmp"
# A fresh machine has no git identity: give the throwaway repo's commits one.
export GIT_AUTHOR_NAME=release-check GIT_AUTHOR_EMAIL=release-check@localhost
export GIT_COMMITTER_NAME=release-check GIT_COMMITTER_EMAIL=release-check@localhost
git init -q
git add -A
git commit -q -m snapshot
git remote add origin https://github.com/tiledesk/terraform-provider-tiledesk.git # never contacted

echo "==> goreleaser check"
"$goreleaser" check

echo "==> goreleaser build --snapshot --single-target"
"$goreleaser" build --snapshot --clean --single-target
ls -l dist/*/

if ! command -v gpg >/dev/null; then
  echo "release-check: gpg not installed, skipping the signed trial release" >&2
  exit 0
fi
echo "==> signed trial release (linux/amd64 only)"
# The full matrix takes ~10 min to build; narrow the copy's goos/goarch lists to one target.
sed -i '/^    goos:$/,/^    ignore:$/c\    goos: [linux]\n    goarch: [amd64]\n    ignore:' .goreleaser.yml
grep -q '^    goos: \[linux\]$' .goreleaser.yml || { echo "release-check: cannot narrow .goreleaser.yml" >&2; exit 1; }
git commit -qam narrow
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "release-check <release-check@localhost>" ed25519 sign never
GPG_FINGERPRINT=$(gpg --list-secret-keys --with-colons | awk -F: '/^fpr/ { print $10; exit }')
export GPG_FINGERPRINT
"$goreleaser" release --snapshot --clean --skip=publish
sums=$(echo dist/*_SHA256SUMS)
cat "$sums"
gpg --verify "$sums.sig" "$sums"
grep -q '_manifest\.json$' "$sums" || { echo "release-check: $sums does not list the manifest" >&2; exit 1; }
echo "release-check: ok"
