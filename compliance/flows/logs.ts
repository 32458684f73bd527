// The audit log's public side: writing an entry as the caller, and reading entries (admins: all;
// managers: their own campaigns').
import { APIError } from "encore.dev/api";
import { campaigns } from "~encore/clients";
import type { AuthData } from "~encore/auth";
import { decideCampaignManagement, enforceAccess, requireCampaignManagement } from "../../shared/access";
import { auditOwn } from "../audit";
import { checkSubmittedEntry } from "../domain/submitted";
import type { AuditLog, CreateAuditLogRequest, GetAuditLogsRequest, GetAuditLogsResponse } from "../model";
import * as store from "../store";
import { isUuid } from "../../shared/ids";

/**
 * Stores an entry the caller writes, with the caller as actor, marked user-submitted (see
 * domain/submitted.ts for what it may say). It must concern a campaign the caller manages
 * (admins: any campaign, or none): 404 for a campaign they may not see, 403 for one they see but
 * do not manage.
 */
export async function createLog(caller: NonNullable<AuthData>, req: CreateAuditLogRequest): Promise<string> {
  const entry = checkSubmittedEntry(req, caller.userID);
  if ("problem" in entry) throw APIError.invalidArgument(entry.problem);
  if (entry.campaignId === null) {
    if (caller.role !== "admin") throw APIError.permissionDenied("entries you write must concern a campaign you manage: pass campaignId");
  } else {
    const decision = decideCampaignManagement(caller, await campaigns.getCampaignAccess({ campaignId: entry.campaignId, userID: caller.userID }));
    if (!decision.allowed && decision.code === "permission_denied")
      throw APIError.permissionDenied("only admins and the campaign's managers may write its audit entries");
    enforceAccess(decision);
  }
  return auditOwn({ actorId: caller.userID, action: entry.action, targetType: entry.targetType, targetId: entry.targetId, details: entry.details }, undefined, {
    userSubmitted: true,
  });
}

function parseTime(name: string, value: string): Date {
  const d = new Date(value);
  if (!value || Number.isNaN(d.getTime())) throw APIError.invalidArgument(`${name} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  return d;
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const seq = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(seq)) throw APIError.invalidArgument("cursor is not one this endpoint returned");
  return seq;
}

/** A page of entries, after the access checks. */
export async function readLogs(caller: NonNullable<AuthData>, req: GetAuditLogsRequest): Promise<GetAuditLogsResponse> {
  const start = parseTime("start", req.start);
  const end = parseTime("end", req.end);
  if (start > end) throw APIError.invalidArgument("start must not be after end");
  const campaignId = req.campaignId?.trim() || null;
  if (campaignId !== null && !isUuid(campaignId)) throw APIError.invalidArgument("campaignId must be a campaign's UUID");
  if (caller.role !== "admin") {
    if (campaignId === null) throw APIError.permissionDenied("managers read the audit log of the campaigns they manage: pass campaignId");
    requireCampaignManagement(caller, await campaigns.getCampaignAccess({ campaignId, userID: caller.userID }));
  }
  const limit = req.limit ?? 100;
  const rows = await store.listLogs({ start, end, actorId: req.userId?.trim() || null, campaignId, afterSeq: decodeCursor(req.cursor), limit: limit + 1 });
  const page = rows.slice(0, limit);
  const logs: AuditLog[] = page.map((r) => ({
    id: r.event.id,
    seq: r.seq,
    occurredAt: r.event.occurredAt,
    recordedAt: r.recordedAt,
    actorId: r.event.actorId,
    action: r.event.action,
    targetType: r.event.targetType,
    targetId: r.event.targetId,
    requestId: r.event.requestId,
    service: r.event.service,
    ...(r.campaignId ? { campaignId: r.campaignId } : {}),
    details: r.event.details,
    redacted: r.redacted,
    userSubmitted: r.userSubmitted,
  }));
  const last = page[page.length - 1];
  return { logs, ...(rows.length > limit && last ? { nextCursor: Buffer.from(String(last.seq)).toString("base64url") } : {}) };
}
