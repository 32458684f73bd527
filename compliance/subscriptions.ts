// compliance's subscriptions: every service's audit events are stored in the audit log.
import { Subscription } from "encore.dev/pubsub";
import { auditEvents, type AuditEvent } from "./events";
import { appendAuditEvent } from "./store";

/** Stores one audit event; a redelivered event (same id) is a no-op. */
export async function recordAuditEvent(event: AuditEvent): Promise<void> {
  await appendAuditEvent(event);
}

// 'record-audit-events' appends each AuditEvent to the audit log.
export const recordAuditEvents = new Subscription(auditEvents, "record-audit-events", { handler: recordAuditEvent });
