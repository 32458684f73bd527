// integrations' endpoints through the generated clients (auth data and schemas enforced) against
// the fake providers: permissions and campaign access, bad input, data from each provider (a
// campaign's linked ad accounts, else the configured default account), a provider down → 503 with
// its circuit open in health, and the idempotent internal send.
import "../tests/fakes/auth-secrets";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeGoogleAds } from "../tests/fakes/googleads";
import { startFakeMentionlytics } from "../tests/fakes/mentionlytics";
import { startFakeMeta } from "../tests/fakes/meta";
import { startFakeTwilio } from "../tests/fakes/twilio";
import { providersEnv } from "../tests/fakes/provider-env";
import { as, code, type Profile } from "../tests/inproc";

// The fakes must be up, and the secrets pointing at them, before integrations' secrets are declared.
const twilio = await startFakeTwilio();
const ml = await startFakeMentionlytics();
const meta = await startFakeMeta();
const google = await startFakeGoogleAds();
Object.assign(process.env, providersEnv({ twilio, ml, meta, google }, { metaAdAccountId: "1234567890", googleCustomerId: "123-456-7890" }));
const { auth, campaigns, integrations, users } = await import("~encore/clients");
const { handleStatusCallback } = await import("./flows/messages");
const store = await import("../integrations/store");
const { db } = await import("../integrations/db");
const { default: twilioSdk } = await import("twilio");
type Role = "admin" | "manager" | "analyst" | "viewer";

let n = 0;
let admin: Profile, manager: Profile, analyst: Profile, outsider: Profile, viewer: Profile;
let campaignId: string;
async function user(role: Role): Promise<Profile> {
  return (await users.createUser({ email: `int-${++n}@example.org`, password: "password-for-tests", name: `User ${n}`, role }, as(admin))).user;
}

async function newCampaign(name: string): Promise<string> {
  const c = await campaigns.createCampaign(
    {
      name,
      description: "x",
      startDate: new Date("2026-01-01T00:00:00Z"),
      endDate: new Date("2027-11-03T00:00:00Z"),
      budget: 1000,
      targetAudience: {
        demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "any", education: "any" },
        interests: [],
        locations: [],
        platforms: ["facebook"],
      },
    },
    as(manager),
  );
  await campaigns.addCampaignMember({ id: c.id, userId: analyst.id, role: "member" }, as(manager));
  await campaigns.addCampaignMember({ id: c.id, userId: viewer.id, role: "member" }, as(manager));
  return c.id;
}

