// Drives the project's built Nexla client (dist/src/nexla) through a list of calls, so that the conformance
// suite can compare what it sends with what Nexla's Python SDK sends for the same operations.
//
//   node conformance/client-driver.mjs < scenario.json
//
// scenario: { "baseUrl": "http://127.0.0.1:…", "auth": { "serviceKey": "…" } | { "accessToken": "…" },
//             "calls": [ { "method": "getFlow", "args": [{ "kind": "flow", "id": 100 }] }, … ] }
// Prints one JSON object: { "results": [ { "ok": true, "summary": … } | { "ok": false, "code", "status", "message" } ] }.
// CONFORMANCE_DIST names the build to load (default: the repo's dist/, what `npm run build` writes).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.CONFORMANCE_DIST ?? join(here, "..", "dist"));
const entry = join(dist, "src", "nexla", "index.js");
if (!existsSync(entry)) {
  console.error(
    `client-driver: the project's client is not built: ${entry} is missing. Run \`npm run build\` (src/nexla/index.ts must exist).`,
  );
  process.exit(3);
}
const { createNexlaClient } = await import(pathToFileURL(entry).href);

const methods = new Set([
  "getFlow",
  "activate",
  "pause",
  "deleteFlow",
  "listFlows",
  "getResource",
  "activateResource",
  "pauseResource",
]);

/** What the comparison needs from an answer: enough to see it parsed, not the whole flow. */
function summary(value) {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value.flows)) return { flows: value.flows.map((f) => f.id) };
  return { id: value.id, status: value.status };
}

const scenario = JSON.parse(readFileSync(0, "utf8"));
const client = createNexlaClient({
  baseUrl: scenario.baseUrl,
  auth: scenario.auth,
  // One call at a time against a local emulator: the throttle would only add waiting, never change a request.
  rateLimit: false,
  retry: { limit: 0 },
});
const results = [];
for (const call of scenario.calls) {
  if (!methods.has(call.method)) throw new Error(`client-driver: unknown method ${call.method}`);
  try {
    results.push({ ok: true, summary: summary(await client[call.method](...(call.args ?? []))) });
  } catch (error) {
    results.push({ ok: false, code: error.code, status: error.status, message: error.message });
  }
}
console.log(JSON.stringify({ results }));
