/** `pulumi-nexla export`'s pure parts: decomposing a flow, naming Flows, the Pulumi YAML program, filters and flags. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMap, isScalar, parse, parseDocument, visit } from "yaml";
import type { FlowNode, FlowResponse } from "../../src/nexla/types.js";
import { parseCommand } from "../../src/export/args.js";
import { decompose } from "../../src/export/decompose.js";
import { glob } from "../../src/export/filters.js";
import { entryName, slug } from "../../src/export/names.js";
import { nameAll } from "../../src/export/entries.js";
import { noFilters } from "../../src/export/filters.js";
import { render } from "../../src/export/render.js";
import { flowOf, type Status } from "./export-flows.js";
import { pulumiYamlRead, pulumiYamlStrings } from "./pulumi-yaml-read.js";

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

describe("the Pulumi YAML program (--format pulumi-yaml)", () => {
  // Each flow `i` (node 100 × (i + 1)): its Nexla name, and its resources' statuses (sinks that differ: MIXED).
  const hostile: [string, Status[]][] = [
    ["${foo}", ["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"]],
    ["$${orders.status}", ["PAUSED", "PAUSED", "PAUSED", "PAUSED"]],
    ["a\n  pwned:\n    type: nexla:index:Flow\r\n", ["ACTIVE", "ACTIVE", "ACTIVE", "PAUSED"]],
    [`"it's" \\" '`, ["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"]],
    ["\u202eevil\u2066 \u2028 # : not a comment", ["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"]],
    ["   ", ["PAUSED", "PAUSED", "PAUSED", "PAUSED"]],
    ["1e", ["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"]],
  ];
  const flows = hostile.map(([name, statuses], i) =>
    decompose(flowOf(i, [name, "${src}", "set #1", "sink\n- a", "sink ${b}"], statuses), i === 0),
  );
  const text = render(nameAll(flows), "pulumi-yaml", noFilters);
  const flow = (properties: Record<string, unknown>) => ({ type: "nexla:index:Flow", properties });

  it("is exactly the intended project: the names' slugs as keys, the schema's properties, nothing else", () => {
    expect(parse(text)).toStrictEqual({
      name: "nexla-flows",
      runtime: "yaml",
      plugins: { providers: [{ name: "nexla", path: "node_modules/.bin" }] },
      resources: {
        "foo-100": flow({ flowId: 100, status: "ACTIVE", owner: { ownerId: 2, orgId: 2 } }),
        "orders-status-200": flow({ flowId: 200, status: "PAUSED" }),
        "a-pwned-type-nexla-index-flow-sink-a-sink3002": flow({
          dataSinkId: 3002,
          scope: "downstream",
          status: "ACTIVE",
        }),
        "a-pwned-type-nexla-index-flow-sink-b-sink4002": flow({
          dataSinkId: 4002,
          scope: "downstream",
          status: "PAUSED",
        }),
        "it-s-400": flow({ flowId: 400, status: "ACTIVE" }),
        "evil-not-a-comment-500": flow({ flowId: 500, status: "ACTIVE" }),
        "flow-600": flow({ flowId: 600, status: "PAUSED" }),
        "1e-700": flow({ flowId: 700, status: "ACTIVE" }),
      },
    });
  });

  it("names each flow in a comment, escaped as flows.yaml escapes it, and holds no invisible character", () => {
    const comments: string[] = [];
    visit(parseDocument(text), {
      Node: (_, node) => void comments.push(node.commentBefore ?? "", node.comment ?? ""),
    });
    expect(comments.join("\n").split("\n")).toEqual(
      expect.arrayContaining([
        " ${foo} (flow 100): ACTIVE",
        " $${orders.status} (flow 200): PAUSED",
        " a\\u{A}  pwned:\\u{A}    type: nexla:index:Flow\\u{D}\\u{A} (flow 300): MIXED",
        ` "it's" \\" ' (flow 400): ACTIVE`,
        " \\u{202E}evil\\u{2066} \\u{2028} # : not a comment (flow 500): ACTIVE",
        ` ${"   "} (flow 600): PAUSED`,
      ]),
    );
    expect(text.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
  });

  it("quotes every resource name, so no YAML reader takes one for a number, and no string value interpolates", () => {
    const doc = parseDocument(text);
    const resources = doc.get("resources", true);
    const keys = isMap(resources) ? resources.items.map(({ key }) => isScalar(key) && key.type) : [];
    expect(keys).toEqual(Array(8).fill("QUOTE_DOUBLE"));
    for (const value of pulumiYamlStrings(doc.toJS())) expect(pulumiYamlRead(value)).toBe(value);
  });

  it("refuses to write a resource name that is not one export chooses", () => {
    const [named] = nameAll(flows.slice(0, 1));
    const entries = named!.entries.map((e) => ({ ...e, name: "${foo}" }));
    expect(() => render([{ ...named!, entries }], "pulumi-yaml", noFilters)).toThrow(
      '"${foo}" is not a resource name export writes',
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
    expect(parseCommand(["export", "--format", "pulumi-yaml", "--with-owner"])).toMatchObject({
      format: "pulumi-yaml",
      out: "Pulumi.yaml",
      withOwner: true,
    });
    expect(glob("click*").test("ClickStream")).toBe(true);
    expect(glob("a.b").test("axb")).toBe(false);
  });

  it.each([
    [["export", "--format", "json"], '--format must be yaml, ts, import or pulumi-yaml, got "json"'],
    [
      ["export", "--format", "pulumi-yaml", "--update", "Pulumi.yaml"],
      "--update edits a flows file or a TypeScript program, not a Pulumi YAML program",
    ],
    [
      ["export", "--update", "infra/Pulumi.yml"],
      "--update edits a flows file or a TypeScript program, not a Pulumi YAML program",
    ],
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
