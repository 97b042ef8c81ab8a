/**
 * The gitops layout's file checks (src/declaration/flows-file.ts, which the gitops example, `drift` and
 * `export --update` read the file with): the whole file is validated before
 * any Flow is declared, every problem reported at once; a file that declares no flow is refused unless it
 * says `allowEmpty: true`; `aliases` carry earlier names.
 */
import { describe, expect, it } from "vitest";
import { parseFlowsFile as parseFlows } from "../../src/declaration/flows-file.js";

const file = (...lines: string[]) => lines.join("\n") + "\n";

describe("gitops flows file", () => {
  it("turns each entry into a name, checked Flow arguments and aliases", () => {
    const entries = parseFlows(
      file(
        "flows:",
        "  - name: orders-100",
        "    aliases: [orders]",
        "    flowId: 100",
        "    status: ACTIVE",
        "  - name: clickstream-archive",
        "    dataSinkId: 3100",
        "    scope: downstream",
        "    status: PAUSED",
      ),
      "flows.yaml",
    );
    expect(entries).toEqual([
      { name: "orders-100", args: { flowId: 100, status: "ACTIVE" }, aliases: ["orders"], dependsOn: [] },
      {
        name: "clickstream-archive",
        args: { dataSinkId: 3100, scope: "downstream", status: "PAUSED" },
        aliases: [],
        dependsOn: [],
      },
    ]);
  });

  it("refuses a file that declares no flow, saying how to mean it", () => {
    expect(() => parseFlows("flows: []\n", "flows.yaml")).toThrow(
      "flows.yaml has a problem, and no Flow was declared:\n" +
        "  - it declares no flow, so `pulumi up` would delete every flow this stack manages in Nexla. If that is " +
        'what you mean, say so: add "allowEmpty: true" at the top level of the file',
    );
    expect(parseFlows("allowEmpty: true\nflows: []\n", "flows.yaml")).toEqual([]);
  });

  it("reports every problem of the file at once, a good entry before them notwithstanding", () => {
    const text = file(
      "allowEmpty: maybe",
      "flow: []",
      "flows:",
      "  - name: orders",
      "    flowId: 100",
      "    status: PAUSED",
      "  - name: orders",
      "    flowId: 200",
      "    status: RUNNING",
      "  - flowId: 300",
      "    status: ACTIVE",
      "    colour: blue",
      "  - name: billing",
      "    aliases: billing-export",
      "    flowId: 300",
      "    status: PAUSED",
      "  - name: staging",
      "    aliases: [orders, '']",
      "    flowId: 500",
      "    status: PAUSED",
      "  - just a string",
    );
    expect(() => parseFlows(text, "flows.yaml")).toThrowErrorMatchingInlineSnapshot(`
      [Error: flows.yaml has 10 problems, and no Flow was declared:
        - unknown top-level key "flow" (known: flows, allowEmpty)
        - "allowEmpty" must be true or false
        - flows[1] (orders) are not valid: status: status must be "ACTIVE" or "PAUSED", got "RUNNING".
        - flows[2] needs a "name" (the Pulumi resource name)
        - flows[2] are not valid: colour: Unknown property "colour". Known properties: flowId, dataSourceId, dataSetId, dataSinkId, scope, status, owner, convergeTimeoutSeconds.
        - flows[3] (billing): "aliases" must be a list of earlier names (non-empty strings)
        - flows[4] (staging): "aliases" must be a list of earlier names (non-empty strings)
        - flows[5] must be a mapping with a "name", an anchor and a "status"
        - the name "orders" is used by more than one entry
        - "staging" has the alias "orders", the name of an entry]
    `);
  });

  it("refuses an alias that is another entry's name or is given twice", () => {
    const text = file(
      "flows:",
      "  - { name: a, aliases: [b], flowId: 100, status: ACTIVE }",
      "  - { name: b, flowId: 200, status: ACTIVE }",
      "  - { name: c, aliases: [old], flowId: 300, status: PAUSED }",
      "  - { name: d, aliases: [old], flowId: 500, status: PAUSED }",
    );
    expect(() => parseFlows(text, "f.yaml")).toThrow(
      'f.yaml has 2 problems, and no Flow was declared:\n  - "a" has the alias "b", the name of an entry\n' +
        '  - the alias "old" is given to both "c" and "d"',
    );
  });

  it("refuses what is not a flows file", () => {
    expect(() => parseFlows("flows: [", "f.yaml")).toThrow(/^f\.yaml is not valid YAML: /);
    expect(() => parseFlows("- name: a\n", "f.yaml")).toThrow('f.yaml: expected a top-level "flows:" list');
    expect(() => parseFlows("", "f.yaml")).toThrow('f.yaml: expected a top-level "flows:" list');
  });

  it("takes dependsOn, names of other entries, and refuses one that names no entry or goes round in a circle", () => {
    const entry = (name: string, id: number, deps?: string) => [
      `  - name: ${name}`,
      `    flowId: ${id}`,
      "    status: PAUSED",
      ...(deps ? [`    dependsOn: [${deps}]`] : []),
    ];
    const ok = parseFlows(file("flows:", ...entry("rag", 710, "docs"), ...entry("docs", 700)), "flows.yaml");
    expect(ok.map((e) => [e.name, e.dependsOn])).toEqual([
      ["rag", ["docs"]],
      ["docs", []],
    ]);
    expect(() =>
      parseFlows(file("flows:", ...entry("rag", 710, "nope"), ...entry("docs", 700, "docs")), "flows.yaml"),
    ).toThrow(/"rag" depends on "nope", which is no entry of the file[\s\S]*"docs" depends on itself/);
    expect(() =>
      parseFlows(file("flows:", ...entry("a", 700, "b"), ...entry("b", 710, "a")), "flows.yaml"),
    ).toThrow('the entries "a" → "b" → "a" depend on each other in a circle');
  });
});
