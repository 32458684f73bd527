// Time windows of the reads: default and checked ranges, bucket sizes for timelines, and the
// opaque cursor of the mentions list (keyset pagination: stable while new mentions arrive). Pure.
import { isUuid } from "../../shared/ids";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The longest range a sentiment report covers. */
export const MAX_RANGE_DAYS = 31;
/** Sentiment above this is positive, below its opposite negative, neutral between. */
export const NEUTRAL_BAND = 0.05;

export type RangeCheck = { ok: true; start: Date; end: Date } | { ok: false; message: string };

/** [start, end) from optional bounds: end defaults to now, start to 24 h before end. */
export function resolveRange(start: Date | undefined, end: Date | undefined, now: number): RangeCheck {
  const endMs = end ? end.getTime() : now;
  const startMs = start ? start.getTime() : endMs - DAY;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) return { ok: false, message: "start and end must be valid times" };
  if (startMs >= endMs) return { ok: false, message: "start must be before end" };
  if (endMs - startMs > MAX_RANGE_DAYS * DAY) return { ok: false, message: `the range may span at most ${MAX_RANGE_DAYS} days` };
  return { ok: true, start: new Date(startMs), end: new Date(endMs) };
}

const BUCKETS = [1, 5, 15, 30, 60, 180, 360, 720, 1440];

/** The smallest usual bucket (in minutes) that cuts a span into at most `maxBuckets`. */
export function bucketMinutes(spanMs: number, maxBuckets = 96): number {
  for (const minutes of BUCKETS) if (spanMs / (minutes * 60_000) <= maxBuckets) return minutes;
  return BUCKETS[BUCKETS.length - 1];
}

/** Where a page of mentions ends: the last mention's time and id (the list's sort key). */
export interface MentionCursor {
  timestamp: Date;
  mentionId: string;
}

export function encodeCursor(c: MentionCursor): string {
  return Buffer.from(`${c.timestamp.toISOString()}|${c.mentionId}`, "utf8").toString("base64url");
}

/** The cursor, or null when it is not one this service wrote. */
export function decodeCursor(text: string): MentionCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const decoded = Buffer.from(text, "base64url").toString("utf8");
  const bar = decoded.indexOf("|");
  if (bar < 0) return null;
  const timestamp = new Date(decoded.slice(0, bar));
  const mentionId = decoded.slice(bar + 1);
  if (!Number.isFinite(timestamp.getTime()) || !isUuid(mentionId)) return null;
  return { timestamp, mentionId };
}

/** A LIKE pattern matching `keyword` anywhere, its wildcards escaped (the query uses ESCAPE '\'). */
export function containsPattern(keyword: string): string {
  return `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Relative change from `before` to `after`; null when there was nothing before. */
export function relativeChange(after: number, before: number): number | null {
  if (before === 0) return null;
  return Math.round(((after - before) / before) * 1000) / 1000;
}
