// `npm run bench -- fanout`: WebSocket fan-out of a topic-fed streamOut endpoint, built as War
// Room's live streams work without Redis: POST /events publishes to the durable topic
// `bench-events`, its subscription hands each event to an in-process hub, and every open
// GET /events/stream sends it on. N clients, spread over worker threads so that parsing their
// messages is not one event loop's work, measure receivedAt - sentAt for every (event, client).
// Both ends read Date.now() (the fixture stamps sentAt just before publishing): one machine, one
// wall clock, 1 ms resolution. Phases: warm-up (left out of the figures), steady (--events at
// --rate per second), burst (--burst events posted at once). Every client must receive every
// event exactly once; lost and duplicate deliveries are counted and fail the run.
// Options: --subscribers N (2000), --events N (100), --rate R (10), --burst N (100),
// --warmup N (5), --workers N (2), --settle S (30: how long a phase may take to reach everyone).
import os from "node:os";
import path from "node:path";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { dropFixtureDatabases, fixturePrefix, startFixture, type FixtureServer } from "../testing/fixture-server.ts";
import { writeResults } from "./results.ts";
import { option } from "./options.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/bench");

interface Options {
  subscribers: number;
  events: number;
  rate: number;
  burst: number;
  warmup: number;
  workers: number;
  settleMs: number;
}

function parseOptions(args: string[]): Options {
  return {
    subscribers: Math.floor(option(args, "--subscribers", 2000, 1)),
    events: Math.floor(option(args, "--events", 100, 0)),
    rate: option(args, "--rate", 10, 0.01),
    burst: Math.floor(option(args, "--burst", 100, 0)),
    warmup: Math.floor(option(args, "--warmup", 5, 0)),
    workers: Math.floor(option(args, "--workers", 2, 1)),
    settleMs: option(args, "--settle", 30, 0.1) * 1000,
  };
}

/** A run's events are numbered 0..total-1; each phase is a range of them. */
interface Phase {
  name: "warm-up" | "steady" | "burst";
  from: number;
  to: number; // exclusive
}

type FromWorker =
  | { kind: "ready"; opened: number; failed: number; firstError: string | null }
  | { kind: "got"; seq: number }
  | {
      kind: "report";
      seqs: Int32Array;
      latencies: Float64Array;
      reached: Uint32Array;
      missing: number;
      duplicates: number;
      unexpected: number;
      closedEarly: number;
    };

type Report = Extract<FromWorker, { kind: "report" }>;

