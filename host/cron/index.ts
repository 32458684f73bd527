// The cron scheduler (see host/cron/README.md).
export { CronScheduler, type CronSchedulerOptions, type Logger } from "./scheduler.ts";
export { parseCron, nextRun, nextCronTime, nextEveryTime, CronSyntaxError, type CronJobSpec, type CronSchedule } from "./schedule.ts";
export { listRuns, migrateCron, type CronRun, type CronRunStatus } from "./runstore.ts";
export { systemClock, ManualClock, type Clock } from "./schedulerclock.ts";
