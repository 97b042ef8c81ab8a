/** The `Flow` resource: the state (status and owner) of one Nexla flow or sub-flow that already exists. */
import * as pulumi from "@pulumi/pulumi";
import { flowProvider } from "./shim.js";

export interface FlowOwnerArgs {
  /** User id of the new owner. */
  readonly ownerId: pulumi.Input<number>;
  /** Org id of the new owner. */
  readonly orgId: pulumi.Input<number>;
  /** Transfer the flow's data credentials too. @default false */
  readonly includeDataCredentials?: pulumi.Input<boolean>;
  /** Transfer the flow's code containers too. @default false */
  readonly includeCodeContainers?: pulumi.Input<boolean>;
}

interface FlowArgsBase {
  /**
   * `"flow"`: the whole flow from its origin (`full_tree=1` / `all=1`); `"downstream"`: the anchor node and
   * everything below it. Changing it is an in-place update: nothing is deleted.
   * @default "flow"
   */
  readonly scope?: pulumi.Input<"flow" | "downstream">;
  /** Desired status of every resource in scope. */
  readonly status: pulumi.Input<"ACTIVE" | "PAUSED">;
  /** Desired owner of the whole flow (ownership is whole-flow in Nexla). Omit to leave ownership alone. */
  readonly owner?: pulumi.Input<FlowOwnerArgs>;
  /** How long create and update wait for Nexla to report the declared state. @default 120 */
  readonly convergeTimeoutSeconds?: pulumi.Input<number>;
}

type Anchor<K extends string> = { readonly [P in K]: pulumi.Input<number> } & {
  readonly [P in Exclude<"flowId" | "dataSourceId" | "dataSetId" | "dataSinkId", K>]?: never;
};

/**
 * Exactly one anchor: a flow node id, or the id of a data source, data set or data sink of the flow.
 * Changing the anchor is an in-place update: inside the same flow it re-anchors; in another flow it releases
 * the old flow (left in Nexla as it is) and adopts the new one. Nothing is deleted.
 */
export type FlowArgs = FlowArgsBase &
  (Anchor<"flowId"> | Anchor<"dataSourceId"> | Anchor<"dataSetId"> | Anchor<"dataSinkId">);

/** One resource of the flow as Nexla reports it. */
export interface ObservedResource {
  readonly id: number;
  /** The flow node that holds it. */
  readonly flowNodeId: number;
  readonly status: string;
  readonly ownerId: number;
  readonly orgId: number;
}

export class Flow extends pulumi.dynamic.Resource {
  /** Node id of the flow's origin: "the flow id" across Nexla's APIs. */
  declare readonly originNodeId: pulumi.Output<number>;
  /** Node id of the anchor (equal to flowId when anchored on a node). */
  declare readonly anchorNodeId: pulumi.Output<number>;
  /** The flow's name in Nexla. */
  declare readonly flowName: pulumi.Output<string | null>;
  /**
   * Observed status of the scope: ACTIVE, PAUSED, or MIXED when its resources disagree; UNKNOWN when a write
   * failed and Nexla could not be read after it.
   */
  declare readonly status: pulumi.Output<"ACTIVE" | "PAUSED" | "MIXED" | "UNKNOWN">;
  /** The status stored as this Flow's input: the declared one, or what a refresh found (never MIXED). */
  declare readonly declaredStatus: pulumi.Output<"ACTIVE" | "PAUSED">;
  /** Set when a refresh finds the anchor in another flow: that flow's origin node. Nothing is done to it. */
  declare readonly anchorMovedTo: pulumi.Output<number | null>;
  /** When `owner` is declared: the observed owner and org, with the include flags as declared. */
  declare readonly owner: pulumi.Output<Required<FlowOwnerArgs> | undefined>;
  /** Observed owner of the whole flow, or null when its resources have different owners. */
  declare readonly flowOwner: pulumi.Output<{ ownerId: number; orgId: number } | null>;
  /** Ids of RATE_LIMITED data sources in scope: Nexla refuses to activate or pause them. */
  declare readonly rateLimited: pulumi.Output<number[]>;
  declare readonly dataSources: pulumi.Output<ObservedResource[]>;
  declare readonly dataSets: pulumi.Output<ObservedResource[]>;
  declare readonly dataSinks: pulumi.Output<ObservedResource[]>;

  constructor(name: string, args: FlowArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      originNodeId: undefined,
      anchorNodeId: undefined,
      flowName: undefined,
      flowOwner: undefined,
      declaredStatus: undefined,
      anchorMovedTo: undefined,
    };
    const lists = {
      dataSources: undefined,
      dataSets: undefined,
      dataSinks: undefined,
      rateLimited: undefined,
    };
    // The resource name goes along so the provider can name both Flows when two contradict each other.
    // Resource token pulumi-nodejs:dynamic/nexla:Flow (module and type arguments, docs/pulumi.md A1).
    super(flowProvider, name, { ...outputs, ...lists, ...args, __flowName: name }, opts, "nexla", "Flow");
  }
}
