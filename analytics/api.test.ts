// analytics through the generated clients against this file's own databases, with analytics'
// data-stream subscription running in this process: mentions ingested through monitoring become
// rollups equal to a direct computation over the same mentions; a redelivered batch or crisis is
// counted once; the nightly job repairs drift and run twice leaves the same tables; growth and
// recommendations on crafted data; the PDF (text and pages via unpdf); bad input; permissions; the
// compliance purge and erasure.
import "../tests/fakes/auth-secrets";
import { randomUUID } from "node:crypto";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { analytics, auth, campaigns, monitoring, users } from "~encore/clients";
import type { Role } from "../shared/permissions";
import type { StreamingData } from "../monitoring/events";
import { countStreamEvent } from "../analytics/subscriptions";
import { db } from "../analytics/db";
import * as store from "../analytics/store";
import { reportPdf } from "./flows/report-files";
import { PAGES } from "./flows/pdf";
import { as, campaignRequest, code, type Profile } from "../tests/inproc";
import { startClockAt } from "../host/testing/clock.ts";

const PASSWORD = "password-for-tests";
type Mention = Parameters<typeof monitoring.ingestMentions>[0]["mentions"][number];

const DAY = 86_400_000;
const HOUR = 3_600_000;
// Days are UTC days and the nightly job finalises "yesterday" by the clock: this file's clock starts
// at noon UTC of the current day, so no run of it straddles midnight (host/testing/clock.ts).
afterAll(startClockAt(new Date(Math.floor(Date.now() / DAY) * DAY + 12 * HOUR)));
const today = Math.floor(Date.now() / DAY) * DAY;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let n = 0;
let admin: Profile;
let manager: Profile; // runs the campaigns
let analyst: Profile; // member of A
let viewer: Profile; // member of A
let outsider: Profile; // a manager, member of nothing

async function user(role: Role): Promise<Profile> {
  const { user } = await users.createUser({ email: `an-${++n}@example.org`, password: PASSWORD, name: `User ${n}`, role }, as(admin));
  return user;
}

async function newCampaign(owner: Profile, name: string): Promise<string> {
  const c = await campaigns.createCampaign(campaignRequest({ name, endDate: new Date("2027-12-01T00:00:00Z") }), as(owner));
  return c.id;
}

async function configure(campaignId: string, keywords: string[], competitors: string[], influencers: string[]): Promise<void> {
  await monitoring.createMonitoringConfig(
    {
      campaignId,
      keywords,
      competitors,
      influencers,
      platforms: ["twitter"],
      alertThresholds: { sentimentDrop: -0.3, mentionSpike: 5, crisisScore: 0.8, engagementDrop: -0.5 },
      refreshInterval: 300,
    },
    as(manager),
  );
}

const PLATFORMS = ["twitter", "facebook", "reddit"];
const TEXTS = ["Rivera on jobs", "Smith attacks RIVERA", "Weather today", "jobs, jobs, JOBS", "Smith and Jones debate", "Rivera rally ñandú"];

/** Mentions spread over the hours of `daysAgo` (UTC), with varied sentiment, reach and platforms. */
function spread(count: number, daysAgo: number, tag: string, over: Partial<Mention> = {}): Mention[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${tag}-${i}`,
    text: `${TEXTS[i % TEXTS.length]} #${i}`,
    author: i % 7 === 0 ? "@Anchor" : `author${i % 5}`,
    platform: PLATFORMS[i % PLATFORMS.length],
    url: `https://example.org/${tag}/${i}`,
    sentiment: Math.round((((i * 37) % 200) / 100 - 1) * 1000) / 1000,
    reach: i % 7 === 0 ? 50_000 + i : i % 4 === 0 ? 15_000 + i : 100 + i * 13,
    engagement: i * 3,
    timestamp: new Date(today - daysAgo * DAY + ((i * 7919) % 24) * HOUR + ((i * 31) % 60) * 60_000),
    ...over,
  }));
}

async function ingest(campaignId: string, mentions: Mention[]): Promise<void> {
  for (let i = 0; i < mentions.length; i += 500) await monitoring.ingestMentions({ campaignId, mentions: mentions.slice(i, i + 500) }, as(manager));
}

