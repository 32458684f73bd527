// Several processes on one subscription, and processes that die mid-delivery. The consumers are
// child processes (fixtures/worker.ts) running the engine against the same database.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";
import { PubSub, type SubscriptionConfig } from "./index.ts";
import { createTestDatabase, recordingLog, type TestDatabase } from "../testing/scratch-db.ts";
import type { WorkerConfig } from "./fixtures/worker.ts";

const WORKER = path.join(import.meta.dirname, "fixtures", "worker.ts");

let db: TestDatabase;
let publisher: PubSub;

function sub(name: string, over: Partial<SubscriptionConfig> = {}): SubscriptionConfig {
  return {
    topic: `${name}-topic`,
    name,
    maxConcurrency: 4,
    ackDeadlineMs: 1000,
    retentionMs: 3600_000,
    minBackoffMs: 10,
    maxBackoffMs: 100,
    maxRetries: 10,
    orderingAttribute: null,
    ...over,
  };
}

const SUBS = [
  sub("crash-restart"),
  sub("takeover"),
  sub("shared", { ackDeadlineMs: 600 }),
  sub("crash-loop", { ackDeadlineMs: 500, maxRetries: 2, maxConcurrency: 1 }),
];

beforeAll(async () => {
  db = await createTestDatabase("pubsub_procs");
  await db.sql`CREATE TABLE handler_log (
    id bigserial PRIMARY KEY, message_id text NOT NULL, subscription text NOT NULL, worker text NOT NULL,
    attempt int NOT NULL, started_at timestamptz NOT NULL, ended_at timestamptz)`;
  publisher = new PubSub({ sql: db.connect(), log: recordingLog() });
  await publisher.init();
  for (const s of SUBS) publisher.registerSubscription(s);
});

afterAll(async () => {
  await publisher?.stop(100);
  await db?.drop();
});

/** Starts a worker process (killed when the test ends) and resolves once it is subscribed. */
async function startWorker(worker: string, subscription: SubscriptionConfig, workMs = 0): Promise<ChildProcess> {
  const config: WorkerConfig = { url: db.url, worker, subscription, workMs };
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], {
    env: { ...process.env, PUBSUB_WORKER: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  let stderr = "";
  child.stderr!.on("data", (b) => (stderr += b));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (b) => String(b).includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`worker ${worker} exited with ${code}: ${stderr}`)));
  });
  return child;
}

/** Starts a worker without waiting for it (it may die before it says ready); killed when the test ends. */
function spawnWorker(worker: string, subscription: SubscriptionConfig): ChildProcess {
  const config: WorkerConfig = { url: db.url, worker, subscription };
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], { env: { ...process.env, PUBSUB_WORKER: JSON.stringify(config) }, stdio: "ignore" });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return child;
}

