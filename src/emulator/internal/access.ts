/**
 * Who may do what. Nexla's CanCan abilities and ApiUserInfo live in `lib/`, absent from the SRV snapshot, so
 * the emulator keeps one documented rule: a user may read, operate and manage a flow or resource when they
 * are a super user, its owner, or a member of its org. Changing a flow's owner is for super users only
 * (DOC-UF "supported for Nexla super-users only").
 */
import type { SeedProject, SeedUser } from "../seed.js";
import type { SharedRecord } from "./store.js";

export interface Owned {
  readonly owner_id: number;
  readonly org_id: number;
}

export function canAccess(user: SeedUser, owned: Owned): boolean {
  return user.super_user || owned.owner_id === user.id || user.org_ids.includes(owned.org_id);
}

/** The change-owner preflight's project rule (SRV flow_node.rb#flow_chown!). */
export function canManageProject(user: SeedUser, project: SeedProject): boolean {
  return user.super_user || project.owner_id === user.id || project.member_ids.includes(user.id);
}

/** Whether a credential or code container can be used by a (new) owner without being transferred. */
export function canUse(user: SeedUser, shared: SharedRecord): boolean {
  return user.super_user || shared.owner_id === user.id || shared.shared_with.includes(user.id);
}

/** The `access_roles` the caller holds on an owned object, as SRV renders them on projects. */
export function accessRoles(user: SeedUser, owned: Owned): string[] {
  if (owned.owner_id === user.id) return ["owner"];
  return user.super_user ? ["admin"] : ["operator"];
}
