/**
 * The provider's methods (what the engine calls) against the emulator over HTTP on 127.0.0.1, checked
 * through the emulator's request log and state.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createEmulator,
  isWrite,
  requestLine,
  type Emulator,
  type RunningEmulator,
} from "pulumi-nexla/emulator";
import * as provider from "../../provider/runtime.js";
import { moveSubtree } from "../fixtures/seed-edits.js";
import { forgetDeclarations } from "../../provider/internal/overlap.js";
import { UNKNOWN } from "../../src/declaration/schema.js";
import { TestClock } from "../fixtures/clock.js";
import { newProviderProcess } from "../fixtures/provider-process.js";
import { emulatorOverHttp } from "../fixtures/emulator.js";

const base = { scope: "flow", convergeTimeoutSeconds: 10 } as const;
const served = emulatorOverHttp();
const { emulator } = served;

function useCredentials(
  credential: { NEXLA_SERVICE_KEY: string } | { NEXLA_ACCESS_TOKEN: string },
  url = served.url,
) {
  delete process.env["NEXLA_SERVICE_KEY"];
  delete process.env["NEXLA_ACCESS_TOKEN"];
  Object.assign(process.env, { NEXLA_API_URL: url }, credential);
}

const writes = () => emulator.control.requests().filter(isWrite).map(requestLine);
const statusOf = (kind: "data_sources" | "data_sets" | "data_sinks", id: number) =>
  emulator.control.state()[kind].find((r) => r.id === id)?.status;

beforeEach(() => {
  emulator.control.reset();
  useCredentials({ NEXLA_SERVICE_KEY: "emu-super-service-key" });
});
afterEach(() => {
  emulator.control.clearFaults();
  // Every call the provider made is one the emulator models (docs/design.md §8.4: no unhandled requests).
  expect(emulator.control.unhandled()).toEqual([]);
});

describe("create adopts an existing flow and reconciles it", () => {
  it("activates a paused flow, whole-flow scope", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 300, status: "ACTIVE" });
    expect(id).toBe("300");
    expect(writes()).toEqual(["PUT /flows/300/activate?full_tree=1"]);
    expect(outs).toMatchObject({
      status: "ACTIVE",
      originNodeId: 300,
      flowName: "billing-export",
      flowOwner: { ownerId: 3, orgId: 2 },
    });
  });

  it("pauses a sub-flow anchored on a data set, leaving the rest of the flow running", async () => {
    const { id, outs } = await provider.create({
      ...base,
      dataSetId: 2101,
      scope: "downstream",
      status: "PAUSED",
    });
    expect(id).toBe("200/202");
    expect(writes()).toEqual(["PUT /data_sets/2101/flow/pause"]);
    expect(outs?.["dataSets"]).toEqual(
      [2101, 2102, 2103].map((id) => expect.objectContaining({ id, status: "PAUSED", ownerId: 2, orgId: 2 })),
    );
    expect([
      statusOf("data_sets", 2100),
      statusOf("data_sinks", 3100),
      statusOf("data_sources", 1100),
    ]).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"]);
  });

  it("pauses a whole flow addressed through one of its sinks with all=1", async () => {
    await provider.create({ ...base, dataSinkId: 3102, status: "PAUSED" });
    expect(writes()).toEqual(["PUT /data_sinks/3102/flow/pause?all=1"]);
    expect(statusOf("data_sources", 1100)).toBe("PAUSED");
  });

  it("takes the write's own answer as the confirmation: no read follows it", async () => {
    await provider.create({ ...base, flowId: 300, status: "ACTIVE" });
    expect(
      emulator.control
        .requests()
        .filter((r) => r.path !== "/token" && r.status !== 401)
        .map(requestLine),
    ).toEqual(["GET /flows/300", "PUT /flows/300/activate?full_tree=1"]);
  });

  it("makes no call when the flow is already as declared", async () => {
    await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    expect(writes()).toEqual([]);
  });

  it("reports a RATE_LIMITED source plainly instead of calling Nexla for a refusal", async () => {
    const error = (await provider
      .create({ ...base, flowId: 400, status: "PAUSED" })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatchInlineSnapshot(
      `"Could not pause flow 400 (PUT /flows/400/pause?full_tree=1): data_source 1300 is RATE_LIMITED, and Nexla refuses to activate or pause a flow whose source is rate limited (400 "Flow is rate limited"). Wait until the rate limit lifts, or ask Nexla support to lift it, then run again; no call was made."`,
    );
    expect(writes()).toEqual([]);
    expect(error).toMatchObject({ id: "400", properties: { status: "MIXED", rateLimited: [1300] } });
  });

  it("says Flow manages existing flows when the flow does not exist", async () => {
    await expect(provider.create({ ...base, dataSetId: 424242, status: "ACTIVE" })).rejects.toThrow(
      "Could not adopt flow of data_set 424242 (GET /data_sets/424242/flow): Nexla has no such flow. Flow manages " +
        "flows that already exist in Nexla: create the flow there first, then declare it here with its id.",
    );
  });
});

describe("ownership", () => {
  const owner = (ownerId: number, orgId: number) => ({
    ownerId,
    orgId,
    includeDataCredentials: true,
    includeCodeContainers: true,
  });

  it("transfers the whole flow with its credentials and code containers", async () => {
    const { outs } = await provider.create({
      ...base,
      dataSetId: 2101,
      scope: "downstream",
      status: "ACTIVE",
      owner: owner(3, 2),
    });
    expect(writes()).toEqual(["PUT /data_sets/2101/flow"]);
    const state = emulator.control.state();
    expect(new Set(state.data_sets.filter((s) => s.origin_node_id === 200).map((s) => s.owner_id))).toEqual(
      new Set([3]),
    );
    expect(state.code_containers.find((c) => c.id === 9500)?.owner_id).toBe(3);
    expect(outs).toMatchObject({ owner: owner(3, 2), flowOwner: { ownerId: 3, orgId: 2 } });
  });

  it("pauses before handing over, and hands over before activating", async () => {
    await provider.create({ ...base, flowId: 100, status: "PAUSED", owner: owner(3, 2) });
    expect(writes()).toEqual(["PUT /flows/100/pause?full_tree=1", "PUT /flows/100"]);
    emulator.control.clearRequests();
    await provider.create({ ...base, flowId: 300, status: "ACTIVE", owner: owner(2, 2) });
    expect(writes()).toEqual(["PUT /flows/300", "PUT /flows/300/activate?full_tree=1"]);
  });

  it("an ordinary user's change of owner fails clearly, and the adopted flow stays in state", async () => {
    useCredentials({ NEXLA_ACCESS_TOKEN: "emu-analyst-access-token" });
    const error = await provider
      .create({ ...base, flowId: 300, status: "PAUSED", owner: owner(2, 2), __provider: "shim" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^Could not change the owner of flow 300 \(PUT \/flows\/300\): Nexla answered 403 Forbidden\. /,
    );
    expect((error as Error).message).toContain("Calls made: none; failed: PUT /flows/300; not made: none.");
    expect(error).toMatchObject({
      id: "300",
      properties: { __provider: "shim", status: "PAUSED", flowOwner: { ownerId: 3, orgId: 2 } },
    });
  });
});

describe("drift", () => {
  it("read sees a sink paused out of band under an active flow, and update fixes it", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 200, status: "ACTIVE" });
    emulator.control.setStatus("data_sink", 3100, "PAUSED");
    const read = await provider.read(id, outs ?? {});
    expect(read.props).toMatchObject({ status: "MIXED" });
    // MIXED is nothing a program can declare: the refreshed input keeps the declared status.
    expect(read.inputs).toEqual({ flowId: 200, scope: "flow", status: "ACTIVE", convergeTimeoutSeconds: 10 });
    expect(read.props).toMatchObject({ declaredStatus: "ACTIVE", anchorMovedTo: null });
    const news = { ...base, flowId: 200, status: "ACTIVE" };
    expect(await provider.diff(id, read.props ?? {}, news)).toEqual({ changes: true });
    emulator.control.clearRequests();
    const { outs: after } = await provider.update(id, read.props ?? {}, news);
    expect(writes()).toEqual(["PUT /flows/200/activate?full_tree=1"]);
    expect(after).toMatchObject({ status: "ACTIVE" });
  });

  it("read of a flow deleted in Nexla returns no id, so Pulumi drops it", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    emulator.control.deleteFlow(100);
    expect(await provider.read(id, outs ?? {})).toEqual({});
  });
});

describe("an edit never deletes", () => {
  it("diff answers an in-place update, never a replacement: a new anchor, a new scope, another flow, an unknown anchor", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 200, status: "ACTIVE" });
    emulator.control.clearRequests();
    for (const news of [
      { ...base, dataSetId: 2101, status: "ACTIVE" },
      { ...base, flowId: 200, scope: "downstream", status: "ACTIVE" },
      { ...base, flowId: 100, status: "ACTIVE" },
      { ...base, flowId: UNKNOWN, status: "ACTIVE" },
    ]) {
      // Strict: no `replaces` and no `deleteBeforeReplace`, not even empty ones (docs/design.md §3).
      expect(await provider.diff(id, outs ?? {}, news), JSON.stringify(news)).toStrictEqual({
        changes: true,
      });
    }
    expect(writes()).toEqual([]);
  });
});

describe("delete", () => {
  it("pauses an active flow, then deletes it", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    await provider.delete(id, outs ?? {});
    expect(writes()).toEqual(["PUT /flows/100/pause?full_tree=1", "DELETE /flows/100?full_tree=1"]);
    expect(emulator.control.state().data_sources.map((s) => s.id)).not.toContain(1000);
  });

  it("succeeds when the flow is already gone", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    emulator.control.deleteFlow(100);
    await expect(provider.delete(id, outs ?? {})).resolves.toBeUndefined();
    expect(writes()).toEqual([]);
  });

  it("activates again what it paused when Nexla refuses the delete, and says so", async () => {
    const { id, outs } = await provider.create({ ...base, flowId: 100, status: "ACTIVE" });
    const message = "Flow cannot be deleted while shared nexsets have downstream flows";
    emulator.control.injectFault({
      method: "DELETE",
      path: "/flows/100",
      status: 405,
      body: { sharers: [], message },
    });
    const error = (await provider.delete(id, outs ?? {}).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(
      `Could not delete flow 100 (DELETE /flows/100?full_tree=1): Nexla answered 405 Method Not Allowed: "${message}"`,
    );
    expect(error.message).toContain(
      " The flow had been paused to delete it; data_source 1000, data_set 2000, data_sink 3000 were activated again, as they were before.",
    );
    expect(writes()).toEqual([
      "PUT /flows/100/pause?full_tree=1",
      "DELETE /flows/100?full_tree=1",
      "PUT /data_sources/1000/activate",
      "PUT /data_sets/2000/activate",
      "PUT /data_sinks/3000/activate",
    ]);
    expect([
      statusOf("data_sources", 1000),
      statusOf("data_sets", 2000),
      statusOf("data_sinks", 3000),
    ]).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"]);
  });
});

describe("Flows whose stored scopes contradict each other", () => {
  const urn = (name: string) => `urn:pulumi:s::p::pulumi-nodejs:dynamic/nexla:Flow::${name}`;
  const inputsOf = (name: string, args: Record<string, unknown>) => ({
    ...base,
    ...args,
    __flowName: name,
    __flowUrn: urn(name),
  });
  afterEach(() => newProviderProcess());

  it("are refused at preview, but a refresh (the engine diffs there too, with no program) still runs", async () => {
    // Two earlier operations stored them, each alone: the whole clickstream flow ACTIVE, its archive sub-flow PAUSED.
    const whole = inputsOf("whole", { flowId: 200, status: "ACTIVE" });
    const archive = inputsOf("archive", { dataSetId: 2101, scope: "downstream", status: "PAUSED" });
    const stored = [];
    for (const inputs of [whole, archive]) {
      newProviderProcess();
      await provider.check({}, inputs);
      stored.push({ inputs, outs: (await provider.create(inputs)).outs ?? {} });
    }
    // A refresh: no check, so nothing is declared; the engine's diffs judge nothing.
    newProviderProcess();
    for (const { inputs, outs } of stored)
      await expect(provider.diff("id", outs, inputs)).resolves.toBeDefined();
    // A preview of a program that still declares both: the second diff refuses them.
    newProviderProcess();
    for (const { inputs } of stored) await provider.check({}, inputs);
    await provider.diff("id", stored[0]!.outs, whole);
    await expect(provider.diff("id", stored[1]!.outs, archive)).rejects.toThrow(
      /Flows "archive" .* and "whole" .* overlap in flow 200 and declare different statuses/,
    );
  });
});

describe("a delete never touches what another Flow of the operation declares", () => {
  const declare = (name: string, args: Record<string, unknown>) =>
    provider.check(
      {},
      { ...args, __flowName: name, __flowUrn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/nexla:Flow::${name}` },
    );
  const resourcesOf = (origin: number) => {
    const s = emulator.control.state();
    return [...s.data_sources, ...s.data_sets, ...s.data_sinks]
      .filter((r) => r.origin_node_id === origin)
      .map((r) => `${r.id} ${r.status}`)
      .sort();
  };
  const adopted = (name: string, args: Record<string, unknown>) =>
    provider.create({ ...base, ...args, __flowName: name });
  afterEach(() => forgetDeclarations());

  it("a rename: the old Flow's delete releases the flow the new one declares, with no call but its read", async () => {
    const { id, outs } = await adopted("orders", { flowId: 100, status: "ACTIVE" });
    const before = resourcesOf(100);
    await declare("orders-eu", { flowId: 100, status: "ACTIVE" });
    emulator.control.clearRequests();
    const lines: string[] = [];
    const log = vi.spyOn(process.stderr, "write").mockImplementation((line) => lines.push(String(line)) > 0);
    try {
      await provider.delete(id, outs ?? {});
    } finally {
      log.mockRestore();
    }
    expect(writes()).toEqual([]);
    expect(resourcesOf(100)).toEqual(before);
    expect(lines.join("")).toContain(
      '[pulumi-nexla orders] flow 100 is declared by "orders-eu": "orders" released it, nothing deleted.',
    );
  });

  it("a split that leaves the upper part undeclared deletes nothing of the flow; the part nobody declares is deleted", async () => {
    const { id, outs } = await adopted("cs", { flowId: 200, status: "ACTIVE" });
    const before = resourcesOf(200);
    await declare("cs-a", { dataSetId: 2101, scope: "downstream", status: "ACTIVE" });
    await declare("cs-b", { dataSetId: 2104, scope: "downstream", status: "ACTIVE" });
    emulator.control.clearRequests();
    await provider.delete(id, outs ?? {});
    expect(writes()).toEqual([]);
    expect(resourcesOf(200)).toEqual(before);

    // Later, cs-b is removed and nothing declares its sub-flow: it is paused and deleted, and only it.
    forgetDeclarations();
    await declare("cs-a", { dataSetId: 2101, scope: "downstream", status: "ACTIVE" });
    const csB = await adopted("cs-b", { dataSetId: 2104, scope: "downstream", status: "ACTIVE" });
    emulator.control.clearRequests();
    await provider.delete(csB.id, csB.outs ?? {});
    expect(writes()).toEqual(["PUT /data_sets/2104/flow/pause", "DELETE /data_sets/2104/flow"]);
    expect(resourcesOf(200)).toEqual(before.filter((r) => !/^(2104|3102) /.test(r)));
  });

  it("a Flow that fails its other checks still keeps its flow", async () => {
    const { id, outs } = await adopted("orders", { flowId: 100, status: "ACTIVE" });
    const checked = await declare("orders-eu", { flowId: 100, status: "active" });
    expect(checked.failures).not.toEqual([]);
    emulator.control.clearRequests();
    await provider.delete(id, outs ?? {});
    expect(writes()).toEqual([]);
  });

  it("a refusal for a linked RAG flow says how one operation deletes both (dependsOn)", async () => {
    const { id, outs } = await adopted("docs", { flowId: 700, status: "PAUSED" });
    const error = (await provider.delete(id, outs ?? {}).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("Nexla deletes flow 700 only after the RAG flow 710 linked to it.");
    expect(error.message).toContain("`dependsOn: [<this Flow>]`");
    expect(resourcesOf(700)).toHaveLength(3);
  });
});

describe("converge, then confirm", () => {
  // Two emulators whose write answers lag too, so the write's own answer does not confirm and the provider
  // polls: one settles 1500 ms after a change, the other never within a test (10 minutes). Both share a clock
  // with the provider's polls that moves only when the provider sleeps, so how many polls see the old status,
  // and when the provider gives up, is decided by the backoff, never by how busy the machine is.
  let time: TestClock;
  let provided: { restore(): void };
  let slow: Emulator;
  let slowApi: RunningEmulator;
  let stuck: Emulator;
  let stuckApi: RunningEmulator;
  beforeAll(async () => {
    const settling = (settleMs: number) =>
      createEmulator({ rateLimits: false, settleMs, settleAnswers: true, clock: () => time.now() });
    [slow, stuck] = [settling(1500), settling(600_000)];
    [slowApi, stuckApi] = await Promise.all([slow.listen({ port: 0 }), stuck.listen({ port: 0 })]);
  });
  afterAll(async () => Promise.all([slowApi?.close(), stuckApi?.close()]));
  beforeEach(() => {
    time = new TestClock();
    provided = time.useForProvider();
    slow.control.reset();
    stuck.control.reset();
    useCredentials({ NEXLA_SERVICE_KEY: "emu-super-service-key" }, slowApi.url);
  });
  afterEach(() => provided.restore());

  /** A lone read's batch: 100 ms without another joining, looked at every 10 ms. */
  const gathering = Array<number>(10).fill(10);

  it("polls when the write's answer does not show the declared state yet, until Nexla reports it", async () => {
    const { outs } = await provider.create({ ...base, flowId: 300, status: "ACTIVE" });
    expect(outs).toMatchObject({ status: "ACTIVE" });
    // The adoption read waits 100 ms for other reads to join its batch, looking every 10 ms. The change settles
    // 1500 ms after the activate: the polls right after it and after 100, 300 and 700 ms still see PAUSED, the
    // one after 1500 ms sees ACTIVE. Reads: the adoption read, then those five polls.
    expect(time.slept).toEqual([...gathering, 100, 200, 400, 800]);
    expect(
      slow.control
        .requests()
        .filter((r) => r.path !== "/token" && r.status !== 401)
        .map(requestLine),
    ).toEqual(["GET /flows/300", "PUT /flows/300/activate?full_tree=1", ...Array(5).fill("GET /flows/300")]);
  });

  it("fails naming the resources that did not get there, and keeps the flow in state", async () => {
    useCredentials({ NEXLA_SERVICE_KEY: "emu-super-service-key" }, stuckApi.url);
    const error = await provider
      .create({ ...base, flowId: 300, status: "ACTIVE", convergeTimeoutSeconds: 0.5 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "Could not confirm flow 300: Nexla accepted the calls, but after 0.5 s data_source 1200 is PAUSED, data_set 2200 " +
        "is PAUSED, data_sink 3200 is PAUSED (desired ACTIVE). Check the flow in Nexla, or raise convergeTimeoutSeconds if " +
        "it settles slowly. Calls made: PUT /flows/300/activate?full_tree=1; failed: none; not made: none.",
    );
    expect(error).toMatchObject({ id: "300", properties: { status: "PAUSED" } });
    // The gathering pause, then polls after 0, 100 and 300 ms: the next, 400 ms later, would pass the deadline.
    expect(time.slept).toEqual([...gathering, 100, 200]);
  });
});

