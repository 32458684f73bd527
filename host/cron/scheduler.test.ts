// The scheduler against a real Postgres with a manual clock: time moves when the test says so.
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CronScheduler, ManualClock, listRuns, type CronJobSpec, type CronSchedulerOptions } from "./index.ts";
import { createTestDatabase, recordingLog, type TestDatabase } from "../testing/scratch-db.ts";

let db: TestDatabase;
const schedulers: CronScheduler[] = [];

beforeAll(async () => {
  db = await createTestDatabase("cron");
});

afterAll(async () => {
  await Promise.all(schedulers.map((s) => s.stop(100)));
  await db?.drop();
});

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function scheduler(opts: Partial<CronSchedulerOptions> & { jobs: CronJobSpec[]; clock: ManualClock }) {
  const log = recordingLog();
  const calls: string[] = [];
  const s = new CronScheduler({
    sql: db.connect(),
    log,
    run: async (job) => void calls.push(job.name),
    ...opts,
  });
  schedulers.push(s);
  await s.start();
  return { s, log, calls };
}

const ticksOf = async (job: string) => (await listRuns(db.sql, job)).map((r) => [r.tick.toISOString(), r.status]).reverse();

/** Waits until every scheduler has finished what its clock started, then returns the job's runs. */
async function settled(job: string, count: number) {
  await Promise.all(schedulers.map((s) => s.idle()));
  const runs = await listRuns(db.sql, job);
  expect(runs).toHaveLength(count);
  return runs;
}

