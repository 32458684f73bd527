// Rolling mentions up into analytics' cells: per hour and platform, per tracked term, per influential
// author, and the day's most-read mentions. The one definition of every cell: the live path (a
// data-stream batch) and the nightly recomputation (monitoring's figures for a day) both end in
// these shapes, so they agree to the unit. Pure: no I/O.
//
// Semantics both paths share (monitoring's day query implements the same in SQL):
// - days and hours are UTC, by the mention's own timestamp;
// - sentiment is counted in thousandths (mentions carry three decimals): exact integer sums;
// - positive above +0.05, negative below -0.05 (monitoring's neutral band);
// - a term matches when the lower-cased text contains the lower-cased term;
// - an author's mention is influential when its reach is at least INFLUENCER_REACH, or the author
//   (lower-cased) is one of the configuration's influencers; authors without a name are skipped;
// - the day's top mentions are the TOP_PER_DAY with the highest reach, ties by mention id.

/** Thousandths of sentiment above which a mention is positive (below the negative of it: negative). */
export const NEUTRAL_BAND_MILLI = 50;
/** A mention reaching at least this many people makes its author an influencer for that mention. */
export const INFLUENCER_REACH = 10_000;
/** How many of each day's most-read mentions are kept. */
export const TOP_PER_DAY = 10;
/** Top mentions keep this many characters of text. */
export const TOP_TEXT_CHARS = 280;

const HOUR_MS = 3_600_000;

/** A mention as analytics needs it (monitoring's StreamMention carries these fields). */
export interface RollupMention {
  mentionId: string;
  platform: string;
  author: string;
  text: string;
  url: string;
  sentiment: number;
  reach: number;
  engagement: number;
  /** ISO 8601. */
  timestamp: string;
}

/** What a campaign's monitoring tracks: terms to count and authors that are influencers. */
export interface Targets {
  keywords: string[];
  competitors: string[];
  influencers: string[];
}

/** Counters shared by every cell. */
export interface Counts {
  mentions: number;
  sentimentMilli: number;
  positive: number;
  negative: number;
  reach: number;
  engagement: number;
}

export interface HourCell extends Counts {
  /** ISO 8601 start of the hour. */
  hour: string;
  platform: string;
}

export type TermKind = "keyword" | "competitor";

export interface TermCell extends Counts {
  kind: TermKind;
  term: string;
}

export interface AuthorCell {
  author: string;
  platform: string;
  mentions: number;
  sentimentMilli: number;
  reach: number;
  engagement: number;
}

export interface TopMentionCell {
  mentionId: string;
  platform: string;
  author: string;
  text: string;
  url: string;
  sentimentMilli: number;
  reach: number;
  engagement: number;
  /** ISO 8601. */
  at: string;
}

/** One day's cells. */
export interface DayRollup {
  /** YYYY-MM-DD (UTC). */
  date: string;
  hours: HourCell[];
  terms: TermCell[];
  authors: AuthorCell[];
  /** At most TOP_PER_DAY, best first. */
  top: TopMentionCell[];
}

export function milli(sentiment: number): number {
  return Math.round(sentiment * 1000);
}

/** The UTC day of an ISO timestamp or time in ms. */
export function dayOf(at: string | number): string {
  return new Date(typeof at === "number" ? at : Date.parse(at)).toISOString().slice(0, 10);
}

/** The ISO start of the UTC hour of a time. */
export function hourOf(at: string | number): string {
  const ms = typeof at === "number" ? at : Date.parse(at);
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
}

/** Terms as matched: trimmed, lower-cased, distinct, non-empty (the order of first appearance). */
export function normaliseTerms(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of terms) {
    const term = t.trim().toLowerCase();
    if (term !== "" && !out.includes(term)) out.push(term);
  }
  return out;
}

/** The first TOP_TEXT_CHARS characters (code points, as Postgres counts them). */
export function clip(text: string, chars = TOP_TEXT_CHARS): string {
  if (text.length <= chars) return text;
  return Array.from(text).slice(0, chars).join("");
}

/** Best first: higher reach, then the smaller mention id. */
export function compareTop(a: { reach: number; mentionId: string }, b: { reach: number; mentionId: string }): number {
  return b.reach - a.reach || (a.mentionId < b.mentionId ? -1 : a.mentionId > b.mentionId ? 1 : 0);
}

function add(c: Counts, s: number, reach: number, engagement: number): void {
  c.mentions++;
  c.sentimentMilli += s;
  if (s > NEUTRAL_BAND_MILLI) c.positive++;
  else if (s < -NEUTRAL_BAND_MILLI) c.negative++;
  c.reach += reach;
  c.engagement += engagement;
}

const zero = (): Counts => ({ mentions: 0, sentimentMilli: 0, positive: 0, negative: 0, reach: 0, engagement: 0 });

/** Whether a mention counts toward its author's influencer figures. */
export function isInfluential(author: string, reach: number, influencers: ReadonlySet<string>): boolean {
  if (author === "") return false;
  return reach >= INFLUENCER_REACH || influencers.has(author.toLowerCase());
}

