/** The Hono app: routing only. Faults, logging and common headers are the pipeline's (pipeline.ts). */
import { Hono } from "hono";
import type { EmulatorControl } from "../types.js";
import type { AppEnv, Core } from "./core.js";
import { empty, HttpError, json } from "./http.js";
import { controlRoutes } from "./routes/control.js";
import { flowRoutes } from "./routes/flows.js";
import { resourceRoutes } from "./routes/resources.js";
import { sessionRoutes } from "./routes/session.js";

export function createApp(core: Core, control: EmulatorControl): Hono<AppEnv> {
  // Rails routes match with or without a trailing slash.
  const app = new Hono<AppEnv>({ strict: false });
  controlRoutes(app, control);
  sessionRoutes(app, core);
  flowRoutes(app, core);
  resourceRoutes(app, core);
  app.notFound((c) => {
    if (c.req.path.startsWith("/_emulator")) return json({ message: "No such emulator control route." }, 404);
    // Unrouted paths are an empty 404 (SRV api_controller.rb#raise_no_route!); tests assert there were none.
    c.env.ticket.unhandled = true;
    return empty(404);
  });
  app.onError((error) => {
    if (error instanceof HttpError) return error.response();
    // Anything else is a 500 with the exception message (SRV api_controller.rb#handle_exceptions).
    return json({ message: error.message }, 500);
  });
  return app;
}
