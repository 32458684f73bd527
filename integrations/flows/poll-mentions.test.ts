// The Mentionlytics poller against the fake Mentionlytics and this file's own database: each
// mention delivered once across polls and restarts, nothing skipped when delivery fails, one poller
// per feed at a time, and a provider failure leaving the cursor where it was.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pollAds, type AdDelivery, type AdFetcher, type AdSink } from "./poll-ads";
import { MetaClient } from "../clients/meta";
import { MentionlyticsClient } from "../clients/mentionlytics";
import type { Mention } from "../model";
import { pollMentionlytics, type MentionSink, type PollCampaign } from "./poll-mentions";
import { pollOffsets, pollWindow } from "../domain/poll";
import { DEFAULT_POLICY, ProviderPolicy } from "../../shared/resilience";
import { startFakeMentionlytics, type FakeMentionlytics } from "../../tests/fakes/mentionlytics";
import { startFakeMeta, type FakeMeta } from "../../tests/fakes/meta";
import { FastClock } from "../../tests/fakes/provider-faults";

let fake: FakeMentionlytics;
beforeAll(async () => {
  fake = await startFakeMentionlytics();
});
afterAll(() => fake.close());

/** A fresh client, as after a restart: nothing in memory, only the database remembers. */
const client = () =>
  new MentionlyticsClient(
    { token: fake.token, baseUrl: fake.url },
    new ProviderPolicy({ ...DEFAULT_POLICY, provider: "mentionlytics", clock: new FastClock(), timeoutMs: 3000, maxAttempts: 2 }),
  );

/** monitoring's ingest as the poller sees it: dedups by (platform, id), like monitoring does. */
function sink() {
  const stored = new Map<string, Mention>();
  const calls: Mention[][] = [];
  let failNext = 0;
  const fn: MentionSink = async (_campaignId, mentions) => {
    if (failNext > 0) {
      failNext--;
      throw new Error("monitoring unavailable");
    }
    calls.push(mentions);
    let accepted = 0;
    for (const m of mentions) {
      if (stored.has(`${m.platform}:${m.id}`)) continue;
      stored.set(`${m.platform}:${m.id}`, m);
      accepted++;
    }
    return { accepted, duplicates: mentions.length - accepted };
  };
  return { fn, stored, calls, failOnce: () => (failNext = 1) };
}

let n = 0;
const campaign = (): PollCampaign => ({ id: `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`, keywords: ["rivera"], refreshSeconds: 0.5 });

test("each mention is delivered once, oldest first, across polls and a restart; equal timestamps are not lost", async () => {
  const c = campaign();
  const s = sink();
  const t = Date.now() - 600_000;
  fake.add(
    { pub_date: new Date(t).toISOString(), description: "Rivera one" },
    { pub_date: new Date(t + 1000).toISOString(), description: "Rivera two" },
    { pub_date: new Date(t + 1000).toISOString(), description: "unrelated", campaign: "Chen" },
  );
  const first = await pollMentionlytics(client(), c, s.fn);
  expect(first).toMatchObject({ polled: true, delivered: 2 });
  expect(s.calls[0].map((m) => m.text)).toEqual(["Rivera one", "Rivera two"]);

  // A mention with the same timestamp as the newest delivered arrives late, plus a newer one.
  fake.add(
    { pub_date: new Date(t + 1000).toISOString(), description: "Rivera late" },
    { pub_date: new Date(t + 2000).toISOString(), description: "Rivera three" },
  );
  const second = await pollMentionlytics(client(), c, s.fn); // a new client: as after a restart
  expect(second.delivered).toBe(2);
  expect(s.calls[1].map((m) => m.text)).toEqual(["Rivera late", "Rivera three"]);

  const third = await pollMentionlytics(client(), c, s.fn);
  expect(third).toMatchObject({ polled: true, delivered: 0 });
  expect(s.stored.size).toBe(4);
  expect(s.calls.flat()).toHaveLength(4); // nothing sent twice
});

test("a delivery that fails leaves the cursor, so the next poll delivers the same mentions: nothing skipped", async () => {
  const c = campaign();
  const s = sink();
  fake.add({ pub_date: new Date(Date.now() - 60_000).toISOString(), description: "Rivera at risk" });
  s.failOnce();
  const failed = await pollMentionlytics(client(), c, s.fn);
  expect(failed.error).toContain("monitoring unavailable");
  const retried = await pollMentionlytics(client(), c, s.fn);
  expect(retried.delivered).toBeGreaterThanOrEqual(1);
  expect([...s.stored.values()].map((m) => m.text)).toContain("Rivera at risk");
});

test("a provider failure is reported and leaves the cursor where it was", async () => {
  const c = campaign();
  const s = sink();
  await pollMentionlytics(client(), c, s.fn);
  const before = s.stored.size;
  fake.inject({ kind: "status", status: 500 }, 2);
  const r = await pollMentionlytics(client(), c, s.fn);
  expect(r.error).toContain("injected 500");
  fake.add({ pub_date: new Date().toISOString(), description: "Rivera after outage" });
  const after = await pollMentionlytics(client(), c, s.fn);
  expect(after.error).toBeUndefined();
  expect(s.stored.size).toBe(before + 1);
});

test("two pollers at once: only one polls a feed, and a feed polled recently is not due", async () => {
  const c = { ...campaign(), refreshSeconds: 300 };
  const s = sink();
  const [a, b] = await Promise.all([pollMentionlytics(client(), c, s.fn), pollMentionlytics(client(), c, s.fn)]);
  expect([a.polled, b.polled].sort()).toEqual([false, true]);
  expect((await pollMentionlytics(client(), c, s.fn)).polled).toBe(false);
});

