// The seed's contract, end to end: every one of the 46 endpoints the seed sketches
// (war-room-backend-spec.md), called through the generated TypeScript client by the seed's names
// and with the seed's request shapes, as a caller allowed to, against the app started as
// `npm start` starts it with every provider pointed at its local fake. Each call must answer 2xx
// (the client throws an APIError otherwise); the top-level response keys are the seed's.
import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { appMeta } from "../host/testing/meta.ts";
import { generateClient } from "../host/codegen/client.ts";
import { useFixture } from "../host/testing/use-fixture.ts";
import { startFakeGoogleAds, type FakeGoogleAds } from "./fakes/googleads";
import { startFakeMentionlytics, type FakeMentionlytics } from "./fakes/mentionlytics";
import { startFakeMeta, type FakeMeta } from "./fakes/meta";
import { startFakeTwilio, type FakeTwilio } from "./fakes/twilio";
import { providersEnv } from "./fakes/provider-env";
import { appEnv, waitForFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "encore.gen", "client-seed.ts");
const ADMIN = { email: "chief@seed.example", password: "chief-password-1" };

/** The seed's 46 endpoints, as `service.name` of the generated client. */
const SEED = [
  "auth.login",
  "auth.refreshToken",
  "auth.me",
  "auth.logout",
  "auth.register",
  "campaigns.createCampaign",
  "campaigns.getCampaigns",
  "campaigns.getCampaignById",
  "campaigns.getCampaignInsights",
  "campaigns.getGoogleCampaigns",
  "campaigns.getMetaCampaigns",
  "monitoring.createMonitoringConfig",
  "monitoring.streamCampaignData",
  "monitoring.getCurrentSentiment",
  "monitoring.getMentionsMetrics",
  "monitoring.getTrendingTopics",
  "monitoring.getTrends",
  "monitoring.getSystemStatus",
  "intelligence.sendChatMessage",
  "intelligence.getChatHistory",
  "intelligence.uploadDocument",
  "intelligence.analyzeDocument",
  "intelligence.getIntelligenceReports",
  "intelligence.threatAssessment",
  "intelligence.searchKnowledgeBase",
  "intelligence.getCompetitorData",
  "alerting.sendCrisisAlert",
  "alerting.getAlertQueue",
  "alerting.sendAlert",
  "integrations.fetchMentionlyticsData",
  "integrations.fetchMetaAdsData",
  "integrations.sendSMSAlert",
  "compliance.complianceCheck",
  "compliance.getAuditLogs",
  "compliance.generateComplianceReport",
  "compliance.createAuditLog",
  "compliance.getDataRetentionPolicy",
  "compliance.requestDataDeletion",
  "users.getUsers",
  "users.getUserById",
  "users.createUser",
  "users.updateUser",
  "users.deleteUser",
  "analytics.getAnalyticsSummary",
  "analytics.getAnalyticsSentiment",
  "analytics.generateAnalyticsReport",
] as const;

let twilio: FakeTwilio;
let ml: FakeMentionlytics;
let meta: FakeMeta;
let google: FakeGoogleAds;
const env = appEnv("seed-contract-end-to-end-secret-0123456789", ADMIN, { WARROOM_DEMO: "off" });
beforeAll(async () => {
  [twilio, ml, meta, google] = await Promise.all([startFakeTwilio(), startFakeMentionlytics(), startFakeMeta(), startFakeGoogleAds()]);
  Object.assign(env, providersEnv({ twilio, ml, meta, google }, { metaAdAccountId: meta.adAccountId, googleCustomerId: google.customerId }));
});
const app = useFixture(ROOT, env);
afterAll(async () => {
  await Promise.all([twilio, ml, meta, google].map((f) => f?.close()));
});

let Client: any;
beforeAll(async () => {
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, generateClient(appMeta(ROOT)));
  Client = (await import(OUT)).default;
});

/** Every seed endpoint called, and what it answered. */
const called = new Map<string, unknown>();

