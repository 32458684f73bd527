// The permission matrix: every role against every protected endpoint that exists so far, plus an
// anonymous caller. A row names the endpoint (and the case), the lowest role allowed (null: no role
// may), and how to call it as someone. Services add their rows here as they land.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { analytics, auth, campaigns, users } from "~encore/clients";
import { intelligence } from "~encore/clients";
import { compliance } from "~encore/clients";
import { ROLES, roleAtLeast, type Role } from "../shared/permissions";

const PASSWORD = "matrix-password-1";
type Session = Awaited<ReturnType<typeof auth.register>>;
type As = { authData: { userID: string; email: string; role: Role; permissions: { resource: string; actions: string[] }[] } } | undefined;

/** The users a call may need: the caller's own id, and a fresh victim made for this call. */
interface Ctx {
  self: string;
  role: Role;
  other: () => Promise<string>;
}

interface Row {
  endpoint: string;
  minRole: Role | null;
  call: (ctx: Ctx, as: As) => Promise<unknown>;
}

let n = 0;
let admin: Session;
const sessions = new Map<Role, Session>();

async function newUser(role: Role): Promise<Session> {
  const email = `matrix-${role}-${++n}@example.org`;
  await users.createUser({ email, password: PASSWORD, name: `${role} ${n}`, role }, as(admin));
  return auth.login({ email, password: PASSWORD });
}

function as(s: Session): As {
  return { authData: { userID: s.user.id, email: s.user.email, role: s.user.role, permissions: s.user.permissions } };
}

const NO_CAMPAIGN = "00000000-0000-4000-8000-000000000000";

