/**
 * `pulumi-nexla-emulator --seed-from-snapshot FILE`: a snapshot written by `pulumi-nexla export --snapshot`
 * (flow trees, resources with status and owner, users, orgs, projects) → a seed, so a user rehearses their
 * stack against a faithful copy of their org. The sample users keep their ids and keys (the ones the banner
 * prints), so the same credentials work; snapshot users the sample lacks get keys of their own. A snapshot
 * that is malformed or partial is refused with every problem named: serving half an org would make a
 * rehearsal say "fine" about flows it never saw.
 */
import { validateSeed } from "./internal/seed-check.js";
import { sampleSeed } from "./sample-seed.js";
import {
  collectionOf,
  resourceKinds,
  resourceStatuses,
  type ResourceKind,
  type Seed,
  type SeedFlowNode,
  type SeedProject,
  type SeedResource,
  type SeedUser,
} from "./seed.js";

export const SNAPSHOT_FORMAT = "pulumi-nexla-snapshot";

type Bag = Readonly<Record<string, unknown>>;
const isBag = (v: unknown): v is Bag => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** A snapshot that cannot be served: `problems` names each one. */
export class SnapshotError extends Error {
  override readonly name = "SnapshotError";
  constructor(
    readonly problems: readonly string[],
    source: string,
  ) {
    const shown = problems.slice(0, 10).join("; ");
    const more = problems.length > 10 ? `; and ${problems.length - 10} more` : "";
    super(
      `Cannot serve the snapshot ${source}: ${shown}${more}. Write a complete one with ` +
        "`pulumi-nexla export --snapshot FILE`, and do not edit it by hand.",
    );
  }
}

interface Held {
  readonly node: SeedFlowNode;
  readonly where: string;
}

/** Reads a parsed snapshot into a seed, or throws a `SnapshotError` listing every problem. */
export function seedFromSnapshot(value: unknown, source = "snapshot"): Seed {
  const problems: string[] = [];
  if (!isBag(value) || value["format"] !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(
      [`it is not a pulumi-nexla snapshot (no "format": "${SNAPSHOT_FORMAT}")`],
      source,
    );
  }
  if (value["version"] !== 1)
    problems.push(`version ${JSON.stringify(value["version"])} is not one this emulator reads (1)`);
  const lists = ["flows", ...resourceKinds.map((k) => collectionOf[k]), "users", "orgs", "projects"];
  for (const list of lists)
    if (!Array.isArray(value[list])) problems.push(`"${list}" is missing or is not a list`);
  if (problems.length > 0) throw new SnapshotError(problems, source);
  const held: Held[] = [];
  (value["flows"] as unknown[]).forEach((tree, i) => walk(tree, i, held, problems));
  joinFlows(held, problems);
  const resources = readResources(value, held, problems);
  if (problems.length > 0) throw new SnapshotError(problems, source);
  return validateSeed(toSeed(value, held, resources), source);
}

/**
 * A flow tree's nodes, depth first. A loop with its own stack rather than recursion: a 3,000-node chain
 * overflowed the call stack (issue 19).
 */
function walk(tree: unknown, i: number, out: Held[], problems: string[]): void {
  type Pending = { n: unknown; parent: number | null; origin: number | null; where: string };
  const stack: Pending[] = [{ n: tree, parent: null, origin: null, where: `flows[${i}]` }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { n, parent, origin, where } = next;
    const bad = isBag(n) ? idProblem(n["id"], "id") : "is not a flow node";
    if (bad !== undefined || !isBag(n)) {
      problems.push(`${where}: ${bad ?? ""}`);
      continue;
    }
    const id = n["id"] as number;
    const at = `flows[${i}] (node ${id})`;
    const originId = origin ?? id;
    if (n["origin_node_id"] !== originId) problems.push(`${at}: origin_node_id should be ${originId}`);
    const kinds = resourceKinds.filter((k) => n[`${k}_id`] !== undefined);
    const kind = kinds[0];
    const resourceId = kind === undefined ? undefined : idProblem(n[`${kind}_id`], `${kind}_id`);
    if (kinds.length !== 1 || kind === undefined) {
      problems.push(`${at}: a node holds exactly one of data_source_id, data_set_id, data_sink_id`);
    } else if (resourceId !== undefined) problems.push(`${at}: ${resourceId}`);
    else {
      const flowLevel = parent === null ? originFields(n) : {};
      // A derived origin's parent is the shared nexset's node, in another flow.
      const derivedFrom = parent === null && isId(n["parent_node_id"]) ? n["parent_node_id"] : null;
      const resource = { resource_type: kind, resource_id: n[`${kind}_id`] as number };
      out.push({
        node: {
          id,
          parent_node_id: parent ?? derivedFrom,
          origin_node_id: originId,
          ...resource,
          ...flowLevel,
        },
        where: at,
      });
    }
    const children = n["children"] ?? [];
    if (!Array.isArray(children)) problems.push(`${at}: "children" is not a list`);
    else
      for (let j = children.length - 1; j >= 0; j -= 1)
        stack.push({
          n: children[j],
          parent: id,
          origin: originId,
          where: `flows[${i}], child ${j} of node ${id}`,
        });
  }
}

