/**
 * `pulumi-resource-nexla` as a process, driven over gRPC as the engine drives it, against the emulator on
 * 127.0.0.1: the plugin's own methods (info, schema, config), and Check, Create, Read, Update and Delete of
 * `nexla:index:Flow` through the provider runtime the dynamic Flow uses, checked by what the emulator holds and
 * by the lines the plugin logged to the engine under each resource's URN. Each test starts its own plugin: the
 * runtime's declarations live as long as its process, as they do in a deployment.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isWrite, requestLine } from "pulumi-nexla/emulator";
import { packageVersion } from "../../provider/internal/credentials.js";
import { emptyPb, providerPb, statusPb, type ProviderPb } from "../../provider/native/proto.js";
import { packageSchema } from "../../src/declaration/package-schema.js";
import { UNKNOWN } from "../../src/declaration/schema.js";
import { emulatorOverHttp } from "../fixtures/emulator.js";
import {
  compilePlugin,
  fakeEngine,
  secret,
  startPlugin,
  struct,
  type LoggedLine,
  type Plugin,
} from "../fixtures/native-plugin.js";

const served = emulatorOverHttp();
const { emulator } = served;
let compiled: Awaited<ReturnType<typeof compilePlugin>> | undefined;
let engine: Awaited<ReturnType<typeof fakeEngine>> | undefined;
const running: Plugin[] = [];

beforeAll(async () => {
  [compiled, engine] = await Promise.all([compilePlugin(), fakeEngine()]);
});
afterAll(async () => {
  await Promise.all([compiled?.remove(), engine?.stop()]);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  engine?.lines.splice(0);
  expect(emulator.control.unhandled()).toEqual([]);
  emulator.control.reset();
});

const { DiffChanges } = providerPb.DiffResponse;
const urnOf = (name: string) => `urn:pulumi:dev::flows::nexla:index:Flow::${name}`;
const writes = () => emulator.control.requests().filter(isWrite).map(requestLine);
const logOf = (urn: string) =>
  (engine?.lines ?? []).filter((l: LoggedLine) => l.urn === urn).map((l) => l.message);

/** A plugin as the engine starts it (flags, then the engine's address), with no Nexla variables in its environment. */
async function plugin(env: NodeJS.ProcessEnv = {}): Promise<Plugin> {
  const args = ["--logtostderr", "-v=1", engine!.address];
  const started = await startPlugin(compiled!.main, args, { PATH: process.env["PATH"], ...env });
  running.push(started);
  return started;
}

/** A plugin configured as the engine configures it: the service key a secret, as stack config gives it. */
async function configured(): Promise<Plugin> {
  const p = await plugin();
  const request = new providerPb.ConfigureRequest();
  request.setArgs(
    struct({ apiUrl: served.url, serviceKey: secret("emu-super-service-key"), version: "0.1.0" }),
  );
  request.setAcceptsecrets(true);
  const response = await p.call<ProviderPb.ConfigureResponse>("configure", request);
  expect(response.getAcceptsecrets()).toBe(true);
  expect(response.getSupportspreview()).toBe(false);
  return p;
}

