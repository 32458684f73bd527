// The migration folder layouts Encore reads: default, drizzle, drizzle/v1 and prisma.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { listMigrations } from "./migrations.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "migs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), body);
  }
  return dir;
}

test("default: <n>_<name>.up.sql, down migrations and other files ignored", () => {
  const dir = tree("default", { "2_b.up.sql": "", "1_a.up.sql": "", "1_a.down.sql": "", "README.md": "" });
  expect(listMigrations(dir)).toEqual({
    migrations: [
      { version: 1, name: "a", fileName: "1_a.up.sql" },
      { version: 2, name: "b", fileName: "2_b.up.sql" },
    ],
  });
  expect(listMigrations(tree("default-bad", { "x.sql": "" }))).toEqual({ error: expect.stringContaining("invalid migration filename: x.sql") });
});

test("drizzle: <n>_<name>.sql beside meta/", () => {
  const dir = tree("drizzle", { "0001_two.sql": "", "0000_one.sql": "", "meta/_journal.json": "{}", "meta/0000_snapshot.json": "{}" });
  expect(listMigrations(dir, "drizzle")).toEqual({
    migrations: [
      { version: 0, name: "one", fileName: "0000_one.sql" },
      { version: 1, name: "two", fileName: "0001_two.sql" },
    ],
  });
});

test("prisma and drizzle/v1: <n>_<name>/migration.sql folders", () => {
  const dir = tree("prisma", { "20241111100339_init/migration.sql": "", "20240101000000_first/migration.sql": "", "migration_lock.toml": "" });
  expect(listMigrations(dir, "prisma")).toEqual({
    migrations: [
      { version: 20240101000000, name: "first", fileName: "20240101000000_first/migration.sql" },
      { version: 20241111100339, name: "init", fileName: "20241111100339_init/migration.sql" },
    ],
  });
  const v1 = tree("drizzle-v1", { "0000_init/migration.sql": "", "0000_init/snapshot.json": "{}", "meta/migration.sql": "" });
  expect(listMigrations(v1, "drizzle/v1")).toEqual({ migrations: [{ version: 0, name: "init", fileName: "0000_init/migration.sql" }] });
  expect(listMigrations(tree("prisma-bad", { "init/migration.sql": "" }), "prisma")).toEqual({ error: "invalid migration directory name: init" });
});
