// Erasure requests across services, against this file's own databases: a user's self-requested
// erasure fans out to auth, campaigns, monitoring, alerting and compliance, completes when all have
// answered, and leaves no personal data (checked in each service's database through its store);
// the audit trail names what was erased without the data; a participant that refuses at first
// (auth, for the last admin) keeps the request pending and is retried until it succeeds; who may
// ask, and bad input.
import "../../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { alerting, auth, campaigns, compliance, monitoring, users } from "~encore/clients";
import type { Role } from "../../shared/permissions";
import * as alertingStore from "../../alerting/store";
import * as authStore from "../../auth/store";
import * as campaignsStore from "../../campaigns/store";
import { db } from "../db";
import { ERASURE_SERVICES } from "./participants";
import { auditEventsFor, detailsAbout } from "../store";
import { as, campaignRequest, code, type Profile } from "../../tests/inproc";

const PASSWORD = "password-for-tests";

let n = 0;
let admin: Profile;
let manager: Profile;
let campaignId: string;

async function user(role: Role, email = `era-${++n}@example.org`): Promise<Profile> {
  return (await users.createUser({ email, password: PASSWORD, name: `Person ${++n}`, role }, as(admin))).user;
}

/** Runs erasure passes (as the retry cron job would) until the request completes. */
async function settle(requestId: string, by: Profile) {
  await expect
    .poll(
      async () => {
        await compliance.processErasures();
        return (await compliance.getDataDeletion({ requestId }, as(by))).status;
      },
      { timeout: 20_000, interval: 50 },
    )
    .toBe("completed");
  return compliance.getDataDeletion({ requestId }, as(by));
}

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
  manager = await user("manager");
  campaignId = (await campaigns.createCampaign(campaignRequest({ name: "Erasure" }), as(manager))).id;
});

