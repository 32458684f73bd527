// compliance's SQL: the only file that talks to compliance's database.
import type { Transaction } from "encore.dev/storage/sqldb";
import { inTransaction } from "../shared/sql";
import { db } from "./db";
import { detailsHash, entryHash, GENESIS_HASH, type StoredEntry } from "./domain/chain";
import { campaignOf } from "./domain/events";
import type { AuditEvent } from "./events";
import { isUuid } from "../shared/ids";

// Every append takes this transaction-scoped lock: one writer at a time, so the chain has one
// order (seq) even with several consumers in several processes.
const CHAIN_LOCK = "war-room:compliance:audit-chain";

interface Head {
  seq: number;
  hash: string;
}

async function readHead(tx: Transaction): Promise<Head | null> {
  const row = await tx.queryRow<{ seq: string; hash: string }>`SELECT seq::text AS seq, hash FROM audit_chain_head`;
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

async function writeHead(tx: Transaction, head: Head): Promise<void> {
  await tx.exec`
    INSERT INTO audit_chain_head (singleton, seq, hash) VALUES (true, ${head.seq}, ${head.hash})
    ON CONFLICT (singleton) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash`;
}

interface LogRow {
  seq: string;
  chain_seq: string | null;
  id: string;
  occurred_at: Date;
  recorded_at: Date;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string;
  request_id: string;
  service: string;
  campaign_id: string | null;
  details_hash: string | null;
  prev_hash: string | null;
  hash: string | null;
  user_submitted: boolean;
  details: Record<string, unknown> | null;
}

/**
 * Chains every row not yet chained, in arrival order, after the current head, in batches of 5,000
 * (one UPDATE per batch). Runs under the chain lock: one chainer at a time.
 */
async function chainPending(tx: Transaction, head: Head | null): Promise<Head | null> {
  let current = head;
  for (;;) {
    const rows: LogRow[] = [];
    for await (const r of tx.query<LogRow>`
      SELECT l.seq::text AS seq, l.id, l.occurred_at, l.actor_id, l.action, l.target_type, l.target_id, l.request_id,
             l.service, l.campaign_id, l.details_hash, l.user_submitted, d.details
      FROM audit_log l LEFT JOIN audit_details d ON d.log_id = l.id
      WHERE l.chain_seq IS NULL ORDER BY l.seq LIMIT 5000`)
      rows.push(r);
    if (rows.length === 0) return current;
    const links: { id: string; chain_seq: number; campaign_id: string | null; details_hash: string; prev_hash: string; hash: string }[] = [];
    for (const r of rows) {
      const event = toEvent(r);
      const entry = {
        ...event,
        seq: (current?.seq ?? 0) + 1,
        campaignId: r.campaign_id ?? campaignOf(r.target_type, r.target_id, event.details),
        detailsHash: r.details_hash ?? detailsHash(event.details),
        userSubmitted: r.user_submitted,
      };
      const prevHash = current?.hash ?? GENESIS_HASH;
      const hash = entryHash(entry, prevHash);
      links.push({ id: entry.id, chain_seq: entry.seq, campaign_id: entry.campaignId, details_hash: entry.detailsHash, prev_hash: prevHash, hash });
      current = { seq: entry.seq, hash };
    }
    await tx.exec`
      UPDATE audit_log l
      SET chain_seq = x.chain_seq, campaign_id = x.campaign_id, details_hash = x.details_hash, prev_hash = x.prev_hash, hash = x.hash
      FROM jsonb_to_recordset(${JSON.stringify(links)}::text::jsonb) AS x(id uuid, chain_seq bigint, campaign_id text, details_hash text, prev_hash text, hash text)
      WHERE l.id = x.id`;
    await tx.exec`
      UPDATE audit_details d SET chain_seq = x.chain_seq
      FROM jsonb_to_recordset(${JSON.stringify(links)}::text::jsonb) AS x(id uuid, chain_seq bigint)
      WHERE d.log_id = x.id`;
  }
}

/** Chains whatever is pending (under the chain lock) and moves the head. */
async function chainAll(): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.exec`SELECT pg_advisory_xact_lock(hashtext(${CHAIN_LOCK}))`;
    const before = await readHead(tx);
    const head = await chainPending(tx, before);
    if (head && (head.seq !== before?.seq || head.hash !== before?.hash)) await writeHead(tx, head);
  });
}

