// analytics' SQL: the only file that talks to analytics' database. Rows come back as the domain's
// types (camelCase); BIGINT sums are cast to float8 (exact below 2^53) so they arrive as numbers.
//
// Every writer of a campaign's day (a live batch, a crisis, the nightly finalisation) first upserts
// that day's daily_analytics row: its row lock serialises them, and days are always taken in
// ascending order, so writers never deadlock.
import { deletionQueue, moveBatch, type DeletionQueue } from "../shared/objects";
import type { Transaction } from "encore.dev/storage/sqldb";
import { inTransaction } from "../shared/sql";
import { isUuid } from "../shared/ids";
import { db } from "./db";
import type { AuthorCell, DayRollup, HourCell, TermCell, TopMentionCell } from "./domain/rollup";
import { TOP_PER_DAY } from "./domain/rollup";
import type { AuthorRow, HourRow, TermRow } from "./domain/report";

/** The database's name (namespaces the shared cache). */
export async function databaseName(): Promise<string> {
  const row = await db.queryRow<{ name: string }>`SELECT current_database() AS name`;
  return row!.name;
}

const dayStart = (date: string) => `${date}T00:00:00Z`;

/** Takes the day's lock (creating its row); returns its live version before this writer. */
async function lockDay(tx: Transaction, campaignId: string, date: string, bump: boolean): Promise<number> {
  const row = await tx.queryRow<{ version: number }>`
    INSERT INTO daily_analytics (campaign_id, date) VALUES (${campaignId}::uuid, ${date}::date)
    ON CONFLICT (campaign_id, date) DO UPDATE SET live_version = daily_analytics.live_version + ${bump ? 1 : 0}::int
    RETURNING (live_version - ${bump ? 1 : 0}::int)::float8 AS version`;
  return row!.version;
}

async function upsertHours(tx: Transaction, campaignId: string, cells: readonly HourCell[]): Promise<void> {
  if (cells.length === 0) return;
  await tx.exec`
    INSERT INTO hourly_rollups (campaign_id, hour, platform, mentions, sentiment_milli, positive, negative, reach, engagement)
    SELECT ${campaignId}::uuid, c.hour, c.platform, c.mentions, c.s, c.pos, c.neg, c.reach, c.eng
    FROM unnest(${cells.map((c) => c.hour)}::timestamptz[], ${cells.map((c) => c.platform)}::text[], ${cells.map((c) => c.mentions)}::int[],
                ${cells.map((c) => c.sentimentMilli)}::int8[], ${cells.map((c) => c.positive)}::int[], ${cells.map((c) => c.negative)}::int[],
                ${cells.map((c) => c.reach)}::int8[], ${cells.map((c) => c.engagement)}::int8[])
      AS c(hour, platform, mentions, s, pos, neg, reach, eng)
    ON CONFLICT (campaign_id, hour, platform) DO UPDATE SET
      mentions = hourly_rollups.mentions + EXCLUDED.mentions, sentiment_milli = hourly_rollups.sentiment_milli + EXCLUDED.sentiment_milli,
      positive = hourly_rollups.positive + EXCLUDED.positive, negative = hourly_rollups.negative + EXCLUDED.negative,
      reach = hourly_rollups.reach + EXCLUDED.reach, engagement = hourly_rollups.engagement + EXCLUDED.engagement`;
}

async function upsertTerms(tx: Transaction, campaignId: string, date: string, cells: readonly TermCell[]): Promise<void> {
  if (cells.length === 0) return;
  await tx.exec`
    INSERT INTO term_rollups (campaign_id, date, kind, term, mentions, sentiment_milli, positive, negative, reach, engagement)
    SELECT ${campaignId}::uuid, ${date}::date, c.kind, c.term, c.mentions, c.s, c.pos, c.neg, c.reach, c.eng
    FROM unnest(${cells.map((c) => c.kind)}::text[], ${cells.map((c) => c.term)}::text[], ${cells.map((c) => c.mentions)}::int[],
                ${cells.map((c) => c.sentimentMilli)}::int8[], ${cells.map((c) => c.positive)}::int[], ${cells.map((c) => c.negative)}::int[],
                ${cells.map((c) => c.reach)}::int8[], ${cells.map((c) => c.engagement)}::int8[])
      AS c(kind, term, mentions, s, pos, neg, reach, eng)
    ON CONFLICT (campaign_id, date, kind, term) DO UPDATE SET
      mentions = term_rollups.mentions + EXCLUDED.mentions, sentiment_milli = term_rollups.sentiment_milli + EXCLUDED.sentiment_milli,
      positive = term_rollups.positive + EXCLUDED.positive, negative = term_rollups.negative + EXCLUDED.negative,
      reach = term_rollups.reach + EXCLUDED.reach, engagement = term_rollups.engagement + EXCLUDED.engagement`;
}

