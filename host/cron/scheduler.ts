// Runs cron jobs on their ticks, at most once per tick across all processes sharing the database
// (the tick's row in cron_runs is claimed with INSERT … ON CONFLICT DO NOTHING) and never
// overlapping a still-running run of the same job (a per-job lease with expiry, renewed while the
// run lasts). Ticks missed while no process was up are not replayed: a tick still runs if some
// process is awake within graceMs after it (a restart across the tick), else it is logged as missed.
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { Sql } from "postgres";
import { systemClock, type Clock } from "./schedulerclock.ts";
import { nextRun, type CronJobSpec } from "./schedule.ts";
import { claimTick, finishRun, migrateCron, pruneRuns, releaseLease, renewLease } from "./runstore.ts";

export interface Logger {
  debug?(msg: string, f?: object): void;
  info(msg: string, f?: object): void;
  warn(msg: string, f?: object): void;
  error(msg: string, f?: object): void;
}

export interface CronSchedulerOptions {
  sql: Sql;
  jobs: CronJobSpec[];
  /** Runs one job (the runtime calls the job's endpoint); a rejection is recorded as a failed run. */
  run: (job: CronJobSpec) => Promise<void>;
  clock?: Clock;
  log: Logger;
  /** Lease on a running job, renewed every third of it; a crashed process blocks the job at most this long (default 60 s). */
  leaseMs?: number;
  instanceId?: string;
  /** How late a tick may still start, e.g. when the process (re)started just after it (default 60 s). */
  graceMs?: number;
  /** How long stop() waits for running runs (default 10 s, wall-clock). */
  stopTimeoutMs?: number;
  /** How long cron_runs keeps rows (default 30 days). */
  retentionMs?: number;
}

const MAX_TIMER_MS = 3600_000; // long waits are split, so clock changes and setTimeout limits do not matter
const PRUNE_EVERY_MS = 3600_000;

export class CronScheduler {
  readonly instanceId: string;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly graceMs: number;
  private readonly timers = new Map<string, unknown>();
  private readonly busy = new Map<string, Date>(); // job → tick being claimed or run here
  private readonly fires = new Set<Promise<void>>();
  private stopped = false;
  private lastPrune = -Infinity;

  constructor(private readonly opts: CronSchedulerOptions) {
    this.instanceId = opts.instanceId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    this.clock = opts.clock ?? systemClock;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.graceMs = opts.graceMs ?? 60_000;
    const names = new Set<string>();
    for (const job of opts.jobs) {
      if (names.has(job.name)) throw new Error(`cron: job "${job.name}" is declared twice`);
      names.add(job.name);
    }
  }

