/** The typed client of Nexla's flows API (docs/design.md §4): the public surface of `src/nexla`. */
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
export {
  describeCall,
  flowCall,
  flowLabel,
  listCall,
  resourceCall,
  type Anchor,
  type FlowAction,
  type FlowCall,
  type ListFlowsOptions,
  type Scope,
} from "./paths.js";
export type * from "./types.js";
export { collectionOf, resourceKinds } from "./types.js";
export { parseRetryAfter } from "./internal/retry.js";
export type { Clock } from "./internal/throttle.js";
