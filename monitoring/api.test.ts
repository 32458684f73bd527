// monitoring's endpoints through the generated clients (auth data and schemas enforced), against this
// file's own databases, with the data-stream subscriptions running in this process: configuration,
// ingest (validation, de-duplication, one stream message per batch, concurrency), the reads
// (pagination, sentiment, trending, trends), permissions (roles, members, non-members), and the
// detector wired to the stream: a scandal burst becomes one CRISIS and one pending crisis record.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { auth, campaigns, monitoring, users } from "~encore/clients";
import type { Role } from "../shared/permissions";
import "../compliance/subscriptions";
import { auditEventsFor } from "../compliance/store";
import type { AlertEventData, MentionBatchData, SentimentSnapshotData, StreamingData } from "./events";
import { liveBus } from "./live/stream";
import { SNAPSHOT_INTERVAL_MS } from "./flows/detection";
import { detectCrises } from "./subscriptions";
import { as, code, type Profile } from "../tests/inproc";

const PASSWORD = "password-for-tests";
type Mention = Parameters<typeof monitoring.ingestMentions>[0]["mentions"][number];

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  return p.then(
    () => ({ code: "ok", message: "" }),
    (err: { code?: string; message?: string }) => ({ code: err.code ?? String(err), message: err.message ?? "" }),
  );
}

let n = 0;
let admin: Profile;
let manager: Profile; // runs the campaign
let analyst: Profile; // member
let viewer: Profile; // member
let outsider: Profile; // a manager, not a member
let campaignId: string;

async function user(role: Role): Promise<Profile> {
  const { user } = await users.createUser({ email: `mon-${++n}@example.org`, password: PASSWORD, name: `User ${n}`, role }, as(admin));
  return user;
}

async function newCampaign(owner: Profile): Promise<string> {
  const c = await campaigns.createCampaign(
    {
      name: `Campaign ${++n}`,
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
    as(owner),
  );
  return c.id;
}

function mention(over: Partial<Mention> = {}): Mention {
  const i = ++n;
  return {
    id: `src-${i}`,
    text: `Rivera visits Columbus ${i}`,
    author: "Maria",
    platform: "twitter",
    url: "",
    sentiment: 0.2,
    reach: 800,
    engagement: 12,
    timestamp: new Date(Date.now() - 60_000),
    ...over,
  };
}

/** Collects the live bus's events of a campaign (the relay subscription feeds it in this process). */
async function watch(id: string): Promise<{ events: StreamingData[]; stop: () => void }> {
  const events: StreamingData[] = [];
  const stop = await (await liveBus()).subscribe(id, (e) => events.push(e));
  return { events, stop };
}

const mentionBatches = (events: StreamingData[]) => events.filter((e) => e.type === "MENTION" && (e.data as MentionBatchData).kind === "mentions");

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
  [manager, analyst, viewer, outsider] = await Promise.all([user("manager"), user("analyst"), user("viewer"), user("manager")]);
  campaignId = await newCampaign(manager);
  for (const member of [analyst, viewer]) await campaigns.addCampaignMember({ id: campaignId, userId: member.id }, as(manager));
});

