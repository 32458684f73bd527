// monitoring's clocks: detectors advance every minute even when no mention comes (so a crisis
// resolves after its calm, and silence teaches the baselines), and processed-batch ids are forgotten
// nightly once no redelivery can bring them back.
import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import log from "encore.dev/log";
import { runDetector } from "./flows/detection";
import type { AdvanceResponse } from "./model";
import * as store from "./store";

const DAY = 86_400_000;
/** The data stream keeps undelivered messages 7 days (Encore's default retention); ids are kept a day longer. */
const BATCH_MEMORY_DAYS = 8;

// advanceDetectors moves every recently active campaign's detector to the present (resolving crises after their calm).
export const advanceDetectors = api({ expose: false, method: "POST", path: "/internal/monitoring/detectors/advance" }, async (): Promise<AdvanceResponse> => {
  const now = Date.now();
  const campaignIds = await store.detectorsToAdvance(new Date(now - DAY));
  const results = await Promise.allSettled(campaignIds.map((id) => runDetector(id, { kind: "tick", now })));
  let events = 0;
  results.forEach((r, i) => {
    if (r.status === "fulfilled") events += r.value;
    else
      log.error("a campaign's detector could not advance", {
        campaignId: campaignIds[i],
        error: r.reason instanceof Error ? r.reason.message : String(r.reason),
      });
  });
  return { campaigns: campaignIds.length, events };
});

// 'monitoring-detector-clock' advances the detectors every minute.
export const detectorClock = new CronJob("monitoring-detector-clock", {
  title: "Advance crisis detectors to the present",
  every: "1m",
  endpoint: advanceDetectors,
});

// forgetProcessedBatches drops detector batch ids older than the data stream's retention.
export const forgetProcessedBatches = api({ expose: false, method: "POST", path: "/internal/monitoring/batches/forget" }, async (): Promise<void> => {
  const forgotten = await store.forgetProcessedBatches(new Date(Date.now() - BATCH_MEMORY_DAYS * DAY));
  log.info("monitoring forgot processed batch ids", { forgotten });
});

// 'monitoring-housekeeping' forgets old processed batch ids every night at 03:40.
export const monitoringHousekeeping = new CronJob("monitoring-housekeeping", {
  title: "Forget old processed batch ids",
  schedule: "40 3 * * *",
  endpoint: forgetProcessedBatches,
});
