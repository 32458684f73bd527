// The process-wide connection budget against a real PostgreSQL: several databases' pools share one
// limit (counted in pg_stat_activity), idle connections move to the pool that needs them, a wait
// for a connection is bounded and ends in an `unavailable` error (503 at the HTTP edge), and idle
// connections are closed after the idle timeout.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import postgres from "postgres";
import { ConnectionBudget } from "./budget.ts";
import { QueryArgs, SqlDatabase, type Transaction } from "../runtime/sqldb.ts";
import { SqlError, toSqlError } from "./sqlerror.ts";
import { databaseUrl, ensureDatabase, serverUrlOf } from "./provision.ts";
import { dropDatabase } from "./testtemplates.ts";
import { toErrorBody } from "../server/errors.ts";
import { startTcpProxy } from "../testing/tcp-proxy.ts";
import { testDatabaseName, testServerUrl } from "../testing/services.ts";

const SERVER = serverUrlOf(testServerUrl());
const DB_NAME = testDatabaseName("budget");
const URL_ = databaseUrl(SERVER, DB_NAME);
const none = new QueryArgs([]);

let admin: postgres.Sql;
const opened: SqlDatabase[] = [];

/** A database handle on the test database with its own application_name prefix (`warroom:<name>`). */
function db(name: string, budget: ConnectionBudget, over: { poolSize?: number; idleTimeoutMs?: number; acquireTimeoutMs?: number } = {}): SqlDatabase {
  const d = new SqlDatabase(`${name}_${process.pid}`, {
    config: { url: URL_, poolSize: over.poolSize ?? 10, budget, idleTimeoutMs: over.idleTimeoutMs ?? 60_000, acquireTimeoutMs: over.acquireTimeoutMs ?? 2_000 },
  });
  opened.push(d);
  return d;
}