/** An event ready to append: its details as plain JSON. */
interface Pending {
  event: AuditEvent;
  occurredAt: Date;
  details: Record<string, unknown>;
  userSubmitted: boolean;
  resolve: (stored: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Appends a batch in one transaction under the chain lock: skips ids already stored (redeliveries),
 * chains the new events after the head in batch order, inserts them and their details, moves the
 * head. Returns, per event, whether it was stored now.
 */
async function writeBatch(batch: Pending[]): Promise<boolean[]> {
  return inTransaction(db, async (tx) => {
    await tx.exec`SELECT pg_advisory_xact_lock(hashtext(${CHAIN_LOCK}))`;
    const before = await readHead(tx);
    let head = await chainPending(tx, before);
    const ids = batch.map((p) => p.event.id.toLowerCase());
    const existing = new Set((await tx.queryAll<{ id: string }>`SELECT id::text AS id FROM audit_log WHERE id = ANY(${ids}::uuid[])`).map((r) => r.id));
    const rows: Record<string, unknown>[] = [];
    const stored = batch.map((p, i) => {
      if (existing.has(ids[i]!)) return false;
      existing.add(ids[i]!);
      const e = p.event;
      const entry = {
        seq: (head?.seq ?? 0) + 1,
        id: ids[i]!,
        occurredAt: p.occurredAt,
        actorId: e.actorId,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        requestId: e.requestId,
        service: e.service,
        campaignId: campaignOf(e.targetType, e.targetId, p.details),
        detailsHash: detailsHash(p.details),
        userSubmitted: p.userSubmitted,
      };
      const prevHash = head?.hash ?? GENESIS_HASH;
      const hash = entryHash(entry, prevHash);
      rows.push({
        id: entry.id,
        chain_seq: entry.seq,
        occurred_at: entry.occurredAt.toISOString(),
        actor_id: entry.actorId,
        action: entry.action,
        target_type: entry.targetType,
        target_id: entry.targetId,
        request_id: entry.requestId,
        service: entry.service,
        campaign_id: entry.campaignId,
        details_hash: entry.detailsHash,
        prev_hash: prevHash,
        hash,
        user_submitted: entry.userSubmitted,
        details: p.details,
      });
      head = { seq: entry.seq, hash };
      return true;
    });
    if (rows.length > 0) {
      const json = JSON.stringify(rows);
      await tx.exec`
        INSERT INTO audit_log (id, chain_seq, occurred_at, actor_id, action, target_type, target_id, request_id, service, campaign_id, details_hash, prev_hash, hash, user_submitted)
        SELECT x.id, x.chain_seq, x.occurred_at, x.actor_id, x.action, x.target_type, x.target_id, x.request_id, x.service, x.campaign_id, x.details_hash, x.prev_hash, x.hash, x.user_submitted
        FROM jsonb_to_recordset(${json}::text::jsonb) AS x(id uuid, chain_seq bigint, occurred_at timestamptz, actor_id text, action text, target_type text, target_id text,
                                                           request_id text, service text, campaign_id text, details_hash text, prev_hash text, hash text, user_submitted boolean)
        ORDER BY x.chain_seq`;
      await tx.exec`
        INSERT INTO audit_details (log_id, chain_seq, details)
        SELECT x.id, x.chain_seq, x.details FROM jsonb_to_recordset(${json}::text::jsonb) AS x(id uuid, chain_seq bigint, details jsonb)`;
    }
    if (head && (head.seq !== before?.seq || head.hash !== before?.hash)) await writeHead(tx, head);
    return stored;
  });
}

// The one writer of this process: appends wait in a queue and are written in batches (one
// transaction, one commit, for everything queued while the previous batch was being written), so
// concurrent appends share commits while the chain lock still serialises writers across processes.
const MAX_BATCH = 1000;
let queue: Pending[] = [];
let writing = false;

function kickWriter(): void {
  if (writing || queue.length === 0) return;
  writing = true;
  void (async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        const stored = await writeBatch(batch);
        batch.forEach((p, i) => {
          p.resolve(stored[i]!);
        });
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        // One bad event must not fail the others: write them one by one.
        else for (const p of batch) await writeBatch([p]).then(([s]) => p.resolve(s!), p.reject);
      }
    }
  })().finally(() => {
    writing = false;
    kickWriter();
  });
}

