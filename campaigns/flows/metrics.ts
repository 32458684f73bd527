// Campaign metrics: ad accounts linked (checked against the provider through integrations), the
// daily figures integrations' pollers deliver, the metrics computed from them and from monitoring
// (domain/metrics), on-demand refreshes (rate limited), and the insights' trend, split and pacing.
// Callers (api.ts, internal.ts, cron.ts) have already checked who may ask.
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { integrations, monitoring } from "~encore/clients";
import { audit } from "../audit";
import {
  budgetPacing,
  campaignDays,
  computeMetrics,
  dailyTrend,
  accountStale,
  platformSplit,
  type AdPlatform,
  type MetricsDetail,
  type SocialTotals,
} from "../domain/metrics";
import type {
  AdAccountLink,
  AdFiguresDelivery,
  AdSyncResult,
  Campaign,
  CampaignMetrics,
  CampaignMetricsResponse,
  LinkAdAccountRequest,
  RefreshMetricsResponse,
} from "../model";
import * as reads from "./reads";
import * as store from "../store";

/** One on-demand refresh per campaign per this many seconds (each one calls the providers). */
export const REFRESH_INTERVAL_SECONDS = 60;

function toLink(a: store.AdAccountRow, now: Date): AdAccountLink {
  return { ...a, stale: accountStale(a, now) };
}

/** A campaign's linked accounts and value per conversion. */
export async function adAccounts(campaignId: string): Promise<{ accounts: AdAccountLink[]; valuePerConversion: number | null }> {
  const now = new Date();
  const [accounts, valuePerConversion] = await Promise.all([store.listAdAccounts(campaignId), store.valuePerConversion(campaignId)]);
  return { accounts: accounts.map((a) => toLink(a, now)), valuePerConversion };
}

