/**
 * The repository is self-contained (docs/design.md §2, §8.13): a `git clone` is all it needs. No tracked file
 * reads or cites a sibling folder or notes kept outside the repository, no relative path climbs above the
 * repository's root, and every citation of the project's docs names a file and a section that exist.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Tracked text files, as `[path, lines]`. */
function trackedTexts(): [string, string[]][] {
  const paths = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0");
  return paths
    .filter((path) => path !== "" && path !== "package-lock.json" && existsSync(join(root, path)))
    .map((path) => [path, readFileSync(join(root, path), "utf8")] as const)
    .filter(([, text]) => !text.includes("\0"))
    .map(([path, text]) => [path, text.split("\n")]);
}

/** References to things outside the repository, by what is wrong with them. */
const outside: [RegExp, string][] = [
  [/\.\.\/shared\b/, "reads the sibling folder shared/"],
  [/\bshared\/(?:nexla|pulumi)\b/, "cites the sibling folder shared/"],
  [
    /\bNOTES\.md\b/,
    "cites notes outside the repository (the facts are in docs/nexla-api.md, docs/pulumi.md)",
  ],
  [
    /(?<!docs\/)\b(?:design|style)\.md\b/,
    "cites design notes outside the repository (they are docs/design.md)",
  ],
];

/** TypeScript files built into dist/ run one folder deeper, so their paths may climb one more level. */
const built = /^(?:index\.ts$|src\/|provider\/|examples\/|bench\/|tools\/.*\.ts$)/;
/** A relative path: `..` segments, not part of a longer name or a spread (`...`). */
const climb = /(?<![\w.])\.\.(?:\/\.\.)*(?=\/|[^\w.]|$)/g;

/** `file:line: what`, for every reference outside the repository in one file. */
function outsideReferences(path: string, lines: readonly string[]): string[] {
  const depth = path.split("/").length - 1 + (built.test(path) ? 1 : 0);
  return lines.flatMap((line, i) => {
    const at = `${path}:${i + 1}`;
    const found = outside.filter(([pattern]) => pattern.test(line)).map(([, what]) => `${at}: ${what}`);
    for (const match of line.matchAll(climb)) {
      const levels = match[0].split("/").length;
      if (levels > depth) found.push(`${at}: "${match[0]}" climbs above the repository's root`);
    }
    return found;
  });
}

/** Section ids of a docs page: its headings' first word (`2.3`, `A2`), and `N.M` for item M of section N. */
function sectionsOf(markdown: string): Set<string> {
  const ids = new Set<string>();
  let section = "";
  for (const line of markdown.split("\n")) {
    const heading = /^#{1,6} (\S+)/.exec(line);
    if (heading?.[1] !== undefined) ids.add((section = heading[1].replace(/[.:]$/, "")));
    const item = /^(\d+)\. /.exec(line);
    if (item && section !== "") ids.add(`${section}.${item[1]}`);
  }
  return ids;
}

/** A path into docs/: a file with its extension, or a folder with its trailing slash. */
const docPath = /(?<![\w./-])docs\/(?:[\w./-]*\.(?:md|ya?ml)\b|[\w-]+\/)/g;
const sectionCitation = /(?<![\w./-])docs\/([\w-]+\.md) §(\d+(?:\.\d+)*(?:, ?§?\d+(?:\.\d+)*)*)/g;
const partCitation = /(?<![\w./-])docs\/([\w-]+\.md) ([AB]\d+[a-z]?(?:, ?[AB]\d+[a-z]?)*)\b/g;

/** `file:line: what`, for every docs path or citation in one file that names nothing. */
function brokenCitations(
  path: string,
  lines: readonly string[],
  sections: (doc: string) => Set<string> | undefined,
): string[] {
  return lines.flatMap((line, i) => {
    const at = `${path}:${i + 1}`;
    const found: string[] = [];
    for (const [cited] of line.matchAll(docPath))
      if (!existsSync(join(root, cited))) found.push(`${at}: ${cited} does not exist`);
    for (const [, doc = "", list = ""] of [
      ...line.matchAll(sectionCitation),
      ...line.matchAll(partCitation),
    ]) {
      const ids = sections(doc);
      for (const id of list.split(/, ?/).map((s) => s.replace("§", "")))
        if (ids !== undefined && !ids.has(id)) found.push(`${at}: docs/${doc} has no section ${id}`);
    }
    return found;
  });
}

const texts = trackedTexts();
const docSections = (doc: string): Set<string> | undefined => {
  const file = join(root, "docs", doc);
  return existsSync(file) ? sectionsOf(readFileSync(file, "utf8")) : undefined;
};

describe("the repository is self-contained", () => {
  it("lists the tracked files (it is a git checkout)", () => {
    expect(texts.map(([path]) => path)).toContain("docs/nexla-api.md");
  });

  it("reads and cites nothing outside itself", () => {
    expect(texts.flatMap(([path, lines]) => outsideReferences(path, lines))).toEqual([]);
  });

  it("cites only docs files and sections that exist", () => {
    expect(texts.flatMap(([path, lines]) => brokenCitations(path, lines, docSections))).toEqual([]);
  });

  it("would notice a reference outside the repository, or a citation of a missing section", () => {
    // Built from pieces, so that this file does not hold what it looks for.
    const [up2, up3] = [2, 3].map((n) => Array<string>(n).fill("..").join(posix.sep));
    const [notes, style] = ["NOTES", "style"].map((name) => `${name}.md`);
    const sibling = ["shared", "nexla", "openapi"].join("/");
    const file = "test/integration/x.test.ts";
    expect(
      outsideReferences(file, [
        `join(here, "${up3}/${sibling}")`,
        `(${notes} section 2.3)`,
        `(${style} item 7)`,
        `readFileSync("${up3}/package.json")`,
        `import "${up2}/src/index.js"`,
      ]),
    ).toEqual([
      `${file}:1: reads the sibling folder shared/`,
      `${file}:1: cites the sibling folder shared/`,
      `${file}:1: "${up3}" climbs above the repository's root`,
      `${file}:2: cites notes outside the repository (the facts are in docs/nexla-api.md, docs/pulumi.md)`,
      `${file}:3: cites design notes outside the repository (they are docs/design.md)`,
      `${file}:4: "${up3}" climbs above the repository's root`,
    ]);
    const [api, pulumi] = ["nexla-api", "pulumi"].map((name) => ["docs", `${name}.md`].join("/"));
    expect(brokenCitations("x.ts", [`(${api} §2.3, 9.12, 9.13; ${pulumi} A2, B9)`], docSections)).toEqual([
      `x.ts:1: ${api} has no section 9.13`,
      `x.ts:1: ${pulumi} has no section B9`,
    ]);
  });
});
