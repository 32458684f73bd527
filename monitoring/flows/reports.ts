// The reads over stored mentions: sentiment reports, the mentions list, trending terms, platform
// trends and the campaign summary that campaigns' insights show. Queries in store.ts, arithmetic in
// domain/; callers have checked the caller's access.
import { APIError } from "encore.dev/api";
import { rankTrending } from "../domain/trending";
import { KNOWN_PLATFORMS, parseMentionFilters, type MentionFilter, type RawMentionFilters } from "../domain/filters";
import { NEUTRAL_BAND, bucketMinutes, decodeCursor, encodeCursor, relativeChange, resolveRange } from "../domain/windows";
import type { MentionsResponse, MonitoringSummary, PlatformTotals, PlatformTrend, SentimentReport, TrendingResponse, TrendsResponse } from "../model";
import * as store from "../store";

const HOUR = 3_600_000;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** How many recent mentions trending reads at most (busier windows are estimated from these). */
const TRENDING_RECENT_SAMPLE = 3000;
/** The baseline is sampled per hour, this many mentions each. */
const TRENDING_BASELINE_HOURS = 24;
const TRENDING_PER_HOUR = 150;

/** A campaign's sentiment over [start, end) (default: the last 24 h). */
/**
 * Sentiment over [start, end) (default: the last 24 h) of one campaign, or across the campaigns of
 * a cross-campaign read (`campaignId` undefined), with the split per campaign.
 */
export async function sentimentReport(
  campaigns: store.CampaignScope,
  campaignId: string | undefined,
  start: Date | undefined,
  end: Date | undefined,
): Promise<SentimentReport> {
  const range = resolveRange(start, end, Date.now());
  if (!range.ok) throw APIError.invalidArgument(range.message);
  const bucket = bucketMinutes(range.end.getTime() - range.start.getTime());
  const groups = await store.sentimentGroups(campaigns, range.start, range.end, bucket, NEUTRAL_BAND);
  const all = groups.find((g) => g.scope === "all");
  const mentions = all?.mentions ?? 0;
  const positive = all?.positive ?? 0;
  const negative = all?.negative ?? 0;
  const report: SentimentReport = {
    start: range.start,
    end: range.end,
    mentions,
    average: round(all?.average ?? 0),
    reachWeighted: round(all?.reachWeighted ?? all?.average ?? 0),
    positive,
    neutral: mentions - positive - negative,
    negative,
    byPlatform: groups
      .filter((g) => g.scope === "platform")
      .map((g) => ({ platform: g.platform!, mentions: g.mentions, average: round(g.average) }))
      .sort((a, b) => b.mentions - a.mentions || (a.platform < b.platform ? -1 : 1)),
    timeline: groups
      .filter((g) => g.scope === "bucket")
      .map((g) => ({ at: g.bucket!, mentions: g.mentions, average: round(g.average) }))
      .sort((a, b) => a.at.getTime() - b.at.getTime()),
    bucketMinutes: bucket,
    byCampaign: groups
      .filter((g) => g.scope === "campaign")
      .map((g) => ({
        campaignId: g.campaignId!,
        mentions: g.mentions,
        average: round(g.average),
        reachWeighted: round(g.reachWeighted ?? g.average),
        positive: g.positive,
        neutral: g.mentions - g.positive - g.negative,
        negative: g.negative,
      }))
      .sort((a, b) => b.mentions - a.mentions || (a.campaignId < b.campaignId ? -1 : 1)),
  };
  if (campaignId !== undefined) report.campaignId = campaignId;
  return report;
}

/** The mentions filter from request values, every value checked (400 naming the first it does not understand). */
export async function mentionFilter(campaigns: store.CampaignScope, raw: RawMentionFilters): Promise<MentionFilter> {
  const parsed = parseMentionFilters(raw, Date.now());
  if (!parsed.ok) throw APIError.invalidArgument(parsed.message);
  // An unknown platform must be one of the campaigns' own (an admin's read of every campaign: any known to monitoring).
  const ids = campaigns ?? [null];
  for (const platform of parsed.filter.platforms ?? []) {
    if (KNOWN_PLATFORMS.has(platform)) continue;
    const found = await Promise.all(ids.slice(0, 100).map((id) => store.hasPlatform(id, platform)));
    if (!found.some(Boolean))
      throw APIError.invalidArgument(
        `platform: "${platform}" is not a platform ${campaigns?.length === 1 ? "this campaign has" : "your campaigns have"} mentions from`,
      );
  }
  return parsed.filter;
}

/** One page of a campaign's mentions matching the filter, newest first. */
export async function mentionsPage(
  campaigns: store.CampaignScope,
  filter: MentionFilter,
  limit: number,
  cursor: string | undefined,
): Promise<MentionsResponse> {
  const after = cursor === undefined || cursor === "" ? null : decodeCursor(cursor);
  if (after === null && cursor) throw APIError.invalidArgument("cursor is not one this endpoint returned");
  const [rows, total] = await Promise.all([store.listMentions(campaigns, filter, after, limit + 1), store.countMentions(campaigns, filter)]);
  const mentions = rows.slice(0, limit);
  const response: MentionsResponse = { mentions, total };
  if (rows.length > limit) {
    const last = mentions[mentions.length - 1];
    response.nextCursor = encodeCursor({ timestamp: last.timestamp, mentionId: last.mentionId });
  }
  return response;
}

