/**
 * The provider as Pulumi stores it: serialized under Pulumi's mocks, then loaded in a fresh process the way
 * the dynamic-provider plugin loads it, and driven against the emulator. Needs `npm run build` (pretest).
 */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type RunningEmulator } from "pulumi-nexla/emulator";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const exec = promisify(execFile);
const emulator = createEmulator({ rateLimits: false });
let api: RunningEmulator;
beforeAll(async () => {
  api = await emulator.listen({ port: 0 });
});
afterAll(async () => api?.close());

async function serialize(env: Record<string, string>): Promise<string> {
  const { stdout } = await exec(process.execPath, [join(root, "test/fixtures/serialize-flow.mjs")], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  return (JSON.parse(stdout) as { provider: string }).provider;
}

function runSerialized(text: string, calls: unknown[][], env: Record<string, string>): Promise<unknown[]> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      [join(root, "test/fixtures/run-serialized.mjs"), JSON.stringify(calls)],
      { cwd: root, env: { ...process.env, ...env } },
      (error, stdout) => (error ? reject(error) : resolvePromise(JSON.parse(stdout) as unknown[])),
    );
    child.stdin?.end(text);
  });
}

describe("the serialized provider", () => {
  const secrets = {
    NEXLA_SERVICE_KEY: "emu-super-service-key",
    NEXLA_ACCESS_TOKEN: "emu-analyst-access-token",
  };

  it("captures no credential, whether a token or a service key is set", async () => {
    for (const [name, value] of Object.entries(secrets)) {
      const text = await serialize({ [name]: value, NEXLA_API_URL: api.url });
      expect(text).toContain("pulumi-nexla/internal/provider-runtime");
      expect(text).not.toContain(value);
      expect(text).not.toContain(api.url);
    }
  });

  it("is the same text whatever the environment, so an upgrade or a credential change causes no diff", async () => {
    expect(await serialize({ NEXLA_SERVICE_KEY: secrets.NEXLA_SERVICE_KEY })).toBe(await serialize({}));
  });

  it("works when loaded in a fresh process: check, create, read, delete against the emulator", async () => {
    emulator.control.reset();
    const text = await serialize({});
    const news = { flowId: 300, status: "ACTIVE" };
    const env = { NEXLA_API_URL: api.url, NEXLA_SERVICE_KEY: secrets.NEXLA_SERVICE_KEY };
    const [checked, created] = await runSerialized(
      text,
      [
        ["check", {}, news],
        ["create", { ...news, scope: "flow", convergeTimeoutSeconds: 10 }],
      ],
      env,
    );
    expect(checked).toEqual({ ok: { inputs: { ...news, scope: "flow", convergeTimeoutSeconds: 120 } } });
    expect(created).toMatchObject({ ok: { id: "300", outs: { status: "ACTIVE", originNodeId: 300 } } });
    const outs = (created as { ok: { outs: Record<string, unknown> } }).ok.outs;
    const [read, removed, gone] = await runSerialized(
      text,
      [
        ["read", "300", outs],
        ["delete", "300", outs],
        ["read", "300", outs],
      ],
      env,
    );
    expect(read).toMatchObject({
      ok: { id: "300", props: { status: "ACTIVE" }, inputs: { status: "ACTIVE", flowId: 300 } },
    });
    expect(removed).toEqual({});
    expect(gone).toEqual({ ok: {} });
    expect(emulator.control.state().data_sources.map((s) => s.id)).not.toContain(1200);
  });
});
