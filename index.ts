/** pulumi-nexla: the state of Nexla data flows (active or paused, and owner) as Pulumi resources. */
export { Flow } from "./provider/flow.js";
export type { FlowArgs, FlowOwnerArgs, ObservedResource } from "./provider/flow.js";
