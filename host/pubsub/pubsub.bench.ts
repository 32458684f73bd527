// Pub/Sub benchmark: one topic, one subscription, 1 KiB messages, against the local Postgres.
// Run: `npm run bench -- pubsub` (or DATABASE_URL=postgres://… npx tsx host/pubsub/pubsub.bench.ts): a scratch
// database on that server, dropped at the end.
// Publisher and consumer are separate engines with separate pools in this one process.
import { PubSub } from "./index.ts";
import { createTestDatabase } from "../testing/scratch-db.ts";

const quiet = { info: () => {}, warn: () => {}, error: (m: string, f?: object) => console.error(m, f) };
const PAD = "x".repeat(1024);
/** A message of exactly 1 KiB of JSON; sentAt (performance.now()) times publish → handler start. */
function message(seq: number) {
  const sentAt = performance.now();
  const overhead = JSON.stringify({ sentAt, seq, pad: "" }).length;
  return { sentAt, seq, pad: PAD.slice(0, 1024 - overhead) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main() {
  const db = await createTestDatabase("bench");
  const sub = {
    topic: "bench",
    name: "bench-sub",
    maxConcurrency: 100,
    ackDeadlineMs: 30_000,
    retentionMs: 86_400_000,
    minBackoffMs: 1000,
    maxBackoffMs: 10_000,
    maxRetries: 3,
    orderingAttribute: null,
  };
  const publisher = new PubSub({ sql: db.connect(20), log: quiet });
  const consumer = new PubSub({ sql: db.connect(20), log: quiet });
  try {
    for (const ps of [publisher, consumer]) {
      await ps.init();
      ps.registerTopic("bench", null);
      ps.registerSubscription(sub);
    }
    console.log(`message size: ${JSON.stringify(message(1)).length} bytes of JSON`);

    // 1. Publishing alone (nobody consuming yet): sequential awaits, then 64 concurrent publishers.
    const seqCount = 2000;
    let t = performance.now();
    for (let i = 0; i < seqCount; i++) await publisher.publish("bench", message(i));
    const seqRate = seqCount / ((performance.now() - t) / 1000);
    console.log(`publish, sequential awaits:      ${fmt(seqRate)} msg/s (${((performance.now() - t) / seqCount).toFixed(2)} ms each)`);

    const perPublisher = 400;
    t = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async (_, p) => {
        for (let i = 0; i < perPublisher; i++) await publisher.publish("bench", message(p * perPublisher + i));
      }),
    );
    const concCount = 64 * perPublisher;
    const concRate = concCount / ((performance.now() - t) / 1000);
    console.log(`publish, 64 concurrent publishers: ${fmt(concRate)} msg/s`);

    // 2. Draining the backlog: delivered messages/s with a no-op handler.
    const backlog = seqCount + concCount;
    let delivered = 0;
    let latencies: number[] = [];
    let drained!: () => void;
    let target = backlog;
    let done = new Promise<void>((r) => (drained = r));
    t = performance.now();
    void consumer.subscribe("bench-sub", async (d) => {
      latencies.push(performance.now() - (d.body as { sentAt: number }).sentAt);
      if (++delivered === target) drained();
    });
    await done;
    const drainRate = backlog / ((performance.now() - t) / 1000);
    console.log(`deliver, draining ${fmt(backlog)} queued:  ${fmt(drainRate)} msg/s`);

    // 3. Latency at steady rates, publish call → handler start: 200 msg/s (moderate) and 2,000 msg/s (busy).
    for (const [rate, seconds] of [
      [200, 5],
      [2000, 3],
    ]) {
      latencies = [];
      delivered = 0;
      target = rate * seconds;
      done = new Promise<void>((r) => (drained = r));
      const tickMs = rate >= 1000 ? 10 : 5; // timers cannot fire every 0.5 ms: publish in small bursts
      const perTick = (rate * tickMs) / 1000;
      const start = performance.now();
      for (let i = 0; i < target; i += perTick) {
        const wait = start + (i / perTick) * tickMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        for (let j = 0; j < perTick; j++) void publisher.publish("bench", message(i + j));
      }
      await done;
      const sorted = [...latencies].sort((a, b) => a - b);
      console.log(`${`latency at ${fmt(rate)} msg/s:`.padEnd(34)} p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`);
    }

    // 4. Under load: 64 publishers flat out while the consumer keeps up.
    latencies = [];
    delivered = 0;
    target = 64 * 300;
    done = new Promise<void>((r) => (drained = r));
    t = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async (_, p) => {
        for (let i = 0; i < 300; i++) await publisher.publish("bench", message(p * 300 + i));
      }),
    );
    const loadPublishRate = target / ((performance.now() - t) / 1000);
    await done;
    const loadDeliverRate = target / ((performance.now() - t) / 1000);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`under load (64 publishers + consumer): published ${fmt(loadPublishRate)} msg/s, delivered ${fmt(loadDeliverRate)} msg/s`);
    console.log(`latency under load:              p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`);
  } finally {
    await consumer.stop(1000);
    await publisher.stop(1000);
    await db.drop();
  }
}

await main();
