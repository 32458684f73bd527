// Checking and cleaning an ingest batch before it is stored: what the schema cannot say (times in
// the future, URLs, repeated ids within the batch, characters Postgres refuses), the sentiment
// (our analyzer's, combined with the source's by the batch's policy: sentiment/analyze.ts), the
// language (the source's, else detected), and a stable order for the insert. Pure.
import { mentionSentiment } from "./sentiment/analyze";
import { mentionLanguage } from "./sentiment/language";

/** A mention as a source sends it (model.ts Mention, without the validation brands). */
export interface IncomingMention {
  id: string;
  text: string;
  author: string;
  platform: string;
  url: string;
  sentiment?: number | null;
  reach: number;
  engagement: number;
  timestamp: Date;
  location?: string | null;
  language?: string | null;
}

/** A mention ready to store. */
export interface CleanMention {
  sourceId: string;
  text: string;
  author: string;
  platform: string;
  url: string;
  sentiment: number;
  /** True when our analyzer decided it (alone or with the source's score); false: the source's, as given. */
  sentimentScored: boolean;
  reach: number;
  engagement: number;
  timestamp: Date;
  location: string | null;
  language: string | null;
}

export type BatchCheck = { ok: true; mentions: CleanMention[]; repeated: number } | { ok: false; message: string };

/** How far ahead of the server's clock a mention's time may be (clock skew between sources). */
const MAX_FUTURE_MS = 5 * 60_000;
/** Mentions older than this are refused (a typo'd year, not a backfill). */
const OLDEST_TIMESTAMP = Date.UTC(2000, 0, 1);
const MAX_TEXT = 5000;
const MAX_URL = 2048;

// Postgres text cannot hold NUL; other control characters are kept (newlines, tabs matter).
const NUL = /\u0000/g;

function clean(value: string | null | undefined, max: number): string {
  return (value ?? "").replace(NUL, "").trim().slice(0, max);
}

function isWebUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/** Sentiment rounded to the stored precision (DECIMAL(4,3)). */
function roundSentiment(s: number): number {
  return Math.round(Math.max(-1, Math.min(1, s)) * 1000) / 1000;
}

/**
 * Checks a batch and returns its mentions cleaned, sorted by (platform, id) — so that concurrent
 * batches insert overlapping keys in the same order and cannot deadlock — with mentions repeated
 * within the batch (same platform and id) kept once and counted in `repeated`.
 */
export function checkBatch(batch: readonly IncomingMention[], now: number, policy: "combine" | "source" = "combine"): BatchCheck {
  const seen = new Set<string>();
  const mentions: CleanMention[] = [];
  let repeated = 0;
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i];
    const at = (field: string, problem: string): BatchCheck => ({ ok: false, message: `mentions[${i}].${field} ${problem}` });
    const sourceId = clean(m.id, 255);
    if (sourceId === "") return at("id", "must not be empty");
    const platform = clean(m.platform, 100).toLowerCase();
    if (platform === "") return at("platform", "must not be empty");
    const text = clean(m.text, MAX_TEXT + 1);
    if (text === "") return at("text", "must not be empty");
    if (text.length > MAX_TEXT) return at("text", `must be at most ${MAX_TEXT} characters`);
    const url = clean(m.url, MAX_URL + 1);
    if (url.length > MAX_URL) return at("url", `must be at most ${MAX_URL} characters`);
    if (url !== "" && !isWebUrl(url)) return at("url", "must be an http(s) URL or empty");
    const time = m.timestamp instanceof Date ? m.timestamp.getTime() : NaN;
    if (!Number.isFinite(time)) return at("timestamp", "must be a valid time");
    if (time > now + MAX_FUTURE_MS) return at("timestamp", "is in the future");
    if (time < OLDEST_TIMESTAMP) return at("timestamp", "is before 2000");
    for (const [field, value] of [
      ["reach", m.reach],
      ["engagement", m.engagement],
    ] as const) {
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return at(field, "must be a number of at least 0");
      if (value > Number.MAX_SAFE_INTEGER) return at(field, "is too large");
    }
    const given = m.sentiment;
    if (given !== undefined && given !== null && (typeof given !== "number" || !Number.isFinite(given) || given < -1 || given > 1)) {
      return at("sentiment", "must be between -1 and 1");
    }
    const source = given === undefined || given === null ? null : roundSentiment(given);
    const declared = clean(m.language, 10);
    const key = `${platform}\u0000${sourceId}`;
    if (seen.has(key)) {
      repeated++;
      continue;
    }
    seen.add(key);
    const location = clean(m.location, 255);
    // Our reading where it is used (always under "combine"); the language always (the source's
    // tag reduced to its language, else detected), for the mentions filter.
    let sentiment: number;
    let sentimentScored: boolean;
    let language: string | null;
    if (source !== null && policy === "source") {
      sentiment = source;
      sentimentScored = false;
      language = mentionLanguage(text, declared);
    } else {
      ({ sentiment, scored: sentimentScored, language } = mentionSentiment(text, source, declared));
    }
    mentions.push({
      sourceId,
      text,
      author: clean(m.author, 255),
      platform,
      url,
      sentiment,
      sentimentScored,
      reach: Math.round(m.reach),
      engagement: Math.round(m.engagement),
      timestamp: new Date(time),
      location: location === "" ? null : location,
      language,
    });
  }
  mentions.sort((a, b) => (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
  return { ok: true, mentions, repeated };
}
