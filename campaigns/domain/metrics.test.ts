import { describe, expect, test } from "vitest";
import {
  accountStale,
  budgetPacing,
  campaignDays,
  computeMetrics,
  cpcOf,
  initialMetrics,
  ctrOf,
  dailyTrend,
  platformSplit,
  roiOf,
  sumRows,
  type AccountSync,
  type AdDayRow,
  type MetricsInput,
} from "./metrics";

const now = new Date("2026-11-20T12:00:00Z");
const synced = (platform: "meta" | "google", accountId: string, over: Partial<AccountSync> = {}): AccountSync => ({
  platform,
  accountId,
  lastSyncedAt: new Date("2026-11-20T11:00:00Z"),
  lastAttemptAt: new Date("2026-11-20T11:00:00Z"),
  lastError: null,
  ...over,
});
const input = (over: Partial<MetricsInput> = {}): MetricsInput => ({
  accounts: [synced("meta", "act_1"), synced("google", "1234567890")],
  totals: { impressions: 10_000, clicks: 250, conversions: 20, spend: 500 },
  valuePerConversion: 50,
  social: { mentions: 4, averageSentiment: 0.25, reach: 2000, engagement: 100 },
  previous: null,
  now,
  ...over,
});

describe("sums and ratios", () => {
  test("rows are summed across platforms and days, money to the cent", () => {
    expect(
      sumRows([
        { impressions: 1000, clicks: 10, conversions: 1, spend: 10.105 },
        { impressions: 500, clicks: 0, conversions: 0.5, spend: 0.2 },
      ]),
    ).toEqual({ impressions: 1500, clicks: 10, conversions: 1.5, spend: 10.31 });
  });

  test("ctr, cpc and roi, and none of them NaN or Infinity on zeros", () => {
    const t = { impressions: 10_000, clicks: 250, conversions: 20, spend: 500 };
    expect(ctrOf(t)).toBe(0.025);
    expect(cpcOf(t)).toBe(2);
    expect(roiOf(t, 50)).toBe(1); // (20 × 50 − 500) / 500
    expect(roiOf(t, null)).toBeNull();
    expect(ctrOf({ ...t, impressions: 0, clicks: 0 })).toBeNull();
    expect(cpcOf({ ...t, clicks: 0 })).toBeNull();
    expect(roiOf({ ...t, spend: 0 }, 50)).toBeNull();
  });
});

describe("computeMetrics", () => {
  test("every figure from its sources, with freshness", () => {
    const { metrics, detail } = computeMetrics(input());
    expect(metrics).toEqual({ impressions: 10_000, clicks: 250, conversions: 20, ctr: 0.025, cpc: 2, roi: 1, sentimentScore: 0.25, engagementRate: 0.05 });
    expect(detail.impressions).toEqual({
      value: 10_000,
      lastUpdated: new Date("2026-11-20T11:00:00Z"),
      sources: ["meta:act_1", "google:1234567890"],
      stale: false,
    });
    expect(detail.sentimentScore).toMatchObject({ value: 0.25, sources: ["monitoring"], stale: false, lastUpdated: now });
    expect(detail.spend.value).toBe(500);
  });

  test("no linked account: ads figures absent with a reason, not zeros; social figures still there", () => {
    const { metrics, detail } = computeMetrics(input({ accounts: [], totals: { impressions: 0, clicks: 0, conversions: 0, spend: 0 } }));
    for (const k of ["impressions", "clicks", "conversions", "spend", "ctr", "cpc", "roi"] as const) {
      expect(detail[k]).toMatchObject({ value: null, reason: "no ad account is linked to this campaign", sources: [] });
    }
    expect(metrics.impressions).toBe(0);
    expect(detail.sentimentScore.value).toBe(0.25);
  });

  test("zero clicks and zero spend: cpc and roi absent with reasons, ctr 0, nothing NaN", () => {
    const { metrics, detail } = computeMetrics(input({ totals: { impressions: 5000, clicks: 0, conversions: 0, spend: 0 } }));
    expect(detail.ctr.value).toBe(0);
    expect(detail.cpc).toMatchObject({ value: null, reason: "no clicks yet" });
    expect(detail.roi).toMatchObject({ value: null, reason: "no spend yet" });
    expect(Object.values(metrics).every(Number.isFinite)).toBe(true);
  });

  test("roi absent until the value per conversion is set", () => {
    expect(computeMetrics(input({ valuePerConversion: null })).detail.roi).toMatchObject({
      value: null,
      reason: expect.stringContaining("value per conversion"),
    });
  });

  test("a source failing: the figures stay (last good), marked stale with why", () => {
    const failed = synced("google", "1234567890", { lastAttemptAt: new Date("2026-11-20T11:30:00Z"), lastError: "googleads: HTTP 503" });
    const { detail } = computeMetrics(input({ accounts: [synced("meta", "act_1"), failed] }));
    expect(detail.clicks).toMatchObject({ value: 250, stale: true });
    expect(detail.clicks.reason).toContain("google:1234567890 unavailable (googleads: HTTP 503)");
    expect(detail.cpc.stale).toBe(true);
  });

  test("linked but never fetched: absent, stale, 'not fetched yet'", () => {
    const { detail } = computeMetrics(
      input({
        accounts: [synced("meta", "act_1", { lastSyncedAt: null, lastAttemptAt: null })],
        totals: { impressions: 0, clicks: 0, conversions: 0, spend: 0 },
      }),
    );
    expect(detail.impressions).toMatchObject({ value: null, stale: true });
    expect(detail.impressions.reason).toContain("not fetched yet");
  });

  test("monitoring unavailable: the previous sentiment and engagement stay, stale", () => {
    const previous = computeMetrics(input()).detail;
    const { metrics, detail } = computeMetrics(input({ social: null, socialError: "monitoring down", previous }));
    expect(detail.sentimentScore).toMatchObject({ value: 0.25, stale: true });
    expect(detail.sentimentScore.reason).toContain("monitoring down");
    expect(metrics.engagementRate).toBe(0.05);
  });

  test("no mentions: sentiment and engagement absent with reasons", () => {
    const { detail } = computeMetrics(input({ social: { mentions: 0, averageSentiment: 0, reach: 0, engagement: 0 } }));
    expect(detail.sentimentScore).toMatchObject({ value: null, reason: expect.stringContaining("no mentions") });
    expect(detail.engagementRate.value).toBeNull();
  });
});

