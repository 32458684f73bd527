import { afterAll, beforeAll, describe, expect, test } from "vitest";
import postgres from "postgres";
import { Decimal } from "./decimal.ts";
import { QueryArgs, SqlDatabase, type Cursor } from "./sqldb.ts";
import { SqlError } from "../db/sqlerror.ts";
import { databaseUrl, ensureDatabase, serverUrlOf } from "../db/provision.ts";
import { dropDatabase } from "../db/testtemplates.ts";
import { testDatabaseName, testServerUrl } from "../testing/services.ts";

const SERVER = serverUrlOf(testServerUrl());
const DB_NAME = testDatabaseName("sqldb");
const POOL_SIZE = 4;

let db: SqlDatabase;
let admin: postgres.Sql; // a side connection, to look at the database from outside the pool

// The SDK builds "$1..$n" SQL from a tagged template and passes new QueryArgs(values ?? null).
function sdkQuery(strings: TemplateStringsArray, ...params: unknown[]): [string, QueryArgs] {
  let text = "";
  strings.forEach((s, i) => {
    text += s + (i < params.length ? `$${i + 1}` : "");
  });
  return [text, new QueryArgs(params.map((p) => p ?? null))];
}

async function all(cursor: Cursor): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let row = await cursor.next(); row; row = await cursor.next()) rows.push(row.values());
  return rows;
}

async function one(strings: TemplateStringsArray, ...params: unknown[]): Promise<Record<string, unknown> | null> {
  const row = await db.queryRow(...sdkQuery(strings, ...params));
  return row ? row.values() : null;
}

async function exec(strings: TemplateStringsArray, ...params: unknown[]): Promise<void> {
  const cursor = await db.query(...sdkQuery(strings, ...params));
  await cursor.next();
}

// What the SDK's Decimal looks like to the runtime: a `value` and the __encore_decimal marker.
function sdkDecimal(value: string): object {
  return Object.create(
    {
      get __encore_decimal() {
        return true;
      },
    },
    { value: { get: () => value } },
  );
}

