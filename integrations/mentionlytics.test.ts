// The Mentionlytics client against the fake Mentionlytics over real HTTP: paging, mapping, 429 with
// Retry-After, 5xx retried, the circuit, malformed bodies; and the poll cursor's exactly-once rule.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { MentionlyticsClient } from "../integrations/clients/mentionlytics";
import { advance, summarize } from "../integrations/domain/mentions";
import { DEFAULT_POLICY, ProviderPolicy } from "../shared/resilience";
import { startFakeMentionlytics, type FakeMentionlytics } from "../tests/fakes/mentionlytics";
import { FastClock } from "../tests/fakes/provider-faults";

let fake: FakeMentionlytics;
let clock: FastClock;
let policy: ProviderPolicy;
let client: MentionlyticsClient;
const since = new Date(Date.now() - 86400_000);
const until = new Date();

beforeAll(async () => {
  fake = await startFakeMentionlytics();
  const t0 = Date.now() - 3600_000;
  // 25 mentions of Rivera, 5 of a competitor tracker.
  fake.add(
    ...Array.from({ length: 25 }, (_, i) => ({
      pub_date: new Date(t0 + i * 1000).toISOString(),
      description: `Rivera town hall ${i}`,
      sentiment: i % 5 === 0 ? "negative" : "positive",
      screen_name: i % 2 ? "bignews" : "smallvoice",
      followers_count: i % 2 ? 50_000 : 200,
    })),
    ...Array.from({ length: 5 }, (_, i) => ({
      pub_date: new Date(t0 + i * 1000).toISOString(),
      description: `Chen rally ${i}`,
      campaign: "Chen",
      sentiment: "negative",
    })),
  );
});
afterAll(() => fake.close());
beforeEach(() => {
  clock = new FastClock();
  policy = new ProviderPolicy({
    ...DEFAULT_POLICY,
    provider: "mentionlytics",
    clock,
    timeoutMs: 3000,
    maxAttempts: 3,
    failureThreshold: 3,
    resetTimeoutMs: 5000,
  });
  client = new MentionlyticsClient({ token: fake.token, baseUrl: fake.url }, policy);
});

test("follows pages until a short page and maps every mention", async () => {
  const before = fake.requests.length;
  const r = await client.mentions({ since, until, perPage: 7 });
  expect(r.mentions).toHaveLength(30);
  expect(r.pages).toBe(5); // 7+7+7+7+2
  expect(fake.requests.length - before).toBe(5);
  expect(fake.requests.slice(before).map((q) => q.query.get("page_no"))).toEqual(["0", "1", "2", "3", "4"]);
  const m = r.mentions.find((x) => x.text === "Rivera town hall 1")!;
  expect(m).toMatchObject({ author: "bignews", platform: "twitter", sentiment: 1, reach: 50_000, engagement: 1, language: "en", tracker: "Rivera" });
  expect(m.timestamp).toBeInstanceOf(Date);
});

test("the summary has the campaign's mentions, sentiment, influencers and competitors", async () => {
  const r = await client.mentions({ since, until });
  const data = summarize(r.mentions, ["rivera"]);
  expect(data.totalMentions).toBe(25);
  expect(data.sentiment).toMatchObject({ positive: 20, negative: 5, neutral: 0 });
  expect(data.sentimentScore).toBe(0.6);
  expect(data.influencers[0]).toMatchObject({ name: "bignews", followers: 50_000, mentions: 12 });
  expect(data.competitors).toEqual([{ name: "Chen", mentions: 5, sentimentScore: -1, shareOfVoice: 0.167 }]);
  expect(data.mentions[0].text).toBe("Rivera town hall 24"); // newest first
});

test("429 with Retry-After is honoured, then paging goes on", async () => {
  fake.inject({ kind: "rate_limit", retryAfterSeconds: 3 });
  const r = await client.mentions({ since, until, perPage: 50 });
  expect(r.mentions).toHaveLength(30);
  expect(clock.sleeps).toEqual([3000]);
});

test("5xx is retried and the fetch completes", async () => {
  fake.inject({ kind: "status", status: 502 }, 2);
  expect((await client.mentions({ since, until, perPage: 50 })).mentions).toHaveLength(30);
  expect(clock.sleeps).toHaveLength(2);
});

test("a hanging page times out, is retried, and the fetch completes", async () => {
  fake.inject({ kind: "hang" });
  const quick = new MentionlyticsClient({ token: fake.token, baseUrl: fake.url }, new ProviderPolicy({ ...policy.o, timeoutMs: 200 }));
  expect((await quick.mentions({ since, until, perPage: 50 })).mentions).toHaveLength(30);
});

test("a malformed body is a clear error, a body without mentions too, and drifted mentions (zod schema)", async () => {
  fake.inject({ kind: "malformed" });
  await expect(client.mentions({ since, until })).rejects.toMatchObject({
    kind: "malformed",
    message: expect.stringContaining("mentionlytics: malformed JSON"),
  });
  fake.inject({ kind: "status", status: 200, body: { data: [] } });
  await expect(client.mentions({ since, until })).rejects.toMatchObject({
    kind: "malformed",
    message: expect.stringContaining("Mentionlytics mentions page does not match its schema: mentions: "),
  });
  // Every mention drifted (the date renamed, followers as text): the page is refused, nothing mapped.
  fake.inject({ kind: "status", status: 200, body: { mentions: [{ id: 1, published: "2026-11-01 10:00:00", followers_count: "many" }] } });
  await expect(client.mentions({ since, until })).rejects.toMatchObject({
    kind: "malformed",
    message: expect.stringMatching(/no mention of the page matches its schema \(pub_date: .*followers_count/),
  });
});

test("a wrong token is an auth error with Mentionlytics' message", async () => {
  const bad = new MentionlyticsClient({ token: "nope", baseUrl: fake.url }, policy);
  await expect(bad.mentions({ since, until })).rejects.toMatchObject({ kind: "auth", status: 401, message: "mentionlytics: Invalid token" });
});

test("the circuit opens on repeated 5xx, fails fast, and recovers", async () => {
  fake.inject({ kind: "status", status: 500 }, 3);
  await expect(client.mentions({ since, until })).rejects.toMatchObject({ kind: "server" });
  const before = fake.requests.length;
  await expect(client.mentions({ since, until })).rejects.toMatchObject({ kind: "circuit_open" });
  expect(fake.requests.length).toBe(before);
  clock.offset += 5000;
  expect((await client.mentions({ since, until, perPage: 50 })).mentions).toHaveLength(30);
  expect(policy.breaker.state).toBe("closed");
});

test("the cursor delivers each mention once across polls, even at equal timestamps", async () => {
  const { mentions } = await client.mentions({ since, until, perPage: 50 });
  const first = advance(null, mentions.slice(0, 10));
  expect(first.fresh).toHaveLength(10);
  // The second poll sees overlapping results (the provider's window is by day) plus new ones.
  const second = advance(first.cursor, mentions);
  expect(second.fresh.map((m) => m.id).sort()).toEqual(
    mentions
      .filter((m) => !first.fresh.includes(m))
      .filter((m) => m.timestamp >= first.fresh[9].timestamp)
      .map((m) => m.id)
      .sort(),
  );
  const third = advance(second.cursor, mentions);
  expect(third.fresh).toHaveLength(0);
  expect(new Set([...first.fresh, ...second.fresh].map((m) => m.id)).size).toBe(first.fresh.length + second.fresh.length);
});
