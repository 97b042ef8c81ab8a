/**
 * A model of what Nexla's server does to a flow for one call, applied to a flow response: the "pure
 * simulator" the planner's property tests execute plans with. Written from docs/nexla-api.md (§2.4, §3
 * and §6), independently of the planner: it reads each step's HTTP call, not its `affects`.
 */
import type { FlowCall } from "../../src/nexla/paths.js";
import type { FlowNode, FlowResource, FlowResponse, ResourceKind } from "../../src/nexla/types.js";
import { collectionOf, resourceKinds } from "../../src/nexla/types.js";

/** A call Nexla refuses, with the status code it answers. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Node = Mutable<FlowNode> & { children: Node[] };
type Resource = Mutable<FlowResource>;

interface Request {
  readonly by: { readonly kind: "flow" | ResourceKind; readonly id: number };
  readonly verb: "activate" | "pause" | "change_owner" | "delete";
  readonly all: boolean;
}

const route = /^\/(?:flows\/(\d+)|(data_sources|data_sets|data_sinks)\/(\d+)\/flow)(\/activate|\/pause)?$/;

function parse(call: FlowCall): Request {
  const m = route.exec(call.path);
  if (m === null) throw new Error(`no such route: ${call.path}`);
  const kind = m[2] === undefined ? "flow" : resourceKinds.find((k) => collectionOf[k] === m[2]);
  if (kind === undefined) throw new Error(`no such collection: ${m[2]}`);
  const verb = m[4] === "/activate" ? "activate" : m[4] === "/pause" ? "pause" : undefined;
  const action = call.method === "DELETE" ? "delete" : (verb ?? "change_owner");
  const all = call.query["all"] === "1" || call.query["full_tree"] === "1";
  return { by: { kind, id: Number(m[1] ?? m[3]) }, verb: action, all };
}

/** The response a GET would give after Nexla performed `call` (a new object; the input is left alone). */
export function execute(response: FlowResponse, call: FlowCall): FlowResponse {
  const state = structuredClone(response) as FlowResponse & { flows: Node[] };
  const request = parse(call);
  const all = everyNode(state.flows);
  const node = all.find((n) => matches(n, request.by));
  if (node === undefined) throw new Refused(404, "");
  const origin = all.find((n) => n.id === node.origin_node_id);
  if (origin === undefined) throw new Error(`node ${node.id} has no origin in the response`);
  const start = request.all ? origin : node;
  if (request.verb === "change_owner") chown(state, origin.id, call);
  else if (request.verb === "delete") remove(state, subtree(start, origin.id));
  else setStatus(state, origin, subtree(start, origin.id), request.verb === "activate" ? "ACTIVE" : "PAUSED");
  return state;
}

function setStatus(state: FlowResponse, origin: Node, nodes: Node[], status: "ACTIVE" | "PAUSED"): void {
  if (resourceOf(state, origin).status === "RATE_LIMITED") throw new Refused(400, "Flow is rate limited");
  for (const node of nodes) resourceOf(state, node).status = status;
}

/** Whole-flow, whatever node is addressed (SRV flow_node.rb#flow_chown!). */
function chown(state: FlowResponse, originId: number, call: FlowCall): void {
  if (call.body === undefined) throw new Error("change owner without a body");
  for (const r of resources(state)) {
    if (r.origin_node_id !== originId) continue;
    r.owner_id = call.body.owner_id;
    r.org_id = call.body.org_id;
  }
}

/**
 * 405 while anything in the subtree is ACTIVE, or while a nexset in it feeds a flow of its own (SRV
 * flow_node.rb#flow_destroy); else the subtree goes.
 */
function remove(state: FlowResponse & { flows: Node[] }, doomed: Node[]): void {
  if (doomed.some((n) => resourceOf(state, n).status === "ACTIVE")) {
    throw new Refused(405, "Active flow resources must be paused before flow deletion!");
  }
  if (doomed.some((n) => n.children.some((c) => c.origin_node_id !== n.origin_node_id))) {
    throw new Refused(405, "Flow cannot be deleted while shared nexsets have downstream flows");
  }
  const gone = new Set(doomed.map((n) => n.id));
  const prune = (nodes: Node[]): Node[] =>
    nodes.filter((n) => !gone.has(n.id)).map((n) => ({ ...n, children: prune(n.children) }));
  state.flows = prune(state.flows);
  for (const kind of resourceKinds) {
    const list = (state[collectionOf[kind]] ?? []).filter((r) => !gone.has(r.flow_node_id));
    Object.assign(state, { [collectionOf[kind]]: list });
  }
}

/** Depth first within one flow: children of another origin are other flows (SRV flow_activate_traverse). */
export function subtree<T extends FlowNode>(start: T, originId: number): T[] {
  const children = (start.children ?? []) as readonly T[];
  return [
    start,
    ...children.filter((c) => c.origin_node_id === originId).flatMap((c) => subtree(c, originId)),
  ];
}

function everyNode(nodes: readonly Node[]): Node[] {
  return nodes.flatMap((n) => [n, ...everyNode(n.children)]);
}

function matches(node: Node, by: Request["by"]): boolean {
  return by.kind === "flow" ? node.id === by.id : node[`${by.kind}_id`] === by.id;
}

export function resourceOf(state: FlowResponse, node: FlowNode): Resource {
  const kind = resourceKinds.find((k) => node[`${k}_id`] !== undefined);
  const found = kind && state[collectionOf[kind]]?.find((r) => r.id === node[`${kind}_id`]);
  if (found === undefined) throw new Error(`node ${node.id} holds no listed resource`);
  return found as Resource;
}

function resources(state: FlowResponse): Resource[] {
  return resourceKinds.flatMap((k) => (state[collectionOf[k]] ?? []) as Resource[]);
}
