import { describe, expect, it } from "vitest";
import { emulatorForFile, tokens } from "../fixtures/emulator.js";

const emulator = emulatorForFile();

async function call(method: string, path: string, options: { as?: keyof typeof tokens; body?: string } = {}) {
  const response = await emulator.request(path, {
    method,
    headers: { Authorization: `Bearer ${tokens[options.as ?? "admin"]}`, "Content-Type": "application/json" },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  return { status: response.status, text, body: text === "" ? undefined : JSON.parse(text) };
}

const put = (path: string, body: unknown, as: keyof typeof tokens = "admin") =>
  call("PUT", path, { as, body: JSON.stringify(body) });
const nodeIds = () => emulator.control.state().flow_nodes.map((n) => n.id);
const ownerOf = (list: readonly { id: number; owner_id: number; org_id: number }[], id: number) => {
  const found = list.find((e) => e.id === id);
  return found && [found.owner_id, found.org_id];
};

describe("delete", () => {
  it("refuses a subtree with active resources with 405 listing exactly those resources", async () => {
    expect(await call("DELETE", "/data_sets/2101/flow")).toEqual({
      status: 405,
      text: expect.any(String),
      body: {
        data_sources: [],
        data_sets: [2101, 2102, 2103],
        data_sinks: [3101],
        message: "Active flow resources must be paused before flow deletion!",
      },
    });
    expect(nodeIds()).toContain(202);
  });

  it("deletes a paused subtree bottom-up, leaving the nodes upstream and the branches beside it", async () => {
    await call("PUT", "/data_sets/2101/flow/pause");
    expect(await call("DELETE", "/data_sets/2101/flow")).toEqual({ status: 200, text: "", body: undefined });
    const left = nodeIds().filter((id) => id >= 200 && id < 300);
    expect(left).toEqual([200, 201, 206, 207, 208]);
    expect(await call("DELETE", "/data_sets/2101/flow")).toMatchObject({ status: 404, text: "" });
  });

  it("with full_tree=1 from a mid-flow node deletes the whole flow, and a second delete is a 404", async () => {
    expect((await call("DELETE", "/flows/301?full_tree=1")).status).toBe(200);
    expect(nodeIds().filter((id) => id >= 300 && id < 400)).toEqual([]);
    expect(emulator.control.state().data_credentials.map((c) => c.id)).toContain(9006);
    expect((await call("DELETE", "/flows/300")).status).toBe(404);
  });

  it("lists the whole flow's active resources when deleting it with all=1", async () => {
    const { body } = await call("DELETE", "/data_sinks/3000/flow?all=1");
    expect(body).toMatchObject({ data_sources: [1000], data_sets: [2000], data_sinks: [3000] });
  });
});

describe("change owner", () => {
  it("is refused to an ordinary user with an empty 403, even for their own flow", async () => {
    expect(await put("/flows/100", { owner_id: 3, org_id: 2 }, "analyst")).toMatchObject({
      status: 403,
      text: "",
    });
  });

  it("is refused when the new owner cannot manage the flow's project", async () => {
    const answer = await put("/data_sets/2000/flow", {
      owner_id: 4,
      org_id: 3,
      include_data_credentials: true,
    });
    expect(answer).toMatchObject({
      status: 403,
      body: { message: "New owner does not have management access to flow project" },
    });
    expect(ownerOf(emulator.control.state().data_sources, 1000)).toEqual([2, 2]);
  });

  it("is refused, listing them, when the new owner cannot use the flow's credentials", async () => {
    expect(await put("/flows/500", { owner_id: 4, org_id: 3 })).toMatchObject({
      status: 403,
      body: {
        data_credentials: [9010, 9011],
        code_containers: [],
        message: "New owner does not have access to one or more required resources",
      },
    });
  });

  it("moves the whole flow, and with include_data_credentials its credentials, from any node", async () => {
    const answer = await put("/flows/502", { owner_id: 4, org_id: 3, include_data_credentials: true });
    expect(answer.status).toBe(200);
    expect(answer.body.flows[0].id).toBe(500);
    const owners = answer.body.data_sources.concat(answer.body.data_sets, answer.body.data_sinks);
    expect(owners.map((r: { owner_id: number; org_id: number }) => [r.owner_id, r.org_id])).toEqual([
      [4, 3],
      [4, 3],
      [4, 3],
    ]);
    expect(answer.body.data_credentials).toEqual([
      { id: 9010, owner_id: 4, org_id: 3, name: "credential-9010", credentials_type: "s3" },
      { id: 9011, owner_id: 4, org_id: 3, name: "credential-9011", credentials_type: "s3" },
    ]);
  });

  it("moves code containers only when include_code_containers is set", async () => {
    await put("/flows/200", { owner_id: 3, org_id: 2 });
    expect(ownerOf(emulator.control.state().code_containers, 9500)).toEqual([2, 2]);
    expect(ownerOf(emulator.control.state().data_sets, 2103)).toEqual([3, 2]);
    await put("/flows/200", { owner_id: 3, include_code_containers: true });
    expect(ownerOf(emulator.control.state().code_containers, 9500)).toEqual([3, 2]);
  });

  it("changes nothing when owner and org are unchanged and no include flag is set", async () => {
    const before = emulator.control.state();
    expect((await put("/flows/100", { owner_id: 2, org_id: 2 })).status).toBe(200);
    expect(emulator.control.state()).toEqual(before);
  });

  it("answers 400 with a message for a body it cannot parse or use", async () => {
    const bad = await call("PUT", "/flows/100", { body: "{owner_id: 3" });
    expect(bad).toMatchObject({ status: 400, body: { message: "Cannot parse JSON request body" } });
    expect((await put("/flows/100", { owner_id: "3" })).body.message).toBe(
      'The property "owner_id" must be an integer',
    );
    expect((await put("/flows/100", { ownerId: 3 })).body.message).toMatch(/^Unknown property "ownerId"/);
    expect((await put("/flows/100", { owner_id: 99 })).body).toEqual({
      message: "owner_id 99 is not a user",
    });
    expect((await put("/flows/100", { owner_id: 3, org_id: 99 })).body).toEqual({
      message: "org_id 99 is not an org",
    });
  });

  it("ignores a body sent without a JSON Content-Type, as Rails does when parsing params", async () => {
    const response = await emulator.request("/flows/100", {
      method: "PUT",
      headers: { Authorization: `Bearer ${tokens.admin}`, "Content-Type": "text/plain" },
      body: JSON.stringify({ owner_id: 3, org_id: 2 }),
    });
    expect(response.status).toBe(200);
    expect(ownerOf(emulator.control.state().data_sources, 1000)).toEqual([2, 2]);
  });

  it("updates the flow's name and description on the origin node", async () => {
    const { body } = await put("/flows/101", { name: "orders v2", description: "renamed" });
    expect(body.flows[0]).toMatchObject({ id: 100, name: "orders v2", description: "renamed" });
  });
});

describe("the flow PUT's other fields", () => {
  it("updates project_id and flow_type with the same PUT, as Nexla's server does (docs/nexla-api.md §6)", async () => {
    const answer = await put("/flows/100", { project_id: null, flow_type: "in_memory" });
    expect(answer.status).toBe(200);
    expect(answer.body.flows[0]).toMatchObject({ project_id: null, flow_type: "in_memory" });
    expect((await put("/flows/100", { project_id: 999 })).status).toBe(400);
  });
});
