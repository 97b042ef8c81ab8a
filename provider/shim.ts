/**
 * The provider object Pulumi serializes into state (docs/pulumi.md A2). It is a thin shim: each method loads
 * the installed package at run time and captures nothing but a loader function, so no client, token, Date,
 * Buffer, URL or `#private` field ends up in `__provider`, and `read`/`delete` (which run the copy stored at
 * the last update) always run the code installed now. Its text does not change with the package version, so
 * an upgrade causes no diff.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { createRequire as CreateRequire } from "node:module";
import type * as Runtime from "./runtime.js";

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

export const flowProvider: pulumi.dynamic.ResourceProvider = {
  configure: (request) => runtime().configure(request),
  check: (olds, news) => runtime().check(olds, news),
  diff: (id, olds, news) => runtime().diff(id, olds, news),
  create: (inputs) => runtime().create(inputs),
  read: (id, props) => runtime().read(id, props),
  update: (id, olds, news) => runtime().update(id, olds, news),
  delete: (id, props) => runtime().delete(id, props),
};
