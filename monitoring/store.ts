// monitoring's SQL: the only file that talks to monitoring's database. Rows come back as the API's
// types (camelCase); numbers that Postgres computes as NUMERIC are cast to float8 in the query.
import type { Primitive, Transaction } from "encore.dev/storage/sqldb";
import { inTransaction } from "../shared/sql";
import type { MentionFilter } from "./domain/filters";
import type { CleanMention } from "./domain/mentions";
import { NEUTRAL_BAND } from "./domain/windows";
import type { TermDoc } from "./domain/trending";
import { db } from "./db";
import type {
  AlertThresholds,
  CrisisExplanation,
  CrisisRecord,
  CrisisSeverity,
  CrisisStatus,
  CrisisType,
  DayAggregates,
  DayAggregatesRequest,
  DayAuthorAggregate,
  DayCrisis,
  DayHourAggregate,
  DayTermAggregate,
  DayTopMention,
  MonitoringConfig,
  PlatformTotals,
  StoredMention,
  StoredMonitoringConfig,
} from "./model";

/** The database's name (namespaces the live bus's Redis channels: deployments and test runs never mix). */
export async function databaseName(): Promise<string> {
  const row = await db.queryRow<{ name: string }>`SELECT current_database() AS name`;
  return row!.name;
}

// --- monitoring configs ---

