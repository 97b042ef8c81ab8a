import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import type { NexlaError } from "../../src/nexla/index.js";
import { errorCodes, isNexlaError, type NexlaErrorCode } from "../../src/nexla/index.js";
import type { CallContext } from "../../src/nexla/internal/call-context.js";
import { networkFailure, notJson, statusFailure } from "../../src/nexla/internal/describe.js";
import { expectFlow, expectResource, expectToken } from "../../src/nexla/internal/parse.js";
import { exchangeCall } from "../../src/nexla/internal/send.js";
import { catchError } from "../fixtures/thrown.js";

const call = (over: Partial<CallContext> = {}): CallContext => ({
  action: "pause",
  target: "flow 200",
  noun: "flow",
  method: "PUT",
  path: "/flows/200/pause?full_tree=1",
  need: "operate",
  auth: "serviceKey",
  ...over,
});
const read = call({ action: "read", method: "GET", path: "/flows/200", need: "read" });
const del = call({
  action: "delete",
  target: "flow 100",
  method: "DELETE",
  path: "/flows/100?full_tree=1",
  need: "manage",
});
const token = exchangeCall;

describe("messages, one per code, word for word", () => {
  it("forbidden names the call and says who may operate the flow", () => {
    expect(statusFailure(call(), 403, "", 1).message).toBe(
      "Could not pause flow 200 (PUT /flows/200/pause?full_tree=1): Nexla answered 403 Forbidden. Check that the credentials belong to a user who can operate this flow.",
    );
  });

  it("forbidden on one resource names its kind", () => {
    const resource = { ...read, target: "data_set 2101", noun: "data_set", path: "/data_sets/2101" };
    expect(statusFailure(resource, 403, "", 1).message).toBe(
      "Could not read data_set 2101 (GET /data_sets/2101): Nexla answered 403 Forbidden. Check that the credentials belong to a user who can read this data_set.",
    );
  });

  it("forbidden on a change of owner lists what the new owner cannot access", () => {
    const chown = call({
      action: "change the owner of",
      target: "flow of data_set 2101",
      method: "PUT",
      path: "/data_sets/2101/flow",
      need: "chown",
    });
    const body = {
      data_credentials: [5001],
      code_containers: [],
      message: "New owner does not have access to one or more required resources",
    };
    expect(statusFailure(chown, 403, body, 1).message).toBe(
      "Could not change the owner of flow of data_set 2101 (PUT /data_sets/2101/flow): Nexla answered 403 Forbidden: \"New owner does not have access to one or more required resources\" (not accessible to the new owner: data_credential 5001). Changing a flow's owner needs a Nexla super user, and the new owner needs access to the flow's project and resources.",
    );
  });

  it("unauthorized with an access token says it is invalid or expired and how to get a new one", () => {
    expect(statusFailure({ ...read, auth: "accessToken" }, 401, "", 1).message).toBe(
      "Could not read flow 200 (GET /flows/200): Nexla answered 401 Unauthorized. The access token is invalid or expired: log in to Nexla, open /token on its UI host to get a new one and set NEXLA_ACCESS_TOKEN, or set NEXLA_SERVICE_KEY instead, whose session tokens are renewed automatically.",
    );
  });

  it("unauthorized with a service key, after a new token, points at the key's user", () => {
    expect(statusFailure(read, 401, "", 1, true).message).toBe(
      "Could not read flow 200 (GET /flows/200): Nexla answered 401 Unauthorized, also with a new session token. Check that the service key's user is still active in Nexla and may use the API.",
    );
  });

  it("unauthorized at the token exchange says the service key is refused", () => {
    expect(statusFailure(token, 401, "", 1).message).toBe(
      "Could not exchange the service key for a session token (POST /token): Nexla answered 401 Unauthorized. Check NEXLA_SERVICE_KEY: Nexla does not accept it (mistyped, rotated or revoked).",
    );
  });

  it("not found asks to check the id and the base URL", () => {
    const resource = call({
      action: "read",
      target: "data_set 9999",
      noun: "data_set",
      method: "GET",
      path: "/data_sets/9999",
      need: "read",
    });
    expect(statusFailure(resource, 404, "", 1).message).toBe(
      "Could not read data_set 9999 (GET /data_sets/9999): Nexla answered 404 Not Found. Check the id, and that NEXLA_API_URL points at the Nexla instance that holds it.",
    );
  });

  it("a 405 delete conflict lists the resources still active", () => {
    const body = {
      data_sources: [1000],
      data_sets: [2000],
      data_sinks: [3000],
      message: "Active flow resources must be paused before flow deletion!",
    };
    expect(statusFailure(del, 405, body, 1).message).toBe(
      'Could not delete flow 100 (DELETE /flows/100?full_tree=1): Nexla answered 405 Method Not Allowed: "Active flow resources must be paused before flow deletion!" (still active: data_source 1000, data_set 2000, data_sink 3000). Pause it first (every resource listed), then delete it.',
    );
  });

  it("another 405 (a resource without a flow node: no body) gives the catalogue's advice", () => {
    expect(statusFailure(del, 405, "", 1).message).toBe(
      "Could not delete flow 100 (DELETE /flows/100?full_tree=1): Nexla answered 405 Method Not Allowed. Do what Nexla's message asks (for example pause the listed resources), then run again.",
    );
  });

  it("a 405 delete refused for derived flows names whose they are and what to do", () => {
    const body = {
      sharers: [{ email: "outsider@other.example", org: "Other Co", org_id: 3 }],
      message: "Flow cannot be deleted while shared nexsets have downstream flows",
    };
    expect(statusFailure(del, 405, body, 1).message).toBe(
      'Could not delete flow 100 (DELETE /flows/100?full_tree=1): Nexla answered 405 Method Not Allowed: "Flow cannot be deleted while shared nexsets have downstream flows" (flows derived from its shared nexsets belong to: outsider@other.example of Other Co (org 3)). Delete those derived flows in Nexla, or detach them from this flow\'s shared nexsets, first; or give the Flow the retainOnDelete resource option to leave this flow in Nexla when the Flow is removed.',
    );
  });

  it("a 405 delete refused for a RAG link names the RAG flows", () => {
    const body = { linked_rag_flow_ids: [710], message: "Flow cannot be deleted while linked to a RAG flow" };
    expect(statusFailure(del, 405, body, 1).message).toBe(
      'Could not delete flow 100 (DELETE /flows/100?full_tree=1): Nexla answered 405 Method Not Allowed: "Flow cannot be deleted while linked to a RAG flow" (linked RAG flow: 710). Unlink it from the RAG flow in Nexla (or delete that flow) first; or give the Flow the retainOnDelete resource option to leave this flow in Nexla when the Flow is removed.',
    );
  });

  it("an activate refused for the org's source limit or its migrating cluster says why and what to do", () => {
    const activate = call({
      action: "activate",
      target: "flow 810",
      path: "/flows/810/activate?full_tree=1",
    });
    expect(
      statusFailure(activate, 400, { message: "Active data source limit would be exceeded." }, 1).message,
    ).toBe(
      "Could not activate flow 810 (PUT /flows/810/activate?full_tree=1): Nexla answered 400 Bad Request: \"Active data source limit would be exceeded.\". The flow's org has as many active data sources as its Nexla tier allows, and Nexla then refuses to activate or pause its flows: pause a data source of another flow of the org in Nexla, or have the org's limit raised, then run again.",
    );
    const migrating = { message: "Data source cannot be activated while org's cluster is migrating" };
    expect(statusFailure(activate, 405, migrating, 1).message).toBe(
      'Could not activate flow 810 (PUT /flows/810/activate?full_tree=1): Nexla answered 405 Method Not Allowed: "Data source cannot be activated while org\'s cluster is migrating". Nexla refuses to activate or pause the data sources of an org while its cluster migrates: wait until the migration ends, then run again.',
    );
  });

  it("a 400 on a rate-limited flow says why it cannot be operated", () => {
    const activate = call({
      action: "activate",
      target: "flow 400",
      path: "/flows/400/activate?full_tree=1",
    });
    expect(statusFailure(activate, 400, { message: "Flow is rate limited" }, 1).message).toBe(
      'Could not activate flow 400 (PUT /flows/400/activate?full_tree=1): Nexla answered 400 Bad Request: "Flow is rate limited". Its source is RATE_LIMITED: Nexla refuses to activate or pause it until the limit lifts, so wait, then run again.',
    );
  });

  it("rate limited says how many attempts were made", () => {
    expect(statusFailure(call(), 429, "Retry later", 5).message).toBe(
      "Could not pause flow 200 (PUT /flows/200/pause?full_tree=1): Nexla answered 429 Too Many Requests after 5 attempts. Wait a minute and run again with fewer operations at once.",
    );
  });

  it("server errors relay Nexla's message, or its `error` key", () => {
    expect(
      statusFailure(read, 500, { error: "Request did not complete due to a service timeout" }, 1).message,
    ).toBe(
      'Could not read flow 200 (GET /flows/200): Nexla answered 500 Internal Server Error: "Request did not complete due to a service timeout". Run again later; if it persists, check Nexla\'s status or contact Nexla support.',
    );
    expect(statusFailure(read, 503, "", 5).message).toBe(
      "Could not read flow 200 (GET /flows/200): Nexla answered 503 Service Unavailable after 5 attempts. Run again later; if it persists, check Nexla's status or contact Nexla support.",
    );
  });

  it("network failures name the timeout or the error code", () => {
    expect(networkFailure(read, "ETIMEDOUT", 30_000, 5, undefined).message).toBe(
      "Could not read flow 200 (GET /flows/200): no answer within 30000 ms after 5 attempts. Check NEXLA_API_URL and the network, then run again.",
    );
    expect(networkFailure(call(), "ECONNRESET", 30_000, 1, undefined).message).toBe(
      "Could not pause flow 200 (PUT /flows/200/pause?full_tree=1): the connection failed (ECONNRESET). Check NEXLA_API_URL and the network, then run again.",
    );
  });

  it("invalid responses quote the start of a body that is not JSON", () => {
    expect(notJson(read, 200, "<!DOCTYPE html><html><body>Sign in</body></html>").message).toBe(
      'Could not read flow 200 (GET /flows/200): Nexla answered 200 with a body that is not JSON: "<!DOCTYPE html><html><body>Sign in</body></html>". Check that NEXLA_API_URL is Nexla\'s API base URL (for example https://dataops.nexla.io/nexla-api).',
    );
  });

  it("invalid responses name what a flow, a resource or a token lacks", () => {
    const problems = [
      () => expectFlow(read, { data_sources: [] }),
      () => expectFlow(read, { flows: [{ name: "no id" }] }),
      () => expectResource(call({ action: "read", target: "data_set 2101", noun: "data_set" }), []),
      () => expectToken(token, { token_type: "Bearer" }),
    ].map((f) => (catchError(f) as NexlaError).message.split("): ")[1]);
    expect(problems).toEqual([
      'Nexla answered 200 without the "flows" list of a flow response. Check that NEXLA_API_URL is Nexla\'s API base URL (for example https://dataops.nexla.io/nexla-api).',
      'Nexla answered 200 with a "flows" list whose nodes lack a numeric "id". Check that NEXLA_API_URL is Nexla\'s API base URL (for example https://dataops.nexla.io/nexla-api).',
      'Nexla answered 200 without the numeric "id" and the "status" of a resource. Check that NEXLA_API_URL is Nexla\'s API base URL (for example https://dataops.nexla.io/nexla-api).',
      "Nexla answered 200 without an access_token. Check that NEXLA_API_URL is Nexla's API base URL (for example https://dataops.nexla.io/nexla-api).",
    ]);
  });

  it("a redirect is an invalid response: the base URL is most likely wrong", () => {
    const error = statusFailure(read, 301, "", 1);
    expect([error.code, error.message]).toEqual([
      "invalid_response",
      "Could not read flow 200 (GET /flows/200): Nexla answered 301 Moved Permanently. Check that NEXLA_API_URL is Nexla's API base URL (for example https://dataops.nexla.io/nexla-api).",
    ]);
  });

  it("a non-JSON token answer is not quoted, since it could hold a token", () => {
    expect(notJson(token, 200, "access_token=secret").message).not.toContain("secret");
  });
});

