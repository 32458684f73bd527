// Retention against this file's own databases: the policy (read, admin update, bad input), each
// owning service's purge deleting exactly the rows older than the cut-off (monitoring's mentions,
// alerting's alerts and deliveries, compliance's audit details with the chain still valid), and the
// enforcement run recorded and audited with its counts.
import "../../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { alerting, auth, campaigns, compliance, monitoring, users } from "~encore/clients";
import type { Role } from "../../shared/permissions";
import * as alertingStore from "../../alerting/store";
import * as monitoringStore from "../../monitoring/store";
import { db } from "../db";
import { auditEventsFor } from "../store";
import { as, campaignRequest, code, type Profile } from "../../tests/inproc";

const PASSWORD = "password-for-tests";
const DAY = 86_400_000;

let n = 0;
let admin: Profile;
let manager: Profile;
let analyst: Profile;
let campaignId: string;

async function user(role: Role): Promise<Profile> {
  return (await users.createUser({ email: `ret-${++n}@example.org`, password: PASSWORD, name: `User ${n}`, role }, as(admin))).user;
}

function mention(sourceId: string, ageDays: number) {
  return {
    id: sourceId,
    text: `Rivera in Columbus ${sourceId}`,
    author: "someone",
    platform: "twitter",
    url: "",
    sentiment: 0.1,
    reach: 10,
    engagement: 1,
    timestamp: new Date(Date.now() - ageDays * DAY),
  };
}

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
  [manager, analyst] = await Promise.all([user("manager"), user("analyst")]);
  campaignId = (await campaigns.createCampaign(campaignRequest({ name: "Retention" }), as(manager))).id;
});

describe("the retention policy", () => {
  test("lists every data class with its owner, period and legal basis", async () => {
    const { policy } = await compliance.getDataRetentionPolicy(as(manager));
    expect(policy.map((p) => p.dataClass)).toEqual(["mentions", "chat_messages", "documents", "alerts", "audit_log", "analytics_rollups"]);
    expect(policy.find((p) => p.dataClass === "alerts")).toMatchObject({ owner: "alerting", periodDays: 365 });
    for (const p of policy) expect(p.legalBasis).toMatch(/GDPR Art\. 6/);
  });

  test("admins update it (audited); others may not; bad input is refused", async () => {
    const { policy } = await compliance.updateDataRetention(
      { policy: [{ dataClass: "documents", periodDays: 90, legalBasis: "GDPR Art. 6(1)(f): research kept 90 days" }] },
      as(admin),
    );
    expect(policy.find((p) => p.dataClass === "documents")).toMatchObject({ periodDays: 90, updatedBy: admin.id });
    await expect
      .poll(async () => (await auditEventsFor("retention_policy", "documents")).map((e) => e.details))
      .toEqual([
        { before: { periodDays: 730, legalBasis: expect.any(String) }, after: { periodDays: 90, legalBasis: "GDPR Art. 6(1)(f): research kept 90 days" } },
      ]);
    const change = { policy: [{ dataClass: "documents" as const, periodDays: 30, legalBasis: "because" }] };
    expect(await code(compliance.updateDataRetention(change, as(manager)))).toBe("permission_denied");
    expect(await code(compliance.getDataRetentionPolicy(as(analyst)))).toBe("permission_denied");
    expect(await code(compliance.updateDataRetention({ policy: [{ dataClass: "secrets" as never, periodDays: 30, legalBasis: "because" }] }, as(admin)))).toBe(
      "invalid_argument",
    );
    expect(await code(compliance.updateDataRetention({ policy: [{ dataClass: "documents", periodDays: 0, legalBasis: "because" }] }, as(admin)))).toBe(
      "invalid_argument",
    );
    expect(await code(compliance.updateDataRetention({ policy: [] }, as(admin)))).toBe("invalid_argument");
  });
});

