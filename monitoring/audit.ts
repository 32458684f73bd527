// monitoring's audit events: configuration changes are published to compliance's `audit-events`.
import { auditEvents } from "../compliance/events";
import { publishAudit, type AuditEntry } from "../shared/audit";

export type { AuditEntry };

/** Publishes one audit event for a change that has already been committed (never throws). */
export function audit(entry: AuditEntry): Promise<void> {
  return publishAudit("monitoring", entry, (event) => auditEvents.publish(event));
}
