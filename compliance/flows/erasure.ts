// Erasure requests (GDPR Art. 17, CCPA § 1798.105): a request becomes one durable task per
// participating service (participants.ts); tasks are attempted at once and retried with backoff by
// a cron job until each service has answered; the identity holder (auth) goes last because the
// others look the person's email up there. The request completes when every task is done. The audit
// trail names what was erased (counts per kind of record) without the data.
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { auth } from "~encore/clients";
import type { AuthData } from "~encore/auth";
import { auditOwn } from "../audit";
import type { DataDeletionRequest, DataDeletionStatus, ErasureProcessResult } from "../model";
import { ERASURE_SERVICES, participant, PARTICIPANTS } from "./participants";
import * as store from "../store";
import { isUuid } from "../../shared/ids";

const LEASE_SECONDS = 120;
const IDENTITY_SERVICES = PARTICIPANTS.filter((p) => p.identity).map((p) => p.service);

/** Seconds before attempt n+1: 5 s, 10 s, 20 s ... capped at 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));
}

/** Creates a request (self, or an admin for anyone) and starts processing it. */
export async function requestErasure(caller: NonNullable<AuthData>, req: DataDeletionRequest): Promise<string> {
  const userId = req.userId.trim();
  const reason = req.reason.trim();
  if (!reason) throw APIError.invalidArgument("reason is required");
  if (userId !== caller.userID && caller.role !== "admin") throw APIError.permissionDenied("only admins may request the erasure of another user's data");
  if (!isUuid(userId)) throw APIError.invalidArgument("userId must be a user's id");
  const contact = await auth.getAccountContact({ id: userId });
  if (!contact.exists) throw APIError.notFound("no such user");
  const requestId = await store.createErasure(userId, reason, caller.userID, ERASURE_SERVICES);
  await auditOwn({
    actorId: caller.userID,
    action: "erasure.requested",
    targetType: "user",
    targetId: userId,
    details: { requestId, services: ERASURE_SERVICES },
  });
  // Processed at once in the background; the cron job retries what fails.
  void processDue().catch((err) => log.error("erasure processing failed", { error: err instanceof Error ? err.message : String(err) }));
  return requestId;
}

/** A request's status: for admins, its requester and its subject. */
export async function erasureStatus(caller: NonNullable<AuthData>, requestId: string): Promise<DataDeletionStatus> {
  if (!isUuid(requestId)) throw APIError.notFound("no such request");
  const r = await store.getErasure(requestId);
  if (!r || (caller.role !== "admin" && caller.userID !== r.requestedBy && caller.userID !== r.userId)) throw APIError.notFound("no such request");
  return {
    requestId: r.id,
    userId: r.userId,
    reason: r.reason,
    requestedBy: r.requestedBy,
    status: r.status,
    requestedAt: r.requestedAt,
    ...(r.completedAt ? { completedAt: r.completedAt } : {}),
    services: r.tasks.map((t) => ({
      service: t.service,
      status: t.status,
      attempts: t.attempts,
      ...(t.lastError ? { lastError: t.lastError } : {}),
      erased: t.erased ?? {},
      ...(t.completedAt ? { completedAt: t.completedAt } : {}),
    })),
  };
}

/** Attempts every due task (identity holders after the rest of their request); completes requests whose tasks are all done. */
export async function processDue(): Promise<ErasureProcessResult> {
  const result: ErasureProcessResult = { attempted: 0, succeeded: 0, failed: 0, completedRequests: 0 };
  // Identity tasks become due only when the others are done: loop so they run in the same pass.
  for (let round = 0; round < 3; round++) {
    const tasks = await store.claimDueTasks(IDENTITY_SERVICES, LEASE_SECONDS, 100);
    if (tasks.length === 0) break;
    result.attempted += tasks.length;
    await Promise.all(
      tasks.map(async (t) => {
        const p = participant(t.service);
        try {
          if (!p?.erase) throw new Error(`${t.service} has no erasure endpoint`);
          const r = await p.erase({ requestId: t.requestId, userId: t.userId });
          await store.taskDone(t.requestId, t.service, r.erased);
          await auditOwn({
            actorId: "system",
            action: "erasure.service_completed",
            targetType: "erasure_request",
            targetId: t.requestId,
            details: { service: t.service, erased: r.erased, attempts: t.attempts },
          });
          result.succeeded++;
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const delay = retryDelaySeconds(t.attempts);
          log.warn("erasure task failed; will retry", {
            requestId: t.requestId,
            service: t.service,
            attempts: t.attempts,
            retryInSeconds: delay,
            error: message,
          });
          await store.taskFailed(t.requestId, t.service, message, delay);
          result.failed++;
        }
        if (await store.completeIfDone(t.requestId)) {
          await auditOwn({
            actorId: "system",
            action: "erasure.completed",
            targetType: "erasure_request",
            targetId: t.requestId,
            details: { services: ERASURE_SERVICES },
          });
          result.completedRequests++;
        }
      }),
    );
  }
  return result;
}
