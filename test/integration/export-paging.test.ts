/**
 * Export reads `GET /flows` by offset pages, and the list can change while it is read (issue 19: a flow
 * deleted during paging shifted the next page, and an untouched flow was left out of the file). Against the
 * emulator on 127.0.0.1: the listing is read again until two complete readings agree; an org that keeps
 * changing, and a server that ignores `page`, end with an error instead of a wrong file or an endless loop.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createEmulator, generatedFlowIds, generateSeed, type RunningEmulator } from "pulumi-nexla/emulator";
import { createNexlaClient, type NexlaClient } from "../../src/nexla/client.js";
import { clientOptionsFromEnv } from "../../src/nexla/options.js";
import { MAX_READINGS, PAGE_SIZE, readOrg } from "../../src/export/read.js";

const FLOWS = 150; // two pages
const emulator = createEmulator({ rateLimits: false, seed: generateSeed({ flows: FLOWS }) });
let api: RunningEmulator;
let client: NexlaClient;
beforeAll(async () => {
  api = await emulator.listen({ port: 0 });
  // Built as the CLI builds it (src/export/cli.ts), without the client-side throttle.
  const env = { NEXLA_API_URL: api.url, NEXLA_ACCESS_TOKEN: "emu-super-access-token" };
  client = createNexlaClient({ ...clientOptionsFromEnv(env), rateLimit: false });
});
afterAll(async () => api.close());
afterEach(() => {
  emulator.control.reset();
  emulator.control.clearFaults();
});

const origin = (k: number) => generatedFlowIds(k).originNodeId;
const listed = (org: Awaited<ReturnType<typeof readOrg>>) => org.flows.map((f) => f.flows[0]?.id);

/** The client, with `before(page)` run (as a person in Nexla's UI would act) before each page is asked for. */
function whilePaging(before: (page: number, call: number) => void): NexlaClient {
  let calls = 0;
  return {
    ...client,
    listFlows: (options) => {
      calls += 1;
      before(options?.page ?? 1, calls);
      return client.listFlows(options);
    },
  };
}

it("reads again when a flow is deleted while it pages, and lists every flow still there", async () => {
  // Nexla lists flows by id, descending (SRV render_builder.rb#build_flows, as the emulator). Deleting the first
  // before page 2 of the first reading shifts the first flow of page 2 onto page 1, which was already read.
  const org = await readOrg(
    whilePaging((page, call) => {
      if (page === 2 && call === 2) emulator.control.deleteFlow(origin(FLOWS));
    }),
  );
  const expected = Array.from({ length: FLOWS - 1 }, (_, i) => origin(i + 1));
  expect(listed(org)).toEqual(expected);
  expect(listed(org)).toContain(origin(FLOWS - PAGE_SIZE));
  expect(emulator.control.requests().filter((r) => r.path === "/flows")).toHaveLength(6); // three readings
});

it("gives up after a bounded number of readings when the org keeps changing, naming the flows", async () => {
  let k = 0; // each reading deletes one more flow before its page 2: flow 1 before the first was complete
  const changing = whilePaging((page) => {
    if (page === 2) emulator.control.deleteFlow(origin((k += 1)));
  });
  await expect(readOrg(changing)).rejects.toThrow(
    `the list of flows changed between each of ${MAX_READINGS} readings (flows ${[2, 3, 4, 5].map(origin).join(", ")} ` +
      "came or went): someone is changing the org while export reads it. Nothing was written; run again when " +
      "it is quiet, or export those flows alone with --flow.",
  );
  expect(k).toBe(MAX_READINGS);
});

it("ends with an error when the server ignores page and answers page 1 again", async () => {
  const first = await client.listFlows({ page: 1, perPage: PAGE_SIZE, accessRole: "operator" });
  emulator.control.injectFault({ method: "GET", path: "/flows", status: 200, body: first, times: Infinity });
  const ids = first.flows.map((f) => f.id).join(", ");
  await expect(readOrg(client)).rejects.toThrow(
    `Nexla answered GET /flows?page=2&per_page=${PAGE_SIZE}&access_role=operator with only flows it had listed on earlier pages ` +
      `(${ids}), as a server that ignores "page" does; reading on would never end.`,
  );
  expect(emulator.control.requests().filter((r) => r.path === "/flows")).toHaveLength(3);
});

it("reports a flow the list renders malformed with the call that listed it, not a call never made", async () => {
  const malformed = { flows: [{ id: 2, parent_node_id: null, origin_node_id: 2, children: [] }] };
  emulator.control.injectFault({
    method: "GET",
    path: "/flows",
    status: 200,
    body: malformed,
    times: Infinity,
  });
  const { readFlows } = await import("../../src/export/export.js");
  await expect(
    readFlows(client, { withOwner: false }, { out: () => undefined, err: () => undefined }),
  ).rejects.toThrow(
    `Could not read flow 2 in the list of flows (GET /flows?page=1&per_page=${PAGE_SIZE}&access_role=operator): the response is ` +
      "malformed: node 2 names no resource.",
  );
});