/**
 * Appends an audit event to the chain (its details to the side table) unless an event with its id is
 * already stored; resolves once committed: true when stored now, false for a redelivery.
 */
export function appendAuditEvent(e: AuditEvent, opts: { userSubmitted?: boolean } = {}): Promise<boolean> {
  const occurredAt = new Date(e.occurredAt);
  if (!isUuid(e.id)) return Promise.reject(new Error(`audit event id must be a UUID, got ${JSON.stringify(e.id)}`));
  if (Number.isNaN(occurredAt.getTime())) return Promise.reject(new Error("audit event occurredAt is not a time"));
  const details = JSON.parse(JSON.stringify(e.details ?? {})) as Record<string, unknown>;
  return new Promise<boolean>((resolve, reject) => {
    queue.push({ event: e, occurredAt, details, userSubmitted: opts.userSubmitted === true, resolve, reject });
    kickWriter();
  });
}

function toEvent(r: LogRow): AuditEvent {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    requestId: r.request_id,
    service: r.service,
    details: r.details ?? {},
  };
}

/** The stored events about one target, oldest first (details {} where they were erased). */
export async function auditEventsFor(targetType: string, targetId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const r of db.query<LogRow>`
    SELECT l.seq::text AS seq, l.id, l.occurred_at, l.recorded_at, l.actor_id, l.action, l.target_type, l.target_id, l.request_id,
           l.service, l.campaign_id, l.details_hash, l.prev_hash, l.hash, d.details
    FROM audit_log l LEFT JOIN audit_details d ON d.log_id = l.id
    WHERE l.target_type = ${targetType} AND l.target_id = ${targetId} ORDER BY l.seq`) {
    events.push(toEvent(r));
  }
  return events;
}

/** One stored audit entry as the API returns it. */
export interface StoredLog {
  seq: number;
  event: AuditEvent;
  recordedAt: Date;
  campaignId: string | null;
  redacted: boolean;
  userSubmitted: boolean;
}

/** A page of chained entries between start and end (inclusive), in chain order after chain position `afterSeq`, optionally by actor and/or campaign. */
export async function listLogs(q: {
  start: Date;
  end: Date;
  actorId: string | null;
  campaignId: string | null;
  afterSeq: number;
  limit: number;
}): Promise<StoredLog[]> {
  const logs: StoredLog[] = [];
  for await (const r of db.query<LogRow>`
    SELECT l.chain_seq::text AS seq, l.id, l.occurred_at, l.recorded_at, l.actor_id, l.action, l.target_type, l.target_id, l.request_id,
           l.service, l.campaign_id, l.details_hash, l.prev_hash, l.hash, l.user_submitted, d.details
    FROM audit_log l LEFT JOIN audit_details d ON d.log_id = l.id
    WHERE l.occurred_at >= ${q.start} AND l.occurred_at <= ${q.end} AND l.chain_seq > ${q.afterSeq}
      AND (${q.actorId}::text IS NULL OR l.actor_id = ${q.actorId})
      AND (${q.campaignId}::text IS NULL OR l.campaign_id = ${q.campaignId})
    ORDER BY l.chain_seq LIMIT ${q.limit}`) {
    logs.push({
      seq: Number(r.seq),
      event: toEvent(r),
      recordedAt: r.recorded_at,
      campaignId: r.campaign_id,
      redacted: r.details === null,
      userSubmitted: r.user_submitted,
    });
  }
  return logs;
}

