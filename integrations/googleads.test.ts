// The Google Ads client against the fake Google Ads API over real HTTP: the OAuth refresh-token
// flow, GAQL through searchStream (rows over several batches), headers, Google's error shape,
// 429/5xx, a revoked access token refreshed once, the circuit, malformed bodies.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { z } from "zod";
import { CAMPAIGNS_QUERY, GoogleAdsClient, type GoogleAdsConfig } from "../integrations/clients/googleads";
import { DEFAULT_POLICY, ProviderPolicy } from "../shared/resilience";
import { startFakeGoogleAds, type FakeGoogleAds } from "../tests/fakes/googleads";
import { FastClock } from "../tests/fakes/provider-faults";

let fake: FakeGoogleAds;
let clock: FastClock;
let policy: ProviderPolicy;
let config: GoogleAdsConfig;
let client: GoogleAdsClient;

beforeAll(async () => {
  fake = await startFakeGoogleAds();
  for (let i = 1; i <= 23; i++) {
    fake.campaigns.push({
      id: String(20_000_000_000 + i),
      name: `Search ${i}`,
      status: i % 3 ? "ENABLED" : "PAUSED",
      channel: "SEARCH",
      impressions: 100 * i,
      clicks: 5 * i,
      costMicros: 2_500_000 * i,
      conversions: i / 2,
    });
  }
});
afterAll(() => fake.close());
beforeEach(() => {
  clock = new FastClock();
  fake.batchSize = 10;
  policy = new ProviderPolicy({ ...DEFAULT_POLICY, provider: "googleads", clock, timeoutMs: 3000, maxAttempts: 3, failureThreshold: 3, resetTimeoutMs: 5000 });
  config = { ...fake, baseUrl: fake.url, tokenUrl: `${fake.url}/token`, apiVersion: "v26" };
  client = new GoogleAdsClient(config, policy);
});

test("refreshes an access token, sends GAQL with the headers, and reads rows from every batch", async () => {
  const before = fake.requests.length;
  const campaigns = await client.campaigns();
  expect(campaigns).toHaveLength(23); // three batches: 10 + 10 + 3
  const [token, search] = fake.requests.slice(before);
  expect(token.path).toBe("/token");
  expect(search.path).toBe("/v26/customers/1234567890/googleAds:searchStream");
  expect(search.headers["developer-token"]).toBe("dev-token");
  expect(search.headers["login-customer-id"]).toBe("9876543210");
  expect(fake.queries.at(-1)).toBe(CAMPAIGNS_QUERY);
  expect(campaigns[3]).toMatchObject({
    id: "20000000004",
    name: "Search 4",
    status: "ENABLED",
    channelType: "SEARCH",
    impressions: 400,
    clicks: 20,
    cost: 10,
    conversions: 2,
    averageCpc: 0.5,
  });
});

test("the access token is reused until it expires", async () => {
  await client.campaigns();
  const tokens = fake.issued.length;
  await client.campaigns();
  expect(fake.issued.length).toBe(tokens);
  clock.offset += 3600_000;
  await client.campaigns();
  expect(fake.issued.length).toBe(tokens + 1);
});

test("a revoked access token is refreshed once and the query succeeds", async () => {
  await client.campaigns();
  fake.revoke();
  expect(await client.campaigns()).toHaveLength(23);
});

test("an expired refresh token is a clear auth error", async () => {
  const bad = new GoogleAdsClient({ ...config, refreshToken: "1//old" }, policy);
  await expect(bad.campaigns()).rejects.toMatchObject({
    kind: "auth",
    code: "invalid_grant",
    message: expect.stringContaining("Token has been expired or revoked"),
  });
});

test("Google's error details name the failing field", async () => {
  await expect(client.search("SELECT foo FROM bar", z.unknown())).rejects.toMatchObject({
    kind: "client",
    status: 400,
    message: expect.stringContaining("PROHIBITED_RESOURCE_TYPE_IN_FROM_CLAUSE"),
  });
  const denied = new GoogleAdsClient({ ...config, loginCustomerId: "111" }, policy);
  await expect(denied.campaigns()).rejects.toMatchObject({ kind: "auth", code: "PERMISSION_DENIED" });
});

test("429 RESOURCE_EXHAUSTED with Retry-After is honoured", async () => {
  await client.accessToken();
  fake.inject({
    kind: "rate_limit",
    retryAfterSeconds: 5,
    body: { error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" } },
  });
  expect(await client.campaigns()).toHaveLength(23);
  expect(clock.sleeps).toEqual([5000]);
});

test("5xx is retried", async () => {
  await client.accessToken();
  fake.inject({ kind: "status", status: 503, body: { error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } } }, 2);
  expect(await client.campaigns()).toHaveLength(23);
  expect(clock.sleeps).toHaveLength(2);
});

test("malformed JSON and an error inside the stream are clear errors", async () => {
  await client.accessToken();
  fake.inject({ kind: "malformed" });
  await expect(client.campaigns()).rejects.toMatchObject({ kind: "malformed", message: expect.stringContaining("googleads: malformed JSON") });
  fake.inject({ kind: "status", status: 200, body: [{ results: [] }, { error: { code: 500, message: "Internal error encountered.", status: "INTERNAL" } }] });
  await expect(client.campaigns()).rejects.toMatchObject({ kind: "malformed", message: expect.stringContaining("failed mid-stream") });
});
test("a drifted row (costMicros no longer a number, campaign.id missing) is rejected by its zod schema, not mapped", async () => {
  await client.accessToken();
  fake.inject({ kind: "status", status: 200, body: [{ results: [{ campaign: { name: "Rivera Search" }, metrics: { costMicros: { units: 5 } } }] }] });
  const err = await client.campaigns().catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: "malformed" });
  expect((err as Error).message).toMatch(
    /Google Ads searchStream does not match its schema: 0\.results\.0\.campaign\.id: .*0\.results\.0\.metrics\.costMicros/,
  );
});

test("the circuit opens after repeated failures and recovers", async () => {
  await client.accessToken();
  fake.inject({ kind: "status", status: 500 }, 3);
  await expect(client.campaigns()).rejects.toMatchObject({ kind: "server" });
  await expect(client.campaigns()).rejects.toMatchObject({ kind: "circuit_open" });
  clock.offset += 5000;
  expect(await client.campaigns()).toHaveLength(23);
  expect(policy.breaker.state).toBe("closed");
});
