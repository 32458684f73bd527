// alerting's SQL: the only file that talks to alerting's database. Rows come back as domain types.
import { db } from "./db";
import type { Transaction } from "encore.dev/storage/sqldb";
import { inTransaction } from "../shared/sql";
import type { AlertType, Channel, PlannedDelivery, Severity } from "./domain/alert";
import type { AlertChannel } from "./events";
import type { IncidentChange } from "./model";

export type AlertStatus = "pending" | "published" | "delivered" | "partial" | "failed" | "no_contacts" | "below_threshold";
export type IncidentState = "open" | "acknowledged" | "resolved" | "false_alarm";

/** One change in an incident's life, stored in its history as the queue shows it. */
export type HistoryEntry = IncidentChange;
export type DeliveryStatus = "held" | "pending" | "sending" | "sent" | "failed" | "cancelled" | "skipped" | "digest";

/** An alert as stored. */
export interface Alert {
  id: string;
  campaignId: string;
  type: AlertType;
  severity: Severity;
  title: string;
  message: string;
  data: Record<string, unknown>;
  channels: AlertChannel[];
  status: AlertStatus;
  raisedBy: string;
  tier: number;
  maxTier: number;
  escalateAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  publishedAt: Date | null;
  createdAt: Date;
  processedAt: Date | null;
  ref: number;
  incidentKey: string | null;
  campaignName: string;
  history: HistoryEntry[];
  wave: number;
  state: IncidentState;
  acknowledgedVia: string | null;
  acknowledgedName: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  closeReason: string | null;
  updatedAt: Date;
}

/** A delivery as stored. */
export interface Delivery {
  id: string;
  alertId: string;
  channel: Channel;
  recipient: string;
  recipientName: string;
  tier: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  providerMessageId: string | null;
  sentAt: Date | null;
  wave: number;
  /** The recipient was paged earlier for this incident: this page is an UPDATE. */
  isUpdate: boolean;
  /** When its acknowledgement link was used (single use). */
  linkUsedAt: Date | null;
}

interface AlertRow {
  id: string;
  campaign_id: string;
  type: AlertType;
  severity: Severity;
  title: string;
  message: string;
  data: Record<string, unknown>;
  channels: AlertChannel[];
  status: AlertStatus;
  raised_by: string;
  tier: number;
  max_tier: number;
  escalate_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  published_at: Date | null;
  created_at: Date;
  processed_at: Date | null;
  ref: number;
  incident_key: string | null;
  campaign_name: string;
  history: HistoryEntry[];
  wave: number;
  state: IncidentState;
  acknowledged_via: string | null;
  acknowledged_name: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  close_reason: string | null;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  alert_id: string;
  channel: Channel;
  recipient: string;
  recipient_name: string;
  tier: number;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: Date | null;
  wave: number;
  is_update: boolean;
  link_used_at: Date | null;
}

const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  campaignId: r.campaign_id,
  type: r.type,
  severity: r.severity,
  title: r.title,
  message: r.message,
  data: r.data,
  channels: r.channels,
  status: r.status,
  raisedBy: r.raised_by,
  tier: r.tier,
  maxTier: r.max_tier,
  escalateAt: r.escalate_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  publishedAt: r.published_at,
  createdAt: r.created_at,
  processedAt: r.processed_at,
  ref: r.ref,
  incidentKey: r.incident_key,
  campaignName: r.campaign_name,
  history: r.history ?? [],
  wave: r.wave,
  state: r.state,
  acknowledgedVia: r.acknowledged_via,
  acknowledgedName: r.acknowledged_name,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  closeReason: r.close_reason,
  updatedAt: r.updated_at,
});

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  alertId: r.alert_id,
  channel: r.channel,
  recipient: r.recipient,
  recipientName: r.recipient_name,
  tier: r.tier,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  providerMessageId: r.provider_message_id,
  sentAt: r.sent_at,
  wave: r.wave,
  isUpdate: r.is_update,
  linkUsedAt: r.link_used_at,
});

