import { defineConfig } from "vitest/config";
import path from "node:path";
import LongestFirst from "./host/testing/sequencer.ts";

const root = import.meta.dirname;
// Under `encore test` the Encore CLI sets ENCORE_RUNTIME_LIB (its native runtime) and generates
// encore.gen itself; otherwise the tests run on our runtime and the global setup generates it.
const ownRuntime = !process.env.ENCORE_RUNTIME_LIB;

export default defineConfig({
  // `~encore` resolves to the generated folder, as Encore's docs recommend (the same under `encore test`).
  resolve: {
    alias: { "~encore": path.resolve(root, "./encore.gen") },
  },
  test: {
    pool: "forks",
    // Four files at a time, also on a 2-core machine (where Vitest's default is one): much of a
    // file's time is spent waiting (for a started app, PostgreSQL, a child process, a lease to run
    // out), not computing; host/ took 108 s with three and 88 s with four, for the same CPU time.
    // A test process and the app it starts each keep inside their connection budget
    // (WARROOM_DB_MAX_CONNECTIONS); a whole run peaked at 55 connections of max_connections = 100.
    // `npx vitest run --maxWorkers=1` runs one file at a time.
    maxWorkers: 4,
    // The longest files first, so that the last to finish is a short one (host/testing/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/testdata/**", "encore.gen/**", ".data/**"],
    globalSetup: ["./host/testing/global-setup.ts"],
    env: {
      ...(ownRuntime ? { ENCORE_RUNTIME_LIB: path.join(root, "host/runtime/napi.cjs"), WARROOM_OWN_RUNTIME: "1" } : {}),
      WARROOM_APP_ROOT: root,
      // Test-only secrets: a cheap bcrypt cost (honoured outside production only) and a signing key.
      BCRYPT_COST: "4",
      JWT_SECRET: "test-only-jwt-secret-at-least-32-bytes-long",
    },
    // expect.poll waits up to 10 s by default (Vitest's 1 s is short on a loaded 2-core machine);
    // a passing poll returns as soon as it holds, so only a failure waits that long.
    expect: { poll: { timeout: 10_000 } },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
