// Creating databases on a server: one per SQLDatabase, named as Encore names it locally (after
// the SQLDatabase's name). A server URL names no database; admin work happens in the server's
// maintenance database, "postgres" (or the database the URL names, when it names one).
import postgres from "postgres";

/** The URL of database `name` on the server at `serverUrl` (credentials and options kept). */
export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** The server URL without a database. */
export function serverUrlOf(url: string): string {
  const u = new URL(url);
  u.pathname = "";
  return u.toString();
}

function maintenanceUrl(serverUrl: string): string {
  const u = new URL(serverUrl);
  if (u.pathname === "" || u.pathname === "/") u.pathname = "/postgres";
  return u.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Runs `fn` on one connection to the server's maintenance database. */
export async function withAdmin<T>(serverUrl: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(maintenanceUrl(serverUrl), {
    max: 1,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: "warroom:admin" },
  });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Postgres error codes that mean another session created the same database first. */
const ALREADY_CREATED = new Set(["42P04", "23505"]); // duplicate_database; unique_violation on pg_database
const OBJECT_IN_USE = "55006"; // "source database ... is being accessed by other users"

export function pgCode(e: unknown): string | undefined {
  return e instanceof postgres.PostgresError ? e.code : undefined;
}

export async function databaseExists(sql: postgres.Sql, name: string): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
  return rows.length > 0;
}

/** Retries `op` while Postgres answers "object in use", for up to `timeoutMs`. */
export async function retryWhileInUse<T>(op: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await op();
    } catch (e) {
      if (pgCode(e) !== OBJECT_IN_USE || Date.now() + delay > deadline) throw e;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * Creates database `name` unless it exists. Safe when several processes race to create it:
 * whoever loses sees "already exists" and takes that as success.
 */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, async (sql) => {
    if (await databaseExists(sql, name)) return;
    try {
      // CREATE DATABASE copies template1, which refuses while another session is connected to it.
      await retryWhileInUse(() => sql.unsafe(`CREATE DATABASE ${quoteIdent(name)}`));
    } catch (e) {
      if (!ALREADY_CREATED.has(pgCode(e) ?? "")) throw e;
    }
  });
}
