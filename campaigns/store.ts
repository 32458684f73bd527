// campaigns' SQL: the only file that talks to campaigns' database. Rows come back as the API's types.
import type { Transaction } from "encore.dev/storage/sqldb";
import type { Decimal } from "encore.dev/types";
import type { MemberRole } from "../shared/access";
import { db } from "./db";
import type { CampaignFields, CampaignMetrics, CampaignStatus } from "./domain/campaign";
import type { CleanKeyword } from "./domain/keywords";
import type { ContactChannel, Severity } from "./domain/contacts";
import type { ActiveCampaign, AlertContact, Campaign, CampaignAccessResponse, CampaignKeyword, CampaignMember, TargetAudience } from "./model";

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
  created_at: Date;
  updated_at: Date;
}

function toCampaign(r: CampaignRow): Campaign {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    startDate: r.start_date,
    endDate: r.end_date,
    budget: Number(String(r.budget)),
    targetAudience: r.target_audience,
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
  created_at: Date;
}

function toContact(r: ContactRow): AlertContact {
  return { id: r.id, campaignId: r.campaign_id, name: r.name, channel: r.channel, address: r.address, minSeverity: r.min_severity, createdAt: r.created_at };
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

async function inTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  const tx = await db.begin();
  try {
    const result = await work(tx);
    await tx.commit();
    return result;
  } catch (err) {
    await tx.rollback().catch(() => {});
    throw err;
  }
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
export async function createCampaign(fields: CampaignFields<TargetAudience>, metrics: CampaignMetrics, creatorId: string): Promise<Campaign> {
  return inTransaction(async (tx) => {
    const row = await tx.queryRow<CampaignRow>`
      INSERT INTO campaigns (name, description, status, start_date, end_date, budget, target_audience, metrics, created_by)
      VALUES (${fields.name}, ${fields.description}, ${fields.status}, ${fields.startDate}, ${fields.endDate}, ${fields.budget},
              ${fields.targetAudience}, ${metrics}, ${creatorId})
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
  return inTransaction(async (tx) => {
    const row = await tx.queryRow<CampaignRow>`SELECT * FROM campaigns WHERE id = ${id} FOR UPDATE`;
    if (!row) return null;
    const before = toCampaign(row);
    const decision = decide(before);
    const n = decision.next;
    const updated = await tx.queryRow<CampaignRow>`
      UPDATE campaigns SET name = ${n.name}, description = ${n.description}, status = ${n.status}, start_date = ${n.startDate},
        end_date = ${n.endDate}, budget = ${n.budget}, target_audience = ${n.targetAudience}, updated_at = now()
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
export async function setMember(campaignId: string, userId: string, role: MemberRole, addedBy: string, check: TeamCheck): Promise<{ member: CampaignMember; before: MemberRole | null }> {
  return inTransaction(async (tx) => {
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
  return inTransaction(async (tx) => {
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
  return inTransaction(async (tx) => {
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
    SELECT id, campaign_id, name, channel, address, min_severity, created_at FROM campaign_alert_contacts
    WHERE campaign_id = ${campaignId} ORDER BY channel, name, id`;
  return rows.map(toContact);
}

/** A new alert contact. */
export interface NewContact {
  name: string;
  channel: ContactChannel;
  address: string;
  minSeverity: Severity;
}

/** Adds a contact; DuplicateContactError when the campaign has that channel+address, LimitError past `max`. */
export async function addContact(campaignId: string, c: NewContact, max: number): Promise<AlertContact> {
  return inTransaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const count = await tx.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM campaign_alert_contacts WHERE campaign_id = ${campaignId}`;
    if ((count?.n ?? 0) >= max) throw new LimitError(`a campaign has at most ${max} alert contacts`);
    const row = await tx.queryRow<ContactRow>`
      INSERT INTO campaign_alert_contacts (campaign_id, name, channel, address, min_severity)
      VALUES (${campaignId}, ${c.name}, ${c.channel}, ${c.address}, ${c.minSeverity})
      ON CONFLICT (campaign_id, channel, address) DO NOTHING
      RETURNING id, campaign_id, name, channel, address, min_severity, created_at`;
    if (!row) throw new DuplicateContactError(`${c.address} is already a ${c.channel} contact of this campaign`);
    return toContact(row);
  });
}

/** Deletes one contact of a campaign; the deleted contact, or null when there was none. */
export async function deleteContact(campaignId: string, contactId: string): Promise<AlertContact | null> {
  const row = await db.queryRow<ContactRow>`
    DELETE FROM campaign_alert_contacts WHERE campaign_id = ${campaignId} AND id = ${contactId}
    RETURNING id, campaign_id, name, channel, address, min_severity, created_at`;
  return row ? toContact(row) : null;
}