async function snapshot(campaignId: string): Promise<string> {
  const tables = ["hourly_rollups", "term_rollups", "author_rollups", "top_mentions", "crises"];
  const out: string[] = [];
  for (const t of tables) {
    const rows = await db.rawQueryAll(`SELECT to_jsonb(x) - 'campaign_id' AS r FROM ${t} x WHERE campaign_id = $1::uuid ORDER BY 1`, campaignId);
    out.push(`${t}:${JSON.stringify(rows)}`);
  }
  const daily = await db.rawQueryAll(
    `SELECT date::text, total_mentions, average_sentiment::text, total_reach, engagement_rate::text, platform_breakdown, top_keywords, sentiment_milli, positive, negative, total_engagement, crisis_events
     FROM daily_analytics WHERE campaign_id = $1::uuid ORDER BY date`,
    campaignId,
  );
  out.push(`daily:${JSON.stringify(daily)}`);
  return out.join("\n");
}

let campaignA: string; // manager's, analyst and viewer are members
let campaignB: string; // manager's only
const mentionsA: Mention[] = [];

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
  [manager, analyst, viewer, outsider] = await Promise.all([user("manager"), user("analyst"), user("viewer"), user("manager")]);
  campaignA = await newCampaign(manager, "Rivera for Ohio");
  campaignB = await newCampaign(manager, "Growth Test");
  for (const u of [analyst, viewer]) await campaigns.addCampaignMember({ id: campaignA, userId: u.id }, as(manager));
  // Targets are read from monitoring's configuration: set them before any mention arrives.
  await configure(campaignA, ["Rivera", "jobs"], ["Smith", "Jones"], ["@anchor"]);
  await configure(campaignB, ["taxes"], [], []);
  mentionsA.push(...spread(120, 1, "y"), ...spread(90, 2, "d2"), ...spread(60, 3, "d3"));
  await ingest(campaignA, mentionsA);
  // A's rollups, built by the subscription (a hook: vi.waitFor, as expect.poll works in tests only).
  await vi.waitFor(async () => expect(await store.mentionCount(campaignA, new Date(today - 10 * DAY), new Date(today + DAY))).toBe(mentionsA.length), {
    timeout: 15_000,
  });
});

/** The direct computation: the same figures from the mentions themselves. */
function direct(mentions: Mention[]) {
  const milli = (s: number) => Math.round(s * 1000);
  const byHour = new Map<string, { mentions: number; sentimentMilli: number; reach: number; engagement: number; positive: number; negative: number }>();
  for (const m of mentions) {
    const key = `${new Date(Math.floor(m.timestamp.getTime() / HOUR) * HOUR).toISOString()}|${m.platform}`;
    const c = byHour.get(key) ?? { mentions: 0, sentimentMilli: 0, reach: 0, engagement: 0, positive: 0, negative: 0 };
    c.mentions++;
    c.sentimentMilli += milli(m.sentiment!);
    c.reach += m.reach;
    c.engagement += m.engagement;
    if (m.sentiment! > 0.05) c.positive++;
    if (m.sentiment! < -0.05) c.negative++;
    byHour.set(key, c);
  }
  const count = (term: string) => mentions.filter((m) => m.text.toLowerCase().includes(term)).length;
  const total = mentions.length;
  const sentimentMilli = mentions.reduce((s, m) => s + milli(m.sentiment!), 0);
  const reach = mentions.reduce((s, m) => s + m.reach, 0);
  const engagement = mentions.reduce((s, m) => s + m.engagement, 0);
  return { byHour, count, total, sentimentMilli, reach, engagement };
}

