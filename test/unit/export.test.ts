/** `pulumi-nexla export`'s pure parts: decomposing a flow, naming Flows, filters and flags. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FlowNode, FlowResponse } from "../../src/nexla/types.js";
import { parseCommand } from "../../src/export/args.js";
import { decompose } from "../../src/export/decompose.js";
import { glob } from "../../src/export/filters.js";
import { entryName, slug } from "../../src/export/names.js";
import { nameAll } from "../../src/export/entries.js";

type Kind = "data_source" | "data_set" | "data_sink";
/** A flow from `[node, kind, id, status, children]` tuples; origin node 1, owner 2 unless given. */
type Spec = [number, Kind, number, string, Spec[]?, number?];

function flow(root: Spec): FlowResponse {
  const lists: Record<string, unknown[]> = { data_source: [], data_set: [], data_sink: [] };
  const node = ([id, kind, rid, status, children = [], owner = 2]: Spec, parent: number | null): FlowNode => {
    lists[kind]!.push({
      id: rid,
      owner_id: owner,
      org_id: 2,
      flow_node_id: id,
      origin_node_id: root[0],
      status,
      name: `${kind}-${rid}`,
    });
    return {
      id,
      parent_node_id: parent,
      origin_node_id: root[0],
      [`${kind}_id`]: rid,
      ...(parent === null ? { name: "Click Stream", status } : {}),
      children: children.map((c) => node(c, id)),
    };
  };
  const origin = node(root, null);
  return {
    flows: [origin],
    data_sources: lists["data_source"],
    data_sets: lists["data_set"],
    data_sinks: lists["data_sink"],
  } as FlowResponse;
}

describe("decompose", () => {
  it("writes a flow whose resources agree as one whole-flow Flow, INIT counting as PAUSED", () => {
    const d = decompose(flow([1, "data_source", 10, "INIT", [[2, "data_set", 20, "PAUSED"]]]), false);
    expect(d.declarations).toEqual([
      { anchor: { kind: "flow", id: 1 }, scope: "flow", status: "PAUSED", resourceName: null },
    ]);
    expect(d.undeclared).toEqual([]);
  });

  it("writes a MIXED flow as one downstream Flow per largest agreeing sub-flow, naming what lies above them", () => {
    const d = decompose(
      flow([
        1,
        "data_source",
        10,
        "ACTIVE",
        [
          [
            2,
            "data_set",
            20,
            "ACTIVE",
            [
              [3, "data_sink", 30, "PAUSED"],
              [4, "data_set", 21, "ACTIVE", [[5, "data_sink", 31, "ACTIVE"]]],
            ],
          ],
          [6, "data_sink", 32, "ACTIVE"],
        ],
      ]),
      false,
    );
    expect(d.declarations.map((x) => [x.anchor, x.status])).toEqual([
      [{ kind: "data_sink", id: 30 }, "PAUSED"],
      [{ kind: "data_set", id: 21 }, "ACTIVE"],
      [{ kind: "data_sink", id: 32 }, "ACTIVE"],
    ]);
    expect(d.declarations.every((x) => x.scope === "downstream")).toBe(true);
    expect(d.undeclared.map((u) => u.resource.id)).toEqual([10, 20]);
  });

  it("never declares a RATE_LIMITED source, and declares the owner only when asked and when there is one", () => {
    const limited = decompose(
      flow([1, "data_source", 10, "RATE_LIMITED", [[2, "data_set", 20, "ACTIVE"]]]),
      true,
    );
    expect(limited.declarations).toEqual([
      {
        anchor: { kind: "data_set", id: 20 },
        scope: "downstream",
        status: "ACTIVE",
        resourceName: "data_set-20",
        owner: { ownerId: 2, orgId: 2 },
      },
    ]);
    expect(limited.undeclared[0]?.why).toMatch(/RATE_LIMITED can be neither declared nor changed/);
    const mixedOwners = decompose(
      flow([1, "data_source", 10, "ACTIVE", [[2, "data_set", 20, "ACTIVE", [], 3]]]),
      true,
    );
    expect(mixedOwners.declarations[0]?.owner).toBeUndefined();
    expect(mixedOwners.ownerNote).toBe(
      "owner not declared: its resources have different owners (2/org 2, 3/org 2)",
    );
  });
});

