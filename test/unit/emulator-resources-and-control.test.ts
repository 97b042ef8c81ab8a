import { describe, expect, it } from "vitest";
import { sampleSeed } from "pulumi-nexla/emulator";
import { emulatorForFile } from "../fixtures/emulator.js";

const emulator = emulatorForFile();

async function call(method: string, path: string, token = "emu-analyst-access-token") {
  const response = await emulator.request(path, { method, headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, text, body: text === "" ? undefined : JSON.parse(text) };
}

const statusOf = (kind: "data_sources" | "data_sets" | "data_sinks", id: number) =>
  emulator.control.state()[kind].find((r) => r.id === id)?.status;

describe("single resources", () => {
  it("renders a resource with nested owner and org objects and its node ids", async () => {
    const { status, body } = await call("GET", "/data_sinks/3101");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: 3101,
      origin_node_id: 200,
      flow_node_id: 205,
      parent_node_id: 204,
      owner: { id: 2, full_name: "Ada Analyst", email: "analyst@acme.example" },
      org: { id: 2, name: "Acme Data" },
      name: "sessions-lake",
      status: "ACTIVE",
      data_set_id: 2103,
      data_credentials_id: 9004,
    });
  });

  it("activates or pauses only the addressed resource and answers with it, not with a flow", async () => {
    const { status, body } = await call("PUT", "/data_sets/2100/pause");
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 2100, status: "PAUSED" });
    expect(body).not.toHaveProperty("flows");
    expect([
      statusOf("data_sets", 2100),
      statusOf("data_sets", 2101),
      statusOf("data_sources", 1100),
    ]).toEqual(["PAUSED", "ACTIVE", "ACTIVE"]);
  });

  it("answers unknown and unreadable resources with empty 404 and 403", async () => {
    expect(await call("GET", "/data_sources/4242")).toMatchObject({ status: 404, text: "" });
    expect(await call("PUT", "/data_sources/x/activate")).toMatchObject({ status: 404, text: "" });
    expect(await call("GET", "/data_sources/1000", "emu-outsider-access-token")).toMatchObject({
      status: 403,
      text: "",
    });
  });
});

describe("out-of-band control", () => {
  it("sets one status, or cascades it down the subtree", () => {
    emulator.control.setStatus("data_set", 2104, "PAUSED");
    expect([statusOf("data_sets", 2104), statusOf("data_sinks", 3102)]).toEqual(["PAUSED", "ACTIVE"]);
    emulator.control.setStatus("data_set", 2100, "PAUSED", { cascade: true });
    expect([
      statusOf("data_sets", 2104),
      statusOf("data_sinks", 3100),
      statusOf("data_sources", 1100),
    ]).toEqual(["PAUSED", "PAUSED", "ACTIVE"]);
    expect(() => emulator.control.setStatus("data_sink", 1, "PAUSED")).toThrow("There is no data_sink 1.");
    expect(() => emulator.control.setStatus("data_set", 2100, "RATE_LIMITED")).toThrow(
      /^RATE_LIMITED applies/,
    );
  });

  it("changes a flow's owner without any preflight, and deletes a flow whatever its status", () => {
    emulator.control.setOwner(100, 4, 3);
    expect(emulator.control.state().data_sets.find((s) => s.id === 2000)).toMatchObject({
      owner_id: 4,
      org_id: 3,
    });
    emulator.control.deleteFlow(200);
    const state = emulator.control.state();
    expect(state.flow_nodes.filter((n) => n.origin_node_id === 200)).toEqual([]);
    expect(state.data_sets.map((s) => s.id)).toEqual([
      2000, 2200, 2300, 2400, 2500, 2510, 2550, 2551, 2600, 2610, 2700, 2710, 2800, 2810,
    ]);
  });

  it("does not log control calls, and reset returns to the creation seed or to a given one", async () => {
    emulator.control.deleteFlow(100);
    await call("GET", "/flows");
    emulator.control.reset();
    expect(emulator.control.state()).toEqual(sampleSeed);
    expect(emulator.control.requests()).toEqual([]);
    emulator.control.reset({
      ...sampleSeed,
      flow_nodes: [],
      data_sources: [],
      data_sets: [],
      data_sinks: [],
    });
    expect((await call("GET", "/flows")).body.flows).toEqual([]);
  });

  it("returns a deep copy from state(), so a test cannot change the emulator by accident", () => {
    const state = emulator.control.state() as unknown as { data_sources: { status: string }[] };
    state.data_sources[0]!.status = "PAUSED";
    expect(statusOf("data_sources", 1000)).toBe("ACTIVE");
  });
});
