// compliance's public endpoints (seed paths under /api/v1/compliance): permission check, then the
// work in the file that owns it.
import { api, APIError } from "encore.dev/api";
import { requireCaller, requirePermission } from "../shared/permissions";
import { verifyChain } from "./flows/chain";
import { check } from "./flows/check";
import { erasureStatus, requestErasure } from "./flows/erasure";
import { createLog, readLogs } from "./flows/logs";
import type {
  AuditChainVerification,
  ComplianceCheckRequest,
  ComplianceCheckResponse,
  CreateAuditLogRequest,
  CreateAuditLogResponse,
  DataDeletionPath,
  DataDeletionRequest,
  DataDeletionResponse,
  DataDeletionStatus,
  GetAuditLogsRequest,
  GetAuditLogsResponse,
  ReportRequest,
  ReportResponse,
  RetentionPolicyResponse,
  RetentionRun,
  RetentionRunsResponse,
  UpdateRetentionRequest,
} from "./model";
import { offload } from "../shared/workers";
import { generateReport, reportContent } from "./flows/reports";
import { enforce, policies, runs, updatePolicies } from "./flows/retention";

/** The PDF renderer (flows/pdf.ts), run on the heavy-work pool, off the request loop. */
const PDF_RENDERER = new URL("./flows/pdf.ts", import.meta.url);

// createAuditLog records something the caller did (any signed-in user; the caller is the actor).
export const createAuditLog = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/compliance/audit-logs" },
  async (req: CreateAuditLogRequest): Promise<CreateAuditLogResponse> => ({ logId: await createLog(requireCaller(), req) }),
);

// getAuditLogs returns audit entries between start and end, cursor-paginated (admins: all; managers: campaigns they manage).
export const getAuditLogs = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/compliance/audit-logs" },
  (req: GetAuditLogsRequest): Promise<GetAuditLogsResponse> => readLogs(requirePermission("compliance", "read"), req),
);

// verifyAuditLogs walks the audit log's hash chain and reports the first broken link (admins).
export const verifyAuditLogs = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/compliance/audit-logs/verify" },
  async (): Promise<AuditChainVerification> => {
    requirePermission("compliance", "manage");
    return verifyChain();
  },
);

// complianceCheck judges a communication (channel, text, sender, recipients' consent, send time, region) against FEC, TCPA/CTIA, CAN-SPAM and GDPR rules (any signed-in user).
export const complianceCheck = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/compliance/check" },
  (req: ComplianceCheckRequest): Promise<ComplianceCheckResponse> => check(requireCaller(), req),
);

// getDataRetentionPolicy returns the retention policy: per data class, its owner, period and legal basis (admins and managers).
export const getDataRetentionPolicy = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/compliance/data-retention" },
  async (): Promise<RetentionPolicyResponse> => {
    requirePermission("compliance", "read");
    return { policy: await policies() };
  },
);

// updateDataRetention changes the period and legal basis of the given data classes (admins; audited).
export const updateDataRetention = api(
  { expose: true, auth: true, method: "PUT", path: "/api/v1/compliance/data-retention" },
  async (req: UpdateRetentionRequest): Promise<RetentionPolicyResponse> => {
    const caller = requirePermission("compliance", "manage");
    return { policy: await updatePolicies(caller.userID, req) };
  },
);

// getRetentionRuns lists the latest enforcement runs of the retention policy with their counts (admins and managers).
export const getRetentionRuns = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/compliance/data-retention/runs" },
  async (): Promise<RetentionRunsResponse> => {
    requirePermission("compliance", "read");
    return { runs: await runs(50) };
  },
);

// runDataRetention enforces the retention policy now, as the nightly job does (admins; audited with its counts).
export const runDataRetention = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/compliance/data-retention/runs" },
  async (): Promise<RetentionRun> => {
    const caller = requirePermission("compliance", "manage");
    return enforce(caller.userID);
  },
);

// requestDataDeletion asks every service holding a user's data to erase it (the user themself, or an admin for anyone).
export const requestDataDeletion = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/compliance/data-deletion" },
  async (req: DataDeletionRequest): Promise<DataDeletionResponse> => ({ requestId: await requestErasure(requireCaller(), req) }),
);

// getDataDeletion returns an erasure request's status per service (admins, its requester, its subject).
export const getDataDeletion = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/compliance/data-deletion/:requestId" },
  ({ requestId }: DataDeletionPath): Promise<DataDeletionStatus> => erasureStatus(requireCaller(), requestId),
);

// generateComplianceReport gathers the evidence for gdpr, ccpa, tcpa, fec or can-spam (others 404) over a period (default the last 30 days), for one campaign or all, and returns where to download it as PDF or JSON (admins).
export const generateComplianceReport = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/compliance/reports/:regulation" },
  (req: ReportRequest): Promise<ReportResponse> => generateReport(requirePermission("compliance", "manage"), req),
);

// downloadComplianceReport streams a generated report: ?format=pdf (default) or json (admins).
export const downloadComplianceReport = api.raw(
  { expose: true, auth: true, method: "GET", path: "/api/v1/compliance/reports/:reportId/download" },
  async (req, resp) => {
    requirePermission("compliance", "manage");
    const url = new URL(req.url ?? "/", "http://local");
    const reportId = decodeURIComponent(/\/reports\/([^/]+)\/download/.exec(url.pathname)?.[1] ?? "");
    const format = url.searchParams.get("format") ?? "pdf";
    if (format !== "pdf" && format !== "json") throw APIError.invalidArgument("format must be pdf or json");
    const report = await reportContent(reportId);
    if (!report) throw APIError.notFound("report not found");
    const name = `compliance-${report.regulation}-${report.generatedAt.slice(0, 10)}`;
    const body = format === "pdf" ? await offload<Buffer>(PDF_RENDERER, "renderReportPdf", [report]) : Buffer.from(JSON.stringify(report, null, 2));
    resp.writeHead(200, {
      "content-type": format === "pdf" ? "application/pdf" : "application/json",
      "content-length": String(body.length),
      "content-disposition": `attachment; filename="${name}.${format}"`,
      "cache-control": "private, no-store",
    });
    resp.end(body);
  },
);
