/** Rendered reads are reused only while the state stays the same: every change is seen by the next read. */
import { describe, expect, it } from "vitest";
import { createEmulator } from "pulumi-nexla/emulator";
import { TestClock } from "../fixtures/clock.js";

interface Body {
  readonly data_sources: readonly { readonly id: number; readonly status: string }[];
}

const emulator = createEmulator({ rateLimits: false });
const headers = {
  Authorization: "Bearer emu-super-access-token",
  Accept: "application/vnd.nexla.api.v1+json",
};
const get = async (path: string) => (await emulator.request(path, { headers })).json() as Promise<Body>;
const put = (path: string) => emulator.request(path, { method: "PUT", headers });
const sourceStatus = (body: Body, id: number) => body.data_sources.find((r) => r.id === id)?.status;

describe("rendered reads", () => {
  it("answer an unchanged flow with the same text, and a changed one afresh", async () => {
    const text = async () => (await emulator.request("/flows/100", { headers })).text();
    expect(await text()).toBe(await text());
    expect(sourceStatus(await get("/flows/100"), 1000)).toBe("ACTIVE");
    await put("/flows/100/pause?full_tree=1");
    expect(sourceStatus(await get("/flows/100"), 1000)).toBe("PAUSED");
    expect(sourceStatus(await get("/flows?access_role=admin"), 1000)).toBe("PAUSED");
  });

  it("see a change made through the control API (a person in Nexla's UI) and a reset", async () => {
    emulator.control.reset();
    expect(sourceStatus(await get("/flows?access_role=admin"), 1000)).toBe("ACTIVE");
    emulator.control.setStatus("data_source", 1000, "PAUSED");
    expect(sourceStatus(await get("/flows?access_role=admin"), 1000)).toBe("PAUSED");
    expect(sourceStatus(await get("/flows/100"), 1000)).toBe("PAUSED");
    emulator.control.reset();
    expect(sourceStatus(await get("/flows/100"), 1000)).toBe("ACTIVE");
  });

  it("are not reused while reads show settling statuses", async () => {
    const time = new TestClock();
    const settling = createEmulator({ rateLimits: false, settleMs: 1000, clock: time.now });
    const read = async () =>
      sourceStatus((await (await settling.request("/flows/100", { headers })).json()) as Body, 1000);
    await settling.request("/flows/100/pause?full_tree=1", { method: "PUT", headers });
    expect(await read()).toBe("ACTIVE");
    await time.advance(1000);
    expect(await read()).toBe("PAUSED");
  });
});
