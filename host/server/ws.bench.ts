// WebSocket fan-out benchmark: N streamOut subscribers of one endpoint, fed by an in-process event
// emitter; latency from publish to receipt (p50/p99 over every delivery) and the time for one event
// to reach every subscriber. Clients run in worker threads so their parsing does not sit on the
// server's event loop; all clocks are process.hrtime (one monotonic clock for every thread).
//   npx tsx host/server/ws.bench.ts [subscribers=2000] [events=100] [bodyBytes=256] [workers=2]
import { EventEmitter } from "node:events";
import { Worker } from "node:worker_threads";
import type { AppMeta, EndpointMeta } from "../meta.ts";
import { Dispatcher } from "../runtime/dispatch.ts";
import { Logger, LogLevel } from "../runtime/log.ts";
import { type Sink, StreamManager } from "../runtime/streams.ts";
import { HttpServer } from "./http.ts";

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

interface Event {
  seq: number;
  sentAt: number;
  body: string;
}

type FromWorker = { kind: "ready" } | { kind: "got"; seq: number } | { kind: "latencies"; seqs: Float64Array; latencies: Float64Array };

async function main() {
  const [subscribers = 2000, events = 100, bodyBytes = 256, workers = 2] = process.argv.slice(2).map(Number);

  const ep: EndpointMeta = {
    service: "bench",
    name: "feed",
    file: "bench/feed.ts",
    line: 1,
    methods: ["GET"],
    path: "/feed",
    segments: [{ type: "literal", value: "feed" }],
    expose: true,
    auth: false,
    raw: false,
    streamingRequest: false,
    streamingResponse: true,
    tags: [],
    bodyLimit: null,
    sensitive: false,
    request: null,
    response: null,
    handshake: null,
    streamIn: null,
    streamOut: {
      kind: "object",
      fields: [
        { name: "seq", optional: false, schema: { kind: "number" } },
        { name: "sentAt", optional: false, schema: { kind: "number" } },
        { name: "body", optional: false, schema: { kind: "string" } },
      ],
    },
  };
  const meta: AppMeta = {
    version: 1,
    appId: "ws-bench",
    cors: { allowOriginsWithoutCredentials: [], allowOriginsWithCredentials: [], allowHeaders: [], exposeHeaders: [] },
    services: [{ name: "bench", dir: "bench", file: "bench/encore.service.ts", hasMiddlewares: false, endpoints: [ep], databases: [] }],
    gateways: [],
    authHandler: null,
    databases: [],
    topics: [],
    subscriptions: [],
    cronJobs: [],
    secrets: [],
    types: {},
  };

  const log = new Logger(LogLevel.Warn);
  const dispatcher = new Dispatcher(meta, log, (s) => s);
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  // The handler as the SDK runs it: subscribe, send every event, stop when send throws.
  dispatcher.register({
    service: "bench",
    name: "feed",
    raw: false,
    streamingRequest: false,
    streamingResponse: true,
    handler: (_req: unknown, sink: Sink) =>
      new Promise((resolve) => {
        const onEvent = (e: Event) => {
          try {
            sink.send(e);
          } catch {
            bus.off("event", onEvent);
            resolve({ payload: undefined });
          }
        };
        bus.on("event", onEvent);
      }),
  });
  const http = new HttpServer({ meta, dispatcher, log, port: 0, host: "127.0.0.1" });
  const streams = new StreamManager({ dispatcher, log });
  streams.attach(http);
  const port = await http.listen();

  const perWorker = Math.ceil(subscribers / workers);
  const pool: Worker[] = [];
  const gotCount = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  const latencyParts: { seqs: Float64Array; latencies: Float64Array }[] = [];
  let ready = 0;
  let onReady!: () => void;
  const allReady = new Promise<void>((r) => (onReady = r));
  let onCollected!: () => void;
  const collected = new Promise<void>((r) => (onCollected = r));

  const t0 = performance.now();
  for (let w = 0; w < workers; w++) {
    const count = Math.min(perWorker, subscribers - w * perWorker);
    const worker = new Worker(CLIENT_WORKER, { eval: true, workerData: { url: `ws://127.0.0.1:${port}/feed`, count } });
    worker.on("message", (m: FromWorker) => {
      if (m.kind === "ready" && ++ready === workers) onReady();
      if (m.kind === "got") {
        const n = (gotCount.get(m.seq) ?? 0) + 1;
        gotCount.set(m.seq, n);
        if (n === workers) waiters.get(m.seq)?.();
      }
      if (m.kind === "latencies") {
        latencyParts.push(m);
        if (latencyParts.length === workers) onCollected();
      }
    });
    worker.on("error", (err) => {
      console.error("client worker failed:", err);
      process.exit(1);
    });
    pool.push(worker);
  }
  await allReady;
  while (streams.size < subscribers) await new Promise((r) => setTimeout(r, 10));
  const connectMs = performance.now() - t0;

  const body = "x".repeat(bodyBytes);
  const publishMs: number[] = [];
  const wallStart = performance.now();
  for (let seq = 0; seq < events; seq++) {
    const everyone = new Promise<void>((r) => waiters.set(seq, r));
    const sentAt = nowMs();
    bus.emit("event", { seq, sentAt, body } satisfies Event);
    publishMs.push(nowMs() - sentAt); // the synchronous part: encoding and queueing to every socket
    await everyone;
  }
  const wallMs = performance.now() - wallStart;
  for (const w of pool) w.postMessage("report");
  await collected;

  // Per event: when the last subscriber got it (fan-out time); overall: every delivery's latency.
  const all: number[] = [];
  const fanout = new Array<number>(events).fill(0);
  for (const part of latencyParts) {
    for (let i = 0; i < part.latencies.length; i++) {
      all.push(part.latencies[i]);
      const seq = part.seqs[i];
      fanout[seq] = Math.max(fanout[seq], part.latencies[i]);
    }
  }
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))];
  };
  const f = (x: number) => x.toFixed(2);
  const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), -Infinity);
  console.log(`WebSocket fan-out: ${subscribers} streamOut subscribers, ${events} events of ${bodyBytes}-byte bodies, ${workers} client worker threads`);
  console.log(`  connect all subscribers: ${connectMs.toFixed(0)} ms`);
  console.log(`  deliveries: ${all.length} (expected ${subscribers * events})`);
  console.log(`  publish → receipt latency: p50 ${f(q(all, 0.5))} ms, p99 ${f(q(all, 0.99))} ms, max ${f(max(all))} ms`);
  console.log(`  fan-out time (publish → last subscriber): p50 ${f(q(fanout, 0.5))} ms, p99 ${f(q(fanout, 0.99))} ms, max ${f(max(fanout))} ms`);
  console.log(`  server send loop (encode + queue to all sockets): p50 ${f(q(publishMs, 0.5))} ms, max ${f(max(publishMs))} ms`);
  console.log(`  throughput: ${Math.round(all.length / (wallMs / 1000))} deliveries/s over ${wallMs.toFixed(0)} ms`);

  for (const w of pool) await w.terminate();
  await streams.closeAll();
  await http.close(1_000);
}

// The client side, as plain JavaScript evaluated in each worker (tsx does not reach worker threads).
const CLIENT_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { WebSocket } = require("ws");
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const { url, count } = workerData;
const seqs = [];
const latencies = [];
const received = new Map();
let open = 0;
for (let i = 0; i < count; i++) {
  const ws = new WebSocket(url, ["encore-ws"]);
  ws.on("open", () => {
    if (++open === count) parentPort.postMessage({ kind: "ready" });
  });
  ws.on("message", (data) => {
    const now = nowMs();
    const e = JSON.parse(data.toString());
    seqs.push(e.seq);
    latencies.push(now - e.sentAt);
    const n = (received.get(e.seq) ?? 0) + 1;
    received.set(e.seq, n);
    if (n === count) parentPort.postMessage({ kind: "got", seq: e.seq });
  });
  ws.on("error", (err) => {
    throw err;
  });
}
parentPort.on("message", () => {
  parentPort.postMessage({ kind: "latencies", seqs: Float64Array.from(seqs), latencies: Float64Array.from(latencies) });
});
`;

await main();
