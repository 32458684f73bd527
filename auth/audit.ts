// auth's audit events: every change to an account or a session is published to compliance's
// `audit-events` topic (durable: stored before publish returns, whether or not anyone consumes it yet).
import { auditEvents } from "../compliance/events";
import { publishAudit, type AuditEntry } from "../shared/audit";

export type { AuditEntry };

/** Publishes one audit event for a change that has already been committed (never throws). */
export function audit(entry: AuditEntry): Promise<void> {
  return publishAudit("auth", entry, (event) => auditEvents.publish(event));
}
