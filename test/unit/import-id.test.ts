/** The ids `pulumi import nexla:index:Flow <name> <id>` takes (src/declaration/import-id.ts). */
import { expect, it } from "vitest";
import { importIdOf, parseImportId } from "../../src/declaration/import-id.js";

it("reads an anchor with an optional scope, or a Flow's stored id", () => {
  expect(parseImportId("flow:100")).toEqual({ anchor: { kind: "flow", id: 100 }, scope: "flow" });
  expect(parseImportId("data_source:1100")).toEqual({
    anchor: { kind: "data_source", id: 1100 },
    scope: "flow",
  });
  expect(parseImportId("data_set:2101:downstream")).toEqual({
    anchor: { kind: "data_set", id: 2101 },
    scope: "downstream",
  });
  expect(parseImportId("data_sink:3000:flow")).toEqual({
    anchor: { kind: "data_sink", id: 3000 },
    scope: "flow",
  });
  expect(parseImportId("100")).toEqual({ anchor: { kind: "flow", id: 100 }, scope: "flow" });
  expect(parseImportId("200/2101")).toEqual({
    anchor: { kind: "flow", id: 2101 },
    scope: "downstream",
    origin: 200,
  });
});

it("refuses anything else, naming the forms it takes", () => {
  for (const id of [
    "",
    "flows:100",
    "flow:0",
    "flow:-1",
    "flow:1e3",
    "data_set:2101:down",
    "flow:100:flow:x",
    "200/",
    "a/b",
  ])
    expect(() => parseImportId(id), id).toThrow(
      `${JSON.stringify(id)} is not an id of a Flow to import. Use \`flow:<node id>\`, \`data_source:<id>\`, ` +
        "`data_set:<id>` or `data_sink:<id>`, each optionally followed by `:downstream` (the anchor and what lies " +
        "below it) or `:flow` (the default: the whole flow), e.g. `flow:100` or `data_set:2101:downstream`; or a " +
        "Flow's stored id, `<origin node>` or `<origin node>/<anchor node>`.",
    );
});

it("names a scope by the id that imports it, which reads back as the same scope", () => {
  for (const [anchor, scope] of [
    [{ kind: "flow", id: 100 }, "flow"],
    [{ kind: "data_set", id: 2101 }, "downstream"],
    [{ kind: "data_sink", id: 3000 }, "flow"],
  ] as const)
    expect(parseImportId(importIdOf(anchor, scope))).toEqual({ anchor, scope });
});
