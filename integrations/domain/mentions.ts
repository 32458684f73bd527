// Mentionlytics mentions → our Mention, the summary the seed's MentionlyticsData carries, and the
// poll cursor that makes polling exactly-once. Pure.
import type { CompetitorAnalysis, InfluencerData, Mention, MentionlyticsData, SentimentAnalysis } from "../model";

/** A mention as Mentionlytics returns it (the fields we read). */
export interface RawMention {
  id: number | string;
  pub_date: string;
  title?: string | null;
  description?: string | null;
  link?: string | null;
  source?: string | null;
  sentiment?: string | number | null;
  lang?: string | null;
  country?: string | null;
  profile_name?: string | null;
  screen_name?: string | null;
  followers_count?: number | null;
  cmeta?: Record<string, number | null> | null;
  /** The Mentionlytics tracker ("campaign") that caught the mention. */
  campaign?: string | null;
}

/** A mapped mention plus the tracker that caught it. */
export interface TrackedMention extends Mention {
  tracker: string;
}

/** Mentionlytics' sentiment (label or number) as -1 … 1. */
export function sentimentScore(s: RawMention["sentiment"]): number {
  if (typeof s === "number") return Math.max(-1, Math.min(1, s));
  switch (String(s ?? "").toLowerCase()) {
    case "positive":
    case "1":
      return 1;
    case "negative":
    case "-1":
      return -1;
    default:
      return 0;
  }
}

/** Maps one raw mention; null when it lacks an id or a valid date (never guessed). */
export function toMention(r: RawMention): TrackedMention | null {
  const at = new Date(r.pub_date);
  if (r.id === undefined || r.id === null || Number.isNaN(at.getTime())) return null;
  const engagement = Object.entries(r.cmeta ?? {})
    .filter(([k]) => k !== "views")
    .reduce((sum, [, v]) => sum + (typeof v === "number" ? v : 0), 0);
  const mention: TrackedMention = {
    id: String(r.id),
    text: [r.title, r.description].filter((x) => x?.trim()).join(" — ") || "",
    author: r.screen_name || r.profile_name || "unknown",
    platform: (r.source || "web").toLowerCase(),
    url: r.link || "",
    sentiment: sentimentScore(r.sentiment),
    reach: Math.max(0, Number(r.followers_count ?? 0)),
    engagement,
    timestamp: at,
    language: r.lang || "und",
    tracker: r.campaign || "",
  };
  if (r.country) mention.location = r.country;
  return mention;
}

/** True when the mention is about one of the campaign's keywords (text or tracker name, any case). */
export function matchesKeywords(m: TrackedMention, keywords: string[]): boolean {
  const hay = `${m.text} ${m.tracker}`.toLowerCase();
  return keywords.some((k) => k && hay.includes(k.toLowerCase()));
}

/** Builds the seed's MentionlyticsData from the account's mentions: the campaign's own, and competitors from the other trackers. */
export function summarize(all: TrackedMention[], keywords: string[], limit = 100): MentionlyticsData {
  const own = all.filter((m) => matchesKeywords(m, keywords)).sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
  const sentiment: SentimentAnalysis = {
    positive: own.filter((m) => m.sentiment > 0.1).length,
    negative: own.filter((m) => m.sentiment < -0.1).length,
    neutral: own.filter((m) => Math.abs(m.sentiment) <= 0.1).length,
    average: mean(own.map((m) => m.sentiment)),
  };
  const byAuthor = new Map<string, TrackedMention[]>();
  for (const m of own) byAuthor.set(`${m.platform}:${m.author}`, [...(byAuthor.get(`${m.platform}:${m.author}`) ?? []), m]);
  const influencers: InfluencerData[] = [...byAuthor.values()]
    .map((ms) => ({
      name: ms[0].author,
      handle: ms[0].author,
      platform: ms[0].platform,
      followers: Math.max(...ms.map((m) => m.reach)),
      mentions: ms.length,
      averageSentiment: round(mean(ms.map((m) => m.sentiment))),
    }))
    .sort((a, b) => b.followers - a.followers || b.mentions - a.mentions)
    .slice(0, 10);
  const others = new Map<string, TrackedMention[]>();
  for (const m of all) {
    if (!m.tracker || matchesKeywords({ ...m, text: "" }, keywords)) continue;
    others.set(m.tracker, [...(others.get(m.tracker) ?? []), m]);
  }
  const competitors: CompetitorAnalysis[] = [...others.entries()]
    .map(([name, ms]) => ({
      name,
      mentions: ms.length,
      sentimentScore: round(mean(ms.map((m) => m.sentiment))),
      shareOfVoice: round(ms.length / Math.max(1, all.length)),
    }))
    .sort((a, b) => b.mentions - a.mentions);
  return {
    mentions: own.slice(0, limit).map(({ tracker: _t, ...m }) => m),
    sentiment: { ...sentiment, average: round(sentiment.average) },
    influencers,
    competitors,
    totalMentions: own.length,
    sentimentScore: round(sentiment.average),
    reach: own.reduce((s, m) => s + m.reach, 0),
  };
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Where a poller is in a feed: the newest publication time it has passed on, and the ids it saw at
 * exactly that time (providers give second-granular dates, so several mentions can share one).
 */
export interface MentionCursor {
  /** ISO time of the newest mention delivered. */
  at: string;
  idsAt: string[];
}

/**
 * The mentions not yet delivered, oldest first, and the cursor after delivering them. Mentions
 * older than the cursor or already seen at its instant are dropped: nothing twice.
 */
export function advance(cursor: MentionCursor | null, mentions: TrackedMention[]): { fresh: TrackedMention[]; cursor: MentionCursor | null } {
  const at = cursor ? Date.parse(cursor.at) : -Infinity;
  const seen = new Set(cursor?.idsAt ?? []);
  const unique = new Map<string, TrackedMention>();
  for (const m of mentions) {
    const t = m.timestamp.getTime();
    if (t < at || (t === at && seen.has(m.id))) continue;
    unique.set(m.id, m);
  }
  const fresh = [...unique.values()].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || a.id.localeCompare(b.id));
  if (fresh.length === 0) return { fresh, cursor };
  const newest = fresh[fresh.length - 1].timestamp.getTime();
  const idsAt = fresh.filter((m) => m.timestamp.getTime() === newest).map((m) => m.id);
  return { fresh, cursor: { at: new Date(newest).toISOString(), idsAt: newest === at ? [...seen, ...idsAt] : idsAt } };
}