describe("monitoring configuration", () => {
  const config = (over: Record<string, unknown> = {}) => ({
    campaignId,
    keywords: [" Rivera ", "rivera", "Senate race"],
    competitors: ["Jordan Blake"],
    influencers: ["@OhioPolitics"],
    platforms: ["Twitter", "news"],
    alertThresholds: { sentimentDrop: -0.3, mentionSpike: 5, crisisScore: 0.8, engagementDrop: -0.5 },
    refreshInterval: 300,
    ...over,
  });

  test("creates a campaign's config, and a new one replaces it under the same id (audited)", async () => {
    const { configId } = await monitoring.createMonitoringConfig(config(), as(manager));
    expect(await monitoring.getMonitoringConfig({ campaignId }, as(viewer))).toMatchObject({
      configId,
      keywords: ["Rivera", "Senate race"],
      platforms: ["twitter", "news"],
      alertThresholds: { mentionSpike: 5 },
      refreshInterval: 300,
      createdBy: manager.id,
    });
    const again = await monitoring.createMonitoringConfig(
      config({ refreshInterval: 60, alertThresholds: { sentimentDrop: -0.4, mentionSpike: 8, crisisScore: 0.7, engagementDrop: -0.5 } }),
      as(admin),
    );
    expect(again.configId).toBe(configId);
    expect(await monitoring.getMonitoringConfig({ campaignId }, as(viewer))).toMatchObject({ refreshInterval: 60, alertThresholds: { mentionSpike: 8 } });
    expect((await monitoring.listMonitoringConfigs()).configs.map((c) => c.configId)).toContain(configId);
    await expect
      .poll(async () => (await auditEventsFor("monitoring_config", configId)).map((e) => e.action))
      .toEqual(["monitoring.config_created", "monitoring.config_updated"]);
  });

  test.each<[string, Record<string, unknown>]>([
    ["a spike multiple of 1 (the detector needs more)", { alertThresholds: { sentimentDrop: -0.3, mentionSpike: 1, crisisScore: 0.8, engagementDrop: -0.5 } }],
    ["a crisis score of 0", { alertThresholds: { sentimentDrop: -0.3, mentionSpike: 5, crisisScore: 0, engagementDrop: -0.5 } }],
    ["a refresh interval under 10 s", { refreshInterval: 5 }],
    ["a blank keyword", { keywords: ["ok", "   "] }],
    ["missing thresholds", { alertThresholds: undefined }],
  ])("refuses %s with invalid_argument", async (_, over) => {
    expect(await code(monitoring.createMonitoringConfig(config(over) as never, as(manager)))).toBe("invalid_argument");
  });

  test("is for managers and admins of the campaign; others are refused without learning anything", async () => {
    expect(await code(monitoring.createMonitoringConfig(config(), as(analyst)))).toBe("permission_denied");
    expect(await code(monitoring.createMonitoringConfig(config(), as(viewer)))).toBe("permission_denied");
    expect(await code(monitoring.createMonitoringConfig(config(), as(outsider)))).toBe("not_found");
    expect(await code(monitoring.createMonitoringConfig(config({ campaignId: "00000000-0000-4000-8000-000000000000" }), as(admin)))).toBe("not_found");
    expect(await code(monitoring.getMonitoringConfig({ campaignId }, as(outsider)))).toBe("not_found");
  });
});

