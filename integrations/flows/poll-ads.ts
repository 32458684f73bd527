// The ad pollers: for a campaign, fetch each linked account's daily figures from Meta or Google
// Ads and deliver them to campaigns (an idempotent upsert by campaign/platform/account/day). The
// cursor of each account (domain/ads) moves only after campaigns accepted the days, so after a
// restart settled days are never fetched again and no day is skipped. A lease per (platform,
// campaign) keeps two processes from polling one campaign's accounts at once.
import log from "encore.dev/log";
import { campaigns } from "~encore/clients";
import { adWindow, advanceAdCursor, type AdCursors } from "../domain/ads";
import type { AdDay, AdPlatform, AdPollCampaign, AdSyncResult, GoogleAccountCampaign, MetaAccountCampaign } from "../model";
import { googleAdsForAccounts, metaForAccounts } from "./providers";
import * as store from "../store";

/** Fetches one account's days over [since, until]. */
export type AdFetcher = (accountId: string, since: string, until: string) => Promise<AdDay[]>;

/** One account's delivery to campaigns: its days, or the failure that kept them from being fetched. */
export interface AdDelivery {
  campaignId: string;
  platform: AdPlatform;
  accountId: string;
  days: AdDay[];
  error?: string;
}

/** Where figures go (campaigns' internal recordAdFigures). */
export type AdSink = (d: AdDelivery) => Promise<void>;

/** The production sink: campaigns' idempotent upsert of an account's days (or its failure). */
export async function deliverAds(d: AdDelivery): Promise<void> {
  await campaigns.recordAdFigures(d);
}

/** How long a poller may hold a campaign's accounts before another process may take over. */
const LEASE_MS = 2 * 60_000;

/** The cursors' provider name per platform (integrations' provider names). */
export const CURSOR_PROVIDER: Record<AdPlatform, string> = { meta: "meta", google: "googleads" };

/** The fetcher of a platform, from the configured credentials (throws 503 when not configured). */
export function fetcherFor(platform: AdPlatform): AdFetcher {
  if (platform === "meta") {
    const client = metaForAccounts();
    return (id, since, until) => client.dailyInsights(id, since, until);
  }
  const client = googleAdsForAccounts();
  return (id, since, until) => client.dailyMetrics(id, since, until);
}

/**
 * Polls one campaign's accounts on one platform if due (`intervalMs` since the last poll; 0: now,
 * for on-demand refreshes). Never throws: each account's failure is reported to the sink and in
 * its result, its cursor left where it was.
 */
export async function pollAds(
  platform: AdPlatform,
  fetch: AdFetcher,
  campaign: AdPollCampaign,
  sink: AdSink,
  intervalMs: number,
  now = new Date(),
): Promise<AdSyncResult[]> {
  const accounts = campaign.accounts.filter((a) => a.platform === platform).map((a) => a.accountId);
  if (accounts.length === 0) return [];
  const provider = CURSOR_PROVIDER[platform];
  if (!(await store.leaseFeed(provider, campaign.id, intervalMs, LEASE_MS))) {
    return accounts.map((accountId) => ({ platform, accountId, ok: true, days: 0, polled: false }));
  }
  const results: AdSyncResult[] = [];
  try {
    const cursors: AdCursors = (await store.getCursor<AdCursors>(provider, campaign.id)) ?? { accounts: {} };
    for (const accountId of accounts) {
      const result: AdSyncResult = { platform, accountId, ok: true, days: 0, polled: true };
      results.push(result);
      const cursor = cursors.accounts[accountId] ?? null;
      const window = adWindow(cursor, campaign.startDate, campaign.endDate, now);
      try {
        const days = window ? (await fetch(accountId, window.since, window.until)).filter((d) => d.date >= window.since && d.date <= window.until) : [];
        await sink({ campaignId: campaign.id, platform, accountId, days });
        result.days = days.length;
        const next = window ? advanceAdCursor(cursor, campaign.startDate, window, now) : cursor;
        if (next) {
          cursors.accounts[accountId] = next;
          await store.moveCursor(provider, campaign.id, cursors);
        }
      } catch (err) {
        result.ok = false;
        result.error = err instanceof Error ? err.message : String(err);
        log.warn("integrations: ad figures poll failed; the next poll retries the same days", {
          platform,
          campaignId: campaign.id,
          accountId,
          error: result.error,
        });
        await sink({ campaignId: campaign.id, platform, accountId, days: [], error: result.error }).catch(() => undefined);
      }
    }
    await store.finishPoll(provider, campaign.id, cursors);
  } catch (err) {
    log.warn("integrations: ad poll failed", { platform, campaignId: campaign.id, error: err instanceof Error ? err.message : String(err) });
    await store.abandonPoll(provider, campaign.id).catch(() => undefined);
  }
  return results;
}

/** The Meta ad campaigns of several accounts (for GET /api/v1/campaigns/meta). */
export async function metaAccountCampaigns(accountIds: string[]): Promise<MetaAccountCampaign[]> {
  const client = metaForAccounts();
  const out: MetaAccountCampaign[] = [];
  for (const account of accountIds) {
    for (const c of await client.campaigns({ account })) out.push({ adAccountId: account, ...c });
  }
  return out;
}

/** The Google Ads campaigns of several customers (for GET /api/v1/campaigns/google). */
export async function googleAccountCampaigns(customerIds: string[]): Promise<GoogleAccountCampaign[]> {
  const client = googleAdsForAccounts();
  const out: GoogleAccountCampaign[] = [];
  for (const customerId of customerIds) {
    for (const c of await client.campaigns(undefined, customerId)) out.push({ customerId, ...c });
  }
  return out;
}
