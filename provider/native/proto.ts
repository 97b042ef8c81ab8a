/**
 * The gRPC bindings the native plugin speaks: Pulumi's own, as `@pulumi/pulumi` ships them (`proto/*`), with the
 * `@grpc/grpc-js` and `google-protobuf` copies that package loads, so the messages built here are the ones its
 * generated code serializes. They are CommonJS modules whose exports Node's ES module loader cannot list, hence
 * `createRequire` from `@pulumi/pulumi` itself (a peer dependency, installed beside this package; docs/pulumi.md C1).
 */
import { createRequire } from "node:module";
import type * as Grpc from "@grpc/grpc-js";
import type * as AnyPb from "google-protobuf/google/protobuf/any_pb.js";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb.js";
import type * as EngineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import type * as EnginePb from "@pulumi/pulumi/proto/engine_pb.js";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb.js";
import type * as ProviderGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb.js";
import type * as StatusPb from "@pulumi/pulumi/proto/status_pb.js";

const fromPulumi = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json"));

export const grpc = fromPulumi("@grpc/grpc-js") as typeof Grpc;
export const anyPb = fromPulumi("google-protobuf/google/protobuf/any_pb") as typeof AnyPb;
export const emptyPb = fromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb;
export const structPb = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof StructPb;
export const engineGrpc = fromPulumi("./proto/engine_grpc_pb") as typeof EngineGrpc;
export const enginePb = fromPulumi("./proto/engine_pb") as typeof EnginePb;
export const pluginPb = fromPulumi("./proto/plugin_pb") as typeof PluginPb;
export const providerGrpc = fromPulumi("./proto/provider_grpc_pb") as typeof ProviderGrpc;
export const providerPb = fromPulumi("./proto/provider_pb") as typeof ProviderPb;
export const statusPb = fromPulumi("./proto/status_pb") as typeof StatusPb;

export type { Grpc, ProviderPb, StructPb };
