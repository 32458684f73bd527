// analytics' cron jobs: at 02:00 UTC, yesterday is finalised for every campaign (flows/aggregation.ts);
// every 5 minutes, PDF reports stored in the database before the bucket move into it (flows/report-files.ts).
import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import log from "encore.dev/log";
import { finaliseDays } from "./flows/aggregation";
import { moveReportsToBucket } from "./flows/report-files";
import type { AggregationResult, MoveResult } from "./model";

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

// moveReportFiles moves PDF reports stored in the database before the bucket into it, and removes purged reports' PDFs.
export const moveReportFiles = api({ expose: false, method: "POST", path: "/internal/analytics/reports/move-files" }, async (): Promise<MoveResult> => {
  const result = await moveReportsToBucket();
  if (result.moved > 0 || result.removed > 0) log.info("report PDFs moved to the bucket", { ...result });
  return result;
});

// A cron job rather than a task started with the service: the scheduler runs it in one process per
// tick and never overlaps a run still going, its runs are recorded and counted in /metrics, and the
// ops dashboard can run it by hand; a start-up task would run in every process and every test
// process, competing with start-up itself. Until it has moved a row, downloads take the PDF from the
// row, so nothing waits for it. Two runs at once are harmless: a batch locks its rows SKIP LOCKED and
// keys are the reports' ids.
const __ = new CronJob("analytics-reports-to-bucket", {
  title: "Move exported PDF reports into the bucket",
  every: "5m",
  endpoint: moveReportFiles,
});
