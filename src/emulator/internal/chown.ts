/**
 * `PUT /flows/{id}` and `PUT /{res}/{id}/flow`: change a flow's owner (and name/description). Always the
 * whole flow: "flow_chown does not support changing ownership of sub-flows" (SRV flow_node.rb#flow_chown!).
 */
import type { SeedUser } from "../seed.js";
import { canManageProject, canUse } from "./access.js";
import { failure, HttpError } from "./http.js";
import { flowOwner } from "./flow-ops.js";
import type { NodeRecord, SharedRecord, Store } from "./store.js";

export interface FlowUpdate {
  readonly owner_id?: number;
  readonly org_id?: number;
  readonly include_data_credentials?: boolean;
  readonly include_code_containers?: boolean;
  readonly name?: string;
  readonly description?: string | null;
  /** The same PUT also updates these flow fields (SRV flow_node.rb#flow_update_mutable!, docs/nexla-api.md §6). */
  readonly project_id?: number | null;
  readonly flow_type?: string | null;
}

type Check = (v: unknown) => boolean;
const isId: Check = (v) => Number.isSafeInteger(v) && (v as number) > 0;
const fields: Readonly<Record<keyof FlowUpdate, readonly [Check, string]>> = {
  owner_id: [isId, "an integer"],
  org_id: [isId, "an integer"],
  include_data_credentials: [(v) => typeof v === "boolean", "a boolean"],
  include_code_containers: [(v) => typeof v === "boolean", "a boolean"],
  name: [(v) => typeof v === "string", "a string"],
  description: [(v) => v === null || typeof v === "string", "a string or null"],
  project_id: [(v) => v === null || isId(v), "an integer or null"],
  flow_type: [(v) => v === null || typeof v === "string", "a string or null"],
};

/**
 * The body, validated. Rails parses a body as JSON params only when its Content-Type says JSON, so any
 * other body is ignored as Nexla would; a JSON body that does not parse is a 400 (SRV handle_exceptions).
 * The FlowNode PUT schema is not public: the emulator allows only the fields above, so a client's typo
 * (`ownerId`) fails loudly instead of silently changing nothing.
 */
export function parseFlowUpdate(text: string, contentType: string | undefined): FlowUpdate {
  if (!(contentType ?? "").toLowerCase().includes("json") || text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw failure(400, "Cannot parse JSON request body");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw failure(400, "The body must be a JSON object");
  for (const [key, value] of Object.entries(body)) {
    const field = fields[key as keyof FlowUpdate] as (typeof fields)[keyof FlowUpdate] | undefined;
    if (field === undefined) {
      throw failure(400, `Unknown property "${key}"; allowed: ${Object.keys(fields).join(", ")}`);
    }
    if (!field[0](value)) throw failure(400, `The property "${key}" must be ${field[1]}`);
  }
  return body as FlowUpdate;
}

function referenced(
  store: Store,
  origin: NodeRecord,
): { credentials: SharedRecord[]; containers: SharedRecord[] } {
  const resources = store.subtree(origin).map((n) => store.resourceOf(n));
  const pick = (ids: (number | null | undefined)[], map: ReadonlyMap<number, SharedRecord>) =>
    [...new Set(ids)].flatMap((id) => map.get(id ?? -1) ?? []).sort((a, b) => a.id - b.id);
  return {
    credentials: pick(
      resources.map((r) => r.data_credentials_id),
      store.credentials,
    ),
    containers: pick(
      resources.map((r) => r.code_container_id),
      store.codeContainers,
    ),
  };
}

/** The preflight of SRV flow_node.rb#flow_chown!: 403 with a message, or with the offending resources. */
function preflight(
  store: Store,
  origin: NodeRecord,
  owner: SeedUser,
  orgId: number,
  update: FlowUpdate,
): void {
  const project = origin.project_id == null ? undefined : store.projects.get(origin.project_id);
  const member = owner.super_user || owner.org_ids.includes(orgId);
  if (!member || (project !== undefined && !canManageProject(owner, project))) {
    throw failure(403, "New owner does not have management access to flow project");
  }
  const { credentials, containers } = referenced(store, origin);
  const blocked = (list: SharedRecord[], included: boolean | undefined) =>
    included === true ? [] : list.filter((s) => !canUse(owner, s)).map((s) => s.id);
  const data_credentials = blocked(credentials, update.include_data_credentials);
  const code_containers = blocked(containers, update.include_code_containers);
  if (data_credentials.length + code_containers.length > 0) {
    throw new HttpError(403, {
      data_credentials,
      code_containers,
      message: "New owner does not have access to one or more required resources",
    });
  }
}

/** Applies `update` to the flow of `origin`; throws HttpError 400/403 before changing anything. */
export function updateFlow(store: Store, origin: NodeRecord, update: FlowUpdate): void {
  const current = flowOwner(store, origin);
  const ownerId = update.owner_id ?? current.owner_id;
  const orgId = update.org_id ?? current.org_id;
  const owner = store.users.get(ownerId);
  if (owner === undefined) throw failure(400, `owner_id ${ownerId} is not a user`);
  if (!store.orgs.has(orgId)) throw failure(400, `org_id ${orgId} is not an org`);
  if (update.project_id != null && !store.projects.has(update.project_id)) {
    throw failure(400, `project_id ${update.project_id} is not a project`);
  }
  const includes = update.include_data_credentials === true || update.include_code_containers === true;
  // "run chown even if owner is the same" when an include flag asks for it (SRV flow_node.rb#flow_update_mutable!).
  const chown =
    ownerId !== current.owner_id || orgId !== current.org_id || (update.owner_id !== undefined && includes);
  if (chown) {
    preflight(store, origin, owner, orgId, update);
    const { credentials, containers } = referenced(store, origin);
    const moved = [
      ...store.subtree(origin).map((n) => store.resourceOf(n)),
      ...(update.include_data_credentials === true ? credentials : []),
      ...(update.include_code_containers === true ? containers : []),
    ];
    for (const each of moved) Object.assign(each, { owner_id: ownerId, org_id: orgId });
  }
  if (update.name !== undefined) origin.name = update.name;
  if (update.description !== undefined) origin.description = update.description;
  if (update.flow_type !== undefined) origin.flow_type = update.flow_type;
  if (update.project_id !== undefined) origin.project_id = update.project_id;
}