async function poolConnections(): Promise<number> {
  const [{ n }] = await admin<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${DB_NAME} AND application_name LIKE 'warroom:%'`;
  return n;
}

beforeAll(async () => {
  await ensureDatabase(SERVER, DB_NAME);
  db = new SqlDatabase("sqldb_test", { decimal: (s) => new Decimal(s), config: { url: databaseUrl(SERVER, DB_NAME), poolSize: POOL_SIZE } });
  admin = postgres(databaseUrl(SERVER, DB_NAME), { max: 1, onnotice: () => {} });
  await admin.unsafe(`
    CREATE TYPE mood AS ENUM ('calm', 'alert');
    CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
    CREATE TABLE contacts (address email PRIMARY KEY, moods mood[]);
    CREATE TABLE ledger (ref int UNIQUE DEFERRABLE INITIALLY DEFERRED);
    CREATE TABLE things (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text UNIQUE,
      amount numeric,
      big int8,
      doc jsonb,
      day date,
      at timestamptz,
      blob bytea,
      tags text[],
      feeling mood,
      span interval
    );
  `);
});

afterAll(async () => {
  await db?.close();
  await admin?.end();
  await dropDatabase(SERVER, DB_NAME);
});

describe("values written and read back as Encore converts them", () => {
  test("numeric goes in as the SDK's Decimal and comes back through the decimal constructor", async () => {
    await exec`INSERT INTO things (name, amount) VALUES ('money', ${sdkDecimal("12.50")})`;
    const row = await one`SELECT amount, amount * 3 AS tripled FROM things WHERE name = 'money'`;
    expect(row!.amount).toBeInstanceOf(Decimal);
    expect(String(row!.amount)).toBe("12.5");
    expect(String(row!.tripled)).toBe("37.5");
    expect(String((await one`SELECT ${"0.1"}::numeric + ${"0.2"}::numeric AS s`)!.s)).toBe("0.3");
  });

  test("int8 comes back as a number, and BigInt goes in", async () => {
    await exec`INSERT INTO things (name, big) VALUES ('big', ${9007199254740991n})`;
    expect((await one`SELECT big, count(*) AS n FROM things WHERE name = 'big' GROUP BY big`)!).toEqual({ big: 9007199254740991, n: 1 });
  });

  test("anything bound to jsonb is JSON: an array stays an array, a string becomes a JSON string", async () => {
    await exec`INSERT INTO things (name, doc) VALUES ('arr', ${[1, "two", { three: 3 }]})`;
    await exec`INSERT INTO things (name, doc) VALUES ('str', ${"just text"})`;
    await exec`INSERT INTO things (name, doc) VALUES ('obj', ${{ nested: { ok: true }, list: [] }})`;
    expect((await one`SELECT doc FROM things WHERE name = 'arr'`)!.doc).toEqual([1, "two", { three: 3 }]);
    expect((await one`SELECT doc, jsonb_typeof(doc) AS kind FROM things WHERE name = 'str'`)!).toEqual({ doc: "just text", kind: "string" });
    expect((await one`SELECT doc->'nested'->>'ok' AS ok FROM things WHERE name = 'obj'`)!.ok).toBe("true");
  });

  test("null bound to jsonb is written as JSON null, as Encore's runtime does", async () => {
    await exec`INSERT INTO things (name, doc) VALUES ('jnull', ${null})`;
    expect((await one`SELECT doc IS NULL AS sql_null, jsonb_typeof(doc) AS kind, doc FROM things WHERE name = 'jnull'`)!).toEqual({
      sql_null: false,
      kind: "null",
      doc: null,
    });
  });

  test("date reads as YYYY-MM-DD, timestamptz as a Date, from Dates or RFC 3339 strings", async () => {
    const at = new Date(Date.UTC(2024, 6, 1, 22, 15, 30, 125));
    await exec`INSERT INTO things (name, day, at) VALUES ('dates', ${"2024-02-29"}, ${at})`;
    await exec`INSERT INTO things (name, day, at) VALUES ('dates2', ${at}, ${"2024-07-02T00:15:30.125+02:00"})`;
    expect((await one`SELECT day, at FROM things WHERE name = 'dates'`)!).toEqual({ day: "2024-02-29", at });
    expect((await one`SELECT day, at FROM things WHERE name = 'dates2'`)!).toEqual({ day: "2024-07-01", at });
    expect((await one`SELECT ${at}::timestamp AS naive, '10:11:12.5'::time AS t`)!).toEqual({ naive: at, t: "10:11:12.500" });
  });

  test("bytea goes in as a Buffer and comes back as an ArrayBuffer", async () => {
    await exec`INSERT INTO things (name, blob) VALUES ('bytes', ${Buffer.from([0, 1, 254, 255])})`;
    const blob = (await one`SELECT blob FROM things WHERE name = 'bytes'`)!.blob as ArrayBuffer;
    expect(blob).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(blob)]).toEqual([0, 1, 254, 255]);
  });

  test("uuid and enum values are strings both ways", async () => {
    const id = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    await exec`INSERT INTO things (id, name, feeling) VALUES (${id}, 'ids', ${"alert"})`;
    expect((await one`SELECT id, feeling FROM things WHERE id = ${id}`)!).toEqual({ id, feeling: "alert" });
    const generated = (await one`SELECT gen_random_uuid() AS id`)!.id as string;
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test("custom types resolve through the catalog: a domain as its base type, an enum array as strings", async () => {
    await exec`INSERT INTO contacts (address, moods) VALUES (${"ops@example.com"}, ${["calm", "alert"]})`;
    expect(await one`SELECT address, moods FROM contacts`).toEqual({ address: "ops@example.com", moods: ["calm", "alert"] });
    await expect(exec`INSERT INTO contacts (address) VALUES (${"not-an-email"})`).rejects.toThrow(/SQLSTATE 23514/);
  });

  test("text[] goes in from a JS array and comes back as one; ANY() takes an array parameter", async () => {
    await exec`INSERT INTO things (name, tags) VALUES ('tagged', ${["a", 'quote " and , comma', null, ""]})`;
    expect((await one`SELECT tags FROM things WHERE name = 'tagged'`)!.tags).toEqual(["a", 'quote " and , comma', null, ""]);
    const found = await all(await db.query(...sdkQuery`SELECT name FROM things WHERE name = ANY(${["tagged", "big"]}) ORDER BY name`));
    expect(found).toEqual([{ name: "big" }, { name: "tagged" }]);
    expect((await one`SELECT ARRAY[1, 2, 3]::int4[] AS xs`)!.xs).toEqual([1, 2, 3]);
  });

  test("a row with no match reads as null, and duplicate column names keep the last", async () => {
    expect(await one`SELECT 1 AS x FROM things WHERE name = ${"nobody"}`).toBeNull();
    expect(await one`SELECT 1 AS x, 2 AS x`).toEqual({ x: 2 });
  });
});

describe("errors surface as Encore's do", () => {
  test("a unique violation carries the SQLSTATE and the server's message", async () => {
    await exec`INSERT INTO things (name) VALUES ('unique')`;
    const err = await exec`INSERT INTO things (name) VALUES ('unique')`.catch((e) => e);
    expect(err).toBeInstanceOf(SqlError);
    expect(err.code).toBe("GenericFailure");
    expect(err.sqlState).toBe("23505");
    expect(err.constraint).toBe("things_name_key");
    expect(err.message).toMatch(
      /^db error: ERROR: duplicate key value violates unique constraint "things_name_key" \(SQLSTATE 23505\)\nDETAIL: Key \(name\)=\(unique\) already exists\.$/,
    );
  });

  test("a value the parameter's type cannot take is refused before it reaches the server", async () => {
    await expect(exec`SELECT * FROM things WHERE big = ${"5"}`).rejects.toThrow("error serializing parameter 0: string not supported for column of type int8");
    await expect(exec`SELECT * FROM things WHERE big = ${1.5}`).rejects.toThrow("error serializing parameter 0: number 1.5 is not an i64");
    await expect(exec`UPDATE things SET span = ${"1 hour"}`).rejects.toThrow(/parameter 0: .*type `interval`/);
    await expect(db.query("SELECT $1::int4", new QueryArgs([]))).rejects.toThrow("expected 1 parameters but got 0");
  });

  test("a column Encore cannot decode fails when the row is read", async () => {
    const row = await db.queryRow("SELECT interval '1 hour' AS span", new QueryArgs([]));
    expect(() => row!.values()).toThrow("unable to parse column span: unsupported type: interval");
  });

  test("arguments Encore refuses fail when the QueryArgs is built", () => {
    expect(() => new QueryArgs([NaN])).toThrow(/serde_json::Number/);
  });

  test("a syntax error rejects the query and the statement can be fixed afterwards", async () => {
    await expect(db.query("SELEC 1", new QueryArgs([]))).rejects.toThrow(/^db error: ERROR: syntax error at or near "SELEC" \(SQLSTATE 42601\)/);
  });
});

describe("transactions and connections", () => {
  test("a rolled-back transaction leaves nothing, a committed one stays", async () => {
    const tx = await db.begin();
    await (await tx.query(...sdkQuery`INSERT INTO things (name) VALUES (${"tx-rolled"})`)).next();
    expect(await all(await tx.query(...sdkQuery`SELECT name FROM things WHERE name = ${"tx-rolled"}`))).toHaveLength(1);
    await tx.rollback();
    expect(await one`SELECT name FROM things WHERE name = 'tx-rolled'`).toBeNull();

    const tx2 = await db.begin();
    await (await tx2.query(...sdkQuery`INSERT INTO things (name) VALUES (${"tx-kept"})`)).next();
    expect(await one`SELECT name FROM things WHERE name = 'tx-kept'`).toBeNull(); // not visible outside yet
    await tx2.commit();
    expect(await one`SELECT name FROM things WHERE name = 'tx-kept'`).toEqual({ name: "tx-kept" });
  });

  test("a finished transaction refuses further use", async () => {
    const tx = await db.begin();
    await tx.commit();
    await expect(tx.query("SELECT 1", new QueryArgs([]))).rejects.toThrow("transaction closed");
    await expect(tx.rollback()).rejects.toThrow("transaction closed");
  });

  test("a failed statement aborts its transaction until rollback", async () => {
    const tx = await db.begin();
    await expect(tx.query("SELECT 1/0", new QueryArgs([]))).rejects.toThrow(/SQLSTATE 22012/);
    await expect(tx.query("SELECT 1", new QueryArgs([]))).rejects.toThrow(/SQLSTATE 25P02/);
    await tx.rollback();
    expect(await one`SELECT 1 AS ok`).toEqual({ ok: 1 });
  });

  test("a commit the server refuses rejects and still returns the connection", async () => {
    const tx = await db.begin();
    await tx.query("INSERT INTO ledger (ref) VALUES (1), (1)", new QueryArgs([])); // checked at commit
    await expect(tx.commit()).rejects.toThrow(/SQLSTATE 23505/);
    expect(await one`SELECT count(*)::int AS n FROM ledger`).toEqual({ n: 0 });
    const open = await Promise.all(Array.from({ length: POOL_SIZE }, () => db.begin()));
    await Promise.all(open.map((t) => t.rollback()));
  });

  test("acquire() holds one session until close(), and close() ends a transaction left open", async () => {
    const conn = await db.acquire();
    await conn.query("SET application_name = 'warroom:acquired'", new QueryArgs([]));
    const pid = (await conn.queryRow("SELECT pg_backend_pid() AS pid", new QueryArgs([])))!.values().pid;
    expect((await conn.queryRow("SELECT pg_backend_pid() AS pid", new QueryArgs([])))!.values().pid).toBe(pid);
    await conn.query("BEGIN", new QueryArgs([]));
    await conn.query("INSERT INTO things (name) VALUES ('left-open')", new QueryArgs([]));
    await conn.close();
    await conn.close(); // twice is fine
    await expect(conn.query("SELECT 1", new QueryArgs([]))).rejects.toThrow("connection_closed");
    expect(await one`SELECT name FROM things WHERE name = 'left-open'`).toBeNull();
  });

  test("a cold pool lends every connection to transactions, and the next waits for one", async () => {
    const cold = new SqlDatabase("cold", { config: { url: databaseUrl(SERVER, DB_NAME), poolSize: 2 } });
    const first = await cold.begin();
    const second = await cold.begin();
    let third: Awaited<ReturnType<SqlDatabase["begin"]>> | null = null;
    const waiting = cold.begin().then((tx) => (third = tx));
    const pending = cold.queryRow("SELECT 1 AS one", new QueryArgs([]));
    await first.query("SELECT 1", new QueryArgs([])); // the others had their turn to run: still waiting
    expect(third).toBeNull();
    await first.commit();
    await waiting;
    await second.rollback();
    expect((await pending)!.values()).toEqual({ one: 1 });
    await third!.rollback();
    await cold.close();
  });

  test("a transaction gets a connection even while queries keep every connection busy", async () => {
    const busy = new SqlDatabase("busy", { config: { url: databaseUrl(SERVER, DB_NAME), poolSize: 2 } });
    let stop = false;
    let done = 0;
    const load = Array.from({ length: 6 }, async () => {
      while (!stop) {
        // The load only has to keep connections busy; the transaction below is what is judged.
        await busy.query("SELECT pg_sleep(0.002)", new QueryArgs([])).then(
          () => done++,
          () => {},
        );
      }
    });
    // Closed whatever happens, so a failure here does not leave connections that later tests count.
    try {
      await busy.query("SELECT pg_sleep(0.01)", new QueryArgs([])); // the load is running
      const before = done;
      const tx = await busy.begin();
      // Only the queries already in flight finished first: new ones queued behind the transaction.
      expect(done - before).toBeLessThanOrEqual(6);
      expect((await tx.query("SELECT 1 AS one", new QueryArgs([])).then((c) => c.next()))!.values()).toEqual({ one: 1 });
      await tx.commit();
    } finally {
      stop = true;
      await Promise.allSettled(load);
      await busy.close();
    }
  });

  test("concurrent queries share the pool without exceeding its size", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => db.queryRow("SELECT $1::int4 * 2 AS n, pg_sleep(0.01)::text AS s", new QueryArgs([i]))),
    );
    expect(results.map((r) => r!.values().n)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(await poolConnections()).toBeLessThanOrEqual(POOL_SIZE);
  });

  test("many transactions leak no connections", async () => {
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const tx = await db.begin();
          await tx.query("SELECT $1::int4 AS i", new QueryArgs([i]));
          if (i % 2) await tx.commit();
          else await tx.rollback();
        }),
      );
    }
    // Every connection is back: the pool can hold POOL_SIZE transactions open at once.
    const open = await Promise.all(Array.from({ length: POOL_SIZE }, () => db.begin()));
    await Promise.all(open.map((tx) => tx.rollback()));
    expect(await poolConnections()).toBeLessThanOrEqual(POOL_SIZE);
    const [{ n }] = await admin<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${DB_NAME} AND state LIKE 'idle in transaction%'`;
    expect(n).toBe(0);
  });
});

