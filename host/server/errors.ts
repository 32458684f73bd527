// Encore's error wire format: a code from a fixed set, mapped to an HTTP status, and the body
// {"code", "message", "details"}. Internal errors keep their real message out of the response.

/** Encore's code → HTTP status mapping (runtimes/core/src/api/error.rs). */
export const ERR_STATUS: Record<string, number> = {
  ok: 200,
  canceled: 499,
  unknown: 500,
  invalid_argument: 400,
  deadline_exceeded: 504,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  resource_exhausted: 429,
  failed_precondition: 400,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
  unauthenticated: 401,
};

/** Encore's error codes (every code but "ok"), in its order. */
export const ERROR_CODES: readonly string[] = Object.keys(ERR_STATUS).filter((code) => code !== "ok");

export const INTERNAL_MESSAGE = "an internal error occurred";
export const DB_UNAVAILABLE_MESSAGE = "the database is temporarily unavailable; retry shortly";
// The retry hint of a 503 caused by the database (details.retryAfterSeconds and Retry-After).
export const DB_RETRY_AFTER_SECONDS = 5;

/**
 * Whether `err`, or an error in its cause chain, is a database that cannot be reached or gave no
 * connection in time (host/db/sqlerror.ts marks those SqlErrors `unavailable`). Such failures are
 * transient: callers get 503 `unavailable` with a retry hint instead of 500 `internal`, also when
 * the app wrapped the error (APIError.internal(msg, cause)).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e = err;
  for (let depth = 0; depth < 6 && typeof e === "object" && e !== null; depth++) {
    const x = e as { name?: unknown; unavailable?: unknown; cause?: unknown };
    if (x.name === "SqlError" && x.unavailable === true) return true;
    e = x.cause;
  }
  return false;
}

/** The public parts of a database-unavailable failure. */
export function databaseUnavailableParts(): { code: "unavailable"; message: string; details: { retryAfterSeconds: number } } {
  return { code: "unavailable", message: DB_UNAVAILABLE_MESSAGE, details: { retryAfterSeconds: DB_RETRY_AFTER_SECONDS } };
}

/** The Retry-After header for an error body that carries a retry hint. */
export function retryAfterHeader(body: { code: string; details?: unknown }): Record<string, string> {
  const secs = (body.details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  return (body.code === "unavailable" || body.code === "resource_exhausted") && typeof secs === "number" && secs > 0
    ? { "retry-after": String(Math.ceil(secs)) }
    : {};
}

export function statusForCode(code: string): number {
  return Object.hasOwn(ERR_STATUS, code) ? ERR_STATUS[code] : 500;
}

/** An error the server itself raises (routing, decoding, auth, limits). */
export class HttpError extends Error {
  readonly code: string;
  readonly details?: unknown;
  /** Overrides the code's status where HTTP has a better word (413, 405). */
  readonly status: number;

  constructor(code: string, message: string, details?: unknown, status?: number) {
    super(message);
    this.name = "HttpError";
    this.code = code;
    if (details !== undefined) this.details = details;
    this.status = status ?? statusForCode(code);
  }
}

export const invalidArgument = (msg: string, details?: unknown) => new HttpError("invalid_argument", msg, details);
export const notFound = (msg: string, details?: unknown) => new HttpError("not_found", msg, details);
export const unauthenticated = (msg: string, details?: unknown) => new HttpError("unauthenticated", msg, details);

export interface ErrorBody {
  code: string;
  message: string;
  details: unknown | null;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** True when the real cause is hidden from the client: the caller should log it. */
  internal: boolean;
  /** The real message (and its cause's), for the log; set when `internal`. */
  logMessage?: string;
}

/**
 * Maps anything thrown to Encore's error response. Duck-typed on `code`/`message`/`details`, so the
 * SDK's APIError, the runtime's ApiCallError and HttpError all work. A missing or unknown code (a
 * plain Error, a driver error with code "23505") becomes `internal`, with its message hidden.
 */
export function toErrorBody(err: unknown): ErrorResponse {
  const e = typeof err === "object" && err !== null ? (err as { code?: unknown; message?: unknown; details?: unknown; cause?: unknown }) : null;
  const rawCode = e && typeof e.code === "string" ? e.code : null;
  const code = rawCode !== null && rawCode !== "ok" && Object.hasOwn(ERR_STATUS, rawCode) ? rawCode : "internal";

  if (code === "internal" && isDatabaseUnavailable(err)) {
    return { status: 503, body: databaseUnavailableParts(), internal: false, logMessage: describe(err) };
  }
  if (code === "internal") {
    return {
      status: 500,
      body: { code, message: INTERNAL_MESSAGE, details: null },
      internal: true,
      logMessage: describe(err),
    };
  }
  const message = typeof e!.message === "string" && e!.message !== "" ? e!.message : code;
  const status = err instanceof HttpError ? err.status : statusForCode(code);
  return { status, body: { code, message, details: jsonDetails(e!.details) }, internal: false };
}

/** The real message for the log: name, message and the cause chain (never sent to clients). */
function describe(err: unknown): string {
  if (!(typeof err === "object" && err !== null)) return `non-error value thrown: ${safeString(err)}`;
  const e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  let text = `${typeof e.name === "string" ? e.name : "Error"}: ${typeof e.message === "string" ? e.message : safeString(err)}`;
  if (typeof e.code === "string" && e.code !== "internal") text += ` (code ${e.code})`;
  let cause = e.cause;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    const c = cause as { message?: unknown; cause?: unknown };
    text += `: ${typeof c.message === "string" ? c.message : safeString(cause)}`;
    cause = typeof cause === "object" ? c.cause : undefined;
  }
  return text;
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Details as plain JSON (Dates → strings, BigInts → strings); unserialisable details are dropped. */
function jsonDetails(details: unknown): unknown | null {
  if (details === undefined || details === null) return null;
  try {
    const text = JSON.stringify(details, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    return text === undefined ? null : JSON.parse(text);
  } catch {
    return null;
  }
}
