// compliance's clocks: the retention policy is enforced daily; erasure tasks that failed are retried every minute.
import { CronJob } from "encore.dev/cron";
import { enforceRetention, processErasures } from "./internal";

// 'compliance-retention' purges expired data in every owning service at 02:30 each night.
export const retentionJob = new CronJob("compliance-retention", {
  title: "Enforce the data retention policy",
  schedule: "30 2 * * *",
  endpoint: enforceRetention,
});

// 'compliance-erasure-retry' attempts due erasure tasks every minute.
export const erasureRetryJob = new CronJob("compliance-erasure-retry", { title: "Retry pending erasure requests", every: "1m", endpoint: processErasures });
