// integrations' SQL: the only file that talks to integrations' database.
import type { CallRecord } from "./clients/http";
import { db } from "./db";
import type { BreakerSnapshot, CircuitState } from "../shared/resilience";

/** Appends one attempt to the call log. */
export async function logCall(c: CallRecord): Promise<void> {
  await db.exec`
    INSERT INTO api_calls (provider, method, path, status, duration_ms, error)
    VALUES (${c.provider}, ${c.method}, ${c.path}, ${c.status}, ${c.durationMs}, ${c.error})`;
}

/** Counts of the call log per provider since `since` (for health). */
export async function callStats(since: Date): Promise<Map<string, { calls: number; failures: number }>> {
  const out = new Map<string, { calls: number; failures: number }>();
  for await (const r of db.query<{ provider: string; calls: number; failures: number }>`
    SELECT provider, count(*)::int AS calls, count(*) FILTER (WHERE error IS NOT NULL)::int AS failures
    FROM api_calls WHERE called_at >= ${since} GROUP BY provider`) {
    out.set(r.provider, { calls: r.calls, failures: r.failures });
  }
  return out;
}

/** Saves a provider's circuit. */
export async function saveCircuit(provider: string, s: BreakerSnapshot): Promise<void> {
  const openedAt = s.openedAt === null ? null : new Date(s.openedAt);
  await db.exec`
    INSERT INTO circuit_state (provider, state, consecutive_failures, opened_at, last_error, updated_at)
    VALUES (${provider}, ${s.state}, ${s.consecutiveFailures}, ${openedAt}, ${s.lastError}, now())
    ON CONFLICT (provider) DO UPDATE SET state = EXCLUDED.state, consecutive_failures = EXCLUDED.consecutive_failures,
      opened_at = EXCLUDED.opened_at, last_error = EXCLUDED.last_error, updated_at = now()`;
}

/** Every saved circuit. */
export async function loadCircuits(): Promise<Map<string, BreakerSnapshot>> {
  const out = new Map<string, BreakerSnapshot>();
  for await (const r of db.query<{ provider: string; state: CircuitState; consecutive_failures: number; opened_at: Date | null; last_error: string | null }>`
    SELECT provider, state, consecutive_failures, opened_at, last_error FROM circuit_state`) {
    out.set(r.provider, { state: r.state, consecutiveFailures: r.consecutive_failures, openedAt: r.opened_at?.getTime() ?? null, lastError: r.last_error });
  }
  return out;
}

/** A sent (or in-flight) message. */
export interface MessageRow {
  idempotencyKey: string;
  channel: "sms" | "whatsapp";
  status: string;
  sid: string | null;
  /** The addresses and text fingerprint the claim was taken for (null on rows from before they were kept). */
  toAddress: string | null;
  fromAddress: string | null;
  bodySha256: string | null;
  /** When the claim was first taken. */
  createdAt: Date;
  updatedAt: Date;
}

/** What a claim records of the message it guards. */
export interface ClaimedMessage {
  channel: "sms" | "whatsapp";
  to: string;
  from: string;
  bodySha256: string;
  /** A token of the claiming call: only it releases the claim. */
  owner: string;
}

/**
 * Claims an idempotency key for a send: true when this call inserted it (and must send), false
 * when a row exists (read it with `getMessage`).
 */
export async function claimMessage(key: string, m: ClaimedMessage): Promise<boolean> {
  const row = await db.queryRow<{ idempotency_key: string }>`
    INSERT INTO messages (idempotency_key, channel, status, to_address, from_address, body_sha256, claim_owner)
    VALUES (${key}, ${m.channel}, 'sending', ${m.to}, ${m.from}, ${m.bodySha256}, ${m.owner})
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`;
  return row !== null;
}

/** Re-claims a stale 'sending' row (its sender died) for `owner`: true when this caller won it. */
export async function reclaimStaleMessage(key: string, olderThan: Date, owner: string): Promise<boolean> {
  const row = await db.queryRow<{ idempotency_key: string }>`
    UPDATE messages SET updated_at = now(), claim_owner = ${owner} WHERE idempotency_key = ${key} AND status = 'sending' AND sid IS NULL AND updated_at < ${olderThan}
    RETURNING idempotency_key`;
  return row !== null;
}

export async function getMessage(key: string): Promise<MessageRow | null> {
  const r = await db.queryRow<{
    idempotency_key: string;
    channel: "sms" | "whatsapp";
    status: string;
    sid: string | null;
    to_address: string | null;
    from_address: string | null;
    body_sha256: string | null;
    created_at: Date;
    updated_at: Date;
  }>`
    SELECT idempotency_key, channel, status, sid, to_address, from_address, body_sha256, created_at, updated_at FROM messages WHERE idempotency_key = ${key}`;
  return (
    r && {
      idempotencyKey: r.idempotency_key,
      channel: r.channel,
      status: r.status,
      sid: r.sid,
      toAddress: r.to_address,
      fromAddress: r.from_address,
      bodySha256: r.body_sha256,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }
  );
}

