// compliance's SQL: the only file that talks to compliance's database.
import type { AuditEvent } from "./events";
import { db } from "./db";

/** Appends an audit event; false when an event with its id is already stored (a redelivery). */
export async function appendAuditEvent(e: AuditEvent): Promise<boolean> {
  const row = await db.queryRow<{ seq: number }>`
    INSERT INTO audit_log (id, occurred_at, actor_id, action, target_type, target_id, request_id, service, details)
    VALUES (${e.id}, ${e.occurredAt}, ${e.actorId}, ${e.action}, ${e.targetType}, ${e.targetId}, ${e.requestId}, ${e.service}, ${e.details})
    ON CONFLICT (id) DO NOTHING
    RETURNING seq`;
  return row !== null;
}

/** The stored events about one target, oldest first. */
export async function auditEventsFor(targetType: string, targetId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const r of db.query<{
    id: string;
    occurred_at: Date;
    actor_id: string;
    action: string;
    target_type: string;
    target_id: string;
    request_id: string;
    service: string;
    details: Record<string, unknown>;
  }>`SELECT * FROM audit_log WHERE target_type = ${targetType} AND target_id = ${targetId} ORDER BY seq`) {
    events.push({
      id: r.id,
      occurredAt: r.occurred_at,
      actorId: r.actor_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      requestId: r.request_id,
      service: r.service,
      details: r.details,
    });
  }
  return events;
}
