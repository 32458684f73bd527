// analytics' audit events: exported reports and backfills are published to compliance's `audit-events`.
import { auditEvents } from "../compliance/events";
import { publishAudit, type AuditEntry } from "../shared/audit";

/** Publishes one audit event for a change that has already been committed (never throws). */
export function audit(entry: AuditEntry): Promise<void> {
  return publishAudit("analytics", entry, (event) => auditEvents.publish(event));
}
