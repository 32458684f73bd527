// The contract between compliance and the services that hold data: retention purges and erasure
// requests. Compliance owns the policy and the requests; each owning service exposes two internal
// (`expose: false`) endpoints in its own internal.ts that take and return these shapes:
//
//   POST /internal/<service>/retention/purge   PurgeRequest → PurgeResult
//   POST /internal/<service>/erasure           ErasureRequest → ErasureResult
//
// Both are idempotent: purging twice deletes nothing the second time; erasing an already-erased
// user reports zero counts and succeeds.

/** The classes of data a retention policy covers, each owned by one service. */
export type DataClass = "mentions" | "chat_messages" | "documents" | "alerts" | "audit_log" | "analytics_rollups";

export const DATA_CLASSES: readonly DataClass[] = ["mentions", "chat_messages", "documents", "alerts", "audit_log", "analytics_rollups"];

/** Which service owns (and purges) each data class. */
export const DATA_CLASS_OWNER: Record<DataClass, string> = {
  mentions: "monitoring",
  chat_messages: "intelligence",
  documents: "intelligence",
  alerts: "alerting",
  audit_log: "compliance",
  analytics_rollups: "analytics",
};

/** Delete the rows of one data class that are older than `before`. */
export interface PurgeRequest {
  dataClass: DataClass;
  before: Date;
}

/** How many rows a purge deleted. */
export interface PurgeResult {
  dataClass: DataClass;
  deleted: number;
}

/** Erase or anonymise everything a service holds about one person. */
export interface ErasureRequest {
  /** The compliance deletion request this belongs to (for logs and idempotency). */
  requestId: string;
  userId: string;
}

/** What a service erased: counts per kind of record ("sessions", "chat_messages", ...), never the data. */
export interface ErasureResult {
  service: string;
  erased: Record<string, number>;
}
