// The metrics job: every 5 minutes, recompute the metrics of every active campaign (monitoring's
// sentiment and engagement move all the time; the ad figures arrive from integrations' pollers,
// which recompute the campaign they deliver for).
import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import { recomputeActive } from "./flows/metrics";
import type { MetricsRunResponse } from "./model";

// computeCampaignMetrics recomputes every active campaign's metrics (the cron job's endpoint; no caller).
export const computeCampaignMetrics = api(
  { expose: false, method: "POST", path: "/internal/campaigns/metrics/compute" },
  (): Promise<MetricsRunResponse> => recomputeActive(),
);

// 'campaign-metrics' recomputes active campaigns' metrics every 5 minutes.
export const campaignMetrics = new CronJob("campaign-metrics", { title: "Recompute active campaigns' metrics", every: "5m", endpoint: computeCampaignMetrics });
