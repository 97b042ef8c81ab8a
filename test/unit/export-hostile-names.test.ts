/**
 * Nexla names are free text that export writes into a file someone reviews and Pulumi runs (issue 19): no
 * name may change what the file declares. Over arbitrary Unicode names and a list of known-hostile pieces
 * (line terminators JavaScript has and YAML lacks, bidi controls, quotes, comment ends, YAML indicators,
 * Pulumi YAML interpolations), the YAML and the Pulumi YAML program parse back to exactly the intended Flows,
 * and the TypeScript program, run with a stub `Flow`, declares exactly them and runs nothing else (a name that
 * escaped would set a sentinel or throw). Flows are linked (RAG links, derived flows), so the `dependsOn` export
 * writes between them is checked too: names of the intended entries only, and in Pulumi YAML the one
 * interpolation the program holds.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decompose } from "../../src/export/decompose.js";
import { noFilters, type Filters } from "../../src/export/filters.js";
import { anchorKeyOf } from "../../src/declaration/schema.js";
import { withDeleteOrder } from "../../src/export/delete-order.js";
import { nameAll, type NamedFlow } from "../../src/export/entries.js";
import { render } from "../../src/export/render.js";
import { flowOf, withLinks, type Status } from "./export-flows.js";
import { pulumiYamlRead, pulumiYamlStrings } from "./pulumi-yaml-read.js";
import { pulumiYamlString, stringLiteral, visible } from "../../src/text.js";

const injection = 'evil\u2028globalThis.__injected = 1; throw new Error("INJECTED")\u2028//';
export const hostilePieces = [
  injection,
  "\u2028",
  "\u2029",
  "\u0085",
  "\r",
  "\n",
  "\r\n",
  "\u0000",
  "\u007f",
  "\ufeff",
  "\u200b",
  ...["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
  '"',
  "'",
  "\\",
  "*/",
  "/*",
  "${",
  "${foo}",
  "$${orders.status}",
  "$",
  "`",
  "- ",
  ": ",
  "#",
  "&",
  "*",
  "!",
  "|",
  ">",
  "%",
  "@",
  "\n  - name: pwned\n    flowId: 1\n",
  "\u2028  - name: pwned\u2028    flowId: 1",
  "*/ globalThis.__injected = 1; /*",
  "\u202e;1 = detcejni__.sihTlabolg\u2066",
];

/** A name: hostile pieces and arbitrary code points, surrogate halves included. */
const nameArb = fc
  .array(fc.oneof(fc.constantFrom(...hostilePieces), fc.string({ unit: "binary", maxLength: 6 })), {
    maxLength: 4,
  })
  .map((parts) => parts.join(""));

const orgArb = fc.record({
  flows: fc.array(
    fc.record({
      names: fc.array(nameArb, { minLength: 5, maxLength: 5 }),
      statuses: fc.array(fc.constantFrom<Status>("ACTIVE", "PAUSED"), { minLength: 4, maxLength: 4 }),
      rag: fc.boolean(),
      /** To the flow before it: none, a link, or derived from its data set. */
      relation: fc.constantFrom("none", "link", "derived"),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  withOwner: fc.boolean(),
  namePattern: fc.option(nameArb, { nil: undefined }),
});

type Org = typeof orgArb extends fc.Arbitrary<infer T> ? T : never;

function exportOf(org: Org): { named: NamedFlow[]; filters: Filters } {
  const flows = org.flows.map((f, i) => {
    // Flow i's origin is node 100 × (i + 1); the flow before it has its data set at node 100 × i + 2.
    const response = withLinks(flowOf(i, f.names, f.statuses), {
      ...(f.rag ? { flowType: "rag" } : {}),
      ...(i > 0 && f.relation === "link" ? { linkedFlows: [100 * i] } : {}),
      ...(i > 0 && f.relation === "derived" ? { parent: 100 * i + 2 } : {}),
    });
    return decompose(response, org.withOwner);
  });
  const filters = org.namePattern === undefined ? noFilters : { ...noFilters, namePattern: org.namePattern };
  return { named: withDeleteOrder(nameAll(flows)).flows, filters };
}

/** What the file must declare: each entry as the gitops layout (and `new Flow(name, args)`) states it. */
function intended(
  named: readonly NamedFlow[],
): { name: string; args: Record<string, unknown>; dependsOn: readonly string[] }[] {
  return named.flatMap((n) =>
    n.entries.map(({ name, declaration: d, dependsOn = [] }) => ({
      name,
      dependsOn,
      args: {
        [anchorKeyOf(d.anchor.kind)]: d.anchor.id,
        ...(d.scope === "downstream" ? { scope: "downstream" } : {}),
        status: d.status,
        ...(d.owner ? { owner: { ownerId: d.owner.ownerId, orgId: d.owner.orgId } } : {}),
      },
    })),
  );
}

/** Nothing a reader's editor could render as something else: no control, format or separator character. */
const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
function withoutNewlines(text: string): string {
  return text.replaceAll("\n", "");
}

describe("text", () => {
  it("a string literal has exactly the name as its value, and neither it nor a comment holds an invisible character", () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        const literal = stringLiteral(name);
        expect(literal).not.toMatch(invisible);
        expect(visible(name)).not.toMatch(invisible);
        expect(new Function(`return ${literal};`)()).toBe(name);
      }),
      { numRuns: 500 },
    );
    expect(visible("a\u2028b\u202ec\u0085")).toBe("a\\u{2028}b\\u{202E}c\\u{85}");
  });
});

