// analytics' cron job: at 02:00 UTC, yesterday is finalised for every campaign (aggregation.ts).
import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import log from "encore.dev/log";
import { finaliseDays } from "./aggregation";
import type { AggregationResult } from "./model";

// aggregateDailyAnalytics finalises yesterday (UTC) for every active campaign and every campaign with figures that day.
export const aggregateDailyAnalytics = api(
  { expose: false, method: "POST", path: "/internal/analytics/aggregate-daily" },
  async (): Promise<AggregationResult> => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const result = await finaliseDays(yesterday, yesterday);
    log.info("daily analytics aggregation", { date: yesterday, ...result });
    return result;
  },
);

// 'analytics-aggregation' is the seed's nightly job (its `cron: "0 2 * * *"` written as a schedule).
const _ = new CronJob("analytics-aggregation", {
  title: "Daily analytics aggregation",
  schedule: "0 2 * * *",
  endpoint: aggregateDailyAnalytics,
});
