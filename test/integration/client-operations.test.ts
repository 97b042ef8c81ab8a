/**
 * Every client operation, in both addressings and both scopes, over HTTP against the emulator: the request
 * the emulator logged is exactly the call `flowCall` (or `resourceCall`, `listCall`) describes, so what a
 * preview shows is what is sent.
 */
import { createEmulator, type Emulator, type RunningEmulator } from "pulumi-nexla/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createNexlaClient,
  type Anchor,
  type FlowResponse,
  type NexlaClient,
  type Scope,
} from "../../src/nexla/index.js";
import { flowCall, listCall, resourceCall, type FlowCall } from "../../src/nexla/paths.js";

let emu: Emulator;
let api: RunningEmulator;
let client: NexlaClient;

beforeAll(async () => {
  emu = createEmulator({ rateLimits: false });
  api = await emu.listen({ port: 0 });
  // The client-side throttle has its own test (client-throttle.test.ts); here it would only slow the suite.
  client = createNexlaClient({
    baseUrl: api.url,
    auth: { accessToken: "emu-super-access-token" },
    rateLimit: false,
  });
});
afterAll(async () => api.close());
beforeEach(() => emu.control.reset());

const sent = () => emu.control.requests().map(({ method, path, query }) => ({ method, path, query }));
const described = (...calls: FlowCall[]) =>
  calls.map(({ method, path, query }) => ({ method, path, query: { ...query } }));

/** Statuses of the clickstream flow (origin node 200) by resource, e.g. `data_set 2101: PAUSED`. */
const statuses = (flow: FlowResponse) =>
  Object.fromEntries(
    (["data_sources", "data_sets", "data_sinks"] as const).flatMap((list) =>
      (flow[list] ?? []).map((r) => [`${list.slice(0, -1)} ${r.id}`, r.status]),
    ),
  );

/** The clickstream flow from four anchors: its origin node, its source, a set in the middle, a sink. */
const anchors: Anchor[] = [
  { kind: "flow", id: 200 },
  { kind: "data_source", id: 1100 },
  { kind: "data_set", id: 2101 },
  { kind: "data_sink", id: 3100 },
];
const cases = anchors.flatMap((anchor) =>
  (["flow", "downstream"] as Scope[]).map((scope) => ({ anchor, scope })),
);
const name = "$anchor.kind $anchor.id, scope $scope";

/** Every resource of flow 200 (clickstream), whose origin node is data_source 1100's. */
const clickstream = [
  "data_source 1100",
  "data_set 2100",
  "data_set 2101",
  "data_set 2102",
  "data_set 2103",
  "data_set 2104",
  "data_sink 3100",
  "data_sink 3101",
  "data_sink 3102",
];

/** What pausing each anchor's downstream scope reaches (the cascade stays below the anchor). */
const downstreamOf: Record<string, string[]> = {
  "flow 200": clickstream,
  "data_source 1100": clickstream,
  "data_set 2101": ["data_set 2101", "data_set 2102", "data_set 2103", "data_sink 3101"],
  "data_sink 3100": ["data_sink 3100"],
};

describe("reading a flow", () => {
  it.each(anchors)(
    "getFlow from $kind $id sends GET of its path and answers the whole flow",
    async (anchor) => {
      const flow = await client.getFlow(anchor);
      expect(flow.flows.map((node) => node.id)).toEqual([200]);
      expect(sent()).toEqual(described(flowCall(anchor, "get", "flow")));
    },
  );

  it("tryGetFlow answers undefined for a flow that is not there, getFlow throws not_found", async () => {
    expect(await client.tryGetFlow({ kind: "data_set", id: 9999 })).toBeUndefined();
    await expect(client.getFlow({ kind: "flow", id: 9999 })).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
    expect(sent()).toEqual([
      { method: "GET", path: "/data_sets/9999/flow", query: {} },
      { method: "GET", path: "/flows/9999", query: {} },
    ]);
  });
});

describe("pausing and activating", () => {
  it.each(cases)(`pause then activate from ${name}`, async ({ anchor, scope }) => {
    const paused = await client.pause(anchor, scope);
    const label = anchor.kind === "flow" ? "flow 200" : `${anchor.kind} ${anchor.id}`;
    const reached = scope === "flow" ? downstreamOf["flow 200"] : downstreamOf[label];
    const expected = Object.fromEntries(
      Object.keys(statuses(paused)).map((r) => [r, reached?.includes(r) ? "PAUSED" : "ACTIVE"]),
    );
    expect(statuses(paused)).toEqual(expected);
    const activated = await client.activate(anchor, scope);
    expect(new Set(Object.values(statuses(activated)))).toEqual(new Set(["ACTIVE"]));
    expect(sent()).toEqual(described(flowCall(anchor, "pause", scope), flowCall(anchor, "activate", scope)));
  });
});

