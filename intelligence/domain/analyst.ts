// The analyst's own analyses, pure: who the hostile voices are (grouped by author), which platform
// hurts most, how an open incident is explained, and a holding statement drafted from the incident
// and the knowledge base. The assistant's tools (tools.ts) run them on the data they read, offline
// and as the model's tools alike.

/** A mention as the analyst reads it. */
export interface MentionSample {
  author: string;
  platform: string;
  text: string;
  sentiment: number;
  reach: number;
  url: string;
  timestamp: Date | string;
}

/** Below this a mention is negative (monitoring's neutral band). */
export const NEGATIVE = -0.05;

const r2 = (x: number) => Math.round(x * 100) / 100;

/** One author of negative mentions in the window, all their posts counted together. */
export interface HostileVoice {
  author: string;
  platforms: string[];
  mentions: number;
  /** The largest audience seen for the author (an audience, not a sum over posts). */
  reach: number;
  averageSentiment: number;
  /** Negativity × reach over their posts: how much damage they did. */
  impact: number;
  worstPost: { text: string; platform: string; sentiment: number; reach: number; url: string };
}

/** Authors are the same person whatever the case or a leading @. */
export const authorKey = (author: string): string => author.trim().replace(/^@/, "").toLowerCase();

/** Negative mentions grouped by author, most damaging first. Anonymous posts are grouped as "anonymous". */
export function hostileVoices(mentions: MentionSample[], limit = 5): HostileVoice[] {
  const by = new Map<string, { v: HostileVoice; sum: number }>();
  for (const m of mentions) {
    if (m.sentiment >= NEGATIVE) continue;
    const key = authorKey(m.author) || "anonymous";
    let entry = by.get(key);
    if (!entry) {
      entry = {
        v: {
          author: m.author.trim() || "anonymous",
          platforms: [],
          mentions: 0,
          reach: 0,
          averageSentiment: 0,
          impact: 0,
          worstPost: { text: m.text, platform: m.platform, sentiment: m.sentiment, reach: m.reach, url: m.url },
        },
        sum: 0,
      };
      by.set(key, entry);
    }
    const v = entry.v;
    v.mentions++;
    entry.sum += m.sentiment;
    v.reach = Math.max(v.reach, m.reach);
    v.impact += -m.sentiment * (m.reach + 1);
    if (!v.platforms.includes(m.platform)) v.platforms.push(m.platform);
    if (-m.sentiment * (m.reach + 1) > -v.worstPost.sentiment * (v.worstPost.reach + 1))
      v.worstPost = { text: m.text, platform: m.platform, sentiment: m.sentiment, reach: m.reach, url: m.url };
  }
  return [...by.values()]
    .map(({ v, sum }) => ({ ...v, averageSentiment: r2(sum / v.mentions), impact: Math.round(v.impact) }))
    .sort((a, b) => b.impact - a.impact || b.mentions - a.mentions || a.author.localeCompare(b.author))
    .slice(0, limit);
}

/** One platform's share of the damage. */
export interface PlatformPain {
  platform: string;
  mentions: number;
  negative: number;
  negativeShare: number;
  averageSentiment: number;
  /** Reach of the negative mentions. */
  negativeReach: number;
  /** Negativity × reach of the negative mentions. */
  impact: number;
}

/** Platforms ordered by the damage their negative mentions did (negativity × reach), worst first. */
export function platformPain(mentions: MentionSample[]): PlatformPain[] {
  const by = new Map<string, PlatformPain & { sum: number }>();
  for (const m of mentions) {
    const p = by.get(m.platform) ?? {
      platform: m.platform,
      mentions: 0,
      negative: 0,
      negativeShare: 0,
      averageSentiment: 0,
      negativeReach: 0,
      impact: 0,
      sum: 0,
    };
    p.mentions++;
    p.sum += m.sentiment;
    if (m.sentiment < NEGATIVE) {
      p.negative++;
      p.negativeReach += m.reach;
      p.impact += -m.sentiment * (m.reach + 1);
    }
    by.set(m.platform, p);
  }
  return [...by.values()]
    .map(({ sum, ...p }) => ({ ...p, negativeShare: r2(p.negative / p.mentions), averageSentiment: r2(sum / p.mentions), impact: Math.round(p.impact) }))
    .sort((a, b) => b.impact - a.impact || b.negative - a.negative || a.platform.localeCompare(b.platform));
}

