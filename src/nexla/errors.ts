/**
 * A small error tree with stable codes (docs/design.md §8.6). Messages follow one grammar (§8.7):
 * "Could not <action> <target> (<METHOD> <path>): <what happened>. <what to do>." The raw response body and the
 * cause are non-enumerable so they are never logged by accident, and no message ever holds a credential.
 */
export type NexlaErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "validation"
  | "server"
  | "network"
  | "invalid_response"
  | "configuration";

export interface ErrorCodeInfo {
  /** What the code means, in one line. */
  readonly meaning: string;
  /** What to do about it, in one line. */
  readonly action: string;
}

/** Every code, what it means and what to do: the catalogue the README's troubleshooting section mirrors. */
export const errorCodes: Readonly<Record<NexlaErrorCode, ErrorCodeInfo>> = {
  unauthorized: {
    meaning: "Nexla answered 401: the credentials are missing, invalid or expired",
    action:
      "Set a valid NEXLA_SERVICE_KEY (renewed automatically) or a fresh NEXLA_ACCESS_TOKEN; access tokens expire after about an hour",
  },
  forbidden: {
    meaning: "Nexla answered 403: the user may not do this to this flow or resource",
    action:
      "Use the credentials of a user who can operate the flow; changing a flow's owner needs a Nexla super user",
  },
  not_found: {
    meaning: "Nexla answered 404: no such flow or resource, or the path is not served",
    action: "Check the id, and that NEXLA_API_URL points at the Nexla instance that holds it",
  },
  conflict: {
    meaning: "Nexla answered 405, its state-conflict code: the flow's state does not allow this",
    action: "Do what Nexla's message asks (for example pause the listed resources), then run again",
  },
  rate_limited: {
    meaning: "Nexla answered 429 on every attempt: the user's request rate limit was exceeded",
    action: "Wait a minute and run again with fewer operations at once",
  },
  validation: {
    meaning: "Nexla answered 400: it refused the request as invalid",
    action:
      "Fix what Nexla's message names; a flow whose source is RATE_LIMITED cannot be activated or paused until the limit lifts",
  },
  server: {
    meaning: "Nexla answered with a server error (5xx), on every attempt where retrying was allowed",
    action: "Run again later; if it persists, check Nexla's status or contact Nexla support",
  },
  network: {
    meaning: "Nexla could not be reached: timeout, refused, reset or dropped connection, or DNS failure",
    action: "Check NEXLA_API_URL and the network, then run again",
  },
  invalid_response: {
    meaning: "Nexla's answer was not the JSON expected (an HTML page, truncated JSON, or missing fields)",
    action:
      "Check that NEXLA_API_URL is Nexla's API base URL (for example https://dataops.nexla.io/nexla-api)",
  },
  configuration: {
    meaning: "The client's settings are incomplete or unsafe",
    action: "Fix the setting the message names",
  },
};

export interface NexlaErrorDetails {
  readonly code: NexlaErrorCode;
  readonly status?: number;
  readonly method?: string;
  /** Path and query relative to the API base URL, e.g. `/flows/200/pause?full_tree=1`. */
  readonly path?: string;
  /** How many HTTP attempts were made (retries included). */
  readonly attempts?: number;
  readonly body?: unknown;
  readonly cause?: unknown;
}

export class NexlaError extends Error {
  override readonly name = "NexlaError";
  readonly code: NexlaErrorCode;
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  readonly attempts?: number;
  /** Nexla's response body (parsed JSON or text), non-enumerable: never printed by accident. */
  declare readonly body: unknown;
  /** What failed underneath (a sanitized network error), non-enumerable. */
  declare readonly cause: unknown;

  constructor(message: string, details: NexlaErrorDetails) {
    super(message);
    this.code = details.code;
    if (details.status !== undefined) this.status = details.status;
    if (details.method !== undefined) this.method = details.method;
    if (details.path !== undefined) this.path = details.path;
    if (details.attempts !== undefined) this.attempts = details.attempts;
    Object.defineProperty(this, "body", { value: details.body, enumerable: false });
    if (details.cause !== undefined)
      Object.defineProperty(this, "cause", { value: details.cause, enumerable: false });
  }
}

/** True for a NexlaError, and when `code` is given, only for one with that code. */
export function isNexlaError(error: unknown, code?: NexlaErrorCode): error is NexlaError {
  return error instanceof NexlaError && (code === undefined || error.code === code);
}

const byStatus: Readonly<Record<number, NexlaErrorCode>> = {
  400: "validation",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  // Nexla's state-conflict code: delete while active, node-less resource (docs/nexla-api.md §5.1).
  405: "conflict",
  429: "rate_limited",
};

/** The code of an HTTP error status; other 4xx are reported as validation, 5xx as server. */
export function codeForStatus(status: number): NexlaErrorCode {
  return byStatus[status] ?? (status >= 500 ? "server" : "validation");
}