// The client side, plain CommonJS evaluated in each worker (tsx does not reach worker threads).
// Per client and event it counts copies, so losses and duplicates are exact; `got` tells the main
// thread when all of this worker's clients have an event.
const CLIENT_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { WebSocket } = require(workerData.wsModule);
const { url, count, total } = workerData;
const seqs = [];
const latencies = [];
const copies = new Uint16Array(count * total);
const reached = new Uint32Array(total);
let opened = 0, failed = 0, unexpected = 0, closedEarly = 0, reporting = false, firstError = null;
const settled = () => {
  if (opened + failed === count) parentPort.postMessage({ kind: "ready", opened, failed, firstError });
};
for (let c = 0; c < count; c++) {
  const ws = new WebSocket(url, ["encore-ws"]);
  let isOpen = false;
  ws.on("open", () => { isOpen = true; opened++; settled(); });
  ws.on("error", (err) => {
    if (isOpen) return;
    failed++;
    firstError = firstError || String(err && err.message || err);
    settled();
  });
  ws.on("close", () => { if (isOpen && !reporting) closedEarly++; });
  ws.on("message", (data) => {
    const receivedAt = Date.now();
    const e = JSON.parse(data.toString());
    if (!Number.isInteger(e.seq) || e.seq < 0 || e.seq >= total) { unexpected++; return; }
    seqs.push(e.seq);
    latencies.push(receivedAt - e.sentAt);
    if (copies[c * total + e.seq]++ === 0 && ++reached[e.seq] === count) parentPort.postMessage({ kind: "got", seq: e.seq });
  });
}
parentPort.on("message", () => {
  reporting = true;
  let missing = 0, duplicates = 0;
  for (let i = 0; i < copies.length; i++) {
    if (copies[i] === 0) missing++;
    else duplicates += copies[i] - 1;
  }
  parentPort.postMessage({ kind: "report", seqs: Int32Array.from(seqs), latencies: Float64Array.from(latencies), reached, missing, duplicates, unexpected, closedEarly });
});
`;

/** Which events have reached every client (each worker reports when all of its clients have one). */
class Progress {
  private readonly workersWith: Uint16Array;
  private waiters: { from: number; to: number; resolve: (all: boolean) => void }[] = [];

  constructor(
    total: number,
    private readonly workers: number,
  ) {
    this.workersWith = new Uint16Array(total);
  }

  got(seq: number): void {
    if (++this.workersWith[seq] < this.workers) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (this.complete(w.from, w.to)) w.resolve(true);
      else this.waiters.push(w);
    }
  }

  private complete(from: number, to: number): boolean {
    for (let s = from; s < to; s++) if (this.workersWith[s] < this.workers) return false;
    return true;
  }

  /** True once events from..to-1 have reached everyone; false if timeoutMs passes first. */
  async waitFor(from: number, to: number, timeoutMs: number): Promise<boolean> {
    if (this.complete(from, to)) return true;
    const ac = new AbortController();
    const reached = new Promise<boolean>((resolve) => this.waiters.push({ from, to, resolve }));
    const timedOut = sleep(timeoutMs, false, { signal: ac.signal }).catch(() => false);
    const all = await Promise.race([reached, timedOut]);
    ac.abort();
    return all;
  }
}

class ClientPool {
  private readonly workers: Worker[] = [];
  private reports: Report[] = [];
  private onReport: (() => void) | null = null;
  private failure: Error | null = null;
  private onFailure: ((err: Error) => void) | null = null;
  readonly progress: Progress;
  readonly threads: number;
  readonly ready: Promise<{ opened: number; failed: number; firstError: string | null }>;

  constructor(url: string, subscribers: number, workerCount: number, total: number) {
    const wsModule = createRequire(import.meta.url).resolve("ws");
    const perWorker = Math.ceil(subscribers / workerCount);
    const counts: number[] = [];
    for (let left = subscribers; left > 0; left -= perWorker) counts.push(Math.min(perWorker, left));
    this.progress = new Progress(total, counts.length);
    this.threads = counts.length;
    let readyCount = 0;
    const summary = { opened: 0, failed: 0, firstError: null as string | null };
    let resolveReady!: (s: typeof summary) => void;
    let rejectReady!: (err: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    for (const count of counts) {
      const worker = new Worker(CLIENT_WORKER, { eval: true, workerData: { url, count, total, wsModule } });
      worker.on("message", (m: FromWorker) => {
        if (m.kind === "ready") {
          summary.opened += m.opened;
          summary.failed += m.failed;
          summary.firstError ??= m.firstError;
          if (++readyCount === counts.length) resolveReady(summary);
        } else if (m.kind === "got") {
          this.progress.got(m.seq);
        } else {
          this.reports.push(m);
          if (this.reports.length === this.workers.length) this.onReport?.();
        }
      });
      // A worker that dies would leave the run waiting: fail it instead.
      worker.on("error", (err) => {
        this.failure ??= err;
        rejectReady(err);
        this.onFailure?.(err);
      });
      this.workers.push(worker);
    }
  }

  async collect(): Promise<Report[]> {
    if (this.failure) throw this.failure;
    this.reports = [];
    const all = new Promise<void>((resolve, reject) => {
      this.onReport = resolve;
      this.onFailure = reject;
    });
    for (const w of this.workers) w.postMessage("report");
    await all;
    return this.reports;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

interface Posted {
  seq: number;
  /** When the bench sent the POST (Date.now()). */
  requestedAt: number;
  /** The event's sentAt, stamped by the endpoint. */
  sentAt: number;
  requestMs: number;
}

async function publish(url: string, seq: number): Promise<Posted> {
  const requestedAt = Date.now();
  const t0 = performance.now();
  const res = await fetch(`${url}/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ seq }) });
  if (!res.ok) throw new Error(`POST /events (seq ${seq}) failed: ${res.status} ${await res.text()}`);
  const { sentAt } = (await res.json()) as { sentAt: number };
  return { seq, requestedAt, sentAt, requestMs: performance.now() - t0 };
}

