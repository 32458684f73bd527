// Audit events, as every service publishes them to compliance's `audit-events` topic. The topic
// itself is used only inside services (each service's audit.ts passes its publish function), so
// Encore sees which service publishes.
import { randomUUID } from "node:crypto";
import { currentRequest } from "encore.dev";
import log from "encore.dev/log";
import type { AuditEvent } from "../compliance/events";

/**
 * The namespaces (`<thing>` of `<thing>.<verb>`) of the actions the services themselves record. An
 * entry a user submits (POST /api/v1/compliance/audit-logs) may not use any of them, so nobody
 * can write an entry that passes for the system's own record ("campaign.deleted",
 * "user.role_changed"). shared/audit.test.ts checks that every action the code records is in one
 * of these: a service that records a new kind of thing adds its namespace here.
 */
export const SERVICE_AUDIT_NAMESPACES: readonly string[] = [
  "alert",
  "analytics",
  "analytics_report",
  "audit",
  "campaign",
  "chat_session",
  "compliance",
  "compliance_report",
  "consent",
  "document",
  "erasure",
  "identity",
  "integration",
  "login",
  "monitoring",
  "ops",
  "report",
  "retention",
  "session",
  "sso",
  "system",
  "user",
];

/** True when the action is in a namespace the services record (see SERVICE_AUDIT_NAMESPACES); compared without case. */
export function isServiceAction(action: string): boolean {
  const namespace = action.split(".")[0]!.toLowerCase();
  return SERVICE_AUDIT_NAMESPACES.includes(namespace);
}

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
