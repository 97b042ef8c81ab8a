/**
 * Delete: pause what is active in the scope, then delete it (Nexla refuses with 405 while anything in the
 * subtree is active, docs/nexla-api.md §2.4). A flow already gone is success. If the delete fails after the
 * pause, the resources that were active are activated again, one by one, and the error says so; if that
 * fails too, it names the resources that may be left paused.
 */
import { isNexlaError, type NexlaClient } from "../../src/nexla/index.js";
import type { Anchor, Scope } from "../../src/nexla/paths.js";
import { observe, planDelete, renderPlan, type ObservedFlow } from "../../src/planner/index.js";
import { label, log, sleep } from "./log.js";

export async function deleteScope(client: NexlaClient, anchor: Anchor, scope: Scope): Promise<void> {
  const response = await client.tryGetFlow(anchor);
  if (response === undefined) return; // already gone: nothing to delete
  const observed = observe(response, anchor, scope);
  const steps = planDelete(observed, anchor, scope);
  for (const line of renderPlan(steps)) log(`${label(anchor)}: ${line}`);
  const pausedAsMeans = steps.some((s) => s.action === "pause");
  if (pausedAsMeans) await client.pause(anchor, scope);
  try {
    await deleteWhenPaused(client, anchor, scope);
  } catch (error) {
    // An answer lost or unreadable after Nexla did delete (a dropped connection, a proxy's error page): look
    // again before restoring anything; a flow that is gone is a delete that succeeded.
    if ((await client.tryGetFlow(anchor).catch(() => "unknown")) === undefined) return;
    if (!pausedAsMeans) throw error;
    throw await restore(client, observed, error);
  }
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
      await sleep(delay);
    }
  }
}

async function restore(client: NexlaClient, before: ObservedFlow, error: unknown): Promise<Error> {
  const active = before.resources.filter((r) => r.status === "ACTIVE");
  const names = active.map((r) => `${r.kind} ${r.id}`).join(", ");
  const message = error instanceof Error ? error.message : String(error);
  const failed: string[] = [];
  for (const r of active) {
    await client.activateResource(r.kind, r.id).catch(() => failed.push(`${r.kind} ${r.id}`));
  }
  const outcome =
    failed.length === 0
      ? ` The flow had been paused to delete it; ${names} were activated again, as they were before.`
      : ` The flow had been paused to delete it, and activating it again failed: ${failed.join(", ")} may be ` +
        "left paused. Activate them in Nexla, or run `pulumi up` with this Flow declared ACTIVE.";
  return new Error(message + outcome, { cause: error });
}
