/**
 * The provider object Pulumi serializes into state (docs/pulumi.md A2). It is a thin shim: each method loads
 * the installed package at run time and captures nothing but a loader function, so no client, token, Date,
 * Buffer, URL or `#private` field ends up in `__provider`, and `read`/`delete` (which run the copy stored at
 * the last update) always run the code installed now.
 *
 * It is a CommonJS module whose exports are the provider object, exported as `pulumi-nexla/internal/flow-provider`:
 * when the package is installed in `node_modules`, Pulumi's serializer stores the provider as
 * `require("pulumi-nexla/internal/flow-provider")` (about 280 bytes) instead of this code (2.4 kB); `__provider`
 * is in every Flow's inputs and outputs, so this keeps each checkpoint of a large stack small, and the engine
 * writes one around every create, update and delete. Linked from a checkout (tools/link-self.mjs), the module
 * lies outside `node_modules` and is serialized by value, which works the same. Neither text changes with the
 * package version, and `diff` ignores `__provider`, so an upgrade causes no diff; a stack written by 0.1 keeps
 * the older, longer text in a Flow's outputs until that Flow's next create or update (both texts work).
 * Stored state requires `pulumi-nexla/internal/flow-provider`: that export must stay (test/unit/state-format.test.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { createRequire as CreateRequire } from "node:module";
import type * as Runtime from "./runtime.js" with { "resolution-mode": "import" };

/**
 * Loads the provider runtime from the program's directory, where the engine starts the provider process.
 * `process` is a global, so the closure serializer captures nothing here (docs/pulumi.md A2).
 */
function runtime(): typeof Runtime {
  const { createRequire } = process.getBuiltinModule("node:module") as {
    createRequire: typeof CreateRequire;
  };
  return createRequire(`${process.cwd()}/`)("pulumi-nexla/internal/provider-runtime") as typeof Runtime;
}

const flowProvider: pulumi.dynamic.ResourceProvider = {
  configure: (request) => runtime().configure(request),
  check: (olds, news) => runtime().check(olds, news),
  diff: (id, olds, news) => runtime().diff(id, olds, news),
  create: (inputs) => runtime().create(inputs),
  read: (id, props) => runtime().read(id, props),
  update: (id, olds, news) => runtime().update(id, olds, news),
  delete: (id, props) => runtime().delete(id, props),
};

export = flowProvider;
