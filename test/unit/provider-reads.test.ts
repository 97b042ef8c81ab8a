/**
 * Coalesced reads (provider/internal/reads.ts) against a fake Nexla in memory, on the tests' fake clock (time moves
 * only by the reads' own sleeps, or when a test moves it): which calls are made, what each Flow is served, and that
 * no read is served by a call sent before it was asked for.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { coalescedReads, listIsCheaper, type FlowReads } from "../../provider/internal/reads.js";
import type { Operations } from "../../provider/internal/operations.js";
import type { Anchor, ListFlowsOptions } from "../../src/nexla/paths.js";
import type { FlowResponse, NexlaClient } from "../../src/nexla/index.js";
import { NexlaError } from "../../src/nexla/index.js";
import { observe } from "../../src/planner/index.js";
import { flowResponse, spec } from "./planner-fixtures.js";
import { TestClock, turn } from "../fixtures/clock.js";

/** Flow k: origin node 100k, source 1000k, set 2000k, sink 3000k. */
const flowK = (k: number, status = "ACTIVE") =>
  flowResponse(
    spec.src(100 * k, 1000 * k, {
      status,
      children: [
        spec.set(100 * k + 1, 2000 * k, { status, children: [spec.sink(100 * k + 2, 3000 * k, { status })] }),
      ],
    }),
    `flow-${k}`,
  );

/** The user the fake Nexla's credentials belong to. */
const ME = 7;

/**
 * A Nexla holding flows 1..n, logging each call; `hold` delays list answers. Flow k is owned by `ownerOf(k)`
 * (ME by default): `GET /flows` lists those ME owns, `?access_role=operator` all of them; neither lists a flow
 * above `listed`.
 */
function fakeNexla(
  n: number,
  options: { listed?: number; listFails?: NexlaError; ownerOf?: (k: number) => number } = {},
) {
  const ownerOf = options.ownerOf ?? (() => ME);
  const statuses = new Map<number, string>(Array.from({ length: n }, (_, i) => [i + 1, "ACTIVE"]));
  const calls: string[] = [];
  const gates: (() => void)[] = [];
  let holding = false;
  const current = (k: number) => flowK(k, statuses.get(k));
  const kOf = (anchor: Anchor) =>
    anchor.kind === "flow" ? Math.floor(anchor.id / 100) : Math.floor(anchor.id / 1000) % 1000;
  let writeQueueMs = 0;
  const client = {
    tryGetFlow: async (anchor: Anchor) => {
      calls.push(anchor.kind === "flow" ? `GET /flows/${anchor.id}` : `GET ${anchor.kind} ${anchor.id}`);
      const k = kOf(anchor);
      return statuses.has(k) ? current(k) : undefined;
    },
    listFlows: async (list?: ListFlowsOptions) => {
      const role = list?.accessRole ?? "owner";
      calls.push(role === "owner" ? "GET /flows" : `GET /flows?access_role=${role}`);
      if (options.listFails) throw options.listFails;
      // The answer is rendered now, when the call arrives: a later change is not in it.
      const flows = Array.from({ length: Math.min(options.listed ?? n, n) }, (_, i) => i + 1)
        .filter((k) => role !== "owner" || ownerOf(k) === ME)
        .map(current);
      if (holding) await new Promise<void>((resolve) => gates.push(resolve));
      return {
        flows: flows.flatMap((f) => f.flows),
        data_sources: flows.flatMap((f) => f.data_sources ?? []),
        data_sets: flows.flatMap((f) => f.data_sets ?? []),
        data_sinks: flows.flatMap((f) => f.data_sinks ?? []),
      } as FlowResponse;
    },
  } as unknown as NexlaClient;
  const writes = { begun: 0, ended: 0 };
  return {
    client,
    /** For coalescedReads: how long the client's writes are queued for its rate limit. */
    writeQueueMs: () => writeQueueMs,
    /** For coalescedReads: the writes this process has begun and ended. */
    writes: () => ({ ...writes }),
    /** This process writes (a pause, say): begun now, ended when `end` is called. */
    write: () => {
      writes.begun += 1;
      return { end: () => void (writes.ended += 1) };
    },
    calls,
    set: (k: number, status: string) => statuses.set(k, status),
    /** How long the client's writes are queued for its rate limit. */
    queueWrites: (ms: number) => void (writeQueueMs = ms),
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      for (const gate of gates.splice(0)) gate();
    },
  };
}