async function all<T>(rows: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** A new alert (or the new state of an incident) and its deliveries, as the raise writes them. */
export interface NewAlert
  extends Pick<Alert, "campaignId" | "campaignName" | "type" | "severity" | "title" | "message" | "data" | "channels" | "raisedBy" | "maxTier"> {
  /** The raise's own idempotency key: the same key raises (or updates) once. */
  sourceKey: string | null;
  /** The story it belongs to: a raise with the key of an existing incident updates that incident. */
  incidentKey: string | null;
  /** When tier 2 is reached unless acknowledged (null: no escalation). */
  escalateAt: Date | null;
  deliveries: PlannedDelivery[];
}

/** What a raise did: created an incident, updated one (re-paging when severity rose), or nothing (a repeated source key). */
export interface RaiseOutcome {
  alert: Alert;
  outcome: "created" | "updated" | "repaged" | "duplicate";
  /** Deliveries created by this raise. */
  paged: number;
}

const SEVERITY_RANK: Record<Severity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

async function insertDeliveries(
  tx: Transaction,
  alertId: string,
  wave: number,
  deliveries: PlannedDelivery[],
  pagedBefore: ReadonlySet<string> = new Set(),
): Promise<void> {
  for (const d of deliveries) {
    const status: DeliveryStatus = d.digest ? "digest" : d.tier === 1 ? "pending" : "held";
    const isUpdate = pagedBefore.has(recipientKey(d));
    const notBefore = d.notBefore ?? new Date();
    await tx.exec`
      INSERT INTO alert_deliveries (alert_id, wave, channel, recipient, recipient_name, tier, status, is_update, next_attempt_at)
      VALUES (${alertId}, ${wave}, ${d.channel}, ${d.recipient}, ${d.recipientName}, ${d.tier}, ${status}, ${isUpdate}, ${notBefore})
      ON CONFLICT (alert_id, wave, channel, recipient) DO NOTHING`;
  }
}

const entryJson = (e: HistoryEntry) => JSON.stringify([e]);
const recipientKey = (d: { channel: string; recipient: string }) => `${d.channel}\u0000${d.recipient}`;

/**
 * Raises an incident or updates the one its incident key names, in one transaction. A new
 * incident gets one delivery per channel and recipient (tier 1 pending, later tiers held), status
 * 'pending' until published. An update replaces the wording and data and records the change; only
 * when the severity rises are people paged again (a new wave): everyone the new severity reaches
 * while the incident is open (earlier held escalations cancelled), only people never paged once it
 * is acknowledged, nobody once it is resolved or a false alarm. A source key already seen changes
 * nothing.
 */
export async function raiseIncident(a: NewAlert): Promise<RaiseOutcome> {
  return inTransaction(db, async (tx) => {
    if (a.sourceKey) {
      // Two raises with one key (a redelivery racing the cron) queue here: the second sees the first's.
      await tx.exec`SELECT pg_advisory_xact_lock(hashtext(${`alert-source:${a.sourceKey}`}))`;
      const seen = await tx.queryRow<AlertRow>`SELECT a.* FROM alert_sources s JOIN alerts a ON a.id = s.alert_id WHERE s.source_key = ${a.sourceKey}`;
      if (seen) return { alert: toAlert(seen), outcome: "duplicate" as const, paged: 0 };
    }
    const at = new Date().toISOString();
    const created = await tx.queryRow<AlertRow>`
      INSERT INTO alerts (campaign_id, campaign_name, type, severity, title, message, data, channels, raised_by, incident_key, max_tier, escalate_at, history)
      VALUES (${a.campaignId}, ${a.campaignName}, ${a.type}, ${a.severity}, ${a.title}, ${a.message}, ${JSON.stringify(a.data)}::text::jsonb,
              ${JSON.stringify(a.channels)}::text::jsonb, ${a.raisedBy}, ${a.incidentKey}, ${a.maxTier}, ${a.escalateAt},
              ${entryJson({ at, event: "raised", type: a.type, severity: a.severity, title: a.title, by: a.raisedBy, paged: a.deliveries.length })}::text::jsonb)
      ON CONFLICT (incident_key) DO NOTHING
      RETURNING *`;
    let result: RaiseOutcome;
    if (created) {
      await insertDeliveries(tx, created.id, 1, a.deliveries);
      result = { alert: toAlert(created), outcome: "created", paged: a.deliveries.length };
    } else {
      const e = toAlert((await tx.queryRow<AlertRow>`SELECT * FROM alerts WHERE incident_key = ${a.incidentKey} FOR UPDATE`)!);
      const rose = SEVERITY_RANK[a.severity] > SEVERITY_RANK[e.severity];
      let deliveries: PlannedDelivery[] = [];
      let maxTier = e.maxTier;
      let escalateAt = e.escalateAt;
      // Who was actually paged (sent, or on the way) before: for them a new page is an UPDATE.
      const before = rose
        ? await tx.queryAll<{ channel: string; recipient: string }>`
            SELECT DISTINCT channel, recipient FROM alert_deliveries WHERE alert_id = ${e.id}::uuid AND status IN ('pending', 'sending', 'sent')`
        : [];
      const pagedBefore = new Set(before.map(recipientKey));
      if (rose && e.state === "open") {
        deliveries = a.deliveries;
        maxTier = a.maxTier;
        escalateAt = a.escalateAt;
        await tx.exec`UPDATE alert_deliveries SET status = 'cancelled', updated_at = now() WHERE alert_id = ${e.id}::uuid AND status = 'held'`;
      } else if (rose && e.state === "acknowledged") {
        deliveries = a.deliveries.filter((d) => !pagedBefore.has(recipientKey(d))).map((d) => ({ ...d, tier: 1 }));
      }
      const paged = deliveries.length > 0;
      const severity = rose ? a.severity : e.severity;
      const entry: HistoryEntry = { at, event: rose ? "severity_raised" : "updated", type: a.type, severity, title: a.title, paged: deliveries.length };
      const row = await tx.queryRow<AlertRow>`
        UPDATE alerts SET type = ${a.type}, severity = ${severity}, title = ${a.title}, message = ${a.message}, data = ${JSON.stringify(a.data)}::text::jsonb,
          channels = CASE WHEN ${paged} THEN ${JSON.stringify(a.channels)}::text::jsonb ELSE channels END,
          history = history || ${entryJson(entry)}::text::jsonb, updated_at = now(),
          wave = CASE WHEN ${paged} THEN wave + 1 ELSE wave END,
          tier = CASE WHEN ${paged} THEN 1 ELSE tier END,
          max_tier = ${maxTier}, escalate_at = ${escalateAt},
          status = CASE WHEN ${paged} THEN 'pending' ELSE status END,
          processed_at = CASE WHEN ${paged} THEN NULL ELSE processed_at END
        WHERE id = ${e.id}::uuid RETURNING *`;
      if (paged) await insertDeliveries(tx, e.id, row!.wave, deliveries, pagedBefore);
      result = { alert: toAlert(row!), outcome: paged ? "repaged" : "updated", paged: deliveries.length };
    }
    if (a.sourceKey) await tx.exec`INSERT INTO alert_sources (source_key, alert_id) VALUES (${a.sourceKey}, ${result.alert.id}::uuid)`;
    return result;
  });
}

export async function getAlert(id: string): Promise<Alert | null> {
  const row = await db.queryRow<AlertRow>`SELECT * FROM alerts WHERE id = ${id}::uuid`;
  return row ? toAlert(row) : null;
}

/** Records a publish: a pending alert becomes published (a settled one keeps its status). */
export async function markPublished(id: string): Promise<void> {
  await db.exec`
    UPDATE alerts SET published_at = now(), status = CASE WHEN status = 'pending' THEN 'published' ELSE status END
    WHERE id = ${id}::uuid`;
}

export async function listDeliveries(alertIds: string[]): Promise<Delivery[]> {
  if (alertIds.length === 0) return [];
  const rows = await all(db.query<DeliveryRow>`
    SELECT * FROM alert_deliveries WHERE alert_id = ANY(${alertIds}::uuid[]) ORDER BY tier, created_at, channel, recipient`);
  return rows.map(toDelivery);
}

/**
 * Claims the alert's due pending deliveries for sending: each row moves pending → sending (one
 * more attempt, leased for `leaseSeconds`) in one statement, so two handlers given the same message
 * never claim the same row. A 'sending' row whose lease ran out (its sender's fate unknown) is
 * claimed again, as the sweeper would.
 */
export async function claimDue(alertId: string, leaseSeconds: number, token: string): Promise<Delivery[]> {
  const rows = await all(db.query<DeliveryRow>`
    UPDATE alert_deliveries
    SET status = 'sending', attempts = attempts + 1, lease_until = now() + ${leaseSeconds}::int * interval '1 second', claim_token = ${token}::uuid, updated_at = now()
    WHERE alert_id = ${alertId}::uuid
      AND ((status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now()))
    RETURNING *`);
  return rows.map(toDelivery);
}

/** Puts back the rows claim `token` took (its answer was lost): pending again, the attempt given back. */
export async function unclaim(alertId: string, token: string): Promise<void> {
  await db.exec`
    UPDATE alert_deliveries SET status = 'pending', attempts = greatest(attempts - 1, 0), lease_until = NULL, updated_at = now()
    WHERE alert_id = ${alertId}::uuid AND claim_token = ${token}::uuid AND status = 'sending'`;
}

/** sending → sent. */
export async function markSent(id: string, providerMessageId: string | null): Promise<void> {
  await db.exec`
    UPDATE alert_deliveries SET status = 'sent', sent_at = now(), provider_message_id = ${providerMessageId}, last_error = NULL, lease_until = NULL, updated_at = now()
    WHERE id = ${id}::uuid AND status = 'sending'`;
}

/** sending → pending, to be tried again after `delayMs`. */
export async function markRetry(id: string, delayMs: number, error: string): Promise<void> {
  await db.exec`
    UPDATE alert_deliveries
    SET status = 'pending', next_attempt_at = now() + ${delayMs}::int * interval '1 millisecond', last_error = ${error}, lease_until = NULL, updated_at = now()
    WHERE id = ${id}::uuid AND status = 'sending'`;
}

/** sending → pending after a send that could not be tried: as markRetry, and the claim's attempt is given back. */
export async function markDeferred(id: string, delayMs: number, error: string): Promise<void> {
  await db.exec`
    UPDATE alert_deliveries
    SET status = 'pending', attempts = greatest(attempts - 1, 0), next_attempt_at = now() + ${delayMs}::int * interval '1 millisecond', last_error = ${error}, lease_until = NULL, updated_at = now()
    WHERE id = ${id}::uuid AND status = 'sending'`;
}

/** sending → failed (for good). */
export async function markFailed(id: string, error: string): Promise<void> {
  await db.exec`
    UPDATE alert_deliveries SET status = 'failed', last_error = ${error}, lease_until = NULL, updated_at = now()
    WHERE id = ${id}::uuid AND status = 'sending'`;
}

/** Marks a claimed delivery skipped (never sent): its recipient opted out. */
export async function markSkipped(id: string, reason: string): Promise<void> {
  await db.exec`
    UPDATE alert_deliveries SET status = 'skipped', last_error = ${reason}, lease_until = NULL, updated_at = now()
    WHERE id = ${id}::uuid AND status = 'sending'`;
}

/** The status and next attempt of each of an alert's deliveries. */
export async function deliveryStates(alertId: string): Promise<{ status: DeliveryStatus; nextAttemptAt: Date }[]> {
  return db.queryAll<{
    status: DeliveryStatus;
    nextAttemptAt: Date;
  }>`SELECT status, next_attempt_at AS "nextAttemptAt" FROM alert_deliveries WHERE alert_id = ${alertId}::uuid`;
}

/** Records that every delivery of the alert's current tiers settled. */
export async function settleAlert(id: string, status: "delivered" | "partial" | "failed" | "no_contacts" | "below_threshold"): Promise<void> {
  await db.exec`UPDATE alerts SET status = ${status}, processed_at = now() WHERE id = ${id}::uuid`;
}

/** A page of alerts, newest first: of the given campaigns (null: all), optionally one campaign and one status. */
export async function listAlerts(q: {
  campaignIds: string[] | null;
  campaignId: string | null;
  status: AlertStatus | null;
  state?: IncidentState | null;
  offset: number;
  limit: number;
}): Promise<{ alerts: Alert[]; total: number }> {
  const state = q.state ?? null;
  const all_ = q.campaignIds === null;
  const ids = q.campaignIds ?? [];
  const rows = await all(db.query<AlertRow & { total: number }>`
    SELECT *, count(*) OVER ()::int AS total FROM alerts
    WHERE (${all_} OR campaign_id = ANY(${ids}::uuid[]))
      AND (${q.campaignId}::uuid IS NULL OR campaign_id = ${q.campaignId}::uuid)
      AND (${q.status}::text IS NULL OR status = ${q.status})
      AND (${state}::text IS NULL OR state = ${state})
    ORDER BY created_at DESC, id
    OFFSET ${q.offset} LIMIT ${q.limit}`);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && q.offset > 0) {
    const c = await db.queryRow<{ n: number }>`
      SELECT count(*)::int AS n FROM alerts
      WHERE (${all_} OR campaign_id = ANY(${ids}::uuid[]))
        AND (${q.campaignId}::uuid IS NULL OR campaign_id = ${q.campaignId}::uuid)
        AND (${q.status}::text IS NULL OR status = ${q.status})
        AND (${state}::text IS NULL OR state = ${state})`;
    total = c?.n ?? 0;
  }
  return { alerts: rows.map(toAlert), total };
}

