#!/usr/bin/env bash
# Builds the Pulumi CLI pinned in go.mod (github.com/pulumi/pulumi/pkg/v3) from the Go module proxy into a
# cache directory outside the repository, and prints that directory's bin/ path on its last line.
# Rebuilds only when go.mod or go.sum change (the cache directory is named by their hash).
#
# Why from Go modules: the CLI's own installers download from sites this project cannot rely on; the Go
# module proxy serves Pulumi's modules (docs/pulumi.md B1, B2). `go install …@version` refuses modules
# with replace directives, hence this wrapper module.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi/pkg/v3" { print $3 }' "$here/go.mod")
[ -n "$version" ] || { echo "build.sh: no github.com/pulumi/pulumi/pkg/v3 requirement in $here/go.mod" >&2; exit 1; }
key=$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-12)
cache=${PULUMI_NEXLA_CACHE:-$HOME/.cache/pulumi-nexla}
dest="$cache/pulumi-$version-$key"
if [ -x "$dest/bin/pulumi" ]; then
  echo "$dest/bin"
  exit 0
fi
command -v go >/dev/null || {
  echo "build.sh: Go is not installed, so the Pulumi CLI $version cannot be built here." >&2
  echo "Install Pulumi (https://www.pulumi.com/docs/install/) or Go 1.26+, then run this again." >&2
  exit 1
}
echo "Building the Pulumi CLI $version from Go modules into $dest (first time only; takes several minutes)..." >&2
export CGO_ENABLED=0 GOFLAGS=-mod=mod
# The temporary folder lives inside the cache folder (so the final mv is a rename on one file system), so the
# cache folder has to exist first: on a machine that never built the CLI it does not.
mkdir -p "$cache" || { echo "build.sh: cannot create the cache folder $cache (set PULUMI_NEXLA_CACHE to a writable folder)." >&2; exit 1; }
tmp=$(mktemp -d "$cache/.build-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
cd "$here"
if ! go mod download 2>&1 | sed 's/^/  go: /' >&2; then
  echo "build.sh: step 1 of 2 failed: downloading the Go modules of $here/go.mod (after $(($(date +%s) - start)) s)." >&2
  echo "Check that the Go module proxy is reachable (go env GOPROXY: $(go env GOPROXY)), or install Pulumi 3.270+ on PATH." >&2
  exit 1
fi
echo "  modules downloaded after $(($(date +%s) - start)) s; compiling..." >&2
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"
# -v prints each package as it is compiled: show a count now and then so a long build is visibly alive.
# Lines that are not package paths (compiler errors) are passed through, so a failure says why.
if ! go build -v -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$tmp/bin/pulumi" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 |
  awk '/^[a-zA-Z0-9_.\/-]+$/ { n++; if (n % 200 == 0) printf "  compiled %d packages...\n", n > "/dev/stderr"; next }
       { print "  go: " $0 > "/dev/stderr" }'; then
  echo "build.sh: step 2 of 2 failed: compiling github.com/pulumi/pulumi/pkg/v3/cmd/pulumi $version (after $(($(date +%s) - start)) s)." >&2
  exit 1
fi
[ -x "$tmp/bin/pulumi" ] || { echo "build.sh: go build did not produce pulumi" >&2; exit 1; }
"$tmp/bin/pulumi" version >/dev/null
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "Built Pulumi CLI $version in $(($(date +%s) - start)) s." >&2
echo "$dest/bin"
