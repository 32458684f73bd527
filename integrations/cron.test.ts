// The poller job wired end to end in-process: active campaigns from campaigns, Mentionlytics (fake)
// polled, new mentions ingested by monitoring's internal ingest; a second run ingests nothing twice.
import "../tests/fakes/auth-secrets";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFakeMentionlytics } from "../tests/fakes/mentionlytics";

const ml = await startFakeMentionlytics();
Object.assign(process.env, { MENTIONLYTICS_TOKEN: ml.token, MENTIONLYTICS_BASE_URL: ml.url });
const { auth, campaigns, integrations, monitoring } = await import("~encore/clients");

let campaignId = "";
beforeAll(async () => {
  const admin = (await auth.register({ email: "cron-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
  const as = { authData: { userID: admin.id, email: admin.email, role: admin.role, permissions: admin.permissions } };
  const c = await campaigns.createCampaign(
    {
      name: "Rivera for Senate",
      description: "x",
      startDate: new Date("2026-01-01T00:00:00Z"),
      endDate: new Date("2027-11-03T00:00:00Z"),
      budget: 1000,
      targetAudience: {
        demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "any", education: "any" },
        interests: [],
        locations: [],
        platforms: [],
      },
    },
    as,
  );
  campaignId = c.id;
  await campaigns.addCampaignKeywords({ id: campaignId, keywords: [{ keyword: "Rivera" }] }, as);
  await campaigns.updateCampaign({ id: campaignId, status: "active" }, as);
});
afterAll(() => ml.close());

test("a run ingests the new mentions of active campaigns into monitoring; the next run ingests nothing twice", async () => {
  const t = Date.now() - 300_000;
  ml.add(
    { pub_date: new Date(t).toISOString(), description: "Rivera surges in polls", link: "https://news.example/1" },
    { pub_date: new Date(t + 1000).toISOString(), description: "Rivera town hall tonight", link: "not a url" },
    { pub_date: new Date(t + 2000).toISOString(), description: "Chen leads", campaign: "Chen" },
  );
  const first = await integrations.pollFeeds();
  expect(first).toMatchObject({ configured: true, campaigns: 1, polled: 1, delivered: 2, failures: 0 });
  expect((await monitoring.getCampaignSummary({ campaignId })).mentions).toBe(2);

  // Not due again for the default 5 minutes: the next run polls nothing.
  expect(await integrations.pollFeeds()).toMatchObject({ polled: 0, delivered: 0 });
  expect((await monitoring.getCampaignSummary({ campaignId })).mentions).toBe(2);
});