async function upsertAuthors(tx: Transaction, campaignId: string, date: string, cells: readonly AuthorCell[]): Promise<void> {
  if (cells.length === 0) return;
  await tx.exec`
    INSERT INTO author_rollups (campaign_id, date, author, platform, mentions, sentiment_milli, reach, engagement)
    SELECT ${campaignId}::uuid, ${date}::date, c.author, c.platform, c.mentions, c.s, c.reach, c.eng
    FROM unnest(${cells.map((c) => c.author)}::text[], ${cells.map((c) => c.platform)}::text[], ${cells.map((c) => c.mentions)}::int[],
                ${cells.map((c) => c.sentimentMilli)}::int8[], ${cells.map((c) => c.reach)}::int8[], ${cells.map((c) => c.engagement)}::int8[])
      AS c(author, platform, mentions, s, reach, eng)
    ON CONFLICT (campaign_id, date, author, platform) DO UPDATE SET
      mentions = author_rollups.mentions + EXCLUDED.mentions, sentiment_milli = author_rollups.sentiment_milli + EXCLUDED.sentiment_milli,
      reach = author_rollups.reach + EXCLUDED.reach, engagement = author_rollups.engagement + EXCLUDED.engagement`;
}

/** Adds candidates to the day's top mentions and keeps the best TOP_PER_DAY (reach, then id). */
async function mergeTop(tx: Transaction, campaignId: string, date: string, cells: readonly TopMentionCell[]): Promise<void> {
  if (cells.length === 0) return;
  await tx.exec`
    INSERT INTO top_mentions (campaign_id, date, mention_id, platform, author, text, url, sentiment_milli, reach, engagement, at)
    SELECT ${campaignId}::uuid, ${date}::date, c.id, c.platform, c.author, c.text, c.url, c.s, c.reach, c.eng, c.at
    FROM unnest(${cells.map((c) => c.mentionId)}::uuid[], ${cells.map((c) => c.platform)}::text[], ${cells.map((c) => c.author)}::text[],
                ${cells.map((c) => c.text)}::text[], ${cells.map((c) => c.url)}::text[], ${cells.map((c) => c.sentimentMilli)}::int[],
                ${cells.map((c) => c.reach)}::int8[], ${cells.map((c) => c.engagement)}::int8[], ${cells.map((c) => c.at)}::timestamptz[])
      AS c(id, platform, author, text, url, s, reach, eng, at)
    ON CONFLICT (campaign_id, date, mention_id) DO NOTHING`;
  await tx.exec`
    DELETE FROM top_mentions
    WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date AND mention_id NOT IN (
      SELECT mention_id FROM top_mentions WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date
      ORDER BY reach DESC, mention_id LIMIT ${TOP_PER_DAY}::int)`;
}

