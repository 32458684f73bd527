// Every SQL statement of the Pub/Sub engine. Output columns are aliased to single lower-case words
// so a caller's postgres.js `transform` option (e.g. camelCase) cannot rename them, and ids travel
// as text so a bigint type override cannot change their type. Timestamps of leases and backoffs are
// the database's now(), the one clock all processes share.
import type { PendingQuery, Row, Sql } from "postgres";

export const NOTIFY_CHANNEL = "encore_pubsub";

export interface SubscriptionStats {
  subscription: string;
  backlog: number;
  inFlight: number;
  retrying: number;
  deadLetters: number;
  oldestWaiting: Date | null;
}

export interface PublishItem {
  bodyJson: string; // the message, already JSON-encoded
  attributes: Record<string, string>;
}

export interface ClaimedRow {
  id: string;
  attempt: number;
  body: unknown;
  attributes: Record<string, string>;
  publishedAt: Date;
  orderingKey: string | null;
}

export interface ClaimResult {
  deliveries: ClaimedRow[];
  /** ms until the next row of this subscription becomes visible (a retry, another process's lease); null if none. */
  nextVisibleInMs: number | null;
}

export interface DeliveryRef {
  id: string;
  attempt: number;
}

export interface DeadLetterRow extends ClaimedRow {
  topic: string;
  subscription: string;
  lastError: string;
  failedAt: Date;
}

/** The NOTIFY payload: the topic, and who sent it so a process can ignore its own. */
export function notifyPayload(topic: string, instanceId: string): string {
  return `${topic}\t${instanceId}`;
}

export function parseNotifyPayload(payload: string): { topic: string; sender: string } {
  const tab = payload.indexOf("\t");
  return tab < 0 ? { topic: payload, sender: "" } : { topic: payload.slice(0, tab), sender: payload.slice(tab + 1) };
}

const refs = (items: DeliveryRef[]) => ({ ids: items.map((d) => d.id), attempts: items.map((d) => d.attempt) });

const attributesOf = (v: unknown): Record<string, string> =>
  v && typeof v === "object" ? (v as Record<string, string>) : typeof v === "string" ? JSON.parse(v) : {};

export class PubSubStore {
  constructor(
    private readonly sql: Sql,
    private readonly instanceId: string,
  ) {}

  /**
   * Stores a batch of messages of one topic and its deliveries to `subscriptions`, and notifies
   * listeners, in one statement (one round trip, one transaction). Ids are returned in input order:
   * the identity values are drawn in `ord` order, so sorting them restores the pairing.
   */
  async publish(topic: string, orderingAttribute: string | null, subscriptions: string[], items: PublishItem[]): Promise<string[]> {
    const json = `[${items.map((i) => `{"b":${i.bodyJson},"a":${JSON.stringify(i.attributes)}}`).join(",")}]`;
    const rows = await this.sql`
      WITH input AS (
        SELECT e.ord, e.value AS v FROM json_array_elements(${json}::text::json) WITH ORDINALITY AS e(value, ord)
      ), m AS (
        INSERT INTO pubsub_message (topic, body, attributes, fanout, pending)
        SELECT ${topic}, v -> 'b', (v -> 'a')::jsonb, ${subscriptions.length}::int, ${subscriptions.length}::int
        FROM input ORDER BY ord
        RETURNING id, published_at, attributes ->> ${orderingAttribute}::text AS okey
      ), d AS (
        INSERT INTO pubsub_delivery (message_id, subscription, ordering_key, visible_at)
        SELECT m.id, s, m.okey, m.published_at FROM m CROSS JOIN unnest(${subscriptions}::text[]) AS s
      )
      SELECT (SELECT array_agg(id::text ORDER BY id) FROM m) AS ids,
             pg_notify(${NOTIFY_CHANNEL}, ${notifyPayload(topic, this.instanceId)}) AS notified`;
    const ids = (rows[0].ids as string[] | null) ?? [];
    if (ids.length !== items.length) throw new Error(`pubsub: stored ${ids.length} of ${items.length} messages`);
    return ids;
  }

