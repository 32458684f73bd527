// The engine against a real Postgres: fan-out, retries, dead letters, ordering, concurrency, shutdown, retention.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PubSub, type Delivery, type SubscriptionConfig } from "./index.ts";
import { createTestDatabase, recordingLog, type TestDatabase } from "../testing/scratch-db.ts";

let db: TestDatabase;
const engines: PubSub[] = [];

beforeAll(async () => {
  db = await createTestDatabase("pubsub");
});

afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop(100)));
  await db?.drop();
});

function sub(topic: string, name: string, over: Partial<SubscriptionConfig> = {}): SubscriptionConfig {
  return {
    topic,
    name,
    maxConcurrency: 10,
    ackDeadlineMs: 30_000,
    retentionMs: 7 * 24 * 3600_000,
    minBackoffMs: 10,
    maxBackoffMs: 100,
    maxRetries: 5,
    orderingAttribute: null,
    ...over,
  };
}

async function engine(topics: Record<string, string | null>, subs: SubscriptionConfig[], extra: { now?: () => number; pollIntervalMs?: number } = {}) {
  const log = recordingLog();
  const ps = new PubSub({ sql: db.connect(), log, ...extra });
  await ps.init();
  for (const [name, ordering] of Object.entries(topics)) ps.registerTopic(name, ordering);
  for (const s of subs) ps.registerSubscription(s);
  engines.push(ps);
  return { ps, log };
}

const pendingRows = async (subscription: string) =>
  Number((await db.sql`SELECT count(*)::int AS n FROM pubsub_delivery WHERE subscription = ${subscription}`)[0].n);