const ROWS: Row[] = [
  { endpoint: "GET /api/v1/auth/me", minRole: "viewer", call: (_c, a) => auth.me(a) },
  { endpoint: "POST /api/v1/auth/logout", minRole: "viewer", call: (_c, a) => auth.logout(a) },
  { endpoint: "POST /api/v1/auth/password", minRole: "viewer", call: (_c, a) => auth.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }, a) },
  { endpoint: "GET /api/v1/users", minRole: "manager", call: (_c, a) => users.getUsers({}, a) },
  { endpoint: "GET /api/v1/users/:id (self)", minRole: "viewer", call: (c, a) => users.getUserById({ id: c.self }, a) },
  { endpoint: "GET /api/v1/users/:id (other)", minRole: "manager", call: async (c, a) => users.getUserById({ id: await c.other() }, a) },
  {
    endpoint: "POST /api/v1/users (viewer)",
    minRole: "admin",
    call: (_c, a) => users.createUser({ email: `created-${++n}@example.org`, password: PASSWORD, name: "C", role: "viewer" }, a),
  },
  { endpoint: "PUT /api/v1/users/:id (own name)", minRole: "viewer", call: (c, a) => users.updateUser({ id: c.self, name: `Renamed ${++n}` }, a) },
  {
    endpoint: "PUT /api/v1/users/:id (own role → another)",
    minRole: null,
    call: (c, a) => users.updateUser({ id: c.self, role: c.role === "admin" ? "viewer" : "admin" }, a),
  },
  { endpoint: "PUT /api/v1/users/:id (other's name)", minRole: "admin", call: async (c, a) => users.updateUser({ id: await c.other(), name: "Changed" }, a) },
  { endpoint: "PUT /api/v1/users/:id (other's role)", minRole: "admin", call: async (c, a) => users.updateUser({ id: await c.other(), role: "analyst" }, a) },
  { endpoint: "DELETE /api/v1/users/:id (other)", minRole: "admin", call: async (c, a) => users.deleteUser({ id: await c.other() }, a) },
  { endpoint: "GET /api/v1/auth/identities", minRole: "viewer", call: (_c, a) => auth.listIdentities(a) },
  // Past the permission check these end in a business answer, which counts as allowed here: no such
  // identity (404), no provider admits the domain (failed_precondition), the domain was not required (404).
  {
    endpoint: "DELETE /api/v1/auth/identities/:id",
    minRole: "viewer",
    call: (_c, a) => allowedIf(auth.unlinkIdentity({ id: "00000000-0000-4000-8000-000000000000" }, a), "not_found"),
  },
  { endpoint: "GET /api/v1/auth/sso-domains", minRole: "admin", call: (_c, a) => auth.listSsoDomains(a) },
  {
    endpoint: "PUT /api/v1/auth/sso-domains/:domain",
    minRole: "admin",
    call: (_c, a) => allowedIf(auth.requireSsoDomain({ domain: "matrix.example" }, a), "failed_precondition"),
  },
  {
    endpoint: "DELETE /api/v1/auth/sso-domains/:domain",
    minRole: "admin",
    call: (_c, a) => allowedIf(auth.releaseSsoDomain({ domain: "matrix.example" }, a), "not_found"),
  },
  // Campaign metrics and ad accounts: past the permission check, Meta/Google are not configured here
  // (503), and the campaign does not exist (404).
  { endpoint: "GET /api/v1/campaigns/meta", minRole: "viewer", call: (_c, a) => allowedIf(campaigns.getMetaCampaigns({}, a), "unavailable") },
  { endpoint: "GET /api/v1/campaigns/google", minRole: "viewer", call: (_c, a) => allowedIf(campaigns.getGoogleCampaigns({}, a), "unavailable") },
  {
    endpoint: "GET /api/v1/campaigns/:id/ad-accounts",
    minRole: "viewer",
    call: (_c, a) => allowedIf(campaigns.getCampaignAdAccounts({ id: NO_CAMPAIGN }, a), "not_found"),
  },
  {
    endpoint: "POST /api/v1/campaigns/:id/ad-accounts",
    minRole: "manager",
    call: (_c, a) => allowedIf(campaigns.linkCampaignAdAccount({ id: NO_CAMPAIGN, platform: "meta", accountId: "act_1" }, a), "not_found"),
  },
  {
    endpoint: "DELETE /api/v1/campaigns/:id/ad-accounts/:platform/:accountId",
    minRole: "manager",
    call: (_c, a) => allowedIf(campaigns.unlinkCampaignAdAccount({ id: NO_CAMPAIGN, platform: "meta", accountId: "act_1" }, a), "not_found"),
  },
  {
    endpoint: "GET /api/v1/campaigns/:id/metrics",
    minRole: "viewer",
    call: (_c, a) => allowedIf(campaigns.getCampaignMetrics({ id: NO_CAMPAIGN }, a), "not_found"),
  },
  {
    endpoint: "PUT /api/v1/campaigns/:id/metrics/settings",
    minRole: "manager",
    call: (_c, a) => allowedIf(campaigns.updateCampaignMetricSettings({ id: NO_CAMPAIGN, valuePerConversion: 10 }, a), "not_found"),
  },
  {
    endpoint: "POST /api/v1/campaigns/:id/metrics/refresh",
    minRole: "manager",
    call: (_c, a) => allowedIf(campaigns.refreshCampaignMetrics({ id: NO_CAMPAIGN }, a), "not_found"),
  },
  // Analytics: reports of a campaign that does not exist end in 404 past the permission check.
  {
    endpoint: "POST /api/v1/analytics/reports (JSON)",
    minRole: "viewer",
    call: (_c, a) =>
      allowedIf(
        analytics.generateAnalyticsReport(
          { campaignId: NO_CAMPAIGN, startDate: new Date("2026-11-01T00:00:00Z"), endDate: new Date("2026-11-02T00:00:00Z") },
          a,
        ),
        "not_found",
      ),
  },
  {
    endpoint: "POST /api/v1/analytics/reports (PDF)",
    minRole: "analyst",
    call: (_c, a) =>
      allowedIf(
        analytics.generateAnalyticsReport(
          { campaignId: NO_CAMPAIGN, startDate: new Date("2026-11-01T00:00:00Z"), endDate: new Date("2026-11-02T00:00:00Z"), format: "pdf" },
          a,
        ),
        "not_found",
      ),
  },
  { endpoint: "GET /api/v1/analytics/summary", minRole: "viewer", call: (_c, a) => analytics.getAnalyticsSummary({}, a) },
  { endpoint: "GET /api/v1/analytics/sentiment", minRole: "viewer", call: (_c, a) => analytics.getAnalyticsSentiment({ days: 1 }, a) },
  {
    endpoint: "POST /api/v1/analytics/aggregation/backfill",
    minRole: "admin",
    call: (_c, a) => analytics.backfillAnalytics({ startDate: "2026-11-01", endDate: "2026-11-01" }, a),
  },
  // Intelligence: viewers read and ask the assistant (offline here: no model key); analysts and up
  // upload and analyse. Past the permission check, a missing document or campaign is 404.
  { endpoint: "POST /api/v1/intelligence/chat/message", minRole: "viewer", call: (_c, a) => intelligence.sendChatMessage({ message: "How is sentiment?" }, a) },
  {
    endpoint: "GET /api/v1/intelligence/chat/history/:sessionId (own)",
    minRole: "viewer",
    call: async (_c, a) => intelligence.getChatHistory({ sessionId: (await intelligence.sendChatMessage({ message: "hi" }, a)).sessionId }, a),
  },
  {
    endpoint: "POST /api/v1/intelligence/documents/upload",
    minRole: "analyst",
    call: (_c, a) => intelligence.uploadDocument({ filename: "matrix.txt", content: "A matrix memo." }, a),
  },
  {
    endpoint: "GET /api/v1/intelligence/documents/:id",
    minRole: "viewer",
    call: (_c, a) => allowedIf(intelligence.getDocument({ id: NO_CAMPAIGN }, a), "not_found"),
  },
  {
    endpoint: "POST /api/v1/intelligence/documents/analyze",
    minRole: "analyst",
    call: (_c, a) => allowedIf(intelligence.analyzeDocument({ documentId: NO_CAMPAIGN, analysisType: "summary" }, a), "not_found"),
  },
  { endpoint: "GET /api/v1/intelligence/reports", minRole: "viewer", call: (_c, a) => intelligence.getIntelligenceReports({}, a) },
  {
    endpoint: "POST /api/v1/intelligence/threat-assessment",
    minRole: "analyst",
    call: (_c, a) => allowedIf(intelligence.threatAssessment({ campaignId: NO_CAMPAIGN }, a), "not_found"),
  },
  { endpoint: "GET /api/v1/intelligence/knowledge-base/search", minRole: "viewer", call: (_c, a) => intelligence.searchKnowledgeBase({ q: "memo" }, a) },
  {
    endpoint: "GET /api/v1/intelligence/competitors/:competitor",
    minRole: "viewer",
    call: (_c, a) => allowedIf(intelligence.getCompetitorData({ competitor: "Nobody" }, a), "not_found"),
  },
  // An entry about no campaign: admins only (others write about the campaigns they manage; compliance/audit.test.ts).
  {
    endpoint: "POST /api/v1/compliance/audit-logs (no campaign)",
    minRole: "admin",
    call: (_c, a) => compliance.createAuditLog({ action: "matrix.tested" }, a),
  },
  {
    endpoint: "GET /api/v1/compliance/audit-logs (all)",
    minRole: "admin",
    call: (_c, a) => compliance.getAuditLogs({ start: "2000-01-01T00:00:00Z", end: "2100-01-01T00:00:00Z" }, a),
  },
  { endpoint: "GET /api/v1/compliance/audit-logs/verify", minRole: "admin", call: (_c, a) => compliance.verifyAuditLogs(a) },
  {
    endpoint: "POST /api/v1/compliance/check",
    minRole: "viewer",
    call: (_c, a) =>
      compliance.complianceCheck({ data: { channel: "post", text: "hi", sender: { name: "x" }, recipients: [], sendAt: new Date(), region: "US" } }, a),
  },
  { endpoint: "GET /api/v1/compliance/data-retention", minRole: "manager", call: (_c, a) => compliance.getDataRetentionPolicy(a) },
  {
    endpoint: "PUT /api/v1/compliance/data-retention",
    minRole: "admin",
    call: (_c, a) =>
      compliance.updateDataRetention({ policy: [{ dataClass: "documents", periodDays: 730, legalBasis: "GDPR Art. 6(1)(f) legitimate interests" }] }, a),
  },
  { endpoint: "GET /api/v1/compliance/data-retention/runs", minRole: "manager", call: (_c, a) => compliance.getRetentionRuns(a) },
  { endpoint: "POST /api/v1/compliance/data-retention/runs", minRole: "admin", call: (_c, a) => compliance.runDataRetention(a) },
  {
    endpoint: "POST /api/v1/compliance/data-deletion (other)",
    minRole: "admin",
    call: async (c, a) => compliance.requestDataDeletion({ userId: await c.other(), reason: "matrix" }, a),
  },
  {
    endpoint: "POST /api/v1/compliance/reports/:regulation",
    minRole: "admin",
    call: (_c, a) => compliance.generateComplianceReport({ regulation: "gdpr" }, a),
  },
];

/** Treats the error `code` (an answer that only comes after the permission check) as success. */
function allowedIf(p: Promise<unknown>, code: string): Promise<unknown> {
  return p.catch((err: { code?: string }) => {
    if (err.code === code) return;
    throw err;
  });
}

async function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "ok",
    (err: { code?: string }) => err.code ?? String(err),
  );
}

beforeAll(async () => {
  admin = await auth.register({ email: "matrix-admin@example.org", password: PASSWORD, name: "Admin" });
  sessions.set("admin", await newUser("admin"));
  for (const role of ["manager", "analyst", "viewer"] as const) sessions.set(role, await newUser(role));
});

const other = async () => (await newUser("viewer")).user.id;

describe.each(ROWS)("$endpoint", (row) => {
  test.each(ROLES.map((role) => ({ role })))("as $role", async ({ role }) => {
    const s = sessions.get(role)!;
    const expected = row.minRole !== null && roleAtLeast(role, row.minRole) ? "ok" : "permission_denied";
    expect(await outcome(row.call({ self: s.user.id, role, other }, as(s)))).toBe(expected);
  });

  test("anonymous: 401", async () => {
    expect(await outcome(row.call({ self: admin.user.id, role: "admin", other }, undefined))).toBe("unauthenticated");
  });
});
