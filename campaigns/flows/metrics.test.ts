// Campaign metrics (issue 14) and the ad pollers (issue 5) in-process against the fake Meta Graph
// API and the fake Google Ads API: linking checked against the provider, figures summed and derived
// on crafted days (zero clicks, zero spend), absent with a reason without accounts, the last good
// figures kept and marked stale during an outage, settled days never fetched again after a restart,
// on-demand refreshes rate limited, insights' trend/split/pacing, /campaigns/meta and /google,
// /integrations/meta|google/:campaignId reading the campaign's linked accounts (400 with none linked
// and no default account configured), permissions, bad input and the audit trail.
import "../../tests/fakes/auth-secrets";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeGoogleAds } from "../../tests/fakes/googleads";
import { startFakeMeta } from "../../tests/fakes/meta";
import { adsEnv } from "../../tests/fakes/provider-env";
import { as, campaignRequest, type Profile } from "../../tests/inproc";

const meta = await startFakeMeta();
const google = await startFakeGoogleAds();
Object.assign(process.env, adsEnv(meta, google));
const { auth, campaigns, integrations, users } = await import("~encore/clients");
const { auditEventsFor } = await import("../../compliance/store");
await import("../../compliance/subscriptions");

const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: "ok", message: "", details: undefined as unknown }),
    (err: { code?: string; message?: string; details?: unknown }) => ({ code: err.code ?? String(err), message: err.message ?? "", details: err.details }),
  );
const code = async (p: Promise<unknown>) => (await failure(p)).code;

const DAY = 86_400_000;
const midnight = (offsetDays: number) => new Date(Math.floor(Date.now() / DAY) * DAY + offsetDays * DAY);
const day = (offsetDays: number) => midnight(offsetDays).toISOString().slice(0, 10);

let admin: Profile, manager: Profile, analyst: Profile, viewer: Profile, outsider: Profile;
let n = 0;
async function user(role: "manager" | "analyst" | "viewer"): Promise<Profile> {
  return (await users.createUser({ email: `metrics-${++n}@example.org`, password: "password-for-tests", name: `U${n}`, role }, as(admin))).user;
}
async function campaign(name: string, startDate: Date, endDate: Date, budget = 1000): Promise<string> {
  const c = await campaigns.createCampaign(campaignRequest({ name, startDate, endDate, budget }), as(manager));
  return c.id;
}

let A = ""; // two platforms, crafted figures
let B = ""; // zero clicks, zero spend
let C = ""; // nothing linked

