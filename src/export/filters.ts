/** Which flows an export covers: every filter given must match (flow ids, project, owner, status, name). */
import type { ObservedStatus } from "../planner/index.js";
import type { ExportedFlow } from "./decompose.js";

export interface Filters {
  /** Flow ids (origin node ids); empty: any. */
  readonly flowIds: readonly number[];
  readonly projectIds: readonly number[];
  /** User ids: a flow matches when any of its resources is owned by one of them. */
  readonly ownerIds: readonly number[];
  readonly statuses: readonly ObservedStatus[];
  /** Glob on Nexla's flow name, `*` and `?`, case-insensitive. */
  readonly namePattern?: string;
}

export const noFilters: Filters = { flowIds: [], projectIds: [], ownerIds: [], statuses: [] };

export function matches(flow: ExportedFlow, f: Filters): boolean {
  const any = <T>(wanted: readonly T[], has: (v: T) => boolean) => wanted.length === 0 || wanted.some(has);
  return (
    any(f.flowIds, (id) => id === flow.originNodeId) &&
    any(f.projectIds, (id) => id === flow.projectId) &&
    any(f.ownerIds, (id) => flow.observed.owners.some((o) => o.ownerId === id)) &&
    any(f.statuses, (s) => s === flow.observed.status) &&
    (f.namePattern === undefined || glob(f.namePattern).test(flow.name ?? ""))
  );
}

export function glob(pattern: string): RegExp {
  const body = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "i");
}

/** `--status MIXED --project 10`: the filters as flags, for the file's header. */
export function describeFilters(f: Filters): string {
  const parts = [
    ...f.flowIds.map((id) => `--flow ${id}`),
    ...f.projectIds.map((id) => `--project ${id}`),
    ...f.ownerIds.map((id) => `--owner ${id}`),
    ...f.statuses.map((s) => `--status ${s}`),
    ...(f.namePattern === undefined ? [] : [`--name '${f.namePattern}'`]),
  ];
  return parts.join(" ");
}
