import { describe, expect, it } from "vitest";
import { type ResourceKind, type Seed } from "pulumi-nexla/emulator";
import { emulatorForFile, tokens } from "../fixtures/emulator.js";

const emulator = emulatorForFile();

async function call(method: string, path: string, as: keyof typeof tokens = "analyst") {
  const response = await emulator.request(path, {
    method,
    headers: { Authorization: `Bearer ${tokens[as]}`, Accept: "application/vnd.nexla.api.v1+json" },
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: text === "" ? undefined : JSON.parse(text),
    headers: response.headers,
  };
}

/** Every resource's stored status, as "data_set 2101" → "ACTIVE", for the resources of `ids`. */
function statuses(...nodes: number[]): Record<string, string> {
  const state: Seed = emulator.control.state();
  const result: Record<string, string> = {};
  for (const node of state.flow_nodes.filter((n) => nodes.includes(n.id))) {
    const list = { data_source: state.data_sources, data_set: state.data_sets, data_sink: state.data_sinks };
    const resource = list[node.resource_type as ResourceKind].find((r) => r.id === node.resource_id);
    result[`${node.resource_type} ${node.resource_id}`] = resource?.status ?? "missing";
  }
  return result;
}

const clickstream = [200, 201, 202, 203, 204, 205, 206, 207, 208];

describe("reading flows", () => {
  it("renders the whole flow from its origin, whichever node or resource is addressed", async () => {
    const byNode = await call("GET", "/flows/203");
    const byResource = await call("GET", "/data_sets/2101/flow");
    expect(byNode.status).toBe(200);
    expect(byNode.body).toEqual(byResource.body);
    expect(byNode.body.flows).toHaveLength(1);
    expect(byNode.body.flows[0]).toMatchObject({
      id: 200,
      parent_node_id: null,
      origin_node_id: 200,
      data_source_id: 1100,
    });
    expect(byNode.body.flows[0]).toMatchObject({ status: "ACTIVE", name: "clickstream", project_id: 10 });
  });

  it("matches routes with a trailing slash, as Rails routes do", async () => {
    expect((await call("GET", "/flows/100/")).status).toBe(200);
  });

  it("puts exactly one resource key on each node, status only on the origin, and sorts children by id", async () => {
    const { body } = await call("GET", "/flows/200");
    const set2100 = body.flows[0].children[0];
    expect(set2100).toEqual(expect.objectContaining({ id: 201, parent_node_id: 200, data_set_id: 2100 }));
    expect(set2100).not.toHaveProperty("status");
    expect(set2100).not.toHaveProperty("data_source_id");
    expect(set2100.children.map((c: { id: number }) => c.id)).toEqual([202, 206, 207]);
  });

  it("lists the flow's resources with owner and org ids, and users with name rather than full_name", async () => {
    const { body } = await call("GET", "/flows/100");
    expect(body.data_sources).toEqual([
      expect.objectContaining({ id: 1000, owner_id: 2, org_id: 2, flow_node_id: 100, origin_node_id: 100 }),
    ]);
    expect(body.data_sinks[0]).toMatchObject({
      id: 3000,
      status: "ACTIVE",
      runtime_status: "IDLE",
      data_set_id: 2000,
    });
    expect(body.users).toEqual([{ id: 2, email: "analyst@acme.example", name: "Ada Analyst" }]);
    expect(body.data_credentials.map((c: { id: number }) => c.id)).toEqual([9000, 9001]);
    expect(body).toMatchObject({ triggered_flows: [], triggering_flows: [], linked_flows: [] });
  });

  it("omits the resource lists with flows_only=1", async () => {
    const { body } = await call("GET", "/flows/100?flows_only=1");
    expect(Object.keys(body).sort()).toEqual([
      "flows",
      "linked_flows",
      "triggered_flows",
      "triggering_flows",
    ]);
  });

  it("lists the flows a user owns by default, newest first, each as one origin node (OA access_roles)", async () => {
    const ids = async (path: string, as: keyof typeof tokens) =>
      (await call("GET", path, as)).body.flows.map((f: { id: number }) => f.id);
    // "The absence of this property in the request is treated as owner" (OA): Otto owns flow 300 only.
    expect(await ids("/flows", "analyst")).toEqual([710, 700, 650, 600, 400, 200, 100]);
    expect((await call("GET", "/flows")).headers.get("X-Total-Count")).toBe("7");
    expect(await ids("/flows", "ops")).toEqual([300]);
    // operator and collaborator: every flow of the org, which its members operate.
    for (const role of ["operator", "collaborator"])
      expect(await ids(`/flows?access_role=${role}`, "ops")).toEqual([
        710, 700, 650, 600, 400, 300, 200, 100,
      ]);
    // admin: owner or admin; Otto is neither an admin of Acme nor a super user.
    expect(await ids("/flows?access_role=admin", "ops")).toEqual([300]);
    // A super user holds admin on every flow, and owns those of its own org.
    expect(await ids("/flows", "admin")).toEqual([910, 900, 810, 800, 500]);
    expect(await ids("/flows?access_role=admin", "admin")).toEqual([
      910, 900, 810, 800, 710, 700, 650, 610, 600, 500, 400, 300, 200, 100,
    ]);
    // Other Co's only flow is the one it derives from Acme's shared nexset.
    expect(await ids("/flows?access_role=operator", "outsider")).toEqual([610]);
  });

  it("lists one org's flows for super users only, 100 to a page; refuses an unknown access_role", async () => {
    const org = await call("GET", "/flows?org_id=2", "admin");
    expect(org.body.flows.map((f: { id: number }) => f.id)).toEqual([710, 700, 650, 600, 400, 300, 200, 100]);
    expect(org.headers.get("X-Current-Page")).toBe("1");
    expect(org.headers.get("X-Total-Page-Count")).toBe("1");
    expect(await call("GET", "/flows?org_id=2", "analyst")).toMatchObject({ status: 405 });
    expect(await call("GET", "/flows?access_role=owners")).toMatchObject({
      status: 400,
      body: { message: 'access_role must be one of collaborator, operator, admin, owner; got "owners"' },
    });
  });

  it("pages with X-Page-Count as the items on the page, as Nexla's server does (not AE's pages count)", async () => {
    const { body, headers } = await call("GET", "/flows?page=5&per_page=3&access_role=admin", "admin");
    expect(body.flows.map((f: { id: number }) => f.id)).toEqual([200, 100]);
    expect(
      Object.fromEntries(
        ["X-Total-Count", "X-Current-Page", "X-Page-Count", "X-Total-Page-Count"].map((h) => [
          h,
          headers.get(h),
        ]),
      ),
    ).toEqual({
      "X-Total-Count": "14",
      "X-Current-Page": "5",
      "X-Page-Count": "2",
      "X-Total-Page-Count": "5",
    });
    expect(headers.get("Link")).toBe(
      '<http://localhost/flows?page=4&per_page=3&access_role=admin>; rel="Previous"',
    );
  });

  it("answers unknown, non-integer and unreadable ids with an empty 404 or 403", async () => {
    for (const path of ["/flows/99999", "/flows/abc", "/data_sets/99999/flow", "/data_sinks/1.5/flow"]) {
      expect(await call("GET", path)).toMatchObject({ status: 404, text: "" });
    }
    expect(await call("GET", "/flows/100", "outsider")).toMatchObject({ status: 403, text: "" });
  });
});

describe("activate and pause", () => {
  it("from a mid-flow data set changes only that node and what is below it", async () => {
    const { status, body } = await call("PUT", "/data_sets/2101/flow/pause");
    expect(status).toBe(200);
    expect(body.flows[0]).toMatchObject({ id: 200, status: "ACTIVE" });
    expect(statuses(...clickstream)).toEqual({
      "data_source 1100": "ACTIVE",
      "data_set 2100": "ACTIVE",
      "data_set 2101": "PAUSED",
      "data_set 2102": "PAUSED",
      "data_set 2103": "PAUSED",
      "data_sink 3101": "PAUSED",
      "data_sink 3100": "ACTIVE",
      "data_set 2104": "ACTIVE",
      "data_sink 3102": "ACTIVE",
    });
  });

  it("with all=1 or full_tree=1 on any addressing starts at the origin", async () => {
    await call("PUT", "/data_sets/2101/flow/pause?full_tree=1");
    expect(new Set(Object.values(statuses(...clickstream)))).toEqual(new Set(["PAUSED"]));
    await call("PUT", "/flows/203/activate?all=true");
    expect(new Set(Object.values(statuses(...clickstream)))).toEqual(new Set(["ACTIVE"]));
  });

  it("shows a paused sub-flow under an active origin in the resource lists, not in the flow status", async () => {
    const { body } = await call("PUT", "/flows/207/pause");
    expect(body.flows[0].status).toBe("ACTIVE");
    const statusOf = (id: number) => body.data_sets.find((s: { id: number }) => s.id === id).status;
    expect([statusOf(2100), statusOf(2104)]).toEqual(["ACTIVE", "PAUSED"]);
  });

  it("is a no-op when repeated, still answering 200 with the flow", async () => {
    const first = await call("PUT", "/flows/300/pause");
    const second = await call("PUT", "/flows/300/pause");
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toEqual(first.body);
  });

  it("activates a flow and mirrors the origin resource's status on the origin node", async () => {
    const { body } = await call("PUT", "/flows/300/activate");
    expect(body.flows[0].status).toBe("ACTIVE");
    expect(new Set(Object.values(statuses(300, 301, 302)))).toEqual(new Set(["ACTIVE"]));
  });

  it("refuses both activate and pause of a flow whose origin source is rate limited (checked before branching)", async () => {
    for (const path of ["/flows/400/pause", "/data_sinks/3300/flow/activate", "/flows/401/pause?all=1"]) {
      const { status, body } = await call("PUT", path);
      expect({ status, body }).toEqual({ status: 400, body: { message: "Flow is rate limited" } });
    }
    expect(statuses(400, 401, 402)).toEqual({
      "data_source 1300": "RATE_LIMITED",
      "data_set 2300": "ACTIVE",
      "data_sink 3300": "ACTIVE",
    });
  });

  it("refuses a user outside the flow's org with an empty 403 and changes nothing", async () => {
    expect(await call("PUT", "/flows/100/pause", "outsider")).toMatchObject({ status: 403, text: "" });
    expect(statuses(100)).toEqual({ "data_source 1000": "ACTIVE" });
  });
});
