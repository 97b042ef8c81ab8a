/**
 * What the README promises, checked against what it describes: the error codes against the client's and the
 * planner's, the sample org against the sample seed, the commands against package.json, the examples against
 * the examples folder. A README that drifts from the code fails here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { sampleSeed, type SeedResource } from "pulumi-nexla/emulator";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../../src/nexla/index.js";
import { plannerErrorCodes } from "../../src/planner/errors.js";

const file = (path: string) => new URL(`../../${path}`, import.meta.url);
const readme = readFileSync(file("README.md"), "utf8");
const scripts = Object.keys(
  (JSON.parse(readFileSync(file("package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
);

/** The text of the `## heading` section, up to the next `## ` heading. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README section "## ${heading}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The body rows of the table whose header row starts with `| <first> |`, as trimmed cells. */
function table(text: string, first: string): string[][] {
  const lines = text.split("\n");
  const header = lines.findIndex((line) => line.startsWith(`| ${first} |`));
  expect(header, `a table headed "${first}"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.replace(/^\|\s*|\s*\|$/g, "").split(/\s+\|\s+/));
  }
  return rows;
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, "");
const sorted = (items: Iterable<string>) => [...items].sort();

describe("the README's Troubleshooting section", () => {
  const troubleshooting = section("Troubleshooting");

  it("lists exactly the client's error codes, each once", () => {
    const codes = table(troubleshooting, "code").map(([code]) => unquote(code ?? ""));
    expect(sorted(codes)).toEqual(sorted(Object.keys(errorCodes)));
  });

  it("lists exactly the planner's error codes under Planner errors, each once", () => {
    const list = troubleshooting.slice(troubleshooting.indexOf("\nPlanner errors"));
    const codes = [...list.matchAll(/^- `([a-z_]+)` — /gm)].map((m) => m[1] ?? "");
    expect(sorted(codes)).toEqual(sorted(plannerErrorCodes));
  });
});

describe("the README's sample org", () => {
  const client = section("The client");
  const resources: readonly SeedResource[] = [
    ...sampleSeed.data_sources,
    ...sampleSeed.data_sets,
    ...sampleSeed.data_sinks,
  ];
  const rows = table(client, "flow");
  // A node is an origin iff it is its own origin (a derived flow's origin has a parent in another flow).
  const origins = sampleSeed.flow_nodes.filter((n) => n.id === n.origin_node_id);

  it("names every flow of the sample seed, by name and origin node", () => {
    expect(rows.map(([name, origin]) => `${name} ${origin}`)).toEqual(
      origins.map((n) => `${n.name} ${n.id}`),
    );
  });

  it.each(rows.map((row) => [row[0] ?? "", row] as const))(
    "describes %s as seeded: its resources, their statuses and owner",
    (_, [, origin, listed = "", status, ownerOrg = ""]) => {
      const inFlow = resources.filter((r) => r.origin_node_id === Number(origin));
      // A branch point is named again where the second branch starts (`set 2100 → set 2104`).
      const ids = new Set([...listed.matchAll(/\d+/g)].map((m) => m[0]));
      expect(sorted(ids)).toEqual(sorted(inFlow.map((r) => String(r.id))));
      const flagged = new Map(
        [...listed.matchAll(/(\d+) \(([A-Z_]+)\)/g)].map((m) => [Number(m[1]), m[2]] as const),
      );
      const [owner, org] = ownerOrg.split(" / ").map(Number);
      for (const r of inFlow) {
        expect(`${r.id} ${r.status}`).toBe(`${r.id} ${flagged.get(r.id) ?? status}`);
        expect(`${r.id} owner ${r.owner_id} / ${r.org_id}`).toBe(`${r.id} owner ${owner} / ${org}`);
      }
    },
  );

  it("gives every user with their org, super-user flag and credentials", () => {
    const described = table(client, "user").map(([who, superUser = "", key, token]) => ({
      who,
      superUser: superUser.startsWith("yes"),
      key: unquote(key ?? ""),
      token: unquote(token ?? ""),
    }));
    expect(described).toEqual(
      sampleSeed.users.map((u) => ({
        who: `${u.id} ${u.email} (org ${u.org_ids.join(", ")})`,
        superUser: u.super_user,
        key: u.service_key,
        token: u.access_token,
      })),
    );
  });
});

describe("the README's commands and examples", () => {
  it("gives the two set-up commands the CI and a new user run", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm test");
  });

  it("names only npm scripts that exist", () => {
    const named = new Set([...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] ?? ""));
    if (/\bnpm test\b/.test(readme)) named.add("test");
    expect(named.size).toBeGreaterThan(0);
    expect(sorted(named).filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it("lists every example folder, and each is a program: an index.ts, Pulumi YAML, or a Python __main__.py", () => {
    const listed = [...section("Examples").matchAll(/`([a-z-]+)`/g)].map((m) => m[1] ?? "");
    const folders = readdirSync(file("examples"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(sorted(listed)).toEqual(sorted(folders));
    const runtime = (name: string) =>
      /^runtime:(?: |\n {2}name: )(\w+)$/m.exec(
        readFileSync(file(`examples/${name}/Pulumi.yaml`), "utf8"),
      )?.[1];
    const isProgram = (name: string) =>
      existsSync(file(`examples/${name}/index.ts`)) ||
      runtime(name) === "yaml" ||
      (runtime(name) === "python" && existsSync(file(`examples/${name}/__main__.py`)));
    for (const name of listed) expect(isProgram(name), name).toBe(true);
  });
});