describe("ingest", () => {
  test("stores new mentions once: re-ingesting the same batch is a no-op, and publishes one stream message per accepted batch", async () => {
    const id = await newCampaign(manager);
    const live = await watch(id);
    try {
      const batch = Array.from({ length: 50 }, (_, i) => mention({ id: `dup-${i}`, timestamp: new Date(Date.now() - i * 1000) }));
      expect(await monitoring.ingestMentions({ campaignId: id, mentions: batch }, as(manager))).toEqual({ accepted: 50, duplicates: 0 });
      expect(await monitoring.ingestMentions({ campaignId: id, mentions: batch }, as(manager))).toEqual({ accepted: 0, duplicates: 50 });
      // The same source id on another platform is another mention; a platform's case does not matter.
      const mixed = [
        mention({ id: "dup-1", platform: "facebook" }),
        mention({ id: "dup-2", platform: "TWITTER" }),
        mention({ id: "fresh" }),
        mention({ id: "fresh" }),
      ];
      expect(await monitoring.ingestMentions({ campaignId: id, mentions: mixed }, as(admin))).toEqual({ accepted: 2, duplicates: 2 });
      expect((await monitoring.getMentionsMetrics({ campaignId: id, limit: 100 }, as(manager))).total).toBe(52);

      await expect.poll(() => mentionBatches(live.events).length).toBe(2);
      const [first, second] = mentionBatches(live.events);
      expect(first).toMatchObject({ campaignId: id, type: "MENTION", priority: "low" });
      expect((first.data as MentionBatchData).mentions).toHaveLength(50);
      expect(first.timestamp).toBeInstanceOf(Date);
      expect((second.data as MentionBatchData).mentions.map((m) => `${m.platform}/${m.id}`).sort()).toEqual(["facebook/dup-1", "twitter/fresh"]);
    } finally {
      live.stop();
    }
  });

  test("the same batch ingested twice at once is stored once", async () => {
    const id = await newCampaign(manager);
    const batch = Array.from({ length: 300 }, (_, i) => mention({ id: `race-${i}` }));
    // Overlapping batches in different orders, concurrently: no deadlock, no duplicate row.
    const reversed = [...batch].reverse();
    const results = await Promise.all([
      monitoring.ingestMentions({ campaignId: id, mentions: batch }, as(manager)),
      monitoring.ingestMentions({ campaignId: id, mentions: reversed }, as(manager)),
      monitoring.ingestBatch({ campaignId: id, mentions: batch }),
    ]);
    expect(results.reduce((s, r) => s + r.accepted, 0)).toBe(300);
    expect(results.reduce((s, r) => s + r.duplicates, 0)).toBe(600);
    expect((await monitoring.getMentionsMetrics({ campaignId: id, limit: 1 }, as(manager))).total).toBe(300);
  });

  test("scores sentiment the source did not give with the local lexicon, and keeps the source's", async () => {
    const id = await newCampaign(manager);
    await monitoring.ingestMentions(
      {
        campaignId: id,
        mentions: [mention({ id: "given", sentiment: -0.25 }), mention({ id: "scored", sentiment: undefined, text: "Rivera is a corrupt liar, a disgrace" })],
      },
      as(manager),
    );
    const { mentions } = await monitoring.getMentionsMetrics({ campaignId: id }, as(manager));
    const byId = Object.fromEntries(mentions.map((m) => [m.id, m]));
    expect(byId.given).toMatchObject({ sentiment: -0.25, sentimentSource: "source" });
    expect(byId.scored.sentimentSource).toBe("lexicon");
    expect(byId.scored.sentiment).toBeLessThan(-0.5);
  });

  test('under sentimentPolicy "combine" our reading decides the class, and the language is detected', async () => {
    const id = await newCampaign(manager);
    await monitoring.ingestMentions(
      {
        campaignId: id,
        sentimentPolicy: "combine",
        mentions: [
          mention({ id: "announce", text: "Rivera and Whitfield will debate infrastructure next week", sentiment: -0.47 }),
          mention({ id: "es", text: "Rivera no tiene un plan real para la economía. Decepcionante", sentiment: 0.4 }),
        ],
      },
      as(manager),
    );
    const byId = Object.fromEntries((await monitoring.getMentionsMetrics({ campaignId: id }, as(manager))).mentions.map((m) => [m.id, m]));
    expect(byId.announce).toMatchObject({ sentiment: 0, sentimentSource: "lexicon", language: "en" });
    expect(byId.es).toMatchObject({ sentimentSource: "lexicon", language: "es" });
    expect(byId.es.sentiment).toBeLessThan(-0.05);
  });

  test.each<[string, () => Mention[], string]>([
    ["an empty batch", () => [], "mentions"],
    ["more than 1000 mentions", () => Array.from({ length: 1001 }, () => mention()), "mentions"],
    ["sentiment outside [-1, 1]", () => [mention({ sentiment: 1.5 })], "sentiment"],
    ["negative reach", () => [mention({ reach: -5 })], "reach"],
    ["an empty text", () => [mention({ text: "" })], "text"],
    ["a blank text", () => [mention(), mention({ text: "   " })], "mentions[1].text must not be empty"],
    ["a time in the future", () => [mention({ timestamp: new Date(Date.now() + 3_600_000) })], "mentions[0].timestamp is in the future"],
    ["a url that is not http(s)", () => [mention({ url: "ftp://files.example/x" })], "mentions[0].url must be an http(s) URL or empty"],
  ])("refuses %s with invalid_argument, storing nothing", async (_, batch, mentioned) => {
    const id = await newCampaign(manager);
    const r = await failure(monitoring.ingestMentions({ campaignId: id, mentions: batch() }, as(manager)));
    expect(r.code).toBe("invalid_argument");
    expect(r.message).toContain(mentioned);
    expect((await monitoring.getMentionsMetrics({ campaignId: id }, as(manager))).total).toBe(0);
  });

  test("is for managers and admins of the campaign", async () => {
    const batch = [mention()];
    expect(await code(monitoring.ingestMentions({ campaignId, mentions: batch }, as(viewer)))).toBe("permission_denied");
    expect(await code(monitoring.ingestMentions({ campaignId, mentions: batch }, as(analyst)))).toBe("permission_denied");
    expect(await code(monitoring.ingestMentions({ campaignId, mentions: batch }, as(outsider)))).toBe("not_found");
    expect(await code(monitoring.ingestMentions({ campaignId: "not-a-uuid", mentions: batch }, as(admin)))).toBe("not_found");
    expect(await code(monitoring.ingestBatch({ campaignId: "00000000-0000-4000-8000-000000000000", mentions: batch }))).toBe("not_found");
  });
});

