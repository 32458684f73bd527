// analytics' public endpoints: reports (JSON, or stored as PDF with a download link), the summary and
// sentiment windows, and the admins' backfill. Each checks the caller's role, then their access to
// the campaign (shared/access.ts); the work is in flows/ (reports.ts, pdf.ts, aggregation.ts).
import { api, APIError } from "encore.dev/api";
import { campaigns } from "~encore/clients";
import { safeFileName } from "../shared/csv";
import { requirePermission } from "../shared/permissions";
import { campaignCaller, requireCampaign, windowCampaigns } from "./access";
import { daysBetween, finaliseDays } from "./flows/aggregation";
import { audit } from "./audit";
import { reportPdf, storeReport } from "./flows/report-files";
import { storageUnavailable } from "../shared/objects";
import type { AggregationResult, AnalyticsReport, BackfillRequest, ReportRequest, SentimentResponse, SummaryResponse, WindowRequest } from "./model";
import { offload } from "../shared/workers";
import { PAGES } from "./flows/pdf";
import * as reports from "./flows/reports";
import * as store from "./store";
import { MAX_REPORT_DAYS } from "./domain/report";
import { randomUUID } from "node:crypto";

const DEFAULT_WINDOW_DAYS = 7;

/** The PDF renderer (flows/pdf.ts), run on the heavy-work pool. */
const PDF_RENDERER = new URL("./flows/pdf.ts", import.meta.url);

/** The path a stored PDF report is downloaded from. */
export const downloadPathOf = (reportId: string) => `/api/v1/analytics/reports/${reportId}/pdf`;

// generateAnalyticsReport reports a campaign's figures over [startDate, endDate) (analytics:read; format "pdf" also stores the PDF and returns its download path, analytics:create).
export const generateAnalyticsReport = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/analytics/reports" },
  async (req: ReportRequest): Promise<AnalyticsReport> => {
    const pdf = req.format === "pdf";
    const caller = await campaignCaller(req.campaignId, pdf ? "create" : "read");
    const campaign = await campaigns.getCampaignForService({ campaignId: req.campaignId });
    const report = await reports.buildReport(req, campaign.name);
    if (!pdf) return report;
    const reportId = randomUUID();
    // Rendering is CPU work of a second or more: on the heavy-work pool, off the request loop.
    const bytes = await offload<Buffer>(PDF_RENDERER, "renderReportPdf", [report, reportId]);
    const fileName = `${safeFileName(campaign.name, "campaign")}-${req.startDate.toISOString().slice(0, 10)}-${req.endDate.toISOString().slice(0, 10)}.pdf`;
    const id = await storeReport({
      id: reportId,
      campaignId: req.campaignId,
      start: req.startDate,
      end: req.endDate,
      fileName,
      pdf: bytes,
      pages: PAGES,
      createdBy: caller.userID,
    });
    await audit({
      actorId: caller.userID,
      action: "analytics_report.exported",
      targetType: "analytics_report",
      targetId: id,
      details: { campaignId: req.campaignId, start: req.startDate.toISOString(), end: req.endDate.toISOString(), bytes: bytes.length },
    });
    return { ...report, reportId: id, downloadPath: downloadPathOf(id) };
  },
);

// downloadReport streams a stored PDF report (application/pdf, as an attachment); analytics:read on its campaign.
export const downloadReport = api.raw({ expose: true, auth: true, method: "GET", path: "/api/v1/analytics/reports/:reportId/pdf" }, async (req, resp) => {
  const match = /\/api\/v1\/analytics\/reports\/([^/?]+)\/pdf/.exec(req.url ?? "");
  const reportId = match ? decodeURIComponent(match[1]) : "";
  const caller = requirePermission("analytics", "read");
  const report = await store.getReport(reportId);
  if (!report) throw APIError.notFound("report not found");
  // A report of a campaign the caller may not see is "not found", exactly like a missing one.
  await requireCampaign(caller, report.campaignId, "read");
  let pdf: Buffer | null;
  try {
    pdf = await reportPdf(report);
  } catch (err) {
    throw storageUnavailable(err, "reading the report's PDF");
  }
  // Its object is gone only when a retention purge is removing the report right now.
  if (!pdf) throw APIError.notFound("report not found");
  resp.writeHead(200, {
    "content-type": "application/pdf",
    "content-length": String(pdf.length),
    "content-disposition": `attachment; filename="${report.fileName}"`,
    "cache-control": "private, no-store",
  });
  resp.end(pdf);
});

// getAnalyticsSummary returns the figures of the last `days` UTC days (default 7) for `campaignId` or every campaign the caller may see (analytics:read).
export const getAnalyticsSummary = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/analytics/summary" },
  async ({ campaignId, days }: WindowRequest): Promise<SummaryResponse> => {
    const n = days ?? DEFAULT_WINDOW_DAYS;
    const w = reports.windowOf(n);
    return { summary: await reports.summary(await windowCampaigns(campaignId, w.first, w.last), n) };
  },
);

// getAnalyticsSentiment returns the sentiment of the last `days` UTC days (default 7), per day and platform, for `campaignId` or every campaign the caller may see (analytics:read).
export const getAnalyticsSentiment = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/analytics/sentiment" },
  async ({ campaignId, days }: WindowRequest): Promise<SentimentResponse> => {
    const n = days ?? DEFAULT_WINDOW_DAYS;
    const w = reports.windowOf(n);
    return { sentiment: await reports.sentiment(await windowCampaigns(campaignId, w.first, w.last), n) };
  },
);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// backfillAnalytics re-finalises the days startDate..endDate (UTC, inclusive, at most 366) from monitoring's data, for one campaign or all (analytics:manage, admins).
export const backfillAnalytics = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/analytics/aggregation/backfill" },
  async ({ startDate, endDate, campaignId }: BackfillRequest): Promise<AggregationResult> => {
    const caller = requirePermission("analytics", "manage");
    for (const [name, value] of [
      ["startDate", startDate],
      ["endDate", endDate],
    ] as const) {
      if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
        throw APIError.invalidArgument(`${name} must be a date YYYY-MM-DD`);
      }
    }
    if (endDate < startDate) throw APIError.invalidArgument("endDate must not be before startDate");
    if (daysBetween(startDate, endDate).length > MAX_REPORT_DAYS) throw APIError.invalidArgument(`a backfill covers at most ${MAX_REPORT_DAYS} days`);
    if (campaignId) await requireCampaign(caller, campaignId, "manage");
    const result = await finaliseDays(startDate, endDate, campaignId);
    await audit({
      actorId: caller.userID,
      action: "analytics.backfilled",
      targetType: "analytics_rollups",
      targetId: campaignId ?? "*",
      details: { startDate, endDate, ...result },
    });
    return result;
  },
);
