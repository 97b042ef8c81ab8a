/**
 * Coalesced reads (docs/design.md §3, "Reads that scale"). The engine calls read, create, update and delete for
 * many Flows at once in one provider process; each needs a fresh view of its flow. Reads asked for at about the
 * same time are gathered into one batch, and one `GET /flows` (Nexla's whole list, one light-weight call) serves
 * the batch when that is cheaper than one `GET /flows/{id}` (or `GET /{collection}/{id}/flow`) per Flow; a lone
 * read stays a single GET.
 *
 * Never a stale view: a read is served only by a call sent after it was asked for. Nothing is kept between
 * batches but the measured answer times that the next decision uses. A flow the list does not show (by default
 * `GET /flows` lists the flows the user owns) is read on its own, and so is every flow of a batch whose list
 * read failed.
 *
 * The decision, measured: the singles of a batch of n reads take the time Nexla's limits let them through,
 * max over weights of (n_w − 1) / limit_w (light reads 12/s, `data_set` paths 5/s), plus one answer time of a
 * single read; the list takes its own answer time, which grows with its size (every flow, with all its
 * resources). Both answer times are measured from the last answers of each kind (the list's starts at a single
 * read's, until a list has been read once). The list is used when it is the shorter.
 *
 * A batch closes 100 ms after the last read joined it, or after 2 s. A batch of refresh reads (nothing but their
 * answers waits on them) closes later if its Flows, read one by one, would still be held back by the rate limit:
 * a refresh of 1,000 Flows that the engine asks for over 5 s is one batch. A read that writes follow (create,
 * update, delete) does not keep its batch open past 2 s: its writes start the queue the next reads wait for.
 *
 * While the client's writes queue for its rate limit (and lists are not refused), a batch keeps gathering: the Flows it holds would only
 * wait longer for their writes' turn, and an operation writing to many flows (a large `up` or `destroy`, whose
 * steps the engine starts a few at a time) then reads them in a few lists instead of one by one. The batch
 * closes once the queue is down to about the time a batch takes (so writes never run dry), or after
 * `maxHoldMs`; its list read is still sent after every read it serves was asked for.
 */
import { writeQueueMs } from "../../src/nexla/client.js";
import { isNexlaError, type NexlaClient } from "../../src/nexla/index.js";
import type { Anchor } from "../../src/nexla/paths.js";
import type { FlowResponse } from "../../src/nexla/types.js";
import { flowList } from "../../src/planner/index.js";
import { log, type Clock } from "./log.js";

export interface FlowReads {
  /**
   * What `tryGetFlow(anchor)` answers, from a call sent after this one was asked for. `onlyRead`: nothing but
   * this answer waits on the read (a refresh), so its batch may gather for as long as single GETs would take;
   * a read that writes follow joins a batch that closes after 2 s, so that writes start — unless writes are
   * already queued (see the header).
   */
  read(anchor: Anchor, options?: { readonly onlyRead?: boolean }): Promise<FlowResponse | undefined>;
}

export interface CoalesceOptions {
  readonly clock: Clock;
  /** A batch closes once no read has been asked for during this long. @default 100 */
  readonly gatherMs?: number;
  /**
   * …or once it has been open this long (a batch of refresh reads: and longer than a GET per Flow of it would
   * be held back by the rate limit), unless writes are queued (see the header). @default 2000
   */
  readonly maxGatherMs?: number;
  /** While writes are queued for longer than this (or twice a list's answer time), the batch stays open. @default 1000 */
  readonly holdWhileWritesQueuedMs?: number;
  /** The longest a batch stays open for queued writes. @default 60000 */
  readonly maxHoldMs?: number;
  /** How long the client's writes are queued, in ms. @default the client's own throttle */
  readonly writeQueueMs?: () => number;
  /** The client's limits, for the time singles would need. @default Nexla's light 12/s and high 5/s */
  readonly readsPerSecond?: number;
  readonly heavyReadsPerSecond?: number;
}

interface Waiting {
  readonly anchor: Anchor;
  readonly onlyRead: boolean;
  resolve(response: FlowResponse | undefined): void;
  reject(error: unknown): void;
}

