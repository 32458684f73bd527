// GET /api/v1/campaigns/insights: a campaign's metrics with monitoring's summary, through the
// generated clients (auth and schemas enforced), with monitoring's ingest and detector running here.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { auth, campaigns, monitoring, users } from "~encore/clients";
import "../monitoring/subscriptions";
import { as, code, type Profile } from "../tests/inproc";

let admin: Profile;
let manager: Profile;
let stranger: Profile;

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: "password-for-tests", name: "Admin" })).user;
  const create = (email: string) => users.createUser({ email, password: "password-for-tests", name: email, role: "manager" }, as(admin)).then((r) => r.user);
  [manager, stranger] = await Promise.all([create("lead@example.org"), create("stranger@example.org")]);
});

describe("campaign insights", () => {
  test("show the campaign's metrics and monitoring's summary of the last 24 h, for its members", async () => {
    const c = await campaigns.createCampaign(
      {
        name: "Rivera for Senate",
        description: "",
        startDate: new Date("2026-01-01T00:00:00Z"),
        endDate: new Date("2026-12-01T00:00:00Z"),
        budget: 1000,
        targetAudience: {
          demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "", education: "" },
          interests: [],
          locations: [],
          platforms: [],
        },
      },
      as(manager),
    );
    const empty = (await campaigns.getCampaignInsights({ campaignId: c.id }, as(manager))).insights.campaigns[0];
    expect(empty).toMatchObject({
      campaignId: c.id,
      name: "Rivera for Senate",
      status: "draft",
      metrics: { impressions: 0 },
      monitoring: { monitored: false, mentions: 0, openCrises: 0, previousSentiment: null },
    });

    const now = Date.now();
    await monitoring.ingestMentions(
      {
        campaignId: c.id,
        mentions: [
          {
            id: "a",
            text: "Great rally",
            author: "x",
            platform: "twitter",
            url: "",
            sentiment: 0.6,
            reach: 100,
            engagement: 5,
            timestamp: new Date(now - 60_000),
          },
          {
            id: "b",
            text: "Weak answers",
            author: "y",
            platform: "news",
            url: "",
            sentiment: -0.4,
            reach: 300,
            engagement: 1,
            timestamp: new Date(now - 120_000),
          },
          {
            id: "c",
            text: "Old news",
            author: "z",
            platform: "news",
            url: "",
            sentiment: 0,
            reach: 10,
            engagement: 0,
            timestamp: new Date(now - 30 * 3_600_000),
          },
        ],
      },
      as(manager),
    );
    const overview = (await campaigns.getCampaignInsights({ campaignId: c.id }, as(admin))).insights;
    expect(overview).toMatchObject({ campaignId: c.id, total: 1, mentions: 2, previousMentions: 1, averageSentiment: 0.1 });
    const insights = overview.campaigns[0];
    expect(insights.monitoring).toMatchObject({
      mentions: 2,
      previousMentions: 1,
      positive: 1,
      negative: 1,
      neutral: 0,
      reach: 400,
      averageSentiment: 0.1,
      previousSentiment: 0,
    });
    expect(insights.monitoring.topPlatforms.map((p) => p.platform).sort()).toEqual(["news", "twitter"]);
    expect(insights.generatedAt).toBeInstanceOf(Date);

    // Without campaignId: every campaign the caller sees, with totals across them.
    const mine = (await campaigns.getCampaignInsights({}, as(manager))).insights;
    expect(mine.campaigns.map((x) => x.campaignId)).toContain(c.id);
    expect(mine.mentions).toBe(mine.campaigns.reduce((n, x) => n + x.monitoring.mentions, 0));
    expect((await campaigns.getCampaignInsights({}, as(stranger))).insights).toMatchObject({ campaigns: [], total: 0, mentions: 0 });
    expect(await code(campaigns.getCampaignInsights({ campaignId: c.id }, as(stranger)))).toBe("not_found");
    expect(await code(campaigns.getCampaignInsights({ campaignId: "00000000-0000-4000-8000-000000000000" }, as(admin)))).toBe("not_found");
    expect(await code(campaigns.getCampaignInsights({ campaignId: c.id }, {}))).toBe("unauthenticated");
  });
});