describe("the error object", () => {
  const error = statusFailure(
    del,
    405,
    { data_sources: [1000], message: "Active flow resources must be paused before flow deletion!" },
    2,
  );

  it("maps each HTTP status to its stable code", () => {
    const codes = [400, 401, 403, 404, 405, 429, 500, 502, 418].map(
      (s) => statusFailure(read, s, "", 1).code,
    );
    expect(codes).toEqual<NexlaErrorCode[]>([
      "validation",
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "rate_limited",
      "server",
      "server",
      "validation",
    ]);
  });

  it("carries code, status, method, path and attempts, and keeps the body out of JSON and inspect", () => {
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "NexlaError",
      code: "conflict",
      status: 405,
      method: "DELETE",
      path: "/flows/100?full_tree=1",
      attempts: 2,
    });
    expect(error.body).toEqual({
      data_sources: [1000],
      message: "Active flow resources must be paused before flow deletion!",
    });
    expect(Object.keys(error)).not.toContain("body");
    expect(inspect(error)).not.toContain("data_sources");
  });

  it("is recognised by the type guard, with or without a code", () => {
    expect([isNexlaError(error), isNexlaError(error, "conflict"), isNexlaError(error, "not_found")]).toEqual([
      true,
      true,
      false,
    ]);
    expect(isNexlaError(new Error("other"))).toBe(false);
  });

  it("has a catalogue entry for every code, each a sentence without a final period", () => {
    for (const info of Object.values(errorCodes)) {
      expect(info.meaning).toMatch(/^[A-Z].*[^.]$/);
      expect(info.action).toMatch(/^[A-Z].*[^.]$/);
    }
    expect(Object.keys(errorCodes).sort()).toEqual([
      "configuration",
      "conflict",
      "forbidden",
      "invalid_response",
      "network",
      "not_found",
      "rate_limited",
      "server",
      "unauthorized",
      "validation",
    ]);
  });
});
