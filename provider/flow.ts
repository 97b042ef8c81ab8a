/** The `Flow` resource: the state (status and owner) of one Nexla flow or sub-flow that already exists. */
import * as pulumi from "@pulumi/pulumi";
import { assertFlowInputs } from "../src/declaration/check.js";
import { parseFlowsFile, type FlowsFileEntry as FileEntry } from "../src/declaration/flows-file.js";
import type { anchorKeys, FlowInputs, InputName, OutputName, Same } from "../src/declaration/schema.js";
import {
  flowOutputs,
  flowTypeToken,
  type FlowScope,
  type FlowStatus,
  type ObservedFlowStatus,
} from "../src/declaration/schema.js";
import { flowToken } from "../src/declaration/package-schema.js";
import flowProvider from "./shim.cjs";
import type { KnownResourceStatus } from "../src/nexla/types.js";

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
  readonly scope?: pulumi.Input<FlowScope>;
  /** Desired status of every resource in scope. */
  readonly status: pulumi.Input<FlowStatus>;
  /** Desired owner of the whole flow (ownership is whole-flow in Nexla). Omit to leave ownership alone. */
  readonly owner?: pulumi.Input<FlowOwnerArgs>;
  /** How long create and update wait for Nexla to report the declared state. @default 120 */
  readonly convergeTimeoutSeconds?: pulumi.Input<number>;
}

type AnchorName = keyof typeof anchorKeys;
type Anchor<K extends AnchorName> = { readonly [P in K]: pulumi.Input<number> } & {
  readonly [P in Exclude<AnchorName, K>]?: never;
};

/**
 * Exactly one anchor: a flow node id, or the id of a data source, data set or data sink of the flow.
 * Changing the anchor is an in-place update: inside the same flow it re-anchors; in another flow it releases
 * the old flow (left in Nexla as it is) and adopts the new one. Nothing is deleted.
 */
export type FlowArgs = FlowArgsBase & { [K in AnchorName]: Anchor<K> }[AnchorName];

// The public type is written out for its IDE docs; it must name exactly the inputs of src/declaration/schema.ts, with
// the values a checked input holds (a compile error otherwise).
type Plain<T> = T extends pulumi.Input<infer V> ? V : never;
const argsFollowSchema: [
  Same<keyof FlowArgsBase | AnchorName, InputName>,
  Same<Plain<FlowArgsBase["status"]>, FlowInputs["status"]>,
  Same<Plain<FlowArgsBase["scope"]>, FlowInputs["scope"] | undefined>,
] = [true, true, true];
void argsFollowSchema;

/** One resource of the flow as Nexla reports it. */
export interface ObservedResource {
  readonly id: number;
  /** The flow node that holds it. */
  readonly flowNodeId: number;
  /** As Nexla reports it: a status Nexla cannot store is refused, never passed on. */
  readonly status: KnownResourceStatus;
  readonly ownerId: number;
  readonly orgId: number;
}

/** The owner as observed, with the include flags as declared (Nexla does not report them). */
export interface FlowOwner {
  readonly ownerId: number;
  readonly orgId: number;
  readonly includeDataCredentials: boolean;
  readonly includeCodeContainers: boolean;
}

/**
 * Flow arguments from untyped data (a YAML or JSON file): checked with the provider's own rules, so a program
 * that builds Flows from data needs no cast and fails before any deployment, naming every bad property.
 * Values are plain (no Outputs); `where` says where the data came from, for the message.
 */
export function flowArgs(data: unknown, where = "Flow arguments"): FlowArgs {
  assertFlowInputs(data, where);
  return data as FlowArgs;
}

/** An entry of the gitops layout's flows file, its arguments typed. */
export interface FlowsFileEntry extends Omit<FileEntry, "args"> {
  readonly args: FlowArgs;
}

/**
 * The entries of a flows file (the gitops layout's flows.yaml), the whole file checked at once — every entry
 * with the provider's own rules, names unique, aliases unambiguous, an empty file refused unless it says
 * `allowEmpty: true` — or one error naming every problem. The same reading as `pulumi-nexla drift`'s.
 */
export function flowsFile(text: string, path: string): FlowsFileEntry[] {
  // parseFlowsFile checked every entry's arguments with the Flow's own rules: only the type is added here.
  return parseFlowsFile(text, path).map((entry) => ({ ...entry, args: entry.args as unknown as FlowArgs }));
}

