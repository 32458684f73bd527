// SQL migrations in the folder a SQLDatabase names, in the layout its `source` says, as Encore reads
// them (tsparser/src/parser/resources/infra/sqldb.rs):
//   default      <version>_<name>.up.sql files (.down.sql ignored)
//   "drizzle"    <version>_<name>.sql files, as drizzle-kit writes them (its meta/ folder ignored)
//   "drizzle/v1" <version>_<name>/migration.sql folders (meta/ ignored)
//   "prisma"     <version>_<name>/migration.sql folders, as prisma migrate writes them
// Prisma's and drizzle v1's versions are timestamps: applied ones are tracked one by one
// (non-sequential), so a migration merged with an older timestamp still runs.
import { readdirSync, statSync } from "node:fs";

export interface MigrationFile {
  version: number;
  name: string;
  fileName: string; // relative to the migrations folder
}

export type MigrationSource = "prisma" | "drizzle" | "drizzle/v1";
export const MIGRATION_SOURCES: readonly string[] = ["prisma", "drizzle", "drizzle/v1"];

/** Whether applied migrations are tracked one by one rather than as one version. */
export function nonSequential(source: MigrationSource | null): boolean {
  return source === "prisma" || source === "drizzle/v1";
}

const DEFAULT_RE = /^(\d+)_([^.]+)\.(up|down)\.sql$/;
const DRIZZLE_RE = /^(\d+)_([^.]+)\.sql$/;
const FOLDER_RE = /^(\d+)_(.+)$/;

/** The up-migrations sorted by version, or the first problem (Encore refuses misnamed .sql files). */
export function listMigrations(dir: string, source: MigrationSource | null = null): { migrations: MigrationFile[] } | { error: string } {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return { error: "migrations directory does not exist" };
  }
  if (!isDir) return { error: "migrations path is not a directory" };
  const migrations: MigrationFile[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (source === "prisma" || source === "drizzle/v1") {
      if (!e.isDirectory() || (source === "drizzle/v1" && e.name === "meta")) continue;
      let hasSql = false;
      try {
        hasSql = statSync(`${dir}/${e.name}/migration.sql`).isFile();
      } catch {
        /* a folder without migration.sql is not a migration */
      }
      if (!hasSql) continue;
      const m = FOLDER_RE.exec(e.name);
      if (!m) return { error: `invalid migration directory name: ${e.name}` };
      migrations.push({ version: Number(m[1]), name: m[2], fileName: `${e.name}/migration.sql` });
      continue;
    }
    if (!e.isFile() || !e.name.endsWith(".sql")) continue; // other files (READMEs) may sit beside them
    if (source === "drizzle") {
      const m = DRIZZLE_RE.exec(e.name);
      if (!m) return { error: `invalid migration filename: ${e.name} (expected e.g. 0000_create_users.sql)` };
      migrations.push({ version: Number(m[1]), name: m[2], fileName: e.name });
      continue;
    }
    const m = DEFAULT_RE.exec(e.name);
    if (!m) return { error: `invalid migration filename: ${e.name} (expected e.g. 1_create_users.up.sql)` };
    if (m[3] === "up") migrations.push({ version: Number(m[1]), name: m[2], fileName: e.name });
  }
  migrations.sort((a, b) => a.version - b.version || (a.fileName < b.fileName ? -1 : 1));
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      return { error: `duplicate migration version ${migrations[i].version}: ${migrations[i - 1].fileName} and ${migrations[i].fileName}` };
    }
  }
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version)) return { error: `migration version too large: ${m.fileName}` };
  }
  return { migrations };
}
