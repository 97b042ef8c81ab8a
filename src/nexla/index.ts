/**
 * The typed client of Nexla's flows API (docs/design.md §4): its public surface, which the package root
 * exports as it is. What only the provider and the tests use (paths, the clock, retry parsing) is imported
 * from its own module.
 */
export { createNexlaClient, type NexlaClient } from "./client.js";
export {
  errorCodes,
  isNexlaError,
  NexlaError,
  type ErrorCodeInfo,
  type NexlaErrorCode,
  type NexlaErrorDetails,
} from "./errors.js";
export {
  clientOptionsFromEnv,
  DEFAULT_API_URL,
  type NexlaAuth,
  type NexlaClientOptions,
  type RateLimitOptions,
  type RequestInfo,
  type RetryOptions,
} from "./options.js";
export type { AccessRole, Anchor, ListFlowsOptions, Scope } from "./paths.js";
export type {
  ChangeOwnerBody,
  FlowNode,
  FlowResource,
  FlowResponse,
  ResourceCollection,
  ResourceKind,
  ResourceResponse,
  ResourceStatus,
  KnownResourceStatus,
} from "./types.js";
export type { Clock } from "./internal/throttle.js";
