/** The socket is a thin wrapper around the in-process handler (docs/design.md §8.3). */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import type { RunningEmulator } from "../types.js";
import { DROPPED, type Outcome } from "./pipeline.js";

export interface ListenOptions {
  readonly port?: number;
  readonly host?: string;
}

export async function listen(
  handle: (request: Request) => Promise<Outcome>,
  options: ListenOptions,
  onClose: () => Promise<void>,
): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const listener = getRequestListener(async (request, env) => {
    const outcome = await handle(request);
    if (outcome !== DROPPED) return outcome;
    // An injected "drop": the client sees the connection reset, no status line at all.
    (env as HttpBindings).incoming.socket.destroy();
    return new Response(null, { status: 500 });
  });
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await stopped;
    await onClose();
  };
  return { url, port, close: () => (closing ??= close()) };
}