/** Chains any rows still unchained (an append that died between insert and chaining, rows from before the chain). */
export async function chainPendingRows(): Promise<void> {
  await chainAll();
}

/** The recorded head of the chain. */
export async function chainHead(): Promise<Head | null> {
  const row = await db.queryRow<{ seq: string; hash: string }>`SELECT seq::text AS seq, hash FROM audit_chain_head`;
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/**
 * The chain in chain order, a page at a time (keyset on chain_seq), for verification. Details are
 * read by chain_seq range (sequential) and matched to their entry by id.
 */
export async function chainPage(afterSeq: number, limit: number): Promise<StoredEntry[]> {
  const rows = await db.queryAll<LogRow>`
    SELECT l.chain_seq::text AS seq, l.id, l.occurred_at, l.actor_id, l.action, l.target_type, l.target_id, l.request_id,
           l.service, l.campaign_id, l.details_hash, l.prev_hash, l.hash, l.user_submitted
    FROM audit_log l WHERE l.chain_seq > ${afterSeq} ORDER BY l.chain_seq LIMIT ${limit}`;
  if (rows.length === 0) return [];
  const details = new Map<string, Record<string, unknown>>();
  for await (const d of db.query<{ log_id: string; details: Record<string, unknown> }>`
    SELECT log_id, details FROM audit_details WHERE chain_seq > ${afterSeq} AND chain_seq <= ${Number(rows[rows.length - 1]!.seq)}`) {
    details.set(d.log_id, d.details);
  }
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    occurredAt: r.occurred_at,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    requestId: r.request_id,
    service: r.service,
    campaignId: r.campaign_id,
    detailsHash: r.details_hash ?? "",
    userSubmitted: r.user_submitted,
    prevHash: r.prev_hash ?? "",
    hash: r.hash ?? "",
    details: details.get(r.id) ?? null,
  }));
}

/** Erases the details (the personal part) of entries that occurred before `before`; the chain stays. */
export async function purgeAuditDetails(before: Date): Promise<number> {
  const row = await db.queryRow<{ n: number }>`
    WITH gone AS (
      DELETE FROM audit_details d USING audit_log l WHERE d.log_id = l.id AND l.occurred_at < ${before} RETURNING 1
    ) SELECT count(*)::int AS n FROM gone`;
  return row?.n ?? 0;
}

/** Erases the details of every entry made by or about a user; the chain stays. */
export async function eraseAuditDetailsOf(userId: string): Promise<number> {
  const row = await db.queryRow<{ n: number }>`
    WITH gone AS (
      DELETE FROM audit_details d USING audit_log l
      WHERE d.log_id = l.id AND (l.actor_id = ${userId} OR l.target_id = ${userId})
      RETURNING 1
    ) SELECT count(*)::int AS n FROM gone`;
  return row?.n ?? 0;
}

// --- retention ---

export interface StoredPolicy {
  dataClass: string;
  periodDays: number;
  legalBasis: string;
  updatedBy: string;
  updatedAt: Date;
}

export async function listPolicies(): Promise<StoredPolicy[]> {
  return db.queryAll<StoredPolicy>`
    SELECT data_class AS "dataClass", period_days AS "periodDays", legal_basis AS "legalBasis", updated_by AS "updatedBy", updated_at AS "updatedAt"
    FROM retention_policies ORDER BY data_class`;
}