describe("rollups kept live from the stream", () => {
  test("the rollups equal a direct computation over the same mentions", async () => {
    const d = direct(mentionsA);
    const rows = await store.hourRows(campaignA, new Date(today - 10 * DAY), new Date(today + DAY), "hour");
    const stored = new Map(
      rows.map((r) => [
        `${r.hour.toISOString()}|${r.platform}`,
        { mentions: r.mentions, sentimentMilli: r.sentimentMilli, reach: r.reach, engagement: r.engagement, positive: r.positive, negative: r.negative },
      ]),
    );
    expect(stored).toEqual(d.byHour);

    const start = new Date(today - 3 * DAY);
    const end = new Date(today);
    const report = await analytics.generateAnalyticsReport(
      { campaignId: campaignA, startDate: start, endDate: end, includeCompetitors: true, includeInfluencers: true },
      as(analyst),
    );
    expect(report.campaignName).toBe("Rivera for Ohio");
    expect(report.granularity).toBe("hour");
    expect(report.summary.totalMentions).toBe(d.total);
    expect(report.summary.averageSentiment).toBeCloseTo(d.sentimentMilli / d.total / 1000, 3);
    expect(report.summary.totalReach).toBe(d.reach);
    expect(report.summary.engagementRate).toBeCloseTo(d.engagement / d.reach, 4);
    expect(report.mentionTrends).toHaveLength(72);
    expect(report.mentionTrends.reduce((s, t) => s + t.mentions, 0)).toBe(d.total);
    expect(Object.fromEntries(report.platformBreakdown.map((p) => [p.platform, p.mentions]))).toEqual(
      Object.fromEntries(PLATFORMS.map((p) => [p, mentionsA.filter((m) => m.platform === p).length])),
    );
    expect(Object.fromEntries(report.keywordPerformance.map((k) => [k.keyword, k.mentions]))).toEqual({ rivera: d.count("rivera"), jobs: d.count("jobs") });
    expect(Object.fromEntries(report.competitorComparison.map((c) => [c.competitor, c.mentions]))).toEqual({
      smith: d.count("smith"),
      jones: d.count("jones"),
    });
    expect(report.summary.topKeywords).toEqual(d.count("rivera") >= d.count("jobs") ? ["rivera", "jobs"] : ["jobs", "rivera"]);
    // The loudest mentions, as monitoring stored them.
    const loudest = [...mentionsA]
      .sort((a, b) => b.reach - a.reach)
      .slice(0, 10)
      .map((m) => m.reach);
    expect(report.topMentions.map((m) => m.reach)).toEqual(loudest);
    // Influencers: @Anchor's every mention, others' loud ones.
    const anchor = report.influencerPerformance.find((p) => p.author === "@Anchor" && p.platform === "twitter");
    const anchorMentions = mentionsA.filter((m) => m.platform === "twitter" && m.author === "@Anchor");
    expect(anchor?.mentions).toBe(anchorMentions.length);
    // The summary window (daily_analytics) agrees.
    const { summary } = await analytics.getAnalyticsSummary({ campaignId: campaignA }, as(viewer));
    expect(summary.campaigns[0]).toMatchObject({ campaignId: campaignA, totalMentions: d.total, totalReach: d.reach });
    const { sentiment } = await analytics.getAnalyticsSentiment({ campaignId: campaignA, days: 7 }, as(viewer));
    expect(sentiment.campaigns[0].mentions).toBe(d.total);
    expect(sentiment.campaigns[0].daily.map((x) => x.date)).toEqual([isoDay(today - 3 * DAY), isoDay(today - 2 * DAY), isoDay(today - DAY)]);
  });

  test("a redelivered batch and a redelivered crisis are counted once", async () => {
    const day = today - 5 * DAY;
    const event: StreamingData = {
      type: "MENTION",
      campaignId: campaignA,
      timestamp: new Date(),
      priority: "low",
      data: {
        kind: "mentions",
        batchId: randomUUID(),
        mentions: [0, 1, 2].map((i) => ({
          mentionId: randomUUID(),
          id: `redeliver-${i}`,
          text: "Rivera",
          author: "x",
          platform: "twitter",
          url: "",
          sentiment: 0.5,
          sentimentSource: "source",
          reach: 10,
          engagement: 1,
          timestamp: new Date(day + i * HOUR).toISOString(),
        })),
      },
    };
    await countStreamEvent(event);
    await countStreamEvent(event);
    expect(await store.mentionCount(campaignA, new Date(day), new Date(day + DAY))).toBe(3);

    const crisis: StreamingData = {
      type: "CRISIS",
      campaignId: campaignA,
      timestamp: new Date(),
      priority: "critical",
      data: {
        kind: "alert",
        eventId: "c1:opened",
        event: "opened",
        crisisId: `crisis-${randomUUID()}`,
        alertType: "CRISIS",
        severity: "CRITICAL",
        status: "open",
        crisisScore: 0.9,
        title: "t",
        summary: "s",
        explanation: {},
        openedAt: new Date(day + HOUR).toISOString(),
        at: new Date(day + HOUR).toISOString(),
      },
    };
    await countStreamEvent(crisis);
    await countStreamEvent(crisis);
    await countStreamEvent({ ...crisis, data: { ...(crisis.data as object), event: "escalated" } });
    expect(await store.crisisCount(campaignA, new Date(day), new Date(day + DAY))).toBe(1);
    const report = await analytics.generateAnalyticsReport({ campaignId: campaignA, startDate: new Date(day), endDate: new Date(day + DAY) }, as(analyst));
    expect(report.summary).toMatchObject({ totalMentions: 3, crisisEvents: 1 });
    expect(report.recommendationDetails.map((r) => r.figure)).toContain("crisisEvents");
  });
});

