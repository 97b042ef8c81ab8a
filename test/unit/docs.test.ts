import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../../src/nexla/index.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("the README", () => {
  it.each(Object.keys(errorCodes))("documents the error code %s", (code) => {
    expect(readme).toContain(`| \`${code}\` |`);
  });

  it("gives the two set-up commands the CI and a new user run", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm test");
  });
});