/** An origin's flow-level fields; Nexla renders its flow links as `linked_flows` (render-flow.ts). */
function originFields(n: Bag): Record<string, unknown> {
  const linked = Array.isArray(n["linked_flows"]) ? n["linked_flows"].filter(isId) : [];
  return {
    ...pick(n, ["name", "description", "project_id", "flow_type"]),
    ...(linked.length > 0 ? { linked_flow_ids: linked } : {}),
  };
}

/**
 * Derived flows name the flow whose shared nexset they derive from, and links name other flows: both must be
 * in the snapshot, or a rehearsal would not meet the refusals they cause (deleting a shared or linked flow).
 */
function joinFlows(held: Held[], problems: string[]): void {
  const byId = new Map(held.map((h) => [h.node.id, h.node]));
  held.forEach((h, i) => {
    const { node, where } = h;
    if (node.id !== node.origin_node_id) return;
    for (const other of node.linked_flow_ids ?? [])
      if (byId.get(other)?.origin_node_id !== other)
        problems.push(`${where} is linked to flow ${other}, which the snapshot does not hold: export both`);
    if (node.parent_node_id === null) return;
    const shared = byId.get(node.parent_node_id);
    if (shared === undefined)
      problems.push(
        `${where} derives from the shared nexset of node ${node.parent_node_id}, which the snapshot does not ` +
          "hold: export that flow too",
      );
    else held[i] = { where, node: { ...node, shared_origin_node_id: shared.origin_node_id } };
  });
}

/** Why a value is not an id, in words; undefined when it is one. */
function idProblem(value: unknown, field: string): string | undefined {
  if (isId(value)) return undefined;
  if (value === undefined || value === null) return `needs an "${field}"`;
  if (typeof value === "string" && /^\d+$/.test(value))
    return `"${field}" is the string "${value}": ids are JSON numbers (write ${value}, without quotes)`;
  if (typeof value === "number" && Number.isInteger(value) && value > 0)
    return `"${field}" ${value} is above 2^53 - 1, more than a JSON number holds exactly`;
  return `"${field}" must be a whole number, got ${JSON.stringify(value)}`;
}

function readResources(value: Bag, held: readonly Held[], problems: string[]): SeedResource[][] {
  const unlisted = new Map(held.map((h) => [`${h.node.resource_type} ${h.node.resource_id}`, h]));
  const byKey = new Map(unlisted);
  const lists = resourceKinds.map((kind) => {
    const list = collectionOf[kind];
    const out: SeedResource[] = [];
    (value[list] as unknown[]).forEach((r, i) => {
      const bad = isBag(r) ? idProblem(r["id"], "id") : "is not a resource";
      if (bad !== undefined || !isBag(r)) return void problems.push(`${list}[${i}]: ${bad ?? ""}`);
      const checked = readResource(kind, r, `${list}[${i}] (${kind} ${r["id"]})`, byKey, problems);
      if (checked) out.push(checked);
      unlisted.delete(`${kind} ${r["id"]}`);
    });
    return out;
  });
  for (const { node, where } of unlisted.values()) {
    const list = collectionOf[node.resource_type];
    problems.push(
      `${where} holds ${node.resource_type} ${node.resource_id}, which is not in ${list}: the snapshot is partial`,
    );
  }
  return lists;
}