  async start(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.opts.jobs) nextRun(job, now); // a bad schedule fails start, not a tick
    await migrateCron(this.opts.sql);
    if (this.stopped) return;
    for (const job of this.opts.jobs) {
      const first = nextRun(job, this.clock.now() - this.graceMs - 1);
      if (first <= this.clock.now())
        this.onTimer(job, first); // the current tick, if still within grace
      else this.arm(job, first);
    }
    this.opts.log.info("cron: scheduler started", { instance: this.instanceId, jobs: this.opts.jobs.map((j) => j.name) });
  }

  /** Resolves once no tick is being claimed or run in this process (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.fires.size > 0) await Promise.allSettled([...this.fires]);
  }

  /** Stops scheduling, waits (bounded) for running runs, and releases the leases of those still running. */
  async stop(deadlineMs = this.opts.stopTimeoutMs ?? 10_000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
    if (this.fires.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.fires]), new Promise((r) => (timer = setTimeout(r, deadlineMs)))]);
      clearTimeout(timer);
    }
    for (const [job, tick] of this.busy) {
      this.opts.log.warn("cron: stopped while a run was still going; its lease is released", { job, tick: tick.toISOString() });
      await this.interrupt(job, tick, "scheduler stopped before the run finished");
    }
  }

  private arm(job: CronJobSpec, tick: number): void {
    const delay = Math.min(Math.max(0, tick - this.clock.now()), MAX_TIMER_MS);
    this.timers.set(
      job.name,
      this.clock.setTimeout(() => this.onTimer(job, tick), delay),
    );
  }

  private onTimer(job: CronJobSpec, tick: number): void {
    this.timers.delete(job.name);
    if (this.stopped) return;
    const now = this.clock.now();
    if (now < tick) {
      this.arm(job, tick);
      return;
    }
    // Only the latest due tick runs; ticks skipped over (a stalled process) are not replayed.
    let due = tick;
    let missed = 0;
    for (let n = nextRun(job, due); n <= now; n = nextRun(job, n)) {
      due = n;
      missed++;
    }
    if (missed > 0) this.opts.log.warn("cron: ticks missed while the process was not running them", { job: job.name, missed });
    if (now - due <= this.graceMs) {
      const fire = this.fire(job, due);
      this.fires.add(fire);
      void fire.finally(() => this.fires.delete(fire));
    } else {
      this.opts.log.warn("cron: tick missed", { job: job.name, tick: new Date(due).toISOString() });
    }
    this.arm(job, nextRun(job, due));
  }

  private async fire(job: CronJobSpec, tickMs: number): Promise<void> {
    const tick = new Date(tickMs);
    const log = this.opts.log;
    const runningHere = this.busy.has(job.name);
    if (!runningHere) this.busy.set(job.name, tick);
    const release = () => {
      if (!runningHere && this.busy.get(job.name) === tick) this.busy.delete(job.name);
    };
    const now = this.clock.now();
    let outcome: Awaited<ReturnType<typeof claimTick>>;
    try {
      outcome = await claimTick(this.opts.sql, job.name, tick, this.instanceId, new Date(now), new Date(now + this.leaseMs), runningHere);
    } catch (err) {
      release();
      log.error("cron: could not claim a tick", { job: job.name, tick: tick.toISOString(), error: String(err) });
      return;
    }
    if (outcome.kind === "taken") {
      // Another process has this tick: the normal case for every process but one.
      log.debug?.("cron: tick taken by another process", { job: job.name, tick: tick.toISOString() });
      return release();
    }
    if (outcome.kind === "skipped") {
      release();
      log.warn("cron: tick skipped: the previous run is still in progress", { job: job.name, tick: tick.toISOString(), holder: outcome.holder });
      return;
    }
    if (this.stopped) {
      await this.interrupt(job.name, tick, "scheduler stopped before the run started");
      return release();
    }
    try {
      await this.execute(job, tick);
    } finally {
      release();
    }
  }

  private async execute(job: CronJobSpec, tick: Date): Promise<void> {
    const { sql, log } = this.opts;
    const startedAt = this.clock.now();
    log.info("cron: run started", { job: job.name, tick: tick.toISOString() });
    let finished = false;
    let renewal: unknown;
    const scheduleRenewal = () => {
      renewal = this.clock.setTimeout(
        () => {
          void renewLease(sql, job.name, this.instanceId, new Date(this.clock.now() + this.leaseMs))
            .then((held) => {
              if (!held && !finished) log.warn("cron: lease lost while running; another run may overlap", { job: job.name });
            })
            .catch((err) => log.error("cron: lease renewal failed", { job: job.name, error: String(err) }))
            .finally(() => !finished && scheduleRenewal());
        },
        Math.max(1, Math.floor(this.leaseMs / 3)),
      );
    };
    scheduleRenewal();
    let error: string | null = null;
    try {
      await this.opts.run(job);
    } catch (err) {
      error = err instanceof Error ? err.message || err.name : String(err);
    }
    finished = true;
    this.clock.clearTimeout(renewal);
    const endedAt = this.clock.now();
    const durationMs = endedAt - startedAt;
    const status = error === null ? "succeeded" : "failed";
    try {
      await finishRun(sql, job.name, tick, status, new Date(endedAt), durationMs, error);
      await releaseLease(sql, job.name, this.instanceId);
    } catch (err) {
      log.error("cron: could not record the end of a run", { job: job.name, tick: tick.toISOString(), error: String(err) });
    }
    const fields = { job: job.name, tick: tick.toISOString(), status, durationMs, ...(error ? { error } : {}) };
    if (error) log.error("cron: run failed", fields);
    else log.info("cron: run finished", fields);
    void this.pruneNow(endedAt);
  }

  private async interrupt(job: string, tick: Date, reason: string): Promise<void> {
    try {
      await finishRun(this.opts.sql, job, tick, "interrupted", new Date(this.clock.now()), this.clock.now() - tick.getTime(), reason);
      await releaseLease(this.opts.sql, job, this.instanceId);
    } catch (err) {
      this.opts.log.error("cron: could not release a lease; it expires on its own", { job, error: String(err) });
    }
  }

  private async pruneNow(now: number): Promise<void> {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    try {
      await pruneRuns(this.opts.sql, new Date(now - (this.opts.retentionMs ?? 30 * 24 * 3600_000)));
    } catch (err) {
      this.opts.log.warn("cron: pruning old runs failed", { error: String(err) });
    }
  }
}
