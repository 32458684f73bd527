// Cron jobs: the SDK's CronJob never reaches the runtime, so the jobs come from the parser's
// metadata; each tick calls the job's endpoint like an internal API call (no auth).
import { CronScheduler, type CronJobSpec } from "../cron/index.ts";
import type { Runtime } from "./runtime.ts";
import { ApiCallError } from "./request.ts";

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
        if (res instanceof ApiCallError) throw new Error(`${job.endpoint.service}.${job.endpoint.name} failed: ${res.code}: ${res.message}`);
      },
    });
    await this.scheduler.start(); // logs the jobs it schedules
  }

  async stop(deadlineMs: number): Promise<void> {
    await this.scheduler?.stop(deadlineMs);
  }
}