describe("reads", () => {
  let readId: string;
  const base = Date.now();
  beforeAll(async () => {
    readId = await newCampaign(manager);
    await campaigns.addCampaignMember({ id: readId, userId: viewer.id }, as(manager));
    // 25 mentions a minute apart (the newest 1 min old), two platforms, and one 30 h old.
    const batch = Array.from({ length: 25 }, (_, i) =>
      mention({
        id: `r-${i}`,
        platform: i % 5 === 0 ? "news" : "twitter",
        sentiment: i % 5 === 0 ? -0.6 : 0.4,
        text: i % 2 === 0 ? `Rivera budget speech ${i}` : `Town hall ${i}`,
        reach: 100,
        timestamp: new Date(base - (i + 1) * 60_000),
      }),
    );
    batch.push(mention({ id: "old", text: "Rivera budget from yesterday", timestamp: new Date(base - 30 * 3_600_000) }));
    await monitoring.ingestMentions({ campaignId: readId, mentions: batch }, as(manager));
  });

  test("mentions come a page at a time, newest first, with a cursor, until the last page", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await monitoring.getMentionsMetrics({ campaignId: readId, limit: 10, cursor }, as(viewer));
      expect(page.total).toBe(25);
      sizes.push(page.mentions.length);
      seen.push(...page.mentions.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `r-${i}`));
  });

  test("mentions filter by keyword (case-insensitive, literally) and by hours", async () => {
    const budget = await monitoring.getMentionsMetrics({ campaignId: readId, keyword: "BUDGET" }, as(viewer));
    expect(budget.total).toBe(13);
    expect(budget.mentions.every((m) => m.text.includes("budget"))).toBe(true);
    expect((await monitoring.getMentionsMetrics({ campaignId: readId, keyword: "budget", hours: 48 }, as(viewer))).total).toBe(14);
    expect((await monitoring.getMentionsMetrics({ campaignId: readId, keyword: "%" }, as(viewer))).total).toBe(0);
    expect((await monitoring.getMentionsMetrics({ campaignId: readId, hours: 1 }, as(viewer))).total).toBe(25);
  });

  test("mentions filter by platform, sentiment (class or range), author, language and time, all combinable", async () => {
    const id = await newCampaign(manager);
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await monitoring.ingestMentions(
      {
        campaignId: id,
        mentions: [
          mention({ id: "f1", platform: "news", sentiment: -0.6, author: "OhioPolitics", language: "en", timestamp: at(5) }),
          mention({ id: "f2", platform: "news", sentiment: 0.5, author: "OhioPolitics", language: "en", timestamp: at(10) }),
          mention({ id: "f3", platform: "twitter", sentiment: -0.3, author: "maria", language: "es-MX", timestamp: at(15) }),
          mention({ id: "f4", platform: "twitter", sentiment: 0.02, author: "Maria", language: "es", timestamp: at(20) }),
          mention({ id: "f5", platform: "news", sentiment: -0.9, author: "Daily Blade", language: "en", timestamp: at(600) }),
          mention({ id: "f6", platform: "facebook", sentiment: 0.05, author: "Pat", language: "en", timestamp: at(25) }),
        ],
      },
      as(manager),
    );
    const ids = async (over: Record<string, unknown>) =>
      (await monitoring.getMentionsMetrics({ campaignId: id, ...over } as never, as(manager))).mentions.map((m) => m.id).sort();
    expect(await ids({ platform: "news", sentiment: "negative" })).toEqual(["f1", "f5"]);
    expect(await ids({ platform: "news,twitter", sentiment: "negative", hours: 1 })).toEqual(["f1", "f3"]);
    expect(await ids({ sentiment: "neutral" })).toEqual(["f4", "f6"]);
    expect(await ids({ sentiment: "positive,neutral" })).toEqual(["f2", "f4", "f6"]);
    expect(await ids({ minSentiment: -0.5, maxSentiment: 0.02 })).toEqual(["f3", "f4"]);
    expect(await ids({ sentiment: "negative", minSentiment: -0.7 })).toEqual(["f1", "f3"]);
    expect(await ids({ author: "MARIA" })).toEqual(["f3", "f4"]);
    expect(await ids({ language: "es" })).toEqual(["f3", "f4"]);
    expect(await ids({ language: "es", sentiment: "negative" })).toEqual(["f3"]);
    expect(await ids({ start: at(12), end: at(4) })).toEqual(["f1", "f2"]);
    expect(await ids({ start: at(700), platform: "news", author: "daily blade" })).toEqual(["f5"]);
    const page = await monitoring.getMentionsMetrics({ campaignId: id, platform: "news", hours: 24, limit: 1 }, as(manager));
    expect(page).toMatchObject({ total: 3, mentions: [{ id: "f1" }] });
    expect(
      (await monitoring.getMentionsMetrics({ campaignId: id, platform: "news", hours: 24, limit: 1, cursor: page.nextCursor }, as(manager))).mentions.map(
        (m) => m.id,
      ),
    ).toEqual(["f2"]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ["an unknown sentiment class", { sentiment: "angry" }, 'sentiment: "angry" is not one of'],
    ["a platform no source sends and the campaign has no mention from", { platform: "newz" }, 'platform: "newz"'],
    ["a malformed platform", { platform: "news;--" }, "is not a platform name"],
    ["an unknown language", { language: "english" }, "not an ISO 639-1"],
    ["a reversed sentiment range", { minSentiment: 0.5, maxSentiment: -0.5 }, "minSentiment must not be above maxSentiment"],
    ["a sentiment below -1", { minSentiment: -1.5 }, "between -1 and 1"],
    ["hours with start/end", { hours: 2, start: new Date(base - 3_600_000) }, "either hours or start/end"],
    ["a reversed time range", { start: new Date(base), end: new Date(base - 3_600_000) }, "start must be before end"],
  ])("the mentions list refuses %s, naming it", async (_, over, message) => {
    const r = await failure(monitoring.getMentionsMetrics({ campaignId: readId, ...over } as never, as(viewer)));
    expect(r.code).toBe("invalid_argument");
    expect(r.message).toContain(message);
  });

  test.each<[string, Record<string, unknown>]>([
    ["limit 0", { limit: 0 }],
    ["limit 101", { limit: 101 }],
    ["hours 0", { hours: 0 }],
    ["hours over 720", { hours: 721 }],
    ["a cursor it did not make", { cursor: "bm90LWEtY3Vyc29y" }],
  ])("the mentions list refuses %s", async (_, over) => {
    expect(await code(monitoring.getMentionsMetrics({ campaignId: readId, ...over } as never, as(viewer)))).toBe("invalid_argument");
  });

  test("sentiment: mean, reach-weighted mean, split, per platform and a timeline", async () => {
    const { sentiment } = await monitoring.getCurrentSentiment({ campaignId: readId }, as(viewer));
    expect(sentiment).toMatchObject({ mentions: 25, positive: 20, negative: 5, neutral: 0, bucketMinutes: 15 });
    expect(sentiment.average).toBeCloseTo((20 * 0.4 - 5 * 0.6) / 25, 3);
    expect(sentiment.byPlatform).toEqual([
      { platform: "twitter", mentions: 20, average: 0.4 },
      { platform: "news", mentions: 5, average: -0.6 },
    ]);
    expect(sentiment.timeline.reduce((s, p) => s + p.mentions, 0)).toBe(25);
    const narrow = await monitoring.getCurrentSentiment({ campaignId: readId, start: new Date(base - 10.5 * 60_000), end: new Date(base) }, as(viewer));
    expect(narrow.sentiment.mentions).toBe(10);
    expect(await code(monitoring.getCurrentSentiment({ campaignId: readId, start: new Date(base), end: new Date(base - 1000) }, as(viewer)))).toBe(
      "invalid_argument",
    );
    expect(await code(monitoring.getCurrentSentiment({ campaignId: readId, start: new Date(base - 40 * 86_400_000) }, as(viewer)))).toBe("invalid_argument");
  });

  test("without campaignId (the seed's calls), the reads cover every campaign the caller sees, split per campaign", async () => {
    const { campaignIds } = await campaigns.getUserCampaigns({ userID: viewer.id });
    const { sentiment } = await monitoring.getCurrentSentiment({}, as(viewer));
    expect(sentiment.campaignId).toBeUndefined();
    expect(sentiment.byCampaign.find((c) => c.campaignId === readId)).toMatchObject({ mentions: 25, positive: 20, negative: 5, neutral: 0 });
    expect(sentiment.byCampaign.every((c) => campaignIds.includes(c.campaignId))).toBe(true);
    expect(sentiment.mentions).toBe(sentiment.byCampaign.reduce((n, c) => n + c.mentions, 0));
    const narrowed = await monitoring.getCurrentSentiment({ campaignId: readId }, as(viewer));
    expect(narrowed.sentiment).toMatchObject({ campaignId: readId, mentions: 25, byCampaign: [{ campaignId: readId, mentions: 25 }] });
    const mentions = await monitoring.getMentionsMetrics({ keyword: "budget", hours: 48 }, as(viewer));
    expect(mentions.mentions.every((m) => campaignIds.includes(m.campaignId))).toBe(true);
    expect(mentions.mentions.filter((m) => m.campaignId === readId)).toHaveLength(14);
    const { trends } = await monitoring.getTrends({}, as(viewer));
    expect(trends.find((t) => t.platform === "news")?.mentions).toBeGreaterThanOrEqual(5);
    expect(Array.isArray((await monitoring.getTrendingTopics({}, as(viewer))).trending)).toBe(true);
    // A caller on no campaign sees nothing; an admin sees every campaign.
    const loner = await user("viewer");
    expect((await monitoring.getCurrentSentiment({}, as(loner))).sentiment).toMatchObject({ mentions: 0, byCampaign: [] });
    expect((await monitoring.getMentionsMetrics({}, as(loner))).total).toBe(0);
    expect((await monitoring.getTrends({}, as(loner))).trends).toEqual([]);
    expect((await monitoring.getCurrentSentiment({}, as(admin))).sentiment.byCampaign.map((c) => c.campaignId)).toContain(readId);
    expect(await code(monitoring.getCurrentSentiment({}, {}))).toBe("unauthenticated");
  });

  test("trends compare each platform with the period before", async () => {
    const { trends, bucketMinutes } = await monitoring.getTrends({ campaignId: readId, hours: 24 }, as(viewer));
    expect(bucketMinutes).toBe(30);
    expect(trends.map((t) => [t.platform, t.mentions, t.previousMentions])).toEqual([
      ["twitter", 20, 1],
      ["news", 5, 0],
    ]);
    expect(trends[0].change).toBe(19);
    expect(trends[1].change).toBeNull();
    expect(trends[0].series.reduce((s, p) => s + p.mentions, 0)).toBe(20);
  });

  test("trending ranks what rose against its own baseline", async () => {
    const id = await newCampaign(manager);
    const now = Date.now();
    const usual = Array.from({ length: 48 }, (_, i) =>
      mention({ id: `u-${i}`, text: "Rivera town hall on jobs", timestamp: new Date(now - (2 + i / 2) * 3_600_000) }),
    );
    const recent = Array.from({ length: 12 }, (_, i) =>
      mention({
        id: `s-${i}`,
        text: i < 2 ? "Rivera town hall on jobs" : "Rivera leaked emails",
        sentiment: -0.7,
        timestamp: new Date(now - (i + 1) * 60_000),
      }),
    );
    await monitoring.ingestMentions({ campaignId: id, mentions: [...usual, ...recent] }, as(manager));
    const { trending } = await monitoring.getTrendingTopics({ campaignId: id, limit: 3 }, as(manager));
    expect(trending[0]).toMatchObject({ term: "leaked emails", mentions: 10 });
    expect(trending.map((t) => t.term)).not.toContain("jobs");
    expect(await code(monitoring.getTrendingTopics({ campaignId: id, limit: 51 }, as(manager)))).toBe("invalid_argument");
  });

  test("stream info says where to connect and how often it beats", async () => {
    expect(await monitoring.streamCampaignData({ campaignId: readId }, as(viewer))).toEqual({
      streamEndpoint: `/ws/campaigns/${readId}/stream`,
      heartbeatInterval: 30_000,
      replayWindowMinutes: 60,
      replayMaxMentions: 2000,
    });
  });

  test("every read is for the campaign's members (and admins); others get 404, anonymous callers 401", async () => {
    const reads = [
      (o: object) => monitoring.getMentionsMetrics({ campaignId: readId }, o),
      (o: object) => monitoring.getCurrentSentiment({ campaignId: readId }, o),
      (o: object) => monitoring.getTrendingTopics({ campaignId: readId }, o),
      (o: object) => monitoring.getTrends({ campaignId: readId }, o),
      (o: object) => monitoring.streamCampaignData({ campaignId: readId }, o),
      (o: object) => monitoring.getCrises({ campaignId: readId }, o),
    ];
    for (const read of reads) {
      expect(await code(read(as(viewer)))).toBe("ok");
      expect(await code(read(as(admin)))).toBe("ok");
      expect(await code(read(as(analyst)))).toBe("not_found"); // not on this campaign's team
      expect(await code(read(as(outsider)))).toBe("not_found");
      expect(await code(read({}))).toBe("unauthenticated");
    }
  });
});

