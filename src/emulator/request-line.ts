import type { RequestLogEntry } from "./types.js";

/** `PUT /flows/100/pause?full_tree=1`: a request log entry as one line, for assertions and reports. */
export function requestLine(entry: RequestLogEntry): string {
  const query = new URLSearchParams(entry.query).toString();
  return `${entry.method} ${entry.path}${query === "" ? "" : `?${query}`}`;
}

/** The calls that change Nexla: everything but reads and the token exchange. */
export function isWrite(entry: RequestLogEntry): boolean {
  return entry.method !== "GET" && !entry.path.startsWith("/token");
}