/** Re-derives the day's daily_analytics figures from its finer rollups and crises. */
async function deriveDaily(tx: Transaction, campaignId: string, date: string, finalised: boolean): Promise<void> {
  await tx.exec`
    WITH h AS (
      SELECT coalesce(sum(mentions), 0)::int AS m, coalesce(sum(sentiment_milli), 0)::int8 AS s, coalesce(sum(positive), 0)::int AS pos,
             coalesce(sum(negative), 0)::int AS neg, coalesce(sum(reach), 0)::int8 AS reach, coalesce(sum(engagement), 0)::int8 AS eng
      FROM hourly_rollups
      WHERE campaign_id = ${campaignId}::uuid AND hour >= ${dayStart(date)}::timestamptz AND hour < ${dayStart(date)}::timestamptz + interval '1 day'
    ), p AS (
      SELECT coalesce(jsonb_object_agg(platform, n), '{}'::jsonb) AS breakdown FROM (
        SELECT platform, sum(mentions)::int AS n FROM hourly_rollups
        WHERE campaign_id = ${campaignId}::uuid AND hour >= ${dayStart(date)}::timestamptz AND hour < ${dayStart(date)}::timestamptz + interval '1 day'
        GROUP BY platform) x
    ), k AS (
      SELECT coalesce(jsonb_agg(term ORDER BY mentions DESC, term), '[]'::jsonb) AS top FROM (
        SELECT term, mentions FROM term_rollups WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date AND kind = 'keyword'
        ORDER BY mentions DESC, term LIMIT 5) x
    ), c AS (
      SELECT count(*)::int AS n FROM crises WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date
    )
    UPDATE daily_analytics d SET
      total_mentions = h.m, sentiment_milli = h.s, positive = h.pos, negative = h.neg, total_reach = h.reach, total_engagement = h.eng,
      average_sentiment = CASE WHEN h.m > 0 THEN round(h.s::numeric / h.m / 1000, 3) ELSE 0 END,
      engagement_rate = CASE WHEN h.reach > 0 THEN round(h.eng::numeric / h.reach, 4) ELSE 0 END,
      platform_breakdown = p.breakdown, top_keywords = k.top, crisis_events = c.n, updated_at = now(),
      finalized_at = CASE WHEN ${finalised}::bool THEN now() ELSE d.finalized_at END
    FROM h, p, k, c
    WHERE d.campaign_id = ${campaignId}::uuid AND d.date = ${date}::date`;
}

/**
 * Adds one batch's cells for one day, unless that (batch, day) was already counted (a redelivered
 * message, or a batch the nightly finalisation already took from monitoring). True when counted now.
 */
export async function applyLive(campaignId: string, batchId: string, day: DayRollup): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    await lockDay(tx, campaignId, day.date, true);
    const fresh = await tx.queryRow<{ ok: boolean }>`
      INSERT INTO counted_batches (batch_id, date, campaign_id) VALUES (${batchId}::uuid, ${day.date}::date, ${campaignId}::uuid)
      ON CONFLICT (batch_id, date) DO NOTHING RETURNING true AS ok`;
    if (!fresh) {
      await tx.rollback();
      throw new AlreadyCounted();
    }
    await upsertHours(tx, campaignId, day.hours);
    await upsertTerms(tx, campaignId, day.date, day.terms);
    await upsertAuthors(tx, campaignId, day.date, day.authors);
    await mergeTop(tx, campaignId, day.date, day.top);
    await deriveDaily(tx, campaignId, day.date, false);
    return true;
  }).catch((err: unknown) => {
    if (err instanceof AlreadyCounted) return false;
    throw err;
  });
}

class AlreadyCounted extends Error {}

/** A crisis as analytics counts it. */
export interface CrisisRow {
  crisisId: string;
  type: string;
  severity: string;
  openedAt: Date;
}

/** Records a crisis on the day it opened (once: a redelivered event changes nothing). True when new. */
export async function recordCrisis(campaignId: string, crisis: CrisisRow): Promise<boolean> {
  const date = crisis.openedAt.toISOString().slice(0, 10);
  return inTransaction(db, async (tx) => {
    await lockDay(tx, campaignId, date, true);
    const inserted = await tx.queryRow<{ ok: boolean }>`
      INSERT INTO crises (crisis_id, campaign_id, date, type, severity, opened_at)
      VALUES (${crisis.crisisId}, ${campaignId}::uuid, ${date}::date, ${crisis.type}, ${crisis.severity}, ${crisis.openedAt.toISOString()}::timestamptz)
      ON CONFLICT (crisis_id) DO NOTHING RETURNING true AS ok`;
    if (inserted) await deriveDaily(tx, campaignId, date, false);
    return inserted !== null;
  });
}

/** The day's live version (0 when it has no row): the finalisation retries if it moves meanwhile. */
export async function liveVersion(campaignId: string, date: string): Promise<number> {
  const row = await db.queryRow<{ v: number }>`
    SELECT live_version::float8 AS v FROM daily_analytics WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date`;
  return row?.v ?? 0;
}

