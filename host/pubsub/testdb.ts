// Test support: a fresh database per test file (prefix h4_, dropped afterwards) and polling with a deadline.
import { randomBytes } from "node:crypto";
import postgres, { type Sql } from "postgres";

const SERVER_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  /** A new client on the same database (another "process" as far as Postgres is concerned). */
  connect(max?: number): Sql;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `h4_${label}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const clients: Sql[] = [];
  const connect = (max = 10) => {
    const c = postgres(url.toString(), { max, onnotice: () => {} });
    clients.push(c);
    return c;
  };
  const sql = connect();
  return {
    name,
    url: url.toString(),
    sql,
    connect,
    async drop() {
      await Promise.all(clients.map((c) => c.end({ timeout: 1 })));
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end({ timeout: 1 });
    },
  };
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A logger that keeps what it was told, for assertions. */
export function recordingLog() {
  const entries: { level: "info" | "warn" | "error"; msg: string; f?: object }[] = [];
  return {
    entries,
    info: (msg: string, f?: object) => void entries.push({ level: "info", msg, f }),
    warn: (msg: string, f?: object) => void entries.push({ level: "warn", msg, f }),
    error: (msg: string, f?: object) => void entries.push({ level: "error", msg, f }),
  };
}
