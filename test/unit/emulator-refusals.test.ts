/**
 * The refusals Nexla's server makes beyond "pause it first" (docs/nexla-api.md §2.4, §10), on the sample org's
 * flows 600-910: status, body, and that nothing changed when Nexla refuses before acting.
 */
import { describe, expect, it } from "vitest";
import { SeedError, validateSeed, sampleSeed, type Seed } from "pulumi-nexla/emulator";
import { emulatorForFile, tokens } from "../fixtures/emulator.js";

const emulator = emulatorForFile();

async function call(method: string, path: string, as: keyof typeof tokens = "admin") {
  const response = await emulator.request(path, {
    method,
    headers: { Authorization: `Bearer ${tokens[as]}` },
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

const statuses = (ids: readonly number[]) => {
  const state = emulator.control.state();
  const all = [...state.data_sources, ...state.data_sets, ...state.data_sinks];
  return ids.map((id) => `${id} ${all.find((r) => r.id === id)?.status ?? "gone"}`);
};

describe("a flow whose shared nexset has derived flows", () => {
  it("refuses to be deleted, whatever the scope, naming who derives from it, before the active check", async () => {
    emulator.control.setStatus("data_source", 1500, "ACTIVE", { cascade: true });
    for (const path of ["/flows/600?all=1", "/data_sinks/3500/flow", "/flows/601"]) {
      expect(await call("DELETE", path, "analyst")).toEqual({
        status: 405,
        body: {
          sharers: [{ email: "outsider@other.example", org: "Other Co", org_id: 3 }],
          message: "Flow cannot be deleted while shared nexsets have downstream flows",
        },
      });
    }
    expect(emulator.control.state().flow_nodes.filter((n) => n.origin_node_id === 600)).toHaveLength(3);
  });

  it("can be deleted once the derived flow is gone", async () => {
    await call("PUT", "/flows/610/pause", "outsider");
    expect(await call("DELETE", "/flows/610?all=1", "outsider")).toEqual({ status: 200, body: undefined });
    expect(await call("DELETE", "/flows/600?all=1", "analyst")).toEqual({ status: 200, body: undefined });
    expect(statuses([1500, 2500, 3500, 2510, 3510])).toEqual([
      "1500 gone",
      "2500 gone",
      "3500 gone",
      "2510 gone",
      "3510 gone",
    ]);
  });

  it("starts the derived flow at the derived nexset: origin itself, parent the shared node", async () => {
    const { body } = await call("GET", "/data_sinks/3510/flow", "outsider");
    expect(body).toMatchObject({
      flows: [
        {
          id: 610,
          origin_node_id: 610,
          parent_node_id: 601,
          data_set_id: 2510,
          shared_data_set_id: 2500,
          status: "ACTIVE",
          children: [{ id: 611, origin_node_id: 610, data_sink_id: 3510 }],
        },
      ],
      shared_data_sets: [{ id: 2500, org_id: 2 }],
    });
    const shared = (body as { shared_data_sets: Record<string, unknown>[] }).shared_data_sets[0];
    expect(shared).not.toHaveProperty("origin_node_id");
    expect(emulator.control.state().flow_nodes.find((n) => n.id === 610)).toMatchObject({
      shared_origin_node_id: 600,
    });
  });

  it("shows the derived flow under the shared node, and its resources, to super users only (another org)", async () => {
    const admin = (await call("GET", "/flows/600")).body as Record<string, never>;
    const analyst = (await call("GET", "/flows/600", "analyst")).body as Record<string, never>;
    const setNode = (b: Record<string, never>) =>
      (
        b["flows"] as unknown as { children: { children: { id: number }[] }[] }[]
      )[0]?.children[0]?.children.map((c) => c.id);
    expect(setNode(admin)).toEqual([602, 610]);
    expect(setNode(analyst)).toEqual([602]);
    const sets = (b: Record<string, never>) =>
      (b["data_sets"] as unknown as { id: number }[]).map((s) => s.id);
    expect(sets(admin)).toEqual([2500, 2510]);
    expect(sets(analyst)).toEqual([2500]);
  });

  it("never pauses the derived flow when the shared flow is paused", async () => {
    emulator.control.setStatus("data_source", 1500, "ACTIVE", { cascade: true });
    expect((await call("PUT", "/flows/600/pause?all=1")).status).toBe(200);
    expect(statuses([1500, 2500, 3500, 2510, 3510])).toEqual([
      "1500 PAUSED",
      "2500 PAUSED",
      "3500 PAUSED",
      "2510 ACTIVE",
      "3510 ACTIVE",
    ]);
  });
});

describe("a flow linked to a RAG flow", () => {
  it("refuses to be deleted with the linked RAG flows' ids; the RAG flow itself may go once paused", async () => {
    expect(await call("DELETE", "/flows/700?all=1", "analyst")).toEqual({
      status: 405,
      body: { linked_rag_flow_ids: [710], message: "Flow cannot be deleted while linked to a RAG flow" },
    });
    expect(statuses([1600])).toEqual(["1600 PAUSED"]);
    await call("PUT", "/flows/710/pause?all=1", "analyst");
    expect((await call("DELETE", "/flows/710?all=1", "analyst")).status).toBe(200);
    // The link went with the RAG flow, so nothing holds 700 any more.
    expect((await call("DELETE", "/flows/700?all=1", "analyst")).status).toBe(200);
  });

  it("renders the link on both origins, and the linked flow in linked_flows", async () => {
    const { body } = await call("GET", "/flows/700", "analyst");
    expect(body).toMatchObject({
      flows: [{ id: 700, linked_flows: [710] }],
      linked_flows: [{ id: 710, flow_type: "rag", linked_flows: [700] }],
    });
  });
});

describe("an org at its active-source limit", () => {
  it("refuses activate and pause with 400 before anything changes, even a downstream pause", async () => {
    for (const [path, ids] of [
      ["/flows/810/activate?all=1", [1710, 2710, 3710]],
      ["/flows/800/pause?all=1", [1700, 2700, 3700]],
      ["/data_sets/2700/flow/pause", [2700, 3700]],
    ] as const) {
      const before = statuses(ids);
      expect(await call("PUT", path)).toEqual({
        status: 400,
        body: { message: "Active data source limit would be exceeded." },
      });
      expect(statuses(ids)).toEqual(before);
    }
  });

  it("lets the flows change again once the limit is raised, and the control can put an org at its limit", async () => {
    emulator.control.setOrg(4, { activeSourceLimit: 2 });
    expect((await call("PUT", "/flows/810/activate?all=1")).status).toBe(200);
    expect(statuses([1710, 3710])).toEqual(["1710 ACTIVE", "3710 ACTIVE"]);
    emulator.control.setOrg(2, { activeSourceLimit: "reached" });
    expect(emulator.control.state().orgs.find((o) => o.id === 2)?.active_source_limit).toBe(3);
    expect((await call("PUT", "/flows/100/pause?all=1", "analyst")).status).toBe(400);
  });

  it("refuses a single source's activation beyond the limit with 405", async () => {
    expect(await call("PUT", "/data_sources/1710/activate")).toEqual({
      status: 405,
      body: { message: "Active data source limit would be exceeded." },
    });
  });
});

describe("an org whose cluster is migrating", () => {
  it("refuses to activate or pause its data sources with 405, before anything changes from the origin", async () => {
    expect(await call("PUT", "/flows/910/activate?all=1")).toEqual({
      status: 405,
      body: { message: "Data source cannot be activated while org's cluster is migrating" },
    });
    expect(await call("PUT", "/flows/900/pause?all=1")).toEqual({
      status: 405,
      body: { message: "Data source cannot be paused while org's cluster is migrating" },
    });
    expect(statuses([1810, 2810, 3810, 1800, 2800, 3800])).toEqual([
      "1810 PAUSED",
      "2810 PAUSED",
      "3810 PAUSED",
      "1800 ACTIVE",
      "2800 ACTIVE",
      "3800 ACTIVE",
    ]);
  });

  it("still lets a sub-flow without data sources change", async () => {
    expect((await call("PUT", "/data_sets/2800/flow/pause")).status).toBe(200);
    expect(statuses([1800, 2800, 3800])).toEqual(["1800 ACTIVE", "2800 PAUSED", "3800 PAUSED"]);
  });

  it("is not a transaction: a dependent source that refuses stops the cascade where it is", async () => {
    emulator.control.setOrg(2, { clusterStatus: "MIGRATING" });
    emulator.control.setStatus("data_source", 1550, "ACTIVE");
    const refused = await call("PUT", "/flows/650/activate?all=1", "analyst");
    expect(refused).toEqual({
      status: 405,
      body: { message: "Data source cannot be activated while org's cluster is migrating" },
    });
    expect(statuses([1550, 2550, 3550, 1551, 2551, 3551])).toEqual([
      "1550 ACTIVE",
      "2550 ACTIVE",
      "3550 ACTIVE",
      "1551 PAUSED",
      "2551 PAUSED",
      "3551 PAUSED",
    ]);
  });

  it("is set and cleared through the HTTP control route, which names bad input", async () => {
    const post = (body: unknown) =>
      emulator.request("/_emulator/orgs/2", { method: "POST", body: JSON.stringify(body) });
    expect((await post({ cluster_status: "MIGRATING" })).status).toBe(204);
    expect((await call("PUT", "/flows/300/activate", "analyst")).status).toBe(405);
    expect((await post({ cluster_status: "ACTIVE", active_source_limit: null })).status).toBe(204);
    expect((await call("PUT", "/flows/300/activate", "analyst")).status).toBe(200);
    const bad = await post({ cluster_status: "BUSY" });
    expect([bad.status, await bad.json()]).toEqual([
      400,
      { message: 'Unknown cluster status "BUSY" (known: ACTIVE, MIGRATING).' },
    ]);
    const typo = await post({ clusterStatus: "MIGRATING" });
    expect([typo.status, await typo.json()]).toEqual([
      400,
      { message: "Unknown field clusterStatus (known: cluster_status, active_source_limit)." },
    ]);
    const missing = await emulator.request("/_emulator/orgs/99", { method: "POST", body: "{}" });
    expect([missing.status, await missing.json()]).toEqual([404, { message: "There is no org 99." }]);
  });
});

describe("a sink", () => {
  it("refuses DELETE /data_sinks/{id} while active; once paused it goes and its dependent source starts a flow", async () => {
    expect(await call("DELETE", "/data_sinks/3000")).toEqual({
      status: 405,
      body: { message: "Data sink must be paused before deletion" },
    });
    expect(await call("DELETE", "/data_sinks/3550")).toEqual({ status: 200, body: undefined });
    const nodes = emulator.control.state().flow_nodes;
    expect(
      nodes.filter((n) => n.id >= 650 && n.id < 660).map((n) => [n.id, n.parent_node_id, n.origin_node_id]),
    ).toEqual([
      [650, null, 650],
      [651, 650, 650],
      [653, null, 653],
      [654, 653, 653],
      [655, 654, 653],
    ]);
    expect(() => validateSeed(emulator.control.state())).not.toThrow();
  });

  it("with a dependent source continues the flow: the source's node has the sink's as parent, and the same origin", async () => {
    const { body } = await call("GET", "/data_sources/1551/flow", "analyst");
    expect(body).toMatchObject({
      flows: [
        {
          id: 650,
          children: [
            {
              id: 651,
              children: [{ id: 652, children: [{ id: 653, parent_node_id: 652, origin_node_id: 650 }] }],
            },
          ],
        },
      ],
    });
  });
});

describe("the seed format", () => {
  const withNodes = (change: (nodes: Seed["flow_nodes"]) => Seed["flow_nodes"]): Seed => ({
    ...sampleSeed,
    flow_nodes: change(sampleSeed.flow_nodes),
  });
  const problemsOf = (seed: unknown) => {
    try {
      validateSeed(seed);
      return [];
    } catch (error) {
      return error instanceof SeedError ? error.problems : [String(error)];
    }
  };

  it("names a derived flow whose parent is not in the flow it claims to derive from", () => {
    const seed = withNodes((nodes) =>
      nodes.map((n) => (n.id === 610 ? { ...n, shared_origin_node_id: 100 } : n)),
    );
    expect(problemsOf(seed)).toEqual([
      "flow_nodes[24] (id 610): shared_origin_node_id 100 is not the origin of parent 601 (600)",
    ]);
  });

  it("names an origin with a parent and no shared origin, a link to a non-origin, and a bad org field", () => {
    const seed = {
      ...withNodes((nodes) =>
        nodes.map((n) =>
          n.id === 610
            ? { ...n, shared_origin_node_id: null }
            : n.id === 700
              ? { ...n, linked_flow_ids: [701] }
              : n,
        ),
      ),
    };
    expect(problemsOf(seed)).toEqual([
      "flow_nodes[24] (id 610): an origin node must have parent_node_id null, unless it derives from a shared nexset (shared_origin_node_id)",
      "flow_nodes[32] (id 700): linked flow 701 is not another flow's origin node",
    ]);
    expect(
      problemsOf({
        ...sampleSeed,
        orgs: [{ id: 1, name: "x", cluster_status: "BUSY", active_source_limit: -1 }],
      }),
    ).toEqual([
      'orgs[0] (id 1): "cluster_status" must be "ACTIVE" or "MIGRATING", got "BUSY"',
      'orgs[0] (id 1): "active_source_limit" must be a non-negative integer or null, got -1',
    ]);
  });
});
