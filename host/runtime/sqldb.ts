// The native runtime's SQL classes (napi.d.cts): SqlDatabase, Transaction, SqlConn, Cursor, Row,
// QueryArgs, on postgres.js. Like Encore's runtime, each argument is encoded by the type the server
// infers for its parameter (learned once per SQL text with Describe) and each column decoded as
// Encore decodes it; see host/db/codec.ts. Everything travels in Postgres's text format.
import postgres from "postgres";
import { EncodeError, decodeValue, encodeParam, type DecodeOptions } from "../db/sqlvalues.ts";
import { CATALOG_QUERY, TypeRegistry, type PgType } from "../db/pgtypes.ts";
import { toPValue, type PValue } from "../db/pvalue.ts";
import { Decimal } from "./decimal.ts";
import type { SpanSink } from "./request.ts";
import { ConnectionBudget, type Claimant } from "./budget.ts";

export const DEFAULT_POOL_SIZE = 10;
// Distinct SQL texts whose parameter types we remember; apps have a fixed set, so this is a guard.
const STATEMENT_CACHE_SIZE = 2000;
// Defaults of WARROOM_DB_IDLE_TIMEOUT_MS and WARROOM_DB_ACQUIRE_TIMEOUT_MS (config.ts).
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
// In tests (NODE_ENV=test) the wait is longer: many test processes share a loaded machine, where a
// long wait is load, not an outage (tests of the bound set their own).
export const DEFAULT_ACQUIRE_TIMEOUT_MS = process.env.NODE_ENV === "test" ? 30_000 : 5_000;

/** Where a database lives, once it has been provisioned, and how its pool is bounded. */
export interface SqlConnectionConfig extends PoolLimits {
  url: string; // postgres://user:pass@host:port/dbname
  poolSize?: number; // default 10 (WARROOM_DB_POOL_SIZE)
}

export interface SqlDatabaseOptions {
  /** Builds the SDK's Decimal from canonical text (the Runtime's typeConstructors.decimal). */
  decimal?: (text: string) => unknown;
  /** The connection, when already known; otherwise call attach() later. */
  config?: SqlConnectionConfig;
  /** The connection string to report before attach() (a proxy that waits for it), if any. */
  pendingUrl?: () => string;
}

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

/** The arguments of one query, classified as Encore's QueryArgs does (errors surface here). */
export class QueryArgs {
  readonly values: PValue[];
  constructor(params: unknown[]) {
    this.values = params.map(toPValue);
  }
}

interface ResultShape {
  names: string[];
  types: PgType[];
  decode: DecodeOptions;
}

export class Row {
  constructor(
    private readonly cells: (string | null)[],
    private readonly shape: ResultShape,
  ) {}

  values(): Record<string, unknown> {
    const { names, types, decode } = this.shape;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      try {
        out[names[i]] = decodeValue(this.cells[i], types[i], decode);
      } catch (e) {
        throw new SqlError(`unable to parse column ${names[i]}: ${(e as Error).message}`, { cause: e });
      }
    }
    return out;
  }
}

/**
 * The rows of one query. A query's rows arrive whole, in one round trip: measured on this machine,
 * postgres.js's portal cursor costs a second round trip per query (about 1.6x on single-row reads,
 * the hot path), and a half-read cursor would pin a pooled connection, or deadlock a transaction
 * whose loop queries again. Page big reads with LIMIT.
 */
export class Cursor {
  private index = 0;
  constructor(
    private readonly rows: (string | null)[][],
    private readonly shape: ResultShape,
  ) {}

  async next(): Promise<Row | null> {
    if (this.index >= this.rows.length) return null;
    const cells = this.rows[this.index];
    this.rows[this.index++] = []; // let consumed rows go
    return new Row(cells, this.shape);
  }
}

type Exec = postgres.Sql;
// A result in values() mode with no parsers installed: each cell is the server's text, or null.
type TextRows = (string | null)[][] & { columns?: postgres.ColumnList<string> };