/** Who acknowledged, and how. */
export interface Acknowledger {
  /** A user id, or "sms:+1…", "email:…" for acknowledgements by reply or link. */
  by: string;
  via: "api" | "sms" | "whatsapp" | "link";
  /** The person's name when known (the contact's). */
  name: string | null;
}

/**
 * Acknowledges an open incident once: the first acknowledgement stands, and the held (escalation)
 * deliveries are cancelled with it. Returns the incident as it now is and how many were cancelled.
 */
export async function acknowledge(id: string, who: Acknowledger): Promise<{ alert: Alert; acknowledgedNow: boolean; cancelled: number } | null> {
  // The entry's type and severity are the incident's own, added in SQL.
  const entry: Omit<HistoryEntry, "type" | "severity"> = { at: new Date().toISOString(), event: "acknowledged", by: who.by, via: who.via };
  const r = await changeIncident(
    id,
    (tx) => tx.queryRow<AlertRow>`
      UPDATE alerts SET acknowledged_at = now(), acknowledged_by = ${who.by}, acknowledged_via = ${who.via}, acknowledged_name = ${who.name},
        escalate_at = NULL, state = 'acknowledged', updated_at = now(),
        history = history || jsonb_build_array(${JSON.stringify(entry)}::text::jsonb || jsonb_build_object('type', type, 'severity', severity))
      WHERE id = ${id}::uuid AND acknowledged_at IS NULL AND state = 'open' RETURNING *`,
  );
  return r && { alert: r.alert, acknowledgedNow: r.changed, cancelled: r.cancelled };
}