/**
 * Coalesced reads of a fake Nexla of `n` flows. Time moves by each sleep at once, unless `clock` says otherwise;
 * no answer of the fake Nexla sleeps, so every one is measured at 0 ms.
 */
function readsOf(
  n: number,
  options: Parameters<typeof fakeNexla>[1] & {
    clock?: TestClock;
    maxHoldMs?: number;
    /** Whether the token exchange said who the credentials belong to (ME). @default false */
    userKnown?: boolean;
    operations?: Operations;
  } = {},
) {
  const nexla = fakeNexla(n, options);
  const { clock = new TestClock(), maxHoldMs, operations } = options;
  const reads = coalescedReads(nexla.client, {
    writeQueueMs: nexla.writeQueueMs,
    writes: nexla.writes,
    userId: async () => (options.userKnown === true ? ME : undefined),
    clock,
    // One look per gathering pause: a turn of the tests' loops is then 100 ms of the fake clock.
    tickMs: 100,
    ...(maxHoldMs === undefined ? {} : { maxHoldMs }),
    ...(operations === undefined ? {} : { operations }),
  });
  return { nexla, clock, reads };
}
const turns = async (n: number) => {
  for (let i = 0; i < n; i += 1) await turn();
};

const flowAnchor = (k: number): Anchor => ({ kind: "flow", id: 100 * k });
const range8 = [1, 2, 3, 4, 5, 6, 7, 8];
const statusOf = (response: FlowResponse | undefined, anchor: Anchor) =>
  response === undefined ? "gone" : observe(response, anchor, "flow").status;
/** What each read of flows `ks` was served, by status: `1 ACTIVE`, `9 gone`. */
const served = (responses: readonly (FlowResponse | undefined)[], ks: readonly number[]) =>
  responses.map((r, i) => `${ks[i]} ${statusOf(r, flowAnchor(ks[i]!))}`);