// A bounded map: past its limit the oldest entry goes. (A hit does not refresh an entry: an app has
// a fixed set of statements, so the bound only guards against unbounded growth.)
class BoundedMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, v: V): void {
    this.map.set(key, v);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** A pooled connection: a postgres.js instance of exactly one connection. */
interface Conn {
  sql: Exec;
  users: number; // autocommit queries in flight on it (postgres.js pipelines them)
  exclusive: boolean; // lent to a transaction or acquire()
  idleSince: number; // when it last became idle (Date.now())
  ready: boolean; // its session is established (the server sent its parameters); false until then and after a close
  broken: boolean; // ended because it could not connect in time: leaves the pool when released
}

interface Waiter {
  resolve: (c: Conn) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | null;
}

/** How a pool connects and how long it keeps and waits for connections. */
export interface PoolLimits {
  /** The process-wide budget all pools draw from (a private one of `size` when absent). */
  budget?: ConnectionBudget;
  /** A connection unused this long is closed (its permit goes back to the budget). */
  idleTimeoutMs?: number;
  /** A caller waits at most this long for a connection, then gets an `unavailable` SqlError. */
  acquireTimeoutMs?: number;
  /**
   * Named prepared statements (default true). Off for a pooler in transaction mode that does not
   * track them (WARROOM_DB_PREPARE=off): statements are then parsed unnamed on every execution.
   */
  prepare?: boolean;
}

/**
 * The pool: up to `size` connections, each holding a permit of the process's connection budget,
 * opened on demand and closed after idleTimeoutMs unused. A transaction or acquire() gets a
 * connection to itself; autocommit queries take an idle one or, when no other can be opened, share
 * the least busy one, where postgres.js pipelines them (as Encore's pool shares a connection once a
 * query is sent). While a transaction waits, queries stop joining busy connections, so the next
 * idle one goes to it. A caller that finds nothing waits at most acquireTimeoutMs.
 * (We pool ourselves because postgres.js's reserve() never settles on a cold connection when
 * fetch_types is off: porsager/postgres#751.)
 */
class Pool implements Claimant {
  private readonly conns: Conn[] = [];
  private readonly idle: Conn[] = []; // the most recently used last, so the rest can time out
  private readonly exclusiveWaiters: Waiter[] = [];
  private readonly sharedWaiters: Waiter[] = [];
  private closed = false;
  private readonly budget: ConnectionBudget;
  private readonly idleTimeoutMs: number;
  private readonly acquireTimeoutMs: number;
  readonly prepare: boolean;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly size: number,
    private readonly applicationName: string,
    limits: PoolLimits,
  ) {
    this.budget = limits.budget ?? new ConnectionBudget(size);
    this.idleTimeoutMs = limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.acquireTimeoutMs = limits.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
    this.prepare = limits.prepare ?? true;
    this.budget.register(this);
    this.sweeper = setInterval(() => this.closeIdleExpired(), Math.max(50, Math.min(this.idleTimeoutMs / 2, 10_000)));
    this.sweeper.unref();
  }

  get held(): number {
    return this.conns.length;
  }

  /** For the dev dashboard: connections open, idle, and callers waiting for one. */
  stats(): { size: number; open: number; idle: number; waiting: number } {
    return { size: this.size, open: this.conns.length, idle: this.idle.length, waiting: this.waiters };
  }

  private get waiters(): number {
    return this.exclusiveWaiters.length + this.sharedWaiters.length;
  }

  /** A new connection if this pool has room and the budget a permit. */
  private open(): Conn | null {
    if (this.conns.length >= this.size || !this.budget.tryTake()) return null;
    return this.create();
  }

  private create(): Conn {
    const conn = { users: 0, exclusive: false, idleSince: Date.now(), ready: false, broken: false } as Conn;
    const sql = postgres(this.url, {
      max: 1,
      fetch_types: false,
      prepare: this.prepare,
      // We close idle connections ourselves (their permits go back to the budget); this is a backstop.
      idle_timeout: Math.ceil(this.idleTimeoutMs / 1000) + 60,
      connect_timeout: Math.max(1, Math.ceil(this.acquireTimeoutMs / 1000)),
      backoff: (retries: number) => Math.min(0.05 * 2 ** Math.max(0, retries - 1), 1), // reconnect promptly after an outage
      onnotice: () => {},
      // The server sends its parameters once a session is established: the connection is up.
      // postgres.js reports only changed ones, so they are forgotten when a session closes, and
      // the next session reports them again.
      onparameter: () => (conn.ready = true),
      onclose: () => {
        conn.ready = false;
        const params = (sql.options as unknown as { parameters: Record<string, string> }).parameters;
        for (const k of Object.keys(params)) delete params[k];
      },
      connection: {
        application_name: this.applicationName,
        // Fixed session settings keep the text format we decode stable.
        DateStyle: "ISO, MDY",
        TimeZone: "UTC",
        bytea_output: "hex",
      },
    });
    // We encode and decode every value ourselves: without postgres.js's (de)serializers, values
    // pass through as the text we give and the text the server sends.
    for (const k of Object.keys(sql.options.parsers)) delete sql.options.parsers[Number(k)];
    for (const k of Object.keys(sql.options.serializers)) delete sql.options.serializers[Number(k)];
    conn.sql = sql;
    this.conns.push(conn);
    return conn;
  }

