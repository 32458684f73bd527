// compliance's own audit entries (retention runs, erasure requests, reports): compliance IS the
// log, so it appends them to the chain directly instead of through the topic.
import { randomUUID } from "node:crypto";
import { currentRequest } from "encore.dev";
import type { AuditEntry } from "../shared/audit";
import { appendAuditEvent } from "./store";

/** Appends one entry made by compliance; returns its id. `userSubmitted`: a user wrote it through the API (stored and chained as such). */
export async function auditOwn(entry: AuditEntry, id: string = randomUUID(), opts: { userSubmitted?: boolean } = {}): Promise<string> {
  await appendAuditEvent({ id, occurredAt: new Date(), requestId: currentRequest()?.trace?.traceId ?? "", service: "compliance", ...entry }, opts);
  return id;
}
