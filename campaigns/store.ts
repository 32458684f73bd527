// campaigns' SQL: the only file that talks to campaigns' database. Rows come back as the API's types.
import type { Transaction } from "encore.dev/storage/sqldb";
import { inTransaction } from "../shared/sql";
import type { Decimal } from "encore.dev/types";
import type { MemberRole } from "../shared/access";
import { db } from "./db";
import type { CampaignFields, CampaignMetrics, CampaignStatus } from "./domain/campaign";
import type { AccountSync, AdDayRow, AdPlatform, AdTotals, MetricFigure, MetricsDetail } from "./domain/metrics";
import type { CleanKeyword } from "./domain/keywords";
import type { ContactChannel, Severity } from "./domain/contacts";
import type {
  ActiveCampaign,
  AdDay,
  AdPollCampaign,
  AlertContact,
  Campaign,
  CampaignAccessResponse,
  CampaignKeyword,
  CampaignMember,
  TargetAudience,
} from "./model";

interface CampaignRow {
  id: string;
  name: string;
  description: string;
  status: CampaignStatus;
  start_date: Date;
  end_date: Date;
  /** NUMERIC: the SDK's Decimal. */
  budget: Decimal;
  target_audience: TargetAudience;
  metrics: CampaignMetrics;
  metrics_detail: MetricsDetail | null;
  time_zone: string;
  created_at: Date;
  updated_at: Date;
}

/** A stored detail with its dates back as Dates (JSONB keeps them as ISO strings). */
function reviveDetail(d: MetricsDetail | null): MetricsDetail | null {
  if (!d) return null;
  const out = { ...d, computedAt: new Date(d.computedAt) } as MetricsDetail;
  for (const k of Object.keys(out) as (keyof MetricsDetail)[]) {
    const f = out[k];
    if (f && typeof f === "object" && !(f instanceof Date) && "sources" in f) {
      (out as unknown as Record<string, MetricFigure>)[k] = { ...f, lastUpdated: f.lastUpdated ? new Date(f.lastUpdated) : null };
    }
  }
  return out;
}

