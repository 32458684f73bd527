// The scheduler's tables and statements. Times come from the scheduler's clock (passed in), so a
// test's fake clock and the rows agree; processes on different machines rely on NTP as usual.
import type { Sql, TransactionSql } from "postgres";
import { migrateComponent } from "../pubsub/tables.ts";

const MIGRATIONS: string[][] = [
  [
    // One row per (job, tick): inserting it is how a process claims the tick, and it then records
    // the run. status: running | succeeded | failed | skipped | interrupted.
    `CREATE TABLE IF NOT EXISTS cron_runs (
       job text NOT NULL,
       tick timestamptz NOT NULL,
       instance text NOT NULL,
       status text NOT NULL,
       started_at timestamptz,
       ended_at timestamptz,
       duration_ms integer,
       error text,
       PRIMARY KEY (job, tick)
     )`,
    `CREATE INDEX IF NOT EXISTS cron_runs_tick ON cron_runs (tick)`,
    // At most one row per job: held while a run is in progress, renewed, released at its end.
    `CREATE TABLE IF NOT EXISTS cron_lease (
       job text PRIMARY KEY,
       holder text NOT NULL,
       tick timestamptz NOT NULL,
       expires_at timestamptz NOT NULL
     )`,
  ],
];

export function migrateCron(sql: Sql): Promise<void> {
  return migrateComponent(sql, "cron", MIGRATIONS);
}

export type CronRunStatus = "running" | "succeeded" | "failed" | "skipped" | "interrupted";

export interface CronRun {
  job: string;
  tick: Date;
  instance: string;
  status: CronRunStatus;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  error: string | null;
}

export type ClaimOutcome = { kind: "taken" } | { kind: "run" } | { kind: "skipped"; holder: string };

/**
 * Claims tick `tick` of `job` and, if this process won it, the job's lease, in one transaction:
 * "taken" if another process already has the tick; "skipped" (recorded) if the previous run still
 * holds the lease; else "run", with the run recorded as running.
 */
export async function claimTick(sql: Sql, job: string, tick: Date, instance: string, now: Date, leaseUntil: Date, runningHere: boolean): Promise<ClaimOutcome> {
  return (await sql.begin(async (tx: TransactionSql) => {
    const claimed = await tx`
      INSERT INTO cron_runs (job, tick, instance, status, started_at)
      VALUES (${job}, ${tick}, ${instance}, 'running', ${now})
      ON CONFLICT (job, tick) DO NOTHING
      RETURNING 1 AS ok`;
    if (claimed.length === 0) return { kind: "taken" } as const;
    const leased = runningHere
      ? []
      : await tx`
          INSERT INTO cron_lease (job, holder, tick, expires_at) VALUES (${job}, ${instance}, ${tick}, ${leaseUntil})
          ON CONFLICT (job) DO UPDATE SET holder = EXCLUDED.holder, tick = EXCLUDED.tick, expires_at = EXCLUDED.expires_at
          WHERE cron_lease.expires_at <= ${now}
          RETURNING 1 AS ok`;
    if (leased.length > 0) return { kind: "run" } as const;
    const [holder] = await tx`SELECT holder, tick FROM cron_lease WHERE job = ${job}`;
    const by = runningHere ? instance : holder ? `${holder.holder} (tick ${new Date(holder.tick).toISOString()})` : "unknown";
    await tx`
      UPDATE cron_runs SET status = 'skipped', started_at = NULL, error = ${`previous run still in progress on ${by}`}
      WHERE job = ${job} AND tick = ${tick}`;
    return { kind: "skipped", holder: by } as const;
  })) as ClaimOutcome;
}

/** Extends the lease; false if this process no longer holds it. */
export async function renewLease(sql: Sql, job: string, instance: string, leaseUntil: Date): Promise<boolean> {
  const rows = await sql`UPDATE cron_lease SET expires_at = ${leaseUntil} WHERE job = ${job} AND holder = ${instance} RETURNING 1 AS ok`;
  return rows.length > 0;
}

export async function releaseLease(sql: Sql, job: string, instance: string): Promise<void> {
  await sql`DELETE FROM cron_lease WHERE job = ${job} AND holder = ${instance}`;
}

export async function finishRun(
  sql: Sql,
  job: string,
  tick: Date,
  status: CronRunStatus,
  endedAt: Date,
  durationMs: number,
  error: string | null,
): Promise<void> {
  await sql`
    UPDATE cron_runs SET status = ${status}, ended_at = ${endedAt}, duration_ms = ${Math.round(durationMs)}, error = ${error}
    WHERE job = ${job} AND tick = ${tick} AND status IN ('running', 'interrupted')`;
}

export async function pruneRuns(sql: Sql, before: Date): Promise<number> {
  const [row] = await sql`WITH gone AS (DELETE FROM cron_runs WHERE tick < ${before} RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  return Number(row.n);
}

/** The most recent runs (newest tick first), of one job or all. */
export async function listRuns(sql: Sql, job?: string, limit = 100): Promise<CronRun[]> {
  const rows = await sql`
    SELECT job, tick, instance, status, started_at AS started, ended_at AS ended, duration_ms AS duration, error
    FROM cron_runs
    WHERE ${job ?? null}::text IS NULL OR job = ${job ?? null}::text
    ORDER BY tick DESC, job
    LIMIT ${limit}`;
  return rows.map((r) => ({
    job: r.job,
    tick: r.tick,
    instance: r.instance,
    status: r.status,
    startedAt: r.started,
    endedAt: r.ended,
    durationMs: r.duration === null ? null : Number(r.duration),
    error: r.error,
  }));
}
