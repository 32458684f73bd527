// intelligence's audit events: uploads, analyses, threat assessments, new chat sessions, purges and
// erasures, published to compliance's `audit-events` topic (ids and kinds only, never content).
import { auditEvents } from "../compliance/events";
import { publishAudit, type AuditEntry } from "../shared/audit";

/** Publishes one audit event for something already committed (never throws). */
export function audit(entry: AuditEntry): Promise<void> {
  return publishAudit("intelligence", entry, (event) => auditEvents.publish(event));
}
