// The analytics report as CSV: GET /api/v1/analytics/reports/csv?campaignId&startDate&endDate
// [&includeCompetitors&includeInfluencers]: the report POST /api/v1/analytics/reports answers in
// JSON, with the same access rule (analytics:read on the campaign, else 403/404) and the same
// checks of the period, streamed as CSV tables in the campaign's time zone (UTC when it has none).
import { api, APIError } from "encore.dev/api";
import { campaigns } from "~encore/clients";
import { campaignTimeZone, safeFileName } from "../shared/csv";
import { streamCsv } from "../shared/csv-stream";
import { campaignCaller } from "./access";
import { reportCsvRows } from "./domain/csv";
import type { ReportRequest } from "./model";
import * as reports from "./flows/reports";

const PARAMS = ["campaignId", "startDate", "endDate", "includeCompetitors", "includeInfluencers"];

/** The report request from the query string; every problem a 400 naming the parameter. */
export function reportRequestFromQuery(params: URLSearchParams): ReportRequest {
  const unknown = [...new Set(params.keys())].filter((k) => !PARAMS.includes(k));
  if (unknown.length > 0) throw APIError.invalidArgument(`unknown query parameter ${unknown.map((u) => `"${u}"`).join(", ")}`);
  for (const name of PARAMS) if (params.getAll(name).length > 1) throw APIError.invalidArgument(`${name} is given more than once`);
  const campaignId = params.get("campaignId") ?? "";
  if (campaignId === "" || campaignId.length > 64) throw APIError.invalidArgument("campaignId is required");
  const time = (name: string): Date => {
    const value = params.get(name) ?? "";
    const t = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(t)) throw APIError.invalidArgument(`${name} must be an ISO 8601 time`);
    return new Date(t);
  };
  const flag = (name: string): boolean | undefined => {
    const value = params.get(name);
    if (value === null) return undefined;
    if (value !== "true" && value !== "false") throw APIError.invalidArgument(`${name} must be true or false`);
    return value === "true";
  };
  return {
    campaignId,
    startDate: time("startDate"),
    endDate: time("endDate"),
    includeCompetitors: flag("includeCompetitors"),
    includeInfluencers: flag("includeInfluencers"),
  };
}

// exportReportCsv streams a campaign's analytics report over [startDate, endDate) as CSV tables, in the campaign's time zone (analytics:read).
export const exportReportCsv = api.raw({ expose: true, auth: true, method: "GET", path: "/api/v1/analytics/reports/csv" }, async (req, resp) => {
  const request = reportRequestFromQuery(new URL(req.url ?? "/", "http://localhost").searchParams);
  await campaignCaller(request.campaignId, "read");
  const campaign = await campaigns.getCampaignForService({ campaignId: request.campaignId });
  const report = await reports.buildReport(request, campaign.name);
  const zone = campaignTimeZone(campaign);
  const fileName = `${safeFileName(campaign.name, "campaign")}-${request.startDate.toISOString().slice(0, 10)}-${request.endDate.toISOString().slice(0, 10)}.csv`;
  await streamCsv(resp, fileName, [reportCsvRows(report, zone)]);
});
