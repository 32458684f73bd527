// A report from rollup cells: the range check, buckets, summary figures, growth against the previous
// period, platform / competitor / influencer / keyword tables, and the recommendations, each from a
// rule over one figure. Pure: the caller reads the cells, this turns them into the report's parts.
import type { Counts, TermKind } from "./rollup";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The longest period a report covers. */
export const MAX_REPORT_DAYS = 366;
/** Periods up to this long are reported per hour, longer ones per UTC day. */
export const HOURLY_UP_TO_MS = 3 * DAY_MS;

export type Granularity = "hour" | "day";

export type RangeCheck = { ok: true; granularity: Granularity } | { ok: false; message: string };

/** A report's period must end after it starts and span at most MAX_REPORT_DAYS. */
export function checkRange(start: Date, end: Date): RangeCheck {
  const s = start.getTime();
  const e = end.getTime();
  if (!Number.isFinite(s) || !Number.isFinite(e)) return { ok: false, message: "startDate and endDate must be valid times" };
  if (e <= s) return { ok: false, message: "endDate must be after startDate" };
  if (e - s > MAX_REPORT_DAYS * DAY_MS) return { ok: false, message: `a report covers at most ${MAX_REPORT_DAYS} days` };
  return { ok: true, granularity: e - s <= HOURLY_UP_TO_MS ? "hour" : "day" };
}

export const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
export const floorDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * The hours a period reads: [floor-hour(start), end). Its previous period is the equally long one
 * before it, ending where this one begins.
 */
export function periodHours(start: Date, end: Date): { from: Date; to: Date; previousFrom: Date; previousTo: Date } {
  const length = end.getTime() - start.getTime();
  const from = floorHour(start.getTime());
  return { from: new Date(from), to: end, previousFrom: new Date(floorHour(start.getTime() - length)), previousTo: new Date(from) };
}

/** The UTC days a period touches, first and last (YYYY-MM-DD). */
export function periodDays(start: Date, end: Date): { first: string; last: string } {
  return { first: new Date(start.getTime()).toISOString().slice(0, 10), last: new Date(end.getTime() - 1).toISOString().slice(0, 10) };
}

/** An hour-and-platform cell as the report reads it. */
export interface HourRow extends Counts {
  hour: Date;
  platform: string;
}

/** A term's cells summed over the period. */
export interface TermRow extends Counts {
  kind: TermKind;
  term: string;
}

/** An author's cells summed over the period. */
export interface AuthorRow {
  author: string;
  platform: string;
  mentions: number;
  sentimentMilli: number;
  reach: number;
  engagement: number;
}