test("poll scheduling inside a cron minute and the fetch window", () => {
  expect(pollOffsets(15)).toEqual([0, 15_000, 30_000, 45_000]);
  expect(pollOffsets(300)).toEqual([0]);
  expect(pollOffsets(1)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
  const now = new Date("2026-11-24T12:00:00Z");
  expect(pollWindow("2026-11-24T10:00:00.000Z", now).since.toISOString()).toBe("2026-11-23T10:00:00.000Z");
  expect(pollWindow(null, now).since.toISOString()).toBe("2026-11-23T12:00:00.000Z");
});

// --- the ad pollers (Meta daily insights; Google's share the same code path) ---

describe("the ad pollers", () => {
  let meta: FakeMeta;
  beforeAll(async () => {
    meta = await startFakeMeta();
  });
  afterAll(() => meta.close());

  const DAY = 86_400_000;
  const today = Math.floor(Date.now() / DAY) * DAY;
  const day = (offset: number) => new Date(today + offset * DAY).toISOString().slice(0, 10);
  /** A fresh client each time: as after a restart, only the database remembers. */
  const fetcher = (): AdFetcher => {
    const c = new MetaClient(
      { accessToken: meta.token, baseUrl: meta.url, apiVersion: "v27.0", adAccountId: "" },
      new ProviderPolicy({ ...DEFAULT_POLICY, provider: "meta", clock: new FastClock(), timeoutMs: 3000, maxAttempts: 2 }),
    );
    return (id, since, until) => c.dailyInsights(id, since, until);
  };
  const adSink = () => {
    const deliveries: AdDelivery[] = [];
    let failNext = 0;
    const fn: AdSink = async (d) => {
      if (failNext > 0 && !d.error) {
        failNext--;
        throw new Error("campaigns unavailable");
      }
      deliveries.push(d);
    };
    return { fn, deliveries, failOnce: () => (failNext = 1) };
  };
  const insightRanges = (account: string) =>
    meta.requests
      .filter((r) => r.path === `/v27.0/${account}/insights`)
      .map((r) => JSON.parse(r.query.get("time_range") ?? "{}") as { since: string; until: string });

  test("settled days are fetched once across restarts; a poll within the interval does nothing", async () => {
    const a = meta.addAccount("act_501");
    a.days.push(
      { date: day(-5), impressions: 100, clicks: 1, spend: 1, conversions: 0 },
      { date: day(-1), impressions: 50, clicks: 0, spend: 0.5, conversions: 1 },
    );
    const c = {
      id: campaign().id,
      startDate: new Date(today - 6 * DAY),
      endDate: new Date(today + 6 * DAY),
      accounts: [{ platform: "meta" as const, accountId: "act_501" }],
    };
    const s = adSink();
    const first = await pollAds("meta", fetcher(), c, s.fn, 300_000);
    expect(first).toEqual([{ platform: "meta", accountId: "act_501", ok: true, days: 2, polled: true }]);
    expect(s.deliveries[0].days.map((d) => d.date)).toEqual([day(-5), day(-1)]);
    expect(s.deliveries[0].days[1]).toEqual({ date: day(-1), impressions: 50, clicks: 0, conversions: 1, spend: 0.5 });
    // Not due for 5 minutes: nothing fetched.
    expect((await pollAds("meta", fetcher(), c, s.fn, 300_000))[0].polled).toBe(false);
    // Due (interval 0, as an on-demand refresh): only the days still moving are fetched again.
    const again = await pollAds("meta", fetcher(), c, s.fn, 0);
    expect(again[0]).toMatchObject({ ok: true, days: 1, polled: true });
    expect(insightRanges("act_501")).toEqual([
      { since: day(-6), until: day(0) },
      { since: day(-1), until: day(0) },
    ]);
  });

  test("a delivery that fails leaves the cursor: the same days come again; a provider failure is reported to the sink", async () => {
    const a = meta.addAccount("act_502");
    a.days.push({ date: day(-4), impressions: 10, clicks: 1, spend: 2, conversions: 0 });
    const c = {
      id: campaign().id,
      startDate: new Date(today - 5 * DAY),
      endDate: new Date(today + 5 * DAY),
      accounts: [{ platform: "meta" as const, accountId: "act_502" }],
    };
    const s = adSink();
    s.failOnce();
    const failed = await pollAds("meta", fetcher(), c, s.fn, 0);
    expect(failed[0]).toMatchObject({ ok: false, error: "campaigns unavailable" });
    const retried = await pollAds("meta", fetcher(), c, s.fn, 0);
    expect(retried[0]).toMatchObject({ ok: true, days: 1 });
    expect(insightRanges("act_502").map((r) => r.since)).toEqual([day(-5), day(-5)]);

    meta.inject({ kind: "status", status: 500 }, 2);
    const down = await pollAds("meta", fetcher(), c, s.fn, 0);
    expect(down[0]).toMatchObject({ ok: false, error: expect.stringContaining("500") });
    expect(s.deliveries.at(-1)).toMatchObject({ accountId: "act_502", days: [], error: expect.stringContaining("500") });
    // After the outage the poll resumes from the same cursor: nothing skipped.
    const back = await pollAds("meta", fetcher(), c, s.fn, 0);
    expect(back[0].ok).toBe(true);
    expect(insightRanges("act_502").at(-1)!.since).toBe(day(-1));
  });
});