test("a new campaign: zeros in the seed's metrics, every figure absent with its reason", () => {
  const { metrics, detail } = initialMetrics(now);
  expect(Object.values(metrics).every((v) => v === 0)).toBe(true);
  expect(detail.roi).toMatchObject({ value: null, reason: "no ad account is linked to this campaign" });
  expect(detail.sentimentScore).toMatchObject({ value: null, reason: "no mentions in the campaign's window yet", sources: ["monitoring"] });
});

describe("staleness", () => {
  test("fresh, failed after success, never fetched, too old", () => {
    expect(accountStale(synced("meta", "a"), now)).toBe(false);
    expect(accountStale(synced("meta", "a", { lastError: "x", lastAttemptAt: new Date("2026-11-20T11:30:00Z") }), now)).toBe(true);
    expect(accountStale(synced("meta", "a", { lastSyncedAt: null }), now)).toBe(true);
    expect(accountStale(synced("meta", "a", { lastSyncedAt: new Date("2026-11-19T00:00:00Z") }), now)).toBe(true);
  });
});

describe("trend, split, pacing", () => {
  const rows: AdDayRow[] = [
    { platform: "meta", accountId: "act_1", date: "2026-11-02", impressions: 100, clicks: 0, conversions: 0, spend: 0 },
    { platform: "google", accountId: "1234567890", date: "2026-11-01", impressions: 200, clicks: 10, conversions: 1, spend: 5 },
    { platform: "meta", accountId: "act_1", date: "2026-11-01", impressions: 300, clicks: 10, conversions: 0, spend: 15 },
  ];

  test("the daily trend sums platforms per day, oldest first", () => {
    expect(dailyTrend(rows)).toEqual([
      { date: "2026-11-01", impressions: 500, clicks: 20, conversions: 1, spend: 20, ctr: 0.04, cpc: 1 },
      { date: "2026-11-02", impressions: 100, clicks: 0, conversions: 0, spend: 0, ctr: 0, cpc: null },
    ]);
  });

  test("the split per platform", () => {
    const split = platformSplit(rows, [synced("meta", "act_1"), synced("google", "1234567890")], now);
    expect(split.map((p) => [p.platform, p.impressions, p.spend, p.stale])).toEqual([
      ["meta", 400, 15, false],
      ["google", 200, 5, false],
    ]);
  });

  test("a half-spent campaign halfway through is on track, projected to its budget", () => {
    const p = budgetPacing(1000, new Date("2026-11-01T00:00:00Z"), new Date("2026-11-11T00:00:00Z"), 500, new Date("2026-11-06T00:00:00Z"));
    expect(p).toEqual({
      budget: 1000,
      spent: 500,
      remaining: 500,
      totalDays: 10,
      elapsedDays: 5,
      expectedSpend: 500,
      paceRatio: 1,
      projectedSpend: 1000,
      status: "on_track",
    });
  });

  test("over and under pacing, before the start, after the end", () => {
    const start = new Date("2026-11-01T00:00:00Z");
    const end = new Date("2026-11-11T00:00:00Z");
    expect(budgetPacing(1000, start, end, 800, new Date("2026-11-06T00:00:00Z"))).toMatchObject({ status: "over_pacing", projectedSpend: 1600 });
    expect(budgetPacing(1000, start, end, 100, new Date("2026-11-06T00:00:00Z"))).toMatchObject({ status: "under_pacing", projectedSpend: 200 });
    expect(budgetPacing(1000, start, end, 0, new Date("2026-10-01T00:00:00Z"))).toMatchObject({
      status: "not_started",
      projectedSpend: null,
      paceRatio: null,
      elapsedDays: 0,
    });
    expect(budgetPacing(1000, start, end, 900, new Date("2026-12-01T00:00:00Z"))).toMatchObject({ status: "finished", projectedSpend: 900, elapsedDays: 10 });
  });

  test("campaign days: an end at midnight is not a day of the campaign", () => {
    expect(campaignDays(new Date("2026-11-01T00:00:00Z"), new Date("2026-11-11T00:00:00Z"))).toEqual({ first: "2026-11-01", last: "2026-11-10" });
  });
});
