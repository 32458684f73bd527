import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MigrationError, advisoryLockId, effectiveVersion, migrate, orderMigrations, type MigrationFile } from "./migrate.ts";
import { databaseUrl, ensureDatabase, serverUrlOf } from "./provision.ts";
import { dropDatabase } from "./testtemplates.ts";
import { testDatabaseName, testServerUrl } from "../testing/services.ts";

const SERVER = serverUrlOf(testServerUrl());
const created: string[] = [];
let dir: string;

async function freshDatabase(label: string): Promise<string> {
  const name = testDatabaseName(`mig_${label}`);
  created.push(name);
  await ensureDatabase(SERVER, name);
  return databaseUrl(SERVER, name);
}

async function files(spec: Record<string, string>): Promise<MigrationFile[]> {
  const sub = await mkdtemp(path.join(dir, "m-"));
  const out: MigrationFile[] = [];
  for (const [file, body] of Object.entries(spec)) {
    await writeFile(path.join(sub, file), body);
    const [, version, name] = /^(\d+)_([^.]+)\.up\.sql$/.exec(file)!;
    out.push({ version: Number(version), name, file: path.join(sub, file) });
  }
  return out;
}

async function withSql<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

const schemaMigrations = (url: string) =>
  withSql(url, (sql) => sql<{ version: string; dirty: boolean }[]>`SELECT version::text, dirty FROM schema_migrations`).then((rows) =>
    rows.map((r) => ({ version: Number(r.version), dirty: r.dirty })),
  );

const BASE = {
  "1_create_campaigns.up.sql": "CREATE TABLE campaigns (id serial PRIMARY KEY, name text NOT NULL);",
  "2_add_status.up.sql": "ALTER TABLE campaigns ADD COLUMN status text;\nINSERT INTO campaigns (name, status) VALUES ('seed', 'draft');",
  "10_create_keywords.up.sql": "CREATE TABLE keywords (id serial PRIMARY KEY, word text NOT NULL);",
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "h2-migrations-"));
});

afterAll(async () => {
  for (const name of created) await dropDatabase(SERVER, name);
  await rm(dir, { recursive: true, force: true });
});

