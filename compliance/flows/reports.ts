// Compliance reports: the evidence for one regulation, gathered at generation time and stored, so
// the JSON and PDF downloads show exactly what was true then. Evidence: the audit chain's
// verification, the retention policy and its runs, erasure requests with their completion times,
// consent and opt-out counts, and the communication rules that implement the regulation.
import { APIError } from "encore.dev/api";
import type { AuthData } from "~encore/auth";
import { auditOwn } from "../audit";
import { verifyChain } from "./chain";
import { CHECK_ACTION } from "./check";
import { erasureTimings, isRegulation, OBLIGATIONS, REGULATION_TITLES, rulesFor, summariseChecks, type CheckEntry, type Regulation } from "../domain/report";
import type { ReportRequest, ReportResponse } from "../model";
import { policies, runs } from "./retention";
import * as store from "../store";
import { isUuid } from "../../shared/ids";

/** The stored report content (also the JSON download). */
export interface ReportContent {
  reportId: string;
  regulation: Regulation;
  title: string;
  generatedAt: string;
  generatedBy: string;
  /** What the report covers: the period, and one campaign's checks or all (null). */
  scope: { campaignId: string | null; start: string; end: string };
  obligations: string[];
  rules: { id: string; regulation: string; citation: string; requirement: string }[];
  auditChain: {
    valid: boolean;
    checked: number;
    redacted: number;
    headSeq: number;
    firstBroken: { seq: number; reason: string; message: string } | null;
    verifiedAt: string;
  };
  retention: {
    policy: { dataClass: string; owner: string; periodDays: number; legalBasis: string }[];
    runs: {
      id: string;
      startedAt: string;
      finishedAt: string | null;
      status: string;
      results: { dataClass: string; service: string; before: string; deleted?: number; error?: string }[];
    }[];
  };
  erasure: {
    requests: { requestId: string; status: string; requestedAt: string; completedAt: string | null; seconds: number | null }[];
    completed: number;
    pending: number;
    medianSeconds: number | null;
    maxSeconds: number | null;
  };
  consent: { optOutEvents: number; optInEvents: number; currentlyOptedOut: number; deliveriesSkippedForOptOut: number };
  /** The compliance checks run in the period that concern this regulation, with their verdicts. */
  checks: { total: number; compliant: number; nonCompliant: number; byRule: { rule: string; applied: number; failed: number }[]; entries: CheckEntry[] };
  /** The opt-outs and opt-ins received in the period (numbers as hashes). */
  optOuts: { optOuts: number; optIns: number; events: { at: string; kind: string; keyword: string; channel: string; addressHash: string }[] };
}

/** The default period of a report. */
const DEFAULT_PERIOD_DAYS = 30;
/** The most entries of each list a report holds. */
const MAX_LISTED = 2000;

export const downloadPath = (reportId: string, format: "pdf" | "json") => `/api/v1/compliance/reports/${reportId}/download?format=${format}`;

/** Gathers the evidence of the period (and campaign), stores the report, and returns where to download it. */
export async function generateReport(caller: NonNullable<AuthData>, req: ReportRequest): Promise<ReportResponse> {
  const reg = req.regulation.trim().toLowerCase();
  if (!isRegulation(reg)) throw APIError.notFound(`no report for ${JSON.stringify(req.regulation)}: use gdpr, ccpa, tcpa, fec or can-spam`);
  const end = req.end ?? new Date();
  const start = req.start ?? new Date(end.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000);
  if (!(start < end)) throw APIError.invalidArgument("start must be before end");
  const campaignId = req.campaignId?.trim() || null;
  if (campaignId !== null && !isUuid(campaignId)) throw APIError.invalidArgument("campaignId must be a campaign's UUID");
  const [chain, policy, recentRuns, erasures, consent, skipped, checkEvents, consentEvents] = await Promise.all([
    verifyChain(),
    policies(),
    runs(50),
    store.erasuresBetween(start, end, MAX_LISTED),
    store.consentCounts(),
    store.actionCounts(["alert.delivery_skipped"]),
    store.actionEntriesBetween(CHECK_ACTION, start, end, campaignId, MAX_LISTED),
    store.consentEventsBetween(start, end, MAX_LISTED),
  ]);
  const checkEntries: CheckEntry[] = checkEvents.map((e) => {
    const d = e.details as { campaignId?: string; channel?: string; compliant?: boolean; rulesApplied?: string[]; findings?: CheckEntry["findings"] };
    return {
      at: e.occurredAt.toISOString(),
      actorId: e.actorId,
      campaignId: d.campaignId ?? null,
      channel: d.channel ?? "",
      compliant: d.compliant === true,
      rulesApplied: d.rulesApplied ?? [],
      findings: d.findings ?? [],
    };
  });
  const timings = erasureTimings(erasures);
  const content: Omit<ReportContent, "reportId"> = {
    regulation: reg,
    title: `Compliance report: ${REGULATION_TITLES[reg]}`,
    generatedAt: new Date().toISOString(),
    generatedBy: caller.userID,
    scope: { campaignId, start: start.toISOString(), end: end.toISOString() },
    obligations: OBLIGATIONS[reg],
    rules: rulesFor(reg),
    auditChain: {
      valid: chain.valid,
      checked: chain.checked,
      redacted: chain.redacted,
      headSeq: chain.headSeq,
      firstBroken: chain.firstBroken ? { seq: chain.firstBroken.seq, reason: chain.firstBroken.reason, message: chain.firstBroken.message } : null,
      verifiedAt: chain.verifiedAt.toISOString(),
    },
    retention: {
      policy: policy.map((p) => ({ dataClass: p.dataClass, owner: p.owner, periodDays: p.periodDays, legalBasis: p.legalBasis })),
      runs: recentRuns.map((r) => ({
        id: r.id,
        startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null,
        status: r.status,
        results: r.results,
      })),
    },
    erasure: {
      requests: erasures.map((e) => ({
        requestId: e.id,
        status: e.status,
        requestedAt: e.requestedAt.toISOString(),
        completedAt: e.completedAt?.toISOString() ?? null,
        seconds: e.completedAt ? (e.completedAt.getTime() - e.requestedAt.getTime()) / 1000 : null,
      })),
      ...timings,
    },
    consent: { ...consent, deliveriesSkippedForOptOut: skipped["alert.delivery_skipped"] ?? 0 },
    checks: summariseChecks(reg, checkEntries),
    optOuts: {
      optOuts: consentEvents.filter((e) => e.kind === "opt_out").length,
      optIns: consentEvents.filter((e) => e.kind === "opt_in").length,
      events: consentEvents.map((e) => ({ at: e.receivedAt.toISOString(), kind: e.kind, keyword: e.keyword, channel: e.channel, addressHash: e.addressHash })),
    },
  };
  const reportId = await store.insertReport(reg, caller.userID, content);
  await auditOwn({
    actorId: caller.userID,
    action: "compliance_report.generated",
    targetType: "compliance_report",
    targetId: reportId,
    details: { regulation: reg, chainValid: chain.valid, ...(campaignId ? { campaignId } : {}), start: start.toISOString(), end: end.toISOString() },
  });
  return { reportId, reportUrl: downloadPath(reportId, "pdf"), jsonUrl: downloadPath(reportId, "json") };
}

/** A stored report's content, with its id (null when there is none). */
export async function reportContent(reportId: string): Promise<ReportContent | null> {
  if (!isUuid(reportId)) return null;
  const r = await store.getReport(reportId);
  return r ? ({ ...(r.content as Omit<ReportContent, "reportId">), reportId: r.id } as ReportContent) : null;
}
