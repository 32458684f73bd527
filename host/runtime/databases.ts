// The app's databases and the runtime's own. A serving process provisions every SQLDatabase on
// the server (DATABASE_URL, or an embedded PostgreSQL), migrates it before serving, and attaches
// it. A test process (NODE_ENV=test) gives each database, on first use, a private clone of a
// migrated template, as `encore test` does, so test files never see each other's rows.
import path from "node:path";
import postgres from "postgres";
import { SqlDatabase } from "./sqldb.ts";
import { ConnectionBudget } from "../db/budget.ts";
import { reconnectBackoffSeconds } from "../db/pool.ts";
import { isUnavailableState, toSqlError } from "../db/sqlerror.ts";
import { RUNTIME_DB_CONNECTIONS } from "./config.ts";
import { ensureDatabase, databaseUrl, serverUrlOf } from "../db/provision.ts";
import { migrate, type MigrationFile } from "../db/migrate.ts";
import { prepareTemplate, cloneFromTemplate } from "../db/testtemplates.ts";
import { startDatabaseServer, embeddedUrl } from "../db/server.ts";
import { startDbProxy, type DbProxy } from "./dbproxy.ts";
import type { RuntimeConfig } from "./config.ts";
import type { Logger } from "./log.ts";
import type { DatabaseMeta } from "../meta.ts";

/** The runtime's own database (Pub/Sub messages, cron leases), beside the app's. */
export const RUNTIME_DB = "encore_runtime";

/** Test clones are named `<TEST_DB_PREFIX><run>_…` so a run's teardown can drop them all. */
export const TEST_DB_PREFIX = "wrt_";

// Databases provisioned (created, migrated) at once at start-up: each holds one or two connections
// while it runs, taken from the budget before the app's pools use it.
const PROVISION_CONCURRENCY = 2;
// A server that refuses connections at start (starting, too many clients) is retried this long.
const START_RETRY_MS = 60_000;

export class Databases {
  private readonly dbs = new Map<string, SqlDatabase>();
  private readonly metas = new Map<string, DatabaseMeta>();
  private server: { url: string; stop(): Promise<void> } | null = null;
  private serverReady: Promise<string> | null = null;
  private runtimeSqlP: Promise<postgres.Sql> | null = null;
  private runtimeSqlConn: postgres.Sql | null = null;
  private runtimeDbName: string | null = null;
  /** The process's connection budget (WARROOM_DB_MAX_CONNECTIONS), shared by every pool. */
  readonly budget: ConnectionBudget;
  private readonly runtimeConnections: number;
  /** Where each database lives once provisioned (the physical name is fixed when it is created). */
  private readonly targets = new Map<string, { physical: string; url: Promise<string>; resolve: (url: string) => void; reject: (e: Error) => void }>();
  private readonly proxies: DbProxy[] = [];

  constructor(
    private readonly config: RuntimeConfig,
    private readonly log: Logger,
    private readonly decimal: (s: string) => unknown,
    private readonly testMode: boolean,
  ) {
    for (const d of config.meta.databases) this.metas.set(d.name, d);
    this.budget = new ConnectionBudget(config.dbMaxConnections);
    // Pub/Sub and cron manage their connections in postgres.js: a fixed part of the budget.
    this.runtimeConnections = this.budget.reserve(RUNTIME_DB_CONNECTIONS);
  }

  private poolLimits(size: number) {
    return {
      poolSize: Math.min(size, this.budget.max - this.runtimeConnections),
      budget: this.budget,
      idleTimeoutMs: this.config.dbIdleTimeoutMs,
      acquireTimeoutMs: this.config.dbAcquireTimeoutMs,
      prepare: this.config.dbPrepare,
    };
  }

  /**
   * The server for work that needs a session of its own (CREATE DATABASE, migrations under an
   * advisory lock, LISTEN): WARROOM_DB_SESSION_URL when DATABASE_URL is a transaction-mode pooler.
   */
  private async sessionServer(): Promise<string> {
    const pooled = await this.ensureServer();
    return this.config.dbSessionUrl ? serverUrlOf(this.config.dbSessionUrl) : pooled;
  }

  /** Where Pub/Sub LISTENs: null to LISTEN on the runtime's own connections. */
  async runtimeListenUrl(): Promise<string | null> {
    if (!this.config.dbSessionUrl) return null;
    await this.runtimeSql();
    return databaseUrl(await this.sessionServer(), this.runtimeDbName!);
  }

