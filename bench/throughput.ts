/**
 * Emulator throughput on flow reads and writes, next to a minimal Node.js HTTP server answering the same bytes,
 * on 127.0.0.1 in the same process and run: bounded loops of requests from a fixed number of concurrent
 * workers, over keep-alive connections (fetch).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulator, generateSeed } from "../src/emulator/index.js";

export interface Throughput {
  readonly server: string;
  readonly operation: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const FLOWS = 200;
const CONCURRENCY = 16;
const headers = {
  accept: "application/vnd.nexla.api.v1+json",
  authorization: "Bearer emu-super-access-token",
};
const origin = (i: number) => 100_000 + 10 * ((i % FLOWS) + 1);
const read = (base: string) => (i: number) => new Request(`${base}/flows/${origin(i)}`, { headers });
/** Pause, then activate, each flow in turn: every call changes three resources. */
const write = (base: string) => (i: number) =>
  new Request(
    `${base}/flows/${origin(i)}/${Math.floor(i / FLOWS) % 2 === 0 ? "pause" : "activate"}?full_tree=1`,
    {
      method: "PUT",
      headers,
    },
  );

async function hammer(
  make: (i: number) => Request,
  total: number,
): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const began = performance.now();
      const response = await fetch(make(i));
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${make(i).method} answered ${response.status}`);
      latencies.push(performance.now() - began);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ms: performance.now() - began, latencies };
}

function summary(server: string, operation: string, run: { ms: number; latencies: number[] }): Throughput {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    server,
    operation,
    requests: sorted.length,
    perSecond: (sorted.length / run.ms) * 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

/**
 * Both servers are warmed up first (the client's fetch and both servers JIT-compile on their first thousands of
 * requests: measured cold, whichever runs first looked twice as slow), then measured in alternating rounds; the
 * round with the median rate of each is reported.
 */
export async function throughput(reads = 4000, writes = 2000, rounds = 3): Promise<Throughput[]> {
  const emulator = createEmulator({ seed: generateSeed({ flows: FLOWS }), rateLimits: false });
  const api = await emulator.listen({ port: 0 });
  // The minimal server answers every request with the bytes the emulator renders for a flow.
  const body = await (await fetch(read(api.url)(0))).text();
  const minimal = createServer((req, res) => {
    req.resume().on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(body));
  });
  await new Promise<void>((resolve) => minimal.listen(0, "127.0.0.1", resolve));
  const minimalUrl = `http://127.0.0.1:${(minimal.address() as AddressInfo).port}`;
  const servers = [
    ["emulator", api.url],
    ["minimal node:http", minimalUrl],
  ] as const;
  const operations = [
    ["GET /flows/{id}", read, reads],
    ["PUT /flows/{id}/pause, /activate", write, writes],
  ] as const;
  try {
    for (const [, base] of servers) for (const [, make] of operations) await hammer(make(base), 2000);
    const runs = new Map<string, Throughput[]>();
    for (let round = 0; round < rounds; round += 1) {
      for (const [server, base] of servers) {
        for (const [operation, make, total] of operations) {
          const key = `${server}|${operation}`;
          runs.set(key, [
            ...(runs.get(key) ?? []),
            summary(server, operation, await hammer(make(base), total)),
          ]);
        }
        emulator.control.clearRequests();
      }
    }
    return [...runs.values()].map((list) => {
      const sorted = [...list].sort((a, b) => a.perSecond - b.perSecond);
      return sorted[Math.floor(sorted.length / 2)] as Throughput;
    });
  } finally {
    await new Promise((resolve) => minimal.close(resolve));
    await api.close();
  }
}

export interface ListTime {
  readonly request: string;
  readonly bytes: number;
  readonly p50Ms: number;
  readonly maxMs: number;
}

/** The emulator's answer to `GET /flows` on 1,000 flows (what one coalesced read costs it), one at a time. */
export async function listTimes(flows = 1000, runs = 20): Promise<ListTime[]> {
  const emulator = createEmulator({ seed: generateSeed({ flows }), rateLimits: false });
  const api = await emulator.listen({ port: 0 });
  try {
    const results: ListTime[] = [];
    for (const query of ["", "?flows_only=1"]) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs + 2; i += 1) {
        const began = performance.now();
        const response = await fetch(`${api.url}/flows${query}`, { headers });
        bytes = (await response.arrayBuffer()).byteLength;
        if (i >= 2) times.push(performance.now() - began); // two warm-up requests
      }
      times.sort((a, b) => a - b);
      results.push({
        request: `GET /flows${query}`,
        bytes,
        p50Ms: times[Math.floor(times.length / 2)] ?? 0,
        maxMs: times.at(-1) ?? 0,
      });
    }
    return results;
  } finally {
    await api.close();
  }
}
