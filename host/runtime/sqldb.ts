// The native runtime's SQL classes (napi.d.cts): SqlDatabase, Transaction, SqlConn, Cursor, Row,
// QueryArgs, on postgres.js. Like Encore's runtime, each argument is encoded by the type the server
// infers for its parameter (learned once per SQL text with Describe) and each column decoded as
// Encore decodes it; see host/db/sqlvalues.ts. Everything travels in Postgres's text format.
// Connections come from the pool (host/db/pool.ts); failures are SqlErrors (host/db/sqlerror.ts).
import type postgres from "postgres";
import { EncodeError, decodeValue, encodeParam, type DecodeOptions } from "../db/sqlvalues.ts";
import { CATALOG_QUERY, TypeRegistry, type PgType } from "../db/pgtypes.ts";
import { toPValue, type PValue } from "../db/pvalue.ts";
import { DEFAULT_POOL_SIZE, Pool, type Conn, type PoolLimits } from "../db/pool.ts";
import { SqlError, toSqlError } from "../db/sqlerror.ts";
import { Decimal } from "./decimal.ts";
import type { SpanSink } from "./request.ts";

// Distinct SQL texts whose parameter types we remember; apps have a fixed set, so this is a guard.
const STATEMENT_CACHE_SIZE = 2000;

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
    req.recordSpan({
      kind: "sql",
      name: db,
      detail: query.replace(/\s+/g, " ").trim().slice(0, 300),
      startMs: start,
      durationMs: performance.now() - start,
      error,
    });
  }
}