  /** The SqlDatabase for a name, created at once (queries wait until it is provisioned). */
  get(name: string): SqlDatabase {
    let db = this.dbs.get(name);
    if (!db) {
      const physical = this.testMode ? testCloneName(name) : this.physicalName(name);
      let resolve!: (url: string) => void;
      let reject!: (e: Error) => void;
      const url = new Promise<string>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      url.catch(() => {});
      const target = { physical, url, resolve, reject };
      this.targets.set(name, target);
      let proxy: DbProxy | undefined;
      const pendingUrl = () => {
        if (!proxy) {
          // The real server's credentials and options; the embedded server's are fixed.
          proxy = startDbProxy(physical, this.config.databaseUrl ?? embeddedUrl(0), url);
          this.proxies.push(proxy);
        }
        return proxy.url;
      };
      db = new SqlDatabase(name, { decimal: this.decimal, pendingUrl });
      this.dbs.set(name, db);
      if (this.testMode) this.provisionTestClone(name, db);
      else if (this.serverReady) this.provisionServing(name, db);
    }
    return db;
  }

  private migrations(name: string): MigrationFile[] {
    const meta = this.metas.get(name);
    if (!meta) throw new Error(`database "${name}" is not in the app metadata: regenerate encore.gen (npm run gen)`);
    return meta.migrations.map((m) => ({
      version: m.version,
      name: m.name,
      file: path.resolve(this.config.appRoot, m.file),
      nonSequential: meta.nonSequentialMigrations,
    }));
  }

  private physicalName(name: string): string {
    return this.config.dbPrefix + name;
  }

  private ensureServer(): Promise<string> {
    if (!this.serverReady) {
      this.serverReady = (async () => {
        if (this.testMode && !this.config.databaseUrl) {
          throw new Error("tests need DATABASE_URL (the test setup starts an embedded server and sets it)");
        }
        const t0 = performance.now();
        const server = await startDatabaseServer({
          databaseUrl: this.config.databaseUrl,
          dataDir: path.join(this.config.dataDir, "postgres"),
          log: (level, msg) => this.log[level](msg),
        });
        this.server = server;
        if (!this.config.databaseUrl) this.log.info("embedded PostgreSQL ready", { ms: Math.round(performance.now() - t0), url: redact(server.url) });
        return server.url;
      })();
    }
    return this.serverReady;
  }

  /** Serving: start/connect the server, then create and migrate every database before serving. */
  async startServing(): Promise<void> {
    await this.ensureServer();
    const names = [...new Set([...this.metas.keys(), ...this.dbs.keys()])];
    // A few at a time, so start-up stays inside the connection budget too.
    const queue = [...names];
    let failed = false;
    const worker = async () => {
      // After a failure start-up is over: the rest is not provisioned (the process exits).
      for (let n = queue.shift(); n !== undefined && !failed; n = queue.shift()) {
        await this.provisionServing(n, this.dbs.get(n) ?? this.get(n)).catch((err) => {
          failed = true;
          throw err;
        });
      }
    };
    const held = this.budget.reserve(PROVISION_CONCURRENCY);
    try {
      await Promise.all(Array.from({ length: Math.min(PROVISION_CONCURRENCY, names.length) }, worker));
    } finally {
      this.budget.unreserve(held);
    }
  }

  private readonly provisioning = new Map<string, Promise<void>>();
  private provisionServing(name: string, db: SqlDatabase): Promise<void> {
    let p = this.provisioning.get(name);
    if (!p) {
      p = (async () => {
        const serverUrl = await this.ensureServer();
        const session = await this.sessionServer();
        const physical = this.targets.get(name)!.physical;
        const url = databaseUrl(serverUrl, physical);
        const { applied } = await retryUnavailable(
          async () => {
            await ensureDatabase(session, physical);
            return migrate(databaseUrl(session, physical), this.migrations(name));
          },
          (err, waitMs) => this.log.warn(`database ${name}: the server cannot take connections now; retrying in ${waitMs} ms`, { error: err.message }),
        );
        if (applied.length) this.log.info(`database ${name}: applied migrations ${applied.join(", ")}`);
        db.attach({ url, ...this.poolLimits(this.config.poolSize) });
        this.targets.get(name)!.resolve(url);
      })();
      p.catch((err) => this.failed(name, db, err));
      this.provisioning.set(name, p);
    }
    return p;
  }