describe("purges in the owning services", () => {
  test("alerting deletes exactly the alerts (and their deliveries) created before the cut-off; again deletes nothing", async () => {
    await campaigns.addCampaignContact({ id: campaignId, name: "Duty", channel: "EMAIL", address: "duty@example.org", minSeverity: "LOW" }, as(manager));
    const raise = () =>
      alerting.sendCrisisAlert(
        { campaignId, crisisScore: 0.9, triggers: ["t"], affectedPlatforms: [], estimatedReach: 1, sentimentImpact: -0.5, recommendedActions: [] },
        as(manager),
      );
    const old = await raise();
    const cutoff = new Date(Date.now() + 5);
    while (Date.now() <= cutoff.getTime() + 5) await new Promise((r) => setImmediate(r));
    const recent = await raise();
    expect(old.deliveries).toBeGreaterThan(0);
    const r = await alerting.purgeRetention({ dataClass: "alerts", before: cutoff });
    expect(r).toEqual({ dataClass: "alerts", deleted: 1 + old.deliveries });
    const left = (await alertingStore.listAlerts({ campaignIds: null, campaignId, status: null, offset: 0, limit: 100 })).alerts.map((a) => a.id);
    expect(left).toEqual([recent.alertId]);
    expect(await alerting.purgeRetention({ dataClass: "alerts", before: cutoff })).toEqual({ dataClass: "alerts", deleted: 0 });
    expect(await code(alerting.purgeRetention({ dataClass: "mentions", before: cutoff }))).toBe("invalid_argument");
  });

  test("the enforcement run purges mentions and audit details past their periods, records and audits its counts", async () => {
    await monitoring.ingestBatch({ campaignId, mentions: [mention("old-1", 400), mention("old-2", 380), mention("new-1", 10), mention("new-2", 0)] });
    // Two audit entries made long ago (their details are personal data past the audit log's period).
    const { logId: oldLog } = await compliance.createAuditLog({ action: "test.old", details: { email: "someone@example.org" } }, as(admin));
    const { logId: oldLog2 } = await compliance.createAuditLog({ action: "test.old", details: { email: "someone@example.org" } }, as(admin));
    await db.exec`UPDATE audit_log SET occurred_at = occurred_at - interval '2000 days' WHERE id IN (${oldLog}, ${oldLog2})`;
    // (Moving occurred_at rewrites chained content: restore the chain by undoing it after the run.)
    const run = await compliance.enforceRetention();
    await db.exec`UPDATE audit_log SET occurred_at = occurred_at + interval '2000 days' WHERE id IN (${oldLog}, ${oldLog2})`;
    expect(await compliance.verifyAuditLogs(as(admin))).toMatchObject({ valid: true, redacted: 2 });

    expect(run.status).toBe("ok");
    const byClass = Object.fromEntries(run.results.map((r) => [r.dataClass, r]));
    expect(byClass.mentions).toMatchObject({ service: "monitoring", deleted: 2 });
    expect(byClass.audit_log).toMatchObject({ service: "compliance", deleted: 2 });
    expect(byClass.alerts).toMatchObject({ service: "alerting", deleted: 0 });
    expect(await monitoringStore.mentionSourceIds(campaignId)).toEqual(["new-1", "new-2"]);
    const redacted = await db.queryAll<{ id: string }>`SELECT l.id FROM audit_log l LEFT JOIN audit_details d ON d.log_id = l.id WHERE d.log_id IS NULL`;
    expect(redacted.map((r) => r.id).sort()).toEqual([oldLog, oldLog2].sort());

    const { runs } = await compliance.getRetentionRuns(as(admin));
    expect(runs[0]).toMatchObject({ id: run.id, status: "ok" });
    const [audited] = await auditEventsFor("retention_run", run.id);
    expect(audited).toMatchObject({ action: "retention.run", details: { status: "ok", deleted: { mentions: 2, audit_log: 2, alerts: 0 } } });
    // Every class is accounted for: purged by its owner, or reported with the reason it was not.
    for (const c of ["chat_messages", "documents", "analytics_rollups"]) expect(byClass[c]!.deleted ?? byClass[c]!.error).toBeDefined();
  });
});
