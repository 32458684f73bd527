// Cron jobs: the SDK's CronJob never reaches the runtime, so the jobs come from the parser's
// metadata; each tick calls the job's endpoint like an internal API call (no auth).
import { CronScheduler, type CronJobSpec } from "../cron/index.ts";
import type { Runtime } from "./runtime.ts";
import { ApiCallError } from "./request.ts";
import { runtimeMetrics } from "./metrics.ts";

export class CronRuntime {
  private scheduler: CronScheduler | null = null;

  constructor(private readonly rt: Runtime) {}

  async start(): Promise<void> {
    const jobs = this.rt.config.meta.cronJobs;
    if (jobs.length === 0) return;
    const byName = new Map(jobs.map((j) => [j.name, j]));
    this.scheduler = new CronScheduler({
      sql: await this.rt.databases.runtimeSql(),
      jobs: jobs.map((j): CronJobSpec => ({ name: j.name, every: j.every, schedule: j.schedule })),
      log: this.rt.log,
      run: async (spec) => {
        const job = byName.get(spec.name)!;
        const res = await this.rt.dispatcher.apiCall(job.endpoint.service, job.endpoint.name, undefined, null, null);
        runtimeMetrics.cronRun(job.name, !(res instanceof ApiCallError));
        if (res instanceof ApiCallError) throw new Error(`${job.endpoint.service}.${job.endpoint.name} failed: ${res.code}: ${res.message}`);
      },
    });
    await this.scheduler.start(); // logs the jobs it schedules
  }

  /** Runs a job's endpoint now, outside its schedule (the dev dashboard's "run now"). */
  async runNow(name: string): Promise<{ ok: boolean; durationMs: number; error?: string }> {
    const job = this.rt.config.meta.cronJobs.find((j) => j.name === name);
    if (!job) return { ok: false, durationMs: 0, error: `no cron job "${name}"` };
    const started = performance.now();
    const res = await this.rt.dispatcher.apiCall(job.endpoint.service, job.endpoint.name, undefined, null, null);
    const durationMs = Math.round(performance.now() - started);
    this.rt.log.info(`cron job ${name} run by hand`, { ok: !(res instanceof ApiCallError), duration_ms: durationMs });
    return res instanceof ApiCallError ? { ok: false, durationMs, error: `${res.code}: ${res.message}` } : { ok: true, durationMs };
  }

  async stop(deadlineMs: number): Promise<void> {
    await this.scheduler?.stop(deadlineMs);
  }
}