/** An open incident as the analyst explains it: monitoring's crisis record and its explanation. */
export interface IncidentBrief {
  title: string;
  severity: string;
  status: string;
  summary: string;
  crisisScore: number;
  openedAt: string;
  /** Whether alerting has an unacknowledged alert for it. */
  alerted: boolean;
  mentions: number;
  estimatedReach: number;
  sentimentImpact: number;
  terms: { term: string; share: number; mentions: number }[];
  platforms: { platform: string; mentions: number; negativeMentions: number; reach: number; share: number }[];
  topPosts: { author: string; platform: string; text: string; sentiment: number; reach: number; url: string }[];
  recommendedActions: string[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Plain-language lines explaining an incident: what, driving terms, platforms, top posts. */
export function incidentLines(i: IncidentBrief): string[] {
  const lines = [
    `Open incident: "${i.title}" (${i.severity}, ${i.status}, crisis score ${r2(i.crisisScore)}, opened ${i.openedAt.slice(0, 16).replace("T", " ")} UTC${i.alerted ? ", alert unacknowledged" : ""}). ${i.summary}`.trim(),
  ];
  lines.push(`It covers ${i.mentions} mention(s), estimated reach ${i.estimatedReach}, sentiment impact ${r2(i.sentimentImpact)}.`);
  if (i.terms.length)
    lines.push(
      `Driving terms: ${i.terms
        .slice(0, 5)
        .map((t) => `"${t.term}" (${pct(t.share)} of its mentions)`)
        .join(", ")}.`,
    );
  if (i.platforms.length)
    lines.push(
      `Platforms: ${i.platforms
        .slice(0, 4)
        .map((p) => `${p.platform} ${pct(p.share)} (${p.negativeMentions} negative, reach ${p.reach})`)
        .join(", ")}.`,
    );
  for (const p of i.topPosts.slice(0, 3))
    lines.push(`- top post: ${p.author || "anonymous"} on ${p.platform} (reach ${p.reach}, sentiment ${r2(p.sentiment)}): "${p.text.slice(0, 160)}"`);
  return lines;
}

/** A fact for a statement: a passage of the knowledge base and where it is. */
export interface StatementFact {
  text: string;
  source: string;
}

const DRAFT_MARK = "DRAFT HOLDING STATEMENT (for review; not approved for release)";

/** The sentences of a snippet that read as facts (whole sentences, at most two). */
function factSentences(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const sentences = clean.match(/[^.!?]+[.!?]+/g) ?? [clean];
  return sentences
    .slice(0, 2)
    .map((x) => x.trim())
    .join(" ")
    .slice(0, 300);
}

/**
 * A holding statement drafted from an incident (its subject: the driving terms, the platforms) and
 * knowledge-base facts, each quoted with its source. Clearly marked as a draft: a person approves it.
 */
export function draftHoldingStatement(campaign: string, incident: IncidentBrief | null, topic: string | null, facts: StatementFact[]): string[] {
  const subject =
    topic ||
    (incident?.terms.length
      ? incident.terms
          .slice(0, 3)
          .map((t) => t.term)
          .join(", ")
      : incident?.title) ||
    "the reports circulating today";
  const where = incident?.platforms.length
    ? ` on ${incident.platforms
        .slice(0, 3)
        .map((p) => p.platform)
        .join(", ")}`
    : "";
  const lines = [
    `${DRAFT_MARK}:`,
    `"${campaign} is aware of the claims circulating${where} about ${subject}. We take them seriously and are reviewing the facts.`,
  ];
  for (const f of facts.slice(0, 2)) lines.push(`As our record shows: "${factSentences(f.text)}"`);
  lines.push(`We will share more information as soon as we have it. Until then we ask everyone to rely on verified information."`);
  lines.push(
    facts.length
      ? `Facts quoted from the knowledge base: ${facts
          .slice(0, 2)
          .map((f) => f.source)
          .join("; ")}.`
      : "No knowledge-base passage matched the subject: add the campaign's facts before release.",
  );
  if (incident) lines.push(`Based on the open incident "${incident.title}" (${incident.severity}).`);
  return lines;
}

/** The words of a competitor's name by which a question may name them ("Kessler" for "Mark Kessler"). */
function nameParts(name: string): string[] {
  return name.split(/\s+/).filter((w) => w.length >= 4);
}

/** The configured competitor a question names (full name, or a part of it of 4+ letters), or null. */
export function namedCompetitor(text: string, competitors: string[]): string | null {
  const t = text.toLowerCase();
  for (const c of competitors) if (c.trim() && t.includes(c.trim().toLowerCase())) return c;
  for (const c of competitors) {
    for (const part of nameParts(c)) if (new RegExp(`\\b${part.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:'s)?\\b`).test(t)) return c;
  }
  return null;
}
