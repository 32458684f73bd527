// Audit events, as every service publishes them to compliance's `audit-events` topic. The topic
// itself is used only inside services (each service's audit.ts passes its publish function), so
// Encore sees which service publishes.
import { randomUUID } from "node:crypto";
import { currentRequest } from "encore.dev";
import log from "encore.dev/log";
import type { AuditEvent } from "../compliance/events";

/** The part of an AuditEvent that the code making the change provides. */
export type AuditEntry = Pick<AuditEvent, "actorId" | "action" | "targetType" | "targetId" | "details">;

/**
 * Publishes one audit event for a change that has already been committed. A failed publish does
 * not undo the change or fail the request: the event is logged in full at error level instead.
 */
export async function publishAudit(service: string, entry: AuditEntry, publish: (event: AuditEvent) => Promise<unknown>): Promise<void> {
  const event: AuditEvent = {
    id: randomUUID(),
    occurredAt: new Date(),
    requestId: currentRequest()?.trace?.traceId ?? "",
    service,
    ...entry,
  };
  try {
    await publish(event);
  } catch (err) {
    log.error("audit event could not be published", { event: JSON.stringify(event), error: err instanceof Error ? err.message : String(err) });
  }
}
