// Retention: the policy per data class, and its enforcement: each class's owning service purges
// rows older than the class's period (shared/retention.ts), and each run is recorded and audited
// with its counts.
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { DATA_CLASSES, DATA_CLASS_OWNER, type DataClass } from "../../shared/retention";
import { auditOwn } from "../audit";
import type { RetentionPolicy, RetentionRun, UpdateRetentionRequest } from "../model";
import { participant } from "./participants";
import * as store from "../store";

const DAY = 86_400_000;

export async function policies(): Promise<RetentionPolicy[]> {
  const stored = await store.listPolicies();
  return DATA_CLASSES.flatMap((dataClass) => {
    const p = stored.find((s) => s.dataClass === dataClass);
    return p
      ? [{ dataClass, owner: DATA_CLASS_OWNER[dataClass], periodDays: p.periodDays, legalBasis: p.legalBasis, updatedBy: p.updatedBy, updatedAt: p.updatedAt }]
      : [];
  });
}

export async function updatePolicies(actorId: string, req: UpdateRetentionRequest): Promise<RetentionPolicy[]> {
  const seen = new Set<string>();
  for (const c of req.policy) {
    if (!(DATA_CLASSES as readonly string[]).includes(c.dataClass))
      throw APIError.invalidArgument(`unknown data class ${JSON.stringify(c.dataClass)}: use one of ${DATA_CLASSES.join(", ")}`);
    if (seen.has(c.dataClass)) throw APIError.invalidArgument(`${c.dataClass} appears twice`);
    if (!Number.isInteger(c.periodDays)) throw APIError.invalidArgument("periodDays must be a whole number of days");
    if (!c.legalBasis.trim()) throw APIError.invalidArgument("legalBasis is required");
    seen.add(c.dataClass);
  }
  for (const c of req.policy) {
    const before = await store.setPolicy(c.dataClass, c.periodDays, c.legalBasis.trim(), actorId);
    await auditOwn({
      actorId,
      action: "retention.policy_updated",
      targetType: "retention_policy",
      targetId: c.dataClass,
      details: {
        before: before ? { periodDays: before.periodDays, legalBasis: before.legalBasis } : null,
        after: { periodDays: c.periodDays, legalBasis: c.legalBasis.trim() },
      },
    });
  }
  return policies();
}

/** Enforces the policy once: every class purged by its owner; a failing owner does not stop the others. */
export async function enforce(triggeredBy: string, now = new Date()): Promise<RetentionRun> {
  const runId = await store.startRun(triggeredBy);
  const startedAt = new Date();
  const results: store.RunResult[] = [];
  for (const p of await policies()) {
    const before = new Date(now.getTime() - p.periodDays * DAY);
    const owner = participant(p.owner);
    const base = { dataClass: p.dataClass, service: p.owner, before: before.toISOString() };
    if (!owner?.purge) {
      results.push({ ...base, error: `${p.owner} has no retention purge endpoint yet` });
      continue;
    }
    try {
      const r = await owner.purge({ dataClass: p.dataClass as DataClass, before });
      results.push({ ...base, deleted: r.deleted });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error("retention purge failed", { dataClass: p.dataClass, service: p.owner, error: message });
      results.push({ ...base, error: message });
    }
  }
  // A class whose owner has no endpoint yet does not make the run partial; a failed purge does.
  const failed = results.some((r) => r.error && participant(r.service)?.purge);
  const status = failed ? "partial" : "ok";
  await store.finishRun(runId, status, results);
  await auditOwn({
    actorId: triggeredBy,
    action: "retention.run",
    targetType: "retention_run",
    targetId: runId,
    details: {
      status,
      deleted: Object.fromEntries(results.filter((r) => r.deleted !== undefined).map((r) => [r.dataClass, r.deleted])),
      failed: results.filter((r) => r.error).map((r) => r.dataClass),
    },
  });
  return { id: runId, startedAt, finishedAt: new Date(), status, triggeredBy, results };
}

export async function runs(limit: number): Promise<RetentionRun[]> {
  return (await store.listRuns(limit)).map((r) => ({ ...r, finishedAt: r.finishedAt ?? undefined }));
}
