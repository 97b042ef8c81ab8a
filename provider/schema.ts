/**
 * The Flow resource, described once: its inputs (names, kinds, defaults, which ones re-point the Flow or are
 * compared with what Nexla reports), its outputs, and the words that document them. `check`, the defaults,
 * `diff`, the inputs a refresh stores, the TypeScript types of the inputs, the Flow class's output list and
 * the README's tables (kept in step by test/unit/docs.test.ts) all follow from here. Adding an input is one
 * entry below plus its behaviour.
 */
import type { Anchor, Scope } from "../src/nexla/paths.js";

/** The statuses a Flow can declare. */
export const FlowStatus = { Active: "ACTIVE", Paused: "PAUSED" } as const;
export type FlowStatus = (typeof FlowStatus)[keyof typeof FlowStatus];

/** The status a Flow reports: a declarable one, MIXED, or UNKNOWN after a failed write Nexla could not confirm. */
export const ObservedFlowStatus = { ...FlowStatus, Mixed: "MIXED", Unknown: "UNKNOWN" } as const;
export type ObservedFlowStatus = (typeof ObservedFlowStatus)[keyof typeof ObservedFlowStatus];

/** What a Flow covers: the whole flow from its origin, or the anchor node and everything below it. */
export const FlowScope = { Flow: "flow", Downstream: "downstream" } as const satisfies Record<string, Scope>;
export type FlowScope = (typeof FlowScope)[keyof typeof FlowScope];

/** What Pulumi sends for a value not known yet during preview (docs/pulumi.md A1). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** How an input is validated; the one place each kind's rule lives is check.ts. */
export type InputKind =
  | { readonly kind: "anchor"; readonly anchor: Anchor["kind"] }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "owner" }
  | { readonly kind: "seconds"; readonly max: number };

export interface InputSpec {
  readonly type: InputKind;
  /** Filled in by `check` when the input is not set. */
  readonly default?: string | number;
  /** Must be set. Anchors are required as a group: exactly one of them. */
  readonly required?: boolean;
  /** Changing it makes the update re-read which flow the Flow points at (never a replacement). */
  readonly repoints?: boolean;
  /** Compared with what Nexla reports: the output of the same name holds the observed value. */
  readonly observed?: boolean;
  /** The README's words for it. */
  readonly doc: string;
}

const anchorDoc =
  "exactly one: the anchor — a flow node id, or a resource of the flow. Changing it is an in-place update " +
  "that never deletes anything (see [Safety rules](#safety-rules)).";

export const flowInputs = {
  flowId: { type: { kind: "anchor", anchor: "flow" }, repoints: true, doc: anchorDoc },
  dataSourceId: { type: { kind: "anchor", anchor: "data_source" }, repoints: true, doc: anchorDoc },
  dataSetId: { type: { kind: "anchor", anchor: "data_set" }, repoints: true, doc: anchorDoc },
  dataSinkId: { type: { kind: "anchor", anchor: "data_sink" }, repoints: true, doc: anchorDoc },
  scope: {
    type: { kind: "enum", values: Object.values(FlowScope) },
    default: FlowScope.Flow,
    repoints: true,
    doc:
      '`"flow"` (default): the whole flow from its origin (`full_tree=1` / `all=1`). `"downstream"`: the anchor ' +
      "node and everything below it. Changing it is an in-place update.",
  },
  status: {
    type: { kind: "enum", values: Object.values(FlowStatus) },
    required: true,
    observed: true,
    doc: '`"ACTIVE"` or `"PAUSED"`, for every resource in scope.',
  },
  owner: {
    type: { kind: "owner" },
    observed: true,
    doc:
      "optional `{ ownerId, orgId, includeDataCredentials = false, includeCodeContainers = false }`. Ownership is " +
      "whole-flow in Nexla, whatever the scope. The include flags are sent with an ownership change; Nexla does " +
      "not report them, so changing only a flag changes nothing.",
  },
  convergeTimeoutSeconds: {
    type: { kind: "seconds", max: 3600 },
    default: 120,
    doc: "how long `up` waits for Nexla to report the declared state (default 120, at most 3600).",
  },
} as const satisfies Record<string, InputSpec>;

export type InputName = keyof typeof flowInputs;
export const inputNames = Object.keys(flowInputs) as InputName[];

/** The owner's fields: the ids are required; the flags default to false and only ride along on a change. */
export const ownerFields = {
  ownerId: { required: "the new owner's user id" },
  orgId: { required: "the new owner's org id" },
  includeDataCredentials: { default: false },
  includeCodeContainers: { default: false },
} as const;

