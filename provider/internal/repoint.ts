/**
 * A Flow pointed at another anchor or scope (a re-point): whether the program chose another anchor, and the
 * words preview and up say about it — an in-place change inside the adopted flow, a release of that flow when
 * the program chose another one on purpose, or a refusal when Nexla moved the anchor (nothing is done then).
 */
import { clientFor } from "./credentials.js";
import { anchorText, log } from "./log.js";
import { anchorOf, findAnchor, type FlowInputs } from "../../src/declaration/schema.js";
import { adoptedFlow } from "../../src/declaration/state.js";
import type { Anchor } from "../../src/nexla/paths.js";
import { observe, type ObservedFlow } from "../../src/planner/index.js";

type Bag = Record<string, unknown>;

/** Whether the program names another anchor than the one stored. */
export function reanchored(olds: Bag, news: Bag): boolean {
  const [was, now] = [findAnchor(olds), findAnchor(news)];
  return was?.kind !== now?.kind || was?.id !== now?.id;
}

export function moved(anchor: Anchor | undefined, pinned: number, now: number): Error {
  const subject = anchor === undefined ? "its anchor" : anchorText(anchor);
  return new Error(
    `This Flow adopted flow ${pinned}, but Nexla now reports ${subject} in flow ${now}. Nothing was done to ` +
      `flow ${now} or to flow ${pinned}. Point the Flow at a resource of flow ${pinned} again; to manage flow ` +
      `${now} instead, change the anchor on purpose (e.g. flowId: ${now}: flow ${pinned} is then released, ` +
      "left as it is); or remove the Flow (`pulumi destroy` deletes nothing outside the flow it adopted).",
  );
}

export function released(inputs: FlowInputs, pinned: number, observed: ObservedFlow): string {
  return (
    `flow ${pinned} is released — left in Nexla exactly as it is — and this Flow manages ` +
    `flow ${observed.originNodeId} from now on (anchor ${anchorText(anchorOf(inputs))}). Nothing is deleted.`
  );
}

/** Says, in preview and up, what a new anchor or scope does: an in-place change, or a release. */
export async function explainRepoint(olds: Bag, news: Bag): Promise<void> {
  const to = findAnchor(news);
  const pinned = adoptedFlow(olds);
  if (to === undefined || pinned === undefined) {
    log(
      `the anchor is not known yet; the update reads it and changes this Flow in place. An edit ` +
        "never deletes anything in Nexla.",
    );
    return;
  }
  // A single GET, never a batch: diff runs in the engine's step generation, one resource at a time, and a
  // read held for queued writes would hold up every step after it (reads.ts).
  const origin = await clientFor()
    .tryGetFlow(to)
    .then(
      (response) => (response === undefined ? "missing" : observe(response, to, "flow").originNodeId),
      () => "unreadable" as const,
    );
  if (origin === pinned) {
    log(
      `now anchored on ${anchorText(to)} in the same flow ${pinned}: an in-place change; nothing is deleted.`,
    );
  } else if (typeof origin === "number" && !reanchored(olds, news)) {
    log(
      `Nexla now reports ${anchorText(to)} in flow ${origin}, not in flow ${pinned}, which this Flow adopted: ` +
        `the update will refuse, and nothing is done to flow ${origin}.`,
    );
  } else if (typeof origin === "number") {
    log(
      `${anchorText(to)} is in flow ${origin}: flow ${pinned} will be released — left in Nexla ` +
        `exactly as it is — and this Flow will manage flow ${origin}. Nothing is deleted.`,
    );
  } else {
    log(
      `${anchorText(to)} could not be read now (${origin}); the update reads it again. An edit never ` +
        `deletes anything in Nexla: flow ${pinned} is left as it is if the new anchor is in another flow.`,
    );
  }
}