  private provisionTestClone(name: string, db: SqlDatabase): void {
    const p = (async () => {
      const serverUrl = await this.ensureServer();
      const template = await prepareTemplate(serverUrl, this.physicalName(name), this.migrations(name));
      const clone = this.targets.get(name)!.physical;
      await cloneFromTemplate(serverUrl, template, clone);
      // Small pools in tests: many test processes and fixture servers share one server's
      // max_connections (100 by default).
      db.attach({ url: databaseUrl(serverUrl, clone), ...this.poolLimits(Math.min(this.config.poolSize, 3)) });
      this.targets.get(name)!.resolve(databaseUrl(serverUrl, clone));
    })();
    p.catch((err) => this.failed(name, db, err));
  }

  private failed(name: string, db: SqlDatabase, err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    db.fail(e);
    this.targets.get(name)?.reject(e);
  }

  /** A connection to the runtime's own database (created if missing; a private one in tests). */
  runtimeSql(): Promise<postgres.Sql> {
    if (!this.runtimeSqlP) {
      this.runtimeSqlP = (async () => {
        const serverUrl = await this.ensureServer();
        const name = this.testMode ? testCloneName(RUNTIME_DB) : this.physicalName(RUNTIME_DB);
        this.runtimeDbName = name;
        const session = await this.sessionServer();
        await retryUnavailable(
          () => ensureDatabase(session, name),
          () => {},
        );
        // A frozen process must not hold Pub/Sub or cron rows locked forever: Postgres ends its
        // transaction after 30 s idle, so the rows' leases can run out and others take over.
        // Its reserved part of the budget: pooled connections plus Pub/Sub's LISTEN connection.
        this.runtimeSqlConn = postgres(databaseUrl(serverUrl, name), {
          max: Math.max(1, this.runtimeConnections - 1),
          prepare: this.config.dbPrepare,
          // postgres.js waits up to 20 s between reconnects after repeated failures; a database back
          // from an outage should see Pub/Sub and cron within a second.
          backoff: reconnectBackoffSeconds,
          onnotice: () => {},
          idle_timeout: Math.ceil(this.config.dbIdleTimeoutMs / 1000),
          connect_timeout: Math.max(1, Math.ceil(this.config.dbAcquireTimeoutMs / 1000)),
          connection: { application_name: "warroom:runtime", idle_in_transaction_session_timeout: 30_000 },
        });
        return this.runtimeSqlConn;
      })();
    }
    return this.runtimeSqlP;
  }

  /** The budget's use, for the dev dashboard and the status. */
  budgetStats() {
    return { ...this.budget.stats(), runtime: this.runtimeConnections };
  }

  /** Each database's pool, for the dev dashboard. */
  poolStats(): { name: string; pool: ReturnType<SqlDatabase["poolStats"]> }[] {
    return [...this.dbs.entries()].map(([name, db]) => ({ name, pool: db.poolStats() }));
  }

  /** Closes every pool and stops an embedded server. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.dbs.values()].map((d) => d.close()));
    await Promise.allSettled(this.proxies.map((p) => p.close()));
    await this.runtimeSqlConn?.end({ timeout: 5 }).catch(() => {});
    await this.server?.stop();
  }
}

/**
 * Runs `op` again while the server cannot take connections (refused, starting, too many clients),
 * for up to START_RETRY_MS: a process starting beside busy ones waits for room instead of exiting.
 */
async function retryUnavailable<T>(op: () => Promise<T>, onRetry: (err: Error, waitMs: number) => void): Promise<T> {
  const deadline = Date.now() + START_RETRY_MS;
  for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await op();
    } catch (e) {
      const err = toSqlError(e);
      if (!(err.unavailable || isUnavailableState((e as { code?: string }).code)) || Date.now() + delay > deadline) throw e;
      onRetry(err, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function testCloneName(name: string): string {
  const run = process.env.WARROOM_TEST_RUN ?? "x";
  const rand = Math.random().toString(36).slice(2, 8);
  // Postgres truncates identifiers at 63 bytes; keep the unique parts first.
  return `${TEST_DB_PREFIX}${run}_${process.pid}${rand}_${name}`.slice(0, 63);
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}
