/**
 * The ResourceProvider gRPC service of `pulumi-resource-nexla`, over the bindings `@pulumi/pulumi` ships (proto.ts).
 * Not `@pulumi/pulumi/provider`'s `main()`: its Configure ignores the config, CheckConfig and DiffConfig answer
 * UNIMPLEMENTED, and its CRUD calls never learn the engine's address (issue #22). Methods not served here (Invoke,
 * Call, Construct, Parameterize, …) answer UNIMPLEMENTED, which the engine expects of a provider without them.
 *
 * Cancel: the engine asks it when the user interrupts `pulumi up`. Any resource request after it is refused,
 * naming why, so no new write starts; calls to Nexla already under way go on. On Ctrl+C the CLI then signals the
 * plugin's process group (SIGINT, seen in test/reliability/interrupt.test.ts) and the plugin exits (main.ts),
 * dropping what was under way, as the dynamic provider's host does when it dies of the signal: the engine has
 * recorded those Flows as pending operations, and the next refresh reads what Nexla holds.
 */
import { packageSchema } from "../../src/declaration/package-schema.js";
import { checkConfig, configureFromRequest, diffConfig } from "./config.js";
import { forResource, type EngineLog } from "./engine-log.js";
import { anyPb, emptyPb, grpc, pluginPb, providerGrpc, providerPb, statusPb, type Grpc } from "./proto.js";
import * as resource from "./resource.js";
import { toStruct } from "./struct.js";

export interface ServiceOptions {
  /** The package's version: the plugin's and the schema's. */
  readonly version: string;
  /** Where the runtime's log lines go while a resource's request runs: the engine, when there is one. */
  readonly log?: EngineLog;
}

type Handler<Req, Res> = (request: Req) => Promise<Res> | Res;

/** The service's handlers, by method name, for `Server.addService`. */
export function providerService(options: ServiceOptions): Grpc.UntypedServiceImplementation {
  let cancelled = false;
  const unary =
    <Req, Res>(handler: Handler<Req, Res>): Grpc.handleUnaryCall<Req, Res> =>
    (call, callback) => {
      Promise.resolve()
        .then(() => handler(call.request))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(serviceError(error)),
        );
    };
  /** A request about one resource: refused after Cancel, its log lines attached to its URN. */
  const onResource = <Req extends { getUrn(): string }, Res>(
    handler: (request: Req) => Promise<Res>,
  ): Grpc.handleUnaryCall<Req, Res> =>
    unary(async (request: Req) => {
      if (cancelled) throw new Error(cancelledMessage);
      try {
        return await forResource(request.getUrn(), () => handler(request));
      } finally {
        await options.log?.flush();
      }
    });
  return {
    getPluginInfo: unary(() => new pluginPb.PluginInfo().setVersion(options.version)),
    getSchema: unary((request: InstanceType<typeof providerPb.GetSchemaRequest>) => {
      if (request.getSubpackageName() !== "")
        throw new Error(
          `pulumi-resource-nexla has no sub-package ${JSON.stringify(request.getSubpackageName())}.`,
        );
      return new providerPb.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(options.version)));
    }),
    checkConfig: unary(checkConfig),
    diffConfig: unary(diffConfig),
    configure: unary(configureFromRequest),
    check: onResource(resource.check),
    diff: onResource(resource.diff),
    create: onResource(resource.create),
    read: onResource(resource.read),
    update: onResource(resource.update),
    delete: onResource(resource.remove),
    cancel: unary(() => {
      cancelled = true;
      return new emptyPb.Empty();
    }),
  };
}

const cancelledMessage =
  "The operation was cancelled: pulumi-resource-nexla starts no new call to Nexla after a cancel. Calls under " +
  "way when it came finished, so no sequence was left halfway. Run `pulumi refresh` to see where Nexla is, then " +
  "`pulumi up` again.";

/**
 * A failure as the engine reads it: the message, and for a Flow that adopted its flow before failing, the state
 * to keep (`pulumirpc.ErrorResourceInitFailed` in the status details), so the engine keeps the resource with
 * what Nexla reports instead of forgetting it (docs/pulumi.md C3).
 */
function serviceError(error: unknown): Partial<Grpc.StatusObject> & { message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const metadata = new grpc.Metadata();
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    id?: unknown;
    properties?: Record<string, unknown>;
    reasons?: unknown;
    secrets?: ReadonlySet<string>;
  };
  if (typeof e.id === "string" && e.id !== "") {
    const detail = new providerPb.ErrorResourceInitFailed();
    detail.setId(e.id);
    detail.setProperties(toStruct(e.properties ?? {}, e.secrets));
    detail.setReasonsList(Array.isArray(e.reasons) ? e.reasons.map(String) : [message]);
    const any = new anyPb.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusPb.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, message, metadata };
}

/** Pulumi's own limit on a message between engine and plugin (400 MB): a flow of thousands of nodes fits. */
const maxMessage = 400 * 1024 * 1024;

/** Serves the provider on 127.0.0.1 on a free port; resolves with the port and a way to stop. */
export async function serve(options: ServiceOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": maxMessage,
    "grpc.max_send_message_length": maxMessage,
  });
  server.addService(providerGrpc.ResourceProviderService, providerService(options));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      server.tryShutdown(() => resolve());
    });
  return { port, stop };
}
