/**
 * Ownership transfer through the real CLI, with a super user's and an ordinary user's credentials, and the
 * guarantee that credentials never reach state or the CLI's output.
 */
import { describe, expect, it } from "vitest";
import { credentials, useHarness } from "./harness.js";

const h = useHarness();

const ownersOf = (originNodeId: number) =>
  h.emulator.control
    .state()
    .data_sources.filter((s) => s.origin_node_id === originNodeId)
    .map((s) => [s.owner_id, s.org_id]);

describe("ownership transfer", () => {
  it("a super user transfers the flow with its credentials and code containers", async () => {
    const up = await h.stack("ownership-transfer", "up", { stack: "chown" });
    expect(up.error).toBeUndefined();
    expect(h.writes()).toEqual(["PUT /flows/300"]);
    expect(ownersOf(300)).toEqual([[2, 2]]);
    const state = h.emulator.control.state();
    const credentialId = state.data_sources.find((s) => s.id === 1200)?.data_credentials_id;
    expect(state.data_credentials.find((c) => c.id === credentialId)?.owner_id).toBe(2);
    expect(up.outputs?.["owner"]).toEqual({ ownerId: 2, orgId: 2 });
    const preview = await h.stack("ownership-transfer", "preview", { stack: "chown" });
    expect(preview.changes).toEqual({ same: 2 });
  });

  it("an ordinary user's attempt fails with a clear message and changes nothing", async () => {
    const env = { NEXLA_SERVICE_KEY: credentials.analystKey };
    const up = await h.stack("ownership-transfer", "up", { stack: "chown-denied", env });
    expect(up.ok).toBe(false);
    expect(up.stdout + up.stderr + (up.error ?? "")).toContain(
      "Could not change the owner of flow 300 (PUT /flows/300): Nexla answered 403 Forbidden.",
    );
    expect(ownersOf(300)).toEqual([[3, 2]]);
    // The flow was adopted: it stays in state (with the error), so nothing is lost and a later up retries.
    const state = await h.stack("ownership-transfer", "export", { stack: "chown-denied", env });
    type Checkpoint = {
      checkpoint: { latest: { resources: { type: string; outputs: { flowOwner?: unknown } }[] } };
    };
    const resources = (state.deployment as Checkpoint).checkpoint.latest.resources;
    const flow = resources.find((r) => r.type === "pulumi-nodejs:dynamic/nexla:Flow");
    expect(flow?.outputs.flowOwner).toEqual({ ownerId: 3, orgId: 2 });
  });
});

describe("credentials", () => {
  it("neither env credentials nor stack secret config appear in state or output", async () => {
    const viaEnv = await h.stack("quickstart", "up", { stack: "secret-env" });
    const envState = await h.stack("quickstart", "export", { stack: "secret-env" });
    const config = { "nexla:accessToken": { value: credentials.superToken, secret: true } };
    const viaConfig = await h.stack("quickstart", "up", {
      stack: "secret-config",
      config,
      env: { NEXLA_SERVICE_KEY: "" },
    });
    const configState = await h.stack("quickstart", "export", {
      stack: "secret-config",
      config,
      env: { NEXLA_SERVICE_KEY: "" },
    });
    expect(viaEnv.ok && viaConfig.ok).toBe(true);
    const everything = JSON.stringify([viaEnv, envState, viaConfig, configState]);
    expect(JSON.stringify(configState.deployment)).toContain(
      '"nexla:accessToken":{"4dabf18193072939515e22adb298388d"',
    );
    expect(everything).not.toContain(credentials.superKey);
    expect(everything).not.toContain(credentials.superToken);
  });
});