function readResource(
  kind: ResourceKind,
  r: Bag,
  where: string,
  byKey: ReadonlyMap<string, Held>,
  problems: string[],
): SeedResource | undefined {
  const h = byKey.get(`${kind} ${r["id"]}`);
  const bad: string[] = [];
  if (h === undefined) bad.push("no flow node holds it");
  else if (r["flow_node_id"] !== h.node.id) bad.push(`flow_node_id should be ${h.node.id}`);
  if (!resourceStatuses.includes(r["status"] as never))
    bad.push(`status ${JSON.stringify(r["status"])} is not one of ${resourceStatuses.join(", ")}`);
  for (const field of ["owner_id", "org_id"]) {
    const problem = idProblem(r[field], field);
    if (problem !== undefined) bad.push(problem);
  }
  problems.push(...bad.map((b) => `${where}: ${b}`));
  if (bad.length > 0 || h === undefined) return undefined;
  const uses = kind === "data_set" ? { code_container_id: null } : { data_credentials_id: null };
  return {
    id: r["id"] as number,
    name: typeof r["name"] === "string" ? r["name"] : `${kind}-${String(r["id"])}`,
    description: typeof r["description"] === "string" ? r["description"] : null,
    status: r["status"] as SeedResource["status"],
    owner_id: r["owner_id"] as number,
    org_id: r["org_id"] as number,
    flow_node_id: h.node.id,
    origin_node_id: h.node.origin_node_id,
    ...uses,
  };
}

function toSeed(
  value: Bag,
  held: readonly Held[],
  [sources = [], sets = [], sinks = []]: SeedResource[][],
): Seed {
  const all = [...sources, ...sets, ...sinks];
  const orgs = new Map<number, { id: number; name: string }>(
    sampleSeed.orgs.map((o) => [o.id, { id: o.id, name: o.name }]),
  );
  for (const o of (value["orgs"] as unknown[]).filter(isBag))
    if (isId(o["id"]) && !orgs.has(o["id"]))
      orgs.set(o["id"], { id: o["id"], name: String(o["name"] ?? `org-${o["id"]}`) });
  for (const r of all) if (!orgs.has(r.org_id)) orgs.set(r.org_id, { id: r.org_id, name: `org-${r.org_id}` });
  const users = new Map<number, SeedUser>(sampleSeed.users.map((u) => [u.id, u]));
  const listed = new Map(
    (value["users"] as unknown[])
      .filter(isBag)
      .filter((u) => isId(u["id"]))
      .map((u) => [u["id"] as number, u]),
  );
  const owners = [...new Set([...listed.keys(), ...all.map((r) => r.owner_id)])].sort((a, b) => a - b);
  for (const id of owners.filter((id) => !users.has(id))) {
    const u = listed.get(id);
    const orgIds = [...new Set(all.filter((r) => r.owner_id === id).map((r) => r.org_id))];
    users.set(id, {
      id,
      email: typeof u?.["email"] === "string" ? u["email"] : `user-${id}@snapshot.invalid`,
      name: typeof u?.["name"] === "string" ? u["name"] : `user ${id}`,
      org_ids: orgIds.length > 0 ? orgIds : [sampleSeed.orgs[0]?.id ?? 1],
      super_user: false,
      service_key: `snapshot-user-${id}-service-key`,
      access_token: `snapshot-user-${id}-access-token`,
    });
  }
  return {
    orgs: [...orgs.values()],
    users: [...users.values()],
    projects: projects(value, held, all, users),
    data_credentials: [],
    code_containers: [],
    flow_nodes: held.map((h) => h.node),
    data_sources: sources,
    data_sets: sets,
    data_sinks: sinks,
  };
}

function projects(
  value: Bag,
  held: readonly Held[],
  all: readonly SeedResource[],
  users: ReadonlyMap<number, SeedUser>,
): SeedProject[] {
  const out = new Map<number, SeedProject>();
  for (const p of (value["projects"] as unknown[]).filter(isBag)) {
    if (!isId(p["id"]) || !isId(p["owner_id"]) || !isId(p["org_id"]) || !users.has(p["owner_id"])) continue;
    out.set(p["id"], {
      id: p["id"],
      owner_id: p["owner_id"],
      org_id: p["org_id"],
      name: String(p["name"] ?? `project-${p["id"]}`),
      member_ids: [],
    });
  }
  // One lookup per node: a `find` over every resource per node took 98 s on a 45k-flow org (issue 19).
  const byNode = new Map(all.map((r) => [r.flow_node_id, r]));
  for (const { node } of held) {
    const id = node.project_id;
    const origin = byNode.get(node.id);
    if (isId(id) && !out.has(id) && origin !== undefined)
      out.set(id, {
        id,
        owner_id: origin.owner_id,
        org_id: origin.org_id,
        name: `project-${id}`,
        member_ids: [],
      });
  }
  return [...out.values()];
}

function pick(from: Bag, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => from[f] !== undefined).map((f) => [f, from[f]]));
}
