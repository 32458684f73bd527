// Compliance reports: the evidence for one regulation, gathered at generation time and stored, so
// the JSON and PDF downloads show exactly what was true then. Evidence: the audit chain's
// verification, the retention policy and its runs, erasure requests with their completion times,
// consent and opt-out counts, and the communication rules that implement the regulation.
import { APIError } from "encore.dev/api";
import type { AuthData } from "~encore/auth";
import { auditOwn } from "./audit";
import { verifyChain } from "./chain";
import { erasureTimings, isRegulation, OBLIGATIONS, REGULATION_TITLES, rulesFor, type Regulation } from "./domain/report";
import type { ReportResponse } from "./model";
import { policies, runs } from "./retention";
import * as store from "./store";

/** The stored report content (also the JSON download). */
export interface ReportContent {
  reportId: string;
  regulation: Regulation;
  title: string;
  generatedAt: string;
  generatedBy: string;
  obligations: string[];
  rules: { id: string; regulation: string; citation: string; requirement: string }[];
  auditChain: { valid: boolean; checked: number; redacted: number; headSeq: number; firstBroken: { seq: number; reason: string; message: string } | null; verifiedAt: string };
  retention: {
    policy: { dataClass: string; owner: string; periodDays: number; legalBasis: string }[];
    runs: { id: string; startedAt: string; finishedAt: string | null; status: string; results: { dataClass: string; service: string; before: string; deleted?: number; error?: string }[] }[];
  };
  erasure: {
    requests: { requestId: string; status: string; requestedAt: string; completedAt: string | null; seconds: number | null }[];
    completed: number;
    pending: number;
    medianSeconds: number | null;
    maxSeconds: number | null;
  };
  consent: { optOutEvents: number; optInEvents: number; currentlyOptedOut: number; deliveriesSkippedForOptOut: number };
}

export const downloadPath = (reportId: string, format: "pdf" | "json") => `/api/v1/compliance/reports/${reportId}/download?format=${format}`;

/** Gathers the evidence, stores the report, and returns where to download it. */
export async function generateReport(caller: NonNullable<AuthData>, regulation: string): Promise<ReportResponse> {
  const reg = regulation.trim().toLowerCase();
  if (!isRegulation(reg)) throw APIError.notFound(`no report for ${JSON.stringify(regulation)}: use gdpr, ccpa, tcpa, fec or can-spam`);
  const [chain, policy, recentRuns, erasures, consent, skipped] = await Promise.all([
    verifyChain(),
    policies(),
    runs(50),
    store.listErasures(500),
    store.consentCounts(),
    store.actionCounts(["alert.delivery_skipped"]),
  ]);
  const timings = erasureTimings(erasures);
  const content: Omit<ReportContent, "reportId"> = {
    regulation: reg,
    title: `Compliance report: ${REGULATION_TITLES[reg]}`,
    generatedAt: new Date().toISOString(),
    generatedBy: caller.userID,
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
      runs: recentRuns.map((r) => ({ id: r.id, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, status: r.status, results: r.results })),
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
  };
  const reportId = await store.insertReport(reg, caller.userID, content);
  await auditOwn({ actorId: caller.userID, action: "compliance_report.generated", targetType: "compliance_report", targetId: reportId, details: { regulation: reg, chainValid: chain.valid } });
  return { reportId, reportUrl: downloadPath(reportId, "pdf"), jsonUrl: downloadPath(reportId, "json") };
}

/** A stored report's content, with its id (null when there is none). */
export async function reportContent(reportId: string): Promise<ReportContent | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reportId)) return null;
  const r = await store.getReport(reportId);
  return r ? ({ ...(r.content as Omit<ReportContent, "reportId">), reportId: r.id } as ReportContent) : null;
}
