/**
 * `export --snapshot` keeps what makes Nexla refuse a delete (issue 19, item 5): a flow derived from a shared
 * nexset, and a flow linked to a RAG flow. The emulator seeded from the snapshot refuses the same deletes,
 * with the same answers, as the org it was taken from; a snapshot that holds a derived or linked flow
 * without the flow it depends on is refused rather than served without the refusal.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { createEmulator, seedFromSnapshot, type Emulator } from "pulumi-nexla/emulator";
import { exportCli } from "./export-cli.js";

const { emulator, run, file } = exportCli();
const only = (...ids: number[]) => ids.flatMap((id) => ["--flow", String(id)]);

async function snapshotOf(...ids: number[]): Promise<unknown> {
  const r = await run(["--out", file("flows.yaml"), "--snapshot", file("org.json"), ...only(...ids)]);
  expect(r.code).toBe(0);
  return JSON.parse(await readFile(file("org.json"), "utf8"));
}

async function answer(e: Emulator, method: string, path: string) {
  const r = await e.request(path, { method, headers: { Authorization: "Bearer emu-super-access-token" } });
  return { status: r.status, body: await r.text() };
}

describe("export --snapshot", () => {
  it("keeps shared-nexset derivations and RAG links, so the copy refuses the same deletes", async () => {
    const copy = createEmulator({
      seed: seedFromSnapshot(await snapshotOf(600, 610, 700, 710)),
      rateLimits: false,
    });
    for (const path of ["/flows/600", "/flows/700"]) {
      const original = await answer(emulator, "DELETE", path);
      expect(original.status).toBe(405);
      expect(await answer(copy, "DELETE", path)).toEqual(original);
    }
  });

  it.each([
    [
      [610],
      "derives from the shared nexset of node 601, which the snapshot does not hold: export that flow too",
    ],
    [[700], "is linked to flow 710, which the snapshot does not hold: export both"],
  ])("refuses a snapshot of %j alone, naming the flow it lacks", async (ids, problem) => {
    await expect(snapshotOf(...ids).then((s) => seedFromSnapshot(s, "org.json"))).rejects.toThrow(problem);
  });
});
