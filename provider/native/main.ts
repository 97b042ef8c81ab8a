#!/usr/bin/env node
/**
 * `pulumi-resource-nexla`: the native `nexla` provider plugin, which the Pulumi engine starts for programs in any
 * language (Pulumi YAML, Python, …) that declare `nexla:index:Flow`. As Pulumi's plugins do, it serves the
 * ResourceProvider gRPC service on 127.0.0.1 and prints its port as the first line of stdout; the engine's address
 * comes as its last argument (after flags such as `--logtostderr`, `-v=9`, `--tracing <endpoint>`; docs/pulumi.md C1).
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { packageVersion } from "../internal/credentials.js";
import { engineAddress, shareWith, stopSharing } from "../internal/shared-declarations.js";
import { logToEngine, type EngineLog } from "./engine-log.js";
import { serve } from "./server.js";

export { engineAddress };

async function main(args: readonly string[]): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(
      "pulumi-resource-nexla [engine address]\n\nThe nexla provider plugin. Pulumi starts it: declare " +
        "nexla:index:Flow resources in a Pulumi program, and put this command on PATH or name its folder in " +
        "Pulumi.yaml (plugins.providers). It serves on 127.0.0.1 and prints its port.\n",
    );
    return;
  }
  const address = engineAddress(args);
  // Every nexla plugin of the operation shares what its Flows declare, keyed by the engine (release.ts).
  if (address !== undefined) shareWith(address);
  const log: EngineLog | undefined = address === undefined ? undefined : logToEngine(address);
  const { port, stop } = await serve({ version: packageVersion(), ...(log === undefined ? {} : { log }) });
  process.stdout.write(`${port}\n`);
  const shutdown = () => {
    void stop().then(() => {
      stopSharing();
      log?.close();
      process.exit(0);
    });
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(
      `pulumi-resource-nexla: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
