// The reads: a report over a period (every figure from the rollups, never from raw mentions), and the
// summary and sentiment windows (daily_analytics, through the shared cache). Callers have checked
// the caller's access; arithmetic is in domain/report.ts.
import { APIError } from "encore.dev/api";
import * as calc from "../domain/report";
import type { AnalyticsReport, CampaignSentiment, CampaignSummary, ReportRequest, WindowSentiment, WindowSummary } from "../model";
import { analyticsCache } from "../secrets";
import * as store from "../store";

/** Rows in the report's tables. */
const TOP_MENTIONS = 10;
const INFLUENCERS = 15;
/** Summary and sentiment answers are cached this long (live rollups move; a minute is fresh enough). */
const WINDOW_TTL_SECONDS = 60;
const DAY_MS = 86_400_000;

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The report for a campaign over [startDate, endDate) (400 for a bad range). */
export async function buildReport(req: ReportRequest, campaignName: string): Promise<AnalyticsReport> {
  const range = calc.checkRange(req.startDate, req.endDate);
  if (!range.ok) throw APIError.invalidArgument(range.message);
  const { granularity } = range;
  const { campaignId, startDate: start, endDate: end } = req;
  const hours = calc.periodHours(start, end);
  const days = calc.periodDays(start, end);
  const [rows, previous, terms, authors, top, crises] = await Promise.all([
    store.hourRows(campaignId, hours.from, hours.to, granularity),
    store.mentionCount(campaignId, hours.previousFrom, hours.previousTo),
    store.termRows(campaignId, days.first, days.last),
    req.includeInfluencers ? store.authorRows(campaignId, days.first, days.last, INFLUENCERS) : Promise.resolve([]),
    store.topMentions(campaignId, start, end, TOP_MENTIONS),
    store.crisisCount(campaignId, start, end),
  ]);
  const total = calc.totals(rows);
  const buckets = calc.buckets(rows, hours.from, end, granularity);
  const platforms = calc.platforms(rows);
  const competitorRows = calc.competitors(terms, total.mentions);
  const keywords = calc.keywords(terms);
  const averageSentiment = calc.averageSentiment(total.sentimentMilli, total.mentions);
  const engagementRate = calc.engagementRate(total.engagement, total.reach);
  const growthRate = calc.growthRate(total.mentions, previous);
  const trend = buckets.map((b) => ({ mentions: b.mentions, averageSentiment: calc.averageSentiment(b.sentimentMilli, b.mentions) }));
  const advice = calc.recommend({
    totalMentions: total.mentions,
    averageSentiment,
    positive: total.positive,
    negative: total.negative,
    growthRate,
    previousPeriodMentions: previous,
    engagementRate,
    crisisEvents: crises,
    platforms,
    trend,
    competitors: competitorRows,
    ownShareOfVoice: calc.ownShareOfVoice(total.mentions, competitorRows),
    keywords,
  });
  return {
    campaignId,
    campaignName,
    dateRange: { start, end },
    granularity,
    summary: {
      totalMentions: total.mentions,
      averageSentiment,
      totalReach: total.reach,
      engagementRate,
      crisisEvents: crises,
      topKeywords: keywords.slice(0, 5).map((k) => k.keyword),
      growthRate,
      previousPeriodMentions: previous,
      positiveMentions: total.positive,
      neutralMentions: total.mentions - total.positive - total.negative,
      negativeMentions: total.negative,
      totalEngagement: total.engagement,
    },
    mentionTrends: buckets.map((b) => ({ date: b.date, mentions: b.mentions, reach: b.reach, engagement: b.engagement })),
    sentimentAnalysis: buckets.map((b) => ({
      date: b.date,
      averageSentiment: calc.averageSentiment(b.sentimentMilli, b.mentions),
      positive: b.positive,
      neutral: b.mentions - b.positive - b.negative,
      negative: b.negative,
    })),
    competitorComparison: req.includeCompetitors ? competitorRows : [],
    influencerPerformance: calc.influencers(authors, INFLUENCERS),
    platformBreakdown: platforms,
    keywordPerformance: keywords,
    topMentions: top.map((m) => ({
      mentionId: m.mentionId,
      platform: m.platform,
      author: m.author,
      text: m.text,
      url: m.url,
      sentiment: m.sentimentMilli / 1000,
      reach: m.reach,
      engagement: m.engagement,
      timestamp: m.at,
    })),
    recommendations: advice.map((a) => a.message),
    recommendationDetails: advice,
    generatedAt: new Date(),
  };
}

