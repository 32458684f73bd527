// The Meta Marketing API client against the fake Graph API over real HTTP: cursor paging, insights
// joined to campaigns, Graph error objects mapped, usage headers respected, 429/5xx, the circuit,
// malformed bodies.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { MetaClient } from "../integrations/clients/meta";
import { metaPauseMs } from "../integrations/domain/meta";
import { DEFAULT_POLICY, ProviderPolicy } from "../shared/resilience";
import { startFakeMeta, type FakeMeta } from "../tests/fakes/meta";
import { FastClock } from "../tests/fakes/provider-faults";

let fake: FakeMeta;
let clock: FastClock;
let policy: ProviderPolicy;
let client: MetaClient;

beforeAll(async () => {
  fake = await startFakeMeta();
  for (let i = 1; i <= 12; i++) {
    fake.campaigns.push({
      id: `2385000000${i}`,
      name: `Persuasion ${i}`,
      status: i % 4 ? "ACTIVE" : "PAUSED",
      objective: "OUTCOME_AWARENESS",
      daily_budget: "5000",
      impressions: 1000 * i,
      clicks: 10 * i,
      spend: 12.5 * i,
    });
  }
});
afterAll(() => fake.close());
beforeEach(() => {
  clock = new FastClock();
  for (const k of Object.keys(fake.headers)) delete fake.headers[k];
  policy = new ProviderPolicy({
    ...DEFAULT_POLICY,
    provider: "meta",
    clock,
    timeoutMs: 3000,
    maxAttempts: 3,
    failureThreshold: 3,
    resetTimeoutMs: 5000,
    maxRetryAfterMs: 120_000,
  });
  client = new MetaClient({ accessToken: fake.token, baseUrl: fake.url, apiVersion: "v27.0", adAccountId: "1234567890" }, policy);
});

test("campaigns and insights are read across cursor pages and joined", async () => {
  const before = fake.requests.length;
  const campaigns = await client.campaigns({ pageSize: 5 });
  expect(campaigns).toHaveLength(12);
  const reqs = fake.requests.slice(before);
  expect(reqs.map((r) => r.path.split("/").pop())).toEqual(["campaigns", "campaigns", "campaigns", "insights", "insights", "insights"]);
  expect(reqs[1].query.get("after")).toBeTruthy();
  expect(reqs[0].path).toBe("/v27.0/act_1234567890/campaigns");
  expect(reqs[3].query.get("level")).toBe("campaign");
  expect(campaigns[2]).toMatchObject({
    id: "23850000003",
    name: "Persuasion 3",
    status: "ACTIVE",
    dailyBudget: 50,
    impressions: 3000,
    clicks: 30,
    spend: 37.5,
    cpc: 1.25,
  });
  expect(campaigns[3].status).toBe("PAUSED");
});

test("Graph error objects become clear errors: a bad token is auth, a bad object is a client error", async () => {
  const bad = new MetaClient({ accessToken: "nope", baseUrl: fake.url, apiVersion: "v27.0", adAccountId: "1234567890" }, policy);
  await expect(bad.campaigns()).rejects.toMatchObject({ kind: "auth", code: 190, message: expect.stringContaining("Invalid OAuth access token") });
  const wrongAccount = new MetaClient({ accessToken: fake.token, baseUrl: fake.url, apiVersion: "v27.0", adAccountId: "999" }, policy);
  await expect(wrongAccount.campaigns()).rejects.toMatchObject({ kind: "client", code: 100, message: expect.stringContaining("fbtrace_id AbCdEfGh123") });
  expect(policy.breaker.state).toBe("closed");
});

test("Graph throttling (code 80004 as a 400) waits the time Meta estimates, then succeeds", async () => {
  fake.inject({
    kind: "status",
    status: 400,
    body: {
      error: { message: "There have been too many calls to this ad-account.", type: "OAuthException", code: 80004, error_subcode: 2446079, fbtrace_id: "x" },
    },
    headers: {
      "x-business-use-case-usage": JSON.stringify({
        "1234567890": [{ type: "ads_management", call_count: 100, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 1 }],
      }),
    },
  });
  expect(await client.campaigns()).toHaveLength(12);
  expect(clock.sleeps[0]).toBe(60_000);
});

test("429 with Retry-After is honoured", async () => {
  fake.inject({ kind: "rate_limit", retryAfterSeconds: 4 });
  expect(await client.campaigns()).toHaveLength(12);
  expect(clock.sleeps).toEqual([4000]);
});

test("usage headers near the ceiling pause the limiter before Meta refuses", async () => {
  fake.headers["x-app-usage"] = JSON.stringify({ call_count: 96, total_cputime: 10, total_time: 10 });
  await client.campaigns();
  expect(policy.bucket.tryTake()).toBeGreaterThan(50_000);
  expect(metaPauseMs(new Headers({ "x-app-usage": JSON.stringify({ call_count: 30, total_cputime: 5, total_time: 5 }) }))).toBe(0);
});

test("5xx is retried", async () => {
  fake.inject({ kind: "status", status: 500, body: { error: { message: "An unknown error occurred", type: "OAuthException", code: 1, fbtrace_id: "y" } } }, 2);
  expect(await client.campaigns()).toHaveLength(12);
  expect(clock.sleeps).toHaveLength(2);
});

test("malformed JSON, a page without data and a drifted row are clear errors (zod schemas)", async () => {
  fake.inject({ kind: "malformed" });
  await expect(client.campaigns()).rejects.toMatchObject({ kind: "malformed", message: expect.stringContaining("meta: malformed JSON") });
  fake.inject({ kind: "status", status: 200, body: { campaigns: [] } });
  await expect(client.campaigns()).rejects.toMatchObject({
    kind: "malformed",
    message: expect.stringContaining("Meta campaigns page does not match its schema: data: "),
  });
  // A campaign whose spend drifted to an object: refused, nothing mapped to a wrong number.
  fake.inject({ kind: "status", status: 200, body: { data: [{ id: "1", name: "x", daily_budget: { amount: 5 } }] } });
  await expect(client.campaigns()).rejects.toMatchObject({ kind: "malformed", message: expect.stringContaining("data.0.daily_budget") });
});

test("the circuit opens after repeated failures and recovers after the reset timeout", async () => {
  fake.inject({ kind: "hang" }, 3);
  policy = new ProviderPolicy({ ...policy.o, timeoutMs: 200 });
  client = new MetaClient({ accessToken: fake.token, baseUrl: fake.url, apiVersion: "v27.0", adAccountId: "1234567890" }, policy);
  await expect(client.campaigns()).rejects.toMatchObject({ kind: "timeout" });
  expect(policy.breaker.state).toBe("open");
  await expect(client.campaigns()).rejects.toMatchObject({ kind: "circuit_open" });
  clock.offset += 5000;
  expect(await client.campaigns()).toHaveLength(12);
  expect(policy.breaker.state).toBe("closed");
});
