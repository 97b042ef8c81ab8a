/**
 * Delete: pause what is active in the scope, then delete it (Nexla refuses with 405 while anything in the
 * subtree is active, docs/nexla-api.md §2.4). A flow already gone is success. Nothing outside the flow the Flow
 * adopted is ever deleted: an anchor Nexla now reports in another flow is left alone, and the adopted flow is
 * deleted by its own origin node when the scope is the whole flow.
 *
 * A pause is a means here, and any write may take effect and still answer with an error. So when the pause
 * fails, or the delete after it, Nexla is read again and every resource that was active before and is not now
 * is activated again, one by one; the error says so, or names the resources that may be left paused.
 */
import { isNexlaError, type NexlaClient } from "../../src/nexla/index.js";
import { describeCall, resourceCall, type Anchor, type Scope } from "../../src/nexla/paths.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import {
  observe,
  planDelete,
  renderPlan,
  type ObservedFlow,
  type ObservedResource,
} from "../../src/planner/index.js";
import { anchorText, clock, label, log } from "./log.js";
import type { FlowReads } from "./reads.js";

export interface DeleteOptions {
  /** The origin node of the flow the Flow adopted (undefined for state written before it was stored). */
  readonly adoptedFlow?: number | undefined;
  /** Where the first read comes from (coalesced with other Flows'). @default the client's own GET */
  readonly reads?: FlowReads;
  /** Who owned the flow when this Flow last saw it, for the list likely to show it (reads.ts). */
  readonly ownerId?: number | undefined;
  /**
   * Judges the scope as read before anything is done to it: a sentence saying why nothing of it may be
   * deleted (another Flow of the operation declares some of it, release.ts), or undefined to go on.
   */
  readonly keep?:
    | ((response: FlowResponse, observed: ObservedFlow, anchor: Anchor, scope: Scope) => string | undefined)
    | undefined;
}

export async function deleteScope(
  client: NexlaClient,
  anchor: Anchor,
  scope: Scope,
  { adoptedFlow, reads, ownerId, keep }: DeleteOptions = {},
): Promise<void> {
  const response = await (reads?.read(anchor, { ownerId }) ?? client.tryGetFlow(anchor));
  if (response === undefined) return; // already gone: nothing to delete
  const observed = observe(response, anchor, scope);
  if (adoptedFlow !== undefined && observed.originNodeId !== adoptedFlow) {
    return deleteAdoptedInstead(client, anchor, scope, observed.originNodeId, adoptedFlow, keep);
  }
  const kept = keep?.(response, observed, anchor, scope);
  if (kept !== undefined) {
    log(kept);
    return;
  }
  const steps = planDelete(observed, anchor, scope);
  for (const line of renderPlan(steps)) log(`${label(anchor)}: ${line}`);
  const pausedAsMeans = steps.some((s) => s.action === "pause");
  if (pausedAsMeans) {
    try {
      await client.pause(anchor, scope);
    } catch (error) {
      throw await restore(
        client,
        anchor,
        scope,
        observed,
        error,
        "Nexla had applied the pause in part or whole before answering with an error",
      );
    }
  }
  try {
    await deleteWhenPaused(client, anchor, scope);
  } catch (error) {
    // An answer lost or unreadable after Nexla did delete (a dropped connection, a proxy's error page): look
    // again before restoring anything; a flow that is gone is a delete that succeeded.
    if ((await client.tryGetFlow(anchor).catch(() => "unknown")) === undefined) return;
    const failure = withOrderAdvice(error, observed.originNodeId);
    if (!pausedAsMeans) throw failure;
    throw await restore(client, anchor, scope, observed, failure, "The flow had been paused to delete it");
  }
}

/**
 * Nexla refuses to delete a flow while a RAG flow is linked to it, or while flows derive from its shared
 * nexsets (docs/nexla-api.md §2.4). When a stack holds both sides, the order is the program's to give: the
 * refusal says how (`dependsOn`), so that one `destroy` deletes both.
 */
function withOrderAdvice(error: unknown, origin: number): unknown {
  if (!isNexlaError(error, "conflict")) return error;
  const body = error.body as { linked_rag_flow_ids?: unknown; sharers?: unknown } | null | undefined;
  const rag = Array.isArray(body?.linked_rag_flow_ids) ? body.linked_rag_flow_ids : [];
  const shared = Array.isArray(body?.sharers) && body.sharers.length > 0;
  if (rag.length === 0 && !shared) return error;
  const others =
    rag.length > 0
      ? `the RAG ${rag.length === 1 ? "flow" : "flows"} ${rag.join(", ")} linked to it`
      : "the flows derived from its shared nexsets";
  const advice =
    ` Nexla deletes flow ${origin} only after ${others}. If this stack declares ${rag.length === 1 ? "that flow" : "them"} ` +
    "too, give each such Flow `dependsOn: [<this Flow>]` in the program (in flows.yaml, `dependsOn: [<this " +
    "entry's name>]` on its entry): the engine then deletes it first, in the same operation. Otherwise delete " +
    "or unlink it in Nexla first, then run again.";
  return new Error(error.message + advice, { cause: error });
}

