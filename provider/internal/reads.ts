/**
 * Coalesced reads (docs/design.md §3, "Reads that scale"). The engine calls read, create, update and delete for
 * many Flows at once in one provider process; each needs a view of its flow. Reads asked for at about the same
 * time are gathered into one batch, and one `GET /flows` (Nexla's list, one light-weight call) serves the batch
 * when that is cheaper than one `GET /flows/{id}` (or `GET /{collection}/{id}/flow`) per Flow; a lone read
 * stays a single GET.
 *
 * How fresh a view is, by kind of read:
 * - A read that writes follow (create, update, delete) is served only by a call sent after it was asked for:
 *   a write is never planned from an older picture (an anchor moved since would send it to the wrong flow).
 * - A refresh read (nothing but its answer waits on it) is a picture of Nexla at one moment: it is served by a
 *   list taken during this operation after its first refresh read was asked for — unless this process has
 *   written since that list was sent (or was writing then), or the list does not show its flow. A refresh of
 *   any size is then one list, at any parallelism. A provider process lives for one operation.
 *
 * Which list: `GET /flows` lists the flows the user owns; `access_role=operator` every flow they may operate
 * (docs/nexla-api.md §2.2), a superset. A Flow whose flow was last seen owned by another user than the one the
 * credentials belong to (the token exchange says who) goes straight to the operator list; any other first to the
 * owner list, then to the operator list if that did not show it — until the operator list has shown one flow the
 * owner's did not: from then on a Flow whose owner is not known goes straight to the operator list too; a batch (or a refresh) that needs the operator
 * list anyway serves every Flow from it, the owner's list being a part of it. A flow neither list shows is read on its own
 * (a single GET says whether it is gone), and so is every Flow of a batch whose list read failed.
 *
 * When a batch closes: once every operation of this process in progress waits in it, when as many wait as the
 * engine has run at once (its parallelism, reached a while ago): nothing else can join until it is answered;
 * or once all of them wait in it and none joined for 100 ms; or 2 s after it opened — 5 s while the steps not
 * in it are writing, since each reads again once its writes are done. A batch of refresh reads
 * closes later if its Flows, read one by one, would still be held back by the rate limit. While the client's
 * writes queue for its rate limit (and lists are not refused), a batch keeps gathering: its Flows would only wait
 * longer for their writes' turn. It closes once the queue is down to about the time a batch takes (so writes
 * never run dry), or after `maxHoldMs`.
 *
 * Whether to list, measured: the singles of a batch of n reads take the time Nexla's limits let them through,
 * max over weights of (n_w − 1) / limit_w (light reads 12/s, `data_set` paths 5/s), plus one answer time of a
 * single read; the list takes its own answer time, which grows with its size. Both answer times are measured
 * from the last answers of each kind (the list's starts at a single read's, until a list has been read once).
 * A batch of writes' reads uses the list when it is the shorter; a batch of refresh reads always does once a
 * second refresh read has been asked for, since that list then serves the rest of the refresh too (a refresh
 * of one Flow is one single GET; run one at a time, a refresh is that GET and one list).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { activityOf } from "../../src/nexla/client.js";
import { isNexlaError, type NexlaClient } from "../../src/nexla/index.js";
import type { Anchor } from "../../src/nexla/paths.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import { flowList, type FlowList } from "../../src/planner/index.js";
import { log, type Clock } from "./log.js";
import type { Operations } from "./operations.js";

export interface ReadOptions {
  /** Nothing but this answer waits on the read (a refresh): see the header for the view it gets. */
  readonly onlyRead?: boolean;
  /** Who owned the flow when this Flow last saw it (its state), to pick the list likely to show it. */
  readonly ownerId?: number | undefined;
}

export interface FlowReads {
  /** What `tryGetFlow(anchor)` answers, as fresh as its kind of read needs (see the header). */
  read(anchor: Anchor, options?: ReadOptions): Promise<FlowResponse | undefined>;
}

