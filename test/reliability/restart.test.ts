/**
 * The emulator restarted from its data file (`--data`, here the same `dataFile` option in process) while
 * `pulumi up` runs on 200 flows: no flow state is lost across the restart, the client rides over the refused
 * connections and the session tokens the new process does not know (401, then one new token), and `up`
 * converges.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiCalls,
  callSummary,
  pollUntil,
  startLoadHarness,
  statusesOf,
  type LoadHarness,
} from "./harness.js";

const FLOWS = 200;
const options = { flows: FLOWS, status: "PAUSED" } as const;
let h: LoadHarness;
let dataFile: string;

beforeAll(async () => {
  dataFile = join(tmpdir(), `nexla-emulator-${process.pid}.json`);
  h = await startLoadHarness({ flows: FLOWS, emulator: { dataFile } });
});
afterAll(async () => {
  await h?.close();
  await rm(dataFile, { force: true });
});

const paused = () => h.requests().filter((r) => r.method === "PUT" && r.status === 200).length;

describe("an emulator restart during pulumi up", () => {
  it("loses no flow state, and up converges across two restarts", async () => {
    const running = h.start("up", options);
    for (const after of [50, 120]) {
      await pollUntil(`${after} pauses answered 200 before restarting`, () => paused() >= after, {
        seen: () => `${paused()}`,
      });
      const before = h.emulator.control.state();
      await h.restart(500);
      expect(h.emulator.control.state()).toEqual(before);
    }
    const up = await running.done;
    const log = apiCalls(h.requests());
    console.log(`up across two restarts: ${Math.round(up.ms)} ms, ${log.length} calls (${callSummary(log)})`);
    expect(up.result?.error).toBeUndefined();
    expect(up.result?.changes).toEqual({ create: FLOWS + 1 });
    for (let k = 1; k <= FLOWS; k += 1)
      expect(statusesOf(h.emulator, k), `flow ${k}`).toEqual(Array(3).fill("PAUSED"));
    // The restarted emulator did not know the session token: a 401 after each restart led to one new token.
    expect(h.requests().filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(2);
    expect(h.requests().filter((r) => r.path === "/token")).toHaveLength(3);
  });

  it("and a refresh against the restarted emulator finds every flow as up left it", async () => {
    await h.restart();
    h.clearRequests();
    const preview = await h.run("preview-refresh", options);
    expect(preview.result?.error).toBeUndefined();
    expect(preview.result?.changes).toEqual({ same: FLOWS + 1 });
    expect(apiCalls(h.requests()).filter((r) => r.method !== "GET")).toEqual([]);
  });
});