  /**
   * Bounds the time a statement on `c` may spend getting a session: postgres.js retries a
   * connection the server accepts and then drops (a database restarting, a proxy cutting it) for as
   * long as the statement waits, so past acquireTimeoutMs without a session the connection is
   * ended, which fails its statements (`unavailable`), and it leaves the pool when given back.
   * A statement that runs long on an established session is left alone. Returns the function that
   * stops watching (call it when the statement settles).
   */
  watchConnect(c: Conn): () => void {
    // Armed even on a connection that looks up: the server may have dropped it a moment ago
    // (its close not yet seen), and then this statement is the one reconnecting.
    const timer = setTimeout(() => {
      if (c.ready || c.broken) return;
      c.broken = true;
      void c.sql.end({ timeout: 0 }).catch(() => {});
    }, this.acquireTimeoutMs);
    return () => clearTimeout(timer);
  }

  /** The budget hands this pool a permit it queued for. */
  grant(): boolean {
    if (this.closed || this.waiters === 0 || this.conns.length >= this.size) return false;
    this.dispatch(this.create());
    return true;
  }

  oldestIdle(): number | null {
    return this.idle.length > 0 ? this.idle[0].idleSince : null;
  }

  closeOldestIdle(): void {
    const c = this.idle.shift();
    if (c) this.retire(c);
  }


  /** Closes a connection no one uses; its permit returns once it is closed. */
  private retire(c: Conn): void {
    const i = this.conns.indexOf(c);
    if (i >= 0) this.conns.splice(i, 1);
    void c.sql
      .end({ timeout: 5 })
      .catch(() => {})
      .finally(() => this.budget.release());
  }

  private closeIdleExpired(): void {
    const cutoff = Date.now() - this.idleTimeoutMs;
    while (this.idle.length > 0 && this.idle[0].idleSince <= cutoff) this.retire(this.idle.shift()!);
  }

  private leastBusyShared(): Conn | null {
    let best: Conn | null = null;
    for (const c of this.conns) if (!c.exclusive && !c.broken && (best === null || c.users < best.users)) best = c;
    return best;
  }

  /** A connection for one autocommit query, or null when the caller must wait (waitShared). */
  takeShared(): Conn | null {
    if (this.closed) return null;
    const c = this.idle.pop() ?? this.open() ?? (this.exclusiveWaiters.length === 0 ? this.leastBusyShared() : null);
    if (c) c.users++;
    return c;
  }

  waitShared(): Promise<Conn> {
    return this.wait(this.sharedWaiters);
  }

  releaseShared(c: Conn): void {
    if (--c.users === 0) this.dispatch(c);
  }

  acquireExclusive(): Promise<Conn> {
    if (this.closed) return Promise.reject(new SqlError("connection pool closed"));
    const c = this.idle.pop() ?? this.open();
    if (c) {
      c.exclusive = true;
      return Promise.resolve(c);
    }
    return this.wait(this.exclusiveWaiters);
  }

  releaseExclusive(c: Conn): void {
    c.exclusive = false;
    this.dispatch(c);
  }

  /** Queues a caller (bounded by acquireTimeoutMs) and asks the budget for a connection if there is room. */
  private wait(queue: Waiter[]): Promise<Conn> {
    if (this.closed) return Promise.reject(new SqlError("connection pool closed"));
    return new Promise<Conn>((resolve, reject) => {
      const w: Waiter = { resolve, reject, timer: null };
      w.timer = setTimeout(() => {
        const i = queue.indexOf(w);
        if (i >= 0) queue.splice(i, 1);
        if (this.waiters === 0) this.budget.cancel(this);
        const b = this.budget.stats();
        reject(
          unavailableError(
            `no database connection free within ${this.acquireTimeoutMs} ms (this pool holds ${this.conns.length} of at most ${this.size}; the process's budget: ${b.used} of ${b.max} in use)`,
          ),
        );
      }, this.acquireTimeoutMs);
      queue.push(w);
      if (this.conns.length < this.size) this.budget.want(this);
    });
  }

