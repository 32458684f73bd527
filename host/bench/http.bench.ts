// `npm run bench` (no name): our runtime against a bare node:http + pg server doing the same work,
// in the same run, on the same database, both serving the fixture app host/testdata/bench:
// requests/s and p50/p99 latency at 64 connections for a trivial endpoint and for one that reads a
// row. Options: --duration S (default 10), --connections N (64).
import path from "node:path";
import { spawn } from "node:child_process";
import postgres from "postgres";
import autocannon from "autocannon";
import { databaseUrl } from "../db/provision.ts";
import { dropFixtureDatabases, fixturePrefix, serverUrl, startFixture } from "../testing/fixture-server.ts";
import { writeResults } from "./results.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/bench");
const ROWS = 10_000;
const POOL = 10;

interface Result {
  target: string;
  endpoint: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

function load(url: string, pathFor: () => string, duration: number, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, pipelining: 1, requests: [{ setupRequest: (req) => ({ ...req, path: pathFor() }) }] }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

function startBare(dbUrl: string): Promise<{ url: string; stop: () => void }> {
  const proc = spawn(process.execPath, [path.join(import.meta.dirname, "bare.mjs")], {
    env: { ...process.env, BENCH_DB_URL: dbUrl, BENCH_POOL_SIZE: String(POOL) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (b: Buffer) => {
      const m = /localhost:(\d+)/.exec(b.toString());
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stop: () => proc.kill("SIGTERM") });
    });
    proc.once("exit", (c) => reject(new Error(`bare server exited with ${c}`)));
  });
}

export async function runHttpBench(root: string, args: string[]): Promise<number> {
  const duration = arg(args, "--duration", 10);
  const connections = arg(args, "--connections", 64);
  const prefix = fixturePrefix();
  const ours = await startFixture(APP, prefix, { WARROOM_CRON: "off", WARROOM_DB_POOL_SIZE: String(POOL) });
  const dbUrl = databaseUrl(serverUrl(), `${prefix}bench`);
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  await sql`INSERT INTO items (id, name, price) SELECT g, 'item ' || g, g * 3 FROM generate_series(1, ${ROWS}) g`;
  await sql.end();
  const bare = await startBare(dbUrl);
  let n = 0;
  const randomItem = () => `/items/${(n++ % ROWS) + 1}`;
  const results: Result[] = [];
  try {
    // Same responses from both, or the comparison means nothing.
    for (const p of ["/hello", "/items/7"]) {
      const [a, b] = await Promise.all([fetch(ours.url + p).then((r) => r.text()), fetch(bare.url + p).then((r) => r.text())]);
      if (a !== b) throw new Error(`responses differ for ${p}:\n  ours: ${a}\n  bare: ${b}`);
    }
    const targets = [
      ["war-room runtime", ours.url],
      ["bare node:http+pg", bare.url],
    ] as const;
    const endpoints = [
      ["GET /hello", () => "/hello"],
      ["GET /items/:id (1 row)", randomItem],
    ] as const;
    for (const [endpoint, pathFor] of endpoints) {
      for (const [target, url] of targets) {
        await load(url, pathFor, 2, connections); // warm-up
        const r = await load(url, pathFor, duration, connections);
        results.push({ target, endpoint, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx });
        process.stdout.write(
          `${endpoint.padEnd(24)} ${target.padEnd(20)} ${String(Math.round(r.requests.average)).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  errors ${r.errors + r.non2xx}\n`,
        );
      }
    }
  } finally {
    bare.stop();
    await ours.stop();
    await dropFixtureDatabases(prefix);
  }
  process.stdout.write(`\n${connections} connections, ${duration} s per run, pool ${POOL}, node ${process.version}\n`);
  for (const [endpoint] of [["GET /hello"], ["GET /items/:id (1 row)"]]) {
    const o = results.find((r) => r.endpoint === endpoint && r.target.startsWith("war-room"))!;
    const b = results.find((r) => r.endpoint === endpoint && r.target.startsWith("bare"))!;
    process.stdout.write(`${endpoint}: ours / bare = ${(o.rps / b.rps).toFixed(2)} (target >= 0.70)\n`);
  }
  writeResults(root, "http", results);
  return results.some((r) => r.errors + r.non2xx > 0) ? 1 : 0;
}