beforeAll(async () => {
  admin = (await auth.register({ email: "int-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
  [manager, analyst, outsider, viewer] = [await user("manager"), await user("analyst"), await user("analyst"), await user("viewer")];
  campaignId = await newCampaign("Rivera for Senate");
  await campaigns.addCampaignKeywords({ id: campaignId, keywords: [{ keyword: "Rivera" }] }, as(manager));
  ml.add(
    { description: "Rivera wins debate", sentiment: "positive", screen_name: "paper", followers_count: 9000 },
    { description: "Rivera gaffe", sentiment: "negative" },
    { description: "Chen rally", campaign: "Chen" },
  );
  meta.campaigns.push({ id: "23851", name: "GOTV", status: "ACTIVE", objective: "OUTCOME_AWARENESS", impressions: 5000, clicks: 50, spend: 61.25 });
  google.campaigns.push({
    id: "2001",
    name: "Brand search",
    status: "ENABLED",
    channel: "SEARCH",
    impressions: 800,
    clicks: 40,
    costMicros: 20_000_000,
    conversions: 3,
  });
});
afterAll(async () => {
  await Promise.all([twilio.close(), ml.close(), meta.close(), google.close()]);
});

describe("reading provider data for a campaign", () => {
  test("Mentionlytics: the campaign's mentions with sentiment, influencers and competitors", async () => {
    const data = await integrations.fetchMentionlyticsData({ campaignId }, as(analyst));
    expect(data.totalMentions).toBe(2);
    expect(data.sentiment).toMatchObject({ positive: 1, negative: 1 });
    expect(data.influencers[0]).toMatchObject({ name: "paper", followers: 9000 });
    expect(data.competitors.map((c) => c.name)).toEqual(["Chen"]);
    expect(data.mentions[0].timestamp).toBeInstanceOf(Date);
  });

  test("Meta, no account linked: the configured default account's campaigns with insights, at the configured API version", async () => {
    const data = await integrations.fetchMetaAdsData({ campaignId }, as(manager));
    expect(data).toMatchObject({
      adAccountId: "act_1234567890",
      apiVersion: "v27.0",
      source: "default",
      totals: { impressions: 5000, clicks: 50, spend: 61.25 },
    });
    expect(data.campaigns[0]).toMatchObject({ id: "23851", name: "GOTV", cpc: 1.225 });
    expect(data.accounts).toEqual([{ adAccountId: "act_1234567890", campaigns: data.campaigns, totals: data.totals }]);
    expect(meta.versions.at(-1)).toBe("v27.0");
  });

  test("Google Ads, no customer linked: the configured default customer, id without dashes, at the configured version", async () => {
    const data = await integrations.fetchGoogleAdsData({ campaignId }, as(admin));
    expect(data).toMatchObject({ customerId: "1234567890", apiVersion: "v26", source: "default", totals: { impressions: 800, clicks: 40, spend: 20 } });
    expect(data.accounts.map((a) => [a.customerId, a.campaigns.map((c) => c.id)])).toEqual([["1234567890", ["2001"]]]);
  });

  test("linked accounts: each campaign gets its own accounts' data, not the default account's", async () => {
    const X = await newCampaign("Chen for Mayor");
    const Y = await newCampaign("Okafor for Council");
    meta
      .addAccount("act_5550001", "Chen Meta")
      .campaigns.push({ id: "70001", name: "Chen persuasion", status: "ACTIVE", objective: "OUTCOME_AWARENESS", impressions: 100, clicks: 4, spend: 2.5 });
    meta
      .addAccount("act_5550002", "Okafor Meta")
      .campaigns.push({ id: "70002", name: "Okafor GOTV", status: "ACTIVE", objective: "OUTCOME_ENGAGEMENT", impressions: 300, clicks: 6, spend: 9 });
    meta
      .addAccount("act_5550003", "Okafor Meta 2")
      .campaigns.push({ id: "70003", name: "Okafor video", status: "PAUSED", objective: "OUTCOME_AWARENESS", impressions: 200, clicks: 2, spend: 1.25 });
    google.addCustomer("5550000001", "Chen Search").campaigns.push({
      id: "80001",
      name: "Chen search",
      status: "ENABLED",
      channel: "SEARCH",
      impressions: 70,
      clicks: 7,
      costMicros: 3_500_000,
      conversions: 1,
    });
    await campaigns.linkCampaignAdAccount({ id: X, platform: "meta", accountId: "5550001" }, as(manager));
    await campaigns.linkCampaignAdAccount({ id: X, platform: "google", accountId: "555-000-0001" }, as(manager));
    await campaigns.linkCampaignAdAccount({ id: Y, platform: "meta", accountId: "act_5550003" }, as(manager));
    await campaigns.linkCampaignAdAccount({ id: Y, platform: "meta", accountId: "act_5550002" }, as(manager));

    const before = meta.requests.length;
    const x = await integrations.fetchMetaAdsData({ campaignId: X }, as(analyst));
    expect(x).toMatchObject({ adAccountId: "act_5550001", apiVersion: "v27.0", source: "linked", totals: { impressions: 100, clicks: 4, spend: 2.5 } });
    expect(x.campaigns.map((c) => c.id)).toEqual(["70001"]);
    expect(x.accounts).toEqual([{ adAccountId: "act_5550001", name: "Chen Meta", currency: "USD", campaigns: x.campaigns, totals: x.totals }]);
    // Only the linked account was asked for, never the default one.
    expect(new Set(meta.requests.slice(before).map((r) => r.path))).toEqual(new Set(["/v27.0/act_5550001/campaigns", "/v27.0/act_5550001/insights"]));

    // Two linked accounts: a section each (sorted by id), campaigns and totals across both.
    const y = await integrations.fetchMetaAdsData({ campaignId: Y }, as(analyst));
    expect(y).toMatchObject({ adAccountId: "act_5550002", source: "linked", totals: { impressions: 500, clicks: 8, spend: 10.25 } });
    expect(y.campaigns.map((c) => c.id)).toEqual(["70002", "70003"]);
    expect(y.accounts.map((a) => [a.adAccountId, a.name, a.campaigns.map((c) => c.name), a.totals])).toEqual([
      ["act_5550002", "Okafor Meta", ["Okafor GOTV"], { impressions: 300, clicks: 6, spend: 9 }],
      ["act_5550003", "Okafor Meta 2", ["Okafor video"], { impressions: 200, clicks: 2, spend: 1.25 }],
    ]);

    // Google: X's linked customer; Y has none linked, so it falls back to the default customer.
    const gx = await integrations.fetchGoogleAdsData({ campaignId: X }, as(analyst));
    expect(gx).toMatchObject({ customerId: "5550000001", source: "linked", totals: { impressions: 70, clicks: 7, spend: 3.5 } });
    expect(gx.accounts).toMatchObject([{ customerId: "5550000001", name: "Chen Search", campaigns: [{ id: "80001", name: "Chen search", cost: 3.5 }] }]);
    const gy = await integrations.fetchGoogleAdsData({ campaignId: Y }, as(analyst));
    expect(gy).toMatchObject({ customerId: "1234567890", source: "default" });
    expect(gy.campaigns.map((c) => c.id)).toEqual(["2001"]);

    // The campaign-access rule holds for linked campaigns too.
    expect(await code(integrations.fetchMetaAdsData({ campaignId: X }, as(outsider)))).toBe("not_found");
    expect(await code(integrations.fetchGoogleAdsData({ campaignId: X }, as(viewer)))).toBe("permission_denied");

    // Meta refusing one linked account (access lost): its section says why, the other's data still comes.
    meta.accounts.delete("act_5550003");
    const partial = await integrations.fetchMetaAdsData({ campaignId: Y }, as(analyst));
    expect(partial.totals).toEqual({ impressions: 300, clicks: 6, spend: 9 });
    expect(partial.accounts[0]).toMatchObject({ adAccountId: "act_5550002", campaigns: [{ id: "70002" }] });
    expect(partial.accounts[0].error).toBeUndefined();
    expect(partial.accounts[1]).toMatchObject({
      adAccountId: "act_5550003",
      campaigns: [],
      totals: { impressions: 0, clicks: 0, spend: 0 },
      error: expect.stringContaining("does not exist"),
    });
    // …and refusing every one is the provider's refusal, as for a single account (400).
    meta.accounts.delete("act_5550002");
    expect(await code(integrations.fetchMetaAdsData({ campaignId: Y }, as(analyst)))).toBe("invalid_argument");
  });

  test("a role without integrations:read is refused (403) before the campaign is looked at", async () => {
    expect(await code(integrations.fetchMentionlyticsData({ campaignId }, as(viewer)))).toBe("permission_denied");
    expect(await code(integrations.fetchMetaAdsData({ campaignId: "00000000-0000-0000-0000-000000000000" }, as(viewer)))).toBe("permission_denied");
  });

  test("a campaign the caller is not on, or that does not exist, is 404", async () => {
    expect(await code(integrations.fetchMentionlyticsData({ campaignId }, as(outsider)))).toBe("not_found");
    expect(await code(integrations.fetchGoogleAdsData({ campaignId: "00000000-0000-0000-0000-000000000000" }, as(admin)))).toBe("not_found");
    expect(await code(integrations.fetchMetaAdsData({ campaignId: "not-a-uuid" }, as(admin)))).toBe("not_found");
  });

  test("without a signed-in caller every endpoint is 401", async () => {
    expect(await code(integrations.fetchMentionlyticsData({ campaignId }))).toBe("unauthenticated");
    expect(await code(integrations.sendSMSAlert({ to: "+14155550100", message: "x" }))).toBe("unauthenticated");
  });

  test("a provider that keeps failing answers 503, opens its circuit, and health shows it", async () => {
    meta.inject({ kind: "status", status: 500 }, 40);
    for (let i = 0; i < 2; i++) expect(await code(integrations.fetchMetaAdsData({ campaignId }, as(manager)))).toBe("unavailable");
    const health = await integrations.health();
    const p = health.providers?.find((x) => x.name === "meta");
    expect(p).toMatchObject({ configured: true, circuit: "open" });
    expect(p!.failuresLastHour).toBeGreaterThan(0);
    expect(health.providers?.find((x) => x.name === "twilio")?.circuit).toBe("closed");
    // The circuit now fails fast: no further calls reach Meta.
    const before = meta.requests.length;
    expect(await code(integrations.fetchMetaAdsData({ campaignId }, as(manager)))).toBe("unavailable");
    expect(meta.requests.length).toBe(before);
    // Other providers are unaffected.
    expect((await integrations.fetchGoogleAdsData({ campaignId }, as(manager))).campaigns).toHaveLength(1);
  });
});

describe("sending SMS", () => {
  test("a manager's SMS reaches Twilio and returns its sid", async () => {
    const { messageId } = await integrations.sendSMSAlert({ to: "+14155550100", message: "Crisis briefing at 6" }, as(manager));
    expect(messageId).toMatch(/^SM/);
    expect(twilio.messages.find((m) => m.sid === messageId)).toMatchObject({ to: "+14155550100", from: "+14155550199", body: "Crisis briefing at 6" });
  });

  test("a number that is not E.164 is 400 and nothing is sent", async () => {
    const before = twilio.messages.length;
    for (const to of ["4155550100", "+1 415 555 0100", "+0155550100", "whatsapp:+14155550100"]) {
      expect(await code(integrations.sendSMSAlert({ to, message: "x" }, as(manager)))).toBe("invalid_argument");
    }
    expect(await code(integrations.sendSMSAlert({ to: "+14155550100", message: "  " }, as(manager)))).toBe("invalid_argument");
    expect(twilio.messages.length).toBe(before);
  });

  test("an analyst (no integrations:create) is refused", async () => {
    expect(await code(integrations.sendSMSAlert({ to: "+14155550100", message: "x" }, as(analyst)))).toBe("permission_denied");
  });

  test("the internal send is idempotent per key: a redelivery returns the first sid and sends nothing", async () => {
    const req = { channel: "whatsapp" as const, to: "+14155550123", body: "CRITICAL: crisis detected", idempotencyKey: `alert-1:contact-2:${Date.now()}` };
    const first = await integrations.sendMessage(req);
    const again = await integrations.sendMessage(req);
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ ...first, duplicate: true });
    const sent = twilio.messages.filter((m) => m.sid === first.messageId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: "whatsapp:+14155550123", from: "whatsapp:+14155238886" });
  });

  test("concurrent redeliveries of one key send once", async () => {
    const req = { channel: "sms" as const, to: "+14155550124", body: "HIGH: volume spike", idempotencyKey: `alert-2:${Date.now()}` };
    const before = twilio.messages.length;
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => integrations.sendMessage(req)));
    expect(twilio.messages.length - before).toBe(1);
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<{ messageId: string }>).value.messageId);
    expect(new Set(ok).size).toBe(1);
  });

  test("a send Twilio refuses releases its key so a corrected retry can send", async () => {
    const key = `alert-3:${Date.now()}`;
    twilio.inject({ kind: "status", status: 400, body: { code: 21610, message: "Attempt to send to unsubscribed recipient", status: 400 } });
    expect(await code(integrations.sendMessage({ channel: "sms", to: "+14155550125", body: "x", idempotencyKey: key }))).toBe("invalid_argument");
    const r = await integrations.sendMessage({ channel: "sms", to: "+14155550125", body: "x", idempotencyKey: key });
    expect(r.duplicate).toBe(false);
  });

  test("a key whose claim is held answers aborted with a retry hint, and sends nothing", async () => {
    const key = `alert-held:${Date.now()}`;
    await db.exec`INSERT INTO messages (idempotency_key, channel, status) VALUES (${key}, 'sms', 'sending')`;
    const before = twilio.messages.length;
    const err = await integrations.sendMessage({ channel: "sms", to: "+14155550127", body: "held", idempotencyKey: key }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "aborted", details: { inFlight: true, retryAfterSeconds: expect.any(Number) } });
    expect((err as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBeGreaterThan(100); // most of the 2-minute lease is left
    expect(twilio.messages.length).toBe(before);
  });

  test("a claim whose sender died after Twilio accepted the message is settled from Twilio's list: adopted, not sent again", async () => {
    const req = { channel: "sms" as const, to: "+14155550128", body: `CRISIS lost answer ${Date.now()}`, idempotencyKey: `alert-lost:${Date.now()}` };
    const first = await integrations.sendMessage(req);
    // As if recording the sid never happened, and the claim is older than its lease.
    await db.exec`UPDATE messages SET sid = NULL, status = 'sending', created_at = now() - interval '3 minutes', updated_at = now() - interval '3 minutes' WHERE idempotency_key = ${req.idempotencyKey}`;
    const before = twilio.messages.length;
    const again = await integrations.sendMessage(req);
    expect(again).toMatchObject({ messageId: first.messageId, duplicate: true });
    expect(twilio.messages.length).toBe(before);
    expect((await store.getMessage(req.idempotencyKey))?.sid).toBe(first.messageId);
  });

  test("a claim is released by its owner only", async () => {
    const key = `alert-owner:${Date.now()}`;
    expect(await store.claimMessage(key, { channel: "sms", to: "+14155550130", from: "+14155550199", bodySha256: "x", owner: "mine" })).toBe(true);
    await store.releaseMessage(key, "someone-else");
    expect(await store.getMessage(key)).not.toBeNull();
    await store.releaseMessage(key, "mine");
    expect(await store.getMessage(key)).toBeNull();
  });

  test("a stale claim that never reached Twilio is taken over and sent once", async () => {
    const req = { channel: "sms" as const, to: "+14155550129", body: `CRISIS never sent ${Date.now()}`, idempotencyKey: `alert-dead:${Date.now()}` };
    await db.exec`INSERT INTO messages (idempotency_key, channel, status, created_at, updated_at) VALUES (${req.idempotencyKey}, 'sms', 'sending', now() - interval '3 minutes', now() - interval '3 minutes')`;
    const before = twilio.messages.length;
    const results = await Promise.allSettled([integrations.sendMessage(req), integrations.sendMessage(req)]);
    expect(twilio.messages.length - before).toBe(1);
    const sent = results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ messageId: string; duplicate: boolean }>;
    expect(sent.value.duplicate).toBe(false);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "aborted" } });
    expect(await integrations.sendMessage(req)).toMatchObject({ messageId: sent.value.messageId, duplicate: true });
  });

  test("verified status callbacks are recorded in order and move the message's status; a bad signature records nothing", async () => {
    const req = { channel: "sms" as const, to: "+14155550126", body: "status test", idempotencyKey: `alert-4:${Date.now()}` };
    const { messageId } = await integrations.sendMessage(req);
    const url = "https://warroom.example/api/v1/integrations/twilio/status";
    const post = (status: string, token = twilio.authToken) => {
      const params = { AccountSid: twilio.accountSid, MessageSid: messageId, MessageStatus: status, To: req.to };
      return handleStatusCallback({ url, signature: twilioSdk.getExpectedTwilioSignature(token, url, params), body: new URLSearchParams(params).toString() });
    };
    expect((await post("sent")).status).toBe(204);
    expect((await post("delivered")).status).toBe(204);
    expect((await post("failed", "forged")).status).toBe(403);
    expect((await handleStatusCallback({ url, signature: undefined, body: `MessageSid=${messageId}&MessageStatus=failed` })).status).toBe(403);
    expect(await store.statusesOf(messageId)).toEqual(["sent", "delivered"]);
    expect((await store.getMessage(req.idempotencyKey))?.status).toBe("delivered");
  });
});
