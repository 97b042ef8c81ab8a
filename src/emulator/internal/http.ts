/** Response helpers, in the shapes Nexla's server produces (SRV api_controller.rb). */

/** Thrown by handlers; rendered as `status` with `body` as JSON, or an empty body (SRV `head status`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body?: Readonly<Record<string, unknown>>,
  ) {
    super(typeof body?.message === "string" ? body.message : `HTTP ${status}`);
  }

  response(): Response {
    return this.body === undefined ? empty(this.status) : json(this.body, this.status);
  }
}

/** `{"message": …}`, the body of every Nexla error raised with a message (SRV handle_exceptions). */
export const failure = (status: number, message: string): HttpError => new HttpError(status, { message });

export function json(body: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): Response {
  return jsonText(JSON.stringify(body), status, headers);
}

/** Like `json`, for a body already serialized. */
export function jsonText(
  text: string,
  status = 200,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return new Response(text, {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * An empty body. Rails' `head` still sends the request format's content type, and the server forces that
 * format to JSON (SRV api_controller.rb), so a client must cope with an empty body labelled JSON.
 */
export function empty(status: number): Response {
  return new Response(null, { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

/** Set on every response (SRV api_controller.rb sets them on every response). */
export function addNoCacheHeaders(response: Response): void {
  response.headers.set("Pragma", "no-cache");
  response.headers.set("Cache-Control", "no-store");
}

/**
 * A path id. Anything but a plain positive integer finds no record, which Nexla answers with an empty 404
 * (SRV RecordNotFound); the emulator does not mimic MySQL's lenient casting of "12abc" to 12.
 */
export function parseId(raw: string | undefined): number {
  if (raw === undefined || !/^[1-9][0-9]{0,15}$/.test(raw)) throw new HttpError(404);
  return Number(raw);
}

/** Rails' `truthy?` as the flow actions use it for `all` and `full_tree`. */
export function truthy(value: string | undefined): boolean {
  return value !== undefined && ["1", "true"].includes(value.toLowerCase());
}
