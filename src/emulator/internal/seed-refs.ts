/** Referential checks of a seed whose shape is valid: unique ids, every reference resolves, trees are trees. */
import { collectionOf, resourceKinds, type Seed, type SeedFlowNode, type SeedResource } from "../seed.js";
import { entryName } from "./seed-shape.js";

type Problems = string[];

function uniqueIds(seed: Seed, problems: Problems): void {
  for (const [list, entries] of Object.entries(seed) as [string, readonly { id: number }[]][]) {
    const seen = new Set<number>();
    entries.forEach((entry, i) => {
      if (seen.has(entry.id)) problems.push(`${entryName(list, i, entry)}: duplicate id`);
      seen.add(entry.id);
    });
  }
}

function uniqueSecrets(seed: Seed, problems: Problems): void {
  const seen = new Set<string>();
  seed.users.forEach((user, i) => {
    for (const field of ["service_key", "access_token"] as const) {
      // The value itself is never echoed: it is a credential.
      if (seen.has(user[field])) problems.push(`${entryName("users", i, user)}: ${field} is not unique`);
      seen.add(user[field]);
    }
  });
}

/** Checks that each `field` of each entry of `list` names an existing id of `target`. */
function refs<T extends { id: number }>(
  problems: Problems,
  list: string,
  entries: readonly T[],
  field: string,
  target: string,
  ids: ReadonlySet<number>,
  values: (entry: T) => readonly (number | null | undefined)[],
): void {
  entries.forEach((entry, i) => {
    for (const value of values(entry)) {
      if (value !== null && value !== undefined && !ids.has(value)) {
        problems.push(`${entryName(list, i, entry)}: ${field} ${value} is not in ${target}`);
      }
    }
  });
}

function idSet(entries: readonly { id: number }[]): Set<number> {
  return new Set(entries.map((e) => e.id));
}

function ownership(seed: Seed, problems: Problems): void {
  const users = idSet(seed.users);
  const orgs = idSet(seed.orgs);
  refs(problems, "users", seed.users, "org_ids", "orgs", orgs, (u) => u.org_ids);
  for (const list of [
    "projects",
    "data_credentials",
    "code_containers",
    ...resourceKinds.map((k) => collectionOf[k]),
  ]) {
    const entries = seed[list as keyof Seed] as readonly { id: number; owner_id: number; org_id: number }[];
    refs(problems, list, entries, "owner_id", "users", users, (e) => [e.owner_id]);
    refs(problems, list, entries, "org_id", "orgs", orgs, (e) => [e.org_id]);
  }
  refs(problems, "projects", seed.projects, "member_ids", "users", users, (p) => p.member_ids);
  refs(
    problems,
    "data_credentials",
    seed.data_credentials,
    "shared_with",
    "users",
    users,
    (c) => c.shared_with,
  );
  refs(
    problems,
    "code_containers",
    seed.code_containers,
    "shared_with",
    "users",
    users,
    (c) => c.shared_with,
  );
  const credentials = idSet(seed.data_credentials);
  const dataCredentials = (r: SeedResource) => [r.data_credentials_id];
  refs(
    problems,
    "data_sources",
    seed.data_sources,
    "data_credentials_id",
    "data_credentials",
    credentials,
    dataCredentials,
  );
  refs(
    problems,
    "data_sinks",
    seed.data_sinks,
    "data_credentials_id",
    "data_credentials",
    credentials,
    dataCredentials,
  );
  const containers = idSet(seed.code_containers);
  refs(problems, "data_sets", seed.data_sets, "code_container_id", "code_containers", containers, (r) => [
    r.code_container_id,
  ]);
  refs(problems, "flow_nodes", seed.flow_nodes, "project_id", "projects", idSet(seed.projects), (n) => [
    n.project_id,
  ]);
}

function nodeProblem(node: SeedFlowNode, byId: ReadonlyMap<number, SeedFlowNode>): string | undefined {
  const origin = byId.get(node.origin_node_id);
  if (origin === undefined) return `origin_node_id ${node.origin_node_id} is not in flow_nodes`;
  if (origin.origin_node_id !== origin.id) return `origin_node_id ${origin.id} is not an origin node`;
  if (node.id === node.origin_node_id) {
    return node.parent_node_id === null ? undefined : "an origin node must have parent_node_id null";
  }
  if (node.parent_node_id === null) return "a node that is not an origin needs a parent_node_id";
  let current: SeedFlowNode | undefined = node;
  for (let steps = 0; current !== undefined && current.id !== origin.id; steps += 1) {
    const parent: SeedFlowNode | undefined = byId.get(current.parent_node_id ?? -1);
    // A missing ancestor is reported once, by the node that names it.
    if (parent === undefined)
      return current === node ? `parent_node_id ${node.parent_node_id} is not in flow_nodes` : undefined;
    if (parent.origin_node_id !== node.origin_node_id) return `parent ${parent.id} belongs to another flow`;
    if (steps > byId.size) return "parent_node_id chain has a cycle";
    current = parent;
  }
  return undefined;
}

function links(seed: Seed, problems: Problems): void {
  const nodes = new Map(seed.flow_nodes.map((n) => [n.id, n]));
  const resources = new Map(
    resourceKinds.map((k) => [k, new Map(seed[collectionOf[k]].map((r) => [r.id, r]))]),
  );
  seed.flow_nodes.forEach((node, i) => {
    const problem = nodeProblem(node, nodes);
    if (problem !== undefined) problems.push(`${entryName("flow_nodes", i, node)}: ${problem}`);
    const resource = resources.get(node.resource_type)?.get(node.resource_id);
    if (resource?.flow_node_id !== node.id) {
      problems.push(
        `${entryName("flow_nodes", i, node)}: ${node.resource_type} ${node.resource_id} does not point back`,
      );
    }
  });
  for (const kind of resourceKinds) {
    seed[collectionOf[kind]].forEach((resource, i) => {
      const name = entryName(collectionOf[kind], i, resource);
      const node = nodes.get(resource.flow_node_id);
      if (node?.resource_type !== kind || node.resource_id !== resource.id) {
        problems.push(`${name}: flow_node_id ${resource.flow_node_id} is not a node holding this ${kind}`);
      } else if (node.origin_node_id !== resource.origin_node_id) {
        problems.push(`${name}: origin_node_id ${resource.origin_node_id} differs from its node's`);
      }
      if (resource.status === "RATE_LIMITED" && kind !== "data_source") {
        problems.push(`${name}: status RATE_LIMITED exists on data sources only`);
      }
    });
  }
}

/** Every referential problem of a seed of valid shape. */
export function referenceProblems(seed: Seed): string[] {
  const problems: Problems = [];
  uniqueIds(seed, problems);
  uniqueSecrets(seed, problems);
  ownership(seed, problems);
  links(seed, problems);
  return problems;
}
