// The mentions filters (GET /api/v1/monitoring/mentions and its CSV export): platform, sentiment
// (class or range), author, language, time range and text, combinable. Every value is checked: a
// value the service does not understand is a 400 naming it, never silently ignored. Pure: the
// endpoints give the raw values, store.ts turns the result into SQL.
import { MAX_RANGE_DAYS, containsPattern } from "./windows";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type SentimentClass = "positive" | "neutral" | "negative";
const SENTIMENT_CLASSES: readonly SentimentClass[] = ["positive", "neutral", "negative"];

/** The filters as the query string carries them (lists comma-separated). */
export interface RawMentionFilters {
  keyword?: string;
  hours?: number;
  start?: Date;
  end?: Date;
  platform?: string;
  sentiment?: string;
  minSentiment?: number;
  maxSentiment?: number;
  author?: string;
  language?: string;
}

/** The filters checked and normalised. */
export interface MentionFilter {
  since: Date;
  /** Exclusive; null: up to now (and whatever arrives while paging). */
  until: Date | null;
  /** A LIKE pattern (ESCAPE '\'), or null. */
  pattern: string | null;
  /** Lower case; null: every platform. */
  platforms: string[] | null;
  /** Sentiment classes (±NEUTRAL_BAND); null: every class. */
  classes: SentimentClass[] | null;
  minSentiment: number | null;
  maxSentiment: number | null;
  /** Lower case, matched exactly; null: every author. */
  author: string | null;
  /** ISO 639-1 codes; null: every language. */
  languages: string[] | null;
}

export type FilterCheck = { ok: true; filter: MentionFilter } | { ok: false; message: string };

/** The query parameters the mentions list and its export understand (the export refuses any other). */
export const MENTION_FILTER_PARAMS = [
  "keyword",
  "hours",
  "start",
  "end",
  "platform",
  "sentiment",
  "minSentiment",
  "maxSentiment",
  "author",
  "language",
] as const;

/**
 * Platforms the sources we know send (the seed's, the demo feed's, Mentionlytics' channels). A
 * platform outside this list is still a known value once the campaign has a mention from it
 * (flows/reports.ts asks the store); anything else is an unknown value, a 400.
 */
export const KNOWN_PLATFORMS: ReadonlySet<string> = new Set([
  "twitter",
  "x",
  "facebook",
  "instagram",
  "tiktok",
  "google",
  "youtube",
  "reddit",
  "news",
  "web",
  "blogs",
  "blog",
  "forums",
  "linkedin",
  "threads",
  "bluesky",
  "mastodon",
  "pinterest",
  "podcasts",
  "tv",
  "radio",
  "print",
]);

/** Platform names as sources send them, lower-cased by ingest ("twitter", "news", "google-news"). */
const PLATFORM = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const MAX_LIST = 20;
const DEFAULT_HOURS = 24;
const MAX_HOURS = 720;

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** Whether `code` is an ISO 639-1 language code ("en", "es"; not "xx"). */
export function isLanguageCode(code: string): boolean {
  return /^[a-z]{2}$/.test(code) && languageNames.of(code) !== undefined;
}

function list(
  name: string,
  raw: string | undefined,
  check: (v: string) => string | null,
): { ok: true; values: string[] | null } | { ok: false; message: string } {
  if (raw === undefined) return { ok: true, values: null };
  const values = [...new Set(raw.split(",").map((v) => v.trim().toLowerCase()))];
  if (values.some((v) => v === "")) return { ok: false, message: `${name} must be a comma-separated list without empty values` };
  if (values.length > MAX_LIST) return { ok: false, message: `${name} may list at most ${MAX_LIST} values` };
  for (const v of values) {
    const problem = check(v);
    if (problem) return { ok: false, message: `${name}: ${problem}` };
  }
  return { ok: true, values };
}

/**
 * Checks and normalises the filters. The time range is either `hours` back from now (default 24,
 * at most 720) or `start`/`end` (end defaults to now, start to 24 h before end; at most 31 days),
 * not both.
 */