/** Sets one class's policy; returns it as it was before (null when new). */
export async function setPolicy(dataClass: string, periodDays: number, legalBasis: string, updatedBy: string): Promise<StoredPolicy | null> {
  const before = await db.queryRow<StoredPolicy>`
    SELECT data_class AS "dataClass", period_days AS "periodDays", legal_basis AS "legalBasis", updated_by AS "updatedBy", updated_at AS "updatedAt"
    FROM retention_policies WHERE data_class = ${dataClass}`;
  await db.exec`
    INSERT INTO retention_policies (data_class, period_days, legal_basis, updated_by, updated_at) VALUES (${dataClass}, ${periodDays}, ${legalBasis}, ${updatedBy}, now())
    ON CONFLICT (data_class) DO UPDATE SET period_days = EXCLUDED.period_days, legal_basis = EXCLUDED.legal_basis, updated_by = EXCLUDED.updated_by, updated_at = now()`;
  return before;
}

/** One class's outcome in a retention run. */
export interface RunResult {
  dataClass: string;
  service: string;
  before: string;
  deleted?: number;
  error?: string;
}

export interface StoredRun {
  id: string;
  startedAt: Date;
  finishedAt: Date | null;
  status: "running" | "ok" | "partial";
  triggeredBy: string;
  results: RunResult[];
}

export async function startRun(triggeredBy: string): Promise<string> {
  const row = await db.queryRow<{ id: string }>`INSERT INTO retention_runs (status, triggered_by) VALUES ('running', ${triggeredBy}) RETURNING id`;
  return row!.id;
}

export async function finishRun(id: string, status: "ok" | "partial", results: RunResult[]): Promise<void> {
  await db.exec`UPDATE retention_runs SET status = ${status}, results = ${JSON.stringify(results)}::text::jsonb, finished_at = now() WHERE id = ${id}`;
}

export async function listRuns(limit: number): Promise<StoredRun[]> {
  return db.queryAll<StoredRun>`
    SELECT id, started_at AS "startedAt", finished_at AS "finishedAt", status, triggered_by AS "triggeredBy", results
    FROM retention_runs ORDER BY started_at DESC LIMIT ${limit}`;
}

// --- erasure ---

export interface StoredErasureTask {
  service: string;
  status: "pending" | "done";
  attempts: number;
  lastError: string | null;
  erased: Record<string, number> | null;
  completedAt: Date | null;
}

export interface StoredErasure {
  id: string;
  userId: string;
  reason: string;
  requestedBy: string;
  status: "pending" | "completed";
  requestedAt: Date;
  completedAt: Date | null;
  tasks: StoredErasureTask[];
}

/** Creates a request and one pending task per service, in one transaction. */
export async function createErasure(userId: string, reason: string, requestedBy: string, services: readonly string[]): Promise<string> {
  return inTransaction(db, async (tx) => {
    const row = await tx.queryRow<{ id: string }>`
      INSERT INTO erasure_requests (user_id, reason, requested_by, status) VALUES (${userId}, ${reason}, ${requestedBy}, 'pending') RETURNING id`;
    for (const service of services) await tx.exec`INSERT INTO erasure_tasks (request_id, service, status) VALUES (${row!.id}, ${service}, 'pending')`;
    return row!.id;
  });
}

export async function getErasure(id: string): Promise<StoredErasure | null> {
  const request = await db.queryRow<Omit<StoredErasure, "tasks">>`
    SELECT id, user_id AS "userId", reason, requested_by AS "requestedBy", status, requested_at AS "requestedAt", completed_at AS "completedAt"
    FROM erasure_requests WHERE id = ${id}`;
  if (!request) return null;
  const tasks = await db.queryAll<StoredErasureTask>`
    SELECT service, status, attempts, last_error AS "lastError", erased, completed_at AS "completedAt"
    FROM erasure_tasks WHERE request_id = ${id} ORDER BY service`;
  return { ...request, tasks };
}

/** A task claimed for one attempt. */
export interface ClaimedTask {
  requestId: string;
  userId: string;
  service: string;
  attempts: number;
}

/**
 * Claims the due pending tasks (a lease, so two processes do not run the same task at once). The
 * identity holders (`lastServices`) are claimed only once every other task of their request is done.
 */