describe("a Flow acts only on the flow it adopted", () => {
  it("refuses a new scope when Nexla now reports the same anchor in another flow: a move is no decision to manage it", async () => {
    const { id, outs } = await provider.create({ ...base, dataSetId: 2104, status: "PAUSED" });
    expect(outs).toMatchObject({ originNodeId: 200, status: "PAUSED" });
    emulator.control.reset(
      moveSubtree(emulator.control.state(), ["data_set", 2104], ["data_set", 2000], "ACTIVE"),
    );
    const news = { ...base, dataSetId: 2104, scope: "downstream", status: "PAUSED" };
    expect(await provider.diff(id, outs ?? {}, news)).toEqual({ changes: true });
    const error = (await provider.update(id, outs ?? {}, news).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      "This Flow adopted flow 200, but Nexla now reports data_set 2104 in flow 100. Nothing was done to flow 100 " +
        "or to flow 200. Point the Flow at a resource of flow 200 again; to manage flow 100 instead, change the " +
        "anchor on purpose (e.g. flowId: 100: flow 200 is then released, left as it is); or remove the Flow " +
        "(`pulumi destroy` deletes nothing outside the flow it adopted).",
    );
    expect(writes()).toEqual([]);
    expect([
      statusOf("data_sets", 2104),
      statusOf("data_sinks", 3102),
      statusOf("data_sources", 1000),
    ]).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"]);
  });
});