/** Rolls mentions up per UTC day (days in ascending order; cells in a stable order). */
export function rollUp(mentions: readonly RollupMention[], targets: Targets): DayRollup[] {
  const keywords = normaliseTerms(targets.keywords);
  const competitors = normaliseTerms(targets.competitors);
  const influencers = new Set(normaliseTerms(targets.influencers));
  interface Acc {
    hours: Map<string, HourCell>;
    terms: Map<string, TermCell>;
    authors: Map<string, AuthorCell>;
    top: TopMentionCell[];
  }
  const days = new Map<string, Acc>();
  for (const m of mentions) {
    const ms = Date.parse(m.timestamp);
    const date = dayOf(ms);
    let acc = days.get(date);
    if (!acc) days.set(date, (acc = { hours: new Map(), terms: new Map(), authors: new Map(), top: [] }));
    const s = milli(m.sentiment);
    const hour = hourOf(ms);
    const hourKey = `${hour}\u0000${m.platform}`;
    let cell = acc.hours.get(hourKey);
    if (!cell) acc.hours.set(hourKey, (cell = { hour, platform: m.platform, ...zero() }));
    add(cell, s, m.reach, m.engagement);

    if (keywords.length > 0 || competitors.length > 0) {
      const lowered = m.text.toLowerCase();
      for (const [kind, list] of [
        ["keyword", keywords],
        ["competitor", competitors],
      ] as const) {
        for (const term of list) {
          if (!lowered.includes(term)) continue;
          const key = `${kind}\u0000${term}`;
          let t = acc.terms.get(key);
          if (!t) acc.terms.set(key, (t = { kind, term, ...zero() }));
          add(t, s, m.reach, m.engagement);
        }
      }
    }

    if (isInfluential(m.author, m.reach, influencers)) {
      const key = `${m.author}\u0000${m.platform}`;
      let a = acc.authors.get(key);
      if (!a) acc.authors.set(key, (a = { author: m.author, platform: m.platform, mentions: 0, sentimentMilli: 0, reach: 0, engagement: 0 }));
      a.mentions++;
      a.sentimentMilli += s;
      a.reach += m.reach;
      a.engagement += m.engagement;
    }

    const candidate = { reach: m.reach, mentionId: m.mentionId };
    if (acc.top.length < TOP_PER_DAY || compareTop(candidate, acc.top[acc.top.length - 1]) < 0) {
      acc.top.push({
        mentionId: m.mentionId,
        platform: m.platform,
        author: m.author,
        text: clip(m.text),
        url: m.url,
        sentimentMilli: s,
        reach: m.reach,
        engagement: m.engagement,
        at: new Date(ms).toISOString(),
      });
      acc.top.sort(compareTop);
      if (acc.top.length > TOP_PER_DAY) acc.top.length = TOP_PER_DAY;
    }
  }
  const byKey = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, acc]) => ({ date, hours: byKey(acc.hours), terms: byKey(acc.terms), authors: byKey(acc.authors), top: acc.top }));
}

/** A day as monitoring's day query reports it (the fields analytics reads; structurally its DayAggregates). */
export interface DayFigures {
  date: string;
  hours: readonly ({ hour: Date; platform: string } & Counts)[];
  /** Per lower-cased term, whichever list it came from. */
  terms: readonly ({ term: string } & Counts)[];
  authors: readonly AuthorCell[];
  top: readonly {
    mentionId: string;
    platform: string;
    author: string;
    text: string;
    url: string;
    sentiment: number;
    reach: number;
    engagement: number;
    timestamp: Date;
  }[];
}

const byKey = <T>(items: T[], key: (t: T) => string): T[] =>
  items
    .map((t) => ({ t, k: key(t) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.t);

/** The same cells as rollUp, from monitoring's figures for one day and the targets they were counted for. */
export function fromDayFigures(f: DayFigures, targets: Targets): DayRollup {
  const counted = new Map(f.terms.map((t) => [t.term, t]));
  const terms: TermCell[] = [];
  for (const [kind, list] of [
    ["keyword", normaliseTerms(targets.keywords)],
    ["competitor", normaliseTerms(targets.competitors)],
  ] as const) {
    for (const term of list) {
      const c = counted.get(term);
      if (c && c.mentions > 0)
        terms.push({
          kind,
          term,
          mentions: c.mentions,
          sentimentMilli: c.sentimentMilli,
          positive: c.positive,
          negative: c.negative,
          reach: c.reach,
          engagement: c.engagement,
        });
    }
  }
  const top = f.top
    .map(
      (m): TopMentionCell => ({
        mentionId: m.mentionId,
        platform: m.platform,
        author: m.author,
        text: clip(m.text),
        url: m.url,
        sentimentMilli: milli(m.sentiment),
        reach: m.reach,
        engagement: m.engagement,
        at: m.timestamp.toISOString(),
      }),
    )
    .sort(compareTop)
    .slice(0, TOP_PER_DAY);
  return {
    date: f.date,
    hours: byKey(
      f.hours.map((h) => ({
        hour: h.hour.toISOString(),
        platform: h.platform,
        mentions: h.mentions,
        sentimentMilli: h.sentimentMilli,
        positive: h.positive,
        negative: h.negative,
        reach: h.reach,
        engagement: h.engagement,
      })),
      (h) => `${h.hour}\u0000${h.platform}`,
    ),
    terms: byKey(terms, (t) => `${t.kind}\u0000${t.term}`),
    authors: byKey(
      f.authors.map((a) => ({
        author: a.author,
        platform: a.platform,
        mentions: a.mentions,
        sentimentMilli: a.sentimentMilli,
        reach: a.reach,
        engagement: a.engagement,
      })),
      (a) => `${a.author}\u0000${a.platform}`,
    ),
    top,
  };
}

/** Every term to count for the targets (keywords and competitors, lower-cased, once each). */
export function allTerms(targets: Targets): string[] {
  return normaliseTerms([...targets.keywords, ...targets.competitors]);
}
