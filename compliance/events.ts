// The audit trail's topic. Every service publishes an AuditEvent for each change it makes; the
// compliance service stores them append-only (subscriptions.ts). A leaf file: other services
// import the topic and the type from here and nothing else of compliance.
import { Topic } from "encore.dev/pubsub";

/** One change, as the audit log records it. Never carries passwords, tokens or other secrets. */
export interface AuditEvent {
  /** A UUID chosen by the publisher: redelivery of the same event is stored once. */
  id: string;
  occurredAt: Date;
  /** The user who made the change, or "system" for start-up tasks and background jobs. */
  actorId: string;
  /** What happened, as `<thing>.<verb>`: "user.created", "session.revoked", ... */
  action: string;
  /** The kind of thing changed ("user", "session", "login", ...) and its id. */
  targetType: string;
  targetId: string;
  /** The trace id of the request that made the change ("" when there was none). */
  requestId: string;
  /** The service that made the change. */
  service: string;
  /** Context for the change: before/after values where they matter. */
  details: Record<string, unknown>;
}

// 'audit-events' carries every service's AuditEvents to the audit log.
export const auditEvents = new Topic<AuditEvent>("audit-events", { deliveryGuarantee: "at-least-once" });