/** What monitoring measured over the campaign's window so far, or the reason it could not be read. */
async function social(c: Campaign, now: Date): Promise<{ totals: SocialTotals | null; error?: string }> {
  const end = new Date(Math.max(c.startDate.getTime(), Math.min(now.getTime(), c.endDate.getTime())));
  try {
    const { platforms } = await monitoring.getPlatformTotalsForService({ campaignId: c.id, start: c.startDate, end });
    const mentions = platforms.reduce((s, p) => s + p.mentions, 0);
    return {
      totals: {
        mentions,
        averageSentiment: mentions > 0 ? platforms.reduce((s, p) => s + p.average * p.mentions, 0) / mentions : 0,
        reach: platforms.reduce((s, p) => s + p.reach, 0),
        engagement: platforms.reduce((s, p) => s + p.engagement, 0),
      },
    };
  } catch (err) {
    return { totals: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Computes a campaign's metrics from its stored figures and monitoring, and stores them (with
 * each figure's detail). `invalidate: false` leaves the cache to the caller (a batch invalidates once).
 */
export async function recompute(campaignId: string, opts: { invalidate?: boolean } = {}): Promise<{ metrics: CampaignMetrics; detail: MetricsDetail } | null> {
  const c = await store.getCampaign(campaignId);
  if (!c) return null;
  const now = new Date();
  const { first, last } = campaignDays(c.startDate, c.endDate);
  const [accounts, totals, valuePerConversion, s] = await Promise.all([
    store.listAdAccounts(campaignId),
    store.adTotals(campaignId, first, last),
    store.valuePerConversion(campaignId),
    social(c, now),
  ]);
  const out = computeMetrics({ accounts, totals, valuePerConversion, social: s.totals, socialError: s.error, previous: c.metricsDetail ?? null, now });
  await store.saveMetrics(campaignId, out.metrics, out.detail);
  if (opts.invalidate !== false) await reads.invalidate();
  return out;
}

/** A campaign's metrics as stored (cached read). */
export async function metricsOf(campaignId: string): Promise<CampaignMetricsResponse> {
  const c = await reads.campaign(campaignId);
  if (!c) throw APIError.notFound("campaign not found");
  return { campaignId, metrics: c.metrics, metricsDetail: c.metricsDetail ?? null, valuePerConversion: await store.valuePerConversion(campaignId) };
}

/** Links an ad account after the provider confirmed it is reachable with the configured credentials. */
export async function linkAccount(actorId: string, req: LinkAdAccountRequest): Promise<AdAccountLink> {
  if (req.platform !== "meta" && req.platform !== "google") throw APIError.invalidArgument('platform must be "meta" or "google"');
  const checked = await integrations.checkAdAccount({ platform: req.platform, accountId: req.accountId }).catch((err: unknown) => {
    if (err instanceof APIError && err.code === "unavailable")
      throw APIError.unavailable(`cannot check the account with ${req.platform === "meta" ? "Meta" : "Google Ads"} now: ${err.message}`);
    throw err;
  });
  const label = req.platform === "meta" ? "Meta ad account" : "Google Ads customer";
  if (!checked.reachable)
    throw APIError.failedPrecondition(
      `${label} ${checked.accountId} is not reachable with the configured credentials: ${checked.reason ?? "refused by the provider"}`,
    );
  // Spend is summed across accounts as reported: every account of a campaign must bill in one currency.
  const other = (await store.listAdAccounts(req.id)).find((a) => a.currency && checked.currency && a.currency !== checked.currency);
  if (other) {
    throw APIError.failedPrecondition(
      `${label} ${checked.accountId} bills in ${checked.currency}, the campaign's other accounts in ${other.currency}: spend across them cannot be summed`,
    );
  }
  let linked: store.AdAccountRow | null;
  try {
    linked = await store.linkAdAccount(
      req.id,
      { platform: req.platform, accountId: checked.accountId, name: checked.name, currency: checked.currency },
      actorId,
    );
  } catch (err) {
    if (err instanceof store.CampaignNotFoundError) throw APIError.notFound("campaign not found");
    throw err;
  }
  if (!linked) throw APIError.alreadyExists(`${label} ${checked.accountId} is already linked to this campaign`);
  await recompute(req.id);
  await audit({
    actorId,
    action: "campaign.ad_account_linked",
    targetType: "campaign",
    targetId: req.id,
    details: { platform: req.platform, accountId: checked.accountId, name: checked.name },
  });
  return toLink(linked, new Date());
}

/** Unlinks an ad account (404 when it is not linked); its figures stop counting at once. */
export async function unlinkAccount(actorId: string, campaignId: string, platform: string, accountId: string): Promise<void> {
  const removed = await store.unlinkAdAccount(campaignId, platform, accountId);
  if (!removed) throw APIError.notFound("this ad account is not linked to the campaign");
  await recompute(campaignId);
  await audit({ actorId, action: "campaign.ad_account_unlinked", targetType: "campaign", targetId: campaignId, details: { platform, accountId } });
}

/** Sets the value of one conversion (roi), then recomputes. */
export async function setValuePerConversion(actorId: string, campaignId: string, value: number): Promise<CampaignMetricsResponse> {
  if (!Number.isFinite(value) || value < 0) throw APIError.invalidArgument("valuePerConversion must be a number ≥ 0");
  const rounded = Math.round(value * 100) / 100;
  let before: number | null;
  try {
    before = await store.setValuePerConversion(campaignId, rounded);
  } catch (err) {
    if (err instanceof store.CampaignNotFoundError) throw APIError.notFound("campaign not found");
    throw err;
  }
  const out = await recompute(campaignId);
  if (!out) throw APIError.notFound("campaign not found");
  if (before !== rounded)
    await audit({
      actorId,
      action: "campaign.metrics_settings_changed",
      targetType: "campaign",
      targetId: campaignId,
      details: { valuePerConversion: { before, after: rounded } },
    });
  return { campaignId, metrics: out.metrics, metricsDetail: out.detail, valuePerConversion: rounded };
}

/**
 * Fetches every linked account's figures now and recomputes (429 with retryAfterSeconds when the
 * campaign was refreshed less than REFRESH_INTERVAL_SECONDS ago). A provider that is down does not
 * fail the refresh: its accounts' last good figures stay, marked stale, and `sync` says why.
 */
export async function refresh(actorId: string, campaignId: string): Promise<RefreshMetricsResponse> {
  const c = await store.getCampaign(campaignId);
  if (!c) throw APIError.notFound("campaign not found");
  const wait = await store.claimRefresh(campaignId, REFRESH_INTERVAL_SECONDS);
  if (wait > 0) {
    throw APIError.resourceExhausted(`this campaign's metrics were refreshed moments ago; try again in ${wait} seconds`).withDetails({
      retryAfterSeconds: wait,
    });
  }
  const accounts = await store.listAdAccounts(campaignId);
  let sync: AdSyncResult[] = [];
  if (accounts.length > 0) {
    try {
      ({ results: sync } = await integrations.refreshCampaignAds({
        campaign: { id: c.id, startDate: c.startDate, endDate: c.endDate, accounts: accounts.map((a) => ({ platform: a.platform, accountId: a.accountId })) },
      }));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      log.warn("campaigns: ad refresh failed", { campaignId, error });
      sync = accounts.map((a) => ({ platform: a.platform, accountId: a.accountId, ok: false, days: 0, polled: false, error }));
      for (const a of accounts) await store.recordAdDays(campaignId, a.platform, a.accountId, [], error);
    }
  }
  const out = await recompute(campaignId);
  if (!out) throw APIError.notFound("campaign not found");
  await audit({
    actorId,
    action: "campaign.metrics_refreshed",
    targetType: "campaign",
    targetId: campaignId,
    details: { accounts: sync.map((s) => ({ platform: s.platform, accountId: s.accountId, ok: s.ok, days: s.days })) },
  });
  return { campaignId, metrics: out.metrics, metricsDetail: out.detail, sync };
}

/** Stores a delivery from integrations' pollers (idempotent per day) and recomputes the campaign. */
export async function recordFigures(d: AdFiguresDelivery): Promise<number> {
  for (const day of d.days) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day.date) || Number.isNaN(Date.parse(`${day.date}T00:00:00Z`)))
      throw APIError.invalidArgument(`date must be YYYY-MM-DD, got ${JSON.stringify(day.date)}`);
    for (const k of ["impressions", "clicks", "conversions", "spend"] as const) {
      if (!Number.isFinite(day[k]) || day[k] < 0) throw APIError.invalidArgument(`${k} must be a number ≥ 0`);
    }
  }
  if (!(await store.getCampaign(d.campaignId))) throw APIError.notFound("campaign not found");
  const stored = await store.recordAdDays(d.campaignId, d.platform as AdPlatform, d.accountId, d.days, d.error ?? null);
  await recompute(d.campaignId);
  return stored;
}

/** Recomputes every active campaign's metrics (the metrics job); one cache invalidation at the end. */
export async function recomputeActive(): Promise<{ campaigns: number; failures: number }> {
  const ids = await store.activeCampaignIds();
  let failures = 0;
  for (const id of ids) {
    await recompute(id, { invalidate: false }).catch((err: Error) => {
      failures++;
      log.warn("campaigns: metrics computation failed", { campaignId: id, error: err.message });
    });
  }
  if (ids.length > 0) await reads.invalidate();
  return { campaigns: ids.length, failures };
}

/** The ads part of a campaign's insights: daily trend, split per platform, pacing. */
export async function adInsights(
  c: Campaign,
): Promise<{ daily: ReturnType<typeof dailyTrend>; platforms: ReturnType<typeof platformSplit>; pacing: ReturnType<typeof budgetPacing> }> {
  const now = new Date();
  const { first, last } = campaignDays(c.startDate, c.endDate);
  const { accounts, rows } = await reads.adFigures(c.id, first, last);
  const daily = dailyTrend(rows);
  const spent = daily.reduce((s, d) => s + d.spend, 0);
  return { daily, platforms: platformSplit(rows, accounts, now), pacing: budgetPacing(c.budget, c.startDate, c.endDate, spent, now) };
}
