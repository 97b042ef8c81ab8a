import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/emulator/cli.js";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (line: string) => void out.push(line), err: (line: string) => void err.push(line) },
  };
}

describe("pulumi-nexla-emulator", () => {
  it("starts on the given port and prints the base URL and every user's credentials", async () => {
    const { out, io: streams } = io();
    const running = await runCli(["--port", "0", "--no-rate-limits", "--settle-ms", "0"], streams);
    if (typeof running === "number") throw new Error(`exit ${running}`);
    try {
      expect(out[0]).toBe(`Nexla API emulator listening at ${running.url}`);
      const text = out.join("\n");
      expect(text).toContain("1 admin@nexla.example (super user)");
      expect(text).toContain("service key:  emu-outsider-service-key");
      expect(text).toContain("access token: emu-analyst-access-token");
      const response = await fetch(`${running.url}/flows`, {
        headers: { Authorization: "Bearer emu-ops-access-token" },
      });
      expect(response.status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it("rejects bad flags with a one-line error and the usage, exit status 2", async () => {
    for (const argv of [["--port", "http"], ["--prot", "1"], ["--settle-ms", "-5"], ["extra"]]) {
      const { err, io: streams } = io();
      expect(await runCli(argv, streams)).toBe(2);
      expect(err[0]).toMatch(/^pulumi-nexla-emulator: \S.*$/);
      expect(err[1]).toMatch(/^Usage: pulumi-nexla-emulator/);
    }
    const { err, io: streams } = io();
    await runCli(["--port", "70000"], streams);
    expect(err[0]).toBe('pulumi-nexla-emulator: --port must be a whole number from 0 to 65535, got "70000"');
  });

  it("prints the help and exits 0", async () => {
    const { out, io: streams } = io();
    expect(await runCli(["--help"], streams)).toBe(0);
    expect(out[0]).toContain("--no-rate-limits");
  });

  it("exits 1 naming the problem when the seed file is not a valid seed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
    try {
      const file = join(dir, "seed.json");
      await writeFile(file, JSON.stringify({ orgs: [] }));
      const { err, io: streams } = io();
      expect(await runCli(["--port", "0", "--seed", file], streams)).toBe(1);
      expect(err[0]).toMatch(/^pulumi-nexla-emulator: Invalid emulator seed: seed: "users" must be an array/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("says in words why a seed or snapshot file cannot be read, never a raw ENOENT", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
    try {
      const notJson = join(dir, "org.json");
      await writeFile(notJson, "flows: []");
      const cases = [
        [
          ["--seed-from-snapshot", join(dir, "missing.json")],
          `the snapshot ${join(dir, "missing.json")}: there is no such file`,
        ],
        [["--seed", dir], `the seed file ${dir}: it is a folder. Name the file.`],
        [["--seed-from-snapshot", notJson], `the snapshot ${notJson}: it is not JSON (`],
      ] as const;
      for (const [argv, message] of cases) {
        const { err, io: streams } = io();
        expect(await runCli(["--port", "0", ...argv], streams)).toBe(1);
        expect(err[0]).toContain(`pulumi-nexla-emulator: Could not read ${message}`);
        expect(err[0]).not.toContain("ENOENT");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("seeded from a snapshot, says what the copy cannot rehearse (an org's source limit, a migrating cluster)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
    const snapshot = {
      format: "pulumi-nexla-snapshot",
      version: 1,
      flows: [
        {
          id: 700,
          parent_node_id: null,
          origin_node_id: 700,
          data_source_id: 70,
          name: "imports",
          children: [],
        },
      ],
      data_sources: [
        {
          id: 70,
          owner_id: 42,
          org_id: 2,
          flow_node_id: 700,
          origin_node_id: 700,
          name: "r70",
          status: "ACTIVE",
        },
      ],
      data_sets: [],
      data_sinks: [],
      users: [{ id: 42, email: "pat@corp.example", name: "Pat" }],
      orgs: [{ id: 2, name: "Acme Data" }],
      projects: [],
    };
    try {
      const file = join(dir, "org.json");
      await writeFile(file, JSON.stringify(snapshot));
      const { out, io: streams } = io();
      const running = await runCli(["--port", "0", "--seed-from-snapshot", file], streams);
      if (typeof running === "number") throw new Error(`exit ${running}`);
      try {
        expect(out.join("\n")).toContain(
          "This copy cannot rehearse Nexla's refusals for an org's active-source limit or a migrating cluster",
        );
        expect(out.join("\n")).toContain(`POST ${running.url}/_emulator/orgs/{id}`);
      } finally {
        await running.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