export interface Bucket extends Counts {
  date: Date;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const average = (sentimentMilli: number, mentions: number) => (mentions > 0 ? round(sentimentMilli / mentions / 1000) : 0);

function zero(): Counts {
  return { mentions: 0, sentimentMilli: 0, positive: 0, negative: 0, reach: 0, engagement: 0 };
}

function addTo(into: Counts, c: Counts): void {
  into.mentions += c.mentions;
  into.sentimentMilli += c.sentimentMilli;
  into.positive += c.positive;
  into.negative += c.negative;
  into.reach += c.reach;
  into.engagement += c.engagement;
}

/** Every bucket of the period (empty ones included, so charts have a continuous axis). */
export function buckets(rows: readonly HourRow[], from: Date, to: Date, granularity: Granularity): Bucket[] {
  const step = granularity === "hour" ? HOUR_MS : DAY_MS;
  const first = granularity === "hour" ? floorHour(from.getTime()) : floorDay(from.getTime());
  const out: Bucket[] = [];
  for (let t = first; t < to.getTime(); t += step) out.push({ date: new Date(t), ...zero() });
  for (const r of rows) {
    const i = Math.floor((r.hour.getTime() - first) / step);
    if (i >= 0 && i < out.length) addTo(out[i], r);
  }
  return out;
}

export function totals(rows: readonly Counts[]): Counts {
  const t = zero();
  for (const r of rows) addTo(t, r);
  return t;
}

/** Percent change from previous to current (one decimal); 0 when the previous period had nothing. */
export function growthRate(current: number, previous: number): number {
  if (previous <= 0) return 0;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

/** Engagement per person reached (four decimals); 0 without reach. */
export function engagementRate(engagement: number, reach: number): number {
  return reach > 0 ? Math.round((engagement / reach) * 10_000) / 10_000 : 0;
}

export interface PlatformFigure {
  platform: string;
  mentions: number;
  share: number;
  averageSentiment: number;
  reach: number;
  engagement: number;
}

export function platforms(rows: readonly HourRow[]): PlatformFigure[] {
  const by = new Map<string, Counts>();
  for (const r of rows) {
    let c = by.get(r.platform);
    if (!c) by.set(r.platform, (c = zero()));
    addTo(c, r);
  }
  const all = [...by.values()].reduce((s, c) => s + c.mentions, 0);
  return [...by.entries()]
    .map(([platform, c]) => ({
      platform,
      mentions: c.mentions,
      share: all > 0 ? round(c.mentions / all, 4) : 0,
      averageSentiment: average(c.sentimentMilli, c.mentions),
      reach: c.reach,
      engagement: c.engagement,
    }))
    .sort((a, b) => b.mentions - a.mentions || (a.platform < b.platform ? -1 : 1));
}

export interface CompetitorFigure {
  competitor: string;
  mentions: number;
  shareOfVoice: number;
  averageSentiment: number;
  reach: number;
  engagement: number;
  positive: number;
  negative: number;
}

/** Competitors (busiest first) with their share of voice among the campaign's own mentions and every competitor's. */
export function competitors(terms: readonly TermRow[], campaignMentions: number): CompetitorFigure[] {
  const rows = terms.filter((t) => t.kind === "competitor");
  const voices = campaignMentions + rows.reduce((s, t) => s + t.mentions, 0);
  return rows
    .map((t) => ({
      competitor: t.term,
      mentions: t.mentions,
      shareOfVoice: voices > 0 ? round(t.mentions / voices, 4) : 0,
      averageSentiment: average(t.sentimentMilli, t.mentions),
      reach: t.reach,
      engagement: t.engagement,
      positive: t.positive,
      negative: t.negative,
    }))
    .sort((a, b) => b.mentions - a.mentions || (a.competitor < b.competitor ? -1 : 1));
}

/** The campaign's own share of voice against its competitors (1 without competitor mentions). */
export function ownShareOfVoice(campaignMentions: number, competitorRows: readonly { mentions: number }[]): number {
  const voices = campaignMentions + competitorRows.reduce((s, c) => s + c.mentions, 0);
  return voices > 0 ? round(campaignMentions / voices, 4) : 1;
}

export interface KeywordFigure {
  keyword: string;
  mentions: number;
  averageSentiment: number;
  reach: number;
}

export function keywords(terms: readonly TermRow[]): KeywordFigure[] {
  return terms
    .filter((t) => t.kind === "keyword" && t.mentions > 0)
    .map((t) => ({ keyword: t.term, mentions: t.mentions, averageSentiment: average(t.sentimentMilli, t.mentions), reach: t.reach }))
    .sort((a, b) => b.mentions - a.mentions || (a.keyword < b.keyword ? -1 : 1));
}

export interface InfluencerFigure {
  author: string;
  platform: string;
  mentions: number;
  reach: number;
  engagement: number;
  averageSentiment: number;
}

/** The loudest authors first (reach, then mentions). */
export function influencers(rows: readonly AuthorRow[], limit: number): InfluencerFigure[] {
  return rows
    .map((a) => ({
      author: a.author,
      platform: a.platform,
      mentions: a.mentions,
      reach: a.reach,
      engagement: a.engagement,
      averageSentiment: average(a.sentimentMilli, a.mentions),
    }))
    .sort((a, b) => b.reach - a.reach || b.mentions - a.mentions || (a.author < b.author ? -1 : a.author > b.author ? 1 : a.platform < b.platform ? -1 : 1))
    .slice(0, limit);
}

export { average as averageSentiment };

// --- recommendations ---

export type Figure =
  | "totalMentions"
  | "averageSentiment"
  | "negativeShare"
  | "growthRate"
  | "engagementRate"
  | "crisisEvents"
  | "platformShare"
  | "platformSentiment"
  | "sentimentTrend"
  | "shareOfVoice"
  | "keywordSentiment";

export interface Advice {
  rule: string;
  priority: "high" | "medium" | "low";
  figure: Figure;
  subject?: string;
  value: number;
  threshold: number;
  message: string;
}

/** The figures the rules read. */
export interface Figures {
  totalMentions: number;
  averageSentiment: number;
  positive: number;
  negative: number;
  growthRate: number;
  previousPeriodMentions: number;
  engagementRate: number;
  crisisEvents: number;
  platforms: readonly PlatformFigure[];
  /** Mean sentiment per bucket, with its mentions, in time order. */
  trend: readonly { mentions: number; averageSentiment: number }[];
  competitors: readonly CompetitorFigure[];
  ownShareOfVoice: number;
  keywords: readonly KeywordFigure[];
}

/** The rules' thresholds (exported so tests and readers see them). */
export const RULES = {
  negativeSentiment: -0.2,
  positiveSentiment: 0.3,
  negativeShare: 0.4,
  surge: 50,
  decline: -30,
  lowEngagement: 0.01,
  platformConcentration: 0.6,
  platformNegative: -0.3,
  platformMinShare: 0.1,
  trendDrop: 0.15,
  trendMinMentions: 30,
  keywordNegative: -0.3,
  keywordMinMentions: 10,
} as const;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const signed = (x: number) => (x > 0 ? `+${x}` : `${x}`);

/** The recommendations the figures call for, most urgent first; each names the figure that triggered it. */
export function recommend(f: Figures): Advice[] {
  const out: Advice[] = [];
  if (f.totalMentions === 0) {
    out.push({
      rule: "no-mentions",
      priority: "medium",
      figure: "totalMentions",
      value: 0,
      threshold: 0,
      message: "No mentions were recorded in this period (totalMentions = 0): check the monitoring configuration's keywords and platforms.",
    });
    return out;
  }
  if (f.crisisEvents > 0) {
    out.push({
      rule: "crisis-review",
      priority: "high",
      figure: "crisisEvents",
      value: f.crisisEvents,
      threshold: 0,
      message: `${f.crisisEvents} crisis event${f.crisisEvents === 1 ? " was" : "s were"} opened in this period (crisisEvents = ${f.crisisEvents}): review each response and update the rapid-response playbook.`,
    });
  }
  if (f.averageSentiment <= RULES.negativeSentiment) {
    out.push({
      rule: "negative-sentiment",
      priority: "high",
      figure: "averageSentiment",
      value: f.averageSentiment,
      threshold: RULES.negativeSentiment,
      message: `Average sentiment is negative (averageSentiment = ${f.averageSentiment}, at or below ${RULES.negativeSentiment}): prioritise rebuttal and positive messaging on the main issues.`,
    });
  } else if (f.averageSentiment >= RULES.positiveSentiment) {
    out.push({
      rule: "positive-sentiment",
      priority: "low",
      figure: "averageSentiment",
      value: f.averageSentiment,
      threshold: RULES.positiveSentiment,
      message: `Sentiment is strongly positive (averageSentiment = ${f.averageSentiment}, at or above ${RULES.positiveSentiment}): amplify the messages that are working.`,
    });
  }
  const negativeShare = f.negative / f.totalMentions;
  if (negativeShare >= RULES.negativeShare) {
    out.push({
      rule: "negative-share",
      priority: "high",
      figure: "negativeShare",
      value: round(negativeShare, 4),
      threshold: RULES.negativeShare,
      message: `${pct(negativeShare)} of mentions are negative (negativeShare, threshold ${pct(RULES.negativeShare)}): identify the recurring complaints and address them directly.`,
    });
  }
  if (f.previousPeriodMentions > 0 && f.growthRate >= RULES.surge) {
    out.push({
      rule: "volume-surge",
      priority: "medium",
      figure: "growthRate",
      value: f.growthRate,
      threshold: RULES.surge,
      message: `Mention volume grew ${signed(f.growthRate)}% on the previous period (growthRate, threshold +${RULES.surge}%): find what drove it and staff the response team accordingly.`,
    });
  } else if (f.previousPeriodMentions > 0 && f.growthRate <= RULES.decline) {
    out.push({
      rule: "volume-decline",
      priority: "medium",
      figure: "growthRate",
      value: f.growthRate,
      threshold: RULES.decline,
      message: `Mention volume fell ${f.growthRate}% on the previous period (growthRate, threshold ${RULES.decline}%): increase outreach to keep the campaign visible.`,
    });
  }
  if (f.engagementRate < RULES.lowEngagement) {
    out.push({
      rule: "low-engagement",
      priority: "low",
      figure: "engagementRate",
      value: f.engagementRate,
      threshold: RULES.lowEngagement,
      message: `Engagement is low (engagementRate = ${f.engagementRate}, below ${RULES.lowEngagement}): test more interactive content (questions, polls, live events).`,
    });
  }
  const top = f.platforms[0];
  if (top && f.platforms.length > 1 && top.share >= RULES.platformConcentration) {
    out.push({
      rule: "platform-concentration",
      priority: "low",
      figure: "platformShare",
      subject: top.platform,
      value: top.share,
      threshold: RULES.platformConcentration,
      message: `${pct(top.share)} of mentions come from ${top.platform} (platformShare, threshold ${pct(RULES.platformConcentration)}): diversify outreach to other platforms.`,
    });
  }
  const worst = f.platforms
    .filter((p) => p.share >= RULES.platformMinShare && p.averageSentiment <= RULES.platformNegative)
    .sort((a, b) => a.averageSentiment - b.averageSentiment)[0];
  if (worst) {
    out.push({
      rule: "platform-negative",
      priority: "medium",
      figure: "platformSentiment",
      subject: worst.platform,
      value: worst.averageSentiment,
      threshold: RULES.platformNegative,
      message: `Sentiment on ${worst.platform} is negative (averageSentiment ${worst.averageSentiment}, at or below ${RULES.platformNegative}): focus response resources there.`,
    });
  }
  const drop = trendDrop(f.trend);
  if (drop !== null && drop >= RULES.trendDrop) {
    out.push({
      rule: "sentiment-decline",
      priority: "high",
      figure: "sentimentTrend",
      value: round(-drop),
      threshold: -RULES.trendDrop,
      message: `Sentiment fell by ${round(drop)} from the first to the last third of the period (sentimentTrend, threshold -${RULES.trendDrop}): find the turning point and respond.`,
    });
  }
  const leader = f.competitors.find((c) => c.shareOfVoice > f.ownShareOfVoice);
  if (leader) {
    out.push({
      rule: "share-of-voice",
      priority: "medium",
      figure: "shareOfVoice",
      subject: leader.competitor,
      value: leader.shareOfVoice,
      threshold: f.ownShareOfVoice,
      message: `${leader.competitor} has a larger share of voice (${pct(leader.shareOfVoice)}) than the campaign (${pct(f.ownShareOfVoice)}) (shareOfVoice): raise the campaign's visibility on the topics it leads.`,
    });
  }
  const keyword = f.keywords
    .filter((k) => k.mentions >= RULES.keywordMinMentions && k.averageSentiment <= RULES.keywordNegative)
    .sort((a, b) => a.averageSentiment - b.averageSentiment)[0];
  if (keyword) {
    out.push({
      rule: "keyword-negative",
      priority: "medium",
      figure: "keywordSentiment",
      subject: keyword.keyword,
      value: keyword.averageSentiment,
      threshold: RULES.keywordNegative,
      message: `Mentions of "${keyword.keyword}" are negative (averageSentiment ${keyword.averageSentiment}, at or below ${RULES.keywordNegative}): prepare talking points on it.`,
    });
  }
  const order = { high: 0, medium: 1, low: 2 };
  return out
    .map((a, i) => ({ a, i }))
    .sort((x, y) => order[x.a.priority] - order[y.a.priority] || x.i - y.i)
    .map((x) => x.a);
}

/** Mean sentiment of the first third of the buckets minus the last third's (weighted by mentions); null with too few mentions. */
export function trendDrop(trend: readonly { mentions: number; averageSentiment: number }[]): number | null {
  if (trend.length < 3) return null;
  const third = Math.floor(trend.length / 3);
  const mean = (part: readonly { mentions: number; averageSentiment: number }[]) => {
    const n = part.reduce((s, b) => s + b.mentions, 0);
    return n === 0 ? null : { n, avg: part.reduce((s, b) => s + b.averageSentiment * b.mentions, 0) / n };
  };
  const first = mean(trend.slice(0, third));
  const last = mean(trend.slice(trend.length - third));
  if (!first || !last || first.n + last.n < RULES.trendMinMentions) return null;
  return first.avg - last.avg;
}
