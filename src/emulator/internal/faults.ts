/** Injected faults: per route, matched in the order added, each used a given number of times. */
import type { Fault } from "../types.js";

interface ActiveFault {
  readonly fault: Fault;
  readonly matches: (method: string, path: string) => boolean;
  remaining: number;
}

/** `*` matches exactly one path segment: `/flows/*` matches `/flows/100`, not `/flows/100/pause`. */
function pathMatcher(pattern: string | RegExp): (path: string) => boolean {
  if (pattern instanceof RegExp)
    return (path) => new RegExp(pattern.source, pattern.flags.replace("g", "")).test(path);
  if (!pattern.includes("*")) return (path) => path === pattern;
  const segments = pattern.split("/");
  return (path) => {
    const parts = path.split("/");
    return (
      parts.length === segments.length &&
      segments.every((s, i) => (s === "*" ? parts[i] !== "" : s === parts[i]))
    );
  };
}

/** Every problem of a fault, so a bad one is refused when added rather than ignored when matched. */
export function faultProblems(fault: Fault): string[] {
  const problems: string[] = [];
  if (typeof fault.path !== "string" && !(fault.path instanceof RegExp))
    problems.push("path must be a string or RegExp");
  if (
    fault.status !== undefined &&
    !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)
  ) {
    problems.push("status must be an integer from 200 to 599");
  }
  const times = fault.times ?? 1;
  if (!(times === Infinity || (Number.isInteger(times) && times >= 1)))
    problems.push("times must be a whole number >= 1 or Infinity");
  if (fault.latencyMs !== undefined && !(fault.latencyMs >= 0)) problems.push("latencyMs must be >= 0");
  if (fault.status === undefined && fault.drop !== true && fault.latencyMs === undefined) {
    problems.push("a fault needs status, drop or latencyMs");
  }
  if (fault.after === true && fault.status === undefined && fault.drop !== true)
    problems.push("after needs status or drop");
  return problems;
}

export class FaultList {
  #faults: ActiveFault[] = [];

  add(fault: Fault): void {
    const problems = faultProblems(fault);
    if (problems.length > 0) throw new TypeError(`Invalid fault: ${problems.join("; ")}.`);
    const method = fault.method?.toUpperCase();
    const matchesPath = pathMatcher(fault.path);
    this.#faults.push({
      fault,
      matches: (m, p) => (method === undefined || method === m) && matchesPath(p),
      remaining: fault.times ?? 1,
    });
  }

  /** The first fault matching the request, used once; undefined when none matches. */
  take(method: string, path: string): Fault | undefined {
    const active = this.#faults.find((f) => f.matches(method, path));
    if (active === undefined) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.#faults.splice(this.#faults.indexOf(active), 1);
    return active.fault;
  }

  clear(): void {
    this.#faults = [];
  }
}
