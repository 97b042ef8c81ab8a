//go:build tools

// Package tools pins the Pulumi YAML language host so that `go build` in this
// module builds it at exactly the versions in go.mod. It is a module of its own,
// not part of ../pulumi-cli: pulumi-yaml v1.25.0 compiles only against the
// pkg/v3 and sdk/v3 versions its own go.mod requires, not the CLI's pin
// (docs/pulumi.md C5). Nothing here is shipped; build.sh compiles the command
// into a cache directory outside the repository.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
