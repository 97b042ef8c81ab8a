import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createEmulator,
  generatedFlowIds,
  generateSeed,
  sampleSeed,
  SeedError,
  validateSeed,
  type Seed,
} from "pulumi-nexla/emulator";

/** The problems `validateSeed` reports for `seed`. */
function problems(seed: unknown): readonly string[] {
  try {
    validateSeed(seed);
  } catch (error) {
    if (error instanceof SeedError) return error.problems;
    throw error;
  }
  return [];
}

describe("the sample seed", () => {
  it("is valid and has the documented users, flows and statuses", () => {
    expect(problems(sampleSeed)).toEqual([]);
    expect(sampleSeed.users.map((u) => [u.id, u.email, u.super_user, u.service_key, u.access_token])).toEqual(
      [
        [1, "admin@nexla.example", true, "emu-super-service-key", "emu-super-access-token"],
        [2, "analyst@acme.example", false, "emu-analyst-service-key", "emu-analyst-access-token"],
        [3, "ops@acme.example", false, "emu-ops-service-key", "emu-ops-access-token"],
        [4, "outsider@other.example", false, "emu-outsider-service-key", "emu-outsider-access-token"],
      ],
    );
    const origins = sampleSeed.flow_nodes.filter((n) => n.id === n.origin_node_id);
    expect(origins.map((n) => [n.id, n.name, n.project_id])).toEqual([
      [100, "orders", 10],
      [200, "clickstream", 10],
      [300, "billing-export", 10],
      [400, "partner-feed", 10],
      [500, "staging", null],
      [600, "shared-catalog", 10],
      [610, "catalog-derived", null],
      [650, "replicated", 10],
      [700, "docs-ingest", 10],
      [710, "support-rag", 10],
      [800, "capped-live", null],
      [810, "capped-waiting", null],
      [900, "migrating-live", null],
      [910, "migrating-paused", null],
    ]);
    expect(
      sampleSeed.data_sources.map((s) => [s.id, s.flow_node_id, s.status, s.owner_id, s.org_id]),
    ).toEqual([
      [1000, 100, "ACTIVE", 2, 2],
      [1100, 200, "ACTIVE", 2, 2],
      [1200, 300, "PAUSED", 3, 2],
      [1300, 400, "RATE_LIMITED", 2, 2],
      [1400, 500, "INIT", 1, 1],
      [1500, 600, "PAUSED", 2, 2],
      [1550, 650, "PAUSED", 2, 2],
      [1551, 653, "PAUSED", 2, 2],
      [1600, 700, "PAUSED", 2, 2],
      [1610, 710, "ACTIVE", 2, 2],
      [1700, 800, "ACTIVE", 1, 4],
      [1710, 810, "PAUSED", 1, 4],
      [1800, 900, "ACTIVE", 1, 5],
      [1810, 910, "PAUSED", 1, 5],
    ]);
  });

  it("gives clickstream its branches and deep sub-flow", () => {
    const parents = sampleSeed.flow_nodes
      .filter((n) => n.origin_node_id === 200)
      .map((n) => [n.id, n.parent_node_id]);
    expect(parents).toEqual([[200, null], [201, 200], [202, 201], [203, 202], [204, 203], [205, 204], [206, 201], [207, 201], [208, 207]]); // prettier-ignore
    expect(
      sampleSeed.data_sets.filter((s) => s.origin_node_id === 200).map((s) => s.code_container_id),
    ).toEqual(Array(5).fill(9500));
  });
});

