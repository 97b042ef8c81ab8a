/** The request log. It never holds a header, so an Authorization header cannot leak through it. */
import type { RequestLogEntry } from "../types.js";

/** Oldest entries are dropped beyond this, so a long-running emulator does not grow without bound. */
const MAX_ENTRIES = 10_000;
const SECRET_NAME = /key|token|secret|password/i;

/** Query parameters as an object, with the values of secret-looking names redacted. */
export function loggedQuery(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = SECRET_NAME.test(name) ? "[redacted]" : value;
  return query;
}

export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #unhandled: RequestLogEntry[] = [];
  #listeners = new Set<(entry: RequestLogEntry) => void>();

  record(entry: RequestLogEntry, unhandled: boolean): void {
    push(this.#entries, entry);
    if (unhandled) push(this.#unhandled, entry);
    for (const listener of [...this.#listeners]) listener(entry);
  }

  /** Calls `listener` with every entry as it is recorded, until the function returned is called. */
  listen(listener: (entry: RequestLogEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  entries(): readonly RequestLogEntry[] {
    return [...this.#entries];
  }

  unhandled(): readonly RequestLogEntry[] {
    return [...this.#unhandled];
  }

  clear(): void {
    this.#entries = [];
    this.#unhandled = [];
  }
}

function push(list: RequestLogEntry[], entry: RequestLogEntry): void {
  list.push(entry);
  if (list.length > MAX_ENTRIES) list.shift();
}
