// SQL migrations: `<version>_<name>.up.sql` files in the folder a SQLDatabase names.
import { readdirSync, statSync } from "node:fs";

export interface MigrationFile {
  version: number;
  name: string;
  fileName: string;
}

const MIGRATION_RE = /^(\d+)_([^.]+)\.(up|down)\.sql$/;

/** The up-migrations sorted by version, or the first problem (Encore refuses misnamed .sql files). */
export function listMigrations(dir: string): { migrations: MigrationFile[] } | { error: string } {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return { error: "migrations directory does not exist" };
  }
  if (!isDir) return { error: "migrations path is not a directory" };
  const migrations: MigrationFile[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith(".sql")) continue; // other files (READMEs) may sit beside them
    const m = MIGRATION_RE.exec(e.name);
    if (!m) return { error: `invalid migration filename: ${e.name} (expected e.g. 1_create_users.up.sql)` };
    if (m[3] === "up") migrations.push({ version: Number(m[1]), name: m[2], fileName: e.name });
  }
  migrations.sort((a, b) => a.version - b.version || (a.fileName < b.fileName ? -1 : 1));
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      return { error: `duplicate migration version ${migrations[i].version}: ${migrations[i - 1].fileName} and ${migrations[i].fileName}` };
    }
  }
  return { migrations };
}