describe("seed validation", () => {
  it("names every bad entry, field and reference", () => {
    const broken = structuredClone(sampleSeed) as unknown as Record<string, Record<string, unknown>[]>;
    Object.assign(broken["data_sets"]![2]!, { status: "RUNNING", ownerId: 2 });
    delete broken["users"]![0]!["email"];
    expect(problems(broken)).toEqual([
      'users[0] (id 1): "email" is missing',
      expect.stringMatching(/^data_sets\[2\] \(id 2101\): unknown field "ownerId" \(known: id, name/),
      'data_sets[2] (id 2101): "status" must be "INIT", "PAUSED", "ACTIVE" or "RATE_LIMITED", got "RUNNING"',
    ]);
  });

  it("checks references once the shape is right", () => {
    const seed = structuredClone(sampleSeed) as unknown as {
      -readonly [K in keyof Seed]: Record<string, unknown>[];
    };
    Object.assign(seed.data_sinks[0]!, { owner_id: 77, status: "RATE_LIMITED" });
    Object.assign(seed.flow_nodes[1]!, { parent_node_id: 999 });
    seed.users[3]!["service_key"] = "emu-ops-service-key";
    expect(problems(seed)).toEqual([
      "users[3] (id 4): service_key is not unique",
      "data_sinks[0] (id 3000): owner_id 77 is not in users",
      "flow_nodes[1] (id 101): parent_node_id 999 is not in flow_nodes",
      "data_sinks[0] (id 3000): status RATE_LIMITED exists on data sources only",
    ]);
  });

  it("makes createEmulator and reset throw a SeedError with a message naming the entry", () => {
    const seed = { ...sampleSeed, orgs: [] };
    expect(() => createEmulator({ seed })).toThrow(
      /^Invalid emulator seed: users\[0\] \(id 1\): org_ids 1 is not in orgs/,
    );
    const emulator = createEmulator();
    expect(() => emulator.control.reset({ ...sampleSeed, flow_nodes: [] })).toThrow(SeedError);
  });
});

describe("generateSeed", () => {
  it("builds N valid source → set → sink flows with the documented ids", async () => {
    const seed = generateSeed({ flows: 1000, status: "PAUSED" });
    expect(problems(seed)).toEqual([]);
    expect(seed.flow_nodes).toHaveLength(3000);
    expect(generatedFlowIds(7)).toEqual({
      originNodeId: 100070,
      dataSetNodeId: 100071,
      dataSinkNodeId: 100072,
      resourceId: 100007,
    });
    const emulator = createEmulator({ seed, rateLimits: false });
    const response = await emulator.request("/data_sinks/100007/flow", {
      headers: { Authorization: "Bearer emu-analyst-access-token" },
    });
    const body = (await response.json()) as { flows: unknown[] };
    expect(body.flows[0]).toMatchObject({
      id: 100070,
      name: "flow-7",
      status: "PAUSED",
      children: [{ id: 100071, children: [{ id: 100072 }] }],
    });
  });

  it("can keep the sample flows beside the generated ones", () => {
    const seed = generateSeed({ flows: 2, includeSampleFlows: true });
    expect(problems(seed)).toEqual([]);
    expect(seed.flow_nodes.filter((n) => n.id === n.origin_node_id).map((n) => n.id)).toEqual([
      100, 200, 300, 400, 500, 600, 610, 650, 700, 710, 800, 810, 900, 910, 100010, 100020,
    ]);
  });
});

describe("persistence", () => {
  it("writes the state to the data file after each change and starts from it next time", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emulator-"));
    const dataFile = join(dir, "state.json");
    try {
      const first = createEmulator({ dataFile });
      await first.request("/flows/100/pause", {
        method: "PUT",
        headers: { Authorization: "Bearer emu-analyst-access-token" },
      });
      first.control.setOwner(300, 2, 2);
      await first.control.flush();
      const stored = JSON.parse(await readFile(dataFile, "utf8")) as Seed;
      expect(stored.data_sinks.find((s) => s.id === 3000)?.status).toBe("PAUSED");
      const second = createEmulator({ dataFile });
      expect(second.control.state()).toEqual(first.control.state());
      expect(second.control.state().data_sources.find((s) => s.id === 1200)?.owner_id).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("serializes writes so the last state wins, and refuses an invalid data file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emulator-"));
    const dataFile = join(dir, "state.json");
    try {
      const emulator = createEmulator({ dataFile });
      for (const status of ["PAUSED", "ACTIVE", "PAUSED", "INIT"] as const)
        emulator.control.setStatus("data_set", 2000, status);
      await emulator.control.flush();
      const stored = JSON.parse(await readFile(dataFile, "utf8")) as Seed;
      expect(stored.data_sets.find((s) => s.id === 2000)?.status).toBe("INIT");
      await writeFile(dataFile, JSON.stringify({ ...stored, orgs: "none" }));
      expect(() => createEmulator({ dataFile })).toThrow(
        `Invalid emulator seed in ${dataFile}: seed: "orgs" must be an array.`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