/** Records Twilio's answer to a send. */
export async function messageSent(key: string, sid: string, status: string): Promise<void> {
  await db.exec`UPDATE messages SET sid = ${sid}, status = ${status}, updated_at = now() WHERE idempotency_key = ${key}`;
}

/** Releases `owner`'s claim whose send certainly did not happen, so a later attempt may send. */
export async function releaseMessage(key: string, owner: string): Promise<void> {
  await db.exec`DELETE FROM messages WHERE idempotency_key = ${key} AND sid IS NULL AND claim_owner = ${owner}`;
}

/** Records a verified status callback and moves the message to that status. */
export async function recordStatus(sid: string, status: string, errorCode: string | null): Promise<void> {
  await db.exec`INSERT INTO message_statuses (sid, status, error_code) VALUES (${sid}, ${status}, ${errorCode})`;
  await db.exec`UPDATE messages SET status = ${status}, error_code = ${errorCode}, updated_at = now() WHERE sid = ${sid}`;
}

/** The statuses Twilio reported for a message, oldest first. */
export async function statusesOf(sid: string): Promise<string[]> {
  const out: string[] = [];
  for await (const r of db.query<{ status: string }>`SELECT status FROM message_statuses WHERE sid = ${sid} ORDER BY id`) out.push(r.status);
  return out;
}

/** A poller's position in one campaign's feed, null before the first poll. */
export async function getCursor<T>(provider: string, campaignId: string): Promise<T | null> {
  const r = await db.queryRow<{ position: T | null }>`SELECT position FROM cursors WHERE provider = ${provider} AND campaign_id = ${campaignId}`;
  return r?.position ?? null;
}

/**
 * Takes the lease on one feed if it is due (not polled for `intervalMs`) and nobody holds it;
 * true when this caller may poll now. The lease expires by itself after `leaseMs` (a crashed poller).
 */
export async function leaseFeed(provider: string, campaignId: string, intervalMs: number, leaseMs: number): Promise<boolean> {
  // Times on the database's clock only: processes' clocks may disagree.
  const interval = Math.max(0, intervalMs) / 1000;
  const lease = leaseMs / 1000;
  const r = await db.queryRow<{ provider: string }>`
    INSERT INTO cursors (provider, campaign_id, position, lease_until)
    VALUES (${provider}, ${campaignId}, NULL, now() + make_interval(secs => ${lease}))
    ON CONFLICT (provider, campaign_id) DO UPDATE SET lease_until = EXCLUDED.lease_until
      WHERE (cursors.lease_until IS NULL OR cursors.lease_until < now())
        AND (cursors.last_polled_at IS NULL OR cursors.last_polled_at <= now() - make_interval(secs => ${interval}))
    RETURNING provider`;
  return r !== null;
}

/** Records a finished poll (and the new position, when there is one) and frees the lease. */
export async function finishPoll(provider: string, campaignId: string, position: unknown | null): Promise<void> {
  if (position === null) {
    await db.exec`UPDATE cursors SET last_polled_at = now(), lease_until = NULL WHERE provider = ${provider} AND campaign_id = ${campaignId}`;
  } else {
    await db.exec`UPDATE cursors SET position = ${position as object}, last_polled_at = now(), lease_until = NULL
      WHERE provider = ${provider} AND campaign_id = ${campaignId}`;
  }
}

/** Moves a feed's cursor mid-poll (after each delivered batch), keeping the lease. */
export async function moveCursor(provider: string, campaignId: string, position: unknown): Promise<void> {
  await db.exec`UPDATE cursors SET position = ${position as object} WHERE provider = ${provider} AND campaign_id = ${campaignId}`;
}

/** Frees a lease after a failed poll without moving the cursor (the next run retries the same window). */
export async function abandonPoll(provider: string, campaignId: string): Promise<void> {
  await db.exec`UPDATE cursors SET lease_until = NULL WHERE provider = ${provider} AND campaign_id = ${campaignId}`;
}

/** Which of these Twilio sids are already recorded for a send. */
export async function sidsInUse(sids: string[]): Promise<Set<string>> {
  if (sids.length === 0) return new Set();
  const rows = await db.queryAll<{ sid: string }>`SELECT sid FROM messages WHERE sid = ANY(${sids})`;
  return new Set(rows.map((r) => r.sid));
}
