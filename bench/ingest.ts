// `npm run bench -- ingest`: War Room's mention pipeline, the app started as `npm start` starts it
// (real Postgres; Redis for the live bus when REDIS_URL is set). Three measurements:
//   1. ingest: mentions/s through POST /api/v1/monitoring/ingest in batches of 1000 (validated,
//      sentiment scored where absent, de-duplicated, stored in one statement, one data-stream message
//      per batch), against the same rows loaded by raw COPY into the same table of the same server
//      in the same run, with the same concurrency and chunk size; both figures and their ratio.
//      Also: how long after the last ingest the crisis detector had taken every batch.
//   2. fan-out: N WebSocket subscribers on one campaign's /ws/campaigns/:id/stream (clients spread
//      over worker threads, as in host/bench/fanout.bench.ts); small ingest calls at a steady rate; latency from the
//      ingest call to receipt, for every (batch, subscriber), and to the last subscriber per batch.
//   3. detection: a campaign with an hour of ordinary history, then a scandal burst (400 angry
//      mentions over two minutes, docs/crisis-cases.md "cold-start"/"scandal"); time from the burst's ingest
//      call to the CRISIS message on the campaign's stream; several trials.
// Options: --mentions N (100000), --concurrency N (4), --subscribers N (2000), --events N (50),
// --rate R (5 per second), --fanout-batch N (10 mentions), --workers N (2), --trials N (20).
import os from "node:os";
import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import postgres from "postgres";
import { WebSocket } from "ws";
import { databaseUrl } from "../host/db/provision.ts";
import { dropFixtureDatabases, fixturePrefix, serverUrl, startFixture, type FixtureServer } from "../host/testing/fixture-server.ts";
import { writeResults } from "../host/bench/results.ts";
import { option } from "../host/bench/options.ts";

interface Options {
  mentions: number;
  concurrency: number;
  subscribers: number;
  events: number;
  rate: number;
  fanoutBatch: number;
  workers: number;
  trials: number;
}

function parseOptions(args: string[]): Options {
  return {
    mentions: Math.floor(option(args, "--mentions", 100_000, 1000)),
    concurrency: Math.floor(option(args, "--concurrency", 4, 1)),
    subscribers: Math.floor(option(args, "--subscribers", 2000, 1)),
    events: Math.floor(option(args, "--events", 50, 1)),
    rate: option(args, "--rate", 5, 0.1),
    fanoutBatch: Math.floor(option(args, "--fanout-batch", 10, 1)),
    workers: Math.floor(option(args, "--workers", 2, 1)),
    trials: Math.floor(option(args, "--trials", 20, 1)),
  };
}

