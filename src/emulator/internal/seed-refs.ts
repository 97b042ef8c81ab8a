/** Referential checks of a seed whose shape is valid: unique ids, every reference resolves, trees are trees. */
import { collectionOf, resourceKinds, type Seed, type SeedFlowNode } from "../seed.js";
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

/** An org admin is a member of the org (SRV ApiUserInfo#org_admin? concerns the user's org). */
function adminsAreMembers(seed: Seed, problems: Problems): void {
  seed.users.forEach((user, i) => {
    for (const org of user.admin_org_ids ?? [])
      if (!user.org_ids.includes(org))
        problems.push(`${entryName("users", i, user)}: admin_org_ids ${org} is not in its org_ids`);
  });
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

/** A field of the entries of one list that holds ids (one, or a list of them) of another list. */
interface Reference {
  readonly from: keyof Seed;
  readonly field: string;
  readonly to: keyof Seed;
}

function idSet(entries: readonly { id: number }[]): Set<number> {
  return new Set(entries.map((e) => e.id));
}

/** Reports each id in `field` of an entry of `from` that is not an id of `to` (null means "none"). */
function checkReference(seed: Seed, problems: Problems, { from, field, to }: Reference): void {
  const ids = idSet(seed[to]);
  seed[from].forEach((entry, i) => {
    const value = (entry as unknown as Readonly<Record<string, unknown>>)[field];
    for (const id of Array.isArray(value) ? value : [value]) {
      if (id !== null && id !== undefined && !ids.has(id as number)) {
        problems.push(`${entryName(from, i, entry)}: ${field} ${id} is not in ${to}`);
      }
    }
  });
}

const ownedLists: readonly (keyof Seed)[] = [
  "projects",
  "data_credentials",
  "code_containers",
  ...resourceKinds.map((k) => collectionOf[k]),
];

/** Users belong to orgs, and everything owned names an existing owner and org. */
const ownerReferences: readonly Reference[] = [
  { from: "users", field: "org_ids", to: "orgs" },
  ...ownedLists.flatMap((from): Reference[] => [
    { from, field: "owner_id", to: "users" },
    { from, field: "org_id", to: "orgs" },
  ]),
];

/** Project members, and the users credentials and code containers are shared with. */
const sharingReferences: readonly Reference[] = [
  { from: "users", field: "admin_org_ids", to: "orgs" },
  { from: "projects", field: "member_ids", to: "users" },
  { from: "data_credentials", field: "shared_with", to: "users" },
  { from: "code_containers", field: "shared_with", to: "users" },
];

/** What flows use: credentials of sources and sinks, code containers of data sets, projects of flows. */
const usageReferences: readonly Reference[] = [
  { from: "data_sources", field: "data_credentials_id", to: "data_credentials" },
  { from: "data_sinks", field: "data_credentials_id", to: "data_credentials" },
  { from: "data_sets", field: "code_container_id", to: "code_containers" },
  { from: "flow_nodes", field: "project_id", to: "projects" },
];

function crossReferences(seed: Seed, problems: Problems): void {
  for (const reference of [...ownerReferences, ...sharingReferences, ...usageReferences])
    checkReference(seed, problems, reference);
}

/**
 * A derived origin: a data set whose parent is a data set of the flow `shared_origin_node_id` names (SRV
 * flow_node.rb#reset_flow_origin; docs/nexla-api.md §4). Any other origin has no parent.
 */
function originProblem(node: SeedFlowNode, byId: ReadonlyMap<number, SeedFlowNode>): string | undefined {
  const shared = node.shared_origin_node_id ?? null;
  if (shared === null) {
    return node.parent_node_id === null
      ? undefined
      : "an origin node must have parent_node_id null, unless it derives from a shared nexset (shared_origin_node_id)";
  }
  if (node.resource_type !== "data_set") return "only a data set can derive from a shared nexset";
  const parent = byId.get(node.parent_node_id ?? -1);
  if (parent === undefined)
    return "a node deriving from a shared nexset needs the shared nexset's node as parent_node_id";
  if (parent.resource_type !== "data_set") return `parent ${parent.id} is not a data set (a shared nexset)`;
  if (parent.origin_node_id !== shared)
    return `shared_origin_node_id ${shared} is not the origin of parent ${parent.id} (${parent.origin_node_id})`;
  if (shared === node.id) return "a flow cannot derive from itself";
  return undefined;
}

function nodeProblem(node: SeedFlowNode, byId: ReadonlyMap<number, SeedFlowNode>): string | undefined {
  const origin = byId.get(node.origin_node_id);
  if (origin === undefined) return `origin_node_id ${node.origin_node_id} is not in flow_nodes`;
  if (origin.origin_node_id !== origin.id) return `origin_node_id ${origin.id} is not an origin node`;
  if (node.id === node.origin_node_id) return originProblem(node, byId);
  if ((node.shared_origin_node_id ?? null) !== null)
    return "only an origin node can have shared_origin_node_id (a derived flow starts at it)";
  if ((node.linked_flow_ids ?? []).length > 0) return "only an origin node can have linked_flow_ids";
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
    for (const linked of node.linked_flow_ids ?? []) {
      const other = nodes.get(linked);
      if (other?.origin_node_id !== linked || linked === node.id)
        problems.push(
          `${entryName("flow_nodes", i, node)}: linked flow ${linked} is not another flow's origin node`,
        );
    }
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
  adminsAreMembers(seed, problems);
  crossReferences(seed, problems);
  links(seed, problems);
  return problems;
}