  private settle(w: Waiter, c: Conn): void {
    if (w.timer) clearTimeout(w.timer);
    w.resolve(c);
  }

  // `c` has just become free: waiting transactions first, then waiting queries; with no one of
  // ours waiting (or more than our share held) while other pools queue for a permit, it is closed
  // so its permit goes to them.
  private dispatch(c: Conn): void {
    const othersWait = this.budget.othersWaiting(this);
    if (c.broken || (othersWait && (this.waiters === 0 || this.budget.overShare(this)))) {
      this.retire(c);
      if (this.waiters > 0) this.budget.want(this);
      return;
    }
    const tx = this.exclusiveWaiters.shift();
    if (tx) {
      c.exclusive = true;
      this.settle(tx, c);
    } else {
      c.idleSince = Date.now();
      this.idle.push(c);
    }
    while (this.sharedWaiters.length > 0 && this.exclusiveWaiters.length === 0) {
      const q = this.idle.pop() ?? this.leastBusyShared();
      if (!q) break;
      q.users++;
      this.settle(this.sharedWaiters.shift()!, q);
    }
    if (this.waiters === 0) this.budget.cancel(this);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.budget.unregister(this);
    for (const w of [...this.exclusiveWaiters.splice(0), ...this.sharedWaiters.splice(0)]) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(new SqlError("connection pool closed"));
    }
    const conns = this.conns.splice(0);
    this.idle.length = 0;
    await Promise.all(conns.map((c) => c.sql.end({ timeout: 5 }).finally(() => this.budget.release())));
  }
}

/** One database's pool, statement knowledge and codecs. */
class Backend {
  readonly pool: Pool;
  private readonly params = new BoundedMap<PgType[]>(STATEMENT_CACHE_SIZE);
  private readonly types = new TypeRegistry();

  constructor(
    readonly name: string,
    readonly config: SqlConnectionConfig,
    private readonly decode: DecodeOptions,
  ) {
    this.pool = new Pool(config.url, config.poolSize || DEFAULT_POOL_SIZE, `warroom:${name}`.slice(0, 63), config);
  }

  /** Runs one query on a connection borrowed from the pool for its duration. */
  async query(text: string, args: QueryArgs): Promise<Cursor> {
    const conn = this.pool.takeShared() ?? (await this.pool.waitShared());
    const unwatch = this.pool.watchConnect(conn);
    try {
      return await this.run(conn.sql, text, args);
    } catch (e) {
      // The session is gone (postgres.js reports the close a moment later): watch the reconnect.
      if (e instanceof SqlError && e.unavailable) conn.ready = false;
      throw e;
    } finally {
      unwatch();
      this.pool.releaseShared(conn);
    }
  }

  /** Runs one statement on a connection lent to a transaction or acquire(), watched like a pooled one. */
  async runLeased(pool: Pool, conn: Conn, text: string, args: QueryArgs): Promise<Cursor> {
    const unwatch = pool.watchConnect(conn);
    try {
      return await this.run(conn.sql, text, args);
    } catch (e) {
      if (e instanceof SqlError && e.unavailable) conn.ready = false;
      throw e;
    } finally {
      unwatch();
    }
  }

  async run(exec: Exec, text: string, args: QueryArgs): Promise<Cursor> {
    const params = this.params.get(text) ?? (await this.describe(exec, text));
    const values = args.values;
    if (params.length !== values.length) {
      throw new SqlError(`expected ${params.length} parameters but got ${values.length}`);
    }
    const encoded: (postgres.Parameter<string> | null)[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) {
      let s: string | null;
      try {
        s = encodeParam(values[i], params[i]);
      } catch (e) {
        if (e instanceof EncodeError) throw new SqlError(`error serializing parameter ${i}: ${e.message}`, { cause: e });
        throw e;
      }
      encoded[i] = s === null ? null : exec.typed(s, params[i].oid);
    }
    let result: TextRows;
    try {
      result = (await exec.unsafe(text, encoded as postgres.ParameterOrJSON<never>[], { prepare: this.pool.prepare }).values()) as unknown as TextRows;
    } catch (e) {
      this.params.delete(text); // the schema may have changed under a remembered statement
      throw toSqlError(e);
    }
    const columns = result.columns ?? [];
    const oids = columns.map((c) => c.type);
    if (this.types.unknown(oids).length > 0) await this.resolveTypes(exec, oids);
    const shape: ResultShape = {
      names: columns.map((c) => c.name),
      types: oids.map((oid) => this.types.get(oid)!),
      decode: this.decode,
    };
    return new Cursor(result, shape);
  }