const quantile = (sorted: ArrayLike<number>, p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
const sortNumbers = (xs: number[]) => Float64Array.from(xs).sort();

// --- the app ---

class App {
  token = "";
  constructor(readonly server: FixtureServer) {}

  async call(method: string, p: string, body?: unknown): Promise<any> {
    const res = await fetch(this.server.url + p, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  }

  async campaign(name: string): Promise<string> {
    const c = await this.call("POST", "/api/v1/campaigns", {
      name,
      description: "benchmark",
      startDate: "2026-01-01T00:00:00Z",
      endDate: "2027-01-01T00:00:00Z",
      budget: 1000,
      targetAudience: {
        demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "", education: "" },
        interests: [],
        locations: [],
        platforms: [],
      },
    });
    return c.id;
  }
}

// --- mentions ---

const PLATFORMS = ["twitter", "facebook", "instagram", "news", "reddit", "tiktok"];
const PHRASES = [
  "Rivera spoke about jobs and healthcare at the Columbus town hall tonight",
  "Not sure what to make of the new Rivera ad on energy prices, thoughts?",
  "Great turnout for Alex Rivera in Dayton, the crowd loved the plan for schools",
  "Rivera dodged the question on infrastructure again, disappointing answer",
  "Jordan Blake and Rivera trade blows over small business taxes in Toledo",
  "Volunteers for #Rivera2026 knocking on doors all weekend in Akron",
];

interface BenchMention {
  id: string;
  text: string;
  author: string;
  platform: string;
  url: string;
  sentiment?: number;
  reach: number;
  engagement: number;
  timestamp: string;
  language: string;
}

function benchMention(tag: string, i: number, at: number): BenchMention {
  const m: BenchMention = {
    id: `${tag}-${i}`,
    text: `${PHRASES[i % PHRASES.length]} (${tag} #${i})`,
    author: `user${i % 997}`,
    platform: PLATFORMS[i % PLATFORMS.length],
    url: `https://example.org/${tag}/${i}`,
    reach: 100 + ((i * 7919) % 5000),
    engagement: (i * 31) % 200,
    timestamp: new Date(at - (i % 600) * 100).toISOString(),
    language: "en",
  };
  // Half the sources give sentiment; the other half is scored by the lexicon.
  if (i % 2 === 0) m.sentiment = (((i * 37) % 200) - 100) / 100;
  return m;
}

// --- 1. ingest vs COPY ---

interface IngestFigures {
  mentions: number;
  batches: number;
  ingestSeconds: number;
  ingestPerSecond: number;
  batchMs: { p50: number; p99: number };
  detectorCaughtUpMs: number | null;
  copySeconds: number;
  copyPerSecond: number;
  ratio: number;
}

/** Text format of COPY: tab-separated, backslash escapes, \N for NULL. */
function copyField(v: string | number | boolean | null): string {
  if (v === null) return "\\N";
  return String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function measureIngest(app: App, sql: postgres.Sql, o: Options): Promise<IngestFigures> {
  const campaignId = await app.campaign("Ingest benchmark");
  const at = Date.now();
  // Warm-up (left out): the endpoint, the statements, the detector's first state.
  for (let w = 0; w < 3; w++) {
    await app.call("POST", "/api/v1/monitoring/ingest", { campaignId, mentions: Array.from({ length: 1000 }, (_, i) => benchMention(`warm${w}`, i, at)) });
  }
  const batches = Math.ceil(o.mentions / 1000);
  // Bodies are serialised before the clock starts: the client's work is not the server's.
  const bodies = Array.from({ length: batches }, (_, b) =>
    JSON.stringify({ campaignId, mentions: Array.from({ length: 1000 }, (_, i) => benchMention(`b${b}`, i, at)) }),
  );
  const batchMs: number[] = [];
  const t0 = performance.now();
  await runPool(bodies, o.concurrency, async (body) => {
    const s = performance.now();
    const r = await app.call("POST", "/api/v1/monitoring/ingest", body);
    if (r.accepted !== 1000) throw new Error(`a batch was not accepted whole: ${JSON.stringify(r)}`);
    batchMs.push(performance.now() - s);
  });
  const ingestSeconds = (performance.now() - t0) / 1000;
  // The detector works behind the stream: how long until it had taken every batch.
  let detectorCaughtUpMs: number | null = null;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const [{ n }] = await sql`SELECT count(*)::int AS n FROM detector_batches WHERE campaign_id = ${campaignId}`;
    if (n >= batches + 3) {
      detectorCaughtUpMs = performance.now() - t0 - ingestSeconds * 1000;
      break;
    }
    await sleep(20);
  }

  // The same rows by COPY into the same table (another campaign id, fresh ids: nothing conflicts).
  const copyCampaign = randomUUID();
  const chunks = Array.from({ length: batches }, (_, b) => {
    const batchId = randomUUID();
    let text = "";
    for (let i = 0; i < 1000; i++) {
      const m = benchMention(`c${b}`, i, at);
      text += `${[
        randomUUID(),
        copyCampaign,
        m.id,
        m.text,
        m.author,
        m.platform,
        m.url,
        m.sentiment ?? 0,
        m.sentiment === undefined,
        m.reach,
        m.engagement,
        m.timestamp,
        null,
        m.language,
        batchId,
      ]
        .map(copyField)
        .join("\t")}\n`;
    }
    return text;
  });
  const c0 = performance.now();
  await runPool(chunks, o.concurrency, async (chunk) => {
    const writable =
      await sql`COPY mentions (id, campaign_id, source_id, text, author, platform, url, sentiment, sentiment_scored, reach, engagement, timestamp, location, language, batch_id) FROM STDIN`.writable();
    await new Promise<void>((resolve, reject) => {
      writable.on("error", reject);
      writable.on("finish", resolve);
      writable.end(chunk);
    });
  });
  const copySeconds = (performance.now() - c0) / 1000;
  const mentions = batches * 1000;
  const sorted = sortNumbers(batchMs);
  return {
    mentions,
    batches,
    ingestSeconds,
    ingestPerSecond: Math.round(mentions / ingestSeconds),
    batchMs: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) },
    detectorCaughtUpMs,
    copySeconds,
    copyPerSecond: Math.round(mentions / copySeconds),
    ratio: mentions / ingestSeconds / (mentions / copySeconds),
  };
}