/**
 * The anchor now sits in flow `now`, not in the adopted flow: nothing of flow `now` is touched. A whole-flow
 * Flow deletes the flow it adopted through its origin node, if that still is a flow's origin; a sub-flow
 * cannot be found without its anchor, so nothing is deleted. Each case is logged.
 */
async function deleteAdoptedInstead(
  client: NexlaClient,
  anchor: Anchor,
  scope: Scope,
  now: number,
  adopted: number,
  keep: DeleteOptions["keep"],
): Promise<void> {
  log(
    `${label(anchor)}: Nexla now reports ${anchorText(anchor)} in flow ${now}, which this Flow did not adopt: ` +
      `flow ${now} is left as it is, ${anchorText(anchor)} included.`,
  );
  if (scope === "downstream") {
    log(
      `${label(anchor)}: the sub-flow this Flow managed in flow ${adopted} went with its anchor; nothing is ` +
        `deleted. Delete what is left of it in Nexla if you meant to.`,
    );
    return;
  }
  const own: Anchor = { kind: "flow", id: adopted };
  const response = await client.tryGetFlow(own);
  const origin = response === undefined ? undefined : observe(response, own, "flow").originNodeId;
  if (origin !== adopted) {
    log(`flow ${adopted}: no longer a flow in Nexla (node ${adopted} is not an origin); nothing is deleted.`);
    return;
  }
  log(`flow ${adopted}: the flow this Flow adopted is deleted through its origin node.`);
  await deleteScope(client, own, "flow", { adoptedFlow: adopted, keep });
}

/**
 * Right after a pause, Nexla may still see a resource as active for a moment (eventual consistency): a 405
 * that lists active resources is retried briefly. A 404 means the flow is gone: what delete wanted.
 */
async function deleteWhenPaused(client: NexlaClient, anchor: Anchor, scope: Scope): Promise<void> {
  for (let attempt = 0, delay = 250; ; attempt++, delay *= 2) {
    try {
      await client.deleteFlow(anchor, scope);
      return;
    } catch (error) {
      if (isNexlaError(error, "not_found")) return;
      if (!(isNexlaError(error, "conflict") && /must be paused/i.test(error.message)) || attempt >= 4)
        throw error;
      await clock.sleep(delay);
    }
  }
}

/**
 * After a failed pause or delete: reads the scope again and activates, one by one, each resource that was
 * active before and is not now. When the read fails, every resource that was active is activated (a no-op
 * for those still active). The error keeps the failure's message and says what was done.
 */
async function restore(
  client: NexlaClient,
  anchor: Anchor,
  scope: Scope,
  before: ObservedFlow,
  error: unknown,
  context: string,
): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  const wasActive = before.resources.filter((r) => r.status === "ACTIVE");
  const now = await client.tryGetFlow(anchor).then(
    (response) => (response === undefined ? undefined : observe(response, anchor, scope)),
    () => undefined,
  );
  const stillActive = new Set(
    (now?.resources ?? []).filter((r) => r.status === "ACTIVE").map((r) => `${r.kind} ${r.id}`),
  );
  const toActivate = wasActive.filter((r) => !stillActive.has(`${r.kind} ${r.id}`));
  if (now !== undefined && toActivate.length === 0) {
    return new Error(`${message} Nexla reports nothing of it paused: the flow is as it was.`, {
      cause: error,
    });
  }
  const failed: ObservedResource[] = [];
  for (const r of toActivate) {
    log(
      `${label(anchor)}: ${describeCall(resourceCall(r.kind, r.id, "activate"))}: ${r.kind} ${r.id} was ACTIVE before`,
    );
    await client.activateResource(r.kind, r.id).catch(() => failed.push(r));
  }
  const names = (list: readonly ObservedResource[]) => list.map((r) => `${r.kind} ${r.id}`).join(", ");
  const outcome =
    failed.length === 0
      ? ` ${context}; ${names(toActivate)} were activated again, as they were before.`
      : ` ${context}, and activating it again failed: ${names(failed)} may be left paused. Activate them ` +
        "in Nexla, or run `pulumi refresh` and then `pulumi up` with this Flow declared ACTIVE.";
  return new Error(message + outcome, { cause: error });
}
