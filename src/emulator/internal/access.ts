/**
 * Who may do what. Nexla's CanCan abilities and ApiUserInfo live in `lib/`, absent from the SRV snapshot, so
 * the emulator keeps one documented rule: a user may read, operate and manage a flow or resource when they
 * are a super user, its owner, or a member of its org. Changing a flow's owner is for super users only
 * (DOC-UF "supported for Nexla super-users only"). The role a user holds on an object follows from the same
 * rule: `owner` on what they own, `admin` as a super user or an admin of its org, `operator` as a member of
 * its org; nobody is only a `collaborator`, which the emulator does not model.
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

/** The access roles of Nexla's `access_role` list parameter, lowest first (OA `access_roles`). */
export const ACCESS_ROLES = ["collaborator", "operator", "admin", "owner"] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

/** The highest role `user` holds on `owned`, or undefined when they have no access. */
export function roleOn(user: SeedUser, owned: Owned): AccessRole | undefined {
  if (owned.owner_id === user.id) return "owner";
  if (user.super_user || (user.admin_org_ids ?? []).includes(owned.org_id)) return "admin";
  return user.org_ids.includes(owned.org_id) ? "operator" : undefined;
}

/**
 * Whether a list with `access_role=role` shows `owned` to `user`: "resources to which the user has access via
 * the <role> or higher permissions", and `owner` (the default) only what they own (OA `access_roles`).
 */
export function listedFor(user: SeedUser, owned: Owned, role: AccessRole): boolean {
  const held = roleOn(user, owned);
  return held !== undefined && ACCESS_ROLES.indexOf(held) >= ACCESS_ROLES.indexOf(role);
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
  return [roleOn(user, owned) ?? "operator"];
}
