/**
 * Reads every flow the credentials can see, a page at a time (`GET /flows?page=N&per_page=M`,
 * docs/nexla-api.md §5.3: pages count origin nodes), and splits the answer into one response per flow, the
 * shape `GET /flows/{id}` renders, so each flow is observed exactly as the provider observes it.
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
}

/** `progress` is called after each page with the number of flows read so far. */
export async function readOrg(
  client: NexlaClient,
  progress: (flowsRead: number, page: number) => void = () => undefined,
): Promise<OrgRead> {
  const origins: FlowNode[] = [];
  const resources = new Map<string, FlowResource[]>();
  const users = new Map<number, NonNullable<FlowResponse["users"]>[number]>();
  const orgs = new Map<number, NonNullable<FlowResponse["orgs"]>[number]>();
  const projects = new Map<number, Record<string, unknown>>();
  for (let page = 1; ; page += 1) {
    const answer = await client.listFlows({ page, perPage: PAGE_SIZE });
    origins.push(...answer.flows);
    for (const kind of resourceKinds) {
      for (const r of answer[collectionOf[kind]] ?? []) {
        const key = `${kind} ${r.origin_node_id}`;
        resources.set(key, [...(resources.get(key) ?? []), r]);
      }
    }
    for (const u of answer.users ?? []) users.set(u.id, u);
    for (const o of answer.orgs ?? []) orgs.set(o.id, o);
    for (const p of listOf(answer["projects"])) if (typeof p["id"] === "number") projects.set(p["id"], p);
    progress(origins.length, page);
    if (answer.flows.length < PAGE_SIZE) break;
  }
  return {
    flows: split(origins, resources),
    users: [...users.values()].sort(byId),
    orgs: [...orgs.values()].sort(byId),
    projects: [...projects.values()].sort((a, b) => Number(a["id"]) - Number(b["id"])),
  };
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
