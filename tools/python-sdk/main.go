// Command pulumi-language-python here is pulumi-nexla's Python SDK generator, not Pulumi's Python language
// host: `pulumi package gen-sdk --language python` asks the language host named pulumi-language-python to
// generate the SDK (its GeneratePackage call), and Pulumi's own host is not served by the Go module proxy
// (docs/pulumi.md C7). This one answers GeneratePackage exactly as Pulumi's does, with Pulumi's Python code
// generator (github.com/pulumi/pulumi/pkg/v3/codegen/python) at the CLI's own version, and refuses everything
// else, saying so. build.sh compiles it into the project's cache folder, which generate.mjs puts on PATH for
// gen-sdk only; it is never on PATH when a program runs.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// tool is the name the generated files' headers give as their generator.
const tool = "pulumi package gen-sdk (pulumi-nexla tools/python-sdk)"

type generator struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
}

func (generator) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{}, nil
}

func (generator) Run(context.Context, *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	return nil, status.Error(codes.Unimplemented, "this pulumi-language-python is pulumi-nexla's SDK generator "+
		"(tools/python-sdk): it generates SDKs and runs no program. Install Pulumi's Python language host to run "+
		"a Python project, or run the program inline with the Automation API")
}

// GeneratePackage binds the schema with the engine's loader and writes what Pulumi's Python code generator
// makes of it into the requested folder, as Pulumi's Python language host does.
func (generator) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, fmt.Errorf("the schema is not a Pulumi package schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	rpcDiagnostics := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiagnostics}, nil
	}
	files, err := codegen.GeneratePackage(tool, pkg, req.ExtraFiles, loader)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		path := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiagnostics}, nil
}

func main() {
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, generator{})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python (pulumi-nexla's SDK generator): cannot serve: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout, then talks gRPC until it closes the plugin.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python (pulumi-nexla's SDK generator): %v\n", err)
		os.Exit(1)
	}
}