describe("erasure requests", () => {
  test("a self-requested erasure completes across every service and leaves no personal data", async () => {
    const email = "maria.subject@example.org";
    const subject = await user("manager", email);
    await auth.login({ email, password: PASSWORD }); // a session
    await campaigns.addCampaignMember({ id: campaignId, userId: subject.id }, as(manager));
    await campaigns.addCampaignContact({ id: campaignId, name: "Maria", channel: "EMAIL", address: email.toUpperCase(), minSeverity: "LOW" }, as(manager));
    await monitoring.createMonitoringConfig(
      {
        campaignId,
        keywords: ["Rivera"],
        competitors: [],
        influencers: [],
        platforms: ["twitter"],
        alertThresholds: { sentimentDrop: -0.3, mentionSpike: 5, crisisScore: 0.8, engagementDrop: -0.5 },
        refreshInterval: 300,
      },
      as(subject),
    );
    const raised = await alerting.sendCrisisAlert(
      { campaignId, crisisScore: 0.9, triggers: ["t"], affectedPlatforms: [], estimatedReach: 1, sentimentImpact: -0.5, recommendedActions: [] },
      as(manager),
    );
    expect(raised.deliveries).toBeGreaterThan(0);
    await compliance.createAuditLog(
      { action: "profile.viewed", campaignId, targetType: "user", targetId: subject.id, details: { phone: "+14155550123", email } },
      as(manager),
    );
    // Before: the person is everywhere.
    expect(await alertingStore.deliveriesTo([email])).toBe(1);
    expect(await campaignsStore.personalDataOf(subject.id, [email])).toEqual({ memberships: 1, contacts: 1 });
    expect(await detailsAbout(subject.id)).toBeGreaterThan(0);

    const { requestId } = await compliance.requestDataDeletion({ userId: subject.id, reason: "I am leaving the campaign" }, as(subject));
    const status = await settle(requestId, subject);
    expect(status.services.map((s) => [s.service, s.status])).toEqual([...ERASURE_SERVICES].sort().map((s) => [s, "done"]));
    expect(ERASURE_SERVICES).toEqual(expect.arrayContaining(["auth", "campaigns", "monitoring", "alerting", "compliance"]));
    const erased = Object.fromEntries(status.services.map((s) => [s.service, s.erased]));
    expect(erased.auth).toMatchObject({ account: 1, sessions: 1 });
    expect(erased.campaigns).toEqual({ memberships: 1, contacts: 1 });
    expect(erased.alerting).toMatchObject({ deliveries: 1 });
    expect(erased.monitoring).toEqual({ config_authors: 1 });
    expect(erased.compliance!.audit_details).toBeGreaterThan(0);
    expect(status.completedAt).toBeDefined();
    const auth_ = status.services.find((s) => s.service === "auth")!;
    for (const s of status.services.filter((s) => s.service !== "auth")) expect(s.completedAt!.getTime()).toBeLessThanOrEqual(auth_.completedAt!.getTime());

    // After: nothing personal is left in any database.
    expect(await authStore.personalDataOf(subject.id)).toEqual({
      email: `erased-${subject.id}@erased.invalid`,
      name: "Erased user",
      sessions: 0,
      identities: 0,
    });
    expect(await authStore.accountAddresses(subject.id)).toEqual([]);
    expect(await campaignsStore.personalDataOf(subject.id, [email])).toEqual({ memberships: 0, contacts: 0 });
    expect(await alertingStore.deliveriesTo([email])).toBe(0);
    expect(await detailsAbout(subject.id)).toBe(0);
    expect((await monitoring.getMonitoringConfig({ campaignId }, as(admin))).createdBy).toBe("erased");
    expect(await code(auth.login({ email, password: PASSWORD }))).toBe("unauthenticated");

    // The audit trail names what was erased, without the data; the chain stays valid.
    const trail = await auditEventsFor("erasure_request", requestId);
    expect(trail.map((e) => e.action).sort()).toEqual([...Array(ERASURE_SERVICES.length).fill("erasure.service_completed"), "erasure.completed"].sort());
    expect(JSON.stringify(trail)).not.toMatch(/maria|4155550123/i);
    expect(await compliance.verifyAuditLogs(as(admin))).toMatchObject({ valid: true });

    // Idempotent: erasing again reports zero counts (but compliance: audit entries about the person made since, like the new request's own).
    const again = await settle((await compliance.requestDataDeletion({ userId: subject.id, reason: "again" }, as(admin))).requestId, admin);
    for (const s of again.services.filter((s) => s.service !== "compliance")) expect(Object.values(s.erased).every((v) => v === 0)).toBe(true);
  });

  test("only the user themself or an admin may ask; others' requests are hidden; bad input is refused", async () => {
    const [a, b] = await Promise.all([user("analyst"), user("viewer")]);
    expect(await code(compliance.requestDataDeletion({ userId: b.id, reason: "x" }, as(a)))).toBe("permission_denied");
    expect(await code(compliance.requestDataDeletion({ userId: b.id, reason: "x" }, as(manager)))).toBe("permission_denied");
    expect(await code(compliance.requestDataDeletion({ userId: "00000000-0000-4000-8000-000000000000", reason: "x" }, as(admin)))).toBe("not_found");
    expect(await code(compliance.requestDataDeletion({ userId: "nope", reason: "x" }, as(admin)))).toBe("invalid_argument");
    expect(await code(compliance.requestDataDeletion({ userId: b.id, reason: "  " }, as(b)))).toBe("invalid_argument");
    expect(await code(compliance.requestDataDeletion({ userId: b.id, reason: "x" }))).toBe("unauthenticated");
    const { requestId } = await compliance.requestDataDeletion({ userId: b.id, reason: "mine" }, as(b));
    expect(await code(compliance.getDataDeletion({ requestId }, as(a)))).toBe("not_found");
    expect(await code(compliance.getDataDeletion({ requestId: "nope" }, as(admin)))).toBe("not_found");
    expect((await compliance.getDataDeletion({ requestId }, as(admin))).userId).toBe(b.id);
  });

  test("a participant that fails keeps the request pending; it is retried until it succeeds", async () => {
    // The only admin asks to be erased: auth refuses (the platform needs an admin) while the others erase.
    const { requestId } = await compliance.requestDataDeletion({ userId: admin.id, reason: "stepping down" }, as(admin));
    await expect
      .poll(
        async () => {
          await compliance.processErasures();
          const s = await compliance.getDataDeletion({ requestId }, as(admin));
          return (
            s.services.filter((t) => t.status === "done").length === ERASURE_SERVICES.length - 1 &&
            Boolean(s.services.find((t) => t.service === "auth")?.lastError)
          );
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(true);
    const stuck = await compliance.getDataDeletion({ requestId }, as(admin));
    expect(stuck.status).toBe("pending");
    expect(stuck.services.find((s) => s.service === "auth")).toMatchObject({ status: "pending", lastError: expect.stringMatching(/last admin/) });
    // Not retried before its backoff...
    expect((await compliance.processErasures()).attempted).toBe(0);
    // ...then another admin exists, the backoff elapses (moved forward here), and the retry succeeds.
    await user("admin");
    await db.exec`UPDATE erasure_tasks SET next_attempt_at = now() WHERE request_id = ${requestId}`;
    const done = await settle(requestId, admin);
    expect(done.services.find((s) => s.service === "auth")).toMatchObject({ status: "done", erased: { account: 1 } });
    expect(done.services.find((s) => s.service === "auth")!.attempts).toBeGreaterThanOrEqual(2);
  });
});