/** The outputs of a Flow, whichever provider serves it: the ones of src/declaration/schema.ts. */
export interface FlowOutputs {
  /** Node id of the flow's origin: the flow this Flow adopted ("the flow id" across Nexla's APIs). */
  readonly originNodeId: pulumi.Output<number>;
  /** Node id of the anchor (equal to flowId when anchored on a node). */
  readonly anchorNodeId: pulumi.Output<number>;
  /** The flow's name in Nexla. */
  readonly flowName: pulumi.Output<string | null>;
  /**
   * Observed status of the scope: ACTIVE, PAUSED, or MIXED when its resources disagree; UNKNOWN when a write
   * failed and Nexla could not be read after it.
   */
  readonly status: pulumi.Output<ObservedFlowStatus>;
  /** The status stored as this Flow's input: the declared one, or what a refresh found (never MIXED). */
  readonly declaredStatus: pulumi.Output<FlowStatus>;
  /** Set when a refresh finds the anchor in another flow: that flow's origin node. Nothing is done to it. */
  readonly anchorMovedTo: pulumi.Output<number | null>;
  /** When `owner` is declared: the observed owner and org, with the include flags as declared. */
  readonly owner: pulumi.Output<FlowOwner | undefined>;
  /** Observed owner of the whole flow, or null when its resources have different owners. */
  readonly flowOwner: pulumi.Output<{ readonly ownerId: number; readonly orgId: number } | null>;
  /** Ids of RATE_LIMITED data sources in scope: Nexla refuses to activate or pause them. */
  readonly rateLimited: pulumi.Output<number[]>;
  readonly dataSources: pulumi.Output<ObservedResource[]>;
  readonly dataSets: pulumi.Output<ObservedResource[]>;
  readonly dataSinks: pulumi.Output<ObservedResource[]>;
}

/**
 * A Flow served by the dynamic provider, which needs nothing but this npm package (TypeScript and JavaScript
 * programs). `NativeFlow` is the same resource served by the native plugin.
 */
// An interface of the class's name gives it the outputs (declaration merging), which the engine sets: both classes
// declare them once, in FlowOutputs.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface Flow extends FlowOutputs {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Flow extends pulumi.dynamic.Resource {
  constructor(name: string, args: FlowArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output starts unknown (undefined), then the inputs. The resource name goes along so the provider
    // can name both Flows when two contradict each other, and the URN (which a dynamic provider is not told)
    // so that it tells the program's Flows apart by name and parent, as the engine does.
    const outputs = Object.fromEntries(Object.keys(flowOutputs).map((key) => [key, undefined]));
    const __flowUrn = urnOf(name, opts?.parent);
    // Resource token pulumi-nodejs:dynamic/nexla:Flow (module and type arguments, docs/pulumi.md A1).
    super(flowProvider, name, { ...outputs, ...args, __flowName: name, __flowUrn }, opts, "nexla", "Flow");
  }
}

/**
 * The Flow's URN as the engine forms it, which a dynamic provider is never told: the provider tells Flows apart
 * by it. It is built from the parent's URN without depending on the parent: an input that depends on its parent
 * component makes the engine wait for the component, which waits for its children — the model-based fuzz found
 * `preview` hanging for ever on two Flows under one component, one of them new.
 */
function urnOf(name: string, parent: pulumi.Resource | undefined): pulumi.Output<string> {
  if (parent === undefined) return pulumi.createUrn(name, flowTypeToken);
  const parentUrn = new Promise<string>((resolve) => parent.urn.apply((urn) => (resolve(urn), urn)));
  return pulumi.output(parentUrn).apply((urn) => {
    const types = urn.slice(0, urn.lastIndexOf("::"));
    const parentType = types.slice(types.lastIndexOf("::") + 2);
    // A Flow declared with the stack as its parent has the stack's children's URN: no parent type in it.
    if (parentType === "pulumi:pulumi:Stack")
      return `${types.slice(0, types.lastIndexOf("::"))}::${flowTypeToken}::${name}`;
    return `${types}$${flowTypeToken}::${name}`;
  });
}

/**
 * The same Flow served by the native provider plugin (`nexla:index:Flow`, the `pulumi-resource-nexla` command of
 * this package, which the engine must find: on `PATH`, or named in `plugins.providers` of Pulumi.yaml). Same
 * inputs, outputs and rules as `Flow`, on the same runtime; the choice of door is the README's "Which door".
 * Moving a stack from `Flow` to `NativeFlow` under the same names writes nothing to Nexla (README).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface NativeFlow extends FlowOutputs {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class NativeFlow extends pulumi.CustomResource {
  constructor(name: string, args: FlowArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output starts unknown, then the inputs. The plugin is told the URN: no __flowName or __flowUrn.
    const outputs = Object.fromEntries(Object.keys(flowOutputs).map((key) => [key, undefined]));
    super(flowToken, name, { ...outputs, ...args }, opts);
  }
}

// Each class declares exactly the outputs of src/declaration/schema.ts (a compile error otherwise).
const classesFollowSchema: [
  Same<Exclude<keyof Flow, keyof pulumi.dynamic.Resource>, OutputName>,
  Same<Exclude<keyof NativeFlow, keyof pulumi.CustomResource>, OutputName>,
] = [true, true];
void classesFollowSchema;
