/**
 * TLS verification is always on: against an HTTPS server on 127.0.0.1 with a self-signed certificate, the
 * client refuses the connection before any request (so before any token) is sent, even when the process has
 * NODE_TLS_REJECT_UNAUTHORIZED=0, which would otherwise turn verification off for every Node.js connection.
 * (Plain http to a host that is not loopback is refused by the client's option checks: client-options.test.ts.)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, get, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNexlaClient, type NexlaError } from "../../src/nexla/index.js";

const TOKEN = "tls-test-access-token";

function openssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!openssl())("TLS verification", () => {
  let dir: string;
  let cert: Buffer;
  let server: Server;
  let url: string;
  const seen: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pulumi-nexla-tls-"));
    // A certificate valid for 127.0.0.1 in every respect but one: nobody trusts its issuer (itself).
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        .concat(["-addext", "subjectAltName=IP:127.0.0.1"])
        .concat(["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")]),
      { stdio: "ignore" },
    );
    cert = readFileSync(join(dir, "cert.pem"));
    server = createServer({ key: readFileSync(join(dir, "key.pem")), cert }, (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"flows":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () =>
    createNexlaClient({ baseUrl: url, auth: { accessToken: TOKEN }, rateLimit: false, retry: { limit: 1 } });

  it("the server itself works for a client that trusts its certificate", async () => {
    const status = await new Promise<number>((resolve, reject) =>
      get(`${url}/flows/1`, { ca: cert }, (res) => resolve(res.resume().statusCode ?? 0)).on("error", reject),
    );
    expect(status).toBe(200);
    seen.length = 0;
  });

  it("the client refuses a certificate it cannot verify, and sends nothing", async () => {
    const error = (await client()
      .getFlow({ kind: "flow", id: 1 })
      .catch((e: unknown) => e)) as NexlaError;
    expect([error.code, error.message]).toEqual([
      "network",
      "Could not read flow 1 (GET /flows/1): the connection failed (DEPTH_ZERO_SELF_SIGNED_CERT). Check NEXLA_API_URL and the network, then run again.",
    ]);
    expect(seen).toEqual([]);
  });

  it("NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not turn verification off", async () => {
    const before = process.env["NODE_TLS_REJECT_UNAUTHORIZED"];
    process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
    try {
      const error = (await client()
        .getFlow({ kind: "flow", id: 1 })
        .catch((e: unknown) => e)) as NexlaError;
      expect(error.code).toBe("network");
      expect(error.message).toContain("DEPTH_ZERO_SELF_SIGNED_CERT");
      expect(seen).toEqual([]);
    } finally {
      if (before === undefined) delete process.env["NODE_TLS_REJECT_UNAUTHORIZED"];
      else process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = before;
    }
  });
});
