// The connection pool behind each SQLDatabase (host/runtime/sqldb.ts), the only pool of our own:
// connections are postgres.js instances of one connection each, bounded by the process's
// connection budget (budget.ts). The runtime's own database (Pub/Sub, cron) is a plain postgres.js
// client on a reserved part of that budget (host/runtime/databases.ts), because its engines use
// postgres.js's API directly.
import postgres from "postgres";
import { ConnectionBudget, type Claimant } from "./budget.ts";
import { SqlError, unavailableError } from "./sqlerror.ts";

export const DEFAULT_POOL_SIZE = 10;
// Defaults of WARROOM_DB_POOL_SIZE, WARROOM_DB_IDLE_TIMEOUT_MS and WARROOM_DB_ACQUIRE_TIMEOUT_MS
// (host/runtime/config.ts).
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/**
 * In tests (NODE_ENV=test) the wait is longer: many test processes share a loaded machine, where a
 * long wait is load, not an outage (tests of the bound set their own).
 */
export function defaultAcquireTimeoutMs(nodeEnv: string | undefined): number {
  return nodeEnv === "test" ? 30_000 : 5_000;
}
const DEFAULT_ACQUIRE_TIMEOUT_MS = defaultAcquireTimeoutMs(process.env.NODE_ENV);

/** Seconds before reconnect attempt `retries`: 50 ms doubling, at most 1 s (postgres.js's own waits up to 20 s). */
export function reconnectBackoffSeconds(retries: number): number {
  return Math.min(0.05 * 2 ** Math.max(0, retries - 1), 1);
}

/** A pooled connection: a postgres.js instance of exactly one connection. */
export interface Conn {
  sql: postgres.Sql;
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
export class Pool implements Claimant {
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
      backoff: reconnectBackoffSeconds, // reconnect promptly after an outage
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
