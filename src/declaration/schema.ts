/**
 * The declaration of a Flow, described once and free of Pulumi: its inputs (names, kinds, defaults, whether
 * required, what a change of each does), its outputs, and the words that document them. Every door onto a
 * Flow derives from here — the dynamic provider (`check`, defaults, `diff`, the inputs a refresh stores, the
 * checked-input type, the Flow class's outputs), `export` and `drift` (which validate flows.yaml with the
 * same `check`), the gitops example (`flowArgs`), and the README's tables (test/unit/schema-docs.test.ts).
 * Adding an input is one entry below: every decision an entry must make is a required field, and a new kind
 * of input fails to compile until its value type (`KindValues`) and its rule (check.ts) exist.
 */
import type { Anchor, Scope } from "../nexla/paths.js";
import type { DesiredStatus } from "../planner/types.js";

/** The statuses a Flow can declare: exactly those the planner knows how to reach (a compile error otherwise). */
export const FlowStatus = { Active: "ACTIVE", Paused: "PAUSED" } as const;
export type FlowStatus = (typeof FlowStatus)[keyof typeof FlowStatus];
const statusesFollowPlanner: Same<FlowStatus, DesiredStatus> = true;
void statusesFollowPlanner;

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

/** The value an input of each kind holds once checked (an enum: one of its values). */
interface KindValues {
  readonly anchor: number;
  readonly enum: string;
  readonly owner: OwnerInputs;
  readonly seconds: number;
}

/**
 * What a change of an input does, and so what `diff` compares it with:
 * - `repoint`: the update re-reads which flow the Flow points at (never a replacement);
 * - `observed`: compared with what Nexla reports (the output of the same name holds the observed value);
 * - `stored`: compared with the value stored at the last update; a change updates the state, with no call
 *   unless Nexla differs from what is declared.
 */
export type OnChange = "repoint" | "observed" | "stored";

export interface InputSpec {
  readonly type: InputKind;
  /** Filled in by `check` when the input is not set; `null`: none (an optional input stays unset). */
  readonly default: string | number | null;
  /** Must be set. Anchors are required as a group: exactly one of them. */
  readonly required: boolean;
  readonly onChange: OnChange;
  /** The README's words for it. */
  readonly doc: string;
}

const anchorDoc =
  "exactly one: the anchor — a flow node id, or a resource of the flow. Changing it is an in-place update " +
  "that never deletes anything (see [Safety rules](#safety-rules)).";

/** An anchor input: required as a group (exactly one of them), and a change re-points the Flow. */
function anchorInput<K extends Anchor["kind"]>(anchor: K) {
  return {
    type: { kind: "anchor", anchor },
    default: null,
    required: false,
    onChange: "repoint",
    doc: anchorDoc,
  } as const satisfies InputSpec;
}

export const flowInputs = {
  flowId: anchorInput("flow"),
  dataSourceId: anchorInput("data_source"),
  dataSetId: anchorInput("data_set"),
  dataSinkId: anchorInput("data_sink"),
  scope: {
    type: { kind: "enum", values: Object.values(FlowScope) },
    default: FlowScope.Flow,
    required: false,
    onChange: "repoint",
    doc:
      '`"flow"` (default): the whole flow from its origin (`full_tree=1` / `all=1`). `"downstream"`: the anchor ' +
      "node and everything below it. Changing it is an in-place update.",
  },
  status: {
    type: { kind: "enum", values: Object.values(FlowStatus) },
    default: null,
    required: true,
    onChange: "observed",
    doc: '`"ACTIVE"` or `"PAUSED"`, for every resource in scope.',
  },
  owner: {
    type: { kind: "owner" },
    default: null,
    required: false,
    onChange: "observed",
    doc:
      "optional `{ ownerId, orgId, includeDataCredentials = false, includeCodeContainers = false }`. Ownership is " +
      "whole-flow in Nexla, whatever the scope. The include flags are sent with an ownership change; Nexla does " +
      "not report them, so changing only a flag changes nothing.",
  },
  convergeTimeoutSeconds: {
    type: { kind: "seconds", max: 3600 },
    default: 120,
    required: false,
    onChange: "stored",
    doc: "how long `up` waits for Nexla to report the declared state (default 120, at most 3600).",
  },
} as const satisfies Record<string, InputSpec>;

export type InputName = keyof typeof flowInputs;
export const inputNames = Object.keys(flowInputs) as InputName[];

/** The owner's fields: the ids are required; the flags default to false and only ride along on a change. */
export const ownerFields = {
  ownerId: { required: "the new owner's user id" },
  orgId: { required: "the new owner's org id" },
  includeDataCredentials: {
    default: false,
    doc: "transfer the flow's data credentials too; sent with an ownership change, not reported by Nexla",
  },
  includeCodeContainers: {
    default: false,
    doc: "transfer the flow's code containers too; sent with an ownership change, not reported by Nexla",
  },
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
export const repointKeys = inputNames.filter((name) => flowInputs[name].onChange === "repoint");

/** The defaults `check` fills in, also applied to stored state written before an input existed. */
export const inputDefaults = Object.fromEntries(
  inputNames.flatMap((name) => {
    const spec: InputSpec = flowInputs[name];
    return spec.default === null ? [] : [[name, spec.default]];
  }),
) as Readonly<Record<string, string | number>>;

export interface OwnerInputs {
  readonly ownerId: number;
  readonly orgId: number;
  readonly includeDataCredentials: boolean;
  readonly includeCodeContainers: boolean;
}

type Spec = typeof flowInputs;
/** The value an input of a kind holds once checked: a kind missing from `KindValues` fails to compile here. */
type ValueOf<T extends InputKind> = T extends { readonly kind: "enum"; readonly values: readonly (infer V)[] }
  ? V
  : KindValues[T["kind"]];
/** Inputs that always hold a value once checked: the required ones and those with a default. */
type Filled = {
  [K in InputName]: Spec[K] extends { readonly default: null; readonly required: false } ? never : K;
}[InputName];

/** Checked inputs, with defaults filled in: derived from `flowInputs`. Exactly one anchor key is set. */
export type FlowInputs = { readonly [K in Filled]: ValueOf<Spec[K]["type"]> } & {
  readonly [K in Exclude<InputName, Filled>]?: ValueOf<Spec[K]["type"]>;
};

/**
 * How an output is typed: the one place each kind's value type lives is `OutputValues` (state.ts checks the
 * outputs it builds against it), and the package schema (package-schema.ts) maps each kind to a Pulumi type.
 */
export type OutputKind =
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "nodeId" }
  | { readonly kind: "text" }
  | { readonly kind: "owner" }
  | { readonly kind: "flowOwner" }
  | { readonly kind: "resources" }
  | { readonly kind: "ids" };