describe("Pulumi YAML strings", () => {
  it("read back as exactly the text, never as an interpolation", () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        expect(pulumiYamlRead(pulumiYamlString(name))).toBe(name);
      }),
      { numRuns: 500 },
    );
    expect(pulumiYamlString("${foo}")).toBe("$${foo}");
    // Escaping only `${` would give `$$${x}`: a `$`, then the interpolation of x.
    expect(pulumiYamlString("$${x}")).toBe("$$$${x}");
    expect(pulumiYamlRead("$$${x}")).toBeUndefined();
  });
});

describe("YAML export", () => {
  it("parses back to exactly the intended Flows, whatever the names, and holds no invisible character", () => {
    fc.assert(
      fc.property(orgArb, (org) => {
        const { named, filters } = exportOf(org);
        const text = render(named, "yaml", filters);
        const doc = parse(text) as { flows: { name: string; dependsOn?: string[] }[] };
        expect(doc.flows.map(({ name, dependsOn = [], ...args }) => ({ name, args, dependsOn }))).toEqual(
          intended(named),
        );
        expect(withoutNewlines(text)).not.toMatch(invisible);
      }),
      { numRuns: 300 },
    );
  });
});

describe("Pulumi YAML export", () => {
  it("parses back to exactly the intended program, whatever the names, and holds no invisible character", () => {
    fc.assert(
      fc.property(orgArb, (org) => {
        const { named, filters } = exportOf(org);
        const text = render(named, "pulumi-yaml", filters);
        const { resources, ...project } = parse(text) as { resources: Record<string, unknown> };
        expect(project).toEqual({
          name: "nexla-flows",
          runtime: "yaml",
          plugins: { providers: [{ name: "nexla", path: "node_modules/.bin" }] },
        });
        expect(Object.entries(resources)).toEqual(
          intended(named).map(({ name, args, dependsOn }) => [
            name,
            {
              type: "nexla:index:Flow",
              properties: args,
              ...(dependsOn.length > 0 ? { options: { dependsOn: dependsOn.map((d) => `\${${d}}`) } } : {}),
            },
          ]),
        );
        // The one interpolation is dependsOn's, of a resource key (checked above): no other string interpolates.
        const values = Object.values(resources).map((r) => ({ ...(r as object), options: undefined }));
        for (const value of pulumiYamlStrings(values)) expect(pulumiYamlRead(value)).toBe(value);
        expect(withoutNewlines(text)).not.toMatch(invisible);
      }),
      { numRuns: 300 },
    );
  });
});

describe("TypeScript export", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "export-ts-"));
    const stub = join(dir, "node_modules", "pulumi-nexla");
    mkdirSync(stub, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      join(stub, "package.json"),
      JSON.stringify({ name: "pulumi-nexla", type: "module", main: "index.js" }),
    );
    writeFileSync(
      join(stub, "index.js"),
      "export class Flow { constructor(name, args, ...rest) { this.name = name; globalThis.__flows.push({ name, args, rest }); } }\n",
    );
    writeFileSync(
      join(dir, "run.mjs"),
      [
        "globalThis.__flows = [];",
        "const program = await import(process.argv[2]);",
        "await program.default();",
        "console.log(JSON.stringify({ flows: globalThis.__flows, injected: globalThis.__injected ?? null }));",
      ].join("\n"),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the program in its own Node process with the stub `Flow`: what it declared, and the sentinel. */
  function run(text: string): {
    flows: { name: string; args: unknown; rest: unknown[] }[];
    injected: unknown;
  } {
    const file = join(dir, "program.mjs");
    writeFileSync(file, text);
    const stdout = execFileSync(process.execPath, [join(dir, "run.mjs"), file], {
      cwd: dir,
      encoding: "utf8",
    });
    return JSON.parse(stdout) as ReturnType<typeof run>;
  }

  it("a flow named with U+2028 and code around it is a comment, not code", () => {
    const named = nameAll([
      decompose(flowOf(0, [injection, "a", "b", "c", "d"], ["ACTIVE", "ACTIVE", "ACTIVE", "PAUSED"]), false),
    ]);
    const { flows, injected } = run(render(named, "ts", noFilters));
    expect(injected).toBeNull();
    expect(flows.map(({ name, args }) => ({ name, args, dependsOn: [] }))).toEqual(intended(named));
  });

  it("declares exactly the intended Flows and runs nothing else, whatever the names, and holds no invisible character", () => {
    fc.assert(
      fc.property(orgArb, (org) => {
        const { named, filters } = exportOf(org);
        const text = render(named, "ts", filters);
        expect(withoutNewlines(text)).not.toMatch(invisible);
        const { flows, injected } = run(text);
        expect(injected).toBeNull();
        // A Flow another depends on is passed to it as the object declared above (the stub's `name`).
        expect(flows).toEqual(
          intended(named).map(({ dependsOn, ...f }) => ({
            ...f,
            rest: dependsOn.length > 0 ? [{ dependsOn: dependsOn.map((name) => ({ name })) }] : [],
          })),
        );
      }),
      { numRuns: 60 },
    );
  });
});
