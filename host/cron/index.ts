// The cron scheduler (see host/cron/README.md).
export { CronScheduler, type CronSchedulerOptions } from "./scheduler.ts";
export type { CronJobSpec } from "./schedule.ts";
export { listRuns } from "./runstore.ts";
export { ManualClock } from "./schedulerclock.ts";