/** What the decision knows: moving averages of measured answer times, in ms. */
interface Measured {
  single: number | undefined;
  list: number | undefined;
  listFlows: number;
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

export function coalescedReads(client: NexlaClient, options: CoalesceOptions): FlowReads {
  const { clock } = options;
  const gatherMs = options.gatherMs ?? 100;
  const maxGatherMs = options.maxGatherMs ?? 2000;
  const holdWhileWritesQueuedMs = options.holdWhileWritesQueuedMs ?? 1000;
  const maxHoldMs = options.maxHoldMs ?? 60_000;
  const writesQueuedMs = options.writeQueueMs ?? (() => writeQueueMs(client));
  const limits = {
    readsPerSecond: options.readsPerSecond ?? 12,
    heavyReadsPerSecond: options.heavyReadsPerSecond ?? 5,
  };
  const measured: Measured = { single: undefined, list: undefined, listFlows: 0 };
  let gathering: Waiting[] | undefined;
  let listing: Promise<void> = Promise.resolve();
  let listsRefused = false;

  const timed = async <T>(work: () => Promise<T>, record: (ms: number) => void): Promise<T> => {
    const began = clock.now();
    const result = await work();
    record(clock.now() - began);
    return result;
  };
  const average = (old: number | undefined, now: number) => (old === undefined ? now : (old + now) / 2);

  const single = (w: Waiting) =>
    timed(
      () => client.tryGetFlow(w.anchor),
      (ms) => (measured.single = average(measured.single, ms)),
    ).then(w.resolve, w.reject);

  async function serveByList(batch: readonly Waiting[]): Promise<void> {
    let list;
    try {
      list = flowList(
        await timed(
          () => client.listFlows(),
          (ms) => (measured.list = average(measured.list, ms)),
        ),
      );
    } catch (error) {
      // Refused outright (a user who may not list flows): never again in this process. Anything else
      // (retries exhausted): this batch only. Either way each Flow is read on its own, as without coalescing.
      if (
        isNexlaError(error) &&
        ["forbidden", "not_found", "conflict", "validation", "invalid_response"].includes(error.code)
      )
        listsRefused = true;
      await Promise.all(batch.map(single));
      return;
    }
    measured.listFlows = list.size;
    const missing: Waiting[] = [];
    for (const w of batch) {
      const view = list.flowOf(w.anchor);
      if (view === undefined) missing.push(w);
      else w.resolve(view);
    }
    await Promise.all(missing.map(single));
  }

  async function gather(batch: Waiting[]): Promise<void> {
    const opened = clock.now();
    // Open while reads keep coming, up to maxGatherMs; a batch of refresh reads only (nothing else waits on
    // them) also as long as a GET per Flow gathered so far would still be held back by the rate limit: waiting
    // in the batch is then no later than reading one by one. A read that writes follow closes the batch at
    // maxGatherMs, so the writes start and the next reads wait for their queue instead (below).
    const open = () => {
      const elapsed = clock.now() - opened;
      if (elapsed < maxGatherMs) return true;
      if (!batch.every((w) => w.onlyRead)) return false;
      return (
        elapsed <
        singlesWaitMs(
          batch.map((w) => w.anchor),
          limits,
        )
      );
    };
    for (let seen = -1; seen !== batch.length && open();) {
      seen = batch.length;
      await clock.sleep(gatherMs);
    }
    const writesQueued = () =>
      !listsRefused && writesQueuedMs() > Math.max(holdWhileWritesQueuedMs, 2 * (measured.list ?? 0));
    while (writesQueued() && clock.now() - opened < maxHoldMs) await clock.sleep(gatherMs);
    // A batch waits for the list read before it: its Flows asked after that read was sent.
    await listing;
    if (gathering === batch) gathering = undefined;
    const anchors = batch.map((w) => w.anchor);
    const useList =
      !listsRefused &&
      listIsCheaper(
        anchors,
        { singleMs: measured.single ?? 0, listMs: measured.list ?? measured.single ?? 0 },
        limits,
      );
    if (!useList) {
      for (const w of batch) void single(w);
      return;
    }
    log(
      `${batch.length} Flows read together: GET /flows (${measured.listFlows || "?"} flows at the last read)`,
    );
    listing = serveByList(batch);
    await listing;
  }

  return {
    read(anchor, options) {
      return new Promise((resolve, reject) => {
        const waiting = { anchor, onlyRead: options?.onlyRead === true, resolve, reject };
        if (gathering !== undefined) {
          gathering.push(waiting);
          return;
        }
        const batch = (gathering = [waiting]);
        // Nothing in a batch is left waiting: an unexpected failure reaches every Flow still unanswered.
        gather(batch).catch((error: unknown) => {
          for (const w of batch) w.reject(error);
        });
      });
    },
  };
}
