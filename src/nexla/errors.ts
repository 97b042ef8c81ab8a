/**
 * A small error tree with stable codes (style.md item 6). Messages follow one grammar (item 7):
 * "Could not <action> <target> (<METHOD> <path>): <what happened>. <what to do>." The raw response body is kept
 * non-enumerable so it is never logged by accident, and no message ever holds a credential.
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

/** Every code, what it means and what to do: the catalogue the README's troubleshooting section mirrors. */
export const errorCodes: Readonly<
  Record<NexlaErrorCode, { readonly meaning: string; readonly action: string }>
> = {
  unauthorized: {
    meaning: "Nexla answered 401: the credentials are missing, invalid or expired",
    action:
      "Check NEXLA_SERVICE_KEY or NEXLA_ACCESS_TOKEN (or the nexla:serviceKey / nexla:accessToken config); access tokens expire, service keys do not",
  },
  forbidden: {
    meaning: "Nexla answered 403: the user may not do this",
    action:
      "Check that the credentials belong to a user who can operate this flow; changing a flow's owner needs a Nexla super user",
  },
  not_found: {
    meaning: "Nexla answered 404: no such flow or resource, or the path is not served",
    action: "Check the id, and that NEXLA_API_URL is the API's base URL",
  },
  conflict: {
    meaning: "Nexla answered 405: the flow's state does not allow this",
    action: "Do what Nexla's message asks (for example pause the listed resources), then run again",
  },
  rate_limited: {
    meaning: "Nexla answered 429 on every retry: the user's request rate limit was exceeded",
    action: "Wait and run again, or lower Pulumi's --parallel",
  },
  validation: {
    meaning: "Nexla answered 400: it refused the request as invalid",
    action:
      "Read Nexla's message; a flow whose source is RATE_LIMITED cannot be activated or paused until the limit lifts",
  },
  server: {
    meaning: "Nexla answered with a server error on every retry",
    action: "Run again later; if it persists, check Nexla's status or contact Nexla support",
  },
  network: {
    meaning: "Nexla could not be reached (timeout, refused or dropped connection)",
    action: "Check NEXLA_API_URL and the network, then run again",
  },
  invalid_response: {
    meaning: "Nexla's answer was not the JSON expected",
    action:
      "Check that NEXLA_API_URL is Nexla's API base URL (for example https://dataops.nexla.io/nexla-api)",
  },
  configuration: {
    meaning: "The client's settings are incomplete or unsafe",
    action: "Fix the setting named in the message",
  },
};

export interface NexlaErrorDetails {
  readonly code: NexlaErrorCode;
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  readonly body?: unknown;
  readonly cause?: unknown;
}

export class NexlaError extends Error {
  override readonly name = "NexlaError";
  readonly code: NexlaErrorCode;
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  /** Nexla's response body, non-enumerable: kept for code that needs it, never printed by accident. */
  declare readonly body: unknown;

  constructor(message: string, details: NexlaErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    if (details.status !== undefined) this.status = details.status;
    if (details.method !== undefined) this.method = details.method;
    if (details.path !== undefined) this.path = details.path;
    Object.defineProperty(this, "body", { value: details.body, enumerable: false });
    if (details.cause !== undefined)
      Object.defineProperty(this, "cause", { value: details.cause, enumerable: false });
  }
}

export function isNexlaError(error: unknown, code?: NexlaErrorCode): error is NexlaError {
  return error instanceof NexlaError && (code === undefined || error.code === code);
}

const byStatus: Readonly<Record<number, NexlaErrorCode>> = {
  400: "validation",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "conflict",
  429: "rate_limited",
};

export function codeForStatus(status: number): NexlaErrorCode {
  return byStatus[status] ?? (status >= 500 ? "server" : "validation");
}
