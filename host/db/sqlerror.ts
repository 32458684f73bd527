// The error the SQL classes throw (host/runtime/sqldb.ts), and which failures mean the server cannot
// take work now (answered 503 by host/server/errors.ts) rather than a wrong query.
import postgres from "postgres";

/**
 * A failed query, as Encore surfaces it: `code` is napi's "GenericFailure" and the message is
 * rust-postgres's ("db error: ERROR: ..."), to which we add the SQLSTATE so that
 * `message.includes("23505")` works under both runtimes. The server's fields are kept beside.
 */
export class SqlError extends Error {
  readonly code = "GenericFailure";
  /**
   * The database could not be reached or gave no connection in time (refused, too many clients,
   * shutting down, the connection lost, the pool's wait ran out): a transient condition, answered
   * as 503 `unavailable` with a retry hint rather than 500 (host/server/errors.ts).
   */
  unavailable = false;
  sqlState?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SqlError";
  }
}

const CONNECT_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ECONNRESET", "ETIMEDOUT", "CONNECT_TIMEOUT", "EAI_AGAIN", "EPIPE"]);
const CLOSED_ERRORS = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED"]);

/**
 * SQLSTATEs of a server that cannot take the work now, as opposed to a wrong query: class 08
 * (connection exception), 53300 too_many_connections, 57P01-57P03 (shutting down, crashed,
 * starting up).
 */
export function isUnavailableState(state: string | undefined): boolean {
  return state !== undefined && (state.startsWith("08") || state === "53300" || state === "57P01" || state === "57P02" || state === "57P03");
}

/** An `unavailable` SqlError (see SqlError.unavailable). */
export function unavailableError(message: string, cause?: unknown): SqlError {
  const err = new SqlError(message, cause === undefined ? undefined : { cause });
  err.unavailable = true;
  return err;
}

export function toSqlError(e: unknown): SqlError {
  if (e instanceof SqlError) return e;
  if (e instanceof postgres.PostgresError) {
    let msg = `db error: ${e.severity_local ?? e.severity}: ${e.message} (SQLSTATE ${e.code})`;
    if (e.detail) msg += `\nDETAIL: ${e.detail}`;
    if (e.hint) msg += `\nHINT: ${e.hint}`;
    const err = new SqlError(msg, { cause: e });
    err.sqlState = e.code;
    err.severity = e.severity;
    err.detail = e.detail;
    err.hint = e.hint;
    err.schema = e.schema_name;
    err.table = e.table_name;
    err.column = e.column_name;
    err.constraint = e.constraint_name;
    err.unavailable = isUnavailableState(e.code);
    return err;
  }
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code === "string" && CONNECT_ERRORS.has(code)) return unavailableError(`error connecting to server: ${message}`, e);
  if (typeof code === "string" && CLOSED_ERRORS.has(code)) return unavailableError("connection closed", e);
  return new SqlError(message, { cause: e });
}
