/**
 * `export --update` as properties over two states of an org (issue 19): whatever changed in Nexla between
 * the export and the update, every entry keeps its name and place, its status changes only to one its whole
 * scope now shares, new flows come after it, and updating again changes nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decompose } from "../../src/export/decompose.js";
import { noFilters } from "../../src/export/filters.js";
import { withDeleteOrder } from "../../src/export/delete-order.js";
import { nameAll } from "../../src/export/entries.js";
import { render } from "../../src/export/render.js";
import { planUpdate } from "../../src/export/update.js";
import { readTs } from "../../src/export/update-ts.js";
import { readYaml } from "../../src/export/update-yaml.js";
import { flowOf, withLinks, type Links, type Status } from "./export-flows.js";

const statuses = fc.array(fc.constantFrom<Status>("ACTIVE", "PAUSED"), { minLength: 4, maxLength: 4 });
/** Flows 0–5, each present or not, with any statuses. */
const orgArb = fc.array(fc.option(statuses, { nil: undefined }), { minLength: 6, maxLength: 6 });
type Org = (Status[] | undefined)[];

/**
 * Flows that Nexla deletes only in one order, so files hold dependsOn: flow 200 is a RAG flow linked to flow 100,
 * flow 400 derives from the data set of flow 300, and flow 600 is a RAG flow linked to flow 500.
 */
const links: Links[] = [
  { linkedFlows: [200] },
  { flowType: "rag", linkedFlows: [100] },
  {},
  { parent: 302 },
  { linkedFlows: [600] },
  { flowType: "rag" },
];

function flowsOf(org: Org) {
  return org.flatMap((s, i) => {
    if (s === undefined) return [];
    const response = withLinks(flowOf(i, [`Flow ${i}`, "src", "set", "a", "b"], s), links[i] ?? {});
    return [{ response, flow: decompose(response, false) }];
  });
}

const exportOf = (org: Org, format: "yaml" | "ts") =>
  render(withDeleteOrder(nameAll(flowsOf(org).map((f) => f.flow))).flows, format, noFilters);

function update(text: string, org: Org, format: "yaml" | "ts"): string {
  const file = format === "yaml" ? readYaml(text, "flows.yaml") : readTs(text, "index.ts");
  return file.apply(planUpdate(file.entries, flowsOf(org), { filters: noFilters, withOwner: false }));
}

type Entry = { name: string; status: string; [key: string]: unknown };
const entries = (text: string) => (parse(text) as { flows: Entry[] }).flows;

describe.each(["yaml", "ts"] as const)("export --update (%s)", (format) => {
  it("keeps every entry's name and place, adds new flows after them, and a second update changes nothing", () => {
    fc.assert(
      fc.property(orgArb, orgArb, (before, after) => {
        if (!before.some((s) => s !== undefined)) return;
        const text = exportOf(before, format);
        expect(update(text, before, format)).toBe(text);
        const updated = update(text, after, format);
        const names = (t: string) => [...t.matchAll(/(?:name: |new Flow\()"([^"]+)"/g)].map((m) => m[1]);
        expect(names(updated).slice(0, names(text).length)).toEqual(names(text));
        expect(update(updated, after, format)).toBe(updated);
      }),
    );
  });
});

/** The distinct statuses, in `org`, of the resources in an entry's scope (flowOf's layout: k = 0…3). */
function scopeStatuses(org: Org, entry: Entry): string[] {
  const [key, id] = Object.entries(entry).find(([k]) => k.endsWith("Id")) as [string, number];
  const i = key === "flowId" ? id / 100 - 1 : id % 1000;
  const first = { flowId: 0, dataSourceId: 0, dataSetId: 1, dataSinkId: id < 4000 ? 2 : 3 }[key] ?? 0;
  const ks = key === "dataSinkId" ? [first] : [0, 1, 2, 3].filter((k) => k >= first);
  return [...new Set(ks.map((k) => org[i]?.[k]))].map(String);
}

describe("export --update (yaml) statuses", () => {
  it("changes an entry's status only to the one every resource of its scope now has", () => {
    fc.assert(
      fc.property(orgArb, orgArb, (before, after) => {
        if (!before.some((s) => s !== undefined)) return;
        const text = exportOf(before, "yaml");
        const now = entries(update(text, after, "yaml"));
        entries(text).forEach((old, i) => {
          const entry = now[i] as Entry;
          if (entry.status !== old.status) expect(scopeStatuses(after, old)).toEqual([entry.status]);
        });
      }),
    );
  });
});
