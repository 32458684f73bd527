// Starts an Encore app (a fixture) on our runtime in a child process, as `npm start` would, on a
// free port and with its own database names, for tests that talk to it over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { dropDatabasesByPrefix } from "./drop.ts";
import { testServerUrl } from "./services.ts";

const BIN = path.resolve(import.meta.dirname, "../bin.mjs");

export interface FixtureServer {
  url: string;
  port: number;
  /** The ops port's base URL (the runtime's own pages), when it listens. */
  opsUrl: string | null;
  proc: ChildProcess;
  logs: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The test run's PostgreSQL server (host/testing/services.ts). */
export function serverUrl(): string {
  return testServerUrl();
}

export const FIXTURE_DB_PREFIX = "wfx_";

/** A unique database-name prefix for one fixture run; drop its databases with dropFixtureDatabases. */
export function fixturePrefix(): string {
  return `${FIXTURE_DB_PREFIX}${randomBytes(3).toString("hex")}_`;
}

export async function dropFixtureDatabases(prefix: string): Promise<void> {
  await dropDatabasesByPrefix(serverUrl(), prefix);
}

export interface RunResult {
  code: number | null;
  output: string;
}

function childEnv(prefix: string, env: Record<string, string>): NodeJS.ProcessEnv {
  // Pools of 4: several fixture servers and test processes share the server's max_connections.
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: serverUrl(),
    WARROOM_DB_PREFIX: prefix,
    PORT: "0",
    WARROOM_OPS_PORT: "0",
    WARROOM_LOG_LEVEL: "info",
    WARROOM_DB_POOL_SIZE: "4",
    ...env,
  };
  // The child is a serving process on our runtime, not a test process.
  delete e.NODE_ENV;
  delete e.VITEST;
  delete e.ENCORE_RUNTIME_LIB;
  return e;
}

/** Starts the app and waits until it listens (or exits, which rejects with its output). */
export function startFixture(root: string, prefix: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<FixtureServer> {
  // Readiness is the info-level "listening on" line.
  if (env.WARROOM_LOG_LEVEL && !["trace", "debug", "info"].includes(env.WARROOM_LOG_LEVEL)) {
    return Promise.reject(new Error('startFixture needs WARROOM_LOG_LEVEL at info or below: it waits for the "listening on" line'));
  }
  const proc = spawn(process.execPath, [BIN, "start", "--root", root], { env: childEnv(prefix, env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`fixture did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.stdout!.off("data", onData);
        proc.stdout!.on("data", (c: Buffer) => (out += c.toString()));
        const port = Number(m[1]);
        // Logged before the "listening on" line.
        const ops = /ops dashboard at (http:\/\/\S+?)\/_dev/.exec(out);
        const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
        resolve({
          url: `http://127.0.0.1:${port}`,
          port,
          opsUrl: ops ? ops[1].replace("//localhost:", "//127.0.0.1:") : null,
          proc,
          logs: () => out,
          stop: async (signal = "SIGTERM") => {
            if (proc.exitCode === null) proc.kill(signal);
            return exited;
          },
        });
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", (b: Buffer) => (out += b.toString()));
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`fixture exited with ${code} before listening:\n${out}`), { code, output: out }));
    });
  });
}

/** Runs the app until it exits on its own (e.g. a failing start-up). */
export function runFixtureToExit(root: string, prefix: string, env: Record<string, string> = {}): Promise<RunResult> {
  const proc = spawn(process.execPath, [BIN, "start", "--root", root], { env: childEnv(prefix, env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  proc.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  return new Promise((resolve) => proc.once("exit", (code) => resolve({ code, output })));
}
