// campaigns' audit events: every change to a campaign, its team, keywords or contacts is published
// to compliance's `audit-events` topic.
import { randomUUID } from "node:crypto";
import { currentRequest } from "encore.dev";
import log from "encore.dev/log";
import { auditEvents, type AuditEvent } from "../compliance/events";

/** The part of an AuditEvent that the code making the change provides. */
export type AuditEntry = Pick<AuditEvent, "actorId" | "action" | "targetType" | "targetId" | "details">;

/**
 * Publishes one audit event for a change that has already been committed. A failed publish does
 * not undo the change or fail the request: the event is logged in full at error level instead.
 */
export async function audit(entry: AuditEntry): Promise<void> {
  const event: AuditEvent = {
    id: randomUUID(),
    occurredAt: new Date(),
    requestId: currentRequest()?.trace?.traceId ?? "",
    service: "campaigns",
    ...entry,
  };
  try {
    await auditEvents.publish(event);
  } catch (err) {
    log.error("audit event could not be published", { event: JSON.stringify(event), error: err instanceof Error ? err.message : String(err) });
  }
}
