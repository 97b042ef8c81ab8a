/**
 * The fuzz's view of Nexla: random orgs (branching trees, mixed statuses, several owners), and where a Flow's
 * anchor and scope fall in an emulator state. Read from the emulator's own state, never from the provider.
 */
import fc from "fast-check";
import { sampleSeed, type ResourceKind, type Seed, type SeedResource } from "pulumi-nexla/emulator";

/** A resource as the invariants name it: `data_set 2101`. */
export type Key = string;
export const keyOf = (kind: ResourceKind, id: number): Key => `${kind} ${id}`;

export interface Tree {
  readonly kind: ResourceKind;
  readonly status: "ACTIVE" | "PAUSED";
  readonly children: readonly Tree[];
}

export interface OrgShape {
  readonly flows: readonly { readonly owner: 2 | 3; readonly root: Tree }[];
}

const status = fc.constantFrom("ACTIVE" as const, "PAUSED" as const);

/** Below a data set: data sets (which may branch further) and sinks; the depth bounds the tree. */
const below = fc.letrec<{ set: Tree; sink: Tree; children: Tree[] }>((tie) => ({
  set: fc.record({
    kind: fc.constant("data_set" as const),
    status,
    children: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.constant([]), tie("children")),
  }),
  sink: fc.record({ kind: fc.constant("data_sink" as const), status, children: fc.constant([]) }),
  children: fc.array(fc.oneof(tie("set"), tie("sink")), { minLength: 1, maxLength: 2 }),
}));

/** 2 to 4 flows, each a source with one to two branches below it, of owners 2 and 3 (org 2). */
export const orgShape: fc.Arbitrary<OrgShape> = fc.record({
  flows: fc.array(
    fc.record({
      owner: fc.constantFrom(2 as const, 3 as const),
      root: fc.record({ kind: fc.constant("data_source" as const), status, children: below.children }),
    }),
    { minLength: 2, maxLength: 4 },
  ),
});

/**
 * The seed of an org shape: the sample org's users, orgs and projects (user 1 is the super user the fuzz
 * runs as), and the shape's flows. Flow k has origin node k*100; its resources are numbered from
 * 1000 + k*100 (sources), 2000 + k*100 (data sets) and 3000 + k*100 (sinks), so ids say where they were born.
 */
export function seedOf(shape: OrgShape): Seed {
  const seed: Seed = {
    ...sampleSeed,
    flow_nodes: [],
    data_sources: [],
    data_sets: [],
    data_sinks: [],
  };
  const lists = { data_source: seed.data_sources, data_set: seed.data_sets, data_sink: seed.data_sinks };
  const bases = { data_source: 1000, data_set: 2000, data_sink: 3000 };
  shape.flows.forEach((flow, i) => {
    const k = i + 1;
    const origin = k * 100;
    let next = 0;
    const counts = { data_source: 0, data_set: 0, data_sink: 0 };
    const add = (tree: Tree, parent: number | null) => {
      const node = origin + next++;
      const id = bases[tree.kind] + origin + counts[tree.kind]++;
      (seed.flow_nodes as unknown[]).push({
        id: node,
        parent_node_id: parent,
        origin_node_id: origin,
        resource_type: tree.kind,
        resource_id: id,
        ...(parent === null ? { name: `flow-${k}`, project_id: 10 } : {}),
      });
      const resource: SeedResource = {
        id,
        name: `${tree.kind}-${id}`,
        status: tree.status,
        owner_id: flow.owner,
        org_id: 2,
        flow_node_id: node,
        origin_node_id: origin,
      };
      (lists[tree.kind] as SeedResource[]).push(resource);
      for (const child of tree.children) add(child, node);
    };
    add(flow.root, null);
  });
  return seed;
}

export interface Located {
  readonly kind: ResourceKind;
  readonly id: number;
  readonly node: number;
  readonly parent: number | null;
  readonly origin: number;
  readonly status: string;
  readonly owner: string;
}

/** Every resource of a state, by key, with its node and flow. */
export function locate(state: Seed): Map<Key, Located> {
  const parents = new Map(state.flow_nodes.map((n) => [n.id, n.parent_node_id]));
  const all = new Map<Key, Located>();
  for (const kind of ["data_source", "data_set", "data_sink"] as const) {
    const list = { data_source: state.data_sources, data_set: state.data_sets, data_sink: state.data_sinks }[
      kind
    ];
    for (const r of list) {
      all.set(keyOf(kind, r.id), {
        kind,
        id: r.id,
        node: r.flow_node_id,
        parent: parents.get(r.flow_node_id) ?? null,
        origin: r.origin_node_id,
        status: r.status,
        owner: `${r.owner_id}/${r.org_id}`,
      });
    }
  }
  return all;
}

export type AnchorKey = "flowId" | "dataSourceId" | "dataSetId" | "dataSinkId";
export const anchorKinds: Record<AnchorKey, ResourceKind | "flow"> = {
  flowId: "flow",
  dataSourceId: "data_source",
  dataSetId: "data_set",
  dataSinkId: "data_sink",
};

export interface Anchored {
  readonly anchor: { readonly key: AnchorKey; readonly id: number };
  readonly scope: "flow" | "downstream";
}

/** The resources a Flow's scope covers in `state`, and its flow; undefined when its anchor is not there. */
export function place(
  state: Map<Key, Located>,
  { anchor, scope }: Anchored,
): { origin: number; keys: Set<Key> } | undefined {
  const kind = anchorKinds[anchor.key];
  const at = [...state.values()].find((r) =>
    kind === "flow" ? r.node === anchor.id : r.kind === kind && r.id === anchor.id,
  );
  if (at === undefined) return undefined;
  const inFlow = [...state.entries()].filter(([, r]) => r.origin === at.origin);
  if (scope === "flow") return { origin: at.origin, keys: new Set(inFlow.map(([k]) => k)) };
  const nodes = new Set([at.node]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [, r] of inFlow) {
      if (r.parent !== null && nodes.has(r.parent) && !nodes.has(r.node)) {
        nodes.add(r.node);
        grew = true;
      }
    }
  }
  return { origin: at.origin, keys: new Set(inFlow.filter(([, r]) => nodes.has(r.node)).map(([k]) => k)) };
}
