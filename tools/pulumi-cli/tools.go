//go:build tools

// Package tools pins the Pulumi CLI and its Node.js language host so that
// `go build` in this module builds them at exactly the versions in go.mod.
// Nothing here is shipped; build.sh compiles the two commands into a cache
// directory outside the repository.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
