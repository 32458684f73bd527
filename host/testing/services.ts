// Where a test finds PostgreSQL and Redis. The global setup (host/testing/global-setup.ts) gives every
// test process one PostgreSQL server through DATABASE_URL: the one the caller named, else an embedded
// server it started. No test connects to an address of its own, so the suite passes on a machine with
// nothing but Node. Redis is only ever the one REDIS_URL names; tests that need a real one are skipped,
// with the reason printed, when it is unset.
import { randomBytes } from "node:crypto";
import { TEST_DB_PREFIX } from "../runtime/databases.ts";

/** The PostgreSQL server of this test run (a server URL; any database in its path is ignored by callers). */
export function testServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is unset: run tests through vitest, whose global setup (host/testing/global-setup.ts) provides the PostgreSQL server");
  }
  return url;
}

/**
 * A fresh name for a scratch database, under this run's prefix: the run's teardown drops every database
 * so named, and a later run drops those a killed run left behind.
 */
export function testDatabaseName(label: string): string {
  const run = process.env.WARROOM_TEST_RUN ?? "x";
  // Postgres truncates identifiers at 63 bytes: the unique parts come first.
  return `${TEST_DB_PREFIX}${run}_${randomBytes(4).toString("hex")}_${label}`.slice(0, 63);
}

/**
 * REDIS_URL for tests that need a real Redis, or undefined after printing that `what` is skipped.
 * Use as `describe.skipIf(!url)(...)`.
 */
export function redisForTests(what: string): string | undefined {
  const url = process.env.REDIS_URL || undefined;
  if (!url) console.warn(`skipped: ${what} (needs a real Redis; REDIS_URL is unset)`);
  return url;
}
