// Vitest global setup: generate encore.gen (unless Encore's CLI already did, under `encore test`),
// make sure a PostgreSQL server is there (DATABASE_URL, else an embedded one), prepare the migrated
// templates that each test process clones, and drop this run's clones at the end.
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ensureGenerated } from "../codegen/index.ts";
import { startDatabaseServer } from "../db/server.ts";
import { prepareTemplate, dropStaleTestDatabases } from "../db/testtemplates.ts";
import { Logger, LogLevel } from "../runtime/log.ts";
import { TEST_DB_PREFIX } from "../runtime/databases.ts";
import { FIXTURE_DB_PREFIX } from "./fixture-server.ts";
import { dropDatabasesByPrefix } from "./drop.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export default async function setup(): Promise<() => Promise<void>> {
  const log = new Logger(LogLevel.Warn);
  if (process.env.WARROOM_OWN_RUNTIME === "1" || !process.env.ENCORE_RUNTIME_LIB) {
    const { diagnostics } = ensureGenerated(ROOT);
    if (diagnostics.length > 0) {
      throw new Error(`the app does not pass the parser:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join("\n")}`);
    }
  }
  const server = await startDatabaseServer({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: path.join(ROOT, ".data", "test-postgres"),
    log: (level, msg) => log[level](msg),
  });
  process.env.DATABASE_URL = server.url;
  const run = randomBytes(3).toString("hex");
  process.env.WARROOM_TEST_RUN = run;
  // Clones and fixture databases left behind by killed runs more than an hour ago.
  await dropStaleTestDatabases(server.url, TEST_DB_PREFIX, 3600_000).catch(() => []);
  await dropStaleTestDatabases(server.url, FIXTURE_DB_PREFIX, 3600_000).catch(() => []);

  // Build the templates once here, so parallel test processes only clone.
  const { loadMeta } = await import("../runtime/config.ts");
  const meta = loadMeta(ROOT);
  const prefix = process.env.WARROOM_DB_PREFIX ?? "";
  await Promise.all(
    meta.databases.map((d) =>
      prepareTemplate(
        server.url,
        prefix + d.name,
        d.migrations.map((m) => ({ ...m, file: path.resolve(ROOT, m.file), nonSequential: d.nonSequentialMigrations })),
      ),
    ),
  );

  return async () => {
    const t0 = performance.now();
    // Nothing else of this run is connected any more: twelve at a time (host/testing/drop.ts).
    const dropped = await dropDatabasesByPrefix(server.url, `${TEST_DB_PREFIX}${run}_`, 12).catch(() => []);
    console.log(`dropped this run's ${dropped.length} test databases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await server.stop();
  };
}
