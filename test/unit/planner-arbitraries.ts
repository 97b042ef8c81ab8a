/**
 * fast-check generators for the planner's properties: flows of up to 12 nodes with branches, sub-flows of
 * any status, mixed owners, rate-limited sources and flows derived from shared nexsets; anchors of every
 * kind inside the flow; both scopes; and desired states.
 */
import fc from "fast-check";
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import {
  resourceKinds,
  type FlowResponse,
  type ResourceKind,
  type ResourceStatus,
} from "../../src/nexla/types.js";
import type { Desired, DesiredOwner } from "../../src/planner/index.js";
import { flowResponse, type NodeSpec } from "./planner-fixtures.js";

const ownerPool = [
  [2, 2],
  [3, 2],
  [2, 5],
] as const;

const status = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<ResourceStatus>("ACTIVE", "PAUSED", "INIT") },
  { weight: 1, arbitrary: fc.constant<ResourceStatus>("RATE_LIMITED") },
);

const node = fc.record({
  parent: fc.nat(),
  kind: fc.constantFrom(...resourceKinds),
  status,
  owner: fc.constantFrom(0, 1, 2),
  ownFlow: fc.oneof(
    { weight: 9, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
});

const flow = fc.record({
  nodes: fc.array(node, { minLength: 1, maxLength: 12 }),
  /** One status for every node, so that flows in sync are common; `undefined`: each node its own. */
  allStatus: fc.constantFrom<ResourceStatus | undefined>("ACTIVE", "PAUSED", undefined),
  /** One owner for the whole flow, or each node its own. */
  oneOwner: fc.option(fc.constantFrom(0, 1, 2)),
});

export interface Scenario {
  readonly response: FlowResponse;
  readonly anchor: Anchor;
  readonly scope: Scope;
  readonly desired: Desired;
}

type Spec = Omit<NodeSpec, "children"> & { readonly children: Spec[] };
type FlowInput = typeof flow extends fc.Arbitrary<infer T> ? T : never;

function build(input: FlowInput): Spec[] {
  const specs = input.nodes.map((n, i): Spec => {
    const kind: ResourceKind = i === 0 ? "data_source" : n.kind;
    const raw = input.allStatus ?? n.status;
    const owner = ownerPool[input.oneOwner ?? n.owner] ?? ownerPool[0];
    return {
      node: 100 + i,
      id: 1000 + i,
      kind,
      // Only data sources can be RATE_LIMITED (docs/nexla-api.md §3).
      status: raw === "RATE_LIMITED" && kind !== "data_source" ? "ACTIVE" : raw,
      owner,
      ownFlow: i > 0 && n.ownFlow,
      children: [],
    };
  });
  input.nodes.forEach((n, i) => {
    if (i > 0) specs[n.parent % i]?.children.push(specs[i]!);
  });
  return specs;
}

/** Nodes of the root's own flow: not those of flows derived from a shared nexset. */
function ownNodes(spec: Spec): Spec[] {
  return [spec, ...spec.children.filter((c) => c.ownFlow !== true).flatMap(ownNodes)];
}

const desiredOwner: fc.Arbitrary<DesiredOwner> = fc
  .record({
    which: fc.constantFrom(0, 1, 2),
    includeDataCredentials: fc.boolean(),
    includeCodeContainers: fc.boolean(),
  })
  .map(({ which, ...flags }) => {
    const [ownerId, orgId] = ownerPool[which] ?? ownerPool[0];
    return { ownerId, orgId, ...flags };
  });

export const desired: fc.Arbitrary<Desired> = fc
  .record({ status: fc.constantFrom("ACTIVE", "PAUSED"), owner: fc.option(desiredOwner, { nil: undefined }) })
  .map(({ status, owner }) => (owner === undefined ? { status } : { status, owner }));

export const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    flow,
    pick: fc.nat(),
    byNode: fc.boolean(),
    scope: fc.constantFrom<Scope>("flow", "downstream"),
    desired,
  })
  .map(({ flow: input, pick, byNode, scope, desired: want }) => {
    const specs = build(input);
    const own = ownNodes(specs[0]!);
    const at = own[pick % own.length]!;
    const anchor: Anchor = byNode ? { kind: "flow", id: at.node } : { kind: at.kind, id: at.id };
    return { response: flowResponse(specs[0]!), anchor, scope, desired: want };
  });
