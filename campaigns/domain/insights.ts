// Totals across the campaigns of a cross-campaign insights answer. Pure.
import type { InsightTotals } from "../model";
import type { CampaignMetrics } from "./campaign";

/** The monitoring figures summed across campaigns (all of InsightTotals but the ad figures). */
type MonitoringTotals = Omit<InsightTotals, "impressions" | "clicks" | "conversions">;

/** What the totals read of one campaign's insights. */
export interface InsightParts {
  metrics: Pick<CampaignMetrics, "impressions" | "clicks" | "conversions">;
  monitoring: MonitoringTotals;
}

/** The summed figures; the sentiment is the mean of the campaigns' means weighted by their mentions. */
export function insightTotals(campaigns: readonly InsightParts[]): InsightTotals {
  const sum = (f: (c: InsightParts) => number) => campaigns.reduce((s, c) => s + f(c), 0);
  const mentions = sum((c) => c.monitoring.mentions);
  const weighted = sum((c) => c.monitoring.averageSentiment * c.monitoring.mentions);
  return {
    mentions,
    previousMentions: sum((c) => c.monitoring.previousMentions),
    averageSentiment: mentions > 0 ? Math.round((weighted / mentions) * 1000) / 1000 : 0,
    positive: sum((c) => c.monitoring.positive),
    neutral: sum((c) => c.monitoring.neutral),
    negative: sum((c) => c.monitoring.negative),
    reach: sum((c) => c.monitoring.reach),
    engagement: sum((c) => c.monitoring.engagement),
    openCrises: sum((c) => c.monitoring.openCrises),
    impressions: sum((c) => c.metrics.impressions),
    clicks: sum((c) => c.metrics.clicks),
    conversions: sum((c) => c.metrics.conversions),
  };
}
