/**
 * What a call is for and what came of it, as structured data: describe.ts builds the message text from it and
 * advice.ts chooses "what to do" from it, so neither reads the other's text back.
 */
import type { NexlaErrorCode } from "../errors.js";

/** What a call is for, as messages name it. */
export interface CallContext {
  /** `pause`, `read`, `change the owner of`, `exchange the service key for`. */
  readonly action: string;
  /** `flow 200`, `flow of data_set 2101`, `data_sink 3100`, `flows`, `a session token`. */
  readonly target: string;
  /**
   * What the advice on a 403 calls the target: `flow` for flow and list calls, the resource kind for calls on
   * one resource (`data_set 2101` → `data_set`).
   */
  readonly noun: string;
  readonly method: string;
  /** Path and query relative to the base URL: `/flows/200/pause?full_tree=1`. */
  readonly path: string;
  /** What the user must be allowed to do, for the advice on a 403; `token` for the service-key exchange. */
  readonly need: "read" | "operate" | "manage" | "chown" | "token";
  /** `accessToken` or `serviceKey`: how the client authenticates, for the advice on a 401. */
  readonly auth: "accessToken" | "serviceKey";
}

/** Resources an error body lists, and what the message calls them (`still active`, …). */
export interface Listed {
  readonly label: string;
  readonly resources: readonly string[];
}

export interface Outcome {
  readonly code: NexlaErrorCode;
  /** The message's "what happened", built from the fields below. */
  readonly what: string;
  readonly status?: number;
  readonly body?: unknown;
  /** Nexla's own `message` (or `error`), on one line. */
  readonly said?: string;
  /** The resources Nexla's error body lists, when it lists any. */
  readonly listed?: Listed;
  readonly attempts?: number;
  readonly cause?: unknown;
  /** The request already ran with a fresh session token (service-key mode, after a 401). */
  readonly renewed?: boolean;
}