  /**
   * Claims up to `limit` visible rows of a subscription, leasing them for ackDeadlineMs. With an
   * ordering key, only the oldest live row of each key is claimable, so same-key messages go one
   * at a time in id order. SKIP LOCKED lets several processes claim side by side without waiting.
   * Also answers when the next row becomes visible, so the caller can set a precise timer.
   */
  async claim(subscription: string, limit: number, ackDeadlineMs: number): Promise<ClaimResult> {
    const rows = await this.sql`
      WITH picked AS (
        SELECT c.message_id FROM pubsub_delivery c
        WHERE c.subscription = ${subscription} AND c.dead_at IS NULL AND c.visible_at <= now()
          AND (c.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM pubsub_delivery p
            WHERE p.subscription = c.subscription AND p.ordering_key = c.ordering_key
              AND p.dead_at IS NULL AND p.message_id < c.message_id))
        ORDER BY c.visible_at, c.message_id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE pubsub_delivery d
        SET attempt = d.attempt + 1, lease_owner = ${this.instanceId},
            visible_at = now() + ${ackDeadlineMs}::float8 * interval '1 millisecond'
        FROM picked WHERE d.subscription = ${subscription} AND d.message_id = picked.message_id
        RETURNING d.message_id, d.attempt, d.ordering_key
      )
      SELECT c.message_id::text AS id, c.attempt, m.body, m.attributes AS attrs, m.published_at AS published,
             c.ordering_key AS okey, NULL::float8 AS nextin
      FROM claimed c JOIN pubsub_message m ON m.id = c.message_id
      UNION ALL
      SELECT NULL, NULL, NULL, NULL, NULL, NULL,
        (SELECT extract(epoch FROM min(visible_at) - now()) * 1000 FROM pubsub_delivery
         WHERE subscription = ${subscription} AND dead_at IS NULL AND visible_at > now()
           AND lease_owner IS DISTINCT FROM ${this.instanceId})`;
    const deliveries: ClaimedRow[] = [];
    let nextVisibleInMs: number | null = null;
    for (const r of rows) {
      if (r.id === null) {
        nextVisibleInMs = r.nextin === null ? null : Number(r.nextin);
        continue;
      }
      deliveries.push({
        id: r.id,
        attempt: Number(r.attempt),
        body: r.body, // json columns arrive parsed
        attributes: attributesOf(r.attrs),
        publishedAt: r.published,
        orderingKey: r.okey,
      });
    }
    deliveries.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    return { deliveries, nextVisibleInMs };
  }

  /** Acks handled rows (fenced by attempt); a message goes once its last delivery is finished. */
  async ack(subscription: string, items: DeliveryRef[]): Promise<void> {
    const { ids, attempts } = refs(items);
    await this.finishDeliveries(this.sql`
      DELETE FROM pubsub_delivery d
      USING (SELECT unnest(${ids}::bigint[]) AS id, unnest(${attempts}::int[]) AS attempt) a
      WHERE d.subscription = ${subscription} AND d.message_id = a.id AND d.attempt = a.attempt
      RETURNING d.message_id`);
  }