async function deadAt(subscription: string, id: string): Promise<Date | null> {
  const rows = await db.sql`SELECT dead_at FROM pubsub_delivery WHERE subscription = ${subscription} AND message_id = ${id}::bigint`;
  return rows[0]?.dead_at ?? null;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

interface Handled {
  messageId: string;
  worker: string;
  attempt: number;
  startedAt: Date;
  endedAt: Date | null;
}

async function handled(subscription: string): Promise<Handled[]> {
  const rows = await db.sql`
    SELECT message_id AS mid, worker, attempt, started_at AS s, ended_at AS e FROM handler_log
    WHERE subscription = ${subscription} ORDER BY started_at`;
  return rows.map((r) => ({ messageId: r.mid, worker: r.worker, attempt: r.attempt, startedAt: r.s, endedAt: r.e }));
}

const remaining = async (subscription: string) =>
  Number((await db.sql`SELECT count(*)::int AS n FROM pubsub_delivery WHERE subscription = ${subscription}`)[0].n);

// One at a time, with generous deadlines: child processes start slowly on a loaded 2-core machine,
// and the assertions are about order and ownership, not speed.
describe("pubsub across processes", { timeout: 60_000 }, () => {
  test("a process killed with SIGKILL mid-handler loses nothing: after a restart the message is redelivered", async () => {
    const s = SUBS[0];
    const first = await startWorker("crash-1", s);
    const id = await publisher.publish(s.topic, { hangIn: "crash-1" });
    await expect.poll(async () => (await handled(s.name)).length, { message: "first process handling the message" }).toBe(1);
    first.kill("SIGKILL");
    await killed(first);

    await startWorker("crash-2", s);
    await expect.poll(() => remaining(s.name), { message: "the redelivered message acked", timeout: 30_000 }).toBe(0);
    const log = await handled(s.name);
    expect(log.map((h) => [h.messageId, h.worker, h.attempt, h.endedAt !== null])).toEqual([
      [id, "crash-1", 1, false],
      [id, "crash-2", 2, true],
    ]);
  });

  test("a dead process's lease runs out and another live process gets its message", async () => {
    const s = SUBS[1];
    const stalled = await startWorker("stalled", s);
    await publisher.publish(s.topic, { hangIn: "stalled" });
    await expect.poll(async () => (await handled(s.name)).length, { message: "the first process handling the message" }).toBe(1);
    stalled.kill("SIGSTOP"); // frozen: its connection stays open, but it no longer renews the lease
    await startWorker("live", s);
    await expect.poll(() => remaining(s.name), { message: "redelivery to the live process", timeout: 30_000 }).toBe(0);
    stalled.kill("SIGKILL");
    const [first, second] = await handled(s.name);
    expect([first.worker, first.attempt, second.worker, second.attempt]).toEqual(["stalled", 1, "live", 2]);
    // Not before the 1 s lease (renewed up to the freeze) ran out. The lease starts at the claim, a
    // little before the handler records its start, hence the margin.
    expect(second.startedAt.getTime() - first.startedAt.getTime()).toBeGreaterThanOrEqual(s.ackDeadlineMs - 300);
  });

  test("two processes on one subscription share the work and never handle a message concurrently", async () => {
    const s = SUBS[2];
    await Promise.all([startWorker("w1", s), startWorker("w2", s)]);
    const bodies = Array.from({ length: 60 }, (_, n) => ({ n, workMs: n % 15 === 0 ? 900 : n % 7 })); // some outlive the 600 ms lease
    const ids = await Promise.all(bodies.map((b) => publisher.publish(s.topic, b)));
    await expect.poll(() => remaining(s.name), { message: "all 60 messages acked", timeout: 30_000 }).toBe(0);
    const log = await handled(s.name);
    const byMessage = new Map<string, Handled[]>();
    for (const h of log) byMessage.set(h.messageId, [...(byMessage.get(h.messageId) ?? []), h]);
    expect([...byMessage.keys()].sort()).toEqual([...ids].sort());
    for (const runs of byMessage.values()) {
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i - 1].endedAt).not.toBeNull();
        expect(runs[i].startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1].endedAt!.getTime());
      }
    }
    // Leases were renewed while long handlers ran, so nothing was handled twice.
    expect(log).toHaveLength(60);
    expect(new Set(log.map((h) => h.worker))).toEqual(new Set(["w1", "w2"]));
  });

  test("a message whose handler kills the process every time becomes a dead letter after its retries, not a crash loop", async () => {
    const s = SUBS[3];
    const id = await publisher.publish(s.topic, { exitProcess: true });
    const exits: (number | null)[] = [];
    // Restart the process as a supervisor would, while it keeps dying; the attempt is counted when
    // the message is claimed, before the handler runs, so the crashes use up the retries.
    let survivor: ChildProcess | null = null;
    for (let run = 1; run <= 6 && !survivor; run++) {
      const child = spawnWorker(`looping-${run}`, s);
      // Until it dies of the message, or the message is dead-lettered (which only a process that
      // claims it past its retries does, without running the handler: that process stays up, as the
      // end of the test checks by having it handle the next message).
      const settled = async () => child.exitCode !== null || (await deadAt(s.name, id)) !== null;
      await expect.poll(settled, { message: `process ${run} exited or dead-lettered the message`, timeout: 20_000, interval: 50 }).toBe(true);
      if (child.exitCode === null) survivor = child;
      else exits.push(child.exitCode);
    }
    expect(exits).toEqual([70, 70, 70]); // maxRetries 2: three attempts, each killing its process
    expect(survivor).not.toBeNull();
    const attempts = (await handled(s.name)).filter((h) => h.messageId === id).map((h) => h.attempt);
    expect(attempts).toEqual([1, 2, 3]);
    const [dead] = await publisher.deadLetters(s.name);
    expect(dead).toMatchObject({ id, deliveryAttempt: 4 });
    expect(dead.lastError).toMatch(/ack deadline exceeded on attempt 3/);
    // The fourth process stays up and keeps handling the subscription's other messages.
    const next = await publisher.publish(s.topic, { n: 1 });
    await expect
      .poll(async () => (await handled(s.name)).some((h) => h.messageId === next && h.endedAt !== null), {
        message: "the next message handled",
        timeout: 20_000,
      })
      .toBe(true);
    expect(survivor!.exitCode).toBeNull();
  });
});
