/**
 * What a Flow declares, reduced to what is judged against Nexla: its name, anchor, scope, status and owner.
 * The provider (overlapping Flows, releases), `drift` and `export --update` all use this one shape.
 */
import type { Anchor, Scope } from "../nexla/paths.js";
import type { Ownership } from "../planner/types.js";
import { findAnchor, type FlowStatus } from "./schema.js";

export interface Declaration {
  /** The Pulumi resource name. */
  readonly name: string;
  readonly anchor: Anchor;
  readonly scope: Scope;
  readonly status: FlowStatus;
  readonly owner?: Ownership;
}

/** The declaration of checked Flow arguments (check.ts has accepted them), named `name`. */
export function declarationOf(name: string, args: Readonly<Record<string, unknown>>): Declaration {
  const anchor = findAnchor(args);
  if (anchor === undefined)
    throw new TypeError(`${name}: Flow arguments have no anchor; check should have refused them`);
  const owner = args["owner"] as Partial<Ownership> | undefined;
  return {
    name,
    anchor,
    scope: args["scope"] === "downstream" ? "downstream" : "flow",
    status: args["status"] === "PAUSED" ? "PAUSED" : "ACTIVE",
    ...(typeof owner?.ownerId === "number" && typeof owner.orgId === "number"
      ? { owner: { ownerId: owner.ownerId, orgId: owner.orgId } }
      : {}),
  };
}
