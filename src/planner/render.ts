/** Plans as text, for previews and logs: the exact HTTP call, then what it changes. */
import { describeCall } from "../nexla/paths.js";
import { ownerText } from "./status.js";
import type { Step } from "./types.js";

/** One line per step: `PUT /flows/200/pause?full_tree=1  (pauses data_set 2101, data_sink 3100)`. */
export function renderPlan(steps: readonly Step[]): string[] {
  return steps.map((step) => {
    const what = step.affects.map((r) => `${r.kind} ${r.id}`).join(", ");
    return `${describeCall(step.call)}  (${verb(step)} ${what})`;
  });
}

function verb(step: Step): string {
  switch (step.action) {
    case "activate":
      return "activates";
    case "pause":
      return "pauses";
    case "delete":
      return "deletes";
    case "change_owner": {
      const body = step.call.body;
      const to = body ? ` to ${ownerText({ ownerId: body.owner_id, orgId: body.org_id })}` : "";
      return `changes owner${to} of`;
    }
  }
}