/** Calls `service.name` on `client` with the seed's arguments; a non-2xx answer throws (the client's APIError). */
async function seed<T = any>(client: any, endpoint: (typeof SEED)[number], ...args: unknown[]): Promise<T> {
  const [service, name] = endpoint.split(".") as [string, string];
  const fn = client[service]?.[name];
  if (typeof fn !== "function") throw new Error(`the generated client has no ${endpoint}`);
  try {
    const answer = await fn.apply(client[service], args);
    called.set(endpoint, answer);
    return answer as T;
  } catch (err) {
    const e = err as { status?: number; code?: string; message?: string };
    throw new Error(`${endpoint} answered ${e.status ?? "?"} ${e.code ?? ""}: ${e.message ?? String(err)}`);
  }
}

test("every one of the seed's 46 endpoints, by its name and request shape, answers 2xx", async () => {
  const anonymous = new Client(app.server.url);

  // --- public: status, registration, login, refresh ---
  const status = await seed(anonymous, "monitoring.getSystemStatus");
  expect(status).toMatchObject({ status: expect.stringMatching(/healthy|degraded/), services: expect.any(Array) });
  const registered = await seed(anonymous, "auth.register", { email: "volunteer@seed.example", password: "Rally-at-7-on-Main-St", name: "Volunteer" });
  expect(registered).toMatchObject({
    accessToken: expect.any(String),
    refreshToken: expect.any(String),
    expiresIn: expect.any(Number),
    user: { role: "viewer" },
  });
  await waitForFirstAdmin(app, ADMIN.email);
  const session = await seed(anonymous, "auth.login", { email: ADMIN.email, password: ADMIN.password });
  const refreshed = await seed(anonymous, "auth.refreshToken", { refreshToken: session.refreshToken });
  expect(refreshed).toMatchObject({ accessToken: expect.any(String), expiresIn: expect.any(Number) });
  const admin = new Client(app.server.url, { auth: refreshed.accessToken });
  expect(await seed(admin, "auth.me")).toMatchObject({ email: ADMIN.email, role: "admin", permissions: expect.any(Array) });

  // --- users (the seed's DataService) ---
  const { user: staffer } = await seed(admin, "users.createUser", {
    email: "staffer@seed.example",
    password: "Keystone-Plan-2026-x",
    name: "Staffer",
    role: "manager",
  });
  expect((await seed(admin, "users.getUsers")).users.map((u: { id: string }) => u.id)).toContain(staffer.id);
  expect((await seed(admin, "users.getUserById", { id: staffer.id })).user).toMatchObject({ id: staffer.id });
  expect((await seed(admin, "users.updateUser", { id: staffer.id, name: "Staff Lead" })).user).toMatchObject({ name: "Staff Lead" });

  // --- campaigns ---
  const campaign = await seed(admin, "campaigns.createCampaign", {
    name: "Rivera for Senate",
    description: "The seed's campaign",
    startDate: new Date(Date.now() - 10 * 86_400_000).toISOString(),
    endDate: new Date(Date.now() + 200 * 86_400_000).toISOString(),
    budget: 50_000,
    targetAudience: {
      demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "any", education: "any" },
      interests: ["economy"],
      locations: ["Ohio"],
      platforms: ["facebook", "google", "twitter"],
    },
  });
  const campaignId: string = campaign.id;
  expect(await seed(admin, "campaigns.getCampaigns", { page: 1, limit: 20, status: "draft" })).toMatchObject({ total: expect.any(Number), page: 1, limit: 20 });
  expect(await seed(admin, "campaigns.getCampaignById", { id: campaignId })).toMatchObject({ id: campaignId, status: "draft", metrics: expect.any(Object) });

  // --- monitoring (setup beyond the seed: mentions to read back) ---
  const config = await seed(admin, "monitoring.createMonitoringConfig", {
    campaignId,
    keywords: ["Rivera"],
    competitors: ["Jordan Blake"],
    influencers: ["OhioPolitics"],
    platforms: ["twitter", "facebook"],
    alertThresholds: { sentimentDrop: -0.3, mentionSpike: 5, crisisScore: 0.8, engagementDrop: -0.5 },
    refreshInterval: 300,
  });
  expect(config.configId).toEqual(expect.any(String));
  const now = Date.now();
  await admin.monitoring.ingestMentions({
    campaignId,
    mentions: [
      {
        id: "seed-1",
        text: "Rivera's jobs plan is strong",
        author: "voter1",
        platform: "twitter",
        url: "",
        sentiment: 0.6,
        reach: 1200,
        engagement: 30,
        timestamp: new Date(now - 5 * 60_000).toISOString(),
      },
      {
        id: "seed-2",
        text: "Jordan Blake attacks Rivera on taxes",
        author: "OhioPolitics",
        platform: "facebook",
        url: "",
        sentiment: -0.5,
        reach: 7000,
        engagement: 80,
        timestamp: new Date(now - 3 * 60_000).toISOString(),
      },
    ],
  });
  expect(await seed(admin, "monitoring.streamCampaignData", { campaignId })).toMatchObject({
    streamEndpoint: `/ws/campaigns/${campaignId}/stream`,
    heartbeatInterval: 30_000,
  });
  const { sentiment } = await seed(admin, "monitoring.getCurrentSentiment");
  expect(sentiment.byCampaign.find((c: { campaignId: string }) => c.campaignId === campaignId)).toMatchObject({ mentions: 2 });
  expect((await seed(admin, "monitoring.getMentionsMetrics", { keyword: "Rivera", hours: 24 })).mentions).toHaveLength(2);
  expect(await seed(admin, "monitoring.getTrendingTopics", { limit: 10 })).toMatchObject({ trending: expect.any(Array) });
  expect((await seed(admin, "monitoring.getTrends")).trends.length).toBeGreaterThan(0);

  // --- campaigns' insights and the linked ad accounts (linking is beyond the seed) ---
  await admin.campaigns.linkCampaignAdAccount({ id: campaignId, platform: "meta", accountId: meta.adAccountId });
  await admin.campaigns.linkCampaignAdAccount({ id: campaignId, platform: "google", accountId: google.customerId });
  const { insights } = await seed(admin, "campaigns.getCampaignInsights");
  expect(insights.campaigns.map((c: { campaignId: string }) => c.campaignId)).toContain(campaignId);
  expect(await seed(admin, "campaigns.getGoogleCampaigns")).toMatchObject({ campaigns: expect.any(Array) });
  expect(await seed(admin, "campaigns.getMetaCampaigns")).toMatchObject({ campaigns: expect.any(Array) });

  // --- intelligence ---
  const chat = await seed(admin, "intelligence.sendChatMessage", { message: "How is sentiment on Rivera today?" });
  expect(chat).toMatchObject({ message: { role: "user" }, response: expect.any(String), sessionId: expect.any(String) });
  expect((await seed(admin, "intelligence.getChatHistory", { sessionId: chat.sessionId })).messages).toHaveLength(2);
  const doc = await seed(admin, "intelligence.uploadDocument", {
    filename: "brief.md",
    content: "# Brief\n\nRivera voted for the 2023 budget, which raised school funding by 12%. Jordan Blake opposed it.",
  });
  await expect.poll(async () => (await admin.intelligence.getDocument({ id: doc.id })).processed, { timeout: 20_000, interval: 100 }).toBe(true);
  expect(await seed(admin, "intelligence.analyzeDocument", { documentId: doc.id, analysisType: "summary" })).toMatchObject({
    results: { analysisType: "summary" },
  });
  expect(
    await seed(admin, "intelligence.threatAssessment", { data: "Jordan Blake says Rivera is under investigation for fraud over the campaign's funds." }),
  ).toMatchObject({ assessment: { threatLevel: expect.any(String) } });
  expect((await seed(admin, "intelligence.getIntelligenceReports")).reports.length).toBeGreaterThanOrEqual(2);
  expect(await seed(admin, "intelligence.searchKnowledgeBase", { q: "budget" })).toMatchObject({ results: expect.any(Array) });
  expect(await seed(admin, "intelligence.getCompetitorData", { competitor: "Jordan Blake" })).toMatchObject({ data: expect.any(Object) });

  // --- alerting ---
  const crisis = await seed(admin, "alerting.sendCrisisAlert", {
    campaignId,
    crisisScore: 0.9,
    triggers: ["mention spike"],
    affectedPlatforms: ["twitter"],
    estimatedReach: 50_000,
    sentimentImpact: -0.4,
    recommendedActions: ["hold a statement"],
  });
  expect(crisis).toMatchObject({ alertId: expect.any(String), sent: true });
  expect((await seed(admin, "alerting.getAlertQueue")).alerts.map((a: { id: string }) => a.id)).toContain(crisis.alertId);
  expect(await seed(admin, "alerting.sendAlert", { type: "SENTIMENT", message: "Press call at 6", recipients: ["+14155550123"] })).toMatchObject({
    sent: true,
  });
  await expect.poll(() => twilio.messages.filter((m) => m.to === "+14155550123").length, { timeout: 15_000 }).toBe(1);

  // --- integrations ---
  expect(await seed(admin, "integrations.fetchMentionlyticsData", { campaignId })).toMatchObject({
    mentions: expect.any(Array),
    totalMentions: expect.any(Number),
  });
  expect(await seed(admin, "integrations.fetchMetaAdsData", { campaignId })).toEqual(expect.any(Object));
  const sms = await seed(admin, "integrations.sendSMSAlert", { to: "+14155550124", message: "Polls close at 8" });
  expect(twilio.messages.find((m) => m.sid === sms.messageId)?.body).toBe("Polls close at 8");

  // --- compliance ---
  const check = await seed(admin, "compliance.complianceCheck", {
    data: {
      channel: "sms",
      text: "Rally at 7, Main St. Txt STOP 2 quit",
      sender: { name: "Rivera for Senate" },
      recipients: [{ id: "r1", timeZone: "America/New_York", consent: { recorded: true } }],
      sendAt: "2026-01-15T15:00:00Z",
      region: "US",
    },
  });
  expect(check).toMatchObject({ compliant: true, issues: [] });
  expect(await seed(admin, "compliance.createAuditLog", { action: "briefing.held", details: { topic: "debate prep" } })).toMatchObject({
    logId: expect.any(String),
  });
  const { logs } = await seed(admin, "compliance.getAuditLogs", {
    start: new Date(now - 3_600_000).toISOString(),
    end: new Date(Date.now() + 60_000).toISOString(),
  });
  expect(logs.map((l: { action: string }) => l.action)).toContain("compliance.checked");
  expect(await seed(admin, "compliance.generateComplianceReport", { regulation: "gdpr" })).toMatchObject({ reportUrl: expect.stringContaining("/download") });
  expect((await seed(admin, "compliance.getDataRetentionPolicy")).policy.length).toBeGreaterThan(0);
  const volunteer = new Client(app.server.url, { auth: registered.accessToken });
  expect(await seed(volunteer, "compliance.requestDataDeletion", { userId: registered.user.id, reason: "leaving the campaign" })).toMatchObject({
    requestId: expect.any(String),
  });

  // --- analytics ---
  expect(await seed(admin, "analytics.getAnalyticsSummary")).toMatchObject({ summary: { campaigns: expect.any(Array) } });
  expect(await seed(admin, "analytics.getAnalyticsSentiment")).toMatchObject({ sentiment: { campaigns: expect.any(Array) } });
  const report = await seed(admin, "analytics.generateAnalyticsReport", {
    campaignId,
    startDate: new Date(now - 7 * 86_400_000).toISOString(),
    endDate: new Date(now).toISOString(),
    includeCompetitors: true,
    includeInfluencers: true,
  });
  expect(report).toMatchObject({ campaignId, summary: expect.any(Object), recommendations: expect.any(Array) });

  // --- last: a deletion and the sign-out ---
  expect(await seed(admin, "users.deleteUser", { id: staffer.id })).toEqual({ success: true });
  expect(await seed(admin, "auth.logout")).toEqual({ success: true });

  // Every one of the seed's endpoints was called, and answered 2xx.
  expect(SEED).toHaveLength(46);
  expect([...called.keys()].sort()).toEqual([...SEED].sort());
});
