/**
 * Issue 19: a flow's Nexla name must never become code. An org whose flow and resource names are hostile
 * (a U+2028 that ended a `//` comment and ran what followed, bidi controls, quotes, YAML indicators) is
 * exported by the real bin as flows.yaml and as a TypeScript program, and the real Pulumi CLI runs both:
 * each declares exactly the intended Flows, adopts them with zero writes, and runs nothing else (the
 * injected text would throw, failing the `up`).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { sampleSeed, type Seed } from "pulumi-nexla/emulator";
import { exportOrg } from "./export-bin.js";
import { useHarness } from "./harness.js";

const hostile = [
  'evil\u2028globalThis.__injected = 1; throw new Error("INJECTED")\u2028//',
  '\u202e;)"DETCEJNI"(rorrE wen worht\u2066 */ ${`x`} \\',
  '\u2029- name: pwned\n  flowId: 1\r\n# : & * ! | > % @ "quoted" \u0085 end',
];

/** The sample org with flows 100–300 and all their resources renamed to the hostile strings. */
function hostileSeed(): Seed {
  const nameOf = (id: number) => hostile[id % hostile.length] ?? "";
  const rename = <T extends { readonly id: number; readonly name: string }>(list: readonly T[]) =>
    list.map((r) => ({ ...r, name: nameOf(r.id) }));
  return {
    ...sampleSeed,
    flow_nodes: sampleSeed.flow_nodes.map((n) =>
      n.id === n.origin_node_id ? { ...n, name: nameOf(n.id / 100) } : n,
    ),
    data_sources: rename(sampleSeed.data_sources),
    data_sets: rename(sampleSeed.data_sets),
    data_sinks: rename(sampleSeed.data_sinks),
  };
}

const h = useHarness({ seed: hostileSeed(), resetEachTest: false });

const flags = ["--flow", "100", "--flow", "200", "--flow", "300"];
const intended = [
  { flowId: 100, status: "ACTIVE" },
  { dataSetId: 2101, scope: "downstream", status: "ACTIVE" },
  { dataSinkId: 3100, scope: "downstream", status: "PAUSED" },
  { dataSetId: 2104, scope: "downstream", status: "ACTIVE" },
  { flowId: 300, status: "PAUSED" },
];

/** The Flow names in a stack's checkpoint, sorted. */
async function declaredNames(project: string, stack: string, program?: string): Promise<string[]> {
  const { deployment } = await h.stack(project, "export", { stack, ...(program ? { program } : {}) });
  type Checkpoint = { checkpoint: { latest: { resources?: { urn: string; type: string }[] } } };
  const resources = (deployment as Checkpoint).checkpoint.latest.resources;
  return (resources ?? [])
    .filter((r) => r.type === "pulumi-nodejs:dynamic/nexla:Flow")
    .map((r) => r.urn.split("::").at(-1) ?? "")
    .sort();
}

it("exports hostile names as YAML and TypeScript that declare exactly the intended Flows and run nothing else", async () => {
  h.emulator.control.setStatus("data_sink", 3100, "PAUSED");
  const yaml = await exportOrg(h, "flows.yaml", flags);
  const entries = (parse(yaml.text) as { flows: { name: string }[] }).flows;
  expect(entries.map(({ name: _, ...args }) => args)).toEqual(intended);
  const names = entries.map((e) => e.name);
  expect(names.every((n) => /^[a-z0-9-]+$/.test(n))).toBe(true);
  expect(yaml.text.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  const ts = await exportOrg(h, "program.mjs", ["--format", "ts", ...flags]);
  expect(ts.text.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  expect(ts.text).toContain("evil\\u{2028}globalThis.__injected = 1;");

  h.emulator.control.clearRequests();
  const config = { "gitops:flowsFile": { value: join(h.workDir, "flows.yaml") } };
  const up = await h.stack("gitops", "up", { stack: "hostile", config });
  expect(up.error).toBeUndefined();
  expect(Object.keys(up.outputs?.["statuses"] as object).sort()).toEqual([...names].sort());
  expect(await declaredNames("gitops", "hostile")).toEqual([...names].sort());

  const program = join(h.workDir, "program.mjs");
  const tsUp = await h.stack("exported", "up", { stack: "hostile", program });
  expect(tsUp.error).toBeUndefined();
  expect(tsUp.changes).toEqual({ create: intended.length + 1 });
  expect(await declaredNames("exported", "hostile", program)).toEqual([...names].sort());
  expect(h.writes()).toEqual([]);
  expect(await readFile(program, "utf8")).toBe(ts.text);
});