describe("nightly finalisation", () => {
  test("repairs drift from monitoring's data, and running it twice leaves the same tables", async () => {
    const first = isoDay(today - 3 * DAY);
    const last = isoDay(today - DAY);
    const correct = await snapshot(campaignA);
    // Drift: a lost update, a phantom platform, a lost top mention.
    await db.exec`UPDATE hourly_rollups SET mentions = mentions + 5, reach = reach + 1 WHERE campaign_id = ${campaignA}::uuid AND hour = (SELECT min(hour) FROM hourly_rollups WHERE campaign_id = ${campaignA}::uuid AND hour >= ${`${first}T00:00:00Z`}::timestamptz)`;
    await db.exec`INSERT INTO hourly_rollups VALUES (${campaignA}::uuid, ${`${last}T05:00:00Z`}::timestamptz, 'phantom', 9, 0, 0, 0, 9, 9)`;
    await db.exec`DELETE FROM top_mentions WHERE campaign_id = ${campaignA}::uuid AND date = ${first}::date AND mention_id = (SELECT mention_id FROM top_mentions WHERE campaign_id = ${campaignA}::uuid AND date = ${first}::date LIMIT 1)`;
    expect(await snapshot(campaignA)).not.toBe(correct);

    const run1 = await analytics.backfillAnalytics({ startDate: first, endDate: last, campaignId: campaignA }, as(admin));
    // The first and last days drifted; the middle one did not.
    expect(run1).toEqual({ campaigns: 1, days: 3, repaired: 2, failed: 0 });
    const after1 = await snapshot(campaignA);
    const run2 = await analytics.backfillAnalytics({ startDate: first, endDate: last, campaignId: campaignA }, as(admin));
    expect(run2).toEqual({ campaigns: 1, days: 3, repaired: 0, failed: 0 });
    expect(await snapshot(campaignA)).toBe(after1);
    // What live delivery built is what monitoring's own figures give (finalised_at aside).
    expect(after1).toBe(correct);

    // The cron endpoint (yesterday, every campaign) twice: same tables.
    const cron1 = await analytics.aggregateDailyAnalytics();
    expect(cron1.failed).toBe(0);
    expect(cron1.campaigns).toBeGreaterThanOrEqual(1);
    const tables1 = await snapshot(campaignA);
    await analytics.aggregateDailyAnalytics();
    expect(await snapshot(campaignA)).toBe(tables1);
    const finalised = await db.queryRow<{
      n: number;
    }>`SELECT count(*)::int AS n FROM daily_analytics WHERE campaign_id = ${campaignA}::uuid AND finalized_at IS NOT NULL`;
    expect(finalised!.n).toBe(3);
  });

  test("a batch the finalisation already counted is not counted again when its message arrives late", async () => {
    const counted = () =>
      db.queryAll<{
        batch_id: string;
        date: string;
      }>`SELECT batch_id::text, date::text FROM counted_batches WHERE campaign_id = ${campaignA}::uuid AND date = ${isoDay(today - DAY)}::date`;
    await expect.poll(async () => (await counted()).length, { message: "counted batches", timeout: 15_000 }).toBeGreaterThan(0);
    const batch = await counted();
    const before = await snapshot(campaignA);
    const late: StreamingData = {
      type: "MENTION",
      campaignId: campaignA,
      timestamp: new Date(),
      priority: "low",
      data: {
        kind: "mentions",
        batchId: batch[0].batch_id,
        mentions: [
          {
            mentionId: randomUUID(),
            id: "late",
            text: "late",
            author: "",
            platform: "twitter",
            url: "",
            sentiment: 0,
            sentimentSource: "source",
            reach: 1,
            engagement: 0,
            timestamp: new Date(today - DAY + HOUR).toISOString(),
          },
        ],
      },
    };
    await countStreamEvent(late);
    expect(await snapshot(campaignA)).toBe(before);
  });
});