export interface CoalesceOptions {
  readonly clock: Clock;
  /** A batch that all operations in progress wait in closes once no read has joined for this long. @default 100 */
  readonly gatherMs?: number;
  /** How often an open batch looks again. @default 10 */
  readonly tickMs?: number;
  /**
   * …or once it has been open this long (a batch of refresh reads: and longer than a GET per Flow of it would
   * be held back by the rate limit), unless writes are queued (see the header). @default 2000
   */
  readonly maxGatherMs?: number;
  /**
   * How long a batch waits for the steps in progress that are writing, to read with them (see the header).
   * @default 5000
   */
  readonly maxWaitForWritersMs?: number;
  /** While writes are queued for longer than this (or twice a list's answer time), the batch stays open. @default 1000 */
  readonly holdWhileWritesQueuedMs?: number;
  /** The longest a batch stays open for queued writes. @default 60000 */
  readonly maxHoldMs?: number;
  /** How long the client's writes are queued, in ms. @default the client's own throttle */
  readonly writeQueueMs?: () => number;
  /** How many writes the client has begun and ended. @default the client's own count */
  readonly writes?: () => { readonly begun: number; readonly ended: number };
  /** The user the credentials belong to. @default what the client's token exchange said */
  readonly userId?: () => Promise<number | undefined>;
  /** The operations of this process in progress. @default none known: a batch closes on its quiet and age alone */
  readonly operations?: Operations;
  /** The client's limits, for the time singles would need. @default Nexla's light 12/s and high 5/s */
  readonly readsPerSecond?: number;
  readonly heavyReadsPerSecond?: number;
}

/** The lists the provider reads: Nexla's default (the flows the user owns), and every flow they may operate. */
type ListRole = "owner" | "operator";

interface Waiting {
  readonly anchor: Anchor;
  readonly onlyRead: boolean;
  /** The lists still to try, in order; when none is left, a single GET. */
  roles: ListRole[];
  /** Whether the owner's list was tried and did not show it. */
  triedOwner?: boolean;
  /**
   * Runs work in the context of the step that asked (AsyncLocalStorage.snapshot): a read sent for this Flow
   * alone is logged under it, not under whichever Flow's step runs the batch (log.ts, and the native plugin's
   * lines under the resource's URN).
   */
  asAsked<R>(work: () => R): R;
  resolve(response: FlowResponse | undefined): void;
  reject(error: unknown): void;
}

/** What the decision knows: moving averages of measured answer times, in ms. */
interface Measured {
  single: number | undefined;
  list: number | undefined;
  listFlows: number;
}

/** A list sent during this operation: which writes had begun and ended when it was sent, and its answer. */
interface Listing {
  readonly role: ListRole;
  readonly writes: { readonly begun: number; readonly ended: number };
  readonly answer: Promise<FlowList | undefined>;
}

type Limits = { readonly readsPerSecond: number; readonly heavyReadsPerSecond: number };

/** How long Nexla's limits hold back the last of a single GET per anchor, sent all at once, in ms. */
export function singlesWaitMs(anchors: readonly Anchor[], limits: Limits): number {
  const heavy = anchors.filter((a) => a.kind === "data_set").length;
  const light = anchors.length - heavy;
  return Math.max(
    (Math.max(light - 1, 0) / limits.readsPerSecond) * 1000,
    (Math.max(heavy - 1, 0) / limits.heavyReadsPerSecond) * 1000,
  );
}

/** Whether one `GET /flows` is expected to serve `anchors` sooner than a single GET each (see the header). */
export function listIsCheaper(
  anchors: readonly Anchor[],
  measured: { readonly singleMs: number; readonly listMs: number },
  limits: Limits,
): boolean {
  if (anchors.length < 2) return false;
  return measured.listMs < singlesWaitMs(anchors, limits) + measured.singleMs;
}

/** Errors after which this process never lists again: the user may not list flows, or the server cannot. */
const REFUSED = ["forbidden", "not_found", "conflict", "validation", "invalid_response"];