interface ConfigRow {
  id: string;
  campaign_id: string;
  keywords: string[];
  competitors: string[];
  influencers: string[];
  platforms: string[];
  alert_thresholds: AlertThresholds;
  refresh_interval: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

function toConfig(r: ConfigRow): StoredMonitoringConfig {
  return {
    configId: r.id,
    campaignId: r.campaign_id,
    keywords: r.keywords,
    competitors: r.competitors,
    influencers: r.influencers,
    platforms: r.platforms,
    alertThresholds: r.alert_thresholds,
    refreshInterval: r.refresh_interval,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Creates or replaces a campaign's config (its id stays); returns it and what it replaced. */
export async function upsertConfig(
  config: MonitoringConfig,
  actorId: string,
): Promise<{ config: StoredMonitoringConfig; before: StoredMonitoringConfig | null }> {
  return inTransaction(db, async (tx) => {
    const previous = await tx.queryRow<ConfigRow>`SELECT * FROM monitoring_configs WHERE campaign_id = ${config.campaignId}::uuid FOR UPDATE`;
    const row = await tx.queryRow<ConfigRow>`
      INSERT INTO monitoring_configs (campaign_id, keywords, competitors, influencers, platforms, alert_thresholds, refresh_interval, created_by)
      VALUES (${config.campaignId}::uuid, ${config.keywords}::text[], ${config.competitors}::text[], ${config.influencers}::text[],
              ${config.platforms}::text[], ${config.alertThresholds}::jsonb, ${config.refreshInterval}, ${actorId})
      ON CONFLICT (campaign_id) DO UPDATE SET
        keywords = EXCLUDED.keywords, competitors = EXCLUDED.competitors, influencers = EXCLUDED.influencers,
        platforms = EXCLUDED.platforms, alert_thresholds = EXCLUDED.alert_thresholds,
        refresh_interval = EXCLUDED.refresh_interval, updated_at = now()
      RETURNING *`;
    return { config: toConfig(row!), before: previous ? toConfig(previous) : null };
  });
}

export async function getConfig(campaignId: string): Promise<StoredMonitoringConfig | null> {
  const row = await db.queryRow<ConfigRow>`SELECT * FROM monitoring_configs WHERE campaign_id = ${campaignId}::uuid`;
  return row ? toConfig(row) : null;
}

export async function listConfigs(): Promise<StoredMonitoringConfig[]> {
  const rows = await db.queryAll<ConfigRow>`SELECT * FROM monitoring_configs ORDER BY created_at, id`;
  return rows.map(toConfig);
}

// --- mentions ---

/** A mention to insert: cleaned, with the id chosen for it. */
export interface NewMention extends CleanMention {
  mentionId: string;
}

/** What an insert stored: when, and (only when some were already there) which mentions were new. */
export interface InsertResult {
  accepted: number;
  ingestedAt: Date;
  /** The new mentions' ids when fewer than all were new; null when all were. */
  acceptedIds: string[] | null;
}

/**
 * Stores a batch in one statement (one round trip): rows that a campaign already has (same platform
 * and source id) are skipped by ON CONFLICT DO NOTHING. The answer is one row (a count, the
 * statement's time, and the new ids only when some were skipped), not a row per mention.
 */
export async function insertMentions(campaignId: string, batchId: string, mentions: NewMention[]): Promise<InsertResult> {
  const n = mentions.length;
  const ids = new Array<string>(n);
  const sourceIds = new Array<string>(n);
  const texts = new Array<string>(n);
  const authors = new Array<string>(n);
  const platforms = new Array<string>(n);
  const urls = new Array<string>(n);
  const sentiments = new Array<number>(n);
  const scored = new Array<boolean>(n);
  const reaches = new Array<number>(n);
  const engagements = new Array<number>(n);
  const timestamps = new Array<string>(n);
  const locations = new Array<string | null>(n);
  const languages = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const m = mentions[i];
    ids[i] = m.mentionId;
    sourceIds[i] = m.sourceId;
    texts[i] = m.text;
    authors[i] = m.author;
    platforms[i] = m.platform;
    urls[i] = m.url;
    sentiments[i] = m.sentiment;
    scored[i] = m.sentimentScored;
    reaches[i] = m.reach;
    engagements[i] = m.engagement;
    timestamps[i] = m.timestamp.toISOString();
    locations[i] = m.location;
    languages[i] = m.language;
  }
  const row = await db.queryRow<{ accepted: number; ingested_at: Date; ids: string[] | null }>`
    WITH inserted AS (
      INSERT INTO mentions (id, campaign_id, source_id, text, author, platform, url, sentiment, sentiment_scored, reach, engagement, timestamp, location, language, batch_id)
      SELECT m.id, ${campaignId}::uuid, m.source_id, m.text, m.author, m.platform, m.url, m.sentiment, m.scored, m.reach, m.engagement, m.ts, m.location, m.language, ${batchId}::uuid
      FROM unnest(${ids}::uuid[], ${sourceIds}::text[], ${texts}::text[], ${authors}::text[], ${platforms}::text[], ${urls}::text[],
                  ${sentiments}::numeric[], ${scored}::bool[], ${reaches}::int8[], ${engagements}::int8[], ${timestamps}::timestamptz[],
                  ${locations}::text[], ${languages}::text[])
        AS m(id, source_id, text, author, platform, url, sentiment, scored, reach, engagement, ts, location, language)
      ON CONFLICT (campaign_id, platform, source_id) DO NOTHING
      RETURNING id
    )
    SELECT count(*)::int AS accepted, now() AS ingested_at,
           CASE WHEN count(*) < ${n}::int THEN coalesce(array_agg(id::text), '{}') END AS ids
    FROM inserted`;
  return { accepted: row!.accepted, ingestedAt: row!.ingested_at, acceptedIds: row!.ids };
}

/** Removes a batch's mentions (an ingest whose publish failed takes its rows back). */
export async function deleteBatch(batchId: string): Promise<void> {
  await db.exec`DELETE FROM mentions WHERE batch_id = ${batchId}::uuid`;
}

interface MentionRow {
  id: string;
  campaign_id: string;
  source_id: string;
  text: string;
  author: string;
  platform: string;
  url: string;
  sentiment: number;
  sentiment_scored: boolean;
  reach: number;
  engagement: number;
  timestamp: Date;
  location: string | null;
  language: string | null;
  ingested_at: Date;
  batch_id: string;
}

const MENTION_COLUMNS =
  "id, campaign_id, source_id, text, author, platform, url, sentiment::float8 AS sentiment, sentiment_scored, reach, engagement, timestamp, location, language, ingested_at, batch_id";

function toMention(r: MentionRow): StoredMention {
  const m: StoredMention = {
    mentionId: r.id,
    campaignId: r.campaign_id,
    id: r.source_id,
    text: r.text,
    author: r.author,
    platform: r.platform,
    url: r.url,
    sentiment: r.sentiment,
    sentimentSource: r.sentiment_scored ? "lexicon" : "source",
    reach: r.reach,
    engagement: r.engagement,
    timestamp: r.timestamp,
    ingestedAt: r.ingested_at,
  };
  if (r.location !== null) m.location = r.location;
  if (r.language !== null) m.language = r.language;
  return m;
}

// The mentions filter (domain/filters.ts) as SQL: parameters $2…$11, after the campaign's $1.
const FILTER_SQL = `timestamp >= $2::timestamptz
       AND ($3::timestamptz IS NULL OR timestamp < $3::timestamptz)
       AND ($4::text IS NULL OR text ILIKE $4::text ESCAPE '\\')
       AND ($5::text[] IS NULL OR platform = ANY($5::text[]))
       AND ($6::text[] IS NULL
            OR ('positive' = ANY($6::text[]) AND sentiment > ${NEUTRAL_BAND})
            OR ('negative' = ANY($6::text[]) AND sentiment < -${NEUTRAL_BAND})
            OR ('neutral' = ANY($6::text[]) AND sentiment BETWEEN -${NEUTRAL_BAND} AND ${NEUTRAL_BAND}))
       AND ($7::float8 IS NULL OR sentiment >= $7::float8)
       AND ($8::float8 IS NULL OR sentiment <= $8::float8)
       AND ($9::text IS NULL OR lower(author) = $9::text)
       AND ($10::text[] IS NULL OR split_part(lower(language), '-', 1) = ANY($10::text[]))`;

/** The campaigns a read covers: these ids, or null for every campaign (an admin's cross-campaign read). */
export type CampaignScope = string[] | null;

function filterParams(campaigns: CampaignScope, f: MentionFilter): Primitive[] {
  return [
    campaigns,
    f.since.toISOString(),
    f.until?.toISOString() ?? null,
    f.pattern,
    f.platforms,
    f.classes,
    f.minSentiment,
    f.maxSentiment,
    f.author,
    f.languages,
  ];
}

/** One page of a campaign's mentions matching the filter, newest first, after the cursor. */
export async function listMentions(
  campaigns: CampaignScope,
  filter: MentionFilter,
  after: { timestamp: Date; mentionId: string } | null,
  limit: number,
): Promise<StoredMention[]> {
  const rows = await db.rawQueryAll<MentionRow>(
    `SELECT ${MENTION_COLUMNS} FROM mentions
     WHERE ($1::uuid[] IS NULL OR campaign_id = ANY($1::uuid[])) AND ${FILTER_SQL}
       AND ($11::timestamptz IS NULL OR (timestamp, id) < ($11::timestamptz, $12::uuid))
     ORDER BY timestamp DESC, id DESC
     LIMIT $13::int`,
    ...filterParams(campaigns, filter),
    after ? after.timestamp.toISOString() : null,
    after ? after.mentionId : null,
    limit,
  );
  return rows.map(toMention);
}

/** How many of a campaign's mentions match the filter (the same filter as listMentions). */
export async function countMentions(campaigns: CampaignScope, filter: MentionFilter): Promise<number> {
  const row = await db.rawQueryRow<{ n: number }>(
    `SELECT count(*)::int AS n FROM mentions WHERE ($1::uuid[] IS NULL OR campaign_id = ANY($1::uuid[])) AND ${FILTER_SQL}`,
    ...filterParams(campaigns, filter),
  );
  return row!.n;
}

/** A campaign's mention count and mean sentiment over [start, end] (the live gauge), in the detector's transaction. */
export async function sentimentSince(tx: Transaction, campaignId: string, start: Date, end: Date): Promise<{ mentions: number; average: number }> {
  const row = await tx.queryRow<{ mentions: number; average: number | null }>`
    SELECT count(*)::int AS mentions, avg(sentiment)::float8 AS average FROM mentions
    WHERE campaign_id = ${campaignId}::uuid AND timestamp >= ${start.toISOString()}::timestamptz AND timestamp <= ${end.toISOString()}::timestamptz`;
  return { mentions: row!.mentions, average: row!.average ?? 0 };
}

/** Whether any mention of the campaign comes from this platform (the unique index answers). */
export async function hasPlatform(campaignId: string | null, platform: string): Promise<boolean> {
  // null: any campaign (an admin's read of every campaign).
  const row = await db.queryRow<{
    found: boolean;
  }>`SELECT EXISTS (SELECT 1 FROM mentions WHERE (${campaignId}::uuid IS NULL OR campaign_id = ${campaignId}::uuid) AND platform = ${platform}) AS found`;
  return row!.found;
}

/** Sentiment figures of one group (the whole range, a platform, or a bucket). */
export interface SentimentGroup {
  scope: "all" | "platform" | "bucket" | "campaign";
  campaignId: string | null;
  platform: string | null;
  bucket: Date | null;
  mentions: number;
  average: number;
  reachWeighted: number | null;
  positive: number;
  negative: number;
}

/** A campaign's sentiment over [start, end): overall, per platform and per bucket, in one query. */
export async function sentimentGroups(campaigns: CampaignScope, start: Date, end: Date, bucketMinutes: number, band: number): Promise<SentimentGroup[]> {
  const rows = await db.queryAll<{
    campaign_id: string | null;
    platform: string | null;
    bucket: Date | null;
    g: number;
    mentions: number;
    average: number | null;
    reach_weighted: number | null;
    positive: number;
    negative: number;
  }>`
    SELECT campaign_id, platform, bucket, GROUPING(campaign_id, platform, bucket) AS g, count(*)::int AS mentions, avg(sentiment)::float8 AS average,
           (sum(sentiment * reach) / NULLIF(sum(reach), 0))::float8 AS reach_weighted,
           count(*) FILTER (WHERE sentiment > ${band}::float8)::int AS positive,
           count(*) FILTER (WHERE sentiment < -${band}::float8)::int AS negative
    FROM (
      SELECT campaign_id, platform, sentiment, reach, date_bin(make_interval(mins => ${bucketMinutes}::int), timestamp, ${start.toISOString()}::timestamptz) AS bucket
      FROM mentions
      WHERE (${campaigns}::uuid[] IS NULL OR campaign_id = ANY(${campaigns}::uuid[])) AND timestamp >= ${start.toISOString()}::timestamptz AND timestamp < ${end.toISOString()}::timestamptz
    ) m
    GROUP BY GROUPING SETS ((), (campaign_id), (platform), (bucket))`;
  // GROUPING's bits: 4 campaign_id, 2 platform, 1 bucket (set when the column is aggregated away).
  return rows.map((r) => ({
    scope: r.g === 7 ? "all" : r.g === 3 ? "campaign" : r.g === 5 ? "platform" : "bucket",
    campaignId: r.g === 3 ? r.campaign_id : null,
    platform: r.g === 5 ? r.platform : null,
    bucket: r.g === 6 ? r.bucket : null,
    mentions: r.mentions,
    average: r.average ?? 0,
    reachWeighted: r.reach_weighted,
    positive: r.positive,
    negative: r.negative,
  }));
}

/** The newest `limit` mentions of a window (text and sentiment) and the window's exact count. */
export async function sampleWindow(campaigns: CampaignScope, start: Date, end: Date, limit: number): Promise<{ docs: TermDoc[]; total: number }> {
  const [docs, count] = await Promise.all([
    db.queryAll<TermDoc>`
      SELECT text, sentiment::float8 AS sentiment FROM mentions
      WHERE (${campaigns}::uuid[] IS NULL OR campaign_id = ANY(${campaigns}::uuid[])) AND timestamp >= ${start.toISOString()}::timestamptz AND timestamp < ${end.toISOString()}::timestamptz
      ORDER BY timestamp DESC LIMIT ${limit}::int`,
    db.queryRow<{ n: number }>`
      SELECT count(*)::int AS n FROM mentions
      WHERE (${campaigns}::uuid[] IS NULL OR campaign_id = ANY(${campaigns}::uuid[])) AND timestamp >= ${start.toISOString()}::timestamptz AND timestamp < ${end.toISOString()}::timestamptz`,
  ]);
  return { docs, total: count!.n };
}

/**
 * A stratified sample of [start, start + slots × slotMinutes): up to `perSlot` mentions from each
 * slot (index range scans, however busy the period) and each slot's exact count.
 */
export async function sampleSlots(
  campaigns: CampaignScope,
  start: Date,
  slots: number,
  slotMinutes: number,
  perSlot: number,
): Promise<{ docs: TermDoc[]; total: number }[]> {
  const startText = start.toISOString();
  const [docs, counts] = await Promise.all([
    db.queryAll<{ slot: number; text: string; sentiment: number }>`
      SELECT s.slot, m.text, m.sentiment::float8 AS sentiment
      FROM generate_series(0, ${slots - 1}::int) AS s(slot)
      CROSS JOIN LATERAL (
        SELECT text, sentiment FROM mentions
        WHERE (${campaigns}::uuid[] IS NULL OR campaign_id = ANY(${campaigns}::uuid[]))
          AND timestamp >= ${startText}::timestamptz + make_interval(mins => s.slot * ${slotMinutes}::int)
          AND timestamp < ${startText}::timestamptz + make_interval(mins => (s.slot + 1) * ${slotMinutes}::int)
        ORDER BY timestamp DESC LIMIT ${perSlot}::int
      ) m`,
    db.queryAll<{ slot: number; n: number }>`
      SELECT floor(extract(epoch FROM timestamp - ${startText}::timestamptz) / (${slotMinutes}::int * 60))::int AS slot, count(*)::int AS n
      FROM mentions
      WHERE (${campaigns}::uuid[] IS NULL OR campaign_id = ANY(${campaigns}::uuid[])) AND timestamp >= ${startText}::timestamptz
        AND timestamp < ${startText}::timestamptz + make_interval(mins => ${slots * slotMinutes}::int)
      GROUP BY 1`,
  ]);
  const out = Array.from({ length: slots }, () => ({ docs: [] as TermDoc[], total: 0 }));
  for (const d of docs) out[d.slot]?.docs.push({ text: d.text, sentiment: d.sentiment });
  for (const c of counts) if (out[c.slot]) out[c.slot].total = c.n;
  return out;
}

/** A platform's figures in one bucket. */
export interface PlatformBucket {
  platform: string;
  bucket: Date;
  mentions: number;
  average: number;
  reach: number;
  engagement: number;
}

/** Per platform and bucket over [start, end). */
export async function platformBuckets(campaigns: CampaignScope, start: Date, end: Date, bucketMinutes: number): Promise<PlatformBucket[]> {
  return db.queryAll<PlatformBucket>`
    SELECT platform, date_bin(make_interval(mins => ${bucketMinutes}::int), timestamp, ${start.toISOString()}::timestamptz) AS bucket,
           count(*)::int AS mentions, avg(sentiment)::float8 AS average, sum(reach)::float8 AS reach, sum(engagement)::float8 AS engagement
    FROM mentions
    WHERE (${campaigns}::uuid[] IS NULL OR campaign_id = ANY(${campaigns}::uuid[])) AND timestamp >= ${start.toISOString()}::timestamptz AND timestamp < ${end.toISOString()}::timestamptz
    GROUP BY 1, 2
    ORDER BY 2`;
}

/** Per platform over [start, end). */
export async function platformTotals(campaigns: CampaignScope, start: Date, end: Date, band: number): Promise<PlatformTotals[]> {
  return db.queryAll<PlatformTotals>`
    SELECT platform, count(*)::int AS mentions, avg(sentiment)::float8 AS average, sum(reach)::float8 AS reach, sum(engagement)::float8 AS engagement,
           count(*) FILTER (WHERE sentiment > ${band}::float8)::int AS positive, count(*) FILTER (WHERE sentiment < -${band}::float8)::int AS negative
    FROM mentions
    WHERE (${campaigns}::uuid[] IS NULL OR campaign_id = ANY(${campaigns}::uuid[])) AND timestamp >= ${start.toISOString()}::timestamptz AND timestamp < ${end.toISOString()}::timestamptz
    GROUP BY 1
    ORDER BY 2 DESC, 1`;
}

/** A stored mention with the batch it came in (stream replay). */
export interface ReplayMention extends StoredMention {
  batchId: string;
}

/** The newest `limit` mentions a campaign received after `since`, oldest first. */
export async function mentionsReceivedSince(campaignId: string, since: Date, limit: number): Promise<ReplayMention[]> {
  const rows = await db.rawQueryAll<MentionRow>(
    `SELECT ${MENTION_COLUMNS} FROM mentions WHERE campaign_id = $1::uuid AND ingested_at > $2::timestamptz ORDER BY ingested_at DESC, id DESC LIMIT $3::int`,
    campaignId,
    since.toISOString(),
    limit,
  );
  return rows.reverse().map((r) => ({ ...toMention(r), batchId: r.batch_id }));
}

// --- crisis detection ---

/** A campaign's detector as stored, with the configuration it runs under. */
export interface DetectorRecord {
  state: string | null;
  lastSnapshotAt: Date | null;
  thresholds: AlertThresholds | null;
  competitors: string[];
}

/** Locks a campaign's detector row (created if missing) for the transaction and reads it. */
export async function lockDetector(tx: Transaction, campaignId: string): Promise<DetectorRecord> {
  const row = await tx.queryRow<{
    state: string | null;
    last_snapshot_at: Date | null;
    alert_thresholds: AlertThresholds | null;
    competitors: string[] | null;
  }>`
    WITH s AS (
      INSERT INTO detector_states (campaign_id) VALUES (${campaignId}::uuid)
      ON CONFLICT (campaign_id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id
      RETURNING state, last_snapshot_at
    )
    SELECT s.state, s.last_snapshot_at, c.alert_thresholds, c.competitors
    FROM s LEFT JOIN monitoring_configs c ON c.campaign_id = ${campaignId}::uuid`;
  return { state: row!.state, lastSnapshotAt: row!.last_snapshot_at, thresholds: row!.alert_thresholds, competitors: row!.competitors ?? [] };
}

/** Records batches as fed to the campaign's detector; returns those that were not already. */
export async function markBatchesProcessed(tx: Transaction, campaignId: string, batchIds: string[]): Promise<Set<string>> {
  if (batchIds.length === 0) return new Set();
  const rows = await tx.queryAll<{ batch_id: string }>`
    INSERT INTO detector_batches (batch_id, campaign_id)
    SELECT b, ${campaignId}::uuid FROM unnest(${batchIds}::uuid[]) AS b
    ON CONFLICT (batch_id) DO NOTHING
    RETURNING batch_id`;
  return new Set(rows.map((r) => r.batch_id));
}

/** Stores a detector's state after a run. */
export async function saveDetector(
  tx: Transaction,
  campaignId: string,
  state: string,
  watermark: Date | null,
  openAlerts: number,
  snapshotAt: Date | null,
): Promise<void> {
  await tx.exec`
    UPDATE detector_states
    SET state = ${state}, watermark = ${watermark ? watermark.toISOString() : null}::timestamptz, open_alerts = ${openAlerts},
        last_snapshot_at = COALESCE(${snapshotAt ? snapshotAt.toISOString() : null}::timestamptz, last_snapshot_at), updated_at = now()
    WHERE campaign_id = ${campaignId}::uuid`;
}

/** Campaigns whose detector has open alerts or heard something within `activeSince` (the clock advances them). */
export async function detectorsToAdvance(activeSince: Date): Promise<string[]> {
  const rows = await db.queryAll<{ campaign_id: string }>`
    SELECT campaign_id FROM detector_states
    WHERE state IS NOT NULL AND (open_alerts > 0 OR updated_at >= ${activeSince.toISOString()}::timestamptz)`;
  return rows.map((r) => r.campaign_id);
}

/** Forgets processed batch ids older than the data stream's retention (a redelivery cannot come any more). */
export async function forgetProcessedBatches(before: Date): Promise<number> {
  const rows = await db.queryAll<{
    batch_id: string;
  }>`DELETE FROM detector_batches WHERE processed_at < ${before.toISOString()}::timestamptz RETURNING batch_id`;
  return rows.length;
}

/** One step of a crisis, as the detector produced it (already mapped to the API's shapes). */
export interface CrisisStep {
  kind: "opened" | "escalated" | "resolved";
  crisis: Omit<CrisisRecord, "alertStatus" | "alertVersion" | "alertedVersion" | "alertedAt" | "alertId">;
  eventId: string;
  at: Date;
  streamType: string;
  priority: string;
  /** The stream message's data (replayed as is). */
  data: unknown;
}

/**
 * Applies crisis steps in the detector's transaction: a new crisis is recorded "alert pending"; an
 * escalation updates it and makes it pending again at the next alert version; a resolution closes
 * it. Each step is also kept for stream replay. Idempotent per (crisis, step, time).
 */
export async function applyCrisisSteps(tx: Transaction, campaignId: string, steps: CrisisStep[]): Promise<void> {
  for (const s of steps) {
    const c = s.crisis;
    const inserted = await tx.queryRow<{ id: string }>`
      INSERT INTO crisis_events (crisis_id, campaign_id, kind, stream_type, priority, data, event_at)
      VALUES (${c.id}, ${campaignId}::uuid, ${s.kind}, ${s.streamType}, ${s.priority}, ${s.data as object}::jsonb, ${s.at.toISOString()}::timestamptz)
      ON CONFLICT (crisis_id, kind, event_at) DO NOTHING
      RETURNING id`;
    if (!inserted) continue;
    if (s.kind === "opened") {
      await tx.exec`
        INSERT INTO crises (id, campaign_id, type, severity, status, crisis_score, title, summary, explanation, opened_at, updated_at)
        VALUES (${c.id}, ${campaignId}::uuid, ${c.type}, ${c.severity}, 'open', ${c.crisisScore}, ${c.title}, ${c.summary},
                ${c.explanation as object}::jsonb, ${c.openedAt.toISOString()}::timestamptz, ${c.updatedAt.toISOString()}::timestamptz)
        ON CONFLICT (id) DO NOTHING`;
    } else if (s.kind === "escalated") {
      await tx.exec`
        UPDATE crises SET type = ${c.type}, severity = ${c.severity}, status = 'escalated', crisis_score = ${c.crisisScore},
          title = ${c.title}, summary = ${c.summary}, explanation = ${c.explanation as object}::jsonb, updated_at = ${c.updatedAt.toISOString()}::timestamptz,
          alert_version = alert_version + 1, alert_status = 'pending'
        WHERE id = ${c.id}`;
    } else {
      await tx.exec`
        UPDATE crises SET status = 'resolved', crisis_score = ${c.crisisScore}, title = ${c.title}, summary = ${c.summary},
          explanation = ${c.explanation as object}::jsonb, updated_at = ${c.updatedAt.toISOString()}::timestamptz,
          resolved_at = ${(c.resolvedAt ?? s.at).toISOString()}::timestamptz
        WHERE id = ${c.id}`;
    }
  }
}

/** Refreshes the explanation of open crises (their reach and mentions keep growing). */
export async function refreshCrises(
  tx: Transaction,
  crises: { id: string; crisisScore: number; summary: string; explanation: CrisisExplanation; updatedAt: Date }[],
): Promise<void> {
  for (const c of crises) {
    await tx.exec`
      UPDATE crises SET crisis_score = GREATEST(crisis_score, ${c.crisisScore}), summary = ${c.summary}, explanation = ${c.explanation as object}::jsonb,
        updated_at = GREATEST(updated_at, ${c.updatedAt.toISOString()}::timestamptz)
      WHERE id = ${c.id} AND status <> 'resolved'`;
  }
}

/** A crisis step kept for replay. */
export interface StoredCrisisEvent {
  streamType: string;
  priority: string;
  data: unknown;
  createdAt: Date;
}

/** The crisis steps a campaign's stream carried after `since`, oldest first. */
export async function crisisEventsSince(campaignId: string, since: Date, limit: number): Promise<StoredCrisisEvent[]> {
  return db.queryAll<StoredCrisisEvent>`
    SELECT stream_type AS "streamType", priority, data, created_at AS "createdAt" FROM crisis_events
    WHERE campaign_id = ${campaignId}::uuid AND created_at > ${since.toISOString()}::timestamptz
    ORDER BY created_at, id LIMIT ${limit}::int`;
}

interface CrisisRow {
  id: string;
  campaign_id: string;
  type: CrisisType;
  severity: CrisisSeverity;
  status: CrisisStatus;
  crisis_score: number;
  title: string;
  summary: string;
  explanation: CrisisExplanation;
  opened_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  alert_status: "pending" | "alerted";
  alert_version: number;
  alerted_version: number | null;
  alerted_at: Date | null;
  alert_id: string | null;
}

function toCrisis(r: CrisisRow): CrisisRecord {
  const c: CrisisRecord = {
    id: r.id,
    campaignId: r.campaign_id,
    type: r.type,
    severity: r.severity,
    status: r.status,
    crisisScore: r.crisis_score,
    title: r.title,
    summary: r.summary,
    // JSONB keeps the evidence's times as text.
    explanation: { ...r.explanation, topMentions: (r.explanation.topMentions ?? []).map((m) => ({ ...m, timestamp: new Date(m.timestamp) })) },
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    alertStatus: r.alert_status,
    alertVersion: r.alert_version,
  };
  if (r.resolved_at) c.resolvedAt = r.resolved_at;
  if (r.alerted_version !== null) c.alertedVersion = r.alerted_version;
  if (r.alerted_at) c.alertedAt = r.alerted_at;
  if (r.alert_id !== null) c.alertId = r.alert_id;
  return c;
}

/** A campaign's crisis records, newest first. */
export async function listCrises(campaignId: string, status: CrisisStatus | null, limit: number): Promise<CrisisRecord[]> {
  const rows = await db.queryAll<CrisisRow>`
    SELECT * FROM crises WHERE campaign_id = ${campaignId}::uuid AND (${status}::text IS NULL OR status = ${status}::text)
    ORDER BY opened_at DESC, id LIMIT ${limit}::int`;
  return rows.map(toCrisis);
}

/** Crises whose alert is pending, oldest first (alerting collects them). */
export async function pendingCrises(limit: number): Promise<CrisisRecord[]> {
  const rows = await db.queryAll<CrisisRow>`SELECT * FROM crises WHERE alert_status = 'pending' ORDER BY recorded_at, id LIMIT ${limit}::int`;
  return rows.map(toCrisis);
}

/** Marks a crisis alerted at `version` unless it has escalated past it; null when there is no such crisis. */
export async function markAlerted(crisisId: string, version: number, alertId: string | null): Promise<{ marked: boolean; pending: boolean } | null> {
  const updated = await db.queryRow<{ alert_status: string }>`
    UPDATE crises SET alert_status = 'alerted', alerted_version = ${version}, alerted_at = now(), alert_id = COALESCE(${alertId}::text, alert_id)
    WHERE id = ${crisisId} AND alert_version = ${version} AND alert_status = 'pending'
    RETURNING alert_status`;
  if (updated) return { marked: true, pending: false };
  const current = await db.queryRow<{ alert_status: string; alert_version: number }>`SELECT alert_status, alert_version FROM crises WHERE id = ${crisisId}`;
  if (!current) return null;
  return { marked: false, pending: current.alert_status === "pending" };
}

/** Open (or escalated) crises of a campaign, and its newest crisis. */
export async function crisisOverview(campaignId: string): Promise<{ open: number; latest: CrisisRecord | null }> {
  const [count, latest] = await Promise.all([
    db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM crises WHERE campaign_id = ${campaignId}::uuid AND status <> 'resolved'`,
    db.queryRow<CrisisRow>`SELECT * FROM crises WHERE campaign_id = ${campaignId}::uuid ORDER BY opened_at DESC, id LIMIT 1`,
  ]);
  return { open: count!.n, latest: latest ? toCrisis(latest) : null };
}

// --- the demo feed ---

/** The demo feed's bookkeeping. */
export interface DemoFeedRow {
  campaignId: string | null;
  startedAt: Date;
  fedUntil: Date | null;
}

/**
 * Takes or renews the demo feed's lease for `leader` (one process feeds at a time; a process that
 * stops renewing loses it after `leaseSeconds`). Returns the feed's row when `leader` holds the lease.
 */
export async function claimDemoLease(leader: string, leaseSeconds: number): Promise<DemoFeedRow | null> {
  await db.exec`INSERT INTO demo_feed (id) VALUES (1) ON CONFLICT (id) DO NOTHING`;
  const row = await db.queryRow<{ campaign_id: string | null; started_at: Date; fed_until: Date | null }>`
    UPDATE demo_feed SET leader = ${leader}, lease_until = now() + make_interval(secs => ${leaseSeconds}::int)
    WHERE id = 1 AND (leader IS NULL OR leader = ${leader} OR lease_until < now())
    RETURNING campaign_id, started_at, fed_until`;
  return row ? { campaignId: row.campaign_id, startedAt: row.started_at, fedUntil: row.fed_until } : null;
}

/** Sets the demo campaign (and restarts the feed's clock), while `leader` holds the lease. */
export async function setDemoCampaign(leader: string, campaignId: string, startedAt: Date): Promise<void> {
  await db.exec`
    UPDATE demo_feed SET campaign_id = ${campaignId}::uuid, started_at = ${startedAt.toISOString()}::timestamptz, fed_until = NULL
    WHERE id = 1 AND leader = ${leader}`;
}

/** Records how far the feed got, while `leader` holds the lease. */
export async function setDemoProgress(leader: string, fedUntil: Date): Promise<void> {
  await db.exec`UPDATE demo_feed SET fed_until = ${fedUntil.toISOString()}::timestamptz WHERE id = 1 AND leader = ${leader}`;
}

/** The demo campaign's id, if the feed has made one. */
export async function demoCampaignId(): Promise<string | null> {
  const row = await db.queryRow<{ campaign_id: string | null }>`SELECT campaign_id FROM demo_feed WHERE id = 1`;
  return row?.campaign_id ?? null;
}

// --- a day's figures for analytics (internal) ---

/** A campaign's UTC day in figures (analytics' nightly finalisation; see DayAggregatesRequest). */
export async function dayAggregates(req: DayAggregatesRequest): Promise<DayAggregates> {
  const start = `${req.date}T00:00:00Z`;
  const { campaignId, neutralBand: band } = req;
  const [hours, terms, authors, top, batches, crises] = await Promise.all([
    db.queryAll<DayHourAggregate>`
      SELECT date_trunc('hour', timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, platform,
             count(*)::int AS mentions, sum((sentiment * 1000)::int8)::float8 AS "sentimentMilli",
             count(*) FILTER (WHERE sentiment > ${band}::float8)::int AS positive, count(*) FILTER (WHERE sentiment < -${band}::float8)::int AS negative,
             sum(reach)::float8 AS reach, sum(engagement)::float8 AS engagement
      FROM mentions
      WHERE campaign_id = ${campaignId}::uuid AND timestamp >= ${start}::timestamptz AND timestamp < ${start}::timestamptz + interval '1 day'
      GROUP BY 1, 2 ORDER BY 1, 2`,
    req.terms.length === 0
      ? Promise.resolve([] as DayTermAggregate[])
      : db.queryAll<DayTermAggregate>`
      SELECT t.term, count(*)::int AS mentions, sum((m.sentiment * 1000)::int8)::float8 AS "sentimentMilli",
             count(*) FILTER (WHERE m.sentiment > ${band}::float8)::int AS positive, count(*) FILTER (WHERE m.sentiment < -${band}::float8)::int AS negative,
             sum(m.reach)::float8 AS reach, sum(m.engagement)::float8 AS engagement
      FROM mentions m JOIN unnest(${req.terms}::text[]) AS t(term) ON strpos(lower(m.text), t.term) > 0
      WHERE m.campaign_id = ${campaignId}::uuid AND m.timestamp >= ${start}::timestamptz AND m.timestamp < ${start}::timestamptz + interval '1 day'
      GROUP BY 1 ORDER BY 1`,
    db.queryAll<DayAuthorAggregate>`
      SELECT author, platform, count(*)::int AS mentions, sum((sentiment * 1000)::int8)::float8 AS "sentimentMilli",
             sum(reach)::float8 AS reach, sum(engagement)::float8 AS engagement
      FROM mentions
      WHERE campaign_id = ${campaignId}::uuid AND timestamp >= ${start}::timestamptz AND timestamp < ${start}::timestamptz + interval '1 day'
        AND author <> '' AND (reach >= ${req.influencerReach}::int8 OR lower(author) = ANY(${req.influencers}::text[]))
      GROUP BY 1, 2 ORDER BY 1, 2`,
    db.queryAll<DayTopMention>`
      SELECT id::text AS "mentionId", platform, author, text, url, sentiment::float8 AS sentiment, reach::float8 AS reach,
             engagement::float8 AS engagement, timestamp
      FROM mentions
      WHERE campaign_id = ${campaignId}::uuid AND timestamp >= ${start}::timestamptz AND timestamp < ${start}::timestamptz + interval '1 day'
      ORDER BY reach DESC, id LIMIT ${req.topLimit}::int`,
    db.queryAll<{ batchId: string }>`
      SELECT DISTINCT batch_id::text AS "batchId" FROM mentions
      WHERE campaign_id = ${campaignId}::uuid AND timestamp >= ${start}::timestamptz AND timestamp < ${start}::timestamptz + interval '1 day'`,
    db.queryAll<DayCrisis>`
      SELECT id, type, severity, opened_at AS "openedAt" FROM crises
      WHERE campaign_id = ${campaignId}::uuid AND opened_at >= ${start}::timestamptz AND opened_at < ${start}::timestamptz + interval '1 day'
      ORDER BY opened_at, id`,
  ]);
  return { campaignId, date: req.date, hours, terms, authors, top, batchIds: batches.map((b) => b.batchId), crises };
}

// --- retention and erasure (shared/retention.ts) ---

/** Deletes mentions posted before `before` (the `mentions` retention class); returns how many. */
export async function purgeMentions(before: Date): Promise<number> {
  const row = await db.queryRow<{ n: number }>`
    WITH gone AS (DELETE FROM mentions WHERE timestamp < ${before} RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  return row?.n ?? 0;
}

/** Replaces a user's id in the configurations they made with "erased" (monitoring holds no other data about War Room users). */
export async function eraseUserReferences(userId: string): Promise<number> {
  const row = await db.queryRow<{ n: number }>`
    WITH changed AS (UPDATE monitoring_configs SET created_by = 'erased' WHERE created_by = ${userId} RETURNING 1) SELECT count(*)::int AS n FROM changed`;
  return row?.n ?? 0;
}

/** The source ids of a campaign's stored mentions (retention checks). */
export async function mentionSourceIds(campaignId: string): Promise<string[]> {
  return (await db.queryAll<{ source_id: string }>`SELECT source_id FROM mentions WHERE campaign_id = ${campaignId} ORDER BY source_id`).map(
    (r) => r.source_id,
  );
}