/**
 * Closes an incident (resolved or a false alarm) with a reason, once: escalation stops (held
 * deliveries cancelled). Returns the incident and whether this call closed it.
 */
export async function closeIncident(
  id: string,
  state: "resolved" | "false_alarm",
  by: string,
  reason: string,
): Promise<{ alert: Alert; closedNow: boolean; cancelled: number } | null> {
  const entry: Omit<HistoryEntry, "type" | "severity"> = { at: new Date().toISOString(), event: state, by, reason };
  const r = await changeIncident(
    id,
    (tx) => tx.queryRow<AlertRow>`
      UPDATE alerts SET state = ${state}, closed_at = now(), closed_by = ${by}, close_reason = ${reason}, escalate_at = NULL, updated_at = now(),
        history = history || jsonb_build_array(${JSON.stringify(entry)}::text::jsonb || jsonb_build_object('type', type, 'severity', severity))
      WHERE id = ${id}::uuid AND state IN ('open', 'acknowledged') RETURNING *`,
  );
  return r && { alert: r.alert, closedNow: r.changed, cancelled: r.cancelled };
}

/**
 * A person's change to an incident, once: `update` (an UPDATE … RETURNING * that matches only while
 * the change still applies) and, when it applied, the held deliveries cancelled (escalation stops).
 * When it no longer applies: the incident as it is, unchanged. Null for an unknown incident.
 */