export function parseMentionFilters(raw: RawMentionFilters, now: number): FilterCheck {
  const fail = (message: string): FilterCheck => ({ ok: false, message });
  if (raw.hours !== undefined && (raw.start !== undefined || raw.end !== undefined)) return fail("give either hours or start/end, not both");
  let since: Date;
  let until: Date | null = null;
  if (raw.start !== undefined || raw.end !== undefined) {
    const endMs = raw.end ? raw.end.getTime() : now;
    const startMs = raw.start ? raw.start.getTime() : endMs - DAY;
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) return fail("start and end must be valid times");
    if (startMs >= endMs) return fail("start must be before end");
    if (endMs - startMs > MAX_RANGE_DAYS * DAY) return fail(`the range may span at most ${MAX_RANGE_DAYS} days`);
    since = new Date(startMs);
    until = raw.end ? new Date(endMs) : null;
  } else {
    const hours = raw.hours ?? DEFAULT_HOURS;
    if (!Number.isFinite(hours) || hours < 1 || hours > MAX_HOURS) return fail(`hours must be between 1 and ${MAX_HOURS}`);
    since = new Date(now - hours * HOUR);
  }

  const keyword = raw.keyword?.trim() ?? "";
  if (keyword.length > 100) return fail("keyword must be at most 100 characters");

  const platforms = list("platform", raw.platform, (v) => (PLATFORM.test(v) ? null : `"${v}" is not a platform name`));
  if (!platforms.ok) return platforms;

  const classes = list("sentiment", raw.sentiment, (v) =>
    (SENTIMENT_CLASSES as readonly string[]).includes(v)
      ? null
      : `"${v}" is not one of ${SENTIMENT_CLASSES.join(", ")} (use minSentiment/maxSentiment for a range)`,
  );
  if (!classes.ok) return classes;

  for (const [name, value] of [
    ["minSentiment", raw.minSentiment],
    ["maxSentiment", raw.maxSentiment],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= -1 && value <= 1)) return fail(`${name} must be between -1 and 1`);
  }
  if (raw.minSentiment !== undefined && raw.maxSentiment !== undefined && raw.minSentiment > raw.maxSentiment)
    return fail("minSentiment must not be above maxSentiment");

  const author = raw.author?.trim();
  if (author !== undefined && (author === "" || author.length > 255)) return fail("author must be 1 to 255 characters");

  const languages = list("language", raw.language, (v) => (isLanguageCode(v) ? null : `"${v}" is not an ISO 639-1 language code`));
  if (!languages.ok) return languages;

  return {
    ok: true,
    filter: {
      since,
      until,
      pattern: keyword === "" ? null : containsPattern(keyword),
      platforms: platforms.values,
      classes: classes.values as SentimentClass[] | null,
      minSentiment: raw.minSentiment ?? null,
      maxSentiment: raw.maxSentiment ?? null,
      author: author === undefined ? null : author.toLowerCase(),
      languages: languages.values,
    },
  };
}

/** A filter of time and text only (service callers). */
export function basicFilter(since: Date, pattern: string | null): MentionFilter {
  return { since, until: null, pattern, platforms: null, classes: null, minSentiment: null, maxSentiment: null, author: null, languages: null };
}

/** Query parameters a raw query string has that the filters do not know (the export refuses them). */
export function unknownParams(params: URLSearchParams, known: readonly string[]): string[] {
  return [...new Set(params.keys())].filter((k) => !known.includes(k));
}

/**
 * The filters from a raw query string (the CSV export): numbers and times parsed, every problem a
 * message. A parameter given twice is refused (the typed endpoint takes one value per name).
 */
export function filtersFromQuery(params: URLSearchParams): { ok: true; raw: RawMentionFilters } | { ok: false; message: string } {
  const raw: RawMentionFilters = {};
  for (const name of MENTION_FILTER_PARAMS) {
    const all = params.getAll(name);
    if (all.length === 0) continue;
    if (all.length > 1) return { ok: false, message: `${name} is given more than once (lists are comma-separated)` };
    const value = all[0];
    switch (name) {
      case "hours":
      case "minSentiment":
      case "maxSentiment": {
        const n = value.trim() === "" ? NaN : Number(value);
        if (!Number.isFinite(n)) return { ok: false, message: `${name} must be a number` };
        raw[name] = n;
        break;
      }
      case "start":
      case "end": {
        const t = Date.parse(value);
        if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(t)) return { ok: false, message: `${name} must be an ISO 8601 time` };
        raw[name] = new Date(t);
        break;
      }
      default:
        raw[name] = value;
    }
  }
  return { ok: true, raw };
}