async function check(p: Plugin, name: string, news: Record<string, unknown>) {
  const request = new providerPb.CheckRequest().setUrn(urnOf(name)).setType("nexla:index:Flow").setName(name);
  request.setOlds(struct({}));
  request.setNews(struct(news));
  const response = await p.call<ProviderPb.CheckResponse>("check", request);
  return {
    inputs: response.getInputs()?.toJavaScript() ?? {},
    failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

async function create(p: Plugin, name: string, inputs: Record<string, unknown>) {
  const request = new providerPb.CreateRequest()
    .setUrn(urnOf(name))
    .setType("nexla:index:Flow")
    .setName(name);
  request.setProperties(struct(inputs));
  const response = await p.call<ProviderPb.CreateResponse>("create", request);
  return { id: response.getId(), outs: response.getProperties()?.toJavaScript() ?? {} };
}

async function remove(p: Plugin, name: string, id: string, state: Record<string, unknown>) {
  const request = new providerPb.DeleteRequest()
    .setUrn(urnOf(name))
    .setType("nexla:index:Flow")
    .setName(name);
  request.setId(id);
  request.setProperties(struct(state));
  await p.call("delete", request);
}

/** An `up` that adopted flow 100 as "orders", in an operation now over (its plugin shut down). */
async function adoptedOrders() {
  const first = await configured();
  const old = await create(
    first,
    "orders",
    (await check(first, "orders", { flowId: 100, status: "ACTIVE" })).inputs,
  );
  await first.stop();
  return old;
}

describe("the plugin", () => {
  it("prints its port, and answers with the package's version and the schema built from the model", async () => {
    const p = await plugin();
    const info = await p.call<{ getVersion(): string }>("getPluginInfo", new emptyPb.Empty());
    expect(info.getVersion()).toBe(packageVersion());
    const schema = await p.call<ProviderPb.GetSchemaResponse>("getSchema", new providerPb.GetSchemaRequest());
    expect(JSON.parse(schema.getSchema())).toEqual(packageSchema(packageVersion()));
  });

  it("CheckConfig names every problem, and the environment stands in for a credential not in config", async () => {
    const bare = await plugin();
    const request = new providerPb.CheckRequest().setUrn(
      "urn:pulumi:dev::flows::pulumi:providers:nexla::default",
    );
    request.setNews(struct({ apiUrl: "ftp://x", apiURL: "https://example.test" }));
    const response = await bare.call<ProviderPb.CheckResponse>("checkConfig", request);
    expect(response.getFailuresList().map((f) => f.getProperty())).toEqual([
      "apiURL",
      "apiUrl",
      "serviceKey",
    ]);
    expect(response.getFailuresList()[2]?.getReason()).toMatch(/^No Nexla credentials: set nexla:serviceKey/);

    const withKey = await plugin({ NEXLA_SERVICE_KEY: "emu-super-service-key" });
    request.setNews(struct({ apiUrl: served.url }));
    const ok = await withKey.call<ProviderPb.CheckResponse>("checkConfig", request);
    expect(ok.getFailuresList()).toEqual([]);
  });

  it("CheckConfig gives the credentials back marked secret, whatever the stack config said", async () => {
    const p = await plugin();
    const request = new providerPb.CheckRequest().setUrn(
      "urn:pulumi:dev::flows::pulumi:providers:nexla::default",
    );
    request.setNews(struct({ apiUrl: served.url, serviceKey: "emu-super-service-key" }));
    const response = await p.call<ProviderPb.CheckResponse>("checkConfig", request);
    expect(response.getInputs()?.toJavaScript()).toEqual({
      apiUrl: served.url,
      serviceKey: secret("emu-super-service-key"),
    });
  });

  it("DiffConfig names the keys that changed and never asks for a replacement", async () => {
    const p = await plugin();
    const diff = async (olds: Record<string, unknown>, news: Record<string, unknown>) => {
      const request = new providerPb.DiffRequest().setUrn(
        "urn:pulumi:dev::flows::pulumi:providers:nexla::default",
      );
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const r = await p.call<ProviderPb.DiffResponse>("diffConfig", request);
      return { changes: r.getChanges(), diffs: r.getDiffsList(), replaces: r.getReplacesList() };
    };
    expect(
      await diff(
        { apiUrl: "https://a.test", serviceKey: "k1" },
        { apiUrl: "https://a.test", serviceKey: "k2" },
      ),
    ).toEqual({
      changes: DiffChanges.DIFF_SOME,
      diffs: ["serviceKey"],
      replaces: [],
    });
    expect(await diff({ apiUrl: "https://a.test" }, { apiUrl: "https://a.test", version: "0.1.0" })).toEqual({
      changes: DiffChanges.DIFF_NONE,
      diffs: [],
      replaces: [],
    });
  });
});

describe("the schema the plugin serves, held to what the plugin does", () => {
  /** The schema as GetSchema serves it, parsed: what the CLI and gen-sdk see. */
  async function servedSchema(p: Plugin) {
    const response = await p.call<ProviderPb.GetSchemaResponse>(
      "getSchema",
      new providerPb.GetSchemaRequest(),
    );
    return JSON.parse(response.getSchema()) as ReturnType<typeof packageSchema>;
  }
  const valid = { flowId: 100, status: "ACTIVE", owner: { ownerId: 2, orgId: 2 } };

  it("every input it requires is refused by Check when missing, naming the property", async () => {
    const p = await configured();
    const flow = (await servedSchema(p)).resources["nexla:index:Flow"]!;
    expect(flow.requiredInputs.length).toBeGreaterThan(0);
    expect((await check(p, "orders", valid)).failures).toEqual([]);
    for (const property of flow.requiredInputs) {
      const without = Object.fromEntries(Object.entries(valid).filter(([key]) => key !== property));
      const { failures } = await check(p, "orders", without);
      expect(
        failures.map((f) => f.property),
        `without ${property}`,
      ).toContain(property);
    }
  });

  it("every value outside an enum it lists is refused by Check, and every value inside accepted", async () => {
    const p = await configured();
    const schema = await servedSchema(p);
    const flow = schema.resources["nexla:index:Flow"]!;
    const enumInputs = Object.entries(flow.inputProperties).flatMap(([property, spec]) => {
      const type = spec.$ref === undefined ? undefined : schema.types[spec.$ref.replace("#/types/", "")];
      return type !== undefined && "enum" in type
        ? [{ property, values: type.enum.map((e) => e.value) }]
        : [];
    });
    expect(enumInputs.map((e) => e.property).sort()).toEqual(["scope", "status"]);
    for (const { property, values } of enumInputs) {
      for (const value of values)
        expect(
          (await check(p, "orders", { ...valid, [property]: value })).failures,
          `${property} ${String(value)}`,
        ).toEqual([]);
      for (const outside of ["MIXED", "UNKNOWN", "active", "", "upstream"].filter(
        (v) => !values.includes(v),
      )) {
        const { failures } = await check(p, "orders", { ...valid, [property]: outside });
        expect(
          failures.map((f) => f.property),
          `${property} "${outside}"`,
        ).toEqual([property]);
      }
    }
  });

  it("the outputs Create returns are the properties it lists, each of its type, the required ones present", async () => {
    const p = await configured();
    const schema = await servedSchema(p);
    const flow = schema.resources["nexla:index:Flow"]!;
    const typeOf = (value: unknown) =>
      Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
    const seen = new Set<string>();
    for (const [name, news] of Object.entries({
      whole: valid,
      sub: { dataSetId: 2101, scope: "downstream", status: "PAUSED" },
    })) {
      const { outs } = await create(p, name, (await check(p, name, news)).inputs);
      for (const [key, value] of Object.entries(outs)) {
        seen.add(key);
        const spec = flow.properties[key];
        expect(spec, `output ${key} of ${name} is in the schema`).toBeDefined();
        if (value === null || spec?.type === undefined) continue;
        const types = spec.type === "number" ? ["integer", "number"] : [spec.type];
        expect(types, `output ${key} of ${name}: ${typeOf(value)}`).toContain(typeOf(value));
      }
      for (const key of flow.required) expect(outs[key], `required output ${key} of ${name}`).toBeDefined();
    }
    // Between them, the two Flows return every output the schema lists but the two anchors they do not use.
    const unused = Object.keys(flow.properties).filter((key) => !seen.has(key));
    expect(unused.sort()).toEqual(["dataSinkId", "dataSourceId"]);
  });
});

describe("nexla:index:Flow through the plugin", () => {
  it("checks with the Flow's own rules, one failure per property, and lets preview's unknowns through", async () => {
    const p = await configured();
    const bad = await check(p, "orders", { flowId: 100, statuss: "ACTIVE" });
    expect(bad.failures).toEqual([
      { property: "statuss", reason: 'Unknown property "statuss". Did you mean "status"?' },
      { property: "status", reason: 'status is required: set it to "ACTIVE" or "PAUSED".' },
    ]);
    const preview = await check(p, "orders", { flowId: UNKNOWN, status: "ACTIVE" });
    expect(preview).toEqual({
      inputs: { flowId: UNKNOWN, status: "ACTIVE", scope: "flow", convergeTimeoutSeconds: 120 },
      failures: [],
    });
  });

  it("creates (adopts and reconciles), reads and deletes a flow, logging under the resource's URN", async () => {
    const p = await configured();
    const { inputs } = await check(p, "billing", { flowId: 300, status: "ACTIVE" });
    const { id, outs } = await create(p, "billing", inputs);
    expect(id).toBe("300");
    expect(outs).toMatchObject({
      flowId: 300,
      status: "ACTIVE",
      originNodeId: 300,
      flowName: "billing-export",
    });
    expect(Object.keys(outs).filter((k) => k.startsWith("__"))).toEqual([]);
    expect(writes()).toEqual(["PUT /flows/300/activate?full_tree=1"]);
    expect(logOf(urnOf("billing"))).toContain(
      "flow 300: PUT /flows/300/activate?full_tree=1  (activates data_source 1200, data_set 2200, data_sink 3200)",
    );

    emulator.control.setStatus("data_sink", 3200, "PAUSED");
    const read = new providerPb.ReadRequest().setUrn(urnOf("billing")).setType("nexla:index:Flow").setId(id);
    read.setProperties(struct(outs));
    read.setInputs(struct(inputs));
    const refreshed = await p.call<ProviderPb.ReadResponse>("read", read);
    expect(refreshed.getId()).toBe("300");
    expect(refreshed.getProperties()?.toJavaScript()).toMatchObject({
      status: "MIXED",
      declaredStatus: "ACTIVE",
    });
    expect(Object.keys(refreshed.getInputs()?.toJavaScript() ?? {}).sort()).toEqual([
      "convergeTimeoutSeconds",
      "flowId",
      "scope",
      "status",
    ]);

    // `destroy` runs no program: a new operation (the engine shut this one's plugins down), where no Flow is
    // declared.
    await p.stop();
    const destroying = await configured();
    emulator.control.clearRequests();
    await remove(destroying, "billing", id, outs);
    expect(writes()).toEqual(["PUT /flows/300/pause?full_tree=1", "DELETE /flows/300?full_tree=1"]);
    expect(emulator.control.state().data_sources.some((r) => r.id === 1200)).toBe(false);
    expect(engine?.lines.every((l) => !l.message.startsWith("[pulumi-nexla"))).toBe(true);
    // The line about the process itself goes to the stack (no URN), not to the resource that happened to write it.
    expect(logOf("")).toEqual([
      `provider ${packageVersion()} (${process.cwd()})`,
      `provider ${packageVersion()} (${process.cwd()})`,
    ]);
    expect(logOf(urnOf("billing")).filter((line) => line.startsWith("provider "))).toEqual([]);
  });

  it("diffs against what Nexla reported, naming the inputs that changed, never a replacement", async () => {
    const p = await configured();
    const { inputs } = await check(p, "billing", { flowId: 300, status: "ACTIVE" });
    const { id, outs } = await create(p, "billing", inputs);
    const diff = async (news: Record<string, unknown>, olds: Record<string, unknown> = outs) => {
      const request = new providerPb.DiffRequest()
        .setUrn(urnOf("billing"))
        .setType("nexla:index:Flow")
        .setId(id);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      request.setOldInputs(struct(inputs));
      const r = await p.call<ProviderPb.DiffResponse>("diff", request);
      const detailed: Record<string, number> = {};
      r.getDetaileddiffMap().forEach((v, k) => (detailed[k] = v.getKind()));
      return { changes: r.getChanges(), diffs: r.getDiffsList(), detailed, replaces: r.getReplacesList() };
    };
    const { Kind } = providerPb.PropertyDiff;
    expect(await diff(inputs)).toEqual({
      changes: DiffChanges.DIFF_NONE,
      diffs: [],
      detailed: {},
      replaces: [],
    });
    // Someone paused a sink: the stored output says MIXED, the program still says ACTIVE.
    expect(await diff(inputs, { ...outs, status: "MIXED" })).toEqual({
      changes: DiffChanges.DIFF_SOME,
      diffs: ["status"],
      detailed: { status: Kind.UPDATE },
      replaces: [],
    });
    const repointed = { ...inputs, flowId: 301, scope: "downstream", owner: { ownerId: 2, orgId: 2 } };
    expect(await diff(repointed)).toEqual({
      changes: DiffChanges.DIFF_SOME,
      diffs: ["flowId", "scope", "owner"],
      detailed: { flowId: Kind.UPDATE, scope: Kind.UPDATE, owner: Kind.ADD },
      replaces: [],
    });
  });

  it("releases instead of deleting what another Flow of the operation declares (a rename)", async () => {
    const old = await adoptedOrders();
    // The next `up`, in a new plugin process, finds it called orders-eu: the engine checks the program's Flows,
    // creates the new one, then deletes the old one.
    const p = await configured();
    await create(
      p,
      "orders-eu",
      (await check(p, "orders-eu", { dataSourceId: 1000, status: "ACTIVE" })).inputs,
    );
    emulator.control.clearRequests();
    await remove(p, "orders", old.id, old.outs);
    expect(writes()).toEqual([]);
    expect(logOf(urnOf("orders"))).toContain(
      'flow 100 is declared by "orders-eu": "orders" released it, nothing deleted.',
    );
  });

  it("releases what a Flow checked in another plugin process of the operation declares; once shut down, not", async () => {
    const old = await adoptedOrders();
    // The next `up` moves the Flow to another provider instance under a new name: the engine checks orders-eu in
    // that instance's process, and deletes orders in the old instance's process, which never saw it.
    const [holder, deleter] = [await configured(), await configured()];
    await check(holder, "orders-eu", { dataSourceId: 1000, status: "ACTIVE" });
    emulator.control.clearRequests();
    await remove(deleter, "orders", old.id, old.outs);
    expect(writes()).toEqual([]);
    expect(logOf(urnOf("orders"))).toContain(
      'flow 100 is declared by "orders-eu": "orders" released it, nothing deleted.',
    );
    // The engine shuts its plugins down when the operation is over: what they declared no longer holds anything.
    await holder.stop();
    await remove(deleter, "orders", old.id, old.outs);
    expect(writes()).toEqual(["PUT /flows/100/pause?full_tree=1", "DELETE /flows/100?full_tree=1"]);
  });

  it("reads a Flow it has no state for (pulumi import) by its import id, adopting without a write", async () => {
    const p = await configured();
    const read = async (id: string) => {
      const request = new providerPb.ReadRequest()
        .setUrn(urnOf("archive"))
        .setType("nexla:index:Flow")
        .setId(id);
      request.setProperties(struct({}));
      request.setInputs(struct({}));
      const response = await p.call<ProviderPb.ReadResponse>("read", request);
      return {
        id: response.getId(),
        inputs: response.getInputs()?.toJavaScript() ?? {},
        outs: response.getProperties()?.toJavaScript() ?? {},
      };
    };
    const archive = await read("data_set:2101:downstream");
    expect(archive.inputs).toEqual({ dataSetId: 2101, scope: "downstream", status: "ACTIVE" });
    expect(archive.outs).toMatchObject({ originNodeId: 200, status: "ACTIVE", declaredStatus: "ACTIVE" });
    const node = archive.outs["anchorNodeId"] as number;
    expect(archive.id).toBe(`200/${node}`);
    // A Flow's stored id imports the same scope, anchored on its node.
    expect((await read(`200/${node}`)).inputs).toEqual({
      flowId: node,
      scope: "downstream",
      status: "ACTIVE",
    });
    expect(await read("flow:100")).toMatchObject({ id: "100", inputs: { flowId: 100, status: "ACTIVE" } });
    await expect(read(`999/${node}`)).rejects.toThrow(
      `Cannot import "999/${node}": node ${node} is now in flow 200, not in flow 999. Nothing was imported. ` +
        `Import flow:${node}:downstream to adopt it where it is now.`,
    );
    await expect(read("data_sink:99999")).rejects.toThrow(
      'Cannot import "data_sink:99999": Nexla reports no data_sink 99999 (flow of data_sink 99999 was not found, ' +
        "or these credentials cannot see it). Nothing was imported.",
    );
    await expect(read("flows/100")).rejects.toThrow(
      '"flows/100" is not an id of a Flow to import. Use `flow:',
    );
    expect(writes()).toEqual([]);
  });

  it("keeps a secret input secret in the outputs", async () => {
    const p = await configured();
    const { outs } = await create(p, "billing", {
      flowId: 300,
      scope: "flow",
      status: secret("PAUSED"),
      convergeTimeoutSeconds: 10,
    });
    expect(outs["status"]).toEqual(secret("PAUSED"));
    expect(outs["flowId"]).toBe(300);
  });

  it("keeps a Flow that adopted its flow and then failed, with what Nexla reports (ErrorResourceInitFailed)", async () => {
    const p = await configured();
    emulator.control.injectFault({
      method: "PUT",
      path: "/flows/300/activate",
      status: 400,
      body: { message: "no" },
    });
    const failed = await create(p, "billing", {
      flowId: 300,
      scope: "flow",
      status: "ACTIVE",
      convergeTimeoutSeconds: 10,
    }).then(
      () => undefined,
      (error: { details?: string; metadata?: { get(key: string): unknown[] } }) => error,
    );
    expect(failed?.details).toMatch(/^Could not activate flow 300/);
    const [bin] = (failed?.metadata?.get("grpc-status-details-bin") ?? []) as Buffer[];
    const status = statusPb.Status.deserializeBinary(new Uint8Array(bin!));
    const detail = providerPb.ErrorResourceInitFailed.deserializeBinary(
      status.getDetailsList()[0]!.getValue_asU8(),
    );
    expect(detail.getId()).toBe("300");
    expect(detail.getProperties()?.toJavaScript()).toMatchObject({ status: "PAUSED", originNodeId: 300 });
  });

  it("refuses a type it does not serve, and any resource request after Cancel", async () => {
    const p = await configured();
    const request = new providerPb.CheckRequest()
      .setUrn("urn:pulumi:dev::flows::nexla:index:Other::x")
      .setType("nexla:index:Other");
    request.setNews(struct({}));
    await expect(p.call("check", request)).rejects.toThrow(
      'pulumi-resource-nexla serves nexla:index:Flow only, not "nexla:index:Other".',
    );
    await p.call("cancel", new emptyPb.Empty());
    await expect(check(p, "billing", { flowId: 300, status: "ACTIVE" })).rejects.toThrow(
      /The operation was cancelled: pulumi-resource-nexla starts no new call to Nexla after a cancel/,
    );
    expect(writes()).toEqual([]);
  });
});