beforeAll(async () => {
  admin = (await auth.register({ email: "metrics-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
  [manager, analyst, viewer, outsider] = [await user("manager"), await user("analyst"), await user("viewer"), await user("manager")];
  A = await campaign("Rivera for Senate", midnight(-10), midnight(10));
  B = await campaign("Rivera GOTV", midnight(-10), midnight(10));
  C = await campaign("Rivera Field", midnight(-10), midnight(10));
  for (const id of [A, B]) {
    await campaigns.addCampaignMember({ id, userId: analyst.id, role: "member" }, as(manager));
    await campaigns.addCampaignMember({ id, userId: viewer.id, role: "member" }, as(manager));
  }
  const a111 = meta.addAccount("act_111", "Rivera Meta", "USD");
  a111.days.push(
    { date: day(-11), impressions: 99_999, clicks: 999, spend: 999, conversions: 99 }, // before the campaign: never counted
    { date: day(-3), impressions: 1000, clicks: 50, spend: 25.5, conversions: 2 },
    { date: day(-2), impressions: 2000, clicks: 0, spend: 0, conversions: 0 },
  );
  a111.campaigns.push({ id: "23850001", name: "Persuasion", status: "ACTIVE", objective: "OUTCOME_AWARENESS", impressions: 3000, clicks: 50, spend: 25.5 });
  const g = google.addCustomer("1112223333", "Rivera Search", "USD");
  g.days.push({ date: day(-3), impressions: 3000, clicks: 150, costMicros: 74_500_000, conversions: 3.5 });
  g.campaigns.push({
    id: "9001",
    name: "Brand search",
    status: "ENABLED",
    channel: "SEARCH",
    impressions: 3000,
    clicks: 150,
    costMicros: 74_500_000,
    conversions: 3.5,
  });
  meta.addAccount("act_222", "GOTV Meta").days.push({ date: day(-4), impressions: 500, clicks: 0, spend: 0, conversions: 0 });
});
afterAll(async () => {
  await Promise.all([meta.close(), google.close()]);
});

describe("linking ad accounts", () => {
  test("an account the provider confirms is linked, with its name; ids are normalised", async () => {
    const m = await campaigns.linkCampaignAdAccount({ id: A, platform: "meta", accountId: "111" }, as(manager));
    expect(m).toMatchObject({
      platform: "meta",
      accountId: "act_111",
      name: "Rivera Meta",
      currency: "USD",
      linkedBy: manager.id,
      lastSyncedAt: null,
      stale: true,
    });
    const g = await campaigns.linkCampaignAdAccount({ id: A, platform: "google", accountId: "111-222-3333" }, as(manager));
    expect(g).toMatchObject({ accountId: "1112223333", name: "Rivera Search" });
    expect(meta.requests.some((r) => r.path === "/v27.0/act_111" && r.query.get("fields")?.includes("currency"))).toBe(true);
    await campaigns.linkCampaignAdAccount({ id: B, platform: "meta", accountId: "act_222" }, as(manager));
    const listed = await campaigns.getCampaignAdAccounts({ id: A }, as(viewer));
    expect(listed.accounts.map((a) => `${a.platform}:${a.accountId}`)).toEqual(["google:1112223333", "meta:act_111"]);
    expect(listed.valuePerConversion).toBeNull();
  });

  test("an account the provider does not let us reach is refused, with the provider's reason", async () => {
    const m = await failure(campaigns.linkCampaignAdAccount({ id: A, platform: "meta", accountId: "act_999" }, as(manager)));
    expect(m.code).toBe("failed_precondition");
    expect(m.message).toMatch(/Meta ad account act_999 is not reachable with the configured credentials: .*does not exist/);
    const g = await failure(campaigns.linkCampaignAdAccount({ id: A, platform: "google", accountId: "999-999-9999" }, as(manager)));
    expect(g.code).toBe("failed_precondition");
    expect(g.message).toContain("PERMISSION_DENIED");
    expect((await campaigns.getCampaignAdAccounts({ id: A }, as(manager))).accounts).toHaveLength(2);
  });

  test("bad input: malformed ids, unknown platform, a duplicate", async () => {
    expect(await code(campaigns.linkCampaignAdAccount({ id: A, platform: "meta", accountId: "act_12ab" }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.linkCampaignAdAccount({ id: A, platform: "google", accountId: "12345" }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.linkCampaignAdAccount({ id: A, platform: "tiktok" as "meta", accountId: "1" }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.linkCampaignAdAccount({ id: A, platform: "meta", accountId: "" }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.linkCampaignAdAccount({ id: A, platform: "meta", accountId: "act_111" }, as(manager)))).toBe("already_exists");
    meta.addAccount("act_777", "Euro account", "EUR");
    const euro = await failure(campaigns.linkCampaignAdAccount({ id: A, platform: "meta", accountId: "act_777" }, as(manager)));
    expect(euro).toMatchObject({ code: "failed_precondition", message: expect.stringContaining("bills in EUR") });
    expect(await code(campaigns.updateCampaignMetricSettings({ id: A, valuePerConversion: -1 }, as(manager)))).toBe("invalid_argument");
  });

  test("permissions: members read, campaigns:update links, strangers get 404", async () => {
    expect(await code(campaigns.linkCampaignAdAccount({ id: A, platform: "meta", accountId: "act_222" }, as(analyst)))).toBe("permission_denied");
    expect(await code(campaigns.linkCampaignAdAccount({ id: A, platform: "meta", accountId: "act_222" }, as(outsider)))).toBe("not_found");
    expect(await code(campaigns.getCampaignAdAccounts({ id: A }, as(outsider)))).toBe("not_found");
    expect(await code(campaigns.unlinkCampaignAdAccount({ id: A, platform: "meta", accountId: "act_111" }, as(viewer)))).toBe("permission_denied");
    expect(await code(campaigns.refreshCampaignMetrics({ id: A }, as(analyst)))).toBe("permission_denied");
    expect(await code(campaigns.getCampaignMetrics({ id: A }, as(outsider)))).toBe("not_found");
    expect(await code(campaigns.getCampaignMetrics({ id: A }))).toBe("unauthenticated");
  });
});

describe("metrics from Meta and Google", () => {
  test("figures summed across platforms, ratios derived, roi from the value per conversion", async () => {
    await campaigns.updateCampaignMetricSettings({ id: A, valuePerConversion: 40 }, as(manager));
    const r = await campaigns.refreshCampaignMetrics({ id: A }, as(manager));
    expect(r.sync.map((s) => [s.platform, s.accountId, s.ok, s.days])).toEqual([
      ["meta", "act_111", true, 2],
      ["google", "1112223333", true, 1],
    ]);
    // 1000+2000+3000 impressions, 50+0+150 clicks, 25.50+74.50 spend, 2+3.5 conversions.
    expect(r.metrics).toMatchObject({ impressions: 6000, clicks: 200, conversions: 5.5, cpc: 0.5 });
    expect(r.metrics.ctr).toBeCloseTo(200 / 6000, 6);
    expect(r.metrics.roi).toBeCloseTo((5.5 * 40 - 100) / 100, 4);
    expect(r.metricsDetail.spend).toMatchObject({ value: 100, stale: false, sources: ["google:1112223333", "meta:act_111"] });
    expect(r.metricsDetail.impressions.lastUpdated).toBeInstanceOf(Date);
    // No mentions yet: sentiment and engagement absent with a reason.
    expect(r.metricsDetail.sentimentScore).toMatchObject({ value: null, sources: ["monitoring"], reason: expect.stringContaining("no mentions") });
    // The daily query reached each provider in its own protocol.
    const insights = meta.requests.filter((q) => q.path === "/v27.0/act_111/insights");
    expect(insights[0].query.get("time_increment")).toBe("1");
    expect(JSON.parse(insights[0].query.get("time_range")!)).toEqual({ since: day(-10), until: day(0) });
    expect(google.queries.at(-1)).toContain(`segments.date BETWEEN '${day(-10)}' AND '${day(0)}'`);

    // Reads come from the stored (cached) campaign.
    const c = await campaigns.getCampaignById({ id: A }, as(viewer));
    expect(c.metrics).toEqual(r.metrics);
    expect(c.metricsDetail?.clicks.value).toBe(200);
    expect((await campaigns.getCampaignMetrics({ id: A }, as(viewer))).valuePerConversion).toBe(40);
  });

  test("an on-demand refresh again within a minute is 429 with a retry hint", async () => {
    const again = await failure(campaigns.refreshCampaignMetrics({ id: A }, as(manager)));
    expect(again.code).toBe("resource_exhausted");
    expect(again.message).toMatch(/try again in \d+ seconds/);
    expect((again.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds).toBeGreaterThan(0);
  });

  test("zero clicks and zero spend: cpc and roi absent with reasons, no NaN or Infinity", async () => {
    await campaigns.updateCampaignMetricSettings({ id: B, valuePerConversion: 10 }, as(manager));
    const r = await campaigns.refreshCampaignMetrics({ id: B }, as(manager));
    expect(r.metrics).toEqual({ impressions: 500, clicks: 0, conversions: 0, ctr: 0, cpc: 0, roi: 0, sentimentScore: 0, engagementRate: 0 });
    expect(r.metricsDetail.cpc).toMatchObject({ value: null, reason: "no clicks yet" });
    expect(r.metricsDetail.roi).toMatchObject({ value: null, reason: "no spend yet" });
    expect(r.metricsDetail.ctr.value).toBe(0);
  });

  test("no linked account: the ads figures are absent with a reason, not zeros", async () => {
    const r = await campaigns.refreshCampaignMetrics({ id: C }, as(manager));
    expect(r.sync).toEqual([]);
    for (const k of ["impressions", "clicks", "conversions", "spend", "ctr", "cpc", "roi"] as const) {
      expect(r.metricsDetail[k]).toMatchObject({ value: null, sources: [], reason: "no ad account is linked to this campaign" });
    }
  });

  test("settled days are not fetched again after a restart: only the still-moving days are", async () => {
    const before = meta.requests.length;
    const campaign = await campaigns.getCampaignById({ id: A }, as(manager));
    const { results } = await integrations.refreshCampaignAds({
      campaign: { id: A, startDate: campaign.startDate, endDate: campaign.endDate, accounts: [{ platform: "meta", accountId: "act_111" }] },
    });
    expect(results).toEqual([{ platform: "meta", accountId: "act_111", ok: true, days: 0, polled: true }]);
    const asked = meta.requests.slice(before).filter((q) => q.path === "/v27.0/act_111/insights");
    expect(asked).toHaveLength(1);
    expect(JSON.parse(asked[0].query.get("time_range")!)).toEqual({ since: day(-1), until: day(0) });
  });

  test("a provider outage keeps the last good figures, marked stale, until it recovers", async () => {
    const campaign = await campaigns.getCampaignById({ id: A }, as(manager));
    const ref = {
      id: A,
      startDate: campaign.startDate,
      endDate: campaign.endDate,
      accounts: [
        { platform: "meta" as const, accountId: "act_111" },
        { platform: "google" as const, accountId: "1112223333" },
      ],
    };
    meta.inject({ kind: "status", status: 500 }, 4);
    const { results } = await integrations.refreshCampaignAds({ campaign: ref });
    expect(results.find((r) => r.platform === "meta")).toMatchObject({ ok: false, error: expect.stringContaining("500") });
    expect(results.find((r) => r.platform === "google")).toMatchObject({ ok: true });

    const during = await campaigns.getCampaignMetrics({ id: A }, as(viewer));
    expect(during.metrics.impressions).toBe(6000);
    expect(during.metricsDetail?.impressions).toMatchObject({ value: 6000, stale: true, reason: expect.stringContaining("meta:act_111 unavailable") });
    const accounts = (await campaigns.getCampaignAdAccounts({ id: A }, as(viewer))).accounts;
    expect(accounts.find((a) => a.platform === "meta")).toMatchObject({ stale: true, lastError: expect.stringContaining("500") });
    expect(accounts.find((a) => a.platform === "google")?.stale).toBe(false);
    const insights = (await campaigns.getCampaignInsights({ campaignId: A }, as(viewer))).insights.campaigns[0];
    expect(insights.platforms.find((p) => p.platform === "meta")?.stale).toBe(true);

    await integrations.refreshCampaignAds({ campaign: ref });
    const after = await campaigns.getCampaignMetrics({ id: A }, as(viewer));
    expect(after.metricsDetail?.impressions).toMatchObject({ value: 6000, stale: false });
  });
});

describe("insights", () => {
  test("daily trend, split per platform", async () => {
    const i = (await campaigns.getCampaignInsights({ campaignId: A }, as(analyst))).insights.campaigns[0];
    expect(i.daily).toEqual([
      { date: day(-3), impressions: 4000, clicks: 200, conversions: 5.5, spend: 100, ctr: 0.05, cpc: 0.5 },
      { date: day(-2), impressions: 2000, clicks: 0, conversions: 0, spend: 0, ctr: 0, cpc: null },
    ]);
    expect(i.platforms.map((p) => [p.platform, p.accounts, p.impressions, p.spend])).toEqual([
      ["meta", ["act_111"], 3000, 25.5],
      ["google", ["1112223333"], 3000, 74.5],
    ]);
    expect(i.metricsDetail?.clicks.value).toBe(200);
    expect(i.pacing).toMatchObject({ budget: 1000, spent: 100, status: "under_pacing" });
  });

  test("pacing on a half-spent campaign halfway through: on track, projected to its budget", async () => {
    const now = Date.now();
    const P = await campaign("Rivera Pacing", new Date(now - 5 * DAY), new Date(now + 5 * DAY), 1000);
    const acct = meta.addAccount("act_333", "Pacing");
    for (let i = 1; i <= 5; i++)
      acct.days.push({ date: new Date(now - i * DAY).toISOString().slice(0, 10), impressions: 1000, clicks: 10, spend: 100, conversions: 0 });
    await campaigns.linkCampaignAdAccount({ id: P, platform: "meta", accountId: "act_333" }, as(manager));
    await campaigns.refreshCampaignMetrics({ id: P }, as(manager));
    const { pacing, daily } = (await campaigns.getCampaignInsights({ campaignId: P }, as(manager))).insights.campaigns[0];
    expect(daily).toHaveLength(5);
    expect(pacing).toMatchObject({ budget: 1000, spent: 500, remaining: 500, status: "on_track" });
    expect(pacing.totalDays).toBeCloseTo(10, 2);
    expect(pacing.elapsedDays).toBeCloseTo(5, 2);
    expect(pacing.expectedSpend).toBeCloseTo(500, 0);
    expect(pacing.projectedSpend!).toBeCloseTo(1000, -1);
    expect(pacing.paceRatio!).toBeCloseTo(1, 2);
  });
});

describe("the ad pollers (cron)", () => {
  test("active campaigns' linked accounts are polled when due; the next run within the interval polls nothing", async () => {
    const P = await campaign("Rivera Cron", midnight(-3), midnight(3));
    const acct = meta.addAccount("act_444", "Cron");
    acct.days.push({ date: day(-1), impressions: 700, clicks: 7, spend: 7, conversions: 1 });
    await campaigns.linkCampaignAdAccount({ id: P, platform: "meta", accountId: "act_444" }, as(manager));
    await campaigns.updateCampaign({ id: P, status: "active" }, as(manager));
    const first = await integrations.pollFeeds();
    expect(first.ads.platforms).toEqual(["meta", "google"]);
    expect(first.ads.failures).toBe(0);
    expect(first.ads.polled).toBeGreaterThanOrEqual(1);
    expect((await campaigns.getCampaignMetrics({ id: P }, as(manager))).metrics.impressions).toBe(700);
    const before = meta.requests.filter((q) => q.path === "/v27.0/act_444/insights").length;
    const second = await integrations.pollFeeds();
    expect(second.ads.polled).toBe(0);
    expect(meta.requests.filter((q) => q.path === "/v27.0/act_444/insights").length).toBe(before);
  });

  test("the metrics job recomputes active campaigns", async () => {
    const r = await campaigns.computeCampaignMetrics();
    expect(r.campaigns).toBeGreaterThanOrEqual(1);
    expect(r.failures).toBe(0);
  });
});

describe("GET /api/v1/integrations/meta|google/:campaignId: the campaign's linked accounts", () => {
  test("each campaign gets its own linked account's campaigns", async () => {
    const a222 = meta.accounts.get("act_222")!;
    const gotv = { id: "23850002", name: "GOTV push", status: "ACTIVE", objective: "OUTCOME_ENGAGEMENT", impressions: 500, clicks: 5, spend: 12 };
    a222.campaigns.push(gotv);
    try {
      const a = await integrations.fetchMetaAdsData({ campaignId: A }, as(analyst));
      expect(a).toMatchObject({ adAccountId: "act_111", source: "linked", totals: { impressions: 3000, clicks: 50, spend: 25.5 } });
      expect(a.accounts.map((x) => [x.adAccountId, x.name, x.currency, x.campaigns.map((c) => c.name)])).toEqual([
        ["act_111", "Rivera Meta", "USD", ["Persuasion"]],
      ]);
      const b = await integrations.fetchMetaAdsData({ campaignId: B }, as(analyst));
      expect(b).toMatchObject({ adAccountId: "act_222", source: "linked", totals: { impressions: 500, clicks: 5, spend: 12 } });
      expect(b.campaigns.map((c) => [c.id, c.name])).toEqual([["23850002", "GOTV push"]]);
      const g = await integrations.fetchGoogleAdsData({ campaignId: A }, as(analyst));
      expect(g).toMatchObject({ customerId: "1112223333", source: "linked", totals: { impressions: 3000, clicks: 150, spend: 74.5 } });
      expect(g.accounts).toMatchObject([{ customerId: "1112223333", name: "Rivera Search", campaigns: [{ id: "9001", name: "Brand search", cost: 74.5 }] }]);
    } finally {
      a222.campaigns.splice(a222.campaigns.indexOf(gotv), 1);
    }
  });

  test("nothing linked on that platform and no default account configured: 400 failed_precondition, no provider call", async () => {
    const before = [meta.requests.length, google.requests.length];
    for (const [p, id] of [
      ["meta", C],
      ["google", C],
      ["google", B],
    ] as const) {
      const f = await failure(
        p === "meta" ? integrations.fetchMetaAdsData({ campaignId: id }, as(manager)) : integrations.fetchGoogleAdsData({ campaignId: id }, as(manager)),
      );
      expect(f).toMatchObject({ code: "failed_precondition", message: `no ${p} ad account is linked to this campaign` });
    }
    expect([meta.requests.length, google.requests.length]).toEqual(before);
    // The campaign-access rule comes first: a campaign the caller may not see stays 404, a role without integrations:read 403.
    expect(await code(integrations.fetchMetaAdsData({ campaignId: C }, as(outsider)))).toBe("not_found");
    expect(await code(integrations.fetchGoogleAdsData({ campaignId: A }, as(outsider)))).toBe("not_found");
    expect(await code(integrations.fetchMetaAdsData({ campaignId: A }, as(viewer)))).toBe("permission_denied");
  });
});

describe("GET /api/v1/campaigns/meta and /google", () => {
  test("the ad campaigns of the accounts linked to the campaigns the caller sees", async () => {
    const m = await campaigns.getMetaCampaigns({}, as(viewer));
    expect(m.campaigns.map((c) => [c.adAccountId, c.id, c.campaignIds])).toEqual([["act_111", "23850001", [A]]]);
    expect(m.campaigns[0]).toMatchObject({ name: "Persuasion", impressions: 3000, spend: 25.5 });
    const g = await campaigns.getGoogleCampaigns({ campaignId: A }, as(analyst));
    expect(g.campaigns).toMatchObject([{ customerId: "1112223333", id: "9001", name: "Brand search", cost: 74.5, campaignIds: [A] }]);
    expect((await campaigns.getGoogleCampaigns({ campaignId: B }, as(analyst))).campaigns).toEqual([]);
    expect((await campaigns.getMetaCampaigns({}, as(outsider))).campaigns).toEqual([]);
    expect(await code(campaigns.getMetaCampaigns({ campaignId: A }, as(outsider)))).toBe("not_found");
    expect(await code(campaigns.getGoogleCampaigns({}))).toBe("unauthenticated");
  });

  test("unlinking stops an account counting, and links, unlinks and refreshes are audited", async () => {
    await campaigns.unlinkCampaignAdAccount({ id: A, platform: "google", accountId: "1112223333" }, as(manager));
    expect(await code(campaigns.unlinkCampaignAdAccount({ id: A, platform: "google", accountId: "1112223333" }, as(manager)))).toBe("not_found");
    const after = await campaigns.getCampaignMetrics({ id: A }, as(manager));
    expect(after.metrics).toMatchObject({ impressions: 3000, clicks: 50 });
    const actions = async () => (await auditEventsFor("campaign", A)).map((e) => e.action);
    await expect
      .poll(actions, { timeout: 15_000 })
      .toEqual(
        expect.arrayContaining([
          "campaign.ad_account_linked",
          "campaign.ad_account_unlinked",
          "campaign.metrics_refreshed",
          "campaign.metrics_settings_changed",
        ]),
      );
  });

  test("a provider that is down answers 503", async () => {
    meta.inject({ kind: "status", status: 500 }, 40);
    expect(await code(campaigns.getMetaCampaigns({}, as(admin)))).toBe("unavailable");
  });
});
