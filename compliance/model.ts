// compliance's request and response types (public and internal).
import type { Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import type { Int } from "../shared/int";

// --- audit log ---

/**
 * POST /api/v1/compliance/audit-logs: an entry about something the caller did (the caller is the
 * actor), stored marked `userSubmitted`. It concerns a campaign the caller manages (admins: any,
 * or none).
 */
export interface CreateAuditLogRequest {
  /** What happened, as `<thing>.<verb>` ("outreach.call_made"); never in a namespace the services record ("campaign.*", "user.*", …). */
  action: string & MinLen<1> & MaxLen<100>;
  /** The campaign it concerns (or a campaign target, or details.campaignId); required unless the caller is an admin. */
  campaignId?: string & MaxLen<36>;
  /** Context, at most 16 KiB as JSON and 8 levels deep; may name people: it is kept outside the hash chain and erasable. */
  details?: Record<string, unknown>;
  /** What it was done to (default: the campaign; without one, the caller). */
  targetType?: string & MaxLen<100>;
  targetId?: string & MaxLen<200>;
}

/** The stored entry's id. */
export interface CreateAuditLogResponse {
  logId: string;
}

/** GET /api/v1/compliance/audit-logs: entries between start and end (ISO 8601, both required, start <= end). */
export interface GetAuditLogsRequest {
  start: string;
  end: string;
  /** Only entries made by this user. */
  userId?: string;
  /** Only entries about this campaign (required for managers: they read their own campaigns' logs). */
  campaignId?: string;
  /** From the previous page's nextCursor. */
  cursor?: string;
  /** Page size, default 100. */
  limit?: Int & Min<1> & Max<1000>;
}

/** One audit log entry. */
export interface AuditLog {
  id: string;
  /** Its position in the hash chain. */
  seq: number;
  occurredAt: Date;
  recordedAt: Date;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string;
  service: string;
  campaignId?: string;
  /** Empty when redacted. */
  details: Record<string, unknown>;
  /** True when the details were erased (retention or an erasure request); the chain entry remains. */
  redacted: boolean;
  /** True for an entry a user wrote through POST /api/v1/compliance/audit-logs: their statement, not the system's record. */
  userSubmitted: boolean;
}

/** A page of audit log entries, in chain order. */
export interface GetAuditLogsResponse {
  logs: AuditLog[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Where the chain first failed verification. */
export interface ChainBreakView {
  seq: number;
  /** The entry's id ("" when the break is the missing newest entries). */
  logId: string;
  reason: "content_altered" | "details_altered" | "link_broken" | "head_mismatch";
  message: string;
}

/** GET /api/v1/compliance/audit-logs/verify: the result of walking the whole chain. */
export interface AuditChainVerification {
  valid: boolean;
  /** Entries walked. */
  checked: number;
  /** Entries whose details were erased (not a break). */
  redacted: number;
  /** The last chained entry's seq (0 for an empty log). */
  headSeq: number;
  firstBroken?: ChainBreakView;
  verifiedAt: Date;
  durationMs: number;
}

// --- communication checks ---

export type { Communication, Finding } from "./domain/rules";
import type { Communication, Finding } from "./domain/rules";

/** POST /api/v1/compliance/check: one communication to judge. */
export interface ComplianceCheckRequest {
  data: Communication;
}

/** The verdict: `issues` are the findings as sentences (seed shape), `findings` the same with rule and citation. */
export interface ComplianceCheckResponse {
  compliant: boolean;
  issues: string[];
  findings: Finding[];
  rulesApplied: string[];
  /** The audit entry recording this check. */
  checkId: string;
}

// --- retention ---

export type { DataClass } from "../shared/retention";
import type { DataClass } from "../shared/retention";

/** How long one class of data is kept, and why. */
export interface RetentionPolicy {
  dataClass: DataClass;
  /** The service that holds (and purges) it. */
  owner: string;
  periodDays: number;
  legalBasis: string;
  updatedBy: string;
  updatedAt: Date;
}

/** GET /api/v1/compliance/data-retention. */
export interface RetentionPolicyResponse {
  policy: RetentionPolicy[];
}

/** One class's new period and legal basis. */
export interface RetentionPolicyChange {
  dataClass: DataClass;
  periodDays: Int & Min<1> & Max<36500>;
  legalBasis: string & MinLen<3> & MaxLen<1000>;
}

/** PUT /api/v1/compliance/data-retention: the classes to change (others keep theirs). */
export interface UpdateRetentionRequest {
  policy: RetentionPolicyChange[] & MinLen<1> & MaxLen<6>;
}

/** One class's outcome in a retention run. */
export interface RetentionClassResult {
  dataClass: string;
  service: string;
  /** Rows older than this were purged. */
  before: string;
  deleted?: number;
  /** Why this class was not purged (the owning service failed or has no purge endpoint yet). */
  error?: string;
}

/** One enforcement run of the retention policy. */
export interface RetentionRun {
  id: string;
  startedAt: Date;
  finishedAt?: Date;
  status: "running" | "ok" | "partial";
  triggeredBy: string;
  results: RetentionClassResult[];
}

/** Recent retention runs. */
export interface RetentionRunsResponse {
  runs: RetentionRun[];
}

// --- erasure ---

/** POST /api/v1/compliance/data-deletion. */
export interface DataDeletionRequest {
  userId: string & MinLen<1> & MaxLen<100>;
  reason: string & MinLen<1> & MaxLen<2000>;
}

export interface DataDeletionResponse {
  requestId: string;
}

export interface DataDeletionPath {
  requestId: string;
}

/** One service's part of an erasure request. */
export interface ErasureServiceStatus {
  service: string;
  status: "pending" | "done";
  attempts: number;
  lastError?: string;
  /** Counts per kind of record erased (never the data). */
  erased: Record<string, number>;
  completedAt?: Date;
}

/** GET /api/v1/compliance/data-deletion/:requestId. */
export interface DataDeletionStatus {
  requestId: string;
  userId: string;
  reason: string;
  requestedBy: string;
  status: "pending" | "completed";
  requestedAt: Date;
  completedAt?: Date;
  services: ErasureServiceStatus[];
}

/** What one processing pass did (cron and tests). */
export interface ErasureProcessResult {
  attempted: number;
  succeeded: number;
  failed: number;
  completedRequests: number;
}

// --- messaging consent ---

/** An inbound opt-out or opt-in (integrations' Twilio inbound webhook). */
export interface ConsentChangeRequest {
  /** E.164 phone number. */
  address: string;
  kind: "opt_out" | "opt_in";
  /** The keyword received ("STOP", "START", ...). */
  keyword: string;
  channel: "sms" | "whatsapp";
  /** The provider's message id (a redelivered webhook is recorded once). */
  sourceId?: string;
}

export interface ConsentChangeResponse {
  recorded: boolean;
}

export interface OptOutRequest {
  address: string;
}

/** Whether messages to an address must not be sent. */
export interface OptOutResponse {
  optedOut: boolean;
}

// --- reports ---

/** POST /api/v1/compliance/reports/:regulation. */
export interface ReportRequest {
  regulation: string;
  /** Only this campaign's checks (opt-outs and erasures are per person, not per campaign: all of the period's are listed). */
  campaignId?: string;
  /** The period (default: the 30 days up to `end`). */
  start?: Date;
  /** Default: now. */
  end?: Date;
}

/** Where to download the report: `reportUrl` (PDF) and `jsonUrl` (the same evidence as JSON). */
export interface ReportResponse {
  reportId: string;
  reportUrl: string;
  jsonUrl: string;
}
