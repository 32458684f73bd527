// Campaign metrics, pure: ad figures summed across platforms and accounts, the derived ratios
// (ctr, cpc, roi) without NaN or Infinity, sentiment and engagement from monitoring, each figure's
// freshness and sources (absent with a reason rather than a misleading zero), staleness during a
// provider outage, the daily trend, the per-platform split and budget pacing.
import type { CampaignMetrics } from "./campaign";

const DAY_MS = 86_400_000;

/** The ad platforms whose figures make up a campaign's ads metrics. */
export type AdPlatform = "meta" | "google";

export const AD_PLATFORMS: readonly AdPlatform[] = ["meta", "google"];

/** A linked account and how its last fetches went. */
export interface AccountSync {
  platform: AdPlatform;
  accountId: string;
  lastSyncedAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
}

/** Sums of ad figures. Spend in the accounts' currency. */
export interface AdTotals {
  impressions: number;
  clicks: number;
  conversions: number;
  spend: number;
}

/** One account's figures for one day, as stored. */
export interface AdDayRow extends AdTotals {
  platform: AdPlatform;
  accountId: string;
  /** YYYY-MM-DD. */
  date: string;
}

/** What monitoring measured over the campaign's window. */
export interface SocialTotals {
  mentions: number;
  /** Mean sentiment of the mentions, -1 … 1. */
  averageSentiment: number;
  reach: number;
  engagement: number;
}

/** One figure with its freshness: value null means absent, and `reason` says why. */
export interface MetricFigure {
  value: number | null;
  lastUpdated: Date | null;
  /** Where it comes from: "meta:act_…", "google:<customer id>", "monitoring". */
  sources: string[];
  /** True when a source could not be read on its last attempt (or not for too long): the value is the last good one. */
  stale: boolean;
  reason?: string;
}

/** Every figure of CampaignMetrics (and spend) with freshness and sources. */
export interface MetricsDetail {
  impressions: MetricFigure;
  clicks: MetricFigure;
  conversions: MetricFigure;
  spend: MetricFigure;
  ctr: MetricFigure;
  cpc: MetricFigure;
  roi: MetricFigure;
  sentimentScore: MetricFigure;
  engagementRate: MetricFigure;
  computedAt: Date;
}

/** An account's figures are stale after this long without a successful fetch. */
export const STALE_AFTER_MS = 6 * 3600_000;

export const ZERO: AdTotals = { impressions: 0, clicks: 0, conversions: 0, spend: 0 };