// --- 2. fan-out ---

// Each worker opens its share of the subscribers (plain CommonJS: tsx does not reach worker threads),
// waits for each one's first HEARTBEAT (its session is then listening), and records, per batch seq
// (from the mention ids "fan-<seq>-<i>"), when each client received it.
const CLIENT_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { WebSocket } = require(workerData.wsModule);
const { url, count, total } = workerData;
const copies = new Uint16Array(count * total);
const received = new Float64Array(count * total);
const reached = new Uint32Array(total);
let ready = 0, failed = 0, closedEarly = 0, reporting = false, firstError = null;
const settled = () => { if (ready + failed === count) parentPort.postMessage({ kind: "ready", ready, failed, firstError }); };
for (let c = 0; c < count; c++) {
  const ws = new WebSocket(url, ["encore-ws"]);
  let live = false;
  ws.on("error", (err) => { if (live) return; failed++; firstError = firstError || String(err && err.message || err); settled(); });
  ws.on("close", () => { if (live && !reporting) closedEarly++; });
  ws.on("message", (data) => {
    const at = Date.now();
    const e = JSON.parse(data.toString());
    if (e.type === "HEARTBEAT" && !live) { live = true; ready++; settled(); return; }
    if (e.type !== "MENTION" || !e.data || e.data.kind !== "mentions") return;
    const m = /^fan-(\\d+)-/.exec(e.data.mentions[0].id);
    if (!m) return;
    const seq = Number(m[1]);
    const k = c * total + seq;
    if (copies[k]++ === 0) {
      received[k] = at;
      if (++reached[seq] === count) parentPort.postMessage({ kind: "got", seq });
    }
  });
}
parentPort.on("message", () => {
  reporting = true;
  let missing = 0, duplicates = 0;
  for (let i = 0; i < copies.length; i++) { if (copies[i] === 0) missing++; else duplicates += copies[i] - 1; }
  parentPort.postMessage({ kind: "report", received, count, missing, duplicates, closedEarly });
});
`;

interface FanoutFigures {
  subscribers: number;
  events: number;
  connectMs: number;
  latency: { p50: number; p99: number; max: number };
  reachAll: { p50: number; p99: number; max: number };
  ingestCallMs: { p50: number; p99: number };
  lost: number;
  duplicates: number;
  disconnected: number;
}

async function measureFanout(app: App, o: Options): Promise<FanoutFigures> {
  const campaignId = await app.campaign("Fan-out benchmark");
  const url = `ws://127.0.0.1:${app.server.port}/ws/campaigns/${campaignId}/stream?token=${app.token}`;
  const wsModule = createRequire(import.meta.url).resolve("ws");
  const perWorker = Math.ceil(o.subscribers / o.workers);
  const counts: number[] = [];
  for (let left = o.subscribers; left > 0; left -= perWorker) counts.push(Math.min(perWorker, left));
  const total = o.events;
  const workersWith = new Uint16Array(total);
  const waiters = new Map<number, () => void>();
  const reports: { received: Float64Array; count: number; missing: number; duplicates: number; closedEarly: number }[] = [];
  let onReports: (() => void) | null = null;
  let readyCount = 0;
  let resolveReady!: (v: { ready: number; failed: number; firstError: string | null }) => void;
  let rejectReady!: (e: Error) => void;
  const readySummary = { ready: 0, failed: 0, firstError: null as string | null };
  const ready = new Promise<typeof readySummary>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const t0 = performance.now();
  const workers = counts.map((count) => {
    const w = new Worker(CLIENT_WORKER, { eval: true, workerData: { url, count, total, wsModule } });
    w.on("message", (m: any) => {
      if (m.kind === "ready") {
        readySummary.ready += m.ready;
        readySummary.failed += m.failed;
        readySummary.firstError ??= m.firstError;
        if (++readyCount === counts.length) resolveReady(readySummary);
      } else if (m.kind === "got") {
        if (++workersWith[m.seq] === counts.length) waiters.get(m.seq)?.();
      } else {
        reports.push(m);
        if (reports.length === counts.length) onReports?.();
      }
    });
    w.on("error", (err) => rejectReady(err));
    return w;
  });
  try {
    const r = await ready;
    if (r.failed > 0) throw new Error(`${r.failed} of ${o.subscribers} subscribers could not connect: ${r.firstError}`);
    const connectMs = performance.now() - t0;
    const sentAt = new Float64Array(total);
    const callMs: number[] = [];
    const reachedAll = new Map<number, Promise<boolean>>();
    const start = performance.now();
    const calls: Promise<void>[] = [];
    for (let seq = 0; seq < total; seq++) {
      const wait = start + (seq * 1000) / o.rate - performance.now();
      if (wait > 0) await sleep(wait);
      reachedAll.set(seq, Promise.race([new Promise<boolean>((res) => waiters.set(seq, () => res(true))), sleep(30_000, false)]));
      const mentions = Array.from({ length: o.fanoutBatch }, (_, i) => ({
        ...benchMention(`fan-${seq}`, i, Date.now()),
        text: `Rivera in Columbus, update ${seq}.${i}`,
      }));
      sentAt[seq] = Date.now();
      const c0 = performance.now();
      calls.push(app.call("POST", "/api/v1/monitoring/ingest", { campaignId, mentions }).then(() => void callMs.push(performance.now() - c0)));
    }
    await Promise.all(calls);
    await Promise.all(reachedAll.values());
    const all = new Promise<void>((res) => (onReports = res));
    for (const w of workers) w.postMessage("report");
    await all;
    const latencies: number[] = [];
    const slowest = new Float64Array(total).fill(-Infinity);
    let lost = 0;
    let duplicates = 0;
    let disconnected = 0;
    for (const rep of reports) {
      lost += rep.missing;
      duplicates += rep.duplicates;
      disconnected += rep.closedEarly;
      for (let c = 0; c < rep.count; c++) {
        for (let seq = 0; seq < total; seq++) {
          const at = rep.received[c * total + seq];
          if (at === 0) continue;
          const lat = at - sentAt[seq];
          latencies.push(lat);
          if (lat > slowest[seq]) slowest[seq] = lat;
        }
      }
    }
    const lat = sortNumbers(latencies);
    const reach = sortNumbers([...slowest].filter(Number.isFinite));
    const calls_ = sortNumbers(callMs);
    return {
      subscribers: o.subscribers,
      events: total,
      connectMs,
      latency: { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat[lat.length - 1] ?? NaN },
      reachAll: { p50: quantile(reach, 0.5), p99: quantile(reach, 0.99), max: reach[reach.length - 1] ?? NaN },
      ingestCallMs: { p50: quantile(calls_, 0.5), p99: quantile(calls_, 0.99) },
      lost,
      duplicates,
      disconnected,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

// --- 3. detection ---

interface DetectionFigures {
  trials: number;
  detected: number;
  latencyMs: { p50: number; p99: number; max: number };
  ingestCallMs: { p50: number; p99: number };
}

/** A subscriber that resolves on the first message matching. */
function subscribe(url: string): { ws: WebSocket; first: (match: (e: any) => boolean, timeoutMs: number) => Promise<{ event: any; at: number } | null> } {
  const ws = new WebSocket(url, ["encore-ws"]);
  const seen: { event: any; at: number }[] = [];
  const waiting: { match: (e: any) => boolean; resolve: (v: { event: any; at: number } | null) => void }[] = [];
  ws.on("message", (data) => {
    const item = { event: JSON.parse(data.toString()), at: Date.now() };
    seen.push(item);
    for (const w of [...waiting]) {
      if (w.match(item.event)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(item);
      }
    }
  });
  return {
    ws,
    first: (match, timeoutMs) => {
      const found = seen.find((s) => match(s.event));
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => {
        const w = { match, resolve };
        waiting.push(w);
        setTimeout(() => {
          const i = waiting.indexOf(w);
          if (i >= 0) {
            waiting.splice(i, 1);
            resolve(null);
          }
        }, timeoutMs);
      });
    },
  };
}

async function measureDetection(app: App, o: Options): Promise<DetectionFigures> {
  const latencies: number[] = [];
  const callMs: number[] = [];
  for (let t = 0; t < o.trials; t++) {
    const campaignId = await app.campaign(`Detection benchmark ${t}`);
    const sub = subscribe(`ws://127.0.0.1:${app.server.port}/ws/campaigns/${campaignId}/stream?token=${app.token}`);
    try {
      if (!(await sub.first((e) => e.type === "HEARTBEAT", 10_000))) throw new Error("the stream did not open");
      // An hour of ordinary conversation (about 8 a minute, mildly positive), then a quiet moment.
      const now = Date.now();
      const history = Array.from({ length: 480 }, (_, i) => ({
        ...benchMention(`h${t}`, i, now),
        sentiment: 0.15 + (((i * 13) % 40) - 20) / 100,
        timestamp: new Date(now - 62 * 60_000 + i * 7_500).toISOString(),
      }));
      await app.call("POST", "/api/v1/monitoring/ingest", { campaignId, mentions: history });
      if (!(await sub.first((e) => e.type === "SENTIMENT", 10_000))) throw new Error("the detector did not take the history");
      const early = await sub.first((e) => e.type === "CRISIS", 0);
      if (early) throw new Error("the history alone raised a CRISIS");
      // The scandal: 400 angry mentions over the last two minutes, in one batch.
      const burstAt = Date.now();
      const burst = Array.from({ length: 400 }, (_, i) => ({
        ...benchMention(`s${t}`, i, burstAt),
        text: `Leaked emails: Rivera took bribes, a corrupt disgrace (${i})`,
        sentiment: -0.8 + ((i % 9) - 4) * 0.05,
        timestamp: new Date(burstAt - 120_000 + i * 300).toISOString(),
      }));
      const sent = Date.now();
      const c0 = performance.now();
      await app.call("POST", "/api/v1/monitoring/ingest", { campaignId, mentions: burst });
      callMs.push(performance.now() - c0);
      const crisis = await sub.first((e) => e.type === "CRISIS", 10_000);
      if (crisis) latencies.push(crisis.at - sent);
    } finally {
      sub.ws.close();
    }
  }
  const lat = sortNumbers(latencies);
  const calls = sortNumbers(callMs);
  return {
    trials: o.trials,
    detected: latencies.length,
    latencyMs: { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat[lat.length - 1] ?? NaN },
    ingestCallMs: { p50: quantile(calls, 0.5), p99: quantile(calls, 0.99) },
  };
}

// --- the run ---

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-");

export default async function runIngestBench(root: string, args: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseOptions(args);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const loadBefore = loadAverage();
  const prefix = fixturePrefix();
  const admin = { email: "bench-admin@example.org", password: randomBytes(12).toString("base64url") };
  let server: FixtureServer | null = null;
  let sql: postgres.Sql | null = null;
  try {
    server = await startFixture(root, prefix, {
      JWT_SECRET: randomBytes(32).toString("base64url"),
      BCRYPT_COST: "4",
      WARROOM_ADMIN_EMAIL: admin.email,
      WARROOM_ADMIN_PASSWORD: admin.password,
      WARROOM_CRON: "off",
      WARROOM_DEMO: "off",
      WARROOM_DB_POOL_SIZE: "10",
    });
    const app = new App(server);
    const deadline = Date.now() + 30_000;
    while (!server.logs().includes(`created the first admin ${admin.email}`)) {
      if (Date.now() > deadline) throw new Error("the first admin was not created within 30 s");
      await sleep(50);
    }
    app.token = (await app.call("POST", "/api/v1/auth/login", admin)).accessToken;
    sql = postgres(databaseUrl(serverUrl(), `${prefix}monitoring`), { max: o.concurrency, onnotice: () => {} });

    process.stdout.write(
      `War Room mention pipeline benchmark (node ${process.version}, ${os.cpus().length} CPUs, Redis ${process.env.REDIS_URL ? "on" : "off"})\n\n`,
    );
    const ingest = await measureIngest(app, sql, o);
    process.stdout.write(
      `1. ingest, ${ingest.mentions} mentions in batches of 1000, ${o.concurrency} concurrent callers\n` +
        `   POST /api/v1/monitoring/ingest  ${ingest.ingestPerSecond.toLocaleString("en-US").padStart(8)} mentions/s  (batch p50 ${ms(ingest.batchMs.p50)} ms, p99 ${ms(ingest.batchMs.p99)} ms)   target >= 20,000\n` +
        `   raw COPY, same rows and table   ${ingest.copyPerSecond.toLocaleString("en-US").padStart(8)} mentions/s\n` +
        `   ratio ingest / COPY              ${ingest.ratio.toFixed(2).padStart(8)}                                           target >= 0.30\n` +
        `   crisis detector had every batch ${ingest.detectorCaughtUpMs === null ? "NOT within 120 s" : `${ms(ingest.detectorCaughtUpMs)} ms after the last ingest returned`}\n\n`,
    );
    const fanout = await measureFanout(app, o);
    process.stdout.write(
      `2. fan-out, ${fanout.subscribers} WebSocket subscribers on one campaign, ${fanout.events} ingest calls of ${o.fanoutBatch} mentions at ${o.rate}/s (connected in ${ms(fanout.connectMs)} ms)\n` +
        `   ingest call -> receipt, every (batch, subscriber): p50 ${ms(fanout.latency.p50)} ms, p99 ${ms(fanout.latency.p99)} ms, max ${ms(fanout.latency.max)} ms   target p99 < 250\n` +
        `   ingest call -> the last subscriber, per batch:     p50 ${ms(fanout.reachAll.p50)} ms, p99 ${ms(fanout.reachAll.p99)} ms\n` +
        `   ingest call itself: p50 ${ms(fanout.ingestCallMs.p50)} ms, p99 ${ms(fanout.ingestCallMs.p99)} ms; ${fanout.lost} lost, ${fanout.duplicates} duplicate deliveries, ${fanout.disconnected} disconnected\n\n`,
    );
    const detection = await measureDetection(app, o);
    process.stdout.write(
      `3. detection, ${detection.trials} trials: an hour of history, then 400 angry mentions in one batch\n` +
        `   burst ingest call -> CRISIS on the stream: p50 ${ms(detection.latencyMs.p50)} ms, p99 ${ms(detection.latencyMs.p99)} ms, max ${ms(detection.latencyMs.max)} ms   target p99 < 1000\n` +
        `   detected in ${detection.detected} of ${detection.trials} trials; the burst's ingest call: p50 ${ms(detection.ingestCallMs.p50)} ms, p99 ${ms(detection.ingestCallMs.p99)} ms\n\n` +
        `load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}\n`,
    );
    writeResults(root, "ingest", { options: o, ingest, fanout, detection, loadBefore, loadAfter: loadAverage() });
    return fanout.lost + fanout.duplicates + fanout.disconnected > 0 || detection.detected < detection.trials ? 1 : 0;
  } finally {
    await sql?.end();
    await server?.stop();
    await dropFixtureDatabases(prefix);
  }
}