/** Posts the phase's events at `rate` per second (on schedule, not after the previous returns), or all at once. */
async function publishPhase(url: string, phase: Phase, rate: number | null): Promise<Posted[]> {
  const start = performance.now();
  const posts: Promise<Posted>[] = [];
  for (let seq = phase.from; seq < phase.to; seq++) {
    if (rate !== null) {
      const wait = start + ((seq - phase.from) * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
    }
    posts.push(publish(url, seq));
  }
  return Promise.all(posts);
}

async function waitForListeners(url: string, want: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let count = -1;
  while (Date.now() < deadline) {
    count = ((await (await fetch(`${url}/events/subscribers`)).json()) as { count: number }).count;
    if (count === want) return;
    await sleep(20);
  }
  throw new Error(`only ${count} of ${want} streams listen after ${timeoutMs} ms`);
}

/** CPU seconds (user + system) the process has used so far, from /proc; null where there is none. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ ticks (100 on Linux)
  } catch {
    return null;
  }
}

function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

interface PhaseResult {
  phase: Phase["name"];
  events: number;
  deliveries: number;
  expected: number;
  lost: number;
  latency: { p50: number; p99: number; max: number };
  /** Per event: publish → the last client's receipt. */
  reachAll: { p50: number; p99: number; max: number };
  /** From the bench sending POST /events (so including a request queued behind a busy server) → receipt. */
  fromRequest: { p50: number; p99: number };
  deliveriesPerSecond: number;
  publishRequestMs: { p50: number; p99: number };
  /** The fixture's CPU use over the phase, in cores (1.0 = one core busy throughout). */
  serverCores: number | null;
  wallMs: number;
  complete: boolean;
}

interface PhaseRun {
  phase: Phase;
  posted: Posted[];
  wallMs: number;
  cpu: number | null;
  complete: boolean;
}

function summarize(run: PhaseRun, reports: Report[], subscribers: number): PhaseResult {
  const { phase, posted } = run;
  const sentAt = new Map(posted.map((p) => [p.seq, p.sentAt]));
  // How long the POST took to reach the endpoint's clock stamp, per event.
  const queued = new Map(posted.map((p) => [p.seq, p.sentAt - p.requestedAt]));
  const latencies: number[] = [];
  const fromRequest: number[] = [];
  const slowest = new Map<number, number>();
  let lastReceipt = -Infinity;
  for (const r of reports) {
    for (let i = 0; i < r.seqs.length; i++) {
      const seq = r.seqs[i];
      if (seq < phase.from || seq >= phase.to) continue;
      const lat = r.latencies[i];
      latencies.push(lat);
      fromRequest.push(lat + queued.get(seq)!);
      slowest.set(seq, Math.max(slowest.get(seq) ?? -Infinity, lat));
      lastReceipt = Math.max(lastReceipt, sentAt.get(seq)! + lat);
    }
  }
  let lost = 0;
  for (let seq = phase.from; seq < phase.to; seq++) lost += subscribers - reports.reduce((n, r) => n + r.reached[seq], 0);
  const sortedLat = Float64Array.from(latencies).sort();
  const sortedReach = Float64Array.from(slowest.values()).sort();
  const sortedFromReq = Float64Array.from(fromRequest).sort();
  const sortedReq = Float64Array.from(posted.map((p) => p.requestMs)).sort();
  const firstSent = Math.min(...posted.map((p) => p.sentAt));
  const spanMs = lastReceipt - firstSent;
  const events = phase.to - phase.from;
  return {
    phase: phase.name,
    events,
    deliveries: latencies.length,
    expected: events * subscribers,
    lost,
    latency: { p50: quantile(sortedLat, 0.5), p99: quantile(sortedLat, 0.99), max: sortedLat[sortedLat.length - 1] ?? NaN },
    reachAll: { p50: quantile(sortedReach, 0.5), p99: quantile(sortedReach, 0.99), max: sortedReach[sortedReach.length - 1] ?? NaN },
    fromRequest: { p50: quantile(sortedFromReq, 0.5), p99: quantile(sortedFromReq, 0.99) },
    deliveriesPerSecond: spanMs > 0 ? Math.round(latencies.length / (spanMs / 1000)) : NaN,
    publishRequestMs: { p50: quantile(sortedReq, 0.5), p99: quantile(sortedReq, 0.99) },
    serverCores: run.cpu === null ? null : run.cpu / (run.wallMs / 1000),
    wallMs: run.wallMs,
    complete: run.complete,
  };
}