const round = (n: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** Adds figures (money kept to the cent). */
export function addTotals(a: AdTotals, b: AdTotals): AdTotals {
  return {
    impressions: a.impressions + b.impressions,
    clicks: a.clicks + b.clicks,
    conversions: round(a.conversions + b.conversions, 2),
    spend: round(a.spend + b.spend, 2),
  };
}

/** Sums rows (any number of platforms, accounts, days). */
export function sumRows(rows: AdTotals[]): AdTotals {
  return rows.reduce<AdTotals>((s, r) => addTotals(s, r), ZERO);
}

/** Click-through rate as a fraction (clicks / impressions), or null without impressions. */
export function ctrOf(t: AdTotals): number | null {
  return t.impressions > 0 ? round(t.clicks / t.impressions, 6) : null;
}

/** Cost per click, or null without clicks. */
export function cpcOf(t: AdTotals): number | null {
  return t.clicks > 0 ? round(t.spend / t.clicks, 4) : null;
}

/** Return on ad spend: (conversions × value − spend) / spend; null without spend or without a value per conversion. */
export function roiOf(t: AdTotals, valuePerConversion: number | null): number | null {
  if (valuePerConversion === null || !(t.spend > 0)) return null;
  return round((t.conversions * valuePerConversion - t.spend) / t.spend, 4);
}

/** The source name of an account. */
export function sourceOf(a: { platform: AdPlatform; accountId: string }): string {
  return `${a.platform}:${a.accountId}`;
}

/** Whether an account's figures are stale now: its last attempt failed, it was never fetched, or not for STALE_AFTER_MS. */
export function accountStale(a: AccountSync, now: Date, maxAgeMs = STALE_AFTER_MS): boolean {
  if (!a.lastSyncedAt) return true;
  if (a.lastError && a.lastAttemptAt && a.lastAttemptAt.getTime() >= a.lastSyncedAt.getTime()) return true;
  return now.getTime() - a.lastSyncedAt.getTime() > maxAgeMs;
}

/** Why an account is stale, in a line. */
function staleReason(a: AccountSync, now: Date): string {
  if (!a.lastSyncedAt) return `${sourceOf(a)} not fetched yet${a.lastError ? ` (${a.lastError})` : ""}`;
  const since = a.lastSyncedAt.toISOString();
  if (a.lastError && a.lastAttemptAt && a.lastAttemptAt >= a.lastSyncedAt) return `${sourceOf(a)} unavailable (${a.lastError}); figures as of ${since}`;
  return `${sourceOf(a)} not refreshed since ${since} (${Math.round((now.getTime() - a.lastSyncedAt.getTime()) / 3600_000)} h)`;
}

/** What goes into a campaign's metrics. */
export interface MetricsInput {
  accounts: AccountSync[];
  /** Sums over the linked accounts' stored days in the campaign's window. */
  totals: AdTotals;
  valuePerConversion: number | null;
  /** null: monitoring could not be read now (socialError says why). */
  social: SocialTotals | null;
  socialError?: string;
  /** The last computed detail, whose social figures stay (stale) when monitoring cannot be read. */
  previous: MetricsDetail | null;
  now: Date;
}

function figure(value: number | null, base: Omit<MetricFigure, "value">, reason?: string): MetricFigure {
  const f: MetricFigure = { value, lastUpdated: base.lastUpdated, sources: base.sources, stale: base.stale };
  const why = value === null ? (reason ?? base.reason) : base.reason;
  if (why) f.reason = why;
  return f;
}

/** The ads part: what all ads figures share (sources, freshness), or why they are absent. */
function adsBase(accounts: AccountSync[], now: Date): { base: Omit<MetricFigure, "value">; present: boolean } {
  if (accounts.length === 0)
    return { base: { lastUpdated: null, sources: [], stale: false, reason: "no ad account is linked to this campaign" }, present: false };
  const sources = accounts.map(sourceOf);
  const synced = accounts.filter((a) => a.lastSyncedAt);
  const stale = accounts.filter((a) => accountStale(a, now));
  const reason = stale.length ? stale.map((a) => staleReason(a, now)).join("; ") : undefined;
  if (synced.length === 0) return { base: { lastUpdated: null, sources, stale: true, reason: reason ?? "not fetched yet" }, present: false };
  // The figure is as fresh as its least fresh source.
  const lastUpdated = new Date(Math.min(...synced.map((a) => a.lastSyncedAt!.getTime())));
  return { base: { lastUpdated, sources, stale: stale.length > 0, ...(reason ? { reason } : {}) }, present: true };
}

/** Each figure with its freshness, and the seed's CampaignMetrics (absent figures read 0 there). */
export function computeMetrics(input: MetricsInput): { metrics: CampaignMetrics; detail: MetricsDetail } {
  const { now, totals } = input;
  const { base, present } = adsBase(input.accounts, now);
  const ad = (v: number) => figure(present ? v : null, base);
  const ctr = present ? ctrOf(totals) : null;
  const cpc = present ? cpcOf(totals) : null;
  const roi = present ? roiOf(totals, input.valuePerConversion) : null;
  const roiReason = !present ? undefined : input.valuePerConversion === null ? "set the campaign's value per conversion to compute roi" : "no spend yet";

  let sentimentScore: MetricFigure;
  let engagementRate: MetricFigure;
  if (input.social) {
    const s = input.social;
    const b = { lastUpdated: now, sources: ["monitoring"], stale: false };
    sentimentScore = figure(s.mentions > 0 ? round(s.averageSentiment, 4) : null, b, "no mentions in the campaign's window yet");
    engagementRate = figure(s.reach > 0 ? round(s.engagement / s.reach, 6) : null, b, "no reach measured in the campaign's window yet");
  } else {
    const why = `monitoring unavailable${input.socialError ? ` (${input.socialError})` : ""}`;
    const keep = (p: MetricFigure | undefined): MetricFigure => {
      const f: MetricFigure = {
        value: p?.value ?? null,
        lastUpdated: p?.lastUpdated ?? null,
        sources: ["monitoring"],
        stale: true,
        reason: p?.lastUpdated ? `${why}; value as of ${new Date(p.lastUpdated).toISOString()}` : why,
      };
      return f;
    };
    sentimentScore = keep(input.previous?.sentimentScore);
    engagementRate = keep(input.previous?.engagementRate);
  }

  const detail: MetricsDetail = {
    impressions: ad(totals.impressions),
    clicks: ad(totals.clicks),
    conversions: ad(totals.conversions),
    spend: ad(totals.spend),
    ctr: figure(ctr, base, present ? "no impressions yet" : undefined),
    cpc: figure(cpc, base, present ? "no clicks yet" : undefined),
    roi: figure(roi, base, roiReason),
    sentimentScore,
    engagementRate,
    computedAt: now,
  };
  const v = (f: MetricFigure) => f.value ?? 0;
  const metrics: CampaignMetrics = {
    impressions: v(detail.impressions),
    clicks: v(detail.clicks),
    conversions: v(detail.conversions),
    ctr: v(detail.ctr),
    cpc: v(detail.cpc),
    roi: v(detail.roi),
    sentimentScore: v(detail.sentimentScore),
    engagementRate: v(detail.engagementRate),
  };
  return { metrics, detail };
}

/** One day of the trend, summed across platforms. */
export interface DailyFigures extends AdTotals {
  date: string;
  ctr: number | null;
  cpc: number | null;
}

/** The daily trend: one entry per day with figures, oldest first. */
export function dailyTrend(rows: AdDayRow[]): DailyFigures[] {
  const byDay = new Map<string, AdTotals>();
  for (const r of rows) byDay.set(r.date, addTotals(byDay.get(r.date) ?? ZERO, r));
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([date, t]) => ({ date, ...t, ctr: ctrOf(t), cpc: cpcOf(t) }));
}

