/** Builds the flow part of a seed from a compact tree description (used by the sample and generated seeds). */
import type { ResourceKind, ResourceStatus, SeedFlowNode, SeedResource } from "../seed.js";

/** One node of a flow tree: its node id, its resource, and the nodes below it. */
export interface TreeNode {
  readonly node: number;
  readonly kind: ResourceKind;
  readonly id: number;
  readonly name: string;
  readonly status?: ResourceStatus;
  /** Sources and sinks: the data credential; data sets: the code container. */
  readonly uses?: number;
  readonly children?: readonly TreeNode[];
}

export interface FlowSpec {
  readonly name: string;
  readonly description: string | null;
  readonly project_id: number | null;
  readonly owner_id: number;
  readonly org_id: number;
  readonly status: ResourceStatus;
  readonly root: TreeNode;
  /** A flow derived from a shared nexset: the shared data set's node (docs/nexla-api.md §4). */
  readonly derivedFrom?: { readonly parent: number; readonly sharedOrigin: number };
  /** Origins only: see SeedFlowNode. */
  readonly flow_type?: string;
  readonly linked_flow_ids?: readonly number[];
}

export interface FlowParts {
  readonly flow_nodes: SeedFlowNode[];
  readonly data_sources: SeedResource[];
  readonly data_sets: SeedResource[];
  readonly data_sinks: SeedResource[];
}

export function emptyParts(): FlowParts {
  return { flow_nodes: [], data_sources: [], data_sets: [], data_sinks: [] };
}

function resourceOf(spec: FlowSpec, tree: TreeNode): SeedResource {
  const base = {
    id: tree.id,
    name: tree.name,
    description: null,
    status: tree.status ?? spec.status,
    owner_id: spec.owner_id,
    org_id: spec.org_id,
    flow_node_id: tree.node,
    origin_node_id: spec.root.node,
  };
  if (tree.kind === "data_set") return { ...base, code_container_id: tree.uses ?? null };
  return { ...base, data_credentials_id: tree.uses ?? null };
}

function add(parts: FlowParts, spec: FlowSpec, tree: TreeNode, parent: number | null): void {
  const origin = spec.root.node;
  const isOrigin = tree.node === origin;
  const flowLevel = isOrigin
    ? {
        name: spec.name,
        description: spec.description,
        project_id: spec.project_id,
        ...(spec.flow_type === undefined ? {} : { flow_type: spec.flow_type }),
        ...(spec.linked_flow_ids === undefined ? {} : { linked_flow_ids: spec.linked_flow_ids }),
        ...(spec.derivedFrom === undefined ? {} : { shared_origin_node_id: spec.derivedFrom.sharedOrigin }),
      }
    : {};
  parts.flow_nodes.push({
    id: tree.node,
    parent_node_id: parent,
    origin_node_id: origin,
    resource_type: tree.kind,
    resource_id: tree.id,
    ...flowLevel,
  });
  const list = { data_source: parts.data_sources, data_set: parts.data_sets, data_sink: parts.data_sinks }[
    tree.kind
  ];
  list.push(resourceOf(spec, tree));
  for (const child of tree.children ?? []) add(parts, spec, child, tree.node);
}

/** Appends one flow's nodes and resources to `parts`. */
export function addFlow(parts: FlowParts, spec: FlowSpec): void {
  add(parts, spec, spec.root, spec.derivedFrom?.parent ?? null);
}