function printTable(results: PhaseResult[]): void {
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-");
  const header = [
    "phase",
    "events",
    "deliveries",
    "lost",
    "latency p50/p99/max ms",
    "reach-all p50/p99/max ms",
    "from POST p50/p99 ms",
    "deliveries/s",
    "POST p50/p99 ms",
    "server CPU",
  ];
  const rows = results.map((r) => [
    r.phase,
    String(r.events),
    `${r.deliveries}/${r.expected}`,
    String(r.lost),
    `${ms(r.latency.p50)} / ${ms(r.latency.p99)} / ${ms(r.latency.max)}`,
    `${ms(r.reachAll.p50)} / ${ms(r.reachAll.p99)} / ${ms(r.reachAll.max)}`,
    `${ms(r.fromRequest.p50)} / ${ms(r.fromRequest.p99)}`,
    Number.isFinite(r.deliveriesPerSecond) ? r.deliveriesPerSecond.toLocaleString("en-US") : "-",
    `${r.publishRequestMs.p50.toFixed(1)} / ${r.publishRequestMs.p99.toFixed(1)}`,
    r.serverCores === null ? "-" : `${Math.round(r.serverCores * 100)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  process.stdout.write(`${line(header)}\n${rows.map(line).join("\n")}\n`);
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

export async function runFanout(root: string, args: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(args);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const phases: Phase[] = [];
  let next = 0;
  for (const [name, n] of [
    ["warm-up", opts.warmup],
    ["steady", opts.events],
    ["burst", opts.burst],
  ] as const) {
    if (n > 0) phases.push({ name, from: next, to: (next += n) });
  }
  const total = next;
  const loadBefore = load();
  const prefix = fixturePrefix();
  let server: FixtureServer | null = null;
  let clients: ClientPool | null = null;
  try {
    server = await startFixture(APP, prefix, { WARROOM_CRON: "off" });
    const t0 = performance.now();
    clients = new ClientPool(`ws://127.0.0.1:${server.port}/events/stream`, opts.subscribers, opts.workers, total);
    const ready = await clients.ready;
    if (ready.failed > 0) throw new Error(`${ready.failed} of ${opts.subscribers} clients could not connect: ${ready.firstError}`);
    await waitForListeners(server.url, opts.subscribers, 30_000);
    const connectMs = performance.now() - t0;

    const runs: PhaseRun[] = [];
    for (const phase of phases) {
      const cpu0 = cpuSeconds(server.proc.pid);
      const start = performance.now();
      const posted = await publishPhase(server.url, phase, phase.name === "burst" ? null : opts.rate);
      // Phases do not overlap: the next starts once this one reached everyone (or settle ran out).
      const complete = await clients.progress.waitFor(phase.from, phase.to, opts.settleMs);
      const cpu1 = cpuSeconds(server.proc.pid);
      runs.push({ phase, posted, wallMs: performance.now() - start, cpu: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, complete });
    }
    const reports = await clients.collect();

    const results = runs.map((run) => summarize(run, reports, opts.subscribers));
    const lost = reports.reduce((n, r) => n + r.missing, 0);
    const duplicates = reports.reduce((n, r) => n + r.duplicates, 0);
    const unexpected = reports.reduce((n, r) => n + r.unexpected, 0);
    const disconnected = reports.reduce((n, r) => n + r.closedEarly, 0);

    process.stdout.write(
      `WebSocket fan-out: ${opts.subscribers} streamOut subscribers of GET /events/stream, fed by POST /events → topic bench-events → subscription → in-process hub\n` +
        `  ${total} events: ${opts.warmup} warm-up and ${opts.events} steady at ${opts.rate}/s, then a burst of ${opts.burst} posted at once; ` +
        `clients in ${clients.threads} worker threads, connected in ${connectMs.toFixed(0)} ms\n\n`,
    );
    printTable(results.filter((r) => r.phase !== "warm-up"));
    process.stdout.write(
      `\nlatency: publish (sentAt, stamped by POST /events before Topic.publish) → receipt by a client, every (event, client); ` +
        `reach-all: per event, publish → the last client's receipt; from POST: the bench sending POST /events → receipt\n` +
        `exactly once: ${lost} lost, ${duplicates} duplicate, ${unexpected} unexpected deliveries; ${disconnected} clients disconnected` +
        (runs.some((r) => !r.complete) ? `; a phase did not reach everyone within ${opts.settleMs / 1000} s` : "") +
        `\nnode ${process.version}, ${os.cpus().length} CPUs, load average (1/5/15 min) before ${loadBefore}, after ${load()}\n`,
    );

    writeResults(root, "fanout", { options: opts, connectMs, results, lost, duplicates, unexpected, disconnected, loadBefore, loadAfter: load() });
    return lost + duplicates + unexpected + disconnected > 0 ? 1 : 0;
  } finally {
    await clients?.close();
    await server?.stop();
    await dropFixtureDatabases(prefix);
  }
}