describe("pubsub delivery", () => {
  test("a published message reaches each of two subscriptions exactly once", async () => {
    const { ps } = await engine({ alerts: null }, [sub("alerts", "notify-phone"), sub("alerts", "archive")]);
    const ids = await Promise.all([1, 2, 3].map((n) => ps.publish("alerts", { n, at: "2024-05-01T00:00:00.000Z" })));
    // Durable once publish resolves: another connection sees the rows (before anyone consumes them,
    // else the consumers may already have handled and deleted them).
    const stored = await db.sql`SELECT count(*)::int AS n FROM pubsub_message WHERE id = ANY(${ids}::bigint[])`;
    expect(stored[0].n).toBe(3);

    const got: Record<string, Delivery[]> = { "notify-phone": [], archive: [] };
    void ps.subscribe("notify-phone", async (d) => void got["notify-phone"].push(d));
    void ps.subscribe("archive", async (d) => void got.archive.push(d));

    await expect.poll(async () => (await pendingRows("notify-phone")) + (await pendingRows("archive")), { message: "all deliveries acked" }).toBe(0);
    for (const name of ["notify-phone", "archive"]) {
      expect(got[name].map((d) => d.id).sort()).toEqual([...ids].sort());
      expect(got[name].every((d) => d.deliveryAttempt === 1 && d.topic === "alerts" && d.subscription === name)).toBe(true);
      expect(got[name].map((d) => (d.body as { n: number }).n).sort()).toEqual([1, 2, 3]);
      expect(got[name][0].publishedAt).toBeInstanceOf(Date);
    }
    // Once every subscription has acked, the message itself is gone too, even when the two acks raced.
    await expect
      .poll(async () => (await db.sql`SELECT count(*)::int AS n FROM pubsub_message WHERE id = ANY(${ids}::bigint[])`)[0].n, {
        message: "messages deleted",
        timeout: 2000,
      })
      .toBe(0);
  });

  test("a handler failing twice then succeeding is delivered three times with growing delays", async () => {
    const { ps } = await engine({ retries: null }, [sub("retries", "flaky", { minBackoffMs: 100, maxBackoffMs: 400, maxRetries: 5 })]);
    const seen: { attempt: number; at: number }[] = [];
    void ps.subscribe("flaky", async (d) => {
      seen.push({ attempt: d.deliveryAttempt, at: performance.now() });
      if (d.deliveryAttempt <= 2) throw new Error(`transient failure ${d.deliveryAttempt}`);
    });
    await ps.publish("retries", { text: "call back" });
    await expect.poll(async () => seen.length === 3 && (await pendingRows("flaky")) === 0, { message: "third attempt acked" }).toBe(true);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    const firstGap = seen[1].at - seen[0].at;
    const secondGap = seen[2].at - seen[1].at;
    expect(firstGap).toBeGreaterThanOrEqual(100);
    expect(secondGap).toBeGreaterThanOrEqual(200);
    expect(secondGap).toBeGreaterThan(firstGap);
  });

  test("a message past maxRetries becomes a listed dead letter, and redriving it delivers it again", async () => {
    const { ps, log } = await engine({ doomed: null }, [sub("doomed", "always-fails", { maxRetries: 2, minBackoffMs: 10, maxBackoffMs: 20 })]);
    let failing = true;
    const attempts: number[] = [];
    void ps.subscribe("always-fails", async (d) => {
      attempts.push(d.deliveryAttempt);
      if (failing) throw new Error("provider rejected the number");
    });
    const id = await ps.publish("doomed", { to: "+15550100" });
    await expect.poll(async () => (await ps.deadLetters("always-fails")).length, { message: "a dead letter" }).toBe(1);
    const [dead] = await ps.deadLetters("always-fails");
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toMatchObject({ id, topic: "doomed", subscription: "always-fails", deliveryAttempt: 3, body: { to: "+15550100" } });
    expect(dead.lastError).toContain("provider rejected the number");
    expect(dead.failedAt).toBeInstanceOf(Date);
    expect(log.entries.some((e) => e.level === "error" && e.msg.includes("dead letter"))).toBe(true);
    expect((await ps.deadLetters()).some((d) => d.id === id)).toBe(true);

    failing = false;
    await ps.redriveDeadLetter(id, "always-fails");
    await expect.poll(() => pendingRows("always-fails"), { message: "redriven message acked" }).toBe(0);
    expect(attempts).toEqual([1, 2, 3, 1]);
    expect(await ps.deadLetters("always-fails")).toEqual([]);
    await expect(ps.redriveDeadLetter(id, "always-fails")).rejects.toThrow(/no dead letter/);
  });

  test("same-key messages are handled in publish order one at a time while other keys run in parallel", async () => {
    const { ps } = await engine({ ordered: "campaign" }, [sub("ordered", "in-order", { maxConcurrency: 10, minBackoffMs: 20, maxBackoffMs: 20 })]);
    const runs: { key: string; seq: number; attempt: number; start: number; end: number }[] = [];
    let failedOnce = false;
    void ps.subscribe("in-order", async (d) => {
      const body = d.body as { campaign: string; seq: number };
      const start = performance.now();
      await new Promise((r) => setTimeout(r, 15)); // simulated work
      const run = { key: body.campaign, seq: body.seq, attempt: d.deliveryAttempt, start, end: performance.now() };
      runs.push(run);
      expect(d.attributes).toEqual({ campaign: body.campaign });
      if (body.campaign === "a" && body.seq === 2 && !failedOnce) {
        failedOnce = true;
        throw new Error("fails once: a:3 must wait for the retry");
      }
    });
    for (let seq = 1; seq <= 4; seq++) {
      await ps.publish("ordered", { campaign: "a", seq });
      await ps.publish("ordered", { campaign: "b", seq });
    }
    await expect.poll(async () => runs.length === 9 && (await pendingRows("in-order")) === 0, { message: "all ordered messages handled" }).toBe(true);
    for (const key of ["a", "b"]) {
      const mine = runs.filter((r) => r.key === key).sort((x, y) => x.start - y.start);
      expect(mine.map((r) => r.seq)).toEqual(key === "a" ? [1, 2, 2, 3, 4] : [1, 2, 3, 4]);
      for (let i = 1; i < mine.length; i++) expect(mine[i].start).toBeGreaterThanOrEqual(mine[i - 1].end);
    }
    const a = runs.filter((r) => r.key === "a");
    const b = runs.filter((r) => r.key === "b");
    expect(a.some((x) => b.some((y) => x.start < y.end && y.start < x.end))).toBe(true);
  });

  test("no more than maxConcurrency handlers run at once in a process", async () => {
    const { ps } = await engine({ busy: null }, [sub("busy", "limited", { maxConcurrency: 3 })]);
    let running = 0;
    let peak = 0;
    let handled = 0;
    void ps.subscribe("limited", async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      handled++;
    });
    await Promise.all(Array.from({ length: 15 }, (_, n) => ps.publish("busy", { n })));
    await expect.poll(() => handled, { message: "15 messages handled" }).toBe(15);
    expect(peak).toBe(3);
  });

  test("many concurrent publishes are all stored with distinct ids and delivered once", async () => {
    const { ps } = await engine({ burst: null }, [sub("burst", "counter", { maxConcurrency: 50 })]);
    const seen = new Map<string, number>();
    void ps.subscribe("counter", async (d) => void seen.set(d.id, (seen.get(d.id) ?? 0) + 1));
    const ids = await Promise.all(Array.from({ length: 300 }, (_, n) => ps.publish("burst", { n })));
    expect(new Set(ids).size).toBe(300);
    await expect.poll(async () => seen.size === 300 && (await pendingRows("counter")) === 0, { message: "300 deliveries" }).toBe(true);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
  });

  test("a publish from another process wakes the consumer through NOTIFY, not the safety poll", async () => {
    const config = sub("wakeup", "woken");
    const { ps: consumer } = await engine({ wakeup: null }, [config], { pollIntervalMs: 60_000 });
    const { ps: publisher } = await engine({ wakeup: null }, [config], { pollIntervalMs: 60_000 });
    let receivedAt = 0;
    void consumer.subscribe("woken", async () => void (receivedAt = performance.now()));
    const sentAt = performance.now();
    await publisher.publish("wakeup", { hello: true });
    await expect.poll(() => receivedAt, { message: "delivery", timeout: 3000 }).toBeGreaterThan(0);
    expect(receivedAt - sentAt).toBeLessThan(1000);
  });

  test("stop waits for running handlers up to the deadline and releases the rest for another process at once", async () => {
    const config = sub("handover", "slow-sub", { ackDeadlineMs: 60_000 });
    const { ps: first } = await engine({ handover: null }, [config]);
    let started = false;
    const firstDone = first.subscribe("slow-sub", async () => {
      started = true;
      await new Promise(() => {}); // never finishes in this process
    });
    await first.publish("handover", { n: 1 });
    await expect.poll(() => started, { message: "first process handling" }).toBe(true);
    const t0 = performance.now();
    await first.stop(50);
    await firstDone; // subscribe() settles once stopped
    expect(performance.now() - t0).toBeLessThan(2000);

    const { ps: second } = await engine({ handover: null }, [config]);
    const attempts: number[] = [];
    void second.subscribe("slow-sub", async (d) => void attempts.push(d.deliveryAttempt));
    // Well within the 60 s ack deadline: the lease was released, not left to expire.
    await expect.poll(() => attempts.length, { message: "redelivery to the second process", timeout: 3000 }).toBe(1);
    expect(attempts).toEqual([2]);
  });

  test("retention drops messages nobody handled in time, and housekeeping removes messages no subscription needs", async () => {
    let offset = 0;
    const config = sub("stale", "never-consumed", { retentionMs: 1000 });
    const { ps, log } = await engine({ stale: null, "no-subscribers": null }, [config], { now: () => Date.now() + offset });
    const keep = await ps.publish("stale", { n: 1 });
    const orphan = await ps.publish("no-subscribers", { n: 2 });
    const now = await ps.housekeep();
    expect(now.expired).toBe(0);
    expect(now.messagesSwept).toBeGreaterThanOrEqual(1); // the message of a topic without subscriptions
    offset = 2000; // past the 1 s retention
    expect(await ps.housekeep()).toMatchObject({ expired: 1 });
    const left = await db.sql`SELECT id::text FROM pubsub_message WHERE id = ANY(${[keep, orphan]}::bigint[])`;
    expect(left).toHaveLength(0);
    expect(log.entries.some((e) => e.level === "error" && e.msg.includes("retention"))).toBe(true);
  });

  test("publishing to an unknown topic or a non-JSON value fails without storing anything", async () => {
    const { ps } = await engine({ known: null }, []);
    await expect(ps.publish("unknown", {})).rejects.toThrow(/unknown topic/);
    await expect(ps.publish("known", undefined)).rejects.toThrow(/not JSON-encodable/);
  });
});