  /**
   * Runs `deleted` (a DELETE on pubsub_delivery returning message_id) and settles the messages'
   * pending counts: single-subscription messages are deleted outright (no race is possible); others
   * are decremented under their row lock, and deleted by whoever brought them to zero. A crash
   * between the two statements leaves pending = 0, which housekeeping removes.
   */
  private async finishDeliveries(deleted: PendingQuery<Row[]>): Promise<number> {
    const [row] = await this.sql`
      WITH deleted AS (${deleted}),
      single AS (
        DELETE FROM pubsub_message m USING deleted WHERE m.id = deleted.message_id AND m.fanout = 1
      ),
      shared AS (
        UPDATE pubsub_message m SET pending = m.pending - x.n
        FROM (SELECT message_id, count(*)::int AS n FROM deleted GROUP BY message_id) x
        WHERE m.id = x.message_id AND m.fanout > 1
        RETURNING m.id, m.pending
      )
      SELECT (SELECT count(*)::int FROM deleted) AS n,
             (SELECT array_agg(id::text) FROM shared WHERE pending <= 0) AS done`;
    const done = (row.done as string[] | null) ?? [];
    if (done.length > 0) await this.sql`DELETE FROM pubsub_message WHERE id = ANY(${done}::bigint[]) AND pending <= 0`;
    return Number(row.n);
  }

  /** A failed attempt: the row becomes visible again after the backoff. */
  async retryLater(subscription: string, ref: DeliveryRef, delayMs: number, error: string): Promise<boolean> {
    const rows = await this.sql`
      UPDATE pubsub_delivery
      SET visible_at = now() + ${delayMs}::float8 * interval '1 millisecond', lease_owner = NULL, last_error = ${error}
      WHERE subscription = ${subscription} AND message_id = ${ref.id}::bigint AND attempt = ${ref.attempt}
      RETURNING 1 AS ok`;
    return rows.length > 0;
  }

  async deadLetter(subscription: string, ref: DeliveryRef, error: string): Promise<boolean> {
    const rows = await this.sql`
      UPDATE pubsub_delivery SET dead_at = now(), lease_owner = NULL, last_error = ${error}
      WHERE subscription = ${subscription} AND message_id = ${ref.id}::bigint AND attempt = ${ref.attempt}
      RETURNING 1 AS ok`;
    return rows.length > 0;
  }

  /** Renews the leases this process still holds; returns the ids it still holds. */
  async extend(subscription: string, items: DeliveryRef[], ackDeadlineMs: number): Promise<Set<string>> {
    const { ids, attempts } = refs(items);
    const rows = await this.sql`
      UPDATE pubsub_delivery d SET visible_at = now() + ${ackDeadlineMs}::float8 * interval '1 millisecond'
      FROM (SELECT unnest(${ids}::bigint[]) AS id, unnest(${attempts}::int[]) AS attempt) a
      WHERE d.subscription = ${subscription} AND d.message_id = a.id AND d.attempt = a.attempt
        AND d.lease_owner = ${this.instanceId} AND d.dead_at IS NULL
      RETURNING d.message_id::text AS id`;
    return new Set(rows.map((r) => r.id as string));
  }

  /** Gives leases back (at shutdown) so another process can claim the rows at once, and wakes it. */
  async release(topic: string, subscription: string, items: DeliveryRef[]): Promise<number> {
    const { ids, attempts } = refs(items);
    const rows = await this.sql`
      WITH released AS (
        UPDATE pubsub_delivery d SET visible_at = now(), lease_owner = NULL
        FROM (SELECT unnest(${ids}::bigint[]) AS id, unnest(${attempts}::int[]) AS attempt) a
        WHERE d.subscription = ${subscription} AND d.message_id = a.id AND d.attempt = a.attempt
          AND d.lease_owner = ${this.instanceId} AND d.dead_at IS NULL
        RETURNING 1
      )
      SELECT count(*)::int AS n, CASE WHEN count(*) > 0
        THEN pg_notify(${NOTIFY_CHANNEL}, ${notifyPayload(topic, this.instanceId)}) END AS notified
      FROM released`;
    return Number(rows[0].n);
  }