describe("growth and recommendations", () => {
  test("on crafted data: growth against the previous equal period, rules naming their figures", async () => {
    // Previous week: 10 mildly positive mentions; this week: 25 negative ones about taxes, all on one platform.
    const start = new Date(today - 7 * DAY);
    const end = new Date(today);
    const previous = Array.from({ length: 10 }, (_, i) => ({
      id: `prev-${i}`,
      text: "fine day",
      author: "a",
      platform: "twitter",
      url: "",
      sentiment: 0.2,
      reach: 1000,
      engagement: 100,
      timestamp: new Date(start.getTime() - DAY * 3 + i * HOUR),
    }));
    const current = Array.from({ length: 25 }, (_, i) => ({
      id: `cur-${i}`,
      text: "taxes are a disgrace",
      author: "b",
      platform: "tiktok",
      url: "",
      sentiment: -0.6,
      reach: 1000,
      engagement: 2,
      timestamp: new Date(start.getTime() + DAY * 2 + i * HOUR),
    }));
    await ingest(campaignB, [...previous, ...current]);
    await expect.poll(() => store.mentionCount(campaignB, new Date(start.getTime() - 7 * DAY), end), { message: "B's rollups", timeout: 15_000 }).toBe(35);
    const report = await analytics.generateAnalyticsReport({ campaignId: campaignB, startDate: start, endDate: end }, as(manager));
    expect(report.granularity).toBe("day");
    expect(report.mentionTrends).toHaveLength(7);
    expect(report.summary).toMatchObject({
      totalMentions: 25,
      previousPeriodMentions: 10,
      growthRate: 150,
      averageSentiment: -0.6,
      negativeMentions: 25,
      engagementRate: 0.002,
    });
    const figures = report.recommendationDetails.map((r) => `${r.rule}:${r.figure}:${r.value}`);
    expect(figures).toEqual([
      "negative-sentiment:averageSentiment:-0.6",
      "negative-share:negativeShare:1",
      "volume-surge:growthRate:150",
      "platform-negative:platformSentiment:-0.6",
      "keyword-negative:keywordSentiment:-0.6",
      "low-engagement:engagementRate:0.002",
    ]);
    expect(report.recommendations).toEqual(report.recommendationDetails.map((r) => r.message));
    expect(report.recommendations[2]).toContain("+150%");
  });
});