export async function claimDueTasks(lastServices: readonly string[], leaseSeconds: number, limit: number): Promise<ClaimedTask[]> {
  return db.queryAll<ClaimedTask>`
    UPDATE erasure_tasks t SET lease_until = now() + make_interval(secs => ${leaseSeconds}), attempts = t.attempts + 1
    FROM erasure_requests r
    WHERE t.request_id = r.id AND (t.request_id, t.service) IN (
      SELECT c.request_id, c.service FROM erasure_tasks c
      WHERE c.status = 'pending' AND c.next_attempt_at <= now() AND (c.lease_until IS NULL OR c.lease_until < now())
        AND (NOT (c.service = ANY(${[...lastServices]}::text[])) OR NOT EXISTS (
          SELECT 1 FROM erasure_tasks o WHERE o.request_id = c.request_id AND o.status = 'pending' AND NOT (o.service = ANY(${[...lastServices]}::text[]))))
      ORDER BY c.next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING t.request_id AS "requestId", r.user_id AS "userId", t.service, t.attempts`;
}

export async function taskDone(requestId: string, service: string, erased: Record<string, number>): Promise<void> {
  await db.exec`
    UPDATE erasure_tasks SET status = 'done', erased = ${JSON.stringify(erased)}::text::jsonb, last_error = NULL, lease_until = NULL, completed_at = now()
    WHERE request_id = ${requestId} AND service = ${service} AND status = 'pending'`;
}

export async function taskFailed(requestId: string, service: string, error: string, retryInSeconds: number): Promise<void> {
  await db.exec`
    UPDATE erasure_tasks SET last_error = ${error.slice(0, 1000)}, lease_until = NULL, next_attempt_at = now() + make_interval(secs => ${retryInSeconds})
    WHERE request_id = ${requestId} AND service = ${service} AND status = 'pending'`;
}

/** Marks the request completed when every task is done; true the first time it does. */
export async function completeIfDone(requestId: string): Promise<boolean> {
  const row = await db.queryRow<{ id: string }>`
    UPDATE erasure_requests SET status = 'completed', completed_at = now()
    WHERE id = ${requestId} AND status = 'pending' AND NOT EXISTS (SELECT 1 FROM erasure_tasks WHERE request_id = ${requestId} AND status = 'pending')
    RETURNING id`;
  return row !== null;
}

/** Audit entries per action (reports: consent and opt-out counts). */
export async function actionCounts(actions: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(actions.map((a) => [a, 0]));
  for await (const r of db.query<{
    action: string;
    n: number;
  }>`SELECT action, count(*)::int AS n FROM audit_log WHERE action = ANY(${actions}::text[]) GROUP BY action`)
    out[r.action] = r.n;
  return out;
}

/** How many audit entries still carry details about a user (erasure checks). */
export async function detailsAbout(userId: string): Promise<number> {
  const row = await db.queryRow<{ n: number }>`
    SELECT count(*)::int AS n FROM audit_details d JOIN audit_log l ON l.id = d.log_id WHERE l.actor_id = ${userId} OR l.target_id = ${userId}`;
  return row?.n ?? 0;
}

// --- messaging consent ---

/** Records an opt-out or opt-in for an address; false when this source message was already recorded. */
export async function recordConsentChange(c: {
  address: string;
  addressHash: string;
  kind: "opt_out" | "opt_in";
  keyword: string;
  channel: string;
  sourceId: string | null;
}): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const event = await tx.queryRow<{ id: string }>`
      INSERT INTO consent_events (address_hash, kind, keyword, channel, source_id) VALUES (${c.addressHash}, ${c.kind}, ${c.keyword}, ${c.channel}, ${c.sourceId})
      ON CONFLICT (source_id) DO NOTHING RETURNING id::text`;
    if (!event) return false;
    await tx.exec`
      INSERT INTO message_opt_outs (address, opted_out, keyword, channel, changed_at) VALUES (${c.address}, ${c.kind === "opt_out"}, ${c.keyword}, ${c.channel}, now())
      ON CONFLICT (address) DO UPDATE SET opted_out = EXCLUDED.opted_out, keyword = EXCLUDED.keyword, channel = EXCLUDED.channel, changed_at = now()`;
    return true;
  });
}

