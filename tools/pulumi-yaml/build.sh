#!/usr/bin/env bash
# Builds the Pulumi YAML language host pinned in go.mod (github.com/pulumi/pulumi-yaml) from the Go module proxy
# into a cache directory outside the repository, beside the Pulumi CLI's (../pulumi-cli/build.sh), and prints that
# directory's bin/ path on its last line (../go-build.sh). Rebuilds only when go.mod or go.sum change. The CLI
# finds the host on PATH (docs/pulumi.md B3): put the printed folder there.
#
# A module of its own, not the CLI's: pulumi-yaml v1.25.0 compiles only against the pkg/v3 and sdk/v3 versions
# its go.mod requires (docs/pulumi.md C5).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi-yaml" { print $3 }' "$here/go.mod")
[ -n "$version" ] || { echo "build.sh: no github.com/pulumi/pulumi-yaml requirement in $here/go.mod" >&2; exit 1; }
# The flags of pulumi-yaml's own release configuration (.goreleaser.yml): the version stamped with its leading v.
exec bash "$here/../go-build.sh" "$here" "pulumi-language-yaml-$version" \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml pulumi-language-yaml \
  "the Pulumi YAML language host $version" \
  "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$version"