describe("coalesced reads", () => {
  it("reads a lone Flow with a single GET", async () => {
    const { nexla, reads } = readsOf(3);
    expect(statusOf(await reads.read(flowAnchor(2)), flowAnchor(2))).toBe("ACTIVE");
    expect(nexla.calls).toEqual(["GET /flows/200"]);
  });

  it("serves many Flows asked for together with one GET /flows, each the view a single GET gives", async () => {
    const { nexla, reads } = readsOf(50);
    const anchors: Anchor[] = [
      ...Array.from({ length: 40 }, (_, i) => flowAnchor(i + 1)),
      { kind: "data_set", id: 2000 * 45 },
      { kind: "data_sink", id: 3000 * 46 },
    ];
    const answers = await Promise.all(anchors.map((a) => reads.read(a)));
    expect(nexla.calls).toEqual(["GET /flows"]);
    answers.forEach((answer, i) => {
      const anchor = anchors[i]!;
      expect(observe(answer!, anchor, "flow")).toEqual(
        observe(flowK(i < 40 ? i + 1 : i + 5), anchor, "flow"),
      );
    });
  });

  it("sees a flow changed in Nexla between two reads of the same run: no read is served by a call sent before it", async () => {
    // Sleeps wait for the test to move time. A batch closes once no read has joined it for 100 ms.
    const { nexla, clock, reads } = readsOf(10, { clock: new TestClock(0, "hold") });
    nexla.hold();
    const first = Promise.all([1, 2, 3].map((k) => reads.read(flowAnchor(k))));
    await turn(); // the batch opens and sleeps
    await clock.advance(200); // the batch closes: the list is sent and rendered, its answer held
    expect(nexla.calls).toEqual(["GET /flows"]);
    nexla.set(2, "PAUSED"); // a person pauses flow 2 in Nexla's UI
    const second = Promise.all([2, 4, 5, 6].map((k) => reads.read(flowAnchor(k))));
    nexla.release(); // the list is measured at 100 ms: four singles would take longer
    expect(served(await first, [1, 2, 3])).toEqual(["1 ACTIVE", "2 ACTIVE", "3 ACTIVE"]);
    await clock.advance(200); // the second batch closes
    expect(statusOf((await second)[0], flowAnchor(2))).toBe("PAUSED");
    expect(nexla.calls).toEqual(["GET /flows", "GET /flows"]);
  });

  it("keeps a batch of refresh reads open past 2 s while Flows keep coming faster than single GETs could be sent", async () => {
    const run = async (onlyRead: (k: number) => boolean) => {
      const { nexla, reads } = readsOf(80);
      const answers: Promise<FlowResponse | undefined>[] = [];
      for (let k = 1; k <= 80; k += 2) {
        // 20 a second, more than Nexla's 12 reads a second, for 4 s.
        for (const j of [k, k + 1]) answers.push(reads.read(flowAnchor(j), { onlyRead: onlyRead(j) }));
        await turns(1);
      }
      await Promise.all(answers);
      return nexla.calls;
    };
    expect(await run(() => true)).toEqual(["GET /flows"]);
    // Reads that writes follow: the batch closes at 2 s so that the writes start, and the next batch's reads
    // wait for a list of their own.
    expect(await run(() => false)).toEqual(["GET /flows", "GET /flows"]);
    // One such read in a batch of refresh reads closes it at 2 s too; the refresh reads after it are served by
    // the list that batch took (no write since).
    expect(await run((k) => k !== 3)).toEqual(["GET /flows"]);
  });

  describe("while the client's writes are queued", () => {
    it("keeps the batch open: Flows asked for one by one share one GET /flows, sent after the last of them", async () => {
      const { nexla, reads } = readsOf(10);
      nexla.queueWrites(5000);
      const answers: Promise<FlowResponse | undefined>[] = [];
      for (const k of [1, 2, 3, 4]) {
        answers.push(reads.read(flowAnchor(k)));
        await turns(30); // 3 s of fake time between two Flows: far more than a batch gathers without writes
      }
      expect(nexla.calls).toEqual([]);
      nexla.set(4, "PAUSED"); // changed after flow 4 was asked for, before the list is sent: the list shows it
      nexla.queueWrites(900); // under a second of writes left: the batch closes
      const answered = await Promise.all(answers);
      expect(nexla.calls).toEqual(["GET /flows"]);
      expect(served(answered, [1, 2, 3, 4])).toEqual(["1 ACTIVE", "2 ACTIVE", "3 ACTIVE", "4 PAUSED"]);
    });

    it("serves a lone Flow when writes stay queued longer than maxHoldMs, and holds nothing without a queue", async () => {
      const { nexla, clock, reads } = readsOf(3, { maxHoldMs: 10_000 });
      nexla.queueWrites(5000);
      expect(statusOf(await reads.read(flowAnchor(1)), flowAnchor(1))).toBe("ACTIVE");
      expect(clock.now()).toBe(10_000);
      nexla.queueWrites(0);
      const before = clock.now();
      await reads.read(flowAnchor(2));
      expect(clock.now() - before).toBe(100); // one gathering pause only
      expect(nexla.calls).toEqual(["GET /flows/100", "GET /flows/200"]);
    });

    it("closes a batch that keeps growing at maxHoldMs", async () => {
      const { nexla, reads } = readsOf(200, { maxHoldMs: 10_000 });
      nexla.queueWrites(5000);
      const answers: Promise<FlowResponse | undefined>[] = [];
      for (let k = 1; k <= 150; k += 1) {
        answers.push(reads.read(flowAnchor(k))); // one every 100 ms for 15 s, writes queued all along
        await turns(1);
      }
      nexla.queueWrites(0);
      await Promise.all(answers);
      expect(nexla.calls.filter((c) => c === "GET /flows").length).toBe(2);
    });

    it("holds nothing once Nexla refused the list: the Flows are read one by one anyway", async () => {
      const refused = new NexlaError("no", { code: "forbidden" });
      const { nexla, clock, reads } = readsOf(3, { listFails: refused });
      await Promise.all([1, 2].map((k) => reads.read(flowAnchor(k)))); // the list is refused once
      nexla.queueWrites(5000);
      const before = clock.now();
      await reads.read(flowAnchor(3));
      expect(clock.now() - before).toBe(100);
      expect(nexla.calls).toEqual(["GET /flows", "GET /flows/100", "GET /flows/200", "GET /flows/300"]);
    });
  });

  it("reads on its own a flow no list shows, and says gone only on its own 404", async () => {
    const { nexla, reads } = readsOf(5, { listed: 3 });
    const answers = await Promise.all([1, 2, 4, 9].map((k) => reads.read(flowAnchor(k))));
    expect(served(answers, [1, 2, 4, 9])).toEqual(["1 ACTIVE", "2 ACTIVE", "4 ACTIVE", "9 gone"]);
    // Not in the owner's list: the operator list, for both at once; then each on its own.
    expect(nexla.calls).toEqual([
      "GET /flows",
      "GET /flows?access_role=operator",
      "GET /flows/400",
      "GET /flows/900",
    ]);
  });

  describe("flows the user operates but does not own", () => {
    const others = (k: number) => (k <= 5 ? ME : 3); // flows 6..20 belong to user 3

    it("reads them with access_role=operator, after the owner's list, when nobody said who the user is", async () => {
      const { nexla, reads } = readsOf(20, { ownerOf: others });
      const ks = [1, 6, 7, 8];
      const answers = await Promise.all(ks.map((k) => reads.read(flowAnchor(k), { ownerId: others(k) })));
      expect(served(answers, ks)).toEqual(["1 ACTIVE", "6 ACTIVE", "7 ACTIVE", "8 ACTIVE"]);
      expect(nexla.calls).toEqual(["GET /flows", "GET /flows?access_role=operator"]);
    });

    it("goes straight to the operator list for a flow last seen owned by another user than the credentials'", async () => {
      const { nexla, reads } = readsOf(20, { ownerOf: others, userKnown: true });
      const ks = [6, 7, 8, 9];
      const answers = await Promise.all(ks.map((k) => reads.read(flowAnchor(k), { ownerId: 3 })));
      expect(served(answers, ks)).toEqual(["6 ACTIVE", "7 ACTIVE", "8 ACTIVE", "9 ACTIVE"]);
      expect(nexla.calls).toEqual(["GET /flows?access_role=operator"]);
      // The owner's own flows: the owner's list; one whose owner changed since is found in the operator list.
      nexla.calls.length = 0;
      const mine = await Promise.all([1, 2, 10].map((k) => reads.read(flowAnchor(k), { ownerId: ME })));
      expect(served(mine, [1, 2, 10])).toEqual(["1 ACTIVE", "2 ACTIVE", "10 ACTIVE"]);
      expect(nexla.calls).toEqual(["GET /flows", "GET /flows/1000"]);
    });

    it("once the operator list showed a flow the owner's did not, reads Flows of unknown owner from it at once", async () => {
      const { nexla, reads } = readsOf(20, { ownerOf: others });
      await Promise.all([6, 7].map((k) => reads.read(flowAnchor(k))));
      expect(nexla.calls).toEqual(["GET /flows", "GET /flows?access_role=operator"]);
      const answers = await Promise.all([8, 9, 1].map((k) => reads.read(flowAnchor(k))));
      expect(served(answers, [8, 9, 1])).toEqual(["8 ACTIVE", "9 ACTIVE", "1 ACTIVE"]);
      expect(nexla.calls).toEqual([
        "GET /flows",
        "GET /flows?access_role=operator",
        "GET /flows?access_role=operator",
      ]);
    });

    it("serves the owner's own flows from the operator list too when a batch needs that list anyway", async () => {
      const { nexla, reads } = readsOf(20, { ownerOf: others, userKnown: true });
      const ks = [1, 2, 6, 7];
      const answers = await Promise.all(ks.map((k) => reads.read(flowAnchor(k), { ownerId: others(k) })));
      expect(served(answers, ks)).toEqual(["1 ACTIVE", "2 ACTIVE", "6 ACTIVE", "7 ACTIVE"]);
      expect(nexla.calls).toEqual(["GET /flows?access_role=operator"]);
    });
  });

  describe("a refresh", () => {
    /** `n` refresh reads, `parallel` at a time, each group asked for once the one before is answered. */
    const refresh = async (reads: FlowReads, ks: readonly number[], parallel: number) => {
      const answers: (FlowResponse | undefined)[] = [];
      for (let i = 0; i < ks.length; i += parallel) {
        const group = ks.slice(i, i + parallel);
        answers.push(...(await Promise.all(group.map((k) => reads.read(flowAnchor(k), { onlyRead: true })))));
      }
      return answers;
    };
    const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

    it("is one list at any parallelism: later refresh reads are served by the list the first batch took", async () => {
      for (const parallel of [1, 2, 8, 16, 200]) {
        const { nexla, reads } = readsOf(200);
        const answers = await refresh(reads, range(200), parallel);
        expect(answers.every((a, i) => statusOf(a, flowAnchor(i + 1)) === "ACTIVE")).toBe(true);
        // One at a time, the first read is a lone GET; the list the second batch takes serves all the rest.
        expect(nexla.calls).toEqual(parallel === 1 ? ["GET /flows/100", "GET /flows"] : ["GET /flows"]);
      }
    });

    it("takes a new list once this process has written since (or was writing when) the list was sent", async () => {
      const { nexla, reads } = readsOf(40);
      await refresh(reads, range(8), 8);
      const pause = nexla.write(); // a write of this process begins…
      nexla.set(9, "PAUSED");
      const [nine] = await refresh(reads, [9, 10], 2);
      expect(statusOf(nine, flowAnchor(9))).toBe("PAUSED");
      expect(nexla.calls).toEqual(["GET /flows", "GET /flows"]);
      // …and is still running when that second list was sent: the next refresh reads need one more.
      pause.end();
      await refresh(reads, [11, 12], 2);
      expect(nexla.calls).toEqual(["GET /flows", "GET /flows", "GET /flows"]);
      await refresh(reads, [13, 14, 15], 3);
      expect(nexla.calls).toHaveLength(3);
    });

    it("never serves a read that writes follow from the refresh's list: it gets a call sent after it was asked", async () => {
      const { nexla, reads } = readsOf(40);
      await refresh(reads, range(8), 8);
      nexla.set(3, "PAUSED"); // a person pauses flow 3 after the refresh's list was taken
      expect(statusOf(await reads.read(flowAnchor(3)), flowAnchor(3))).toBe("PAUSED");
      expect(nexla.calls).toEqual(["GET /flows", "GET /flows/300"]);
      // A refresh read still gets the refresh's picture: one moment of Nexla, before the change.
      expect(statusOf(await reads.read(flowAnchor(3), { onlyRead: true }), flowAnchor(3))).toBe("ACTIVE");
      expect(nexla.calls).toHaveLength(2);
    });
  });

  it("waits for the steps in progress that are writing: they read again once done, in the same list", async () => {
    const operations: Operations = { running: () => 8, peak: () => 8, peakSince: () => -1000 };
    const { nexla, clock, reads } = readsOf(40, { operations });
    const pause = nexla.write(); // four steps are writing
    const first = [1, 2, 3, 4].map((k) => reads.read(flowAnchor(k)));
    await turns(30); // 3 s: longer than a batch gathers, shorter than it waits for writers
    expect(nexla.calls).toEqual([]);
    pause.end(); // their writes done, the engine starts four more steps, which read
    const answers = await Promise.all([...first, ...[5, 6, 7, 8].map((k) => reads.read(flowAnchor(k)))]);
    expect(answers.every((a, i) => statusOf(a, flowAnchor(i + 1)) === "ACTIVE")).toBe(true);
    expect(nexla.calls).toEqual(["GET /flows"]);
    // A writer that takes longer than 5 s: the batch goes without it.
    const slow = nexla.write();
    const started = clock.now();
    await Promise.all([9, 10].map((k) => reads.read(flowAnchor(k))));
    expect(clock.now() - started).toBe(5000);
    slow.end();
  });

  it("closes a batch at once when every operation in progress waits in it, as many as ever ran at once", async () => {
    const running = { now: 8 };
    const operations: Operations = { running: () => running.now, peak: () => 8, peakSince: () => -1000 };
    const { nexla, clock, reads } = readsOf(40, { operations });
    const answers = Promise.all(range8.map((k) => reads.read(flowAnchor(k))));
    await turn();
    expect(nexla.calls).toEqual(["GET /flows"]);
    expect(clock.now()).toBe(0);
    await answers;
    // Fewer than ever ran at once, but all of those running: 100 ms without another joining.
    running.now = 3;
    const before = clock.now();
    await Promise.all([9, 10, 11].map((k) => reads.read(flowAnchor(k))));
    expect(clock.now() - before).toBe(100);
    // One running elsewhere (writing, say): the batch waits for it, up to 2 s.
    running.now = 4;
    const start = clock.now();
    await Promise.all([12, 13, 14].map((k) => reads.read(flowAnchor(k))));
    expect(clock.now() - start).toBe(2000);
    expect(nexla.calls).toEqual(["GET /flows", "GET /flows", "GET /flows"]);
  });

  it("reads each Flow on its own when the list read fails, and stops listing when Nexla refuses it", async () => {
    const forbidden = new NexlaError("no", { code: "forbidden" });
    const { nexla, reads } = readsOf(3, { listFails: forbidden });
    await Promise.all([1, 2].map((k) => reads.read(flowAnchor(k))));
    await Promise.all([1, 3].map((k) => reads.read(flowAnchor(k))));
    expect(nexla.calls).toEqual([
      "GET /flows",
      "GET /flows/100",
      "GET /flows/200",
      "GET /flows/100",
      "GET /flows/300",
    ]);
  });

  it("sends a Flow's own read in the context of the step that asked, whichever step's turn sends the batch", async () => {
    // Each step's log lines name its Flow through an AsyncLocalStorage (log.ts, and the native plugin's URN).
    // Nexla refuses the list: both are read on their own, sent by the batch.
    const { nexla, reads } = readsOf(3, { listFails: new NexlaError("no", { code: "forbidden" }) });
    const step = new AsyncLocalStorage<string>();
    const sentFor: string[] = [];
    const get = nexla.client.tryGetFlow.bind(nexla.client);
    nexla.client.tryGetFlow = (anchor: Anchor) => {
      sentFor.push(`${anchor.id} for ${step.getStore() ?? "nobody"}`);
      return get(anchor);
    };
    await Promise.all([
      step.run("orders", () => reads.read(flowAnchor(1))),
      step.run("archive", () => reads.read(flowAnchor(2))),
    ]);
    expect(nexla.calls).toEqual(["GET /flows", "GET /flows/100", "GET /flows/200"]);
    expect(sentFor).toEqual(["100 for orders", "200 for archive"]);
  });

  it("passes a single read's error to its Flow alone", async () => {
    const nexla = fakeNexla(3);
    const failing = {
      ...nexla.client,
      tryGetFlow: async () => Promise.reject(new NexlaError("down", { code: "server" })),
    } as NexlaClient;
    const reads = coalescedReads(failing, { clock: new TestClock() });
    await expect(reads.read(flowAnchor(1))).rejects.toThrow("down");
  });
});

