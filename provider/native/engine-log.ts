/**
 * Log lines attached to the resource they are about. The runtime writes each line of its log to stderr under
 * the Flow's name (provider/internal/log.ts); a dynamic provider cannot do better, and its lines land under the
 * stack. The native plugin knows the URN of every request, and the engine's address (its first argument): while
 * a request of a resource runs, each line the runtime writes goes to the engine's `Log` call with that URN
 * instead, so the CLI shows it under the resource. Without an engine (a test driving the plugin directly), or
 * outside a request, lines go to stderr as before.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { engineGrpc, enginePb, grpc } from "./proto.js";

/** The URN of the resource whose request is running. */
const current = new AsyncLocalStorage<string>();

/** Runs one request of the resource `urn`: every line the runtime logs meanwhile is attached to it. */
export function forResource<T>(urn: string, work: () => Promise<T>): Promise<T> {
  return current.run(urn, work);
}

/** The runtime's prefix, `[pulumi-nexla <name>] `: the engine shows the resource, so the name is left out. */
const prefix = /^\[pulumi-nexla(?: [^\n]*?)?\] /;
/** A line about the process itself (its version and folder) has no name in its prefix (log.ts, logProcess). */
const processLine = "[pulumi-nexla] ";
/** How long one line may take to reach the engine before it is written to stderr instead. */
const sendTimeoutMs = 5000;

export interface EngineLog {
  /** Resolves once every line sent so far has reached the engine (or failed to). */
  flush(): Promise<void>;
  close(): void;
}

/**
 * Routes the runtime's stderr lines written during a resource's request to the engine at `address`. Lines the
 * engine refuses (it went away) are written to stderr instead, so none is lost.
 */
export function logToEngine(address: string): EngineLog {
  const client = new engineGrpc.EngineClient(address, grpc.credentials.createInsecure());
  const write = process.stderr.write.bind(process.stderr);
  let pending: Promise<void> = Promise.resolve();
  const send = (urn: string, line: string) => {
    const request = new enginePb.LogRequest();
    request.setSeverity(enginePb.LogSeverity.INFO);
    // A line about the process goes to the stack, not to the resource whose request happened to write it.
    request.setUrn(line.startsWith(processLine) ? "" : urn);
    request.setMessage(line.replace(prefix, ""));
    pending = pending.then(
      () =>
        new Promise<void>((resolve) => {
          const deadline = new Date(Date.now() + sendTimeoutMs);
          client.log(request, new grpc.Metadata(), { deadline }, (error) => {
            if (error !== null) write(line + "\n");
            resolve();
          });
        }),
    );
  };
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const urn = current.getStore();
    if (urn === undefined) return write(chunk, ...rest);
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    for (const line of text.split("\n")) if (line !== "") send(urn, line);
    const done: unknown = rest.at(-1);
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof process.stderr.write;
  return {
    flush: () => pending,
    close: () => {
      process.stderr.write = write;
      client.close();
    },
  };
}
