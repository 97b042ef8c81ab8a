/** `--seed-from-snapshot`: a snapshot becomes a seed with the sample users' keys; a bad one is refused by name. */
import { describe, expect, it } from "vitest";
import { sampleSeed, seedFromSnapshot } from "pulumi-nexla/emulator";
import { parseCliArgs } from "../../src/emulator/internal/cli-args.js";

const res = (id: number, node: number, status = "ACTIVE", owner = 2) => ({
  id, owner_id: owner, org_id: 2, flow_node_id: node, origin_node_id: 700, name: `r${id}`, status,
}); // prettier-ignore

function snapshot(overrides: Record<string, unknown> = {}) {
  return {
    format: "pulumi-nexla-snapshot",
    version: 1,
    flows: [
      { id: 700, parent_node_id: null, origin_node_id: 700, data_source_id: 70, name: "imports", project_id: 44, status: "ACTIVE",
        children: [{ id: 701, parent_node_id: 700, origin_node_id: 700, data_sink_id: 71, children: [] }] },
    ], // prettier-ignore
    data_sources: [res(70, 700, "ACTIVE", 42)],
    data_sets: [],
    data_sinks: [res(71, 701, "PAUSED", 42)],
    users: [{ id: 42, email: "pat@corp.example", name: "Pat" }],
    orgs: [{ id: 2, name: "Acme Data" }],
    projects: [],
    ...overrides,
  };
}

describe("seedFromSnapshot", () => {
  it("serves the snapshot's flows, keeps the sample users and keys, and gives other owners keys of their own", () => {
    const seed = seedFromSnapshot(snapshot());
    expect(seed.flow_nodes.map((n) => [n.id, n.resource_type, n.resource_id])).toEqual([
      [700, "data_source", 70],
      [701, "data_sink", 71],
    ]);
    expect(seed.data_sinks[0]).toMatchObject({ id: 71, status: "PAUSED", owner_id: 42 });
    expect(seed.users.slice(0, sampleSeed.users.length)).toEqual(sampleSeed.users);
    expect(seed.users.at(-1)).toMatchObject({
      id: 42,
      email: "pat@corp.example",
      org_ids: [2],
      super_user: false,
    });
    expect(seed.projects).toEqual([{ id: 44, owner_id: 42, org_id: 2, name: "project-44", member_ids: [] }]);
  });

  it.each([
    [{ format: "seed" }, 'it is not a pulumi-nexla snapshot (no "format": "pulumi-nexla-snapshot")'],
    [{ version: 2 }, "version 2 is not one this emulator reads (1)"],
    [{ data_sinks: undefined }, '"data_sinks" is missing or is not a list'],
    [
      { data_sinks: [] },
      "flows[0] (node 701) holds data_sink 71, which is not in data_sinks: the snapshot is partial",
    ],
    [
      { data_sources: [res(70, 700, "RUNNING")] },
      'data_sources[0] (data_source 70): status "RUNNING" is not one of INIT, PAUSED, ACTIVE, RATE_LIMITED',
    ],
    [{ data_sets: [res(9, 9)] }, "data_sets[0] (data_set 9): no flow node holds it"],
    [
      { data_sinks: [{ ...res(71, 701), id: "71" }] },
      'data_sinks[0]: "id" is the string "71": ids are JSON numbers (write 71, without quotes)',
    ],
    [
      { data_sources: [{ ...res(70, 700), owner_id: 2 ** 53 + 2 }] },
      `data_sources[0] (data_source 70): "owner_id" ${2 ** 53 + 2} is above 2^53 - 1, more than a JSON number holds exactly`,
    ],
    [{ flows: [{ parent_node_id: null, children: [] }] }, 'flows[0]: needs an "id"'],
  ])("refuses %j, naming the problem", (overrides, problem) => {
    expect(() => seedFromSnapshot(snapshot(overrides), "org.json")).toThrow(
      `Cannot serve the snapshot org.json: ${problem}`,
    );
  });

  it("reads a flow of 3,000 nodes in a chain (no recursion to overflow the stack)", () => {
    const depth = 3000;
    const chain = (k: number): Record<string, unknown> => ({
      id: 700 + k,
      parent_node_id: k === 0 ? null : 699 + k,
      origin_node_id: 700,
      ...(k === 0 ? { data_source_id: 70 } : { data_set_id: 1000 + k }),
      children: [],
    });
    const nodes = Array.from({ length: depth }, (_, k) => chain(k));
    nodes.slice(1).forEach((n, k) => ((nodes[k] as { children: unknown[] }).children = [n]));
    const sets = Array.from({ length: depth - 1 }, (_, k) => ({
      ...res(1001 + k, 701 + k),
      origin_node_id: 700,
    }));
    const seed = seedFromSnapshot(snapshot({ flows: [nodes[0]], data_sets: sets, data_sinks: [] }));
    expect(seed.flow_nodes).toHaveLength(depth);
    expect(seed.flow_nodes.at(-1)).toMatchObject({ id: 700 + depth - 1, parent_node_id: 698 + depth });
  });

  it("is a CLI flag that cannot be combined with --seed", () => {
    expect(parseCliArgs(["--seed-from-snapshot", "org.json"])).toMatchObject({ snapshotFile: "org.json" });
    expect(() => parseCliArgs(["--seed", "a.json", "--seed-from-snapshot", "b.json"])).toThrow(
      "--seed and --seed-from-snapshot both give the starting state: use one of them",
    );
  });
});