function toCampaign(r: CampaignRow): Campaign {
  const detail = reviveDetail(r.metrics_detail);
  return {
    ...(detail ? { metricsDetail: detail } : {}),
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    startDate: r.start_date,
    endDate: r.end_date,
    budget: Number(String(r.budget)),
    targetAudience: r.target_audience,
    timeZone: r.time_zone,
    metrics: r.metrics,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

interface KeywordRow {
  id: string;
  keyword: string;
  /** DECIMAL(3,2): the SDK's Decimal. */
  weight: Decimal;
  created_at: Date;
}

function toKeyword(r: KeywordRow): CampaignKeyword {
  return { id: r.id, keyword: r.keyword, weight: Number(String(r.weight)), createdAt: r.created_at };
}

interface ContactRow {
  id: string;
  campaign_id: string;
  name: string;
  channel: ContactChannel;
  address: string;
  min_severity: Severity;
  quiet_start: number | null;
  quiet_end: number | null;
  time_zone: string | null;
  digest: boolean;
  created_at: Date;
}

const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

function toContact(r: ContactRow): AlertContact {
  const c: AlertContact = {
    id: r.id,
    campaignId: r.campaign_id,
    name: r.name,
    channel: r.channel,
    address: r.address,
    minSeverity: r.min_severity,
    digest: r.digest,
    createdAt: r.created_at,
  };
  if (r.quiet_start !== null && r.quiet_end !== null) c.quietHours = { start: clock(r.quiet_start), end: clock(r.quiet_end) };
  if (r.time_zone !== null) c.timeZone = r.time_zone;
  return c;
}

interface MemberRow {
  user_id: string;
  role: MemberRole;
  added_by: string;
  added_at: Date;
}

function toMember(r: MemberRow): CampaignMember {
  return { userId: r.user_id, role: r.role, addedBy: r.added_by, addedAt: r.added_at };
}

/** The campaign does not exist. */
export class CampaignNotFoundError extends Error {
  override readonly name = "CampaignNotFoundError";
}

/** A per-campaign limit (keywords, contacts) would be exceeded. */
export class LimitError extends Error {
  override readonly name = "LimitError";
}

/** The contact (channel + address) is already on the campaign. */
export class DuplicateContactError extends Error {
  override readonly name = "DuplicateContactError";
}

/**
 * Locks the campaign's row for the transaction: changes to its team, keywords or contacts are
 * serialised per campaign, so the rules that count (last manager, limits) see a stable picture.
 */
async function lockCampaign(tx: Transaction, id: string): Promise<void> {
  const row = await tx.queryRow<{ id: string }>`SELECT id FROM campaigns WHERE id = ${id} FOR UPDATE`;
  if (!row) throw new CampaignNotFoundError(`campaign ${id} not found`);
}

/** The database's own name: namespaces this deployment's cache keys (and each test file's). */
export async function databaseName(): Promise<string> {
  const row = await db.queryRow<{ name: string }>`SELECT current_database() AS name`;
  return row!.name;
}

// --- campaigns ---

/** Stores a new campaign and makes its creator its manager, in one transaction. */
export async function createCampaign(
  fields: CampaignFields<TargetAudience>,
  metrics: CampaignMetrics,
  creatorId: string,
  detail: MetricsDetail | null = null,
): Promise<Campaign> {
  return inTransaction(db, async (tx) => {
    const row = await tx.queryRow<CampaignRow>`
      INSERT INTO campaigns (name, description, status, start_date, end_date, budget, target_audience, metrics, metrics_detail, created_by, time_zone)
      VALUES (${fields.name}, ${fields.description}, ${fields.status}, ${fields.startDate}, ${fields.endDate}, ${fields.budget},
              ${fields.targetAudience}, ${metrics}, ${detail as unknown as object}, ${creatorId}, ${fields.timeZone})
      RETURNING *`;
    await tx.exec`INSERT INTO campaign_members (campaign_id, user_id, role, added_by) VALUES (${row!.id}, ${creatorId}, 'manager', ${creatorId})`;
    return toCampaign(row!);
  });
}

/** One campaign, or null. */
export async function getCampaign(id: string): Promise<Campaign | null> {
  const row = await db.queryRow<CampaignRow>`SELECT * FROM campaigns WHERE id = ${id}`;
  return row ? toCampaign(row) : null;
}

/** Which campaigns a list shows: every one (admins) or a member's, optionally of one status. */
export interface CampaignFilter {
  /** null: every campaign. */
  memberId: string | null;
  status?: CampaignStatus;
}

/** One page of campaigns, newest first, and how many match in all. */
export async function listCampaigns(filter: CampaignFilter, limit: number, offset: number): Promise<{ campaigns: Campaign[]; total: number }> {
  const status = filter.status ?? null;
  if (filter.memberId === null) {
    const rows = await db.queryAll<CampaignRow>`
      SELECT * FROM campaigns WHERE (${status}::text IS NULL OR status = ${status})
      ORDER BY created_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`;
    const count = await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM campaigns WHERE (${status}::text IS NULL OR status = ${status})`;
    return { campaigns: rows.map(toCampaign), total: count?.n ?? 0 };
  }
  const rows = await db.queryAll<CampaignRow>`
    SELECT c.* FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id
    WHERE m.user_id = ${filter.memberId} AND (${status}::text IS NULL OR c.status = ${status})
    ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit} OFFSET ${offset}`;
  const count = await db.queryRow<{ n: number }>`
    SELECT count(*)::int AS n FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id
    WHERE m.user_id = ${filter.memberId} AND (${status}::text IS NULL OR c.status = ${status})`;
  return { campaigns: rows.map(toCampaign), total: count?.n ?? 0 };
}

/**
 * Updates a campaign under a row lock: `decide` sees the current campaign and returns the next
 * fields (or throws to refuse), so a status transition is judged against the committed state.
 * Returns the campaign before and after; null when there is no such campaign.
 */
export async function updateCampaign<R extends { next: CampaignFields<TargetAudience> }>(
  id: string,
  decide: (current: Campaign) => R,
): Promise<{ before: Campaign; after: Campaign; decision: R } | null> {
  return inTransaction(db, async (tx) => {
    const row = await tx.queryRow<CampaignRow>`SELECT * FROM campaigns WHERE id = ${id} FOR UPDATE`;
    if (!row) return null;
    const before = toCampaign(row);
    const decision = decide(before);
    const n = decision.next;
    const updated = await tx.queryRow<CampaignRow>`
      UPDATE campaigns SET name = ${n.name}, description = ${n.description}, status = ${n.status}, start_date = ${n.startDate},
        end_date = ${n.endDate}, budget = ${n.budget}, target_audience = ${n.targetAudience}, time_zone = ${n.timeZone}, updated_at = now()
      WHERE id = ${id} RETURNING *`;
    return { before, after: toCampaign(updated!), decision };
  });
}

/** Every active campaign with its keywords (for pollers and cron jobs). */
export async function listActiveCampaigns(): Promise<ActiveCampaign[]> {
  const campaigns = await db.queryAll<{ id: string; name: string; start_date: Date; end_date: Date }>`
    SELECT id, name, start_date, end_date FROM campaigns WHERE status = 'active' ORDER BY created_at, id`;
  if (campaigns.length === 0) return [];
  const keywords = await db.queryAll<KeywordRow & { campaign_id: string }>`
    SELECT k.* FROM campaign_keywords k JOIN campaigns c ON c.id = k.campaign_id
    WHERE c.status = 'active' ORDER BY lower(k.keyword), k.id`;
  const byCampaign = new Map<string, CampaignKeyword[]>(campaigns.map((c) => [c.id, []]));
  for (const k of keywords) byCampaign.get(k.campaign_id)?.push(toKeyword(k));
  return campaigns.map((c) => ({ id: c.id, name: c.name, startDate: c.start_date, endDate: c.end_date, keywords: byCampaign.get(c.id) ?? [] }));
}

// --- access and members ---

/** Whether the campaign exists and the user's membership role on it. */
export async function accessOf(campaignId: string, userId: string): Promise<CampaignAccessResponse> {
  const row = await db.queryRow<{ role: MemberRole | null }>`
    SELECT m.role FROM campaigns c LEFT JOIN campaign_members m ON m.campaign_id = c.id AND m.user_id = ${userId}
    WHERE c.id = ${campaignId}`;
  return row ? { exists: true, memberRole: row.role } : { exists: false, memberRole: null };
}

/** The ids of the campaigns a user is a member of. */
export async function campaignIdsOf(userId: string): Promise<string[]> {
  const rows = await db.queryAll<{ campaign_id: string }>`SELECT campaign_id FROM campaign_members WHERE user_id = ${userId} ORDER BY campaign_id`;
  return rows.map((r) => r.campaign_id);
}

/** A campaign's team, managers first, then by when they joined. */
export async function listMembers(campaignId: string): Promise<CampaignMember[]> {
  const rows = await db.queryAll<MemberRow>`
    SELECT user_id, role, added_by, added_at FROM campaign_members WHERE campaign_id = ${campaignId}
    ORDER BY role = 'manager' DESC, added_at, user_id`;
  return rows.map(toMember);
}

/** A change to one member, judged by `check(managers, before)` (throw to refuse) under the campaign's lock. */
type TeamCheck = (managers: number, before: MemberRole | null) => void;

async function teamState(tx: Transaction, campaignId: string, userId: string): Promise<{ managers: number; before: MemberRole | null }> {
  await lockCampaign(tx, campaignId);
  const managers = await tx.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM campaign_members WHERE campaign_id = ${campaignId} AND role = 'manager'`;
  const current = await tx.queryRow<{ role: MemberRole }>`SELECT role FROM campaign_members WHERE campaign_id = ${campaignId} AND user_id = ${userId}`;
  return { managers: managers?.n ?? 0, before: current?.role ?? null };
}

/** Adds a member or changes their role; returns the member and their role before (null: new). */
export async function setMember(
  campaignId: string,
  userId: string,
  role: MemberRole,
  addedBy: string,
  check: TeamCheck,
): Promise<{ member: CampaignMember; before: MemberRole | null }> {
  return inTransaction(db, async (tx) => {
    const { managers, before } = await teamState(tx, campaignId, userId);
    check(managers, before);
    const row = await tx.queryRow<MemberRow>`
      INSERT INTO campaign_members (campaign_id, user_id, role, added_by) VALUES (${campaignId}, ${userId}, ${role}, ${addedBy})
      ON CONFLICT (campaign_id, user_id) DO UPDATE SET role = EXCLUDED.role
      RETURNING user_id, role, added_by, added_at`;
    return { member: toMember(row!), before };
  });
}

/** Removes a member; returns their role before, or null when they were not a member. */
export async function removeMember(campaignId: string, userId: string, check: TeamCheck): Promise<MemberRole | null> {
  return inTransaction(db, async (tx) => {
    const { managers, before } = await teamState(tx, campaignId, userId);
    if (before === null) return null;
    check(managers, before);
    await tx.exec`DELETE FROM campaign_members WHERE campaign_id = ${campaignId} AND user_id = ${userId}`;
    return before;
  });
}

// --- keywords ---

/** A campaign's keywords, alphabetical. */
export async function listKeywords(campaignId: string): Promise<CampaignKeyword[]> {
  const rows = await db.queryAll<KeywordRow>`
    SELECT id, keyword, weight, created_at FROM campaign_keywords WHERE campaign_id = ${campaignId}
    ORDER BY lower(keyword), id`;
  return rows.map(toKeyword);
}

/**
 * Adds keywords (one statement for the batch); a keyword already there, in any case, gets the new
 * weight. Refuses (LimitError, nothing written) when the campaign would have more than `max`.
 */
export async function upsertKeywords(campaignId: string, keywords: CleanKeyword[], max: number): Promise<CampaignKeyword[]> {
  return inTransaction(db, async (tx) => {
    await lockCampaign(tx, campaignId);
    await tx.exec`
      INSERT INTO campaign_keywords (campaign_id, keyword, weight)
      SELECT ${campaignId}, k, w::numeric(3, 2) FROM unnest(${keywords.map((k) => k.keyword)}::text[], ${keywords.map((k) => k.weight)}::float8[]) AS t(k, w)
      ON CONFLICT (campaign_id, lower(keyword)) DO UPDATE SET weight = EXCLUDED.weight`;
    const count = await tx.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM campaign_keywords WHERE campaign_id = ${campaignId}`;
    if ((count?.n ?? 0) > max) throw new LimitError(`a campaign has at most ${max} keywords (this would make ${count!.n})`);
    const rows = await tx.queryAll<KeywordRow>`
      SELECT id, keyword, weight, created_at FROM campaign_keywords WHERE campaign_id = ${campaignId}
      ORDER BY lower(keyword), id`;
    return rows.map(toKeyword);
  });
}

/** Deletes one keyword of a campaign; the deleted keyword, or null when there was none. */
export async function deleteKeyword(campaignId: string, keywordId: string): Promise<CampaignKeyword | null> {
  const row = await db.queryRow<KeywordRow>`
    DELETE FROM campaign_keywords WHERE campaign_id = ${campaignId} AND id = ${keywordId}
    RETURNING id, keyword, weight, created_at`;
  return row ? toKeyword(row) : null;
}

// --- alert contacts ---

/** A campaign's alert contacts, by channel then name. */
export async function listContacts(campaignId: string): Promise<AlertContact[]> {
  const rows = await db.queryAll<ContactRow>`
    SELECT id, campaign_id, name, channel, address, min_severity, quiet_start, quiet_end, time_zone, digest, created_at FROM campaign_alert_contacts
    WHERE campaign_id = ${campaignId} ORDER BY channel, name, id`;
  return rows.map(toContact);
}

/** A new alert contact. */
export interface NewContact {
  name: string;
  channel: ContactChannel;
  address: string;
  minSeverity: Severity;
  /** Minutes of the local day, both or neither. */
  quietStart: number | null;
  quietEnd: number | null;
  timeZone: string | null;
  digest: boolean;
}

/** Adds a contact; DuplicateContactError when the campaign has that channel+address, LimitError past `max`. */
export async function addContact(campaignId: string, c: NewContact, max: number): Promise<AlertContact> {
  return inTransaction(db, async (tx) => {
    await lockCampaign(tx, campaignId);
    const count = await tx.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM campaign_alert_contacts WHERE campaign_id = ${campaignId}`;
    if ((count?.n ?? 0) >= max) throw new LimitError(`a campaign has at most ${max} alert contacts`);
    const row = await tx.queryRow<ContactRow>`
      INSERT INTO campaign_alert_contacts (campaign_id, name, channel, address, min_severity, quiet_start, quiet_end, time_zone, digest)
      VALUES (${campaignId}, ${c.name}, ${c.channel}, ${c.address}, ${c.minSeverity}, ${c.quietStart}, ${c.quietEnd}, ${c.timeZone}, ${c.digest})
      ON CONFLICT (campaign_id, channel, address) DO NOTHING
      RETURNING id, campaign_id, name, channel, address, min_severity, quiet_start, quiet_end, time_zone, digest, created_at`;
    if (!row) throw new DuplicateContactError(`${c.address} is already a ${c.channel} contact of this campaign`);
    return toContact(row);
  });
}

/** Deletes one contact of a campaign; the deleted contact, or null when there was none. */
export async function deleteContact(campaignId: string, contactId: string): Promise<AlertContact | null> {
  const row = await db.queryRow<ContactRow>`
    DELETE FROM campaign_alert_contacts WHERE campaign_id = ${campaignId} AND id = ${contactId}
    RETURNING id, campaign_id, name, channel, address, min_severity, quiet_start, quiet_end, time_zone, digest, created_at`;
  return row ? toContact(row) : null;
}

// --- ad accounts, daily figures, metrics ---

/** A linked ad account as stored. */
export interface AdAccountRow extends AccountSync {
  name: string;
  currency: string;
  linkedBy: string;
  linkedAt: Date;
}

interface AdAccountDbRow {
  platform: AdPlatform;
  account_id: string;
  name: string;
  currency: string;
  linked_by: string;
  linked_at: Date;
  last_synced_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
}

function toAdAccount(r: AdAccountDbRow): AdAccountRow {
  return {
    platform: r.platform,
    accountId: r.account_id,
    name: r.name,
    currency: r.currency,
    linkedBy: r.linked_by,
    linkedAt: r.linked_at,
    lastSyncedAt: r.last_synced_at,
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error,
  };
}

/** A campaign's linked ad accounts, by platform then id. */
export async function listAdAccounts(campaignId: string): Promise<AdAccountRow[]> {
  const rows = await db.queryAll<AdAccountDbRow>`
    SELECT platform, account_id, name, currency, linked_by, linked_at, last_synced_at, last_attempt_at, last_error
    FROM campaign_ad_accounts WHERE campaign_id = ${campaignId} ORDER BY platform, account_id`;
  return rows.map(toAdAccount);
}

/** Links an account; null when it is already linked. CampaignNotFoundError when the campaign is gone. */
export async function linkAdAccount(
  campaignId: string,
  a: { platform: AdPlatform; accountId: string; name: string; currency: string },
  by: string,
): Promise<AdAccountRow | null> {
  return inTransaction(db, async (tx) => {
    await lockCampaign(tx, campaignId);
    const row = await tx.queryRow<AdAccountDbRow>`
      INSERT INTO campaign_ad_accounts (campaign_id, platform, account_id, name, currency, linked_by)
      VALUES (${campaignId}, ${a.platform}, ${a.accountId}, ${a.name}, ${a.currency}, ${by})
      ON CONFLICT (campaign_id, platform, account_id) DO NOTHING
      RETURNING platform, account_id, name, currency, linked_by, linked_at, last_synced_at, last_attempt_at, last_error`;
    return row ? toAdAccount(row) : null;
  });
}

/** Unlinks an account (its stored days stay, uncounted); the link removed, or null. */
export async function unlinkAdAccount(campaignId: string, platform: string, accountId: string): Promise<AdAccountRow | null> {
  const row = await db.queryRow<AdAccountDbRow>`
    DELETE FROM campaign_ad_accounts WHERE campaign_id = ${campaignId} AND platform = ${platform} AND account_id = ${accountId}
    RETURNING platform, account_id, name, currency, linked_by, linked_at, last_synced_at, last_attempt_at, last_error`;
  return row ? toAdAccount(row) : null;
}

/**
 * Stores one account's days (upsert: a day fetched again replaces the earlier figures) and marks
 * the link synced; with `error`, only records the failed attempt (the stored days stay).
 */
export async function recordAdDays(campaignId: string, platform: AdPlatform, accountId: string, days: AdDay[], error: string | null): Promise<number> {
  return inTransaction(db, async (tx) => {
    if (error !== null) {
      await tx.exec`UPDATE campaign_ad_accounts SET last_attempt_at = now(), last_error = ${error.slice(0, 1000)}
        WHERE campaign_id = ${campaignId} AND platform = ${platform} AND account_id = ${accountId}`;
      return 0;
    }
    if (days.length > 0) {
      await tx.exec`
        INSERT INTO campaign_ad_daily (campaign_id, platform, account_id, day, impressions, clicks, conversions, spend)
        SELECT ${campaignId}::uuid, ${platform}, ${accountId}, d::date, i, c, v::numeric(14, 2), s::numeric(14, 2)
        FROM unnest(${days.map((d) => d.date)}::text[], ${days.map((d) => Math.round(d.impressions))}::bigint[], ${days.map((d) => Math.round(d.clicks))}::bigint[],
                    ${days.map((d) => d.conversions)}::float8[], ${days.map((d) => d.spend)}::float8[]) AS t(d, i, c, v, s)
        ON CONFLICT (campaign_id, platform, account_id, day) DO UPDATE SET impressions = EXCLUDED.impressions, clicks = EXCLUDED.clicks,
          conversions = EXCLUDED.conversions, spend = EXCLUDED.spend, fetched_at = now()`;
    }
    await tx.exec`UPDATE campaign_ad_accounts SET last_synced_at = now(), last_attempt_at = now(), last_error = NULL
      WHERE campaign_id = ${campaignId} AND platform = ${platform} AND account_id = ${accountId}`;
    return days.length;
  });
}

/** The linked accounts' stored days within [first, last] (YYYY-MM-DD), oldest first. */
export async function adDays(campaignId: string, first: string, last: string): Promise<AdDayRow[]> {
  const rows = await db.queryAll<{
    platform: AdPlatform;
    account_id: string;
    day: string;
    impressions: number;
    clicks: number;
    conversions: number;
    spend: number;
  }>`
    SELECT d.platform, d.account_id, to_char(d.day, 'YYYY-MM-DD') AS day, d.impressions::float8 AS impressions, d.clicks::float8 AS clicks,
           d.conversions::float8 AS conversions, d.spend::float8 AS spend
    FROM campaign_ad_daily d
    JOIN campaign_ad_accounts a ON a.campaign_id = d.campaign_id AND a.platform = d.platform AND a.account_id = d.account_id
    WHERE d.campaign_id = ${campaignId} AND d.day BETWEEN ${first}::date AND ${last}::date
    ORDER BY d.day, d.platform, d.account_id`;
  return rows.map((r) => ({
    platform: r.platform,
    accountId: r.account_id,
    date: r.day,
    impressions: r.impressions,
    clicks: r.clicks,
    conversions: r.conversions,
    spend: r.spend,
  }));
}

/** The linked accounts' sums within [first, last]. */
export async function adTotals(campaignId: string, first: string, last: string): Promise<AdTotals> {
  const r = await db.queryRow<AdTotals>`
    SELECT coalesce(sum(d.impressions), 0)::float8 AS impressions, coalesce(sum(d.clicks), 0)::float8 AS clicks,
           coalesce(sum(d.conversions), 0)::float8 AS conversions, coalesce(sum(d.spend), 0)::float8 AS spend
    FROM campaign_ad_daily d
    JOIN campaign_ad_accounts a ON a.campaign_id = d.campaign_id AND a.platform = d.platform AND a.account_id = d.account_id
    WHERE d.campaign_id = ${campaignId} AND d.day BETWEEN ${first}::date AND ${last}::date`;
  return r ?? { impressions: 0, clicks: 0, conversions: 0, spend: 0 };
}

/** A campaign's value per conversion (null: not set). */
export async function valuePerConversion(campaignId: string): Promise<number | null> {
  const r = await db.queryRow<{ v: number | null }>`SELECT value_per_conversion::float8 AS v FROM campaign_metric_settings WHERE campaign_id = ${campaignId}`;
  return r?.v ?? null;
}

/** Sets a campaign's value per conversion; the value before. */
export async function setValuePerConversion(campaignId: string, value: number): Promise<number | null> {
  return inTransaction(db, async (tx) => {
    await lockCampaign(tx, campaignId);
    const before = await tx.queryRow<{
      v: number | null;
    }>`SELECT value_per_conversion::float8 AS v FROM campaign_metric_settings WHERE campaign_id = ${campaignId}`;
    await tx.exec`INSERT INTO campaign_metric_settings (campaign_id, value_per_conversion) VALUES (${campaignId}, ${value})
      ON CONFLICT (campaign_id) DO UPDATE SET value_per_conversion = EXCLUDED.value_per_conversion`;
    return before?.v ?? null;
  });
}

/**
 * Claims an on-demand refresh of a campaign (database clock: one per `intervalSeconds` across
 * every process): 0 when claimed, else the seconds until the next one may run.
 */
export async function claimRefresh(campaignId: string, intervalSeconds: number): Promise<number> {
  const won = await db.queryRow<{ campaign_id: string }>`
    INSERT INTO campaign_metric_settings (campaign_id, last_refresh_at) VALUES (${campaignId}, now())
    ON CONFLICT (campaign_id) DO UPDATE SET last_refresh_at = now()
      WHERE campaign_metric_settings.last_refresh_at IS NULL OR campaign_metric_settings.last_refresh_at <= now() - make_interval(secs => ${intervalSeconds})
    RETURNING campaign_id`;
  if (won) return 0;
  const r = await db.queryRow<{ wait: number }>`
    SELECT greatest(1, ceil(extract(epoch FROM (last_refresh_at + make_interval(secs => ${intervalSeconds}) - now()))))::int AS wait
    FROM campaign_metric_settings WHERE campaign_id = ${campaignId}`;
  return r?.wait ?? 1;
}

/** Stores a campaign's computed metrics (without touching updated_at: a computation is no edit). */
export async function saveMetrics(campaignId: string, metrics: CampaignMetrics, detail: MetricsDetail): Promise<void> {
  await db.exec`UPDATE campaigns SET metrics = ${metrics}, metrics_detail = ${detail as unknown as object} WHERE id = ${campaignId}`;
}

/** Every active campaign with linked ad accounts (for the ad pollers). */
export async function listAdPollCampaigns(): Promise<AdPollCampaign[]> {
  const rows = await db.queryAll<{ id: string; start_date: Date; end_date: Date; platform: AdPlatform; account_id: string }>`
    SELECT c.id, c.start_date, c.end_date, a.platform, a.account_id
    FROM campaigns c JOIN campaign_ad_accounts a ON a.campaign_id = c.id
    WHERE c.status = 'active' ORDER BY c.created_at, c.id, a.platform, a.account_id`;
  const out = new Map<string, AdPollCampaign>();
  for (const r of rows) {
    let c = out.get(r.id);
    if (!c) out.set(r.id, (c = { id: r.id, startDate: r.start_date, endDate: r.end_date, accounts: [] }));
    c.accounts.push({ platform: r.platform, accountId: r.account_id });
  }
  return [...out.values()];
}

/** The ids of every active campaign (for the metrics job). */
export async function activeCampaignIds(): Promise<string[]> {
  const rows = await db.queryAll<{ id: string }>`SELECT id FROM campaigns WHERE status = 'active' ORDER BY created_at, id`;
  return rows.map((r) => r.id);
}

/** The accounts of one platform linked to the given campaigns (null: every campaign), each with its campaigns. */
export async function linkedAccounts(platform: AdPlatform, campaignIds: string[] | null): Promise<Map<string, string[]>> {
  const rows = await db.queryAll<{ account_id: string; campaign_id: string }>`
    SELECT account_id, campaign_id FROM campaign_ad_accounts
    WHERE platform = ${platform} AND (${campaignIds === null}::boolean OR campaign_id = ANY(${campaignIds ?? []}::uuid[]))
    ORDER BY account_id, campaign_id`;
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.account_id, [...(out.get(r.account_id) ?? []), r.campaign_id]);
  return out;
}

// --- erasure (shared/retention.ts) ---

/** Erases a person from campaigns: their memberships, and alert contacts at any of their addresses. */
export async function eraseMember(userId: string, addresses: string[]): Promise<{ memberships: number; contacts: number }> {
  const lowered = addresses.map((a) => a.trim().toLowerCase()).filter(Boolean);
  const memberships = await db.queryRow<{ n: number }>`
    WITH gone AS (DELETE FROM campaign_members WHERE user_id = ${userId} RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  const contacts = lowered.length
    ? await db.queryRow<{ n: number }>`
        WITH gone AS (DELETE FROM campaign_alert_contacts WHERE lower(address) = ANY(${lowered}::text[]) RETURNING 1) SELECT count(*)::int AS n FROM gone`
    : { n: 0 };
  return { memberships: memberships?.n ?? 0, contacts: contacts?.n ?? 0 };
}

/** What campaigns still holds about a person, for erasure checks. */
export async function personalDataOf(userId: string, addresses: string[]): Promise<{ memberships: number; contacts: number }> {
  const lowered = addresses.map((a) => a.trim().toLowerCase());
  const row = await db.queryRow<{ memberships: number; contacts: number }>`
    SELECT (SELECT count(*)::int FROM campaign_members WHERE user_id = ${userId}) AS memberships,
           (SELECT count(*)::int FROM campaign_alert_contacts WHERE lower(address) = ANY(${lowered}::text[])) AS contacts`;
  return row ?? { memberships: 0, contacts: 0 };
}