/** A digest of everything stored for the campaign's day (to tell whether a finalisation changed it). */
async function dayDigest(tx: Transaction, campaignId: string, date: string): Promise<string> {
  const row = await tx.queryRow<{ digest: string }>`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(concat_ws(',', hour, platform, mentions, sentiment_milli, positive, negative, reach, engagement), ';' ORDER BY hour, platform)
         FROM hourly_rollups WHERE campaign_id = ${campaignId}::uuid AND hour >= ${dayStart(date)}::timestamptz AND hour < ${dayStart(date)}::timestamptz + interval '1 day'),
      (SELECT string_agg(concat_ws(',', kind, term, mentions, sentiment_milli, positive, negative, reach, engagement), ';' ORDER BY kind, term)
         FROM term_rollups WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date),
      (SELECT string_agg(concat_ws(',', author, platform, mentions, sentiment_milli, reach, engagement), ';' ORDER BY author, platform)
         FROM author_rollups WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date),
      (SELECT string_agg(concat_ws(',', mention_id, reach, sentiment_milli, engagement, md5(text)), ';' ORDER BY mention_id)
         FROM top_mentions WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date),
      (SELECT string_agg(crisis_id, ';' ORDER BY crisis_id) FROM crises WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date)
    )) AS digest`;
  return row!.digest;
}

export type ReplaceOutcome = "replaced" | "unchanged" | "moved";

/**
 * Replaces the campaign's day with figures recomputed from monitoring, and marks the batches they
 * include as counted (a late live delivery of one of them is then skipped). "moved" (nothing
 * written) when a live change landed since `expectedVersion` was read: the caller fetches again.
 */
export async function replaceDay(
  campaignId: string,
  day: DayRollup,
  crises: readonly CrisisRow[],
  batchIds: readonly string[],
  expectedVersion: number,
): Promise<ReplaceOutcome> {
  const { date } = day;
  return inTransaction(db, async (tx) => {
    const version = await lockDay(tx, campaignId, date, false);
    if (version !== expectedVersion) return "moved";
    const before = await dayDigest(tx, campaignId, date);
    await tx.exec`DELETE FROM hourly_rollups WHERE campaign_id = ${campaignId}::uuid AND hour >= ${dayStart(date)}::timestamptz AND hour < ${dayStart(date)}::timestamptz + interval '1 day'`;
    await tx.exec`DELETE FROM term_rollups WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date`;
    await tx.exec`DELETE FROM author_rollups WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date`;
    await tx.exec`DELETE FROM top_mentions WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date`;
    await tx.exec`DELETE FROM crises WHERE campaign_id = ${campaignId}::uuid AND date = ${date}::date`;
    await upsertHours(tx, campaignId, day.hours);
    await upsertTerms(tx, campaignId, date, day.terms);
    await upsertAuthors(tx, campaignId, date, day.authors);
    await mergeTop(tx, campaignId, date, day.top);
    if (crises.length > 0) {
      await tx.exec`
        INSERT INTO crises (crisis_id, campaign_id, date, type, severity, opened_at)
        SELECT c.id, ${campaignId}::uuid, ${date}::date, c.type, c.severity, c.at
        FROM unnest(${crises.map((c) => c.crisisId)}::text[], ${crises.map((c) => c.type)}::text[], ${crises.map((c) => c.severity)}::text[],
                    ${crises.map((c) => c.openedAt.toISOString())}::timestamptz[]) AS c(id, type, severity, at)
        ON CONFLICT (crisis_id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id, date = EXCLUDED.date, type = EXCLUDED.type,
          severity = EXCLUDED.severity, opened_at = EXCLUDED.opened_at`;
    }
    if (batchIds.length > 0) {
      await tx.exec`
        INSERT INTO counted_batches (batch_id, date, campaign_id)
        SELECT b, ${date}::date, ${campaignId}::uuid FROM unnest(${batchIds}::uuid[]) AS b
        ON CONFLICT (batch_id, date) DO NOTHING`;
    }
    await deriveDaily(tx, campaignId, date, true);
    const after = await dayDigest(tx, campaignId, date);
    return before === after ? "unchanged" : "replaced";
  });
}

// --- reads for reports ---

