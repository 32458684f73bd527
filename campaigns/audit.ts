// campaigns' audit events: every change to a campaign, its team, keywords or contacts is published
// to compliance's `audit-events` topic.
import { auditEvents } from "../compliance/events";
import { publishAudit, type AuditEntry } from "../shared/audit";

export type { AuditEntry };

/** Publishes one audit event for a change that has already been committed (never throws). */
export function audit(entry: AuditEntry): Promise<void> {
  return publishAudit("campaigns", entry, (event) => auditEvents.publish(event));
}
