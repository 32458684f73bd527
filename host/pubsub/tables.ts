// The Pub/Sub tables, created idempotently and versioned in runtime_schema (one row per component),
// under an advisory lock so several processes starting at once do not race on DDL.
import type { Sql } from "postgres";

// Version N of the schema is MIGRATIONS[0..N-1]; append, never edit.
const MIGRATIONS: string[][] = [
  [
    // One row per published message: the body is stored once however many subscriptions the topic has.
    // fanout = subscriptions at publish time; pending = deliveries not yet finished. Decrementing
    // pending under the row lock is what lets concurrent acks of different subscriptions agree on
    // which one was last (a NOT EXISTS check cannot: each would see the other's row in its snapshot).
    `CREATE TABLE IF NOT EXISTS pubsub_message (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       topic text NOT NULL,
       body json NOT NULL,
       attributes jsonb NOT NULL DEFAULT '{}',
       published_at timestamptz NOT NULL DEFAULT now(),
       fanout integer NOT NULL,
       pending integer NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS pubsub_message_published ON pubsub_message (published_at)`,
    `CREATE INDEX IF NOT EXISTS pubsub_message_done ON pubsub_message (id) WHERE pending <= 0`,
    // One narrow row per (message, subscription) still to be handled. Acked rows are deleted.
    // visible_at is when the row may next be claimed: publish time, end of a retry backoff, or
    // the end of the current lease while a handler holds it (SQS's visibility timeout).
    // attempt counts claims and doubles as the fencing token for ack/nack/extend.
    // No foreign key to pubsub_message: it would cost a lookup per insert, and the pending
    // counter already ties the two lifetimes together.
    `CREATE TABLE IF NOT EXISTS pubsub_delivery (
       message_id bigint NOT NULL,
       subscription text NOT NULL,
       ordering_key text,
       attempt integer NOT NULL DEFAULT 0,
       visible_at timestamptz NOT NULL,
       lease_owner text,
       last_error text,
       dead_at timestamptz,
       PRIMARY KEY (message_id, subscription)
     )`,
    `CREATE INDEX IF NOT EXISTS pubsub_delivery_claim ON pubsub_delivery (subscription, visible_at, message_id) WHERE dead_at IS NULL`,
    `CREATE INDEX IF NOT EXISTS pubsub_delivery_ordering ON pubsub_delivery (subscription, ordering_key, message_id)
       WHERE dead_at IS NULL AND ordering_key IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS pubsub_delivery_dead ON pubsub_delivery (subscription, dead_at) WHERE dead_at IS NOT NULL`,
  ],
];

/** Brings the component's tables to the latest version. Safe to call from several processes at once. */
export async function migrateComponent(sql: Sql, component: string, migrations: string[][]): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('encore-runtime-schema'))`;
    await tx`CREATE TABLE IF NOT EXISTS runtime_schema (component text PRIMARY KEY, version integer NOT NULL)`;
    const [row] = await tx`SELECT version FROM runtime_schema WHERE component = ${component}`;
    const current: number = row ? Number(row.version) : 0;
    if (current > migrations.length) {
      throw new Error(`${component} schema is at version ${current}, newer than this runtime's ${migrations.length}`);
    }
    for (const step of migrations.slice(current)) {
      for (const statement of step) await tx.unsafe(statement);
    }
    await tx`INSERT INTO runtime_schema (component, version) VALUES (${component}, ${migrations.length})
             ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version`;
  });
}

export function migratePubSub(sql: Sql): Promise<void> {
  return migrateComponent(sql, "pubsub", MIGRATIONS);
}
