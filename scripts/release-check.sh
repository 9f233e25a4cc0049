#!/usr/bin/env bash
# `make release-check`: checks the release setup without publishing anything.
#   1. goreleaser check
#   2. a snapshot build for the platform it runs on
#   3. a snapshot release for linux/amd64 only, versioned as the tag v$RELEASE_CHECK_VERSION (default 0.1.0) would be, signed with a
#      throwaway GPG key, then a check that the SHA256SUMS signature verifies and lists the registry manifest (what
#      the Terraform Registry checks)
#   4. scripts/install-check.sh: the linux/amd64 zip installed from a filesystem mirror by `terraform init` with a
#      version constraint, as a registry user gets it, then plan, apply and an empty plan against the local API,
#      and a check of .terraform.lock.hcl
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

echo "==> trial release (linux/amd64 only)"
# The full matrix takes ~10 min to build; narrow the copy's goos/goarch lists to one target.
sed -i '/^    goos:$/,/^    ignore:$/c\    goos: [linux]\n    goarch: [amd64]\n    ignore:' .goreleaser.yml
grep -q '^    goos: \[linux\]$' .goreleaser.yml || { echo "release-check: cannot narrow .goreleaser.yml" >&2; exit 1; }
# Name the artifacts as the release of a tag names them (a snapshot's default version, 0.0.0-SNAPSHOT-<commit>, is a
# pre-release that no `~>` constraint matches), so that the install check runs `terraform init` as users do.
grep -q '^snapshot:' .goreleaser.yml && { echo "release-check: .goreleaser.yml has a snapshot section: adapt this script" >&2; exit 1; }
printf '\nsnapshot:\n  version_template: "{{ .Version }}"\n' >>.goreleaser.yml
git commit -qam narrow
git tag "v${RELEASE_CHECK_VERSION:-0.1.0}"
skip=publish
if command -v gpg >/dev/null; then
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key "release-check <release-check@localhost>" ed25519 sign never
  GPG_FINGERPRINT=$(gpg --list-secret-keys --with-colons | awk -F: '/^fpr/ { print $10; exit }')
  export GPG_FINGERPRINT
else
  echo "release-check: gpg not installed, the trial release is not signed" >&2
  skip=publish,sign
fi
"$goreleaser" release --snapshot --clean --skip="$skip"
sums=$(echo dist/*_SHA256SUMS)
cat "$sums"
[ "$skip" != publish ] || gpg --verify "$sums.sig" "$sums"
grep -q '_manifest\.json$' "$sums" || { echo "release-check: $sums does not list the manifest" >&2; exit 1; }

echo "==> install the archive from a filesystem mirror, as a registry user would"
scripts/install-check.sh dist
echo "release-check: ok"
