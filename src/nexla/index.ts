/** The typed client of Nexla's flows API (design.md section 4). */
export { createNexlaClient, flowLabel, type NexlaClient } from "./client.js";
export { errorCodes, isNexlaError, NexlaError, type NexlaErrorCode } from "./errors.js";
export {
  clientOptionsFromEnv,
  DEFAULT_API_URL,
  type NexlaAuth,
  type NexlaClientOptions,
  type RateLimitOptions,
  type RequestInfo,
  type RetryOptions,
} from "./options.js";
export { describeCall, flowCall, type Anchor, type FlowCall, type Scope } from "./paths.js";
export type * from "./types.js";
export { parseRetryAfter } from "./internal/retry.js";
export type { Clock } from "./internal/throttle.js";