describe("deleting", () => {
  it.each(cases)(`deleteFlow from ${name} removes the scope once it is paused`, async ({ anchor, scope }) => {
    emu.control.setStatus("data_source", 1100, "PAUSED", { cascade: true });
    await expect(client.deleteFlow(anchor, scope)).resolves.toBeUndefined();
    const gone = scope === "flow" || anchor.kind === "flow" || anchor.kind === "data_source";
    expect(await client.tryGetFlow({ kind: "flow", id: 200 })).toSatisfy((f) => (f === undefined) === gone);
    expect(sent().slice(0, 1)).toEqual(described(flowCall(anchor, "delete", scope)));
  });

  it("deleteFlow throws not_found for a flow already gone; tryDeleteFlow answers false", async () => {
    emu.control.deleteFlow(500);
    const anchor: Anchor = { kind: "flow", id: 500 };
    await expect(client.deleteFlow(anchor, "flow")).rejects.toMatchObject({ code: "not_found" });
    expect(await client.tryDeleteFlow(anchor, "flow")).toBe(false);
    expect(await client.tryDeleteFlow({ kind: "flow", id: 300 }, "flow")).toBe(true);
    expect(sent()).toEqual(
      described(...[500, 500, 300].map((id) => flowCall({ kind: "flow", id }, "delete", "flow"))),
    );
  });
});

describe("changing the owner", () => {
  const body = { owner_id: 3, org_id: 2, include_data_credentials: false, include_code_containers: false };

  it.each(anchors)(
    "changeOwner from $kind $id sends the body to the flow path and answers the flow",
    async (anchor) => {
      const flow = await client.changeOwner(anchor, body);
      expect(new Set((flow.data_sources ?? []).map((s) => s.owner_id))).toEqual(new Set([3]));
      expect(sent()).toEqual(described(flowCall(anchor, "change_owner", "flow", body)));
    },
  );
});

describe("listing flows", () => {
  it("sends flows_only, page, per_page, access_role and org_id as query parameters", async () => {
    const owned = await client.listFlows();
    const all = await client.listFlows({ accessRole: "admin" });
    const page = await client.listFlows({ flowsOnly: true, page: 1, perPage: 2, accessRole: "operator" });
    const org = await client.listFlows({ orgId: 2, accessRole: "owner" });
    expect(owned.flows.map((f) => f.id)).toEqual([910, 900, 810, 800, 500]);
    expect(all.flows.map((f) => f.id)).toEqual([
      910, 900, 810, 800, 710, 700, 650, 610, 600, 500, 400, 300, 200, 100,
    ]);
    expect(page.flows.map((f) => f.id)).toEqual([910, 900]);
    expect(page.data_sources).toBeUndefined();
    // access_role=owner is Nexla's default, so the client leaves it out; a super user's org list is the whole org.
    expect(org.flows.map((f) => f.id)).toEqual([710, 700, 650, 600, 400, 300, 200, 100]);
    expect(sent()).toEqual(
      described(
        listCall(),
        listCall({ accessRole: "admin" }),
        listCall({ flowsOnly: true, page: 1, perPage: 2, accessRole: "operator" }),
        listCall({ orgId: 2, accessRole: "owner" }),
      ),
    );
    expect(sent().map((c) => c.query)).toEqual([
      {},
      { access_role: "admin" },
      { flows_only: "1", page: "1", per_page: "2", access_role: "operator" },
      { org_id: "2" },
    ]);
  });
});

describe("single resources", () => {
  const resources = [
    { kind: "data_source", id: 1100 },
    { kind: "data_set", id: 2101 },
    { kind: "data_sink", id: 3100 },
  ] as const;

  it.each(resources)("getResource reads $kind $id at its own path", async ({ kind, id }) => {
    expect(await client.getResource(kind, id)).toMatchObject({ id, status: "ACTIVE" });
    expect(await client.tryGetResource(kind, 9999)).toBeUndefined();
    expect(sent()).toEqual(described(resourceCall(kind, id, "get"), resourceCall(kind, 9999, "get")));
  });

  it.each(resources)("pauseResource and activateResource change $kind $id alone", async ({ kind, id }) => {
    expect(await client.pauseResource(kind, id)).toMatchObject({ id, status: "PAUSED" });
    const flow = statuses(await client.getFlow({ kind: "flow", id: 200 }));
    expect(Object.entries(flow).filter(([, s]) => s === "PAUSED")).toEqual([[`${kind} ${id}`, "PAUSED"]]);
    expect(await client.activateResource(kind, id)).toMatchObject({ id, status: "ACTIVE" });
    expect(sent()).toEqual([
      ...described(resourceCall(kind, id, "pause")),
      ...described(flowCall({ kind: "flow", id: 200 }, "get", "flow")),
      ...described(resourceCall(kind, id, "activate")),
    ]);
  });
});