describe("PDF export", () => {
  test("a valid PDF with the campaign's name, the summary figures and page numbers, on the expected pages", async () => {
    const start = new Date(today - 3 * DAY);
    const end = new Date(today);
    const report = await analytics.generateAnalyticsReport(
      { campaignId: campaignA, startDate: start, endDate: end, includeCompetitors: true, includeInfluencers: true, format: "pdf" },
      as(manager),
    );
    expect(report.reportId).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.downloadPath).toBe(`/api/v1/analytics/reports/${report.reportId}/pdf`);
    const stored = (await store.getReport(report.reportId!))!;
    expect(stored.fileName).toBe(`Rivera-for-Ohio-${isoDay(start.getTime())}-${isoDay(end.getTime())}.pdf`);
    expect(stored.pdf).toBeNull(); // the PDF is in the bucket, not the row
    const bytes = new Uint8Array((await reportPdf(stored))!);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("%PDF-");
    expect(Buffer.from(bytes.subarray(bytes.length - 8)).toString()).toContain("%%EOF");
    const pdf = await getDocumentProxy(bytes);
    const { totalPages, text } = await extractText(pdf, { mergePages: false });
    expect(totalPages).toBe(PAGES);
    const all = text.join("\n");
    const s = report.summary;
    expect(text[0]).toContain("Rivera for Ohio");
    expect(text[0]).toContain("Campaign Analytics Report");
    expect(text[1]).toContain(s.totalMentions.toLocaleString("en-US"));
    expect(text[1]).toContain(s.averageSentiment.toFixed(3));
    expect(text[1]).toContain(s.totalReach.toLocaleString("en-US"));
    expect(text[1]).toContain(s.engagementRate.toFixed(4));
    expect(text[1]).toContain("Recommendations");
    expect(text[2]).toContain("Mention volume");
    expect(text[3]).toContain("share of voice");
    expect(text[3]).toContain("smith");
    expect(text[4]).toContain(report.topMentions[0].reach.toLocaleString("en-US"));
    expect(text[5]).toContain("@Anchor");
    for (let p = 2; p <= PAGES; p++) expect(all).toContain(`Page ${p} of ${PAGES}`);
    // An empty period still renders all pages.
    const empty = await analytics.generateAnalyticsReport(
      { campaignId: campaignB, startDate: new Date("2026-01-01T00:00:00Z"), endDate: new Date("2026-01-02T00:00:00Z"), format: "pdf" },
      as(manager),
    );
    const emptyPdf = await getDocumentProxy(new Uint8Array((await reportPdf((await store.getReport(empty.reportId!))!))!));
    expect(emptyPdf.numPages).toBe(PAGES);
  });
});

describe("bad input", () => {
  test("ranges, dates and ids are checked (400 / 404), never 500", async () => {
    const a = as(manager);
    const r = (startDate: Date, endDate: Date) => code(analytics.generateAnalyticsReport({ campaignId: campaignA, startDate, endDate }, a));
    expect(await r(new Date("2026-11-02"), new Date("2026-11-01"))).toBe("invalid_argument");
    expect(await r(new Date("2026-11-01"), new Date("2026-11-01"))).toBe("invalid_argument");
    expect(await r(new Date("2025-01-01"), new Date("2026-01-03"))).toBe("invalid_argument");
    expect(
      await code(analytics.generateAnalyticsReport({ campaignId: "not-a-uuid", startDate: new Date("2026-11-01"), endDate: new Date("2026-11-02") }, a)),
    ).toBe("not_found");
    expect(
      await code(analytics.generateAnalyticsReport({ campaignId: randomUUID(), startDate: new Date("2026-11-01"), endDate: new Date("2026-11-02") }, a)),
    ).toBe("not_found");
    expect(await code(analytics.getAnalyticsSummary({ days: 0 }, a))).toBe("invalid_argument");
    expect(await code(analytics.getAnalyticsSummary({ days: 367 }, a))).toBe("invalid_argument");
    const b = as(admin);
    expect(await code(analytics.backfillAnalytics({ startDate: "2026-13-01", endDate: "2026-13-02" }, b))).toBe("invalid_argument");
    expect(await code(analytics.backfillAnalytics({ startDate: "2026-02-30", endDate: "2026-03-01" }, b))).toBe("invalid_argument");
    expect(await code(analytics.backfillAnalytics({ startDate: "2026-11-02", endDate: "2026-11-01" }, b))).toBe("invalid_argument");
    expect(await code(analytics.backfillAnalytics({ startDate: "2024-01-01", endDate: "2026-01-01" }, b))).toBe("invalid_argument");
    expect(
      await code(
        monitoring.getDayAggregates({
          campaignId: campaignA,
          date: "yesterday",
          terms: [],
          influencers: [],
          influencerReach: 1,
          neutralBand: 0.05,
          topLimit: 1,
        }),
      ),
    ).toBe("invalid_argument");
  });
});

