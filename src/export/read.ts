/**
 * Reads every flow the credentials may operate, a page at a time (`GET /flows?page=N&per_page=M&access_role=
 * operator`, docs/nexla-api.md §2.2 and §5.3: pages count origin nodes; without `access_role` Nexla lists only
 * the flows the user owns, and a flow the user may only see could not be reconciled by them), and splits the answer into one response per flow, the
 * shape `GET /flows/{id}` renders, so each flow is observed exactly as the provider observes it.
 *
 * Pages are offsets into a list that may change while it is read: a flow deleted on an earlier page shifts
 * the next page, and an untouched flow is never listed (issue 19). So the whole listing is read again until
 * two complete readings list the same flows (at most `MAX_READINGS`, then an error naming the flows that kept
 * changing), and a page that lists only flows already read — a server that ignores `page` — is an error
 * rather than an endless loop.
 */
import type { NexlaClient } from "../nexla/client.js";
import {
  collectionOf,
  resourceKinds,
  type FlowNode,
  type FlowResource,
  type FlowResponse,
  type ResourceKind,
} from "../nexla/types.js";

export const PAGE_SIZE = 100;

export interface OrgRead {
  /** One response per flow, by origin node id ascending. */
  readonly flows: readonly FlowResponse[];
  readonly users: NonNullable<FlowResponse["users"]>;
  readonly orgs: NonNullable<FlowResponse["orgs"]>;
  readonly projects: readonly Record<string, unknown>[];
  /** The call whose answer listed each flow (by origin node id), for messages about what it rendered. */
  readonly listedBy: ReadonlyMap<number, string>;
}

/** Readings of the whole listing before export gives up on an org that keeps changing. */
export const MAX_READINGS = 5;

interface Reading {
  readonly origins: FlowNode[];
  readonly resources: Map<string, FlowResource[]>;
  readonly users: Map<number, NonNullable<FlowResponse["users"]>[number]>;
  readonly orgs: Map<number, NonNullable<FlowResponse["orgs"]>[number]>;
  readonly projects: Map<number, Record<string, unknown>>;
  readonly ids: Set<number>;
  readonly listedBy: Map<number, string>;
}

/** `progress` is called after each page with the flows read so far, the page, and which reading (from 1). */
export async function readOrg(
  client: NexlaClient,
  progress: (flowsRead: number, page: number, reading: number) => void = () => undefined,
): Promise<OrgRead> {
  const readings: Reading[] = [];
  for (let n = 1; n <= MAX_READINGS; n += 1) {
    const reading = await readListing(client, (read, page) => progress(read, page, n));
    const previous = readings.at(-1);
    readings.push(reading);
    if (previous !== undefined && same(previous.ids, reading.ids)) return orgOf(reading);
  }
  const changing = new Set(
    readings.slice(1).flatMap((r, i) => difference(r.ids, readings[i]?.ids ?? new Set<number>())),
  );
  throw new Error(
    `the list of flows changed between each of ${MAX_READINGS} readings (flows ${[...changing].sort((a, b) => a - b).join(", ")} ` +
      "came or went): someone is changing the org while export reads it. Nothing was written; run again " +
      "when it is quiet, or export those flows alone with --flow.",
  );
}

/** The call that listed a page, as messages name it. */
const listedAt = (page: number) => `GET /flows?page=${page}&per_page=${PAGE_SIZE}&access_role=operator`;

async function readListing(
  client: NexlaClient,
  progress: (read: number, page: number) => void,
): Promise<Reading> {
  const r: Reading = {
    origins: [],
    resources: new Map(),
    users: new Map(),
    orgs: new Map(),
    projects: new Map(),
    ids: new Set(),
    listedBy: new Map(),
  };
  const { ids } = r;
  for (let page = 1; ; page += 1) {
    const answer = await client.listFlows({ page, perPage: PAGE_SIZE, accessRole: "operator" });
    const fresh = answer.flows.filter((f) => !ids.has(f.id));
    if (answer.flows.length > 0 && fresh.length === 0)
      throw new Error(
        `Nexla answered ${listedAt(page)} with only flows it had listed on earlier ` +
          `pages (${answer.flows.map((f) => f.id).join(", ")}), as a server that ignores "page" does; reading on ` +
          "would never end. Nothing was written. Check NEXLA_API_URL (the API base URL, ending in /nexla-api).",
      );
    for (const f of fresh) ids.add(f.id);
    r.origins.push(...fresh);
    for (const f of fresh) r.listedBy.set(f.id, listedAt(page));
    for (const kind of resourceKinds) {
      for (const res of answer[collectionOf[kind]] ?? []) {
        const key = `${kind} ${res.origin_node_id}`;
        r.resources.set(key, [...(r.resources.get(key) ?? []).filter((x) => x.id !== res.id), res]);
      }
    }
    for (const u of answer.users ?? []) r.users.set(u.id, u);
    for (const o of answer.orgs ?? []) r.orgs.set(o.id, o);
    for (const p of listOf(answer["projects"])) if (typeof p["id"] === "number") r.projects.set(p["id"], p);
    progress(ids.size, page);
    if (answer.flows.length < PAGE_SIZE) return r;
  }
}

function orgOf(r: Reading): OrgRead {
  return {
    flows: split(r.origins, r.resources),
    listedBy: r.listedBy,
    users: [...r.users.values()].sort(byId),
    orgs: [...r.orgs.values()].sort(byId),
    projects: [...r.projects.values()].sort((a, b) => Number(a["id"]) - Number(b["id"])),
  };
}

function same(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

/** Ids in one set and not the other. */
function difference(a: ReadonlySet<number>, b: ReadonlySet<number>): number[] {
  return [...[...a].filter((id) => !b.has(id)), ...[...b].filter((id) => !a.has(id))];
}

function split(origins: readonly FlowNode[], resources: ReadonlyMap<string, FlowResource[]>): FlowResponse[] {
  const unique = new Map(origins.map((o) => [o.id, o]));
  return [...unique.values()].sort(byId).map((origin) => {
    const own = (kind: ResourceKind) => resources.get(`${kind} ${origin.id}`) ?? [];
    return {
      flows: [origin],
      data_sources: own("data_source"),
      data_sets: own("data_set"),
      data_sinks: own("data_sink"),
    };
  });
}

function listOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null)
    : [];
}

function byId(a: { readonly id: number }, b: { readonly id: number }): number {
  return a.id - b.id;
}
