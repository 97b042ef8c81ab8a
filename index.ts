/** pulumi-nexla: the state of Nexla data flows (active or paused, and owner) as Pulumi resources. */
export { Flow } from "./provider/flow.js";
export type { FlowArgs, FlowOwnerArgs, ObservedResource } from "./provider/flow.js";
// The typed client of Nexla's flows API that the provider uses, for scripts and checks of your own.
export * from "./src/nexla/index.js";