/**
 * Keys set for the user: `__provider` by the Pulumi SDK on every dynamic resource; `__flowName` and `__flowUrn`
 * by the Flow class: the resource name, so messages about two Flows can name both, and the URN (name and
 * parent), which identifies a Flow's declaration within an operation (a dynamic provider is never told it).
 */
export const engineKeys = ["__provider", "__flowName", "__flowUrn"] as const;

/** The keys of `engineKeys` that a refresh stores back as inputs (`__provider` is the SDK's own). */
export const storedEngineKeys = ["__flowName", "__flowUrn"] as const;

/** The type token of the dynamic `Flow` resource (module and type arguments of the SDK, docs/pulumi.md A1). */
export const flowTypeToken = "pulumi-nodejs:dynamic/nexla:Flow";

type AnchorName = {
  [K in InputName]: (typeof flowInputs)[K]["type"] extends { kind: "anchor" } ? K : never;
}[InputName];

/** The anchor inputs and the kind of node or resource each names. */
export const anchorKeys = Object.fromEntries(
  inputNames.flatMap((name) => {
    const type: InputKind = flowInputs[name].type;
    return type.kind === "anchor" ? [[name, type.anchor]] : [];
  }),
) as { readonly [K in AnchorName]: (typeof flowInputs)[K]["type"]["anchor"] };

/** The inputs whose change re-points the Flow. */
export const repointKeys = inputNames.filter((name) => "repoints" in flowInputs[name]);

/** The defaults `check` fills in, also applied to stored state written before an input existed. */
export const inputDefaults = Object.fromEntries(
  inputNames.flatMap((name) => {
    const spec: InputSpec = flowInputs[name];
    return spec.default === undefined ? [] : [[name, spec.default]];
  }),
) as Readonly<Record<string, string | number>>;

export interface OwnerInputs {
  readonly ownerId: number;
  readonly orgId: number;
  readonly includeDataCredentials: boolean;
  readonly includeCodeContainers: boolean;
}

type Spec = typeof flowInputs;
/** The value an input of a kind holds once checked. */
type ValueOf<T> = T extends { readonly kind: "enum"; readonly values: readonly (infer V)[] }
  ? V
  : T extends { readonly kind: "owner" }
    ? OwnerInputs
    : number;
/** Inputs that always hold a value once checked: the required ones and those with a default. */
type Filled = {
  [K in InputName]: Spec[K] extends { readonly default: unknown } | { readonly required: true } ? K : never;
}[InputName];

/** Checked inputs, with defaults filled in: derived from `flowInputs`. Exactly one anchor key is set. */
export type FlowInputs = { readonly [K in Filled]: ValueOf<Spec[K]["type"]> } & {
  readonly [K in Exclude<InputName, Filled>]?: ValueOf<Spec[K]["type"]>;
};

/**
 * The outputs beside the inputs (which are echoed, `status` and `owner` holding what Nexla reports), with the
 * README's words for each. The Flow class declares these; `FlowOutputs` (state.ts) types them.
 */
export const flowOutputs = {
  status:
    "observed: `ACTIVE`, `PAUSED`, or `MIXED` when the resources in scope disagree; `UNKNOWN` when a write failed " +
    "and Nexla could not be read after it",
  declaredStatus:
    "the status stored as the Flow's input: the declared one, or the one a refresh found — never MIXED",
  owner: "observed, when declared",
  flowOwner: "observed owner of the whole flow, `null` when mixed",
  originNodeId: "the flow this Flow adopted",
  anchorNodeId: "the anchor's node",
  anchorMovedTo: "set when a refresh finds the anchor in another flow: that flow's origin node",
  flowName: "the flow's name in Nexla",
  dataSources: "`{ id, flowNodeId, status, ownerId, orgId }` of every data source in scope",
  dataSets: "the same for data sets",
  dataSinks: "the same for data sinks",
  rateLimited: "ids of RATE_LIMITED sources in scope",
} as const;

/** The anchor of checked inputs. */
export function anchorOf(inputs: FlowInputs): Anchor {
  const anchor = findAnchor(inputs as unknown as Record<string, unknown>);
  if (anchor === undefined)
    throw new TypeError("Flow inputs have no anchor; check() should have refused them");
  return anchor;
}

/** The anchor named by inputs or stored outputs: the first anchor key that holds a number. */
export function findAnchor(bag: Readonly<Record<string, unknown>>): Anchor | undefined {
  for (const [key, kind] of Object.entries(anchorKeys)) {
    const id = bag[key];
    if (typeof id === "number") return { kind, id };
  }
  return undefined;
}