async function changeIncident(
  id: string,
  update: (tx: Transaction) => Promise<AlertRow | null>,
): Promise<{ alert: Alert; changed: boolean; cancelled: number } | null> {
  return inTransaction(db, async (tx) => {
    const row = await update(tx);
    if (!row) {
      const existing = await tx.queryRow<AlertRow>`SELECT * FROM alerts WHERE id = ${id}::uuid`;
      return existing ? { alert: toAlert(existing), changed: false, cancelled: 0 } : null;
    }
    const c = await tx.queryRow<{ n: number }>`
      WITH c AS (UPDATE alert_deliveries SET status = 'cancelled', updated_at = now() WHERE alert_id = ${id}::uuid AND status = 'held' RETURNING 1)
      SELECT count(*)::int AS n FROM c`;
    return { alert: toAlert(row), changed: true, cancelled: c?.n ?? 0 };
  });
}

/** The incidents that paged a phone number by SMS or WhatsApp (sent or being sent), newest first, with the name it was paged under. */
export async function incidentsPaging(address: string): Promise<{ alert: Alert; recipientName: string; channel: Channel }[]> {
  const rows = await db.queryAll<AlertRow & { d_name: string; d_channel: Channel }>`
    SELECT DISTINCT ON (a.created_at, a.id) a.*, d.recipient_name AS d_name, d.channel AS d_channel
    FROM alerts a JOIN alert_deliveries d ON d.alert_id = a.id
    WHERE d.channel IN ('SMS', 'WHATSAPP') AND d.recipient = ${address} AND d.status IN ('sent', 'sending')
    ORDER BY a.created_at DESC, a.id, d.wave DESC
    LIMIT 50`;
  return rows.map((r) => ({ alert: toAlert(r), recipientName: r.d_name, channel: r.d_channel }));
}

