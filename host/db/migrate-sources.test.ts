// Non-sequential migrations (prisma, drizzle v1): a row per applied version, so a migration with an
// older timestamp that arrives later still runs; the default layout keeps golang-migrate's one row.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { migrate, type MigrationFile } from "./migrate.ts";
import { databaseUrl, ensureDatabase, serverUrlOf } from "./provision.ts";
import { dropDatabase } from "./testtemplates.ts";
import { testDatabaseName, testServerUrl } from "../testing/services.ts";

const SERVER = serverUrlOf(testServerUrl());
const created: string[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "migsrc-"));
});
afterAll(async () => {
  await Promise.all(created.map((n) => dropDatabase(SERVER, n)));
  await rm(dir, { recursive: true, force: true });
});

async function fresh(label: string): Promise<string> {
  const name = testDatabaseName(`migsrc_${label}`);
  created.push(name);
  await ensureDatabase(SERVER, name);
  return databaseUrl(SERVER, name);
}

async function file(version: number, body: string, nonSequential: boolean): Promise<MigrationFile> {
  const f = path.join(dir, `${version}_${nonSequential ? "ns" : "seq"}.sql`);
  await writeFile(f, body);
  return { version, name: String(version), file: f, nonSequential };
}

async function versions(url: string): Promise<number[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql<{ v: string }[]>`SELECT version::text AS v FROM schema_migrations ORDER BY version`).map((r) => Number(r.v));
  } finally {
    await sql.end();
  }
}

test("a non-sequential migration with an older version that arrives later is applied", async () => {
  const url = await fresh("ns");
  const newer = await file(20241111100339, "CREATE TABLE b (id int);", true);
  expect(await migrate(url, [newer])).toEqual({ applied: [20241111100339] });
  const older = await file(20240101000000, "CREATE TABLE a (id int);", true);
  expect(await migrate(url, [older, newer])).toEqual({ applied: [20240101000000] });
  expect(await versions(url)).toEqual([20240101000000, 20241111100339]);
  expect(await migrate(url, [older, newer])).toEqual({ applied: [] });
});

test("sequential migrations keep one row and skip versions below it", async () => {
  const url = await fresh("seq");
  const two = await file(2, "CREATE TABLE d (id int);", false);
  expect(await migrate(url, [two])).toEqual({ applied: [2] });
  const one = await file(1, "CREATE TABLE c (id int);", false);
  expect(await migrate(url, [one, two])).toEqual({ applied: [] });
  expect(await versions(url)).toEqual([2]);
});
