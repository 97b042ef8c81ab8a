/** `pulumi-nexla drift`: comes in the next commit. */
import type { NexlaClient } from "../nexla/client.js";
import type { ExportIo } from "./export.js";

export async function runDrift(_client: NexlaClient, _file: string, io: ExportIo): Promise<number> {
  io.err("pulumi-nexla drift: not available in this build yet.");
  return 2;
}
