// alerting's audit events: sends, failures, escalations and acknowledgements, published to
// compliance's `audit-events` topic (channel, tier and ids only: never phone numbers or addresses).
import { auditEvents } from "../compliance/events";
import { publishAudit, type AuditEntry } from "../shared/audit";

export type { AuditEntry };

/** Publishes one audit event for something already committed (never throws). */
export function audit(entry: AuditEntry): Promise<void> {
  return publishAudit("alerting", entry, (event) => auditEvents.publish(event));
}