/** The value an output of each kind holds (an enum: one of its values). */
export interface OutputValues {
  readonly nodeId: number;
  readonly text: string;
  readonly owner: OwnerInputs;
  readonly flowOwner: { readonly ownerId: number; readonly orgId: number };
  readonly resources: readonly ObservedResourceValue[];
  readonly ids: readonly number[];
}

/**
 * Whether an output always holds a value once a Flow has adopted its flow, may hold `null`, or is left out
 * (an optional output: the owner, reported only when one is declared).
 */
export type Presence = "always" | "nullable" | "optional";

export interface OutputSpec {
  readonly type: OutputKind;
  readonly presence: Presence;
  /** The README's words for it. */
  readonly doc: string;
}

/**
 * The outputs beside the inputs (which are echoed, `status` and `owner` holding what Nexla reports), with the
 * README's words for each. The Flow class declares these; `FlowOutputs` (state.ts) types them.
 */
export const flowOutputs = {
  status: {
    type: { kind: "enum", values: Object.values(ObservedFlowStatus) },
    presence: "always",
    doc:
      "observed: `ACTIVE`, `PAUSED`, or `MIXED` when the resources in scope disagree; `UNKNOWN` when a write " +
      "failed and Nexla could not be read after it",
  },
  declaredStatus: {
    type: { kind: "enum", values: Object.values(FlowStatus) },
    presence: "always",
    doc: "the status stored as the Flow's input: the declared one, or the one a refresh found — never MIXED",
  },
  owner: { type: { kind: "owner" }, presence: "optional", doc: "observed, when declared" },
  flowOwner: {
    type: { kind: "flowOwner" },
    presence: "nullable",
    doc: "observed owner of the whole flow, `null` when mixed",
  },
  originNodeId: { type: { kind: "nodeId" }, presence: "always", doc: "the flow this Flow adopted" },
  anchorNodeId: { type: { kind: "nodeId" }, presence: "always", doc: "the anchor's node" },
  anchorMovedTo: {
    type: { kind: "nodeId" },
    presence: "nullable",
    doc: "set when a refresh finds the anchor in another flow: that flow's origin node",
  },
  flowName: { type: { kind: "text" }, presence: "nullable", doc: "the flow's name in Nexla" },
  dataSources: {
    type: { kind: "resources" },
    presence: "always",
    doc: "`{ id, flowNodeId, status, ownerId, orgId }` of every data source in scope",
  },
  dataSets: { type: { kind: "resources" }, presence: "always", doc: "the same for data sets" },
  dataSinks: { type: { kind: "resources" }, presence: "always", doc: "the same for data sinks" },
  rateLimited: { type: { kind: "ids" }, presence: "always", doc: "ids of RATE_LIMITED sources in scope" },
} as const satisfies Record<string, OutputSpec>;

/** One resource in scope as the outputs report it (`dataSources`, `dataSets`, `dataSinks`), with its words. */
export const observedResourceFields = {
  id: "the resource's id",
  flowNodeId: "the flow node that holds it",
  status: "its status as Nexla reports it: `ACTIVE`, `PAUSED`, `INIT`, or `RATE_LIMITED` (data sources)",
  ownerId: "its owner's user id",
  orgId: "its owner's org id",
} as const;

export type ObservedResourceValue = {
  readonly [K in keyof typeof observedResourceFields]: K extends "status" ? string : number;
};

/** The value an output holds, by its spec: a kind missing from `OutputValues` fails to compile here. */
export type OutputValueOf<S extends OutputSpec> =
  | (S["type"] extends { readonly kind: "enum"; readonly values: readonly (infer V)[] }
      ? V
      : OutputValues[Exclude<S["type"]["kind"], "enum">])
  | (S["presence"] extends "nullable" ? null : never)
  | (S["presence"] extends "optional" ? undefined : never);

/** The names of the outputs beside the inputs. */
export type OutputName = keyof typeof flowOutputs;

/** True when A and B are the same type: compile-time checks that hand-written types follow this model. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The input that names an anchor of `kind`: `flowId`, `dataSourceId`, `dataSetId` or `dataSinkId`. */
export function anchorKeyOf(kind: Anchor["kind"]): AnchorName {
  const key = (Object.keys(anchorKeys) as AnchorName[]).find((k) => anchorKeys[k] === kind);
  if (key === undefined) throw new TypeError(`no anchor input names a ${kind}`);
  return key;
}

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
