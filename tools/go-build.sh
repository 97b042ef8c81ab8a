#!/usr/bin/env bash
# Builds one command of a pinned Go wrapper module (tools/pulumi-yaml, tools/python-sdk) from the Go module proxy
# into the project's cache folder outside the repository, beside the Pulumi CLI's (pulumi-cli/build.sh), and
# prints that folder's bin/ path on its last line. Rebuilds only when the module changes: the folder is named by
# the hash of its go.mod, go.sum and main.go (when it has one).
#
# usage: go-build.sh <module dir> <cache name> <package> <binary> <what> [<ldflags>]
#   <cache name>  the cache folder's name before the hash, e.g. pulumi-language-yaml-v1.25.0
#   <what>        how messages name the command, e.g. "the Pulumi YAML language host v1.25.0"
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: go-build.sh <module dir> <cache name> <package> <binary> <what> [<ldflags>]" >&2; exit 2; }
module=$(cd "$1" && pwd)
name=$2 package=$3 binary=$4 what=$5 ldflags=${6:-}
files=("$module/go.mod" "$module/go.sum")
[ -f "$module/main.go" ] && files+=("$module/main.go")
key=$(cat "${files[@]}" | sha256sum | cut -c1-12)
cache=${PULUMI_NEXLA_CACHE:-$HOME/.cache/pulumi-nexla}
dest="$cache/$name-$key"
if [ -x "$dest/bin/$binary" ]; then
  echo "$dest/bin"
  exit 0
fi
command -v go >/dev/null || {
  echo "go-build.sh: Go is not installed, so $what cannot be built here. Install Go 1.26+, then run this again." >&2
  exit 1
}
echo "Building $what from Go modules into $dest (first time only; about a minute)..." >&2
export CGO_ENABLED=0 GOFLAGS=-mod=mod
# The temporary folder lives inside the cache folder, so the final mv is a rename on one file system.
mkdir -p "$cache" || { echo "go-build.sh: cannot create the cache folder $cache (set PULUMI_NEXLA_CACHE to a writable folder)." >&2; exit 1; }
tmp=$(mktemp -d "$cache/.build-$binary-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
cd "$module"
if ! go mod download 2>&1 | sed 's/^/  go: /' >&2; then
  echo "go-build.sh: step 1 of 2 failed: downloading the Go modules of $module/go.mod (after $(($(date +%s) - start)) s)." >&2
  echo "Check that the Go module proxy is reachable (go env GOPROXY: $(go env GOPROXY))." >&2
  exit 1
fi
echo "  modules downloaded after $(($(date +%s) - start)) s; compiling..." >&2
if ! go build -trimpath -ldflags "$ldflags" -o "$tmp/bin/$binary" "$package" 2>&1 | sed 's/^/  go: /' >&2; then
  echo "go-build.sh: step 2 of 2 failed: compiling $package (after $(($(date +%s) - start)) s)." >&2
  exit 1
fi
[ -x "$tmp/bin/$binary" ] || { echo "go-build.sh: go build did not produce $binary" >&2; exit 1; }
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "Built $what in $(($(date +%s) - start)) s." >&2
echo "$dest/bin"
