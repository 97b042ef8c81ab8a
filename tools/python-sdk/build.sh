#!/usr/bin/env bash
# Builds pulumi-nexla's Python SDK generator (main.go: a pulumi-language-python that only answers gen-sdk's
# GeneratePackage, with Pulumi's Python code generator at the CLI's version) from the Go module proxy into the
# project's cache folder, and prints that folder's bin/ path on its last line (../go-build.sh). generate.mjs puts
# it on PATH for `pulumi package gen-sdk --language python` only (docs/pulumi.md C7).
#
# go.mod pins the same github.com/pulumi/pulumi/pkg/v3 as ../pulumi-cli/go.mod, so the generator is the CLI's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi/pkg/v3" { print $3 }
  $1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/go.mod")
[ -n "$version" ] || { echo "build.sh: no github.com/pulumi/pulumi/pkg/v3 requirement in $here/go.mod" >&2; exit 1; }
exec bash "$here/../go-build.sh" "$here" "pulumi-python-sdkgen-$version" . pulumi-language-python \
  "pulumi-nexla's Python SDK generator (Pulumi's Python code generator $version)" "-s -w"