describe("a database attached after it is created", () => {
  test("queries issued before attach() wait for it", async () => {
    const late = new SqlDatabase("late");
    expect(() => late.connString()).toThrow(/not provisioned/);
    const pending = late.queryRow("SELECT $1::text AS v", new QueryArgs(["waited"]));
    late.attach({ url: databaseUrl(SERVER, DB_NAME), poolSize: 1 });
    expect((await pending)!.values()).toEqual({ v: "waited" });
    expect(late.connString()).toBe(databaseUrl(SERVER, DB_NAME));
    await late.close();
    await expect(late.query("SELECT 1", new QueryArgs([]))).rejects.toThrow(/closed/);
  });

  test("fail() rejects the waiting queries", async () => {
    const broken = new SqlDatabase("broken");
    const pending = broken.query("SELECT 1", new QueryArgs([]));
    broken.fail(new Error("could not create database broken"));
    await expect(pending).rejects.toThrow("could not create database broken");
  });

  test("an unreachable server fails the query with a connection error", async () => {
    const nowhere = new SqlDatabase("nowhere", { config: { url: "postgres://postgres@127.0.0.1:1/none", poolSize: 1 } });
    await expect(nowhere.query("SELECT 1", new QueryArgs([]))).rejects.toThrow(/^error connecting to server/);
    await nowhere.close();
  });
});
