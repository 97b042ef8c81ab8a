#!/usr/bin/env bash
# Lints the GitHub Actions workflows that ship in examples/ with actionlint, built once from Go modules into
# the cache folder (like tools/pulumi-cli/build.sh builds Pulumi), then reused. Exit status: actionlint's.
# actionlint also runs shellcheck on `run:` scripts when shellcheck is on PATH.
set -euo pipefail
version=v1.7.12
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${PULUMI_NEXLA_CACHE:-$HOME/.cache/pulumi-nexla}
dest="$cache/actionlint-$version"
if [ ! -x "$dest/bin/actionlint" ]; then
  command -v go >/dev/null || {
    echo "lint.sh: Go is not installed, so actionlint $version cannot be built here. Install Go 1.24+ and run this again." >&2
    exit 1
  }
  mkdir -p "$cache" || { echo "lint.sh: cannot create the cache folder $cache (set PULUMI_NEXLA_CACHE to a writable folder)." >&2; exit 1; }
  tmp=$(mktemp -d "$cache/.actionlint-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "Building actionlint $version from Go modules into $dest (first time only)..." >&2
  if ! CGO_ENABLED=0 GOBIN="$tmp/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$version" 2>&1 | sed "s/^go: /  go: /" >&2 ||
    [ ! -x "$tmp/bin/actionlint" ]; then
    echo "lint.sh: building actionlint failed. Check that the Go module proxy is reachable (go env GOPROXY: $(go env GOPROXY))." >&2
    exit 1
  fi
  mv "$tmp" "$dest"
fi
cd "$repo"
mapfile -t workflows < <(git ls-files 'examples/*/.github/workflows/*.yml' 'examples/*/.github/workflows/*.yaml')
[ "${#workflows[@]}" -gt 0 ] || { echo "lint.sh: no workflows under examples/*/.github/workflows" >&2; exit 1; }
echo "actionlint $version: ${workflows[*]}"
"$dest/bin/actionlint" -no-color "${workflows[@]}"
echo "actionlint: no problems"
