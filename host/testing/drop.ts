// Dropping a run's databases, several at a time. A DROP DATABASE waits for a checkpoint (0.2 to
// 0.4 s on a disk that syncs, busier when other work runs), and checkpoints requested together are
// served by one: 24 drops took 5 s one after the other, 2.4 s four at a time and 1.2 s twelve at a
// time here. A run clones over a hundred databases; its teardown took half a minute four at a time.
import { quoteIdent, withAdmin } from "../db/provision.ts";

/** Escapes LIKE's wildcards so a prefix matches literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Drops every database named `prefix…` that is not a template (templates are kept for the next run),
 * ending its sessions (WITH (FORCE)), `concurrency` at a time (each on its own connection: while
 * tests run, keep it low). Returns the names dropped.
 */
export async function dropDatabasesByPrefix(serverUrl: string, prefix: string, concurrency = 4): Promise<string[]> {
  const names = await withAdmin(serverUrl, async (sql) => {
    const rows = await sql<
      { datname: string }[]
    >`SELECT datname FROM pg_database WHERE datname LIKE ${likePrefix(prefix)} AND NOT datistemplate ORDER BY datname`;
    return rows.map((r) => r.datname);
  });
  const queue = [...names];
  const worker = () =>
    withAdmin(serverUrl, async (sql) => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      }
    });
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  return names;
}