/** The terms rising most in the last `hours` against the 24 h before. */
export async function trending(campaigns: store.CampaignScope, limit: number, hours: number): Promise<TrendingResponse> {
  const end = new Date();
  const windowStart = new Date(end.getTime() - hours * HOUR);
  const baselineStart = new Date(windowStart.getTime() - TRENDING_BASELINE_HOURS * HOUR);
  const [recent, baseline] = await Promise.all([
    store.sampleWindow(campaigns, windowStart, end, TRENDING_RECENT_SAMPLE),
    store.sampleSlots(campaigns, baselineStart, TRENDING_BASELINE_HOURS, 60, TRENDING_PER_HOUR),
  ]);
  const terms = rankTrending({ recent, baseline, recentHours: hours, baselineHours: TRENDING_BASELINE_HOURS, limit });
  return { trending: terms, windowStart, baselineStart, end };
}

/** Each platform over the last `hours` against the `hours` before, with a timeline. */
export async function platformTrends(campaigns: store.CampaignScope, hours: number): Promise<TrendsResponse> {
  const end = new Date();
  const start = new Date(end.getTime() - hours * HOUR);
  const previousStart = new Date(start.getTime() - hours * HOUR);
  const bucket = bucketMinutes(hours * HOUR, 48);
  const [buckets, current, previous] = await Promise.all([
    store.platformBuckets(campaigns, start, end, bucket),
    store.platformTotals(campaigns, start, end, NEUTRAL_BAND),
    store.platformTotals(campaigns, previousStart, start, NEUTRAL_BAND),
  ]);
  const before = new Map(previous.map((p) => [p.platform, p]));
  const platforms = [...current.map((p) => p.platform), ...previous.filter((p) => !current.some((c) => c.platform === p.platform)).map((p) => p.platform)];
  const trends = platforms.map((platform): PlatformTrend => {
    const now = current.find((p) => p.platform === platform);
    const then = before.get(platform);
    return {
      platform,
      mentions: now?.mentions ?? 0,
      previousMentions: then?.mentions ?? 0,
      change: relativeChange(now?.mentions ?? 0, then?.mentions ?? 0),
      averageSentiment: round(now?.average ?? 0),
      previousSentiment: then ? round(then.average) : null,
      reach: now?.reach ?? 0,
      engagement: now?.engagement ?? 0,
      series: buckets.filter((b) => b.platform === platform).map((b) => ({ at: b.bucket, mentions: b.mentions, averageSentiment: round(b.average) })),
    };
  });
  return { trends, start, end, bucketMinutes: bucket };
}

/** A campaign's last 24 h against the 24 h before, its crises and what is trending (campaigns' insights). */
export async function summary(campaignId: string): Promise<MonitoringSummary> {
  const now = Date.now();
  const start = new Date(now - 24 * HOUR);
  const [current, previous, crises, config, rising] = await Promise.all([
    store.platformTotals([campaignId], start, new Date(now), NEUTRAL_BAND),
    store.platformTotals([campaignId], new Date(now - 48 * HOUR), start, NEUTRAL_BAND),
    store.crisisOverview(campaignId),
    store.getConfig(campaignId),
    trending([campaignId], 5, 1),
  ]);
  const sum = (rows: PlatformTotals[], f: (r: PlatformTotals) => number) => rows.reduce((s, r) => s + f(r), 0);
  const mentions = sum(current, (r) => r.mentions);
  const previousMentions = sum(previous, (r) => r.mentions);
  const result: MonitoringSummary = {
    campaignId,
    monitored: config !== null,
    windowHours: 24,
    mentions,
    previousMentions,
    averageSentiment: mentions > 0 ? round(sum(current, (r) => r.average * r.mentions) / mentions) : 0,
    previousSentiment: previousMentions > 0 ? round(sum(previous, (r) => r.average * r.mentions) / previousMentions) : null,
    positive: sum(current, (r) => r.positive),
    neutral: mentions - sum(current, (r) => r.positive) - sum(current, (r) => r.negative),
    negative: sum(current, (r) => r.negative),
    reach: sum(current, (r) => r.reach),
    engagement: sum(current, (r) => r.engagement),
    topPlatforms: current.slice(0, 5).map((r) => ({ platform: r.platform, mentions: r.mentions })),
    openCrises: crises.open,
    trendingTerms: rising.trending.map((t) => t.term),
    generatedAt: new Date(now),
  };
  if (crises.latest) {
    const c = crises.latest;
    result.latestCrisis = { id: c.id, type: c.type, severity: c.severity, status: c.status, title: c.title, openedAt: c.openedAt };
    if (c.resolvedAt) result.latestCrisis.resolvedAt = c.resolvedAt;
  }
  return result;
}