describe("cron scheduler", () => {
  test("an every job runs on its ticks, aligned to the interval since UTC midnight", async () => {
    const clock = new ManualClock(at("2024-05-01T00:02:00Z"));
    const job = { name: "every-five", every: 5 * MIN, schedule: null };
    const { calls } = await scheduler({ jobs: [job], clock });
    clock.advanceTo(at("2024-05-01T00:04:59Z"));
    expect(calls).toEqual([]);
    clock.advanceTo(at("2024-05-01T00:05:00Z"));
    await settled("every-five", 1);
    clock.advanceTo(at("2024-05-01T00:10:00Z"));
    await settled("every-five", 2);
    expect(calls).toEqual(["every-five", "every-five"]);
    expect(await ticksOf("every-five")).toEqual([
      ["2024-05-01T00:05:00.000Z", "succeeded"],
      ["2024-05-01T00:10:00.000Z", "succeeded"],
    ]);
  });

  test("a schedule job runs at its cron times", async () => {
    const clock = new ManualClock(at("2024-05-01T00:00:00Z"));
    const { calls } = await scheduler({ jobs: [{ name: "nightly", every: null, schedule: "30 1 * * *" }], clock });
    clock.advanceTo(at("2024-05-01T01:29:00Z"));
    expect(calls).toEqual([]);
    clock.advanceTo(at("2024-05-01T01:30:00Z"));
    await settled("nightly", 1);
    clock.advanceTo(at("2024-05-02T01:29:59Z"));
    clock.advanceTo(at("2024-05-02T01:30:00Z"));
    await settled("nightly", 2);
    expect(await ticksOf("nightly")).toEqual([
      ["2024-05-01T01:30:00.000Z", "succeeded"],
      ["2024-05-02T01:30:00.000Z", "succeeded"],
    ]);
    const [run] = await listRuns(db.sql, "nightly", 1);
    expect(run).toMatchObject({ status: "succeeded", durationMs: 0, error: null });
    expect(run.startedAt?.toISOString()).toBe("2024-05-02T01:30:00.000Z");
  });

  test("two schedulers sharing the database run each tick exactly once", async () => {
    const clock = new ManualClock(at("2024-05-01T00:00:30Z"));
    const job = { name: "shared-minute", every: MIN, schedule: null };
    const a = await scheduler({ jobs: [job], clock, instanceId: "a" });
    const b = await scheduler({ jobs: [job], clock, instanceId: "b" });
    await settled("shared-minute", 1); // the current tick (00:00) is within the start-up grace
    for (let m = 1; m <= 5; m++) {
      clock.advanceTo(at("2024-05-01T00:00:00Z") + m * MIN);
      await settled("shared-minute", m + 1);
    }
    expect(a.calls.length + b.calls.length).toBe(6);
    const runs = await listRuns(db.sql, "shared-minute");
    expect(new Set(runs.map((r) => r.tick.toISOString())).size).toBe(6);
    expect(runs.every((r) => r.status === "succeeded")).toBe(true);
  });

  test("a scheduler in another process and one here run each tick exactly once between them", async () => {
    const start = "2024-07-01T00:00:30Z";
    const job = { name: "cross-process", every: MIN, schedule: null };
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "fixtures", "schedulerprocess.ts")], {
      env: { ...process.env, CRON_WORKER: JSON.stringify({ url: db.url, instanceId: "child", job, start }) },
      stdio: ["pipe", "pipe", "inherit"],
    });
    try {
      const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const expectLine = async (text: string) => expect((await lines.next()).value).toBe(text);
      await expectLine("ready");
      const clock = new ManualClock(at(start));
      const here = await scheduler({ jobs: [job], clock, instanceId: "parent" });
      for (let m = 1; m <= 6; m++) {
        const tick = new Date(at("2024-07-01T00:00:00Z") + m * MIN).toISOString();
        child.stdin!.write(`advance ${tick}\n`); // both processes reach the tick at about the same moment
        clock.advanceTo(Date.parse(tick));
        await expectLine(`idle ${tick}`);
        await here.s.idle();
      }
      const runs = await listRuns(db.sql, "cross-process");
      expect(runs).toHaveLength(7); // 00:00 (within grace at start) to 00:06
      expect(new Set(runs.map((r) => r.tick.toISOString())).size).toBe(7);
      expect(runs.every((r) => r.status === "succeeded")).toBe(true);
      expect(runs.filter((r) => r.instance === "parent")).toHaveLength(here.calls.length);
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("a tick arriving while the previous run still goes is skipped and logged, in this process or another", async () => {
    const job = { name: "slow-report", every: 5 * MIN, schedule: null };
    const gate = deferred();
    const clockA = new ManualClock(at("2024-05-01T00:04:00Z"));
    const a = await scheduler({ jobs: [job], clock: clockA, instanceId: "a", leaseMs: 3600_000, run: () => gate.promise });
    clockA.advanceTo(at("2024-05-01T00:05:00Z"));
    await expect.poll(async () => (await ticksOf("slow-report")).length, { message: "first run started" }).toBe(1);
    // Same process, next tick: still running here.
    clockA.advanceTo(at("2024-05-01T00:10:00Z"));
    // Another process whose clock reaches the tick after: the lease says the run goes on.
    const clockB = new ManualClock(at("2024-05-01T00:14:00Z"));
    const b = await scheduler({ jobs: [job], clock: clockB, instanceId: "b" });
    clockB.advanceTo(at("2024-05-01T00:15:00Z"));
    await expect.poll(async () => (await ticksOf("slow-report")).length, { message: "three ticks recorded" }).toBe(3);
    expect(await ticksOf("slow-report")).toEqual([
      ["2024-05-01T00:05:00.000Z", "running"],
      ["2024-05-01T00:10:00.000Z", "skipped"],
      ["2024-05-01T00:15:00.000Z", "skipped"],
    ]);
    const skipped = (await listRuns(db.sql, "slow-report")).filter((r) => r.status === "skipped");
    expect(skipped.every((r) => r.error?.includes("previous run still in progress on a"))).toBe(true);
    expect(a.log.entries.some((e) => e.level === "warn" && e.msg.includes("skipped"))).toBe(true);
    expect(b.log.entries.some((e) => e.level === "warn" && e.msg.includes("skipped"))).toBe(true);
    expect(b.calls).toEqual([]);

    gate.resolve();
    await a.s.idle(); // the first run has finished and released its lease
    clockB.advanceTo(at("2024-05-01T00:20:00Z"));
    await settled("slow-report", 4);
    expect((await ticksOf("slow-report"))[3]).toEqual(["2024-05-01T00:20:00.000Z", "succeeded"]);
    expect(b.calls).toEqual(["slow-report"]);
  });

  test("a lease left by a crashed process blocks the job only until it expires", async () => {
    const clock = new ManualClock(at("2024-05-01T00:03:00Z"));
    await db.sql`INSERT INTO cron_lease (job, holder, tick, expires_at)
                 VALUES ('orphaned', 'crashed', ${new Date(at("2024-05-01T00:00:00Z"))}, ${new Date(at("2024-05-01T00:06:00Z"))})`;
    const { calls } = await scheduler({ jobs: [{ name: "orphaned", every: 5 * MIN, schedule: null }], clock });
    clock.advanceTo(at("2024-05-01T00:05:00Z"));
    await settled("orphaned", 1);
    clock.advanceTo(at("2024-05-01T00:10:00Z"));
    await settled("orphaned", 2);
    expect(await ticksOf("orphaned")).toEqual([
      ["2024-05-01T00:05:00.000Z", "skipped"],
      ["2024-05-01T00:10:00.000Z", "succeeded"],
    ]);
    expect(calls).toEqual(["orphaned"]);
  });

  test("a failing run is recorded with its error and logged", async () => {
    const clock = new ManualClock(at("2024-05-01T00:00:30Z"));
    const { log } = await scheduler({
      jobs: [{ name: "broken", every: 10 * MIN, schedule: null }],
      clock,
      run: async () => {
        throw new Error("upstream API down");
      },
    });
    const [run] = await settled("broken", 1);
    expect(run).toMatchObject({ status: "failed", error: "upstream API down" });
    expect(log.entries.some((e) => e.level === "error" && e.msg.includes("run failed"))).toBe(true);
  });

  test("after a restart the current tick still runs once, older missed ticks are not replayed", async () => {
    const job = { name: "restarted", every: 5 * MIN, schedule: null };
    // Up 20 s after the 00:05 tick (within the 60 s grace): it runs now. 00:00 and before are gone.
    await scheduler({ jobs: [job], clock: new ManualClock(at("2024-05-01T00:05:20Z")) });
    await settled("restarted", 1);
    // A second process starting 10 s later finds the tick done.
    const again = await scheduler({ jobs: [job], clock: new ManualClock(at("2024-05-01T00:05:30Z")) });
    // Up 2 minutes after the tick: nothing until the next one.
    const late = await scheduler({ jobs: [{ ...job, name: "restarted-late" }], clock: new ManualClock(at("2024-05-01T00:07:00Z")) });
    await settled("restarted", 1);
    expect(await ticksOf("restarted")).toEqual([["2024-05-01T00:05:00.000Z", "succeeded"]]);
    expect(again.calls).toEqual([]);
    expect(late.calls).toEqual([]);
    expect(await ticksOf("restarted-late")).toEqual([]);
  });

  test("a process stalled across several ticks runs only the latest one", async () => {
    const clock = new ManualClock(at("2024-05-01T00:00:30Z"));
    const { log } = await scheduler({ jobs: [{ name: "stalled", every: 10 * MIN, schedule: null }], clock, graceMs: 30_000 });
    await settled("stalled", 1); // 00:00, within grace at start
    // The event loop was blocked from 00:05 to 00:30:10: the timer for 00:10 fires late.
    clock.jumpTo(at("2024-05-01T00:30:10Z"));
    clock.advance(0);
    await settled("stalled", 2);
    expect(await ticksOf("stalled")).toEqual([
      ["2024-05-01T00:00:00.000Z", "succeeded"],
      ["2024-05-01T00:30:00.000Z", "succeeded"],
    ]);
    expect(log.entries.some((e) => e.level === "warn" && e.msg.includes("ticks missed"))).toBe(true);
    // Blocked past the grace: even the latest tick is only logged as missed.
    clock.jumpTo(at("2024-05-01T00:50:45Z"));
    clock.advance(0);
    expect(log.entries.some((e) => e.level === "warn" && e.msg === "cron: tick missed")).toBe(true);
    clock.advanceTo(at("2024-05-01T01:00:00Z"));
    await settled("stalled", 3);
    expect((await ticksOf("stalled")).map(([tick]) => tick)).toEqual(["2024-05-01T00:00:00.000Z", "2024-05-01T00:30:00.000Z", "2024-05-01T01:00:00.000Z"]);
  });

  test("stop waits a bounded time, then marks a still-running run interrupted and releases its lease", async () => {
    const clock = new ManualClock(at("2024-05-01T00:00:30Z"));
    const gate = deferred();
    const { s } = await scheduler({ jobs: [{ name: "long-import", every: 10 * MIN, schedule: null }], clock, run: () => gate.promise });
    await expect.poll(async () => (await ticksOf("long-import")).length, { message: "run started" }).toBe(1);
    await s.stop(50);
    expect(await ticksOf("long-import")).toEqual([["2024-05-01T00:00:00.000Z", "interrupted"]]);
    expect(await db.sql`SELECT * FROM cron_lease WHERE job = 'long-import'`).toHaveLength(0);
    // A run that finishes after all still records its real outcome.
    gate.resolve();
    await settled("long-import", 1);
    expect(await ticksOf("long-import")).toEqual([["2024-05-01T00:00:00.000Z", "succeeded"]]);
  });

  test("listRuns lists the newest runs first, of one job or all, up to a limit", async () => {
    const clock = new ManualClock(at("2024-06-01T00:00:30Z"));
    await scheduler({ jobs: [{ name: "listed", every: MIN, schedule: null }], clock });
    for (let m = 1; m <= 3; m++) {
      clock.advanceTo(at("2024-06-01T00:00:00Z") + m * MIN);
      await settled("listed", m + 1);
    }
    const two = await listRuns(db.sql, "listed", 2);
    expect(two.map((r) => r.tick.toISOString())).toEqual(["2024-06-01T00:03:00.000Z", "2024-06-01T00:02:00.000Z"]);
    const all = await listRuns(db.sql, undefined, 1000);
    expect(all.some((r) => r.job === "listed") && all.some((r) => r.job !== "listed")).toBe(true);
  });

  test("a job with an invalid schedule fails start with the reason", async () => {
    const s = new CronScheduler({ sql: db.sql, jobs: [{ name: "bad", every: null, schedule: "61 * * * *" }], run: async () => {}, log: recordingLog() });
    await expect(s.start()).rejects.toThrow(/minute 61 is out of range/);
  });
});
