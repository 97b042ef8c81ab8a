#!/usr/bin/env bash
# Builds the Pulumi YAML language host pinned in go.mod (github.com/pulumi/pulumi-yaml) from the Go module proxy
# into a cache directory outside the repository, beside the Pulumi CLI's (../pulumi-cli/build.sh), and prints that
# directory's bin/ path on its last line. Rebuilds only when go.mod or go.sum change (the cache directory is named
# by their hash). The CLI finds the host on PATH (docs/pulumi.md B3): put the printed folder there.
#
# A module of its own, not the CLI's: pulumi-yaml v1.25.0 compiles only against the pkg/v3 and sdk/v3 versions
# its go.mod requires (docs/pulumi.md C5).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi-yaml" { print $3 }' "$here/go.mod")
[ -n "$version" ] || { echo "build.sh: no github.com/pulumi/pulumi-yaml requirement in $here/go.mod" >&2; exit 1; }
key=$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-12)
cache=${PULUMI_NEXLA_CACHE:-$HOME/.cache/pulumi-nexla}
dest="$cache/pulumi-language-yaml-$version-$key"
if [ -x "$dest/bin/pulumi-language-yaml" ]; then
  echo "$dest/bin"
  exit 0
fi
command -v go >/dev/null || {
  echo "build.sh: Go is not installed, so the Pulumi YAML language host $version cannot be built here." >&2
  echo "Install Go 1.26+, or put a pulumi-language-yaml of Pulumi's on PATH, then run this again." >&2
  exit 1
}
echo "Building the Pulumi YAML language host $version from Go modules into $dest (first time only; about a minute)..." >&2
export CGO_ENABLED=0 GOFLAGS=-mod=mod
mkdir -p "$cache" || { echo "build.sh: cannot create the cache folder $cache (set PULUMI_NEXLA_CACHE to a writable folder)." >&2; exit 1; }
tmp=$(mktemp -d "$cache/.build-yaml-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
cd "$here"
if ! go mod download 2>&1 | sed 's/^/  go: /' >&2; then
  echo "build.sh: step 1 of 2 failed: downloading the Go modules of $here/go.mod (after $(($(date +%s) - start)) s)." >&2
  echo "Check that the Go module proxy is reachable (go env GOPROXY: $(go env GOPROXY))." >&2
  exit 1
fi
echo "  modules downloaded after $(($(date +%s) - start)) s; compiling..." >&2
# The flags of pulumi-yaml's own release configuration (.goreleaser.yml): the version stamped with its leading v.
ldflags="-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$version"
if ! go build -trimpath -ldflags "$ldflags" -o "$tmp/bin/pulumi-language-yaml" \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml 2>&1 | sed 's/^/  go: /' >&2; then
  echo "build.sh: step 2 of 2 failed: compiling github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml $version (after $(($(date +%s) - start)) s)." >&2
  exit 1
fi
[ -x "$tmp/bin/pulumi-language-yaml" ] || { echo "build.sh: go build did not produce pulumi-language-yaml" >&2; exit 1; }
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "Built the Pulumi YAML language host $version in $(($(date +%s) - start)) s." >&2
echo "$dest/bin"