/** Sessions of this test's pools on the server, per pool name. */
async function sessions(...names: string[]): Promise<number> {
  const apps = names.map((n) => `warroom:${n}_${process.pid}`);
  const [{ n }] = await admin<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${DB_NAME} AND application_name = ANY(${apps})`;
  return n;
}

beforeAll(async () => {
  await ensureDatabase(SERVER, DB_NAME);
  admin = postgres(URL_, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
  await admin?.end();
  await dropDatabase(SERVER, DB_NAME);
});

describe("one budget across databases", () => {
  test("pools of several databases never hold more connections together than the budget", async () => {
    const budget = new ConnectionBudget(4);
    const a = db("cap_a", budget);
    const b = db("cap_b", budget);
    const c = db("cap_c", budget);
    // 60 concurrent queries and 6 transactions over three databases whose pools could each hold 10.
    const work = [a, b, c].flatMap((d) => Array.from({ length: 20 }, (_, i) => d.queryRow("SELECT $1::int4 AS i, pg_sleep(0.005)", new QueryArgs([i]))));
    const txs = [a, b, c].flatMap((d) =>
      [0, 1].map(async () => {
        const tx = await d.begin();
        await tx.query("SELECT pg_sleep(0.02)", none);
        await tx.commit();
      }),
    );
    let peak = 0;
    let running = true;
    const sampler = (async () => {
      while (running) {
        peak = Math.max(peak, await sessions("cap_a", "cap_b", "cap_c"));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const rows = await Promise.all(work);
    await Promise.all(txs);
    running = false;
    await sampler;
    expect(rows.filter(Boolean)).toHaveLength(60);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(4);
    expect(budget.stats().used).toBeLessThanOrEqual(4);
  });

  test("a database with no connection gets one by closing another database's idle connection", async () => {
    const budget = new ConnectionBudget(1);
    const a = db("move_a", budget);
    const b = db("move_b", budget);
    await a.queryRow("SELECT 1", none); // a keeps its connection idle
    expect(await sessions("move_a")).toBe(1);
    expect((await b.queryRow("SELECT 2 AS two", none))!.values()).toEqual({ two: 2 });
    expect(await sessions("move_a", "move_b")).toBe(1);
    expect(await sessions("move_b")).toBe(1);
  });

  test("a connection freed while another database waits goes to that database", async () => {
    const budget = new ConnectionBudget(1);
    const a = db("hand_a", budget);
    const b = db("hand_b", budget);
    const tx = await a.begin();
    let got: Transaction | null = null;
    const waiting = b.begin().then((t) => (got = t));
    await tx.query("SELECT pg_sleep(0.05)", none);
    expect(got).toBeNull(); // no permit while a's transaction holds the only connection
    await tx.commit();
    await waiting;
    await got!.query("SELECT 1", none);
    await got!.commit();
    expect(await sessions("hand_a")).toBe(0);
  });

  test("the wait for a connection is bounded: past it the caller gets an `unavailable` error, answered as 503", async () => {
    const budget = new ConnectionBudget(2);
    const a = db("wait_a", budget, { acquireTimeoutMs: 300 });
    const b = db("wait_b", budget, { acquireTimeoutMs: 300 });
    const held = [await a.begin(), await a.begin()];
    const started = Date.now();
    const err = await b.queryRow("SELECT 1", none).then(
      () => null,
      (e: unknown) => e,
    );
    const waited = Date.now() - started;
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).unavailable).toBe(true);
    expect((err as SqlError).message).toMatch(/no database connection free within 300 ms/);
    expect(waited).toBeGreaterThanOrEqual(250);
    const res = toErrorBody(err);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ code: "unavailable", message: expect.stringMatching(/database/), details: { retryAfterSeconds: expect.any(Number) } });
    await Promise.all(held.map((t) => t.rollback()));
    // Once they are back, the other database gets its turn.
    expect((await b.queryRow("SELECT 3 AS three", none))!.values()).toEqual({ three: 3 });
  });

  test("a busy database cannot starve another: past its share, a connection it frees goes to the one queued", async () => {
    const budget = new ConnectionBudget(2);
    const hot = db("fair_hot", budget, { acquireTimeoutMs: 3000 });
    const cold = db("fair_cold", budget, { acquireTimeoutMs: 3000 });
    let stop = false;
    const load = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const tx = await hot.begin();
        await tx.query("SELECT pg_sleep(0.01)", none);
        await tx.commit();
      }
    });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    const tx = await cold.begin();
    const waited = Date.now() - t0;
    await tx.commit();
    stop = true;
    await Promise.all(load);
    expect(waited).toBeLessThan(1000);
  });
});

describe("idle connections", () => {
  test("are closed after the idle timeout and their permits return to the budget", async () => {
    const budget = new ConnectionBudget(3);
    const a = db("idle_a", budget, { idleTimeoutMs: 1000 });
    await Promise.all([a.begin(), a.begin()].map(async (p) => (await p).commit()));
    expect(await sessions("idle_a")).toBe(2);
    expect(budget.stats().used).toBe(2);
    await expect.poll(() => sessions("idle_a"), { timeout: 5000, interval: 100 }).toBe(0);
    expect(budget.stats().used).toBe(0);
    // and the pool opens a new one when needed again
    expect((await a.queryRow("SELECT 4 AS four", none))!.values()).toEqual({ four: 4 });
  });
});

describe("an unreachable server", () => {
  test("fails queries at once with an `unavailable` error (503), and the pool keeps working once it answers", async () => {
    const budget = new ConnectionBudget(2);
    const nowhere = new SqlDatabase("nowhere", { config: { url: "postgres://postgres@127.0.0.1:1/none", poolSize: 2, budget, acquireTimeoutMs: 1000 } });
    opened.push(nowhere);
    const err = await nowhere.query("SELECT 1", none).catch((e: unknown) => e);
    expect((err as SqlError).unavailable).toBe(true);
    expect(toErrorBody(err).status).toBe(503);
    // The failed connection does not leak its permit beyond the pool's size.
    await nowhere.query("SELECT 1", none).catch(() => {});
    expect(budget.stats().used).toBeLessThanOrEqual(2);
  });

  test("a server that drops every connection: statements fail as `unavailable` within the wait, and the pool recovers by itself", async () => {
    const u = new URL(SERVER);
    const proxy = await startTcpProxy(u.hostname, Number(u.port || 5432));
    try {
      const budget = new ConnectionBudget(3);
      const d = new SqlDatabase(`cut_${process.pid}`, { config: { url: databaseUrl(proxy.url(SERVER), DB_NAME), poolSize: 3, budget, acquireTimeoutMs: 800 } });
      opened.push(d);
      const q = () =>
        d.queryRow("SELECT 1 AS one, pg_sleep(0.05)", none).then(
          () => "ok",
          (e: unknown) => ((e as SqlError).unavailable ? "unavailable" : `other: ${(e as Error).message}`),
        );
      expect(await Promise.all([q(), q(), q()])).toEqual(["ok", "ok", "ok"]);
      const inflight = [q(), q(), q()];
      await new Promise((r) => setTimeout(r, 10));
      proxy.cut(); // connections reset, new ones accepted and reset at once
      expect(await Promise.all(inflight)).toEqual(["unavailable", "unavailable", "unavailable"]);
      const t0 = Date.now();
      expect(await Promise.all([q(), q(), q(), q()])).toEqual(["unavailable", "unavailable", "unavailable", "unavailable"]);
      expect(Date.now() - t0).toBeLessThan(3000); // bounded by the wait (800 ms), not hanging in reconnects
      const tx = await d.begin().catch((e: unknown) => e);
      expect((tx as SqlError).unavailable).toBe(true);
      proxy.restore();
      await expect.poll(() => q(), { timeout: 5000, interval: 100 }).toBe("ok");
      expect(await Promise.all([q(), q(), q(), q(), q(), q()])).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);
      const t = await d.begin();
      await t.commit();
      expect(budget.stats().used).toBeLessThanOrEqual(3);
    } finally {
      await proxy.close();
    }
  });

  test("too many clients (SQLSTATE 53300) is `unavailable` too", async () => {
    const e = Object.assign(Object.create(postgres.PostgresError.prototype), { message: "sorry, too many clients already", code: "53300", severity: "FATAL" });
    expect(toSqlError(e).unavailable).toBe(true);
    expect(toErrorBody(toSqlError(e)).status).toBe(503);
    const syntax = Object.assign(Object.create(postgres.PostgresError.prototype), { message: "syntax error", code: "42601", severity: "ERROR" });
    expect(toSqlError(syntax).unavailable).toBe(false);
    expect(toErrorBody(toSqlError(syntax)).status).toBe(500);
  });
});