/** The window of `days` UTC days ending today: its days, and the equally long window before it. */
export function windowOf(days: number, now = Date.now()): { first: string; last: string; prevFirst: string; start: Date; end: Date } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const firstMs = today - (days - 1) * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { first: iso(firstMs), last: iso(today), prevFirst: iso(firstMs - days * DAY_MS), start: new Date(firstMs), end: new Date(today + DAY_MS) };
}

function summarise(campaignId: string, rows: readonly store.DailyRow[], previous: number, keywords: string[]): CampaignSummary {
  const t = rows.reduce(
    (s, r) => ({ m: s.m + r.mentions, sm: s.sm + r.sentimentMilli, reach: s.reach + r.reach, eng: s.eng + r.engagement, crises: s.crises + r.crisisEvents }),
    { m: 0, sm: 0, reach: 0, eng: 0, crises: 0 },
  );
  return {
    campaignId,
    totalMentions: t.m,
    averageSentiment: calc.averageSentiment(t.sm, t.m),
    totalReach: t.reach,
    engagementRate: calc.engagementRate(t.eng, t.reach),
    crisisEvents: t.crises,
    topKeywords: keywords.slice(0, 5),
    growthRate: calc.growthRate(t.m, previous),
    previousPeriodMentions: previous,
  };
}

async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  return (await analyticsCache()).getOrLoad(key, WINDOW_TTL_SECONDS, load);
}

/** Each campaign's figures over the window, and over all of them (campaign ids sorted). */
export async function summary(campaignIds: readonly string[], days: number): Promise<WindowSummary> {
  const w = windowOf(days);
  const ids = [...campaignIds].sort();
  const perCampaign = await Promise.all(
    ids.map((id) =>
      cached(`summary:${id}:${w.first}:${w.last}`, async () => {
        const [rows, keywords] = await Promise.all([store.dailyRows([id], w.prevFirst, w.last), store.keywordTotals([id], w.first, w.last)]);
        const current = rows.filter((r) => r.date >= w.first);
        const previous = rows.filter((r) => r.date < w.first).reduce((s, r) => s + r.mentions, 0);
        return {
          current,
          previous,
          summary: summarise(
            id,
            current,
            previous,
            keywords.map((k) => k.term),
          ),
        };
      }),
    ),
  );
  const allCurrent = perCampaign.flatMap((p) => p.current);
  const allPrevious = perCampaign.reduce((s, p) => s + p.previous, 0);
  const keywordCounts = new Map<string, number>();
  for (const p of perCampaign) for (const k of p.summary.topKeywords) keywordCounts.set(k, (keywordCounts.get(k) ?? 0) + 1);
  const totals = summarise(
    "",
    allCurrent,
    allPrevious,
    [...keywordCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k),
  );
  return { start: w.start, end: w.end, days, campaigns: perCampaign.map((p) => p.summary), totals };
}

/** Each campaign's sentiment over the window, per day and per platform. */
export async function sentiment(campaignIds: readonly string[], days: number): Promise<WindowSentiment> {
  const w = windowOf(days);
  const ids = [...campaignIds].sort();
  const campaigns = await Promise.all(
    ids.map((id) =>
      cached(`sentiment:${id}:${w.first}:${w.last}`, async (): Promise<CampaignSentiment> => {
        const [rows, platforms] = await Promise.all([store.dailyRows([id], w.first, w.last), store.platformSentiment([id], w.start, w.end)]);
        const m = rows.reduce((s, r) => s + r.mentions, 0);
        const sm = rows.reduce((s, r) => s + r.sentimentMilli, 0);
        const pos = rows.reduce((s, r) => s + r.positive, 0);
        const neg = rows.reduce((s, r) => s + r.negative, 0);
        return {
          campaignId: id,
          mentions: m,
          averageSentiment: calc.averageSentiment(sm, m),
          positive: pos,
          neutral: m - pos - neg,
          negative: neg,
          daily: rows.map((r) => ({
            date: r.date,
            mentions: r.mentions,
            averageSentiment: calc.averageSentiment(r.sentimentMilli, r.mentions),
            positive: r.positive,
            neutral: r.mentions - r.positive - r.negative,
            negative: r.negative,
          })),
          byPlatform: platforms.map((p) => ({
            platform: p.platform,
            mentions: p.mentions,
            averageSentiment: round(p.sentimentMilli / Math.max(1, p.mentions) / 1000),
          })),
        };
      }),
    ),
  );
  return { start: w.start, end: w.end, days, campaigns };
}
