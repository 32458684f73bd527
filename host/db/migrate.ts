// Applying a database's migrations as Encore does with golang-migrate: files in version order,
// the state kept in schema_migrations as golang-migrate keeps it, one row holding the current
// version and a dirty flag. Unlike golang-migrate, each file runs in one transaction together with
// its version bump, so a failure leaves the previous version recorded and clean (which is where
// Encore's own dirty-flag recovery would have put it).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "node:zlib";
import postgres from "postgres";
import { quoteIdent } from "./provision.ts";

export interface MigrationFile {
  version: number;
  name: string;
  file: string; // absolute path
  /** Prisma / drizzle v1 layouts: schema_migrations keeps a row per applied version (see migrate). */
  nonSequential?: boolean;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly version: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MigrationError";
  }
}

const MIGRATIONS_TABLE = "schema_migrations";
const NIL_VERSION = -1;

/**
 * golang-migrate's advisory lock id (database.GenerateAdvisoryLockId), so that we and a real
 * golang-migrate never migrate the same database at once.
 */
export function advisoryLockId(databaseName: string, schemaName: string, tableName: string): string {
  const sum = crc32(Buffer.from([schemaName, tableName, databaseName].join("\x00")));
  return String(Math.imul(sum, 1486364155) >>> 0);
}

/** Sorts by version and refuses duplicates, as Encore's migration source does. */
export function orderMigrations(migrations: MigrationFile[]): MigrationFile[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].version === sorted[i - 1].version) {
      throw new Error(`duplicate migration identifier "${path.basename(sorted[i].file)}"`);
    }
  }
  return sorted;
}

/**
 * The version to continue from, given schema_migrations' row. A dirty row means that version's
 * migration did not finish; since migrations run in transactions, nothing of it stayed, so we go
 * on from the version before it, as Encore forces golang-migrate to do.
 */
export function effectiveVersion(row: { version: number; dirty: boolean } | null, ordered: MigrationFile[]): number {
  if (!row) return NIL_VERSION;
  if (!row.dirty) return row.version;
  const before = ordered.filter((m) => m.version < row.version);
  return before.length > 0 ? before[before.length - 1].version : NIL_VERSION;
}

function lineOf(text: string, position: string | undefined): number | null {
  const pos = Number(position);
  if (!Number.isInteger(pos) || pos < 1) return null;
  return text.slice(0, pos - 1).split("\n").length;
}

/** Applies pending migrations to the database at `url`; returns the versions applied. */
export async function migrate(url: string, migrations: MigrationFile[]): Promise<{ applied: number[] }> {
  const ordered = orderMigrations(migrations);
  const sql = postgres(url, {
    max: 1, // the advisory lock belongs to the session: every step runs on this one connection
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: "warroom:migrate" },
  });
  const applied: number[] = [];
  try {
    const [{ db, schema }] = await sql<{ db: string; schema: string }[]>`SELECT current_database() AS db, current_schema() AS schema`;
    const table = `${quoteIdent(schema)}.${quoteIdent(MIGRATIONS_TABLE)}`;
    const lockId = advisoryLockId(db, schema, MIGRATIONS_TABLE);
    await sql`SELECT pg_advisory_lock(${lockId}::bigint)`;
    try {
      await sql.unsafe(`CREATE TABLE IF NOT EXISTS ${table} (version bigint not null primary key, dirty boolean not null)`);
      // Timestamped migrations (prisma, drizzle v1) are tracked as Encore's non-sequential migrator
      // does (cli/daemon/sqldb/migrate.go in encoredev/encore): a row per applied version in the same
      // table, and every migration without a row runs, older ones included.
      const nonSequential = ordered.some((m) => m.nonSequential);
      let pending: MigrationFile[];
      if (nonSequential) {
        const rows = await sql.unsafe<{ version: string }[]>(`SELECT version::text AS version FROM ${table} WHERE NOT dirty`);
        const done = new Set(rows.map((r) => Number(r.version)));
        pending = ordered.filter((m) => !done.has(m.version));
      } else {
        const rows = await sql.unsafe<{ version: string; dirty: boolean }[]>(`SELECT version::text AS version, dirty FROM ${table} LIMIT 1`);
        const row = rows.length > 0 ? { version: Number(rows[0].version), dirty: rows[0].dirty } : null;
        const current = effectiveVersion(row, ordered);
        pending = ordered.filter((x) => x.version > current);
      }
      for (const m of pending) {
        const body = await readFile(m.file, "utf8");
        try {
          await sql.begin(async (tx) => {
            if (body.trim() !== "") await tx.unsafe(body);
            if (nonSequential) {
              await tx.unsafe(`INSERT INTO ${table} (version, dirty) VALUES (${m.version}, false) ON CONFLICT (version) DO UPDATE SET dirty = false`);
            } else {
              await tx.unsafe(`TRUNCATE ${table}`);
              await tx.unsafe(`INSERT INTO ${table} (version, dirty) VALUES (${m.version}, false)`);
            }
          });
        } catch (e) {
          const file = path.basename(m.file);
          if (e instanceof postgres.PostgresError) {
            const line = lineOf(body, e.position);
            const where = line === null ? "" : ` (line ${line})`;
            throw new MigrationError(`migration ${file} failed${where}: ${e.message} (SQLSTATE ${e.code})`, m.file, m.version, { cause: e });
          }
          throw new MigrationError(`migration ${file} failed: ${(e as Error).message}`, m.file, m.version, { cause: e });
        }
        applied.push(m.version);
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(${lockId}::bigint)`.catch(() => {});
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return { applied };
}