describe("crisis detection on the stream", () => {
  test("a scandal burst on a new campaign becomes one CRISIS on the stream and one pending crisis record; a redelivered batch changes nothing", async () => {
    const id = await newCampaign(manager);
    const live = await watch(id);
    try {
      const now = Date.now();
      const burst = Array.from({ length: 400 }, (_, i) =>
        mention({
          id: `scandal-${i}`,
          text: `Leaked emails: Rivera took bribes ${i % 7}`,
          platform: ["twitter", "facebook", "news"][i % 3],
          sentiment: Math.max(-1, -0.8 + ((i % 9) - 4) * 0.05),
          reach: 1000 + (i % 13) * 500,
          timestamp: new Date(now - 120_000 + i * 300),
        }),
      );
      expect(await monitoring.ingestMentions({ campaignId: id, mentions: burst }, as(manager))).toEqual({ accepted: 400, duplicates: 0 });

      await expect.poll(() => live.events.filter((e) => e.type === "CRISIS").length, { timeout: 10_000 }).toBe(1);
      const crisis = live.events.find((e) => e.type === "CRISIS")!;
      expect(crisis).toMatchObject({ campaignId: id, data: { kind: "alert", event: "opened", alertType: "CRISIS", status: "open" } });
      expect(["high", "critical"]).toContain(crisis.priority);

      const { crises } = await monitoring.getCrises({ campaignId: id }, as(manager));
      expect(crises).toHaveLength(1);
      const record = crises[0];
      expect(record).toMatchObject({ id: (crisis.data as AlertEventData).crisisId, type: "CRISIS", status: "open", alertStatus: "pending", alertVersion: 1 });
      expect(record.explanation.triggers.map((t) => t.kind)).toEqual(expect.arrayContaining(["MENTION_SPIKE", "SENTIMENT_DROP"]));
      expect(record.explanation.affectedPlatforms.sort()).toEqual(["facebook", "news", "twitter"]);
      expect(record.explanation.estimatedReach).toBeGreaterThan(0);
      expect(record.explanation.sentimentImpact).toBeLessThan(0);
      expect(record.explanation.topMentions.length).toBeGreaterThan(0);
      expect(record.explanation.topMentions[0].timestamp).toBeInstanceOf(Date);
      expect((await monitoring.listPendingCrises({})).crises.map((c) => c.id)).toContain(record.id);

      // At-least-once delivery: the same batch again does not feed the detector twice.
      const batch = mentionBatches(live.events)[0];
      await detectCrises(batch);
      expect((await monitoring.getCrises({ campaignId: id }, as(manager))).crises).toHaveLength(1);
      expect(live.events.filter((e) => e.type === "CRISIS")).toHaveLength(1);

      // Alerting takes it: marked once; a second mark (or a stale version) changes nothing.
      expect(await monitoring.markCrisisAlerted({ crisisId: record.id, alertVersion: 1, alertId: "alert-1" })).toEqual({ marked: true, pending: false });
      expect(await monitoring.markCrisisAlerted({ crisisId: record.id, alertVersion: 1 })).toEqual({ marked: false, pending: false });
      expect((await monitoring.listPendingCrises({})).crises.map((c) => c.id)).not.toContain(record.id);
      expect((await monitoring.getCrises({ campaignId: id }, as(manager))).crises[0]).toMatchObject({
        alertStatus: "alerted",
        alertedVersion: 1,
        alertId: "alert-1",
      });
      expect(await code(monitoring.markCrisisAlerted({ crisisId: "no-such-crisis", alertVersion: 1 }))).toBe("not_found");

      // The campaign's summary (campaigns' insights) counts it.
      const summary = await monitoring.getCampaignSummary({ campaignId: id });
      expect(summary).toMatchObject({ mentions: 400, openCrises: 1, latestCrisis: { id: record.id, type: "CRISIS" } });
      expect(summary.negative).toBe(400);
    } finally {
      live.stop();
    }
  });

  test("the SENTIMENT snapshot is the last 15 minutes' figure with its count, not the latest batch", async () => {
    const id = await newCampaign(manager);
    const live = await watch(id);
    try {
      const now = Date.now();
      const earlier = Array.from({ length: 10 }, (_, i) => mention({ id: `g-${i}`, sentiment: -0.6, timestamp: new Date(now - (i + 1) * 60_000) }));
      // Outside the window: counted by the detector, not by the gauge.
      earlier.push(mention({ id: "g-old", sentiment: 1, timestamp: new Date(now - 40 * 60_000) }));
      await monitoring.ingestMentions({ campaignId: id, mentions: earlier }, as(manager));
      await expect.poll(() => live.events.filter((e) => e.type === "SENTIMENT").length).toBe(1);
      expect(live.events.find((e) => e.type === "SENTIMENT")!.data).toMatchObject({
        kind: "snapshot",
        mentions: 10,
        average: -0.6,
        windowMinutes: 15,
        newMentions: 11,
      });
      // One glowing mention later (after the snapshot interval): the gauge moves a little, it does not jump to 0.8.
      await new Promise((resolve) => setTimeout(resolve, SNAPSHOT_INTERVAL_MS + 100));
      await monitoring.ingestMentions({ campaignId: id, mentions: [mention({ id: "g-new", sentiment: 0.8, timestamp: new Date() })] }, as(manager));
      await expect.poll(() => live.events.filter((e) => e.type === "SENTIMENT").length, { timeout: 10_000 }).toBe(2);
      const second = live.events.filter((e) => e.type === "SENTIMENT")[1].data as SentimentSnapshotData;
      expect(second).toMatchObject({ kind: "snapshot", mentions: 11, newMentions: 1 });
      expect(second.average).toBeCloseTo((10 * -0.6 + 0.8) / 11, 3);
    } finally {
      live.stop();
    }
  });

  test("ordinary mentions raise nothing", async () => {
    const id = await newCampaign(manager);
    const live = await watch(id);
    try {
      const now = Date.now();
      const calm = Array.from({ length: 30 }, (_, i) => mention({ id: `calm-${i}`, sentiment: 0.2, timestamp: new Date(now - 600_000 + i * 20_000) }));
      await monitoring.ingestMentions({ campaignId: id, mentions: calm }, as(manager));
      await expect.poll(() => live.events.filter((e) => e.type === "SENTIMENT").length).toBe(1);
      expect(live.events.find((e) => e.type === "SENTIMENT")!.data).toMatchObject({ kind: "snapshot", mentions: 30, average: 0.2 });
      expect(live.events.filter((e) => (e.data as AlertEventData).kind === "alert")).toEqual([]);
      expect((await monitoring.getCrises({ campaignId: id }, as(manager))).crises).toEqual([]);
    } finally {
      live.stop();
    }
  });
});