/** Whether an address has opted out (and not back in). */
export async function isOptedOut(address: string): Promise<boolean> {
  const row = await db.queryRow<{ opted_out: boolean }>`SELECT opted_out FROM message_opt_outs WHERE address = ${address}`;
  return row?.opted_out ?? false;
}

/** Consent figures for reports. */
export async function consentCounts(): Promise<{ optOutEvents: number; optInEvents: number; currentlyOptedOut: number }> {
  const row = await db.queryRow<{ optOutEvents: number; optInEvents: number; currentlyOptedOut: number }>`
    SELECT (SELECT count(*)::int FROM consent_events WHERE kind = 'opt_out') AS "optOutEvents",
           (SELECT count(*)::int FROM consent_events WHERE kind = 'opt_in') AS "optInEvents",
           (SELECT count(*)::int FROM message_opt_outs WHERE opted_out) AS "currentlyOptedOut"`;
  return row ?? { optOutEvents: 0, optInEvents: 0, currentlyOptedOut: 0 };
}

// --- reports ---

export async function insertReport(regulation: string, createdBy: string, content: unknown): Promise<string> {
  const row = await db.queryRow<{ id: string }>`
    INSERT INTO compliance_reports (regulation, created_by, content) VALUES (${regulation}, ${createdBy}, ${JSON.stringify(content)}::text::jsonb) RETURNING id`;
  return row!.id;
}

export async function getReport(
  id: string,
): Promise<{ id: string; regulation: string; createdBy: string; createdAt: Date; content: Record<string, unknown> } | null> {
  return db.queryRow`SELECT id, regulation, created_by AS "createdBy", created_at AS "createdAt", content FROM compliance_reports WHERE id = ${id}`;
}

// --- regulation reports over a period ---

/** The audit entries of one action in [start, end), oldest first, optionally of one campaign. */
export async function actionEntriesBetween(action: string, start: Date, end: Date, campaignId: string | null, limit: number): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const r of db.query<LogRow>`
    SELECT l.seq::text AS seq, l.id, l.occurred_at, l.recorded_at, l.actor_id, l.action, l.target_type, l.target_id, l.request_id,
           l.service, l.campaign_id, l.details_hash, l.prev_hash, l.hash, d.details
    FROM audit_log l LEFT JOIN audit_details d ON d.log_id = l.id
    WHERE l.action = ${action} AND l.occurred_at >= ${start} AND l.occurred_at < ${end}
      AND (${campaignId}::text IS NULL OR l.campaign_id = ${campaignId})
    ORDER BY l.occurred_at, l.seq LIMIT ${limit}`) {
    events.push(toEvent(r));
  }
  return events;
}

/** The opt-out and opt-in events received in [start, end), oldest first (numbers only as hashes). */
export async function consentEventsBetween(
  start: Date,
  end: Date,
  limit: number,
): Promise<{ kind: "opt_out" | "opt_in"; keyword: string; channel: string; receivedAt: Date; addressHash: string }[]> {
  return db.queryAll`
    SELECT kind, keyword, channel, received_at AS "receivedAt", address_hash AS "addressHash" FROM consent_events
    WHERE received_at >= ${start} AND received_at < ${end} ORDER BY received_at, id LIMIT ${limit}`;
}

/** The erasure requests made in [start, end), oldest first. */
export async function erasuresBetween(start: Date, end: Date, limit: number): Promise<Omit<StoredErasure, "tasks" | "reason" | "userId">[]> {
  return db.queryAll`
    SELECT id, requested_by AS "requestedBy", status, requested_at AS "requestedAt", completed_at AS "completedAt"
    FROM erasure_requests WHERE requested_at >= ${start} AND requested_at < ${end} ORDER BY requested_at LIMIT ${limit}`;
}