  /** Learns a statement's parameter types from the server (Parse + Describe), once per SQL text. */
  private async describe(exec: Exec, text: string): Promise<PgType[]> {
    let statement: postgres.Statement;
    try {
      statement = await exec.unsafe(text, [], { prepare: this.pool.prepare }).describe();
    } catch (e) {
      throw toSqlError(e);
    }
    await this.resolveTypes(exec, [...statement.types, ...statement.columns.map((c) => c.type)]);
    const params = statement.types.map((oid) => this.types.get(oid)!);
    this.params.set(text, params);
    return params;
  }

  /** Looks up types the registry does not know (enums, domains, their arrays) in pg_type. */
  private async resolveTypes(exec: Exec, oids: number[]): Promise<void> {
    let unknown = this.types.unknown(oids);
    for (let round = 0; unknown.length > 0 && round < 5; round++) {
      let rows: TextRows;
      try {
        rows = (await exec.unsafe(CATALOG_QUERY, [exec.typed(`{${unknown.join(",")}}`, 1028)], { prepare: this.pool.prepare }).values()) as unknown as TextRows;
      } catch (e) {
        throw toSqlError(e);
      }
      const found = rows.map((r) => ({
        oid: Number(r[0]),
        typname: r[1]!,
        typtype: r[2]!,
        typelem: Number(r[3]),
        typbasetype: Number(r[4]),
        typcategory: r[5]!,
      }));
      const missing = this.types.addCatalogRows(found);
      unknown = [...this.types.unknown(oids), ...missing].filter((oid, i, all) => all.indexOf(oid) === i);
    }
    // Types the catalog does not know (dropped meanwhile) cannot be bound or read.
    for (const oid of this.types.unknown(oids)) {
      this.types.addCatalogRows([{ oid, typname: `oid ${oid}`, typtype: "b", typelem: 0, typbasetype: 0, typcategory: "X" }]);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A connection lent out until commit/rollback/close; `conn` is null once given back. */
interface Lease {
  conn: Conn | null;
  pool: Pool;
}

// Runs the closing statement and gives the connection back to the pool, whatever the outcome.
async function giveBack(lease: Lease, statement: string): Promise<void> {
  const conn = lease.conn!;
  lease.conn = null;
  const unwatch = lease.pool.watchConnect(conn);
  try {
    await conn.sql.unsafe(statement);
  } catch (e) {
    throw toSqlError(e);
  } finally {
    unwatch();
    lease.pool.releaseExclusive(conn);
  }
}

// Transactions and connections dropped without commit/rollback/close give their connection back
// when collected, rolled back, as Encore's Drop impls do. Explicit commit/rollback/close is the
// real contract (the SDK's `await using` does it).
const abandoned = new FinalizationRegistry<Lease>((lease) => {
  if (lease.conn) giveBack(lease, "ROLLBACK").catch(() => {});
});

export class Transaction {
  private readonly lease: Lease;

  constructor(
    private readonly backend: Backend,
    lease: Lease,
  ) {
    this.lease = lease;
    abandoned.register(this, lease, this);
  }

  private finish(statement: string): Promise<void> {
    if (!this.lease.conn) return Promise.reject(new SqlError("transaction closed"));
    abandoned.unregister(this);
    return giveBack(this.lease, statement);
  }

  async commit(_source?: unknown): Promise<void> {
    await this.finish("COMMIT");
  }

  async rollback(_source?: unknown): Promise<void> {
    await this.finish("ROLLBACK");
  }

  async query(query: string, args: QueryArgs, source?: unknown): Promise<Cursor> {
    const conn = this.lease.conn;
    if (!conn) throw new SqlError("transaction closed");
    return traced(source, this.backend.name, query, () => this.backend.runLeased(this.lease.pool, conn, query, args));
  }
}

/** A connection of the pool kept until close(). */
export class SqlConn {
  private readonly lease: Lease;

  constructor(
    private readonly backend: Backend,
    lease: Lease,
  ) {
    this.lease = lease;
    abandoned.register(this, lease, this);
  }

  async close(): Promise<void> {
    if (!this.lease.conn) return;
    abandoned.unregister(this);
    // A transaction left open on this connection must not travel back into the pool.
    await giveBack(this.lease, "ROLLBACK").catch(() => {});
  }

  async query(query: string, args: QueryArgs, source?: unknown): Promise<Cursor> {
    const conn = this.lease.conn;
    if (!conn) throw new SqlError("connection_closed");
    return traced(source, this.backend.name, query, () => this.backend.runLeased(this.lease.pool, conn, query, args));
  }

  async queryRow(query: string, args: QueryArgs, source?: unknown): Promise<Row | null> {
    return (await this.query(query, args, source)).next();
  }
}

/**
 * One SQLDatabase. The Runtime creates it by name while the app's modules load, before the
 * database exists; attach() gives it its connection once provisioned (queries issued before
 * wait for it), or fail() makes them reject.
 */
export class SqlDatabase {
  private backend: Backend | null = null;
  private readonly ready: Promise<Backend>;
  private settle!: { resolve: (b: Backend) => void; reject: (e: Error) => void };
  private closed = false;
  private readonly decode: DecodeOptions;
  private readonly pendingUrl: (() => string) | undefined;

  constructor(
    readonly name: string,
    options: SqlDatabaseOptions = {},
  ) {
    this.decode = { decimal: options.decimal ?? ((s) => new Decimal(s)) };
    this.pendingUrl = options.pendingUrl;
    this.ready = new Promise<Backend>((resolve, reject) => (this.settle = { resolve, reject }));
    this.ready.catch(() => {}); // a failure nobody waits for is not an unhandled rejection
    if (options.config) this.attach(options.config);
  }

  /** Connects this database (lazily: the pool opens connections on first use). */
  attach(config: SqlConnectionConfig): void {
    if (this.backend || this.closed) throw new Error(`database ${this.name} is already attached`);
    this.backend = new Backend(this.name, config, this.decode);
    this.settle.resolve(this.backend);
  }

  /** Makes queries waiting for this database, and later ones, fail with this error. */
  fail(err: Error): void {
    this.settle.reject(err);
  }

  get isAttached(): boolean {
    return this.backend !== null;
  }

  private async get(): Promise<Backend> {
    if (this.closed) throw new SqlError(`database ${this.name} is closed`);
    return this.backend ?? (await this.ready);
  }

  /** Reports the connection string to connect to this database. */
  connString(): string {
    if (!this.backend) {
      const pending = this.pendingUrl?.();
      if (pending) return pending;
      throw new Error(`database ${this.name} is not provisioned yet, so it has no connection string`);
    }
    return this.backend.config.url;
  }

  async query(query: string, args: QueryArgs, source?: unknown): Promise<Cursor> {
    const b = this.backend && !this.closed ? this.backend : await this.get();
    return traced(source, this.name, query, () => b.query(query, args));
  }

  /** For the dev dashboard. */
  poolStats(): { size: number; open: number; idle: number; waiting: number } | null {
    return this.backend?.pool.stats() ?? null;
  }

  async queryRow(query: string, args: QueryArgs, source?: unknown): Promise<Row | null> {
    return (await this.query(query, args, source)).next();
  }

  /** Begins a transaction on a connection reserved until commit or rollback. */
  async begin(_source?: unknown): Promise<Transaction> {
    const b = await this.get();
    const conn = await b.pool.acquireExclusive();
    const unwatch = b.pool.watchConnect(conn);
    try {
      await conn.sql.unsafe("BEGIN");
    } catch (e) {
      b.pool.releaseExclusive(conn);
      throw toSqlError(e);
    } finally {
      unwatch();
    }
    return new Transaction(b, { conn, pool: b.pool });
  }

  async acquire(): Promise<SqlConn> {
    const b = await this.get();
    return new SqlConn(b, { conn: await b.pool.acquireExclusive(), pool: b.pool });
  }

  /** Closes the pool (graceful shutdown); queries afterwards fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new SqlError(`database ${this.name} is closed`));
    await this.backend?.close();
  }
}

export { SqlDatabase as SQLDatabase, SqlConn as SQLConn };

/** Records the query on the calling request's trace (the dev dashboard), when it keeps one. */
function traced<T>(source: unknown, db: string, query: string, run: () => Promise<T>): Promise<T> {
  const req = source as SpanSink | null | undefined;
  return req?.tracing ? tracedRun(req, db, query, run) : run();
}

async function tracedRun<T>(req: SpanSink, db: string, query: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  let error: string | undefined;
  try {
    return await run();
  } catch (err) {
    error = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw err;
  } finally {
    req.recordSpan({ kind: "sql", name: db, detail: query.replace(/\s+/g, " ").trim().slice(0, 300), startMs: start, durationMs: performance.now() - start, error });
  }
}
