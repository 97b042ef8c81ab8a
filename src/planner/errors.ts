/**
 * Errors the planner raises, with stable codes. Messages follow the project's grammar (docs/design.md §8.7):
 * "Could not <action> <flow> (<METHOD> <path>): <what happened>. <what to do>."
 */
import { describeCall, flowLabel, type Anchor, type FlowCall } from "../nexla/paths.js";
import type { ResourceRef } from "./types.js";

/** Every code a `PlannerError` carries (README.md, Troubleshooting, lists each one). */
export const plannerErrorCodes = ["malformed_response", "anchor_not_in_flow", "rate_limited"] as const;
export type PlannerErrorCode = (typeof plannerErrorCodes)[number];

export class PlannerError extends Error {
  override readonly name = "PlannerError";
  readonly code: PlannerErrorCode;
  /** The resources the error is about (the rate-limited ones for `rate_limited`), else empty. */
  readonly resources: readonly ResourceRef[];

  constructor(code: PlannerErrorCode, message: string, resources: readonly ResourceRef[] = []) {
    super(message);
    this.code = code;
    this.resources = resources;
  }
}

/** True for a `PlannerError`, of the given code when one is given. */
export function isPlannerError(error: unknown, code?: PlannerErrorCode): error is PlannerError {
  return error instanceof PlannerError && (code === undefined || error.code === code);
}

/** `data_set 2100`, `data_set 2100 and data_sink 3100`, `a, b and c`. */
export function names(refs: readonly ResourceRef[]): string {
  const each = refs.map((r) => `${r.kind} ${r.id}`);
  const last = each.pop();
  return each.length === 0 ? (last ?? "") : `${each.join(", ")} and ${last}`;
}

/** "Could not <verb> <flow> (<call>): <what>" — the head every planner message shares. */
export function couldNot(verb: string, anchor: Anchor, call: FlowCall, what: string): string {
  return `Could not ${verb} ${flowLabel(anchor)} (${describeCall(call)}): ${what}`;
}
