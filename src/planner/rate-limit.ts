/**
 * Rate-limited flows. Nexla answers 400 "Flow is rate limited" to activate and pause while the flow's origin
 * source is RATE_LIMITED, whatever node is addressed and whichever way (docs/nexla-api.md §2.4). The planner
 * fails with this error, before any call, whenever a plan needs such a call; see `statusStep` for why.
 */
import type { Anchor, FlowCall } from "../nexla/paths.js";
import { couldNot, names, PlannerError } from "./errors.js";
import type { ResourceRef } from "./types.js";

const refusal =
  'Nexla refuses to activate or pause a flow whose source is rate limited (400 "Flow is rate limited")';
const advice =
  "Wait until the rate limit lifts, or ask Nexla support to lift it, then run again; no call was made.";

function isAre(refs: readonly ResourceRef[]): string {
  return refs.length === 1 ? "is" : "are";
}

/** For a needed activate or pause. `note` adds what the user should know about the rest of the scope. */
export function cannotChangeStatus(
  verb: "activate" | "pause",
  anchor: Anchor,
  call: FlowCall,
  limited: readonly ResourceRef[],
  note: string,
): PlannerError {
  const what = `${names(limited)} ${isAre(limited)} RATE_LIMITED, and ${refusal}.${note} ${advice}`;
  return new PlannerError("rate_limited", couldNot(verb, anchor, call, what), limited);
}

/** For a delete that needs a pause first (405 while anything is active) which Nexla would refuse. */
export function cannotDelete(
  anchor: Anchor,
  call: FlowCall,
  limited: readonly ResourceRef[],
  active: readonly ResourceRef[],
): PlannerError {
  const what =
    `Nexla refuses to delete active resources (405) and ${names(active)} ${isAre(active)} ACTIVE, but ` +
    `pausing them first fails while ${names(limited)} ${isAre(limited)} RATE_LIMITED (400 "Flow is rate ` +
    `limited"). ${advice}`;
  return new PlannerError("rate_limited", couldNot("delete", anchor, call, what), limited);
}