/** One platform's share of the figures. */
export interface PlatformFigures extends AdTotals {
  platform: AdPlatform;
  accounts: string[];
  ctr: number | null;
  cpc: number | null;
  lastUpdated: Date | null;
  stale: boolean;
}

/** The split per platform (only platforms with a linked account). */
export function platformSplit(rows: AdDayRow[], accounts: AccountSync[], now: Date): PlatformFigures[] {
  return AD_PLATFORMS.filter((p) => accounts.some((a) => a.platform === p)).map((platform) => {
    const mine = accounts.filter((a) => a.platform === platform);
    const t = sumRows(rows.filter((r) => r.platform === platform));
    const synced = mine.filter((a) => a.lastSyncedAt).map((a) => a.lastSyncedAt!.getTime());
    return {
      platform,
      accounts: mine.map((a) => a.accountId),
      ...t,
      ctr: ctrOf(t),
      cpc: cpcOf(t),
      lastUpdated: synced.length === mine.length && synced.length > 0 ? new Date(Math.min(...synced)) : null,
      stale: mine.some((a) => accountStale(a, now)),
    };
  });
}

/** Spend against budget over the campaign's dates. */
export interface BudgetPacing {
  budget: number;
  spent: number;
  remaining: number;
  totalDays: number;
  /** Days of the campaign gone by (fractional), 0 … totalDays. */
  elapsedDays: number;
  /** What an even pace would have spent by now. */
  expectedSpend: number;
  /** spent / expectedSpend (1 = on pace); null before the campaign starts. */
  paceRatio: number | null;
  /** Spend at the end if the pace so far continues; null before the campaign starts. */
  projectedSpend: number | null;
  status: "not_started" | "under_pacing" | "on_track" | "over_pacing" | "finished";
}

/** How far from an even pace still counts as on track. */
export const PACING_TOLERANCE = 0.1;

/** Budget pacing at `now`: an even spend over [start, end] is the reference. */
export function budgetPacing(budget: number, start: Date, end: Date, spent: number, now: Date): BudgetPacing {
  const total = Math.max(end.getTime() - start.getTime(), 1);
  const gone = Math.min(Math.max(now.getTime() - start.getTime(), 0), total);
  const fraction = gone / total;
  const expected = round(budget * fraction, 2);
  const projected = gone > 0 ? round((spent / gone) * total, 2) : null;
  const finished = gone >= total;
  let status: BudgetPacing["status"];
  if (gone === 0) status = "not_started";
  else if (finished) status = "finished";
  else if (projected! > budget * (1 + PACING_TOLERANCE)) status = "over_pacing";
  else if (projected! < budget * (1 - PACING_TOLERANCE)) status = "under_pacing";
  else status = "on_track";
  return {
    budget,
    spent: round(spent, 2),
    remaining: round(budget - spent, 2),
    totalDays: round(total / DAY_MS, 3),
    elapsedDays: round(gone / DAY_MS, 3),
    expectedSpend: expected,
    paceRatio: expected > 0 ? round(spent / expected, 4) : null,
    projectedSpend: finished ? round(spent, 2) : projected,
    status,
  };
}

/** The campaign's days as the figures are stored (YYYY-MM-DD, UTC), first and last. */
export function campaignDays(start: Date, end: Date): { first: string; last: string } {
  return { first: start.toISOString().slice(0, 10), last: new Date(end.getTime() - 1).toISOString().slice(0, 10) };
}

/** A new campaign's metrics: no account linked, no mention possible yet (zeros in `metrics`, each figure absent with its reason). */
export function initialMetrics(now: Date): { metrics: CampaignMetrics; detail: MetricsDetail } {
  return computeMetrics({
    accounts: [],
    totals: ZERO,
    valuePerConversion: null,
    social: { mentions: 0, averageSentiment: 0, reach: 0, engagement: 0 },
    previous: null,
    now,
  });
}
