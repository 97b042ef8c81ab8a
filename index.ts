/** pulumi-nexla: the state of Nexla data flows (active or paused, and owner) as Pulumi resources. */
export { Flow, flowArgs, flowsFile, NativeFlow } from "./provider/flow.js";
export type {
  FlowArgs,
  FlowOwner,
  FlowOwnerArgs,
  FlowOutputs,
  FlowsFileEntry,
  ObservedResource,
} from "./provider/flow.js";
export { FlowScope, FlowStatus, ObservedFlowStatus } from "./src/declaration/schema.js";

// The typed client of Nexla's flows API that the provider uses, for scripts and checks of your own. Listed
// one by one: the root's names are chosen here, never shadowed by a wildcard.
export {
  clientOptionsFromEnv,
  createNexlaClient,
  DEFAULT_API_URL,
  errorCodes,
  isNexlaError,
  NexlaError,
} from "./src/nexla/index.js";
export type {
  Anchor,
  ChangeOwnerBody,
  Clock,
  ErrorCodeInfo,
  FlowNode,
  FlowResource,
  FlowResponse,
  KnownResourceStatus,
  ListFlowsOptions,
  NexlaAuth,
  NexlaClient,
  NexlaClientOptions,
  NexlaErrorCode,
  NexlaErrorDetails,
  RateLimitOptions,
  RequestInfo,
  ResourceCollection,
  ResourceKind,
  ResourceResponse,
  ResourceStatus,
  RetryOptions,
  Scope,
} from "./src/nexla/index.js";