export async function getDelivery(id: string): Promise<Delivery | null> {
  const row = await db.queryRow<DeliveryRow>`SELECT * FROM alert_deliveries WHERE id = ${id}::uuid`;
  return row ? toDelivery(row) : null;
}

/** The recipients with digest deliveries due (their quiet hours over). */
export async function digestRecipients(): Promise<{ channel: Channel; recipient: string }[]> {
  return db.queryAll<{ channel: Channel; recipient: string }>`
    SELECT DISTINCT channel, recipient FROM alert_deliveries WHERE status = 'digest' AND next_attempt_at <= now() LIMIT 1000`;
}

/** Claims a recipient's due digest deliveries (digest → sending, one more attempt, leased), oldest first. */
export async function claimDigest(channel: Channel, recipient: string, leaseSeconds: number): Promise<Delivery[]> {
  const rows = await db.queryAll<DeliveryRow>`
    UPDATE alert_deliveries
    SET status = 'sending', attempts = attempts + 1, lease_until = now() + ${leaseSeconds}::int * interval '1 second', updated_at = now()
    WHERE status = 'digest' AND channel = ${channel} AND recipient = ${recipient} AND next_attempt_at <= now()
    RETURNING *`;
  return rows.map(toDelivery).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
}

/** sending → digest again (the digest failed; the next run tries again). */
export async function releaseDigest(id: string, error: string): Promise<void> {
  await db.exec`UPDATE alert_deliveries SET status = 'digest', last_error = ${error}, lease_until = NULL, updated_at = now() WHERE id = ${id}::uuid AND status = 'sending'`;
}

