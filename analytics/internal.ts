// analytics' private endpoints: the compliance contract (shared/retention.ts): retention purges of the
// analytics_rollups data class, and erasure of a user's name from the reports they exported. Purged
// reports' PDFs leave the bucket before the purge answers: when that fails the purge fails, and the
// next run (or the move job) removes what is left.
import { api, APIError } from "encore.dev/api";
import type { ErasureRequest, ErasureResult, PurgeRequest, PurgeResult } from "../shared/retention";
import { storageUnavailable } from "../shared/objects";
import { removeDeletedFiles } from "./flows/report-files";
import * as store from "./store";

// purgeAnalytics deletes rollups, counted batches, crises and stored reports older than `before` (data class analytics_rollups; idempotent).
export const purgeAnalytics = api(
  { expose: false, method: "POST", path: "/internal/analytics/retention/purge" },
  async ({ dataClass, before }: PurgeRequest): Promise<PurgeResult> => {
    if (dataClass !== "analytics_rollups") throw APIError.invalidArgument(`analytics holds only the analytics_rollups data class, not ${dataClass}`);
    if (Number.isNaN(before.getTime())) throw APIError.invalidArgument("before must be a valid time");
    const deleted = await store.purgeBefore(before);
    try {
      await removeDeletedFiles();
    } catch (err) {
      throw storageUnavailable(err, "removing purged reports' PDFs");
    }
    return { dataClass, deleted };
  },
);

// eraseAnalyticsUser removes a user's id from the PDF reports they exported (the reports stay, for their campaign); idempotent.
export const eraseAnalyticsUser = api(
  { expose: false, method: "POST", path: "/internal/analytics/erasure" },
  async ({ userId }: ErasureRequest): Promise<ErasureResult> => ({ service: "analytics", erased: { report_authors: await store.forgetReportAuthor(userId) } }),
);