describe("migrate", () => {
  test("applies every migration once, in numeric version order, recording one row as golang-migrate does", async () => {
    const url = await freshDatabase("order");
    const migrations = await files(BASE);
    expect(await migrate(url, migrations.reverse())).toEqual({ applied: [1, 2, 10] });
    expect(await schemaMigrations(url)).toEqual([{ version: 10, dirty: false }]);
    expect(await migrate(url, migrations)).toEqual({ applied: [] });
    const seeded = await withSql(url, (sql) => sql`SELECT name, status FROM campaigns`);
    expect([...seeded]).toEqual([{ name: "seed", status: "draft" }]); // 2 ran once
    const columns = await withSql(
      url,
      (sql) => sql`SELECT column_name, data_type, is_nullable FROM information_schema.columns
                    WHERE table_name = 'schema_migrations' ORDER BY ordinal_position`,
    );
    expect([...columns]).toEqual([
      { column_name: "version", data_type: "bigint", is_nullable: "NO" },
      { column_name: "dirty", data_type: "boolean", is_nullable: "NO" },
    ]);
  });

  test("applies only the migrations added since the last run", async () => {
    const url = await freshDatabase("incremental");
    const first = await files({ "1_create_campaigns.up.sql": BASE["1_create_campaigns.up.sql"] });
    await migrate(url, first);
    const more = [...first, ...(await files({ "2_add_status.up.sql": BASE["2_add_status.up.sql"] }))];
    expect(await migrate(url, more)).toEqual({ applied: [2] });
    expect(await schemaMigrations(url)).toEqual([{ version: 2, dirty: false }]);
  });

  test("stops at a failing migration, naming its file and line, and keeps the database clean", async () => {
    const url = await freshDatabase("failing");
    const migrations = await files({
      "1_create_campaigns.up.sql": BASE["1_create_campaigns.up.sql"],
      "2_broken.up.sql": "CREATE TABLE half_done (id int);\nCREATE TABLE oops (id int,);",
      "3_after.up.sql": "CREATE TABLE after_broken (id int);",
    });
    const err = await migrate(url, migrations).catch((e) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toBe('migration 2_broken.up.sql failed (line 2): syntax error at or near ")" (SQLSTATE 42601)');
    expect(err.file).toBe(migrations[1].file);
    expect(await schemaMigrations(url)).toEqual([{ version: 1, dirty: false }]);
    const tables = await withSql(url, (sql) => sql`SELECT to_regclass('half_done')::text AS half, to_regclass('after_broken')::text AS after`);
    expect(tables[0]).toEqual({ half: null, after: null });

    await writeFile(migrations[1].file, "CREATE TABLE half_done (id int);\nALTER TABLE nowhere ADD COLUMN x int;");
    const err2 = await migrate(url, migrations).catch((e) => e);
    expect(err2.message).toBe('migration 2_broken.up.sql failed: relation "nowhere" does not exist (SQLSTATE 42P01)');

    await writeFile(migrations[1].file, "CREATE TABLE half_done (id int);");
    expect(await migrate(url, migrations)).toEqual({ applied: [2, 3] });
  });

  test("re-applies a migration golang-migrate left dirty", async () => {
    const url = await freshDatabase("dirty");
    const migrations = await files(BASE);
    await migrate(url, migrations.slice(0, 1));
    // What golang-migrate leaves when version 2 failed midway: the row says 2, dirty.
    await withSql(url, (sql) => sql`UPDATE schema_migrations SET version = 2, dirty = true`);
    expect(await migrate(url, migrations)).toEqual({ applied: [2, 10] });
    expect(await schemaMigrations(url)).toEqual([{ version: 10, dirty: false }]);
  });

  test("two migrators at once apply each migration exactly once", async () => {
    const url = await freshDatabase("concurrent");
    const migrations = await files(BASE); // plain CREATE TABLEs: a second run would fail
    const results = await Promise.all([migrate(url, migrations), migrate(url, migrations), migrate(url, migrations)]);
    expect(results.map((r) => r.applied).sort((a, b) => b.length - a.length)).toEqual([[1, 2, 10], [], []]);
    expect(await schemaMigrations(url)).toEqual([{ version: 10, dirty: false }]);
  });

  test("waits while another session holds golang-migrate's lock for this database", async () => {
    const url = await freshDatabase("lock");
    const name = new URL(url).pathname.slice(1);
    const migrations = await files(BASE);
    const holder = postgres(url, { max: 1, onnotice: () => {} });
    await holder`SELECT pg_advisory_lock(${advisoryLockId(name, "public", "schema_migrations")}::bigint)`;
    let done = false;
    const running = migrate(url, migrations).then((r) => {
      done = true;
      return r;
    });
    const waiting = async () =>
      (
        await holder`SELECT count(*)::int AS n FROM pg_stat_activity
                    WHERE datname = ${name} AND application_name = 'warroom:migrate' AND wait_event_type = 'Lock'`
      )[0].n;
    await expect.poll(waiting, { message: "the migrator waits for the lock", timeout: 10_000 }).toBeGreaterThan(0);
    expect(done).toBe(false);
    await holder`SELECT pg_advisory_unlock_all()`;
    expect(await running).toEqual({ applied: [1, 2, 10] });
    await holder.end();
  });
});

describe("migration bookkeeping", () => {
  test("refuses two migrations with one version", () => {
    expect(() =>
      orderMigrations([
        { version: 1, name: "a", file: "/x/1_a.up.sql" },
        { version: 1, name: "b", file: "/x/1_b.up.sql" },
      ]),
    ).toThrow('duplicate migration identifier "1_b.up.sql"');
  });

  test("continues after a clean version, and from the one before a dirty version", () => {
    const ordered = [1, 2, 5].map((version) => ({ version, name: "m", file: `/x/${version}_m.up.sql` }));
    expect(effectiveVersion(null, ordered)).toBe(-1);
    expect(effectiveVersion({ version: 5, dirty: false }, ordered)).toBe(5);
    expect(effectiveVersion({ version: 5, dirty: true }, ordered)).toBe(2);
    expect(effectiveVersion({ version: 1, dirty: true }, ordered)).toBe(-1);
  });

  test("derives golang-migrate's advisory lock id from schema, table and database", () => {
    const id = advisoryLockId("warroom", "public", "schema_migrations");
    expect(id).toMatch(/^\d+$/);
    expect(Number(id)).toBeLessThan(2 ** 32);
    expect(advisoryLockId("other", "public", "schema_migrations")).not.toBe(id);
  });
});
