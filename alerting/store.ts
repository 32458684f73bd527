// alerting's SQL: the only file that talks to alerting's database. Rows come back as domain types.
import { db } from "./db";
import { inTransaction } from "../shared/sql";
import type { AlertType, Channel, PlannedDelivery, Severity } from "./domain/alert";
import type { AlertChannel } from "./events";

export type AlertStatus = "pending" | "published" | "delivered" | "partial" | "failed";
export type DeliveryStatus = "held" | "pending" | "sending" | "sent" | "failed" | "cancelled" | "skipped";

/** An alert as stored. */
export interface Alert {
  id: string;
  /** null: an ad-hoc alert to listed recipients, of no campaign. */
  campaignId: string | null;
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
}

interface AlertRow {
  id: string;
  campaign_id: string | null;
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
});

async function all<T>(rows: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** A new alert and its deliveries, as the raise writes them. */
export interface NewAlert extends Pick<Alert, "campaignId" | "type" | "severity" | "title" | "message" | "data" | "channels" | "raisedBy" | "maxTier"> {
  sourceKey: string | null;
  /** When tier 2 is reached unless acknowledged (null: no escalation). */
  escalateAt: Date | null;
  deliveries: PlannedDelivery[];
}

/**
 * Stores an alert and one delivery per channel and recipient in one transaction (tier 1 pending,
 * later tiers held for escalation), status 'pending' until published. With a source key that
 * already raised an alert, nothing is written and that alert is returned.
 */
export async function createAlert(a: NewAlert): Promise<{ alert: Alert; created: boolean }> {
  const tx = await db.begin();
  try {
    const row = await tx.queryRow<AlertRow>`
      INSERT INTO alerts (campaign_id, type, severity, title, message, data, channels, raised_by, source_key, max_tier, escalate_at)
      VALUES (${a.campaignId}, ${a.type}, ${a.severity}, ${a.title}, ${a.message}, ${JSON.stringify(a.data)}::text::jsonb,
              ${JSON.stringify(a.channels)}::text::jsonb, ${a.raisedBy}, ${a.sourceKey}, ${a.maxTier}, ${a.escalateAt})
      ON CONFLICT (source_key) DO NOTHING
      RETURNING *`;
    if (!row) {
      await tx.rollback();
      const existing = await db.queryRow<AlertRow>`SELECT * FROM alerts WHERE source_key = ${a.sourceKey}`;
      return { alert: toAlert(existing!), created: false };
    }
    for (const d of a.deliveries) {
      const status: DeliveryStatus = d.tier === 1 ? "pending" : "held";
      await tx.exec`
        INSERT INTO alert_deliveries (alert_id, channel, recipient, recipient_name, tier, status)
        VALUES (${row.id}, ${d.channel}, ${d.recipient}, ${d.recipientName}, ${d.tier}, ${status})
        ON CONFLICT (alert_id, channel, recipient) DO NOTHING`;
    }
    await tx.commit();
    return { alert: toAlert(row), created: true };
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
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
 * never claim the same row.
 */
export async function claimDue(alertId: string, leaseSeconds: number): Promise<Delivery[]> {
  const rows = await all(db.query<DeliveryRow>`
    UPDATE alert_deliveries
    SET status = 'sending', attempts = attempts + 1, lease_until = now() + ${leaseSeconds}::int * interval '1 second', updated_at = now()
    WHERE alert_id = ${alertId}::uuid AND status = 'pending' AND next_attempt_at <= now()
    RETURNING *`);
  return rows.map(toDelivery);
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

/** The statuses of an alert's deliveries. */
export async function deliveryStatuses(alertId: string): Promise<DeliveryStatus[]> {
  const rows = await all(db.query<{ status: DeliveryStatus }>`SELECT status FROM alert_deliveries WHERE alert_id = ${alertId}::uuid`);
  return rows.map((r) => r.status);
}

/** Records that every delivery of the alert's current tiers settled. */
export async function settleAlert(id: string, status: "delivered" | "partial" | "failed"): Promise<void> {
  await db.exec`UPDATE alerts SET status = ${status}, processed_at = now() WHERE id = ${id}::uuid`;
}

/**
 * A page of alerts, newest first: of the given campaigns (null: all) plus the ad-hoc alerts (of no
 * campaign) `raisedBy` raised, optionally one campaign and one status.
 */
export async function listAlerts(q: { campaignIds: string[] | null; campaignId: string | null; status: AlertStatus | null; offset: number; limit: number; raisedBy?: string }): Promise<{ alerts: Alert[]; total: number }> {
  const all_ = q.campaignIds === null;
  const ids = q.campaignIds ?? [];
  const raiser = q.raisedBy ?? null;
  const rows = await all(db.query<AlertRow & { total: number }>`
    SELECT *, count(*) OVER ()::int AS total FROM alerts
    WHERE (${all_} OR campaign_id = ANY(${ids}::uuid[]) OR (campaign_id IS NULL AND raised_by = ${raiser}::text))
      AND (${q.campaignId}::uuid IS NULL OR campaign_id = ${q.campaignId}::uuid)
      AND (${q.status}::text IS NULL OR status = ${q.status})
    ORDER BY created_at DESC, id
    OFFSET ${q.offset} LIMIT ${q.limit}`);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && q.offset > 0) {
    const c = await db.queryRow<{ n: number }>`
      SELECT count(*)::int AS n FROM alerts
      WHERE (${all_} OR campaign_id = ANY(${ids}::uuid[]) OR (campaign_id IS NULL AND raised_by = ${raiser}::text))
        AND (${q.campaignId}::uuid IS NULL OR campaign_id = ${q.campaignId}::uuid)
        AND (${q.status}::text IS NULL OR status = ${q.status})`;
    total = c?.n ?? 0;
  }
  return { alerts: rows.map(toAlert), total };
}

/**
 * Acknowledges an alert once: the first acknowledgement stands, and the held (escalation)
 * deliveries are cancelled with it. Returns the alert as it now is and how many were cancelled.
 */
export async function acknowledge(id: string, userId: string): Promise<{ alert: Alert; acknowledgedNow: boolean; cancelled: number } | null> {
  const tx = await db.begin();
  try {
    const row = await tx.queryRow<AlertRow>`
      UPDATE alerts SET acknowledged_at = now(), acknowledged_by = ${userId}, escalate_at = NULL
      WHERE id = ${id}::uuid AND acknowledged_at IS NULL RETURNING *`;
    let cancelled = 0;
    if (row) {
      const c = await tx.queryRow<{ n: number }>`
        WITH c AS (UPDATE alert_deliveries SET status = 'cancelled', updated_at = now() WHERE alert_id = ${id}::uuid AND status = 'held' RETURNING 1)
        SELECT count(*)::int AS n FROM c`;
      cancelled = c?.n ?? 0;
    }
    await tx.commit();
    if (row) return { alert: toAlert(row), acknowledgedNow: true, cancelled };
    const existing = await getAlert(id);
    return existing ? { alert: existing, acknowledgedNow: false, cancelled: 0 } : null;
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
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
      UPDATE alerts a SET tier = a.tier + 1, status = 'pending', processed_at = NULL,
        escalate_at = CASE WHEN a.tier + 1 < a.max_tier THEN now() + ${delaySeconds}::int * interval '1 second' ELSE NULL END
      WHERE a.id = (
        SELECT id FROM alerts WHERE acknowledged_at IS NULL AND escalate_at IS NOT NULL AND escalate_at <= now() AND tier < max_tier
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
  const actors = await db.queryRow<{ n: number }>`
    WITH changed AS (
      UPDATE alerts SET raised_by = CASE WHEN raised_by = ${userId} THEN 'erased' ELSE raised_by END,
                        acknowledged_by = CASE WHEN acknowledged_by = ${userId} THEN 'erased' ELSE acknowledged_by END
      WHERE raised_by = ${userId} OR acknowledged_by = ${userId} RETURNING 1
    ) SELECT count(*)::int AS n FROM changed`;
  return { deliveries: deliveries?.n ?? 0, alertActors: actors?.n ?? 0 };
}

/** How many deliveries are addressed to any of these addresses (erasure checks). */
export async function deliveriesTo(addresses: string[]): Promise<number> {
  const lowered = addresses.map((a) => a.trim().toLowerCase());
  const row = await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM alert_deliveries WHERE lower(recipient) = ANY(${lowered}::text[])`;
  return row?.n ?? 0;
}
