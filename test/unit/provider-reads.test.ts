/**
 * Coalesced reads (provider/internal/reads.ts) against a fake Nexla in memory, on the tests' fake clock (time moves
 * only by the reads' own sleeps, or when a test moves it): which calls are made, what each Flow is served, and that
 * no read is served by a call sent before it was asked for.
 */
import { describe, expect, it } from "vitest";
import { coalescedReads, listIsCheaper } from "../../provider/internal/reads.js";
import type { Anchor } from "../../src/nexla/paths.js";
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

/** A Nexla holding flows 1..n (flows listed only up to `listed`), logging each call; `hold` delays list answers. */
function fakeNexla(n: number, options: { listed?: number; listFails?: NexlaError } = {}) {
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
    listFlows: async () => {
      calls.push("GET /flows");
      if (options.listFails) throw options.listFails;
      // The answer is rendered now, when the call arrives: a later change is not in it.
      const flows = Array.from({ length: Math.min(options.listed ?? n, n) }, (_, i) => current(i + 1));
      if (holding) await new Promise<void>((resolve) => gates.push(resolve));
      return {
        flows: flows.flatMap((f) => f.flows),
        data_sources: flows.flatMap((f) => f.data_sources ?? []),
        data_sets: flows.flatMap((f) => f.data_sets ?? []),
        data_sinks: flows.flatMap((f) => f.data_sinks ?? []),
      } as FlowResponse;
    },
  } as unknown as NexlaClient;
  return {
    client,
    /** For coalescedReads: how long the client's writes are queued for its rate limit. */
    writeQueueMs: () => writeQueueMs,
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
  options: Parameters<typeof fakeNexla>[1] & { clock?: TestClock; maxHoldMs?: number } = {},
) {
  const nexla = fakeNexla(n, options);
  const { clock = new TestClock(), maxHoldMs } = options;
  const reads = coalescedReads(nexla.client, {
    writeQueueMs: nexla.writeQueueMs,
    clock,
    ...(maxHoldMs === undefined ? {} : { maxHoldMs }),
  });
  return { nexla, clock, reads };
}
const turns = async (n: number) => {
  for (let i = 0; i < n; i += 1) await turn();
};

const flowAnchor = (k: number): Anchor => ({ kind: "flow", id: 100 * k });
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
    // Sleeps wait for the test to move time. A batch closes once a 100 ms pause saw no read join: its reads all
    // joined during its first pause, so it closes at its second, 200 ms after it opened.
    const { nexla, clock, reads } = readsOf(10, { clock: new TestClock(0, "hold") });
    nexla.hold();
    const first = Promise.all([1, 2, 3].map((k) => reads.read(flowAnchor(k))));
    await clock.advance(200); // the batch closes: the list is sent and rendered, its answer held
    expect(nexla.calls).toEqual(["GET /flows"]);
    nexla.set(2, "PAUSED"); // a person pauses flow 2 in Nexla's UI
    const second = Promise.all([2, 4].map((k) => reads.read(flowAnchor(k))));
    nexla.release(); // answered at once: the list is measured at 0 ms, as the singles are
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
    // Reads that writes follow: the batch closes at 2 s so that the writes start; one such read in a batch of
    // refresh reads is enough.
    expect(await run(() => false)).toEqual(["GET /flows", "GET /flows"]);
    expect(await run((k) => k !== 3)).toEqual(["GET /flows", "GET /flows"]);
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

  it("reads on its own a flow the list does not show, and says gone only on its own 404", async () => {
    const { nexla, reads } = readsOf(5, { listed: 3 });
    const answers = await Promise.all([1, 2, 4, 9].map((k) => reads.read(flowAnchor(k))));
    expect(served(answers, [1, 2, 4, 9])).toEqual(["1 ACTIVE", "2 ACTIVE", "4 ACTIVE", "9 gone"]);
    expect(nexla.calls).toEqual(["GET /flows", "GET /flows/400", "GET /flows/900"]);
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
