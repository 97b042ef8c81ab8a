/**
 * The Flow resource's inputs as the engine hands them to the provider, and `check`: validate every input at
 * once, one failure per property, and let Pulumi's unknown placeholder through during preview.
 */
import type { Anchor, Scope } from "../src/nexla/paths.js";

/** What Pulumi sends for a value not known yet during preview (docs/pulumi.md A1). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface OwnerInputs {
  readonly ownerId: number;
  readonly orgId: number;
  readonly includeDataCredentials: boolean;
  readonly includeCodeContainers: boolean;
}

/** Checked inputs, with defaults filled in. Exactly one anchor key is set. */
export interface FlowInputs {
  readonly flowId?: number;
  readonly dataSourceId?: number;
  readonly dataSetId?: number;
  readonly dataSinkId?: number;
  readonly scope: Scope;
  readonly status: "ACTIVE" | "PAUSED";
  readonly owner?: OwnerInputs;
  readonly convergeTimeoutSeconds: number;
}

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

export const anchorKeys = {
  flowId: "flow",
  dataSourceId: "data_source",
  dataSetId: "data_set",
  dataSinkId: "data_sink",
} as const;
export const DEFAULT_CONVERGE_TIMEOUT_SECONDS = 120;

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