/** Uses a delivery's acknowledgement link: true the first time only. */
export async function useAckLink(deliveryId: string): Promise<boolean> {
  const row = await db.queryRow<{
    id: string;
  }>`UPDATE alert_deliveries SET link_used_at = now() WHERE id = ${deliveryId}::uuid AND link_used_at IS NULL RETURNING id`;
  return row !== null;
}

/**
 * Escalates one due alert (unacknowledged, escalate_at passed, a tier left): its tier goes up by
 * one, that tier's held deliveries become pending, the alert becomes 'pending' (to be published),
 * and the next escalation is scheduled `delaySeconds` later when a tier remains. Guarded by the
 * tier it read, so two runs never escalate twice. Returns the escalated alert, or null.
 */
export async function escalateNext(delaySeconds: number): Promise<Alert | null> {
  const tx = await db.begin();
  try {
    const row = await tx.queryRow<AlertRow>`
      UPDATE alerts a SET tier = a.tier + 1, status = 'pending', processed_at = NULL, updated_at = now(),
        escalate_at = CASE WHEN a.tier + 1 < a.max_tier THEN now() + ${delaySeconds}::int * interval '1 second' ELSE NULL END,
        history = a.history || jsonb_build_array(jsonb_build_object('at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'event', 'escalated', 'type', a.type, 'severity', a.severity, 'by', 'system'))
      WHERE a.id = (
        SELECT id FROM alerts WHERE acknowledged_at IS NULL AND state = 'open' AND escalate_at IS NOT NULL AND escalate_at <= now() AND tier < max_tier
        ORDER BY escalate_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING a.*`;
    if (row) {
      await tx.exec`
        UPDATE alert_deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()
        WHERE alert_id = ${row.id}::uuid AND status = 'held' AND tier = ${row.tier}`;
    }
    await tx.commit();
    return row ? toAlert(row) : null;
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
}

/** Deliveries whose sender's lease ran out (its process died mid-send) go back to pending; returns their alerts. */
export async function reclaimStale(): Promise<{ reclaimed: number; alertIds: string[] }> {
  const rows = await all(db.query<{ alert_id: string }>`
    UPDATE alert_deliveries SET status = 'pending', next_attempt_at = now(), lease_until = NULL, updated_at = now()
    WHERE status = 'sending' AND lease_until < now()
    RETURNING alert_id`);
  return { reclaimed: rows.length, alertIds: [...new Set(rows.map((r) => r.alert_id))] };
}

/**
 * Alerts to publish again: persisted but never published for `graceSeconds` (a crash between the
 * commit and the publish), or published long ago (`stuckSeconds`) with deliveries still pending
 * and due (their messages ran out of retries).
 */
export async function needingPublish(graceSeconds: number, stuckSeconds: number): Promise<string[]> {
  const rows = await all(db.query<{ id: string }>`
    SELECT id FROM alerts WHERE status = 'pending' AND coalesce(published_at, created_at) <= now() - ${graceSeconds}::int * interval '1 second'
    UNION
    SELECT DISTINCT a.id FROM alerts a JOIN alert_deliveries d ON d.alert_id = a.id
    WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND a.published_at <= now() - ${stuckSeconds}::int * interval '1 second'
    LIMIT 500`);
  return rows.map((r) => r.id);
}

// --- retention and erasure (shared/retention.ts) ---

/** Deletes alerts created before `before` and their deliveries (the `alerts` retention class); returns the rows deleted. */
export async function purgeAlerts(before: Date): Promise<number> {
  return inTransaction(db, async (tx) => {
    const deliveries = await tx.queryRow<{ n: number }>`
      WITH gone AS (DELETE FROM alert_deliveries d USING alerts a WHERE d.alert_id = a.id AND a.created_at < ${before} RETURNING 1)
      SELECT count(*)::int AS n FROM gone`;
    const alerts = await tx.queryRow<{ n: number }>`
      WITH gone AS (DELETE FROM alerts WHERE created_at < ${before} RETURNING 1) SELECT count(*)::int AS n FROM gone`;
    return (deliveries?.n ?? 0) + (alerts?.n ?? 0);
  });
}

/** Erases a person from alerting: deliveries addressed to any of their addresses lose address and name; their user id leaves the alerts they raised or acknowledged. */
export async function eraseRecipient(userId: string, addresses: string[]): Promise<{ deliveries: number; alertActors: number }> {
  const lowered = addresses.map((a) => a.trim().toLowerCase()).filter(Boolean);
  const deliveries = lowered.length
    ? await db.queryRow<{ n: number }>`
        WITH changed AS (
          UPDATE alert_deliveries SET recipient = 'erased:' || id::text, recipient_name = '', updated_at = now()
          WHERE lower(recipient) = ANY(${lowered}::text[]) RETURNING 1
        ) SELECT count(*)::int AS n FROM changed`
    : { n: 0 };
  // Acknowledgements by reply or link name the channel and address ("sms:+1…", "email:…").
  const actorsOf = [userId, ...lowered.flatMap((a) => ["sms", "whatsapp", "email", "slack"].map((c) => `${c}:${a}`))];
  const actors = await db.queryRow<{ n: number }>`
    WITH changed AS (
      UPDATE alerts SET raised_by = CASE WHEN raised_by = ANY(${actorsOf}::text[]) THEN 'erased' ELSE raised_by END,
                        acknowledged_by = CASE WHEN lower(acknowledged_by) = ANY(${actorsOf}::text[]) THEN 'erased' ELSE acknowledged_by END,
                        acknowledged_name = CASE WHEN lower(acknowledged_by) = ANY(${actorsOf}::text[]) THEN NULL ELSE acknowledged_name END,
                        closed_by = CASE WHEN closed_by = ${userId} THEN 'erased' ELSE closed_by END,
                        history = (SELECT coalesce(jsonb_agg(CASE WHEN lower(e->>'by') = ANY(${actorsOf}::text[]) THEN e || '{"by":"erased"}'::jsonb ELSE e END ORDER BY i), '[]'::jsonb)
                                   FROM jsonb_array_elements(history) WITH ORDINALITY AS h(e, i))
      WHERE raised_by = ${userId} OR lower(acknowledged_by) = ANY(${actorsOf}::text[]) OR closed_by = ${userId}
         OR EXISTS (SELECT 1 FROM jsonb_array_elements(history) e WHERE lower(e->>'by') = ANY(${actorsOf}::text[]))
      RETURNING 1
    ) SELECT count(*)::int AS n FROM changed`;
  return { deliveries: deliveries?.n ?? 0, alertActors: actors?.n ?? 0 };
}

/** How many deliveries are addressed to any of these addresses (erasure checks). */
export async function deliveriesTo(addresses: string[]): Promise<number> {
  const lowered = addresses.map((a) => a.trim().toLowerCase());
  const row = await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM alert_deliveries WHERE lower(recipient) = ANY(${lowered}::text[])`;
  return row?.n ?? 0;
}

/** Incidents in the open state (not acknowledged, resolved or marked a false alarm), for the metric. */
export async function countOpenIncidents(): Promise<number> {
  const row = await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM alerts WHERE state = 'open'`;
  return row?.n ?? 0;
}
