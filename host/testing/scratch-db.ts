// Test support: a fresh database per test file on the test run's server, dropped afterwards (and by
// the run's teardown if the file is killed first; see host/testing/services.ts).
import postgres, { type Sql } from "postgres";
import { testDatabaseName, testServerUrl } from "./services.ts";

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  /** A new client on the same database (another "process" as far as Postgres is concerned). */
  connect(max?: number): Sql;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = testDatabaseName(label);
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(server);
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