describe("names", () => {
  it("names an entry by its Nexla names and its anchor's id, with a stand-in when nothing is usable", () => {
    expect(slug("Überweisungen (EU) / Q1")).toBe("uberweisungen-eu-q1");
    expect(entryName("Orders", { kind: "flow", id: 100 }, null)).toBe("orders-100");
    expect(entryName("—", { kind: "flow", id: 100 }, null)).toBe("flow-100");
    expect(entryName("Click Stream", { kind: "data_set", id: 2101 }, "Sessions")).toBe(
      "click-stream-sessions-set2101",
    );
    expect(entryName("Orders", { kind: "data_sink", id: 3 }, "")).toBe("orders-sink3");
    expect(entryName(null, { kind: "data_source", id: 7 }, "?")).toBe("flow-source7");
  });

  /** Flows with clashing names (few distinct ones), some MIXED, so sub-flows are named too. */
  const orgArb = fc
    .uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 50 }),
        name: fc.constantFrom("Orders", "orders", "Orders 100", "", null, "Click Stream", "set2101"),
        sinks: fc.tuple(fc.constantFrom("ACTIVE", "PAUSED"), fc.constantFrom("ACTIVE", "PAUSED")),
      }),
      { selector: (f) => f.id, maxLength: 12 },
    )
    .map((flows) =>
      flows.map(({ id, name, sinks }) => {
        const response = flow([
          id * 10,
          "data_source",
          id * 10,
          "ACTIVE",
          [
            [id * 10 + 1, "data_sink", id * 10 + 1, sinks[0]],
            [id * 10 + 2, "data_sink", id * 10 + 2, sinks[1]],
          ],
        ]);
        return decompose({ ...response, flows: [{ ...response.flows[0]!, name }] }, false);
      }),
    );

  it("gives each entry the same name whichever other flows exist, and every name is unique", () => {
    fc.assert(
      fc.property(orgArb, fc.infiniteStream(fc.boolean()), (flows, keep) => {
        const all = nameAll(flows);
        const some = nameAll(flows.filter(() => keep.next().value));
        const byAnchor = new Map(
          all.flatMap((n) => n.entries.map((e) => [JSON.stringify(e.declaration.anchor), e.name])),
        );
        for (const e of some.flatMap((n) => n.entries))
          expect(e.name).toBe(byAnchor.get(JSON.stringify(e.declaration.anchor)));
        const names = all.flatMap((n) => n.entries.map((e) => e.name));
        expect(new Set(names).size).toBe(names.length);
      }),
    );
  });
});

describe("flags", () => {
  it("parses filters and defaults", () => {
    expect(
      parseCommand(["export", "--flow", "100,200", "--status", "mixed", "--name", "click*"]),
    ).toMatchObject({
      format: "yaml",
      out: "flows.yaml",
      filters: { flowIds: [100, 200], statuses: ["MIXED"], namePattern: "click*" },
    });
    expect(parseCommand(["export", "--format", "ts"])).toMatchObject({ out: "index.ts", force: false });
    expect(parseCommand(["export", "--update", "src/index.ts"])).toMatchObject({
      format: "ts",
      out: "src/index.ts",
      update: "src/index.ts",
    });
    expect(parseCommand(["export", "--update", "flows.yaml", "--force"])).toMatchObject({
      format: "yaml",
      force: true,
    });
    expect(parseCommand(["export", "--format", "import"])).toMatchObject({
      format: "import",
      out: "import.json",
    });
    expect(glob("click*").test("ClickStream")).toBe(true);
    expect(glob("a.b").test("axb")).toBe(false);
  });

  it.each([
    [["export", "--format", "json"], '--format must be yaml, ts or import, got "json"'],
    [
      ["export", "--format", "import", "--update", "f.yaml"],
      "--update edits a flows file or a program: leave out --format import",
    ],
    [
      ["export", "--format", "import", "--with-owner"],
      "--with-owner does not apply to --format import: an imported Flow declares no owner",
    ],
    [["export", "--status", "RUNNING"], '--status must be ACTIVE, PAUSED or MIXED, got "RUNNING"'],
    [["export", "--flow", "x1"], '--flow takes a numeric id, got "x1"'],
    [["export", "--nope"], "Unknown option '--nope'"],
    [["import"], 'unknown command "import": use export or drift'],
    [["export", "--update", "f.yaml", "--out", "g.yaml"], "--update writes back to the file it reads"],
    [["export", "--snapshot", "-"], "--snapshot needs a file name (standard output is for --out -)"],
  ])("refuses %j: %s", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