/** Platform cells of [from, to), per hour or summed per UTC day (`hour` is then the day's start). */
export async function hourRows(campaignId: string, from: Date, to: Date, per: "hour" | "day"): Promise<HourRow[]> {
  if (per === "hour") {
    return db.queryAll<HourRow>`
      SELECT hour, platform, mentions, sentiment_milli::float8 AS "sentimentMilli", positive, negative, reach::float8 AS reach, engagement::float8 AS engagement
      FROM hourly_rollups
      WHERE campaign_id = ${campaignId}::uuid AND hour >= ${from.toISOString()}::timestamptz AND hour < ${to.toISOString()}::timestamptz
      ORDER BY hour, platform`;
  }
  return db.queryAll<HourRow>`
    SELECT date_bin('1 day', hour, '2000-01-01T00:00:00Z') AS hour, platform, sum(mentions)::float8 AS mentions, sum(sentiment_milli)::float8 AS "sentimentMilli",
           sum(positive)::float8 AS positive, sum(negative)::float8 AS negative, sum(reach)::float8 AS reach, sum(engagement)::float8 AS engagement
    FROM hourly_rollups
    WHERE campaign_id = ${campaignId}::uuid AND hour >= ${from.toISOString()}::timestamptz AND hour < ${to.toISOString()}::timestamptz
    GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** Mentions in [from, to). */
export async function mentionCount(campaignId: string, from: Date, to: Date): Promise<number> {
  const row = await db.queryRow<{ n: number }>`
    SELECT coalesce(sum(mentions), 0)::float8 AS n FROM hourly_rollups
    WHERE campaign_id = ${campaignId}::uuid AND hour >= ${from.toISOString()}::timestamptz AND hour < ${to.toISOString()}::timestamptz`;
  return row!.n;
}

/** Tracked terms summed over the days first..last. */
export async function termRows(campaignId: string, first: string, last: string): Promise<TermRow[]> {
  return db.queryAll<TermRow>`
    SELECT kind, term, sum(mentions)::float8 AS mentions, sum(sentiment_milli)::float8 AS "sentimentMilli", sum(positive)::float8 AS positive,
           sum(negative)::float8 AS negative, sum(reach)::float8 AS reach, sum(engagement)::float8 AS engagement
    FROM term_rollups
    WHERE campaign_id = ${campaignId}::uuid AND date BETWEEN ${first}::date AND ${last}::date
    GROUP BY kind, term ORDER BY kind, term`;
}

/** The loudest authors summed over the days first..last. */
export async function authorRows(campaignId: string, first: string, last: string, limit: number): Promise<AuthorRow[]> {
  return db.queryAll<AuthorRow>`
    SELECT author, platform, sum(mentions)::float8 AS mentions, sum(sentiment_milli)::float8 AS "sentimentMilli",
           sum(reach)::float8 AS reach, sum(engagement)::float8 AS engagement
    FROM author_rollups
    WHERE campaign_id = ${campaignId}::uuid AND date BETWEEN ${first}::date AND ${last}::date
    GROUP BY author, platform ORDER BY sum(reach) DESC, sum(mentions) DESC, author, platform LIMIT ${limit}::int`;
}

/** A stored top mention. */
export interface TopMentionRow {
  mentionId: string;
  platform: string;
  author: string;
  text: string;
  url: string;
  sentimentMilli: number;
  reach: number;
  engagement: number;
  at: Date;
}

/** The loudest mentions in [from, to). */
export async function topMentions(campaignId: string, from: Date, to: Date, limit: number): Promise<TopMentionRow[]> {
  return db.queryAll<TopMentionRow>`
    SELECT mention_id::text AS "mentionId", platform, author, text, url, sentiment_milli AS "sentimentMilli", reach::float8 AS reach,
           engagement::float8 AS engagement, at
    FROM top_mentions
    WHERE campaign_id = ${campaignId}::uuid AND date BETWEEN ${from.toISOString().slice(0, 10)}::date AND ${new Date(to.getTime() - 1).toISOString().slice(0, 10)}::date
      AND at >= ${from.toISOString()}::timestamptz AND at < ${to.toISOString()}::timestamptz
    ORDER BY reach DESC, mention_id LIMIT ${limit}::int`;
}

/** Crises opened in [from, to). */
export async function crisisCount(campaignId: string, from: Date, to: Date): Promise<number> {
  const row = await db.queryRow<{ n: number }>`
    SELECT count(*)::int AS n FROM crises
    WHERE campaign_id = ${campaignId}::uuid AND opened_at >= ${from.toISOString()}::timestamptz AND opened_at < ${to.toISOString()}::timestamptz`;
  return row!.n;
}

// --- reads for the summary and sentiment windows ---

/** One campaign's day as daily_analytics has it. */
export interface DailyRow {
  campaignId: string;
  date: string;
  mentions: number;
  sentimentMilli: number;
  positive: number;
  negative: number;
  reach: number;
  engagement: number;
  crisisEvents: number;
}

export async function dailyRows(campaignIds: readonly string[], first: string, last: string): Promise<DailyRow[]> {
  if (campaignIds.length === 0) return [];
  return db.queryAll<DailyRow>`
    SELECT campaign_id::text AS "campaignId", date::text AS date, total_mentions AS mentions, sentiment_milli::float8 AS "sentimentMilli",
           positive, negative, total_reach::float8 AS reach, total_engagement::float8 AS engagement, crisis_events AS "crisisEvents"
    FROM daily_analytics
    WHERE campaign_id = ANY(${campaignIds}::uuid[]) AND date BETWEEN ${first}::date AND ${last}::date
    ORDER BY campaign_id, date`;
}

/** Each campaign's keywords summed over the days, busiest first. */
export async function keywordTotals(
  campaignIds: readonly string[],
  first: string,
  last: string,
): Promise<{ campaignId: string; term: string; mentions: number }[]> {
  if (campaignIds.length === 0) return [];
  return db.queryAll<{ campaignId: string; term: string; mentions: number }>`
    SELECT campaign_id::text AS "campaignId", term, sum(mentions)::float8 AS mentions
    FROM term_rollups
    WHERE campaign_id = ANY(${campaignIds}::uuid[]) AND kind = 'keyword' AND date BETWEEN ${first}::date AND ${last}::date
    GROUP BY campaign_id, term ORDER BY campaign_id, sum(mentions) DESC, term`;
}

/** Each campaign's platforms over [from, to). */
export async function platformSentiment(
  campaignIds: readonly string[],
  from: Date,
  to: Date,
): Promise<{ campaignId: string; platform: string; mentions: number; sentimentMilli: number }[]> {
  if (campaignIds.length === 0) return [];
  return db.queryAll<{ campaignId: string; platform: string; mentions: number; sentimentMilli: number }>`
    SELECT campaign_id::text AS "campaignId", platform, sum(mentions)::float8 AS mentions, sum(sentiment_milli)::float8 AS "sentimentMilli"
    FROM hourly_rollups
    WHERE campaign_id = ANY(${campaignIds}::uuid[]) AND hour >= ${from.toISOString()}::timestamptz AND hour < ${to.toISOString()}::timestamptz
    GROUP BY campaign_id, platform ORDER BY campaign_id, sum(mentions) DESC, platform`;
}

/** Campaigns with figures on the days first..last (what an admin's summary covers). */
export async function campaignsWithData(first: string, last: string, limit: number): Promise<string[]> {
  const rows = await db.queryAll<{ id: string }>`
    SELECT DISTINCT campaign_id::text AS id FROM daily_analytics WHERE date BETWEEN ${first}::date AND ${last}::date ORDER BY 1 LIMIT ${limit}::int`;
  return rows.map((r) => r.id);
}

// --- PDF reports ---

export interface StoredReport {
  id: string;
  campaignId: string;
  fileName: string;
  /** The PDF's key in the `analytics-reports` bucket (files.ts); null until the move job has moved it. */
  objectKey: string | null;
  /** The PDF itself, only in rows written before the bucket that the move job has not reached yet. */
  pdf: Buffer | null;
  pages: number;
}

export async function insertReport(r: {
  id: string;
  campaignId: string;
  start: Date;
  end: Date;
  fileName: string;
  objectKey: string;
  sizeBytes: number;
  pages: number;
  createdBy: string;
}): Promise<string> {
  const row = await db.queryRow<{ id: string }>`
    INSERT INTO reports (id, campaign_id, start_at, end_at, file_name, object_key, size_bytes, pages, created_by)
    VALUES (${r.id}::uuid, ${r.campaignId}::uuid, ${r.start.toISOString()}::timestamptz, ${r.end.toISOString()}::timestamptz, ${r.fileName}, ${r.objectKey}, ${r.sizeBytes}, ${r.pages}, ${r.createdBy})
    RETURNING id::text AS id`;
  return row!.id;
}

export async function getReport(id: string): Promise<StoredReport | null> {
  if (!isUuid(id)) return null;
  const row = await db.queryRow<{ id: string; campaign_id: string; file_name: string; object_key: string | null; pdf: Buffer | null; pages: number }>`
    SELECT id::text, campaign_id::text, file_name, object_key, pdf, pages FROM reports WHERE id = ${id}::uuid`;
  return row
    ? { id: row.id, campaignId: row.campaign_id, fileName: row.file_name, objectKey: row.object_key, pdf: row.pdf && Buffer.from(row.pdf), pages: row.pages }
    : null;
}

/**
 * Moves up to `limit` reports whose PDF is still in the row into the bucket: their rows are locked
 * (SKIP LOCKED: another process moving at the same time takes other rows), each PDF is handed to
 * `upload` (which returns its object key) and the row then records the key and size and drops the
 * bytes. PDFs are read one at a time. When an upload fails, the rows already moved are committed
 * and the error is rethrown. Returns how many rows were moved.
 */
export function moveReportBatch(limit: number, upload: (report: { id: string; pdf: Buffer }) => Promise<string>): Promise<number> {
  return moveBatch(
    db,
    (tx) =>
      tx.queryAll<{ id: string }>`SELECT id::text AS id FROM reports WHERE pdf IS NOT NULL ORDER BY created_at, id LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`,
    async (tx, { id }) => {
      const row = await tx.queryRow<{ pdf: Buffer }>`SELECT pdf FROM reports WHERE id = ${id}::uuid`;
      const pdf = Buffer.from(row!.pdf);
      const key = await upload({ id, pdf });
      await tx.exec`UPDATE reports SET object_key = ${key}, size_bytes = ${pdf.length}, pdf = NULL WHERE id = ${id}::uuid`;
    },
  );
}

/** Object keys of deleted rows, queued for removal from the bucket (the `object_deletions` table). */
export const objectDeletions: DeletionQueue = deletionQueue(db);

// --- compliance ---

/** Deletes rollups, counted batches, crises and reports older than `before` (by their day or time); the reports' PDFs are queued for removal. */
export async function purgeBefore(before: Date): Promise<number> {
  const at = before.toISOString();
  const day = at.slice(0, 10);
  return inTransaction(db, async (tx) => {
    let deleted = 0;
    const count = async (p: Promise<{ n: number } | null>) => {
      deleted += (await p)?.n ?? 0;
    };
    await count(
      tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM hourly_rollups WHERE hour < ${at}::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM d`,
    );
    await count(tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM daily_analytics WHERE date < ${day}::date RETURNING 1) SELECT count(*)::int AS n FROM d`);
    await count(tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM term_rollups WHERE date < ${day}::date RETURNING 1) SELECT count(*)::int AS n FROM d`);
    await count(tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM author_rollups WHERE date < ${day}::date RETURNING 1) SELECT count(*)::int AS n FROM d`);
    await count(tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM top_mentions WHERE date < ${day}::date RETURNING 1) SELECT count(*)::int AS n FROM d`);
    await count(tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM crises WHERE opened_at < ${at}::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM d`);
    await count(tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM counted_batches WHERE date < ${day}::date RETURNING 1) SELECT count(*)::int AS n FROM d`);
    // The deleted reports' PDFs are queued in the same statement: flows/report-files.ts removes them after it.
    await count(tx.queryRow<{ n: number }>`
      WITH d AS (DELETE FROM reports WHERE created_at < ${at}::timestamptz RETURNING object_key),
      q AS (INSERT INTO object_deletions (object_key) SELECT object_key FROM d WHERE object_key IS NOT NULL ON CONFLICT DO NOTHING)
      SELECT count(*)::int AS n FROM d`);
    return deleted;
  });
}

/** Removes a user's name from the reports they generated; returns how many. */
export async function forgetReportAuthor(userId: string): Promise<number> {
  const row = await db.queryRow<{ n: number }>`
    WITH u AS (UPDATE reports SET created_by = NULL WHERE created_by = ${userId} RETURNING 1) SELECT count(*)::int AS n FROM u`;
  return row!.n;
}