  /** Per subscription: waiting, leased (in flight), waiting after a failure, dead. */
  async stats(): Promise<SubscriptionStats[]> {
    const rows = await this.sql`
      SELECT subscription AS sub,
        count(*) FILTER (WHERE dead_at IS NULL AND lease_owner IS NULL)::int AS backlog,
        count(*) FILTER (WHERE dead_at IS NULL AND lease_owner IS NOT NULL AND visible_at > now())::int AS inflight,
        count(*) FILTER (WHERE dead_at IS NULL AND lease_owner IS NULL AND attempt > 0)::int AS retrying,
        count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead,
        min(visible_at) FILTER (WHERE dead_at IS NULL AND lease_owner IS NULL) AS oldest
      FROM pubsub_delivery GROUP BY subscription`;
    return rows.map((r) => ({
      subscription: r.sub,
      backlog: r.backlog,
      inFlight: r.inflight,
      retrying: r.retrying,
      deadLetters: r.dead,
      oldestWaiting: r.oldest ?? null,
    }));
  }

  async deadLetters(subscription: string | null, limit: number): Promise<DeadLetterRow[]> {
    const rows = await this.sql`
      SELECT d.message_id::text AS id, m.topic, d.subscription AS sub, d.attempt, m.body, m.attributes AS attrs,
             m.published_at AS published, d.ordering_key AS okey, d.last_error AS lasterror, d.dead_at AS failedat
      FROM pubsub_delivery d JOIN pubsub_message m ON m.id = d.message_id
      WHERE d.dead_at IS NOT NULL AND (${subscription}::text IS NULL OR d.subscription = ${subscription}::text)
      ORDER BY d.dead_at, d.message_id
      LIMIT ${limit}`;
    return rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      subscription: r.sub,
      attempt: Number(r.attempt),
      body: r.body, // json columns arrive parsed
      attributes: attributesOf(r.attrs),
      publishedAt: r.published,
      orderingKey: r.okey,
      lastError: r.lasterror ?? "",
      failedAt: r.failedat,
    }));
  }

  /** Puts a dead letter back in the queue as a fresh message (attempts start again at 1). */
  async redrive(topic: string, subscription: string, id: string): Promise<boolean> {
    const rows = await this.sql`
      WITH redriven AS (
        UPDATE pubsub_delivery SET dead_at = NULL, attempt = 0, visible_at = now(), lease_owner = NULL
        WHERE subscription = ${subscription} AND message_id = ${id}::bigint AND dead_at IS NOT NULL
        RETURNING 1
      )
      SELECT count(*)::int AS n, CASE WHEN count(*) > 0
        THEN pg_notify(${NOTIFY_CHANNEL}, ${notifyPayload(topic, this.instanceId)}) END AS notified
      FROM redriven`;
    return Number(rows[0].n) > 0;
  }

  /**
   * Drops what retention says to drop for one subscription: rows never acked within retention
   * (not while leased or backing off), and dead letters older than retention.
   */
  async expire(subscription: string, cutoff: Date): Promise<{ undelivered: number; deadLetters: number }> {
    const undelivered = await this.finishDeliveries(this.sql`
      DELETE FROM pubsub_delivery d USING pubsub_message m
      WHERE m.published_at < ${cutoff} AND d.message_id = m.id AND d.subscription = ${subscription}
        AND d.dead_at IS NULL AND d.visible_at <= now()
      RETURNING d.message_id`);
    const deadLetters = await this.finishDeliveries(this.sql`
      DELETE FROM pubsub_delivery WHERE subscription = ${subscription} AND dead_at IS NOT NULL AND dead_at < ${cutoff}
      RETURNING message_id`);
    return { undelivered, deadLetters };
  }

  /**
   * Deletes messages no delivery needs any more whose deletion was not finished inline: a crash
   * between the two ack statements, or a topic published to with no subscriptions.
   */
  async sweepMessages(limit: number): Promise<number> {
    const [row] = await this.sql`
      WITH gone AS (
        DELETE FROM pubsub_message WHERE id IN (SELECT id FROM pubsub_message WHERE pending <= 0 LIMIT ${limit})
        RETURNING 1
      ) SELECT count(*)::int AS n FROM gone`;
    return Number(row.n);
  }
}
