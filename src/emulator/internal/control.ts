/** Test controls: out-of-band changes as a person in Nexla's UI would make them, plus reset and inspection. */
import {
  clusterStatuses,
  resourceStatuses,
  type ResourceKind,
  type ResourceStatus,
  type Seed,
} from "../seed.js";
import type { EmulatorControl, OrgChanges } from "../types.js";
import type { Core } from "./core.js";
import { activeSourceCount } from "./flow-ops.js";
import { validateSeed } from "./seed-check.js";
import { Store, type NodeRecord } from "./store.js";

/** A control call that cannot be done; `status` is what the HTTP control route answers. */
export class ControlError extends Error {
  override readonly name = "ControlError";
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

function nodeById(core: Core, id: number): NodeRecord {
  const node = core.store.nodes.get(id);
  if (node === undefined) throw new ControlError(404, `There is no flow node ${id}.`);
  return core.store.originOf(node);
}

function setStatus(
  core: Core,
  kind: ResourceKind,
  id: number,
  status: ResourceStatus,
  cascade: boolean,
): void {
  if (!(resourceStatuses as readonly string[]).includes(status))
    throw new ControlError(400, `Unknown status ${JSON.stringify(status)}.`);
  if (status === "RATE_LIMITED" && (kind !== "data_source" || cascade)) {
    throw new ControlError(400, "RATE_LIMITED applies to one data source, without cascade.");
  }
  const resource = core.store.findResource(kind, id);
  if (resource === undefined) throw new ControlError(404, `There is no ${kind} ${id}.`);
  const nodes = cascade ? core.store.subtree(core.store.nodeOf(resource)) : [core.store.nodeOf(resource)];
  for (const node of nodes) core.settle.force(core.store.resourceOf(node), status);
  core.changed();
}

function setOwner(core: Core, originNodeId: number, ownerId: number, orgId: number): void {
  const origin = nodeById(core, originNodeId);
  if (!core.store.users.has(ownerId)) throw new ControlError(400, `There is no user ${ownerId}.`);
  if (!core.store.orgs.has(orgId)) throw new ControlError(400, `There is no org ${orgId}.`);
  for (const node of core.store.subtree(origin)) {
    Object.assign(core.store.resourceOf(node), { owner_id: ownerId, org_id: orgId });
  }
  core.changed();
}

function setOrg(core: Core, orgId: number, changes: OrgChanges): void {
  const org = core.store.orgs.get(orgId);
  if (org === undefined) throw new ControlError(404, `There is no org ${orgId}.`);
  const { clusterStatus, activeSourceLimit: limit } = changes;
  if (clusterStatus !== undefined && !(clusterStatuses as readonly string[]).includes(clusterStatus))
    throw new ControlError(
      400,
      `Unknown cluster status ${JSON.stringify(clusterStatus)} (known: ACTIVE, MIGRATING).`,
    );
  const valid =
    limit === undefined ||
    limit === null ||
    limit === "reached" ||
    (Number.isSafeInteger(limit) && limit >= 0);
  if (!valid)
    throw new ControlError(
      400,
      `activeSourceLimit must be a non-negative integer, null or "reached", got ${JSON.stringify(limit)}.`,
    );
  const next = {
    ...org,
    ...(clusterStatus === undefined ? {} : { cluster_status: clusterStatus }),
    ...(limit === undefined
      ? {}
      : { active_source_limit: limit === "reached" ? activeSourceCount(core.store, orgId) : limit }),
  };
  core.store.orgs.set(orgId, next);
  core.changed();
}

function deleteFlow(core: Core, originNodeId: number): void {
  for (const node of core.store.subtree(nodeById(core, originNodeId)).reverse()) core.store.removeNode(node);
  core.changed();
}

function reset(core: Core, seed: Seed | undefined): void {
  core.store = new Store(seed === undefined ? core.initialSeed : validateSeed(seed));
  core.settle.clear();
  core.faults.clear();
  core.log.clear();
  core.tokens.clear();
  core.limiter.clear();
  core.changed();
}

export function createControl(core: Core, flush: () => Promise<void>): EmulatorControl {
  return {
    reset: (seed) => reset(core, seed),
    state: () => core.store.toSeed(),
    setStatus: (kind, id, status, options) => setStatus(core, kind, id, status, options?.cascade === true),
    setOwner: (originNodeId, ownerId, orgId) => setOwner(core, originNodeId, ownerId, orgId),
    setOrg: (orgId, changes) => setOrg(core, orgId, changes),
    deleteFlow: (originNodeId) => deleteFlow(core, originNodeId),
    injectFault: (fault) => core.faults.add(fault),
    clearFaults: () => core.faults.clear(),
    requests: () => core.log.entries(),
    clearRequests: () => core.log.clear(),
    onRequest: (listener) => core.log.listen(listener),
    unhandled: () => core.log.unhandled(),
    flush,
  };
}