describe("permissions", () => {
  const range = { startDate: new Date(today - DAY), endDate: new Date(today) };

  test("members read their campaign's reports, non-members get 404, PDF export needs analytics:create", async () => {
    expect(await code(analytics.generateAnalyticsReport({ campaignId: campaignA, ...range }, as(viewer)))).toBe("ok");
    expect(await code(analytics.generateAnalyticsReport({ campaignId: campaignA, ...range, format: "pdf" }, as(viewer)))).toBe("permission_denied");
    expect(await code(analytics.generateAnalyticsReport({ campaignId: campaignA, ...range, format: "pdf" }, as(analyst)))).toBe("ok");
    expect(await code(analytics.generateAnalyticsReport({ campaignId: campaignA, ...range }, as(outsider)))).toBe("not_found");
    expect(await code(analytics.generateAnalyticsReport({ campaignId: campaignB, ...range }, as(analyst)))).toBe("not_found");
    expect(await code(analytics.generateAnalyticsReport({ campaignId: campaignA, ...range }, undefined as never))).toBe("unauthenticated");
    expect(await code(analytics.getAnalyticsSummary({ campaignId: campaignA }, as(outsider)))).toBe("not_found");
    expect(await code(analytics.getAnalyticsSentiment({ campaignId: campaignB }, as(viewer)))).toBe("not_found");
  });

  test("without campaignId, the summary covers the caller's campaigns (admins: every campaign with figures)", async () => {
    expect((await analytics.getAnalyticsSummary({}, as(viewer))).summary.campaigns.map((c) => c.campaignId)).toEqual([campaignA]);
    expect((await analytics.getAnalyticsSummary({}, as(outsider))).summary.campaigns).toEqual([]);
    expect((await analytics.getAnalyticsSummary({}, as(manager))).summary.campaigns.map((c) => c.campaignId)).toEqual([campaignA, campaignB].sort());
    const { sentiment: all } = await analytics.getAnalyticsSentiment({}, as(admin));
    expect(all.campaigns.map((c) => c.campaignId)).toEqual(expect.arrayContaining([campaignA, campaignB]));
  });

  test("only admins backfill", async () => {
    const req = { startDate: isoDay(today - DAY), endDate: isoDay(today - DAY), campaignId: campaignB };
    for (const u of [manager, analyst, viewer]) expect(await code(analytics.backfillAnalytics(req, as(u)))).toBe("permission_denied");
    expect(await code(analytics.backfillAnalytics(req, as(admin)))).toBe("ok");
  });
});

describe("compliance contract", () => {
  test("erasure takes the user off their exported reports; idempotent", async () => {
    const r = await analytics.generateAnalyticsReport(
      { campaignId: campaignB, startDate: new Date(today - DAY), endDate: new Date(today), format: "pdf" },
      as(manager),
    );
    const first = await analytics.eraseAnalyticsUser({ requestId: randomUUID(), userId: manager.id });
    expect(first.service).toBe("analytics");
    expect(first.erased.report_authors).toBeGreaterThanOrEqual(1);
    expect(await analytics.eraseAnalyticsUser({ requestId: randomUUID(), userId: manager.id })).toEqual({
      service: "analytics",
      erased: { report_authors: 0 },
    });
    expect(await store.getReport(r.reportId!)).not.toBeNull();
  });

  test("a retention purge deletes rollups older than `before`, once; other data classes are refused", async () => {
    expect(await code(analytics.purgeAnalytics({ dataClass: "mentions", before: new Date() }))).toBe("invalid_argument");
    const before = new Date(today - 2 * DAY);
    const old = await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM hourly_rollups WHERE hour < ${before.toISOString()}::timestamptz`;
    expect(old!.n).toBeGreaterThan(0);
    const purged = await analytics.purgeAnalytics({ dataClass: "analytics_rollups", before });
    expect(purged.dataClass).toBe("analytics_rollups");
    expect(purged.deleted).toBeGreaterThan(old!.n);
    expect(await analytics.purgeAnalytics({ dataClass: "analytics_rollups", before })).toEqual({ dataClass: "analytics_rollups", deleted: 0 });
    const left = await db.queryRow<{
      n: number;
    }>`SELECT (SELECT count(*) FROM hourly_rollups WHERE hour < ${before.toISOString()}::timestamptz) + (SELECT count(*) FROM daily_analytics WHERE date < ${isoDay(before.getTime())}::date) AS n`;
    expect(Number(left!.n)).toBe(0);
    expect(await store.mentionCount(campaignA, new Date(today - DAY), new Date(today))).toBe(120);
  });
});
