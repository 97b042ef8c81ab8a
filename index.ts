/** pulumi-nexla: the state of Nexla data flows (active or paused, and owner) as Pulumi resources. */
export { Flow, flowArgs } from "./provider/flow.js";
export type {
  FlowArgs,
  FlowOwner,
  FlowOwnerArgs,
  ObservedResource,
  ResourceStatus,
} from "./provider/flow.js";
export { FlowScope, FlowStatus, ObservedFlowStatus } from "./provider/schema.js";

// The typed client of Nexla's flows API that the provider uses, for scripts and checks of your own.
export { createNexlaClient, type NexlaClient } from "./src/nexla/client.js";
export {
  errorCodes,
  isNexlaError,
  NexlaError,
  type ErrorCodeInfo,
  type NexlaErrorCode,
  type NexlaErrorDetails,
} from "./src/nexla/errors.js";
export {
  clientOptionsFromEnv,
  DEFAULT_API_URL,
  type NexlaAuth,
  type NexlaClientOptions,
  type RateLimitOptions,
  type RequestInfo,
  type RetryOptions,
} from "./src/nexla/options.js";
export type { Anchor, ListFlowsOptions, Scope } from "./src/nexla/paths.js";
export type {
  ChangeOwnerBody,
  FlowNode,
  FlowResource,
  FlowResponse,
  ResourceCollection,
  ResourceKind,
  ResourceResponse,
} from "./src/nexla/types.js";
