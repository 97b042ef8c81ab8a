/**
 * `export --snapshot FILE`: what Nexla reported, reduced to the facts the emulator serves (flow trees,
 * resources with status and owner, users, orgs, projects). Fields are copied from an allow-list, so nothing
 * else Nexla renders — data credentials, connector configs, tokens — can reach the file. Read back by
 * `pulumi-nexla-emulator --seed-from-snapshot` (src/emulator/internal/snapshot.ts).
 */
import { collectionOf, resourceKinds, type FlowNode, type FlowResponse } from "../nexla/types.js";
import type { OrgRead } from "./read.js";

export const SNAPSHOT_FORMAT = "pulumi-nexla-snapshot";
export const SNAPSHOT_VERSION = 1;

const nodeFields = [
  "id",
  "parent_node_id",
  "origin_node_id",
  "data_source_id",
  "data_set_id",
  "data_sink_id",
];
// A derived flow's origin keeps its parent_node_id (the shared nexset's node, in another flow), and
// `linked_flows` names the flows it is linked to (a RAG flow's links make Nexla refuse deletes).
const originFields = ["name", "description", "project_id", "flow_type", "status", "linked_flows"];
const resourceFields = [
  "id",
  "owner_id",
  "org_id",
  "flow_node_id",
  "origin_node_id",
  "name",
  "description",
  "status",
];

function pick(from: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => from[f] !== undefined).map((f) => [f, from[f]]));
}

function node(n: FlowNode, originId: number): Record<string, unknown> {
  const children = (n.children ?? []).filter((c) => c.origin_node_id === originId);
  return {
    ...pick(n, nodeFields),
    ...(n.id === originId ? pick(n, originFields) : {}),
    children: children.map((c) => node(c, originId)),
  };
}

export function snapshotOf(org: OrgRead, flows: readonly FlowResponse[]): Record<string, unknown> {
  const lists = Object.fromEntries(
    resourceKinds.map((kind) => [
      collectionOf[kind],
      flows.flatMap((f) => (f[collectionOf[kind]] ?? []).map((r) => pick(r, resourceFields))),
    ]),
  );
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    flows: flows.flatMap((f) => f.flows.map((origin) => node(origin, origin.id))),
    ...lists,
    users: org.users.map((u) => pick(u, ["id", "email", "name"])),
    orgs: org.orgs.map((o) => pick(o, ["id", "name"])),
    projects: org.projects.map((p) => pick(p, ["id", "owner_id", "org_id", "name", "description"])),
  };
}
