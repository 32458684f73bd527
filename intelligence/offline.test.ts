// intelligence without a model (no OPENAI_API_KEY): the offline assistant answers from the same
// tools and the real figures, clearly marked; the per-user rate limit (429 with a retry hint); and
// the compliance contract (retention purge of chat messages and documents, a person's erasure).
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { as, campaignRequest, type Profile } from "../tests/inproc";
import { redisForTests } from "../host/testing/services.ts";

const REDIS_URL = redisForTests("the rate limit across processes");

// Secrets are read when the app's modules load: no key, and a small burst for the rate-limit test.
delete process.env.OPENAI_API_KEY;
Object.assign(process.env, { INTELLIGENCE_RATE_BURST: "3", INTELLIGENCE_RATE_PER_MINUTE: "1" });
const { auth, campaigns, intelligence, monitoring, users } = await import("~encore/clients");
await import("../intelligence/subscriptions");
const intelStore = await import("../intelligence/store");

let n = 0;
let admin: Profile;
let campaignId: string;

async function user(role: "manager" | "analyst" | "viewer"): Promise<Profile> {
  return (await users.createUser({ email: `offline-${++n}@example.org`, password: "password-for-tests", name: `User ${n}`, role }, as(admin))).user;
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; details?: unknown }> {
  return p.then(
    () => ({ code: "ok", message: "" }),
    (err: { code?: string; message?: string; details?: unknown }) => ({ code: err.code ?? String(err), message: err.message ?? "", details: err.details }),
  );
}

/** Waits until the document's processing (the document-processing subscription) has finished. */
async function processed(id: string, who: Profile): Promise<void> {
  await vi.waitFor(async () => expect((await intelligence.getDocument({ id }, as(who))).status, "the document processed").not.toBe("pending"), {
    timeout: 15_000,
    interval: 50,
  });
}

let owner: Profile;