describe("listIsCheaper: one GET /flows or a GET per Flow, from Nexla's weights and measured answer times", () => {
  const limits = { readsPerSecond: 12, heavyReadsPerSecond: 5 };
  const flows = (n: number) => Array.from({ length: n }, (_, i) => flowAnchor(i + 1));
  const sets = (n: number) => Array.from({ length: n }, (_, i): Anchor => ({ kind: "data_set", id: i + 1 }));

  it("never lists for a lone read", () => {
    expect(listIsCheaper(flows(1), { singleMs: 50, listMs: 0 }, limits)).toBe(false);
  });

  it("lists when the singles would wait on the rate limit longer than the list takes", () => {
    // 2 light reads: the second waits 1/12 s; a list of 60 ms beats 83 + 20 ms.
    expect(listIsCheaper(flows(2), { singleMs: 20, listMs: 60 }, limits)).toBe(true);
    // A list measured at 2 s (a large account) is worth it only from 24 reads on.
    expect(listIsCheaper(flows(23), { singleMs: 20, listMs: 2000 }, limits)).toBe(false);
    expect(listIsCheaper(flows(25), { singleMs: 20, listMs: 2000 }, limits)).toBe(true);
  });

  it("weighs data_set paths at Nexla's high weight (5/s)", () => {
    expect(listIsCheaper(sets(3), { singleMs: 20, listMs: 400 }, limits)).toBe(true);
    expect(listIsCheaper(flows(3), { singleMs: 20, listMs: 400 }, limits)).toBe(false);
  });
});
