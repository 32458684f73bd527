import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MigrationFile } from "./migrate.ts";
import { databaseUrl, ensureDatabase, serverUrlOf, withAdmin } from "./provision.ts";
import { cloneFromTemplate, dropDatabase, dropStaleTestDatabases, prepareTemplate } from "./testtemplates.ts";
import { testServerUrl } from "../testing/services.ts";

const SERVER = serverUrlOf(testServerUrl());
const RUN = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const PREFIX = `h2_tdb_${RUN}`;
let dir: string;
let migrations: MigrationFile[];

async function writeMigrations(spec: Record<string, string>): Promise<MigrationFile[]> {
  const sub = await mkdtemp(path.join(dir, "m-"));
  return Promise.all(
    Object.entries(spec).map(async ([file, body]) => {
      await writeFile(path.join(sub, file), body);
      const [, version, name] = /^(\d+)_([^.]+)\.up\.sql$/.exec(file)!;
      return { version: Number(version), name, file: path.join(sub, file) };
    }),
  );
}

async function query<T extends object>(db: string, text: string): Promise<T[]> {
  const sql = postgres(databaseUrl(SERVER, db), { max: 1, onnotice: () => {} });
  try {
    return [...(await sql.unsafe<T[]>(text))];
  } finally {
    await sql.end();
  }
}

async function databases(): Promise<{ datname: string; datistemplate: boolean; oid: string }[]> {
  return withAdmin(SERVER, async (sql) => [
    ...(await sql<{ datname: string; datistemplate: boolean; oid: string }[]>`
      SELECT datname, datistemplate, oid::text FROM pg_database WHERE datname LIKE ${`${PREFIX}%`} ORDER BY datname`),
  ]);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "h2-testdb-"));
  migrations = await writeMigrations({
    "1_create_alerts.up.sql": "CREATE TABLE alerts (id serial PRIMARY KEY, title text NOT NULL);",
    "2_seed.up.sql": "INSERT INTO alerts (title) VALUES ('seeded');",
  });
});

afterAll(async () => {
  for (const { datname } of await databases()) await dropDatabase(SERVER, datname);
  await rm(dir, { recursive: true, force: true });
});

describe("test databases", () => {
  test("a template is built once, sealed, and reused while the migrations are unchanged", async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => prepareTemplate(SERVER, `${PREFIX}_app`, migrations)));
    expect(a).toMatch(new RegExp(`^${PREFIX}_app_template_[0-9a-f]{12}$`));
    expect([b, c]).toEqual([a, a]);
    const before = (await databases()).find((d) => d.datname === a)!;
    expect(before.datistemplate).toBe(true);
    expect(await prepareTemplate(SERVER, `${PREFIX}_app`, migrations)).toBe(a);
    expect((await databases()).find((d) => d.datname === a)!.oid).toBe(before.oid); // not rebuilt
  });

  test("clones start from the migrated template and are isolated from each other", async () => {
    const template = await prepareTemplate(SERVER, `${PREFIX}_app`, migrations);
    const t0 = performance.now();
    await cloneFromTemplate(SERVER, template, `${PREFIX}_one`);
    const cloneMs = performance.now() - t0;
    await cloneFromTemplate(SERVER, template, `${PREFIX}_two`);
    await query(`${PREFIX}_one`, "INSERT INTO alerts (title) VALUES ('only in one')");
    expect(await query(`${PREFIX}_one`, "SELECT title FROM alerts ORDER BY id")).toEqual([{ title: "seeded" }, { title: "only in one" }]);
    expect(await query(`${PREFIX}_two`, "SELECT title FROM alerts ORDER BY id")).toEqual([{ title: "seeded" }]);
    expect(await query(`${PREFIX}_two`, "SELECT version::int, dirty FROM schema_migrations")).toEqual([{ version: 2, dirty: false }]);
    expect(cloneMs).toBeLessThan(5000);
    await dropDatabase(SERVER, `${PREFIX}_one`);
    await dropDatabase(SERVER, `${PREFIX}_two`);
    expect((await databases()).map((d) => d.datname)).not.toContain(`${PREFIX}_one`);
  });

  test("changed migrations give a new template and retire the old one", async () => {
    const old = await prepareTemplate(SERVER, `${PREFIX}_app`, migrations);
    const changed = [...migrations, ...(await writeMigrations({ "3_more.up.sql": "ALTER TABLE alerts ADD COLUMN level int;" }))];
    const fresh = await prepareTemplate(SERVER, `${PREFIX}_app`, changed);
    expect(fresh).not.toBe(old);
    const names = (await databases()).map((d) => d.datname);
    expect(names).toContain(fresh);
    expect(names).not.toContain(old);
    await cloneFromTemplate(SERVER, fresh, `${PREFIX}_three`);
    expect(await query(`${PREFIX}_three`, "SELECT count(level)::int AS n FROM alerts")).toEqual([{ n: 0 }]);
  });

  test("a template whose migrations fail is not left behind", async () => {
    const broken = await writeMigrations({ "1_broken.up.sql": "CREATE TABLE (" });
    await expect(prepareTemplate(SERVER, `${PREFIX}_bad`, broken)).rejects.toThrow(/1_broken\.up\.sql/);
    expect((await databases()).map((d) => d.datname).filter((n) => n.startsWith(`${PREFIX}_bad`))).toEqual([]);
  });

  test("cloning ends sessions that hold the source open instead of failing", async () => {
    const source = `${PREFIX}_busy`;
    await ensureDatabase(SERVER, source);
    const holder = postgres(databaseUrl(SERVER, source), { max: 1, onnotice: () => {} });
    await holder`SELECT 1`;
    await cloneFromTemplate(SERVER, source, `${PREFIX}_busy_copy`);
    expect((await databases()).map((d) => d.datname)).toContain(`${PREFIX}_busy_copy`);
    await holder.end({ timeout: 0 });
  });

  test("stale clones are dropped by age; young ones, other names and templates stay", async () => {
    const template = await prepareTemplate(SERVER, `${PREFIX}_app`, migrations);
    await cloneFromTemplate(SERVER, template, `${PREFIX}_stale_a`);
    await ensureDatabase(SERVER, `${PREFIX}_keep`);
    expect(await dropStaleTestDatabases(SERVER, `${PREFIX}_stale_`, 60 * 60_000)).toEqual([]);
    expect(await dropStaleTestDatabases(SERVER, `${PREFIX}_stale_`, 0)).toEqual([`${PREFIX}_stale_a`]); // any age
    const names = (await databases()).map((d) => d.datname);
    expect(names).toContain(`${PREFIX}_keep`);
    expect(names).toContain(template);
  });

  test("age is read from the database's files", async () => {
    await cloneFromTemplate(SERVER, await prepareTemplate(SERVER, `${PREFIX}_app`, migrations), `${PREFIX}_aged`);
    // Older than one millisecond: any database created before this statement.
    expect(await dropStaleTestDatabases(SERVER, `${PREFIX}_aged`, 1)).toEqual([`${PREFIX}_aged`]);
  });

  test("a LIKE wildcard in the prefix matches only itself", async () => {
    await ensureDatabase(SERVER, `${PREFIX}Xwild`);
    // "_" would match the "X" if it were not escaped.
    expect(await dropStaleTestDatabases(SERVER, `${PREFIX}_wild`, 0)).toEqual([]);
    expect((await databases()).map((d) => d.datname)).toContain(`${PREFIX}Xwild`);
  });
});