beforeAll(async () => {
  admin = (await auth.register({ email: "offline-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
  owner = await user("manager");
  const c = await campaigns.createCampaign(campaignRequest({ name: "Rivera offline", budget: 2500 }), as(owner));
  campaignId = c.id;
  const at = new Date(Date.now() - 30 * 60_000);
  await monitoring.ingestMentions(
    {
      campaignId,
      mentions: [
        { id: "o1", text: "Rivera is doing great", author: "fan", platform: "twitter", url: "", sentiment: 0.5, reach: 100, engagement: 1, timestamp: at },
        {
          id: "o2",
          text: "Rivera is a disgrace",
          author: "critic",
          platform: "news",
          url: "https://news.example/a",
          sentiment: -0.7,
          reach: 9000,
          engagement: 5,
          timestamp: at,
        },
      ],
    },
    as(owner),
  );
});

describe("the offline assistant", () => {
  test("answers from the real figures, marked offline; the user's only campaign is the default", async () => {
    const res = await intelligence.sendChatMessage({ message: "How is sentiment over the last 3 hours, and who is attacking us?" }, as(owner));
    expect(res.mode).toBe("offline");
    expect(res.toolsUsed).toEqual(["get_sentiment", "get_hostile_voices"]);
    const lines = res.response.split("\n");
    expect(lines[0]).toBe("[Offline mode: no AI model is configured. This answer is assembled from the platform's own figures, without the AI model.]");
    expect(res.response).toContain("Sentiment over the last 3 h: average -0.1 across 2 mentions (1 positive, 0 neutral, 1 negative");
    expect(res.response).toContain('- critic (news): 1 negative mention(s), audience 9000, average sentiment -0.7; worst: "Rivera is a disgrace"');
    expect(res.figures).toContainEqual({ label: "mentions (last 3 h)", value: 2, source: "monitoring" });
    expect(res.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
    const { messages } = await intelligence.getChatHistory({ sessionId: res.sessionId }, as(owner));
    expect(messages.map((m) => [m.role, m.mode])).toEqual([
      ["user", undefined],
      ["assistant", "offline"],
    ]);
  });

  test("metrics come from campaigns, crises and alerts from monitoring and alerting, documents from the knowledge base", async () => {
    const analyst = await user("analyst");
    await campaigns.addCampaignMember({ id: campaignId, userId: analyst.id }, as(owner));
    const up = await intelligence.uploadDocument({ filename: "plan.md", content: "The harbour dredging plan costs $3 million.", campaignId }, as(analyst));
    await processed(up.id, analyst);
    const metrics = await intelligence.sendChatMessage({ message: "What's our budget and ROI?", campaignId }, as(analyst));
    expect(metrics.response).toContain("budget 2500");
    const crises = await intelligence.sendChatMessage({ message: "any crises?", sessionId: metrics.sessionId }, as(analyst));
    expect(crises.response).toContain("0 open crisis(es); 0 unacknowledged alert(s).");
    const docs = await intelligence.sendChatMessage({ message: 'search the documents for "harbour dredging"', sessionId: metrics.sessionId }, as(analyst));
    expect(docs.toolsUsed).toEqual(["search_knowledge_base"]);
    expect(docs.response).toContain("plan.md (document plan.md, passage 1)");
    expect(docs.response).toContain("harbour dredging plan costs $3 million");
    // Offline, a summary is extractive.
    const { results } = await intelligence.analyzeDocument({ documentId: up.id, analysisType: "summary" }, as(analyst));
    expect(results).toMatchObject({ engine: "heuristic", summary: { summary: "The harbour dredging plan costs $3 million." } });
  });

  test("without a campaign and several to choose from, it lists them", async () => {
    const second = await campaigns.createCampaign(campaignRequest({ name: "Second race" }), as(admin));
    const both = await user("viewer");
    await campaigns.addCampaignMember({ id: campaignId, userId: both.id }, as(owner));
    await campaigns.addCampaignMember({ id: second.id, userId: both.id }, as(admin));
    const res = await intelligence.sendChatMessage({ message: "How is sentiment?" }, as(both));
    expect(res.toolsUsed).toEqual(["list_campaigns", "get_sentiment"]);
    expect(res.response).toMatch(/You can see 2 campaign\(s\): /);
    expect(res.response).toContain("no campaign given");
  });
});

test("rate limit per user: 429 with a retry hint, other users unaffected", async () => {
  const eager = await user("viewer");
  for (let i = 0; i < 3; i++) await intelligence.sendChatMessage({ message: `question ${i}` }, as(eager));
  const refused = await failure(intelligence.sendChatMessage({ message: "one more" }, as(eager)));
  expect(refused.code).toBe("resource_exhausted");
  expect(refused.message).toMatch(/try again in \d+ seconds/);
  expect(refused.details).toMatchObject({ retryAfterSeconds: expect.any(Number) });
  expect((await failure(intelligence.sendChatMessage({ message: "hello" }, as(await user("viewer"))))).code).toBe("ok");
});

test.skipIf(!REDIS_URL)("the rate limit is one budget across processes: requests counted by another process count here", async () => {
  // Another app process: its own connection to the same Redis and namespace (the database's name).
  const { createCache } = await import("../shared/cache");
  const { LocalRateLimiter, SharedRateLimiter } = await import("./flows/ratelimit");
  const cache = createCache({ redisUrl: REDIS_URL, namespace: `warroom:${await intelStore.databaseName()}:intelligence` });
  try {
    const budget = { burst: 3, perMinute: 1 };
    const elsewhere = new SharedRateLimiter(cache, { failures: 0 }, budget, new LocalRateLimiter(budget));
    const busy = await user("analyst");
    await intelligence.sendChatMessage({ message: "first question here" }, as(busy));
    expect(await elsewhere.take(`chat:${busy.id}`)).toBe(0);
    expect(await elsewhere.take(`chat:${busy.id}`)).toBe(0);
    // Three in all (one here, two there): the fourth is refused by this process...
    const refused = await failure(intelligence.sendChatMessage({ message: "second question here" }, as(busy)));
    expect(refused.code).toBe("resource_exhausted");
    expect(refused.details).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    // ...and by the other one; analyses keep a budget of their own.
    expect(await elsewhere.take(`chat:${busy.id}`)).toBeGreaterThan(0);
    expect(await elsewhere.take(`analysis:${busy.id}`)).toBe(0);
  } finally {
    await cache.close();
  }
});

describe("compliance contract", () => {
  test("retention purge of chat messages and documents: older rows go, newer stay, twice is a no-op", async () => {
    const u = await user("analyst");
    const chat = await intelligence.sendChatMessage({ message: "sentiment please" }, as(u));
    const doc = await intelligence.uploadDocument({ filename: "old.txt", content: "An old memo about the county fair." }, as(u));
    await processed(doc.id, u);
    const cutoff = new Date(Date.now() + 1000);

    expect(await intelligence.purgeRetention({ dataClass: "chat_messages", before: new Date(Date.now() - 3_600_000) })).toEqual({
      dataClass: "chat_messages",
      deleted: 0,
    });
    const purged = await intelligence.purgeRetention({ dataClass: "chat_messages", before: cutoff });
    expect(purged.dataClass).toBe("chat_messages");
    expect(purged.deleted).toBeGreaterThanOrEqual(2);
    expect((await failure(intelligence.getChatHistory({ sessionId: chat.sessionId }, as(u)))).code).toBe("not_found");
    expect(await intelligence.purgeRetention({ dataClass: "chat_messages", before: cutoff })).toEqual({ dataClass: "chat_messages", deleted: 0 });

    const docs = await intelligence.purgeRetention({ dataClass: "documents", before: cutoff });
    expect(docs.deleted).toBeGreaterThanOrEqual(1);
    expect((await failure(intelligence.getDocument({ id: doc.id }, as(u)))).code).toBe("not_found");
    expect(await intelStore.listPassages(doc.id)).toEqual([]);
    expect(await intelligence.purgeRetention({ dataClass: "documents", before: cutoff })).toEqual({ dataClass: "documents", deleted: 0 });

    expect((await failure(intelligence.purgeRetention({ dataClass: "mentions", before: cutoff }))).code).toBe("invalid_argument");
  });

  test("erasure removes a person's chats, uploads and token records; twice reports zeros", async () => {
    const u = await user("analyst");
    const other = await user("analyst");
    await intelligence.sendChatMessage({ message: "sentiment" }, as(u));
    const keep = await intelligence.sendChatMessage({ message: "sentiment" }, as(other));
    const doc = await intelligence.uploadDocument({ filename: "mine.md", content: "# Mine\n\nPrivate notes on the ferry.", campaignId: undefined }, as(u));
    await processed(doc.id, u);
    await intelStore.recordUsage({ userId: u.id, sessionId: null, purpose: "chat", model: "m", promptTokens: 10, completionTokens: 5, totalTokens: 15 });

    const result = await intelligence.eraseUser({ requestId: "req-1", userId: u.id });
    expect(result).toEqual({
      service: "intelligence",
      erased: { chat_messages: 2, sessions: 1, documents: 1, passages: 1, token_usage: 1, reports_anonymised: 0 },
    });
    expect((await failure(intelligence.getDocument({ id: doc.id }, as(u)))).code).toBe("not_found");
    expect(await intelStore.tokensUsed(u.id, new Date(0))).toBe(0);
    expect((await intelligence.getChatHistory({ sessionId: keep.sessionId }, as(other))).messages).toHaveLength(2);
    expect(await intelligence.eraseUser({ requestId: "req-1", userId: u.id })).toEqual({
      service: "intelligence",
      erased: { chat_messages: 0, sessions: 0, documents: 0, passages: 0, token_usage: 0, reports_anonymised: 0 },
    });
  });
});
