// The poller job: every minute, poll Mentionlytics for each active campaign that is due (its
// monitoring refreshInterval, default 5 min) and feed new mentions to monitoring's internal ingest.
// Intervals under a minute are polled several times inside one run. The ad pollers (Meta, Google
// Ads) fetch the daily figures of active campaigns' linked accounts for campaigns' metrics.
import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import log from "encore.dev/log";
import { campaigns, monitoring } from "~encore/clients";
import { DEFAULT_REFRESH_SECONDS, pollOffsets } from "./domain/poll";
import type { PollRunResponse } from "./model";
import { pollMentionlytics, type PollCampaign, type PollResult } from "./flows/poll-mentions";
import { deliverAds, fetcherFor, pollAds } from "./flows/poll-ads";
import type { AdPlatform } from "./model";
import { adsConfigured, configured, mentionlytics } from "./flows/providers";

/** Campaigns polled at once (the provider's rate limiter paces the calls themselves). */
const CONCURRENCY = 4;

/** Active campaigns with their keywords (campaigns' and monitoring's) and refresh interval. */
async function feeds(): Promise<PollCampaign[]> {
  const [{ campaigns: active }, { configs }] = await Promise.all([campaigns.listActiveCampaigns(), monitoring.listMonitoringConfigs()]);
  const byCampaign = new Map(configs.map((c) => [c.campaignId, c]));
  return active.map((c) => {
    const config = byCampaign.get(c.id);
    const keywords = [...new Set([...c.keywords.map((k) => k.keyword), ...(config?.keywords ?? [])].map((k) => k.toLowerCase()))];
    return { id: c.id, keywords, refreshSeconds: config?.refreshInterval ?? DEFAULT_REFRESH_SECONDS };
  });
}

/** One pass over every feed, CONCURRENCY at a time. */
async function pass(all: PollCampaign[]): Promise<PollResult[]> {
  const client = mentionlytics();
  const queue = all.filter((c) => c.keywords.length > 0);
  const results: PollResult[] = [];
  const workers = Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      results.push(await pollMentionlytics(client, c, async (campaignId, mentions) => monitoring.ingestBatch({ campaignId, mentions })));
    }
  });
  await Promise.all(workers);
  return results;
}

/** Runs the pollers for one cron minute: Mentionlytics (as often as the fastest interval asks) and the ad platforms (once). */
export async function runPolls(): Promise<PollRunResponse> {
  const ads = adsConfigured();
  const platforms = (["meta", "google"] as const).filter((p) => ads[p]);
  const total: PollRunResponse = {
    configured: configured().mentionlytics,
    campaigns: 0,
    polled: 0,
    delivered: 0,
    failures: 0,
    ads: { platforms: [...platforms], polled: 0, days: 0, failures: 0 },
  };
  if (platforms.length > 0) {
    await pollAllAds(platforms, total).catch((err: Error) => {
      total.ads.failures++;
      log.warn("integrations: ad pollers could not run", { error: err.message });
    });
  }
  if (!total.configured) return total;
  const started = Date.now();
  const all = await feeds();
  total.campaigns = all.length;
  const fastest = Math.min(DEFAULT_REFRESH_SECONDS, ...all.map((c) => c.refreshSeconds));
  for (const offset of pollOffsets(fastest, 55_000)) {
    const wait = started + offset - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (const r of await pass(all)) {
      if (r.polled) total.polled++;
      total.delivered += r.delivered;
      if (r.error) total.failures++;
    }
  }
  if (total.failures) log.warn("integrations: some polls failed", { ...total });
  return total;
}

/**
 * One round of the ad pollers: every active campaign with linked accounts, each platform polled
 * when due by the campaign's refreshInterval (at least a minute: once per run), CONCURRENCY at a time.
 */
async function pollAllAds(platforms: AdPlatform[], total: PollRunResponse): Promise<void> {
  const [{ campaigns: linked }, { configs }] = await Promise.all([campaigns.listAdPollCampaigns(), monitoring.listMonitoringConfigs()]);
  const interval = new Map(configs.map((c) => [c.campaignId, c.refreshInterval]));
  const jobs = linked.flatMap((c) => platforms.filter((p) => c.accounts.some((a) => a.platform === p)).map((p) => ({ c, p })));
  const fetchers = new Map(platforms.map((p) => [p, fetcherFor(p)]));
  const workers = Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const seconds = interval.get(job.c.id) ?? DEFAULT_REFRESH_SECONDS;
      for (const r of await pollAds(job.p, fetchers.get(job.p)!, job.c, deliverAds, seconds * 1000 - 500)) {
        if (r.polled) total.ads.polled++;
        total.ads.days += r.days;
        if (!r.ok) total.ads.failures++;
      }
    }
  });
  await Promise.all(workers);
  if (total.ads.failures) log.warn("integrations: some ad polls failed", { ...total.ads });
}

// pollFeeds runs the pollers once (the cron job's endpoint; no caller).
export const pollFeeds = api({ expose: false, method: "POST", path: "/internal/integrations/poll" }, (): Promise<PollRunResponse> => runPolls());

// 'integrations-poll' polls Mentionlytics, Meta and Google Ads for active campaigns every minute.
export const integrationsPoll = new CronJob("integrations-poll", {
  title: "Poll Mentionlytics, Meta and Google Ads for active campaigns",
  every: "1m",
  endpoint: pollFeeds,
});
