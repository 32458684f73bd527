// Isolated databases for tests, as Encore runs them: migrate a template once, then give each test
// run a copy (CREATE DATABASE ... TEMPLATE). A copy costs about 0.2-0.5 s here whatever the schema,
// so it wins over migrating once an app has a handful of migrations, and it isolates completely.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type postgres from "postgres";
import { migrate, orderMigrations, type MigrationFile } from "./migrate.ts";
import { databaseUrl, pgCode, quoteIdent, retryWhileInUse, withAdmin } from "./provision.ts";

const MAX_IDENT = 63; // Postgres truncates longer names
const HASH_CHARS = 12;

/** A digest of the migrations' versions, names and contents: a changed file gives a new template. */
export async function migrationsHash(migrations: MigrationFile[]): Promise<string> {
  const h = createHash("sha256");
  for (const m of orderMigrations(migrations)) {
    h.update(`${m.version}\0${m.name}\0`);
    h.update(await readFile(m.file));
    h.update("\0");
  }
  return h.digest("hex");
}

function templatePrefix(name: string): string {
  const suffix = "_template_";
  return name.slice(0, MAX_IDENT - suffix.length - HASH_CHARS) + suffix;
}

/** Escapes LIKE's wildcards so a prefix matches literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

async function dropOn(sql: postgres.Sql, name: string): Promise<void> {
  // A template cannot be dropped until it stops being one.
  await sql.unsafe(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`).catch((e) => {
    if (pgCode(e) !== "3D000") throw e; // invalid_catalog_name: already gone
  });
  await sql.unsafe(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

/**
 * Returns the name of a template database holding `migrations` applied, building it if needed.
 * Templates are keyed by a hash of the migrations, reused while they are unchanged, and built
 * under an advisory lock so parallel processes build each one once. A finished template is sealed
 * (IS_TEMPLATE, no connections), which also marks it complete: a build killed halfway is redone.
 */
export async function prepareTemplate(serverUrl: string, name: string, migrations: MigrationFile[]): Promise<string> {
  const prefix = templatePrefix(name);
  const templateName = prefix + (await migrationsHash(migrations)).slice(0, HASH_CHARS);
  await withAdmin(serverUrl, async (sql) => {
    const lockKey = `warroom-template:${prefix}`;
    await sql`SELECT pg_advisory_lock(hashtextextended(${lockKey}, 0))`;
    try {
      const rows = await sql<{ datistemplate: boolean }[]>`SELECT datistemplate FROM pg_database WHERE datname = ${templateName}`;
      if (rows.length > 0 && rows[0].datistemplate) return;
      await dropOn(sql, templateName);
      await retryWhileInUse(() => sql.unsafe(`CREATE DATABASE ${quoteIdent(templateName)}`));
      try {
        await migrate(databaseUrl(serverUrl, templateName), migrations);
        await sql.unsafe(`ALTER DATABASE ${quoteIdent(templateName)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      } catch (e) {
        await dropOn(sql, templateName).catch(() => {});
        throw e;
      }
      // Templates of earlier migrations are of no further use.
      const stale = await sql<{ datname: string }[]>`
        SELECT datname FROM pg_database
        WHERE datname LIKE ${likePrefix(prefix)} AND datname <> ${templateName} AND datistemplate`;
      for (const { datname } of stale) await dropOn(sql, datname);
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.catch(() => {});
    }
  });
  return templateName;
}

/**
 * Creates database `cloneName` as a copy of `templateName`. Postgres refuses to copy a database
 * others are connected to (after waiting 5 s for them to leave), so sessions on the template are
 * ended first, and the copy is retried for a few seconds if one slips in meanwhile. A sealed
 * template accepts no sessions at all.
 */
export async function cloneFromTemplate(serverUrl: string, templateName: string, cloneName: string): Promise<void> {
  await withAdmin(serverUrl, async (sql) => {
    await retryWhileInUse(async () => {
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${templateName} AND pid <> pg_backend_pid()`;
      await sql.unsafe(`CREATE DATABASE ${quoteIdent(cloneName)} TEMPLATE ${quoteIdent(templateName)}`);
    });
  });
}

/** Drops database `name` if it exists, ending its sessions (WITH (FORCE)). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (sql) => dropOn(sql, name));
}

/**
 * Drops databases named `prefix…` created more than `olderThanMs` ago: clones left by test runs
 * that were killed before their cleanup. With `olderThanMs <= 0` it drops them whatever their age
 * (a run's own teardown). Templates are kept (prepareTemplate manages them). A database's age is
 * that of its directory's PG_VERSION file, which needs a superuser (or pg_read_server_files);
 * without that right nothing is dropped by age. Returns the names dropped.
 */
export async function dropStaleTestDatabases(serverUrl: string, prefix: string, olderThanMs: number): Promise<string[]> {
  return withAdmin(serverUrl, async (sql) => {
    let stale: { datname: string }[];
    try {
      stale =
        olderThanMs <= 0
          ? await sql<{ datname: string }[]>`
              SELECT datname FROM pg_database WHERE datname LIKE ${likePrefix(prefix)} AND NOT datistemplate`
          : await sql<{ datname: string }[]>`
              SELECT datname FROM pg_database
              WHERE datname LIKE ${likePrefix(prefix)} AND NOT datistemplate
                AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - ${olderThanMs} * interval '1 millisecond'`;
    } catch (e) {
      if (pgCode(e) === "42501") return []; // insufficient_privilege
      throw e;
    }
    for (const { datname } of stale) await dropOn(sql, datname);
    return stale.map((r) => r.datname);
  });
}