export function coalescedReads(client: NexlaClient, options: CoalesceOptions): FlowReads {
  const { clock } = options;
  const gatherMs = options.gatherMs ?? 100;
  const tickMs = options.tickMs ?? 10;
  const maxGatherMs = options.maxGatherMs ?? 2000;
  const holdWhileWritesQueuedMs = options.holdWhileWritesQueuedMs ?? 1000;
  const maxHoldMs = options.maxHoldMs ?? 60_000;
  const maxWaitForWritersMs = options.maxWaitForWritersMs ?? 5000;
  const activity = activityOf(client);
  const writesQueuedMs = options.writeQueueMs ?? (() => activity?.writeQueueMs() ?? 0);
  const writes = options.writes ?? (() => activity?.writes() ?? { begun: 0, ended: 0 });
  const userId = options.userId ?? (() => activity?.userId() ?? Promise.resolve(undefined));
  const ops = options.operations;
  const limits = {
    readsPerSecond: options.readsPerSecond ?? 12,
    heavyReadsPerSecond: options.heavyReadsPerSecond ?? 5,
  };
  const measured: Measured = { single: undefined, list: undefined, listFlows: 0 };
  let gathering: { readonly waiting: Waiting[]; lastJoin: number } | undefined;
  /** The answer of the newest list sent: a batch's list is sent after it. */
  let listing: Promise<unknown> = Promise.resolve();
  let listsRefused = false;
  /** How many refresh reads have been asked for: lists sent after the first may serve later refresh reads. */
  let refreshReads = 0;
  /** The newest list of each role sent since the first refresh read was asked for. */
  const refreshLists = new Map<ListRole, Listing>();
  let me: Promise<number | undefined> | undefined;
  /** Whether this operation found a flow in the operator list that the owner's did not show. */
  let othersSeen = false;

  const timed = async <T>(work: () => Promise<T>, record: (ms: number) => void): Promise<T> => {
    const began = clock.now();
    const result = await work();
    record(clock.now() - began);
    return result;
  };
  const average = (old: number | undefined, now: number) => (old === undefined ? now : (old + now) / 2);

  const single = (w: Waiting) =>
    timed(
      () => w.asAsked(() => client.tryGetFlow(w.anchor)),
      (ms) => (measured.single = average(measured.single, ms)),
    ).then(w.resolve, w.reject);

  /** Sends a list of `role`; its answer is undefined when the call failed (each Flow is then read on its own). */
  function sendList(role: ListRole): Listing {
    const listed: Listing = {
      role,
      writes: writes(),
      answer: timed(
        () => client.listFlows(role === "owner" ? {} : { accessRole: role }),
        (ms) => (measured.list = average(measured.list, ms)),
      ).then(
        (response) => {
          const list = flowList(response);
          measured.listFlows = list.size;
          return list;
        },
        (error: unknown) => {
          // Refused outright (a user who may not list flows): never again in this process. Anything else
          // (retries exhausted): this batch only.
          if (isNexlaError(error) && REFUSED.includes(error.code)) listsRefused = true;
          if (refreshLists.get(role) === listed) refreshLists.delete(role);
          return undefined;
        },
      ),
    };
    if (refreshReads > 0) refreshLists.set(role, listed);
    listing = listed.answer;
    return listed;
  }

  /** A list this operation took that may serve a refresh read now: no write begun since, none running then. */
  function refreshList(role: ListRole | undefined): Listing | undefined {
    const listed = role === undefined || listsRefused ? undefined : refreshLists.get(role);
    if (listed === undefined) return undefined;
    const now = writes();
    return listed.writes.begun === listed.writes.ended && now.begun === listed.writes.begun
      ? listed
      : undefined;
  }

  /** Serves what `listed` shows, and hands the rest to `rest`; all of them on their own if the list failed. */
  async function serveFrom(
    listed: Listing,
    batch: readonly Waiting[],
    rest: (missing: Waiting[]) => Promise<void>,
  ): Promise<void> {
    const list = await listed.answer;
    if (list === undefined) {
      await Promise.all(batch.map(single));
      return;
    }
    const missing: Waiting[] = [];
    for (const w of batch) {
      const view = list.flowOf(w.anchor);
      if (view === undefined) {
        if (listed.role === "owner") w.triedOwner = true;
        missing.push(w);
        continue;
      }
      // A flow the owner's list did not show and the operator list did: the operation reaches flows the user
      // does not own, and a Flow whose owner is not known goes to the operator list at once from now on.
      if (w.triedOwner === true) othersSeen = true;
      w.resolve(view);
    }
    await rest(missing);
  }

  /**
   * Serves a batch that closed, each Flow by its next list (one list per role, or the list this operation
   * already took for refresh reads) or on its own.
   */
  async function settle(batch: readonly Waiting[]): Promise<void> {
    const byRole = new Map<ListRole, Waiting[]>();
    const singles: Waiting[] = [];
    for (const w of batch) {
      const role = listsRefused ? undefined : w.roles.shift();
      if (role === undefined) singles.push(w);
      else byRole.set(role, [...(byRole.get(role) ?? []), w]);
    }
    // The operator list shows every flow the owner's does: when one is needed, it serves the batch alone.
    const operator = byRole.get("operator");
    const owner = byRole.get("owner");
    if (operator !== undefined && owner !== undefined) {
      for (const w of owner) w.roles = [];
      operator.push(...owner);
      byRole.delete("owner");
    }
    const work: Promise<void>[] = singles.map(single);
    for (const [role, group] of byRole) {
      const refreshOnly = group.every((w) => w.onlyRead);
      const cached = refreshOnly ? refreshList(role) : undefined;
      if (cached !== undefined) {
        work.push(serveFrom(cached, group, settle));
        continue;
      }
      // A refresh of more than one Flow: the list serves every refresh read after this batch too.
      const useList = refreshOnly
        ? group.length >= 2 || refreshReads >= 2
        : listIsCheaper(
            group.map((w) => w.anchor),
            { singleMs: measured.single ?? 0, listMs: measured.list ?? measured.single ?? 0 },
            limits,
          );
      if (!useList) {
        work.push(...group.map(single));
        continue;
      }
      log(
        `${group.length} Flows read together: GET /flows${role === "owner" ? "" : `?access_role=${role}`} ` +
          (measured.listFlows > 0 ? `(${measured.listFlows} flows at the last list)` : "(the first list)"),
      );
      work.push(serveFrom(sendList(role), group, settle));
    }
    await Promise.all(work);
  }

  /**
   * A read not served yet: by the list this operation took for refresh reads, when it may use one, else in the
   * batch being gathered.
   */
  async function route(w: Waiting): Promise<void> {
    const next = w.onlyRead ? refreshList(w.roles[0]) : undefined;
    // The operator list shows every flow the owner's does.
    const wider = w.onlyRead && w.roles.includes("operator") ? refreshList("operator") : undefined;
    const cached = next ?? wider;
    if (cached !== undefined) {
      if (next !== undefined) w.roles.shift();
      else w.roles = [];
      await serveFrom(cached, [w], async (missing) => {
        await Promise.all(missing.map(route));
      });
      return;
    }
    if (gathering !== undefined) {
      gathering.waiting.push(w);
      gathering.lastJoin = clock.now();
      return;
    }
    const open = (gathering = { waiting: [w], lastJoin: clock.now() });
    // Nothing in a batch is left waiting: an unexpected failure reaches every Flow still unanswered.
    gather(open).catch((error: unknown) => {
      for (const v of open.waiting) v.reject(error);
    });
  }

  /** Whether the open batch should close now (see the header). */
  function closing(batch: readonly Waiting[], opened: number, lastJoin: number): boolean {
    const now = clock.now();
    const quiet = now - lastJoin >= gatherMs;
    const elapsed = now - opened;
    if (ops !== undefined) {
      const allHere = ops.running() <= batch.length;
      if (allHere && batch.length >= ops.peak() && now - ops.peakSince() >= gatherMs) return true;
      if (allHere && quiet) return true;
      // The steps not here are writing, or waiting for their turn to: each reads again once done (the engine
      // starts the next step), so the batch waits for them, up to `maxWaitForWritersMs`.
      const { begun, ended } = writes();
      if (!allHere && (begun > ended || writesQueuedMs() > 0) && elapsed < maxWaitForWritersMs) return false;
    } else if (quiet) return true;
    if (elapsed < maxGatherMs) return false;
    if (!batch.every((w) => w.onlyRead)) return true;
    return (
      elapsed >=
      singlesWaitMs(
        batch.map((w) => w.anchor),
        limits,
      )
    );
  }

  async function gather(open: { readonly waiting: Waiting[]; lastJoin: number }): Promise<void> {
    const opened = clock.now();
    const batch = open.waiting;
    await null; // reads asked for in the same turn as the first join first
    while (!closing(batch, opened, open.lastJoin)) await clock.sleep(tickMs);
    const writesQueued = () =>
      !listsRefused && writesQueuedMs() > Math.max(holdWhileWritesQueuedMs, 2 * (measured.list ?? 0));
    while (writesQueued() && clock.now() - opened < maxHoldMs) await clock.sleep(tickMs);
    // A batch waits for the list read before it: its Flows asked after that read was sent.
    await listing;
    if (gathering === open) gathering = undefined;
    await settle(batch);
  }

  /** The lists to try for a flow last seen owned by `ownerId`, in order (see the header). */
  function roles(ownerId: number | undefined): ListRole[] | Promise<ListRole[]> {
    if (ownerId === undefined) return othersSeen ? ["operator"] : ["owner", "operator"];
    me ??= userId().catch(() => undefined);
    return me.then((user) => (user !== undefined && ownerId !== user ? ["operator"] : ["owner", "operator"]));
  }

  return {
    async read(anchor, options) {
      const onlyRead = options?.onlyRead === true;
      if (onlyRead) refreshReads += 1;
      const ladder = roles(options?.ownerId);
      // Without an owner to look up, the read joins its batch at once, as it was asked for.
      const order = Array.isArray(ladder) ? ladder : await ladder;
      return new Promise((resolve, reject) => {
        const asAsked = AsyncLocalStorage.snapshot();
        route({ anchor, onlyRead, roles: order, asAsked, resolve, reject }).catch(reject);
      });
    },
  };
}
