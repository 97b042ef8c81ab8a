/** pulumi-nexla: the state of Nexla data flows (active or paused, and owner) as Pulumi resources. */
export { Flow, flowArgs, flowsFile } from "./provider/flow.js";
export type {
  FlowArgs,
  FlowsFileEntry,
  FlowOwner,
  FlowOwnerArgs,
  ObservedResource,
  ResourceStatus,
} from "./provider/flow.js";
export { FlowScope, FlowStatus, ObservedFlowStatus } from "./src/declaration/schema.js";

// The typed client of Nexla's flows API that the provider uses, for scripts and checks of your own.
export * from "./src/nexla/index.js";
