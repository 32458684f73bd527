import { describe, expect, test } from "vitest";
import { buckets, checkRange, growthRate, periodHours, recommend, RULES, trendDrop, type Figures } from "./report";

const base: Figures = {
  totalMentions: 1000,
  averageSentiment: 0.1,
  positive: 400,
  negative: 100,
  growthRate: 10,
  previousPeriodMentions: 900,
  engagementRate: 0.05,
  crisisEvents: 0,
  platforms: [
    { platform: "twitter", mentions: 500, share: 0.5, averageSentiment: 0.1, reach: 1, engagement: 1 },
    { platform: "facebook", mentions: 500, share: 0.5, averageSentiment: 0.1, reach: 1, engagement: 1 },
  ],
  trend: [],
  competitors: [],
  ownShareOfVoice: 1,
  keywords: [],
};

describe("checkRange", () => {
  test("end before start, zero length and over 366 days are refused", () => {
    expect(checkRange(new Date("2026-11-02"), new Date("2026-11-01")).ok).toBe(false);
    expect(checkRange(new Date("2026-11-01"), new Date("2026-11-01")).ok).toBe(false);
    expect(checkRange(new Date("2025-01-01"), new Date("2026-01-03")).ok).toBe(false);
    expect(checkRange(new Date("2025-01-01"), new Date("2026-01-02"))).toEqual({ ok: true, granularity: "day" });
    expect(checkRange(new Date("2026-11-01"), new Date("2026-11-04"))).toEqual({ ok: true, granularity: "hour" });
    expect(checkRange(new Date("x"), new Date("2026-11-04")).ok).toBe(false);
  });
});

describe("growth and buckets", () => {
  test("growth is the percent change against the previous period, 0 without one", () => {
    expect(growthRate(150, 100)).toBe(50);
    expect(growthRate(50, 200)).toBe(-75);
    expect(growthRate(1, 3)).toBe(-66.7);
    expect(growthRate(10, 0)).toBe(0);
  });

  test("the previous period is as long and ends where the period begins", () => {
    const p = periodHours(new Date("2026-11-08T00:00:00Z"), new Date("2026-11-15T00:00:00Z"));
    expect(p.previousFrom.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(p.previousTo.toISOString()).toBe("2026-11-08T00:00:00.000Z");
  });

  test("daily buckets cover the period, empty ones included", () => {
    const rows = [
      { hour: new Date("2026-11-02T05:00:00Z"), platform: "x", mentions: 3, sentimentMilli: 300, positive: 3, negative: 0, reach: 9, engagement: 1 },
    ];
    const b = buckets(rows, new Date("2026-11-01T00:00:00Z"), new Date("2026-11-04T00:00:00Z"), "day");
    expect(b.map((x) => [x.date.toISOString().slice(0, 10), x.mentions])).toEqual([
      ["2026-11-01", 0],
      ["2026-11-02", 3],
      ["2026-11-03", 0],
    ]);
  });
});

describe("recommend", () => {
  const rules = (f: Partial<Figures>) => recommend({ ...base, ...f }).map((a) => `${a.rule}:${a.figure}`);

  test("quiet, healthy figures call for nothing", () => {
    expect(rules({})).toEqual([]);
  });

  test("each rule fires on its figure, names it, and the most urgent come first", () => {
    expect(rules({ totalMentions: 0 })).toEqual(["no-mentions:totalMentions"]);
    expect(rules({ averageSentiment: -0.25 })).toEqual(["negative-sentiment:averageSentiment"]);
    expect(rules({ negative: 450 })).toEqual(["negative-share:negativeShare"]);
    expect(rules({ growthRate: 60 })).toEqual(["volume-surge:growthRate"]);
    expect(rules({ growthRate: 60, previousPeriodMentions: 0 })).toEqual([]);
    expect(rules({ growthRate: -40 })).toEqual(["volume-decline:growthRate"]);
    expect(rules({ engagementRate: 0.001 })).toEqual(["low-engagement:engagementRate"]);
    expect(rules({ crisisEvents: 2, engagementRate: 0.001 })).toEqual(["crisis-review:crisisEvents", "low-engagement:engagementRate"]);
    const advice = recommend({ ...base, averageSentiment: -0.4 })[0];
    expect(advice).toMatchObject({ figure: "averageSentiment", value: -0.4, threshold: RULES.negativeSentiment, priority: "high" });
    expect(advice.message).toContain("averageSentiment = -0.4");
  });

  test("platform, competitor and keyword rules name their subject", () => {
    const platforms = [
      { platform: "tiktok", mentions: 700, share: 0.7, averageSentiment: -0.5, reach: 1, engagement: 1 },
      { platform: "x", mentions: 300, share: 0.3, averageSentiment: 0.2, reach: 1, engagement: 1 },
    ];
    const a = recommend({ ...base, platforms });
    expect(a.map((x) => [x.rule, x.subject])).toEqual([
      ["platform-negative", "tiktok"],
      ["platform-concentration", "tiktok"],
    ]);
    const competitors = [{ competitor: "smith", mentions: 900, shareOfVoice: 0.6, averageSentiment: 0, reach: 0, engagement: 0, positive: 0, negative: 0 }];
    expect(recommend({ ...base, competitors, ownShareOfVoice: 0.4 }).map((x) => [x.figure, x.subject])).toEqual([["shareOfVoice", "smith"]]);
    const keywords = [
      { keyword: "taxes", mentions: 20, averageSentiment: -0.5, reach: 1 },
      { keyword: "rare", mentions: 2, averageSentiment: -0.9, reach: 1 },
    ];
    expect(recommend({ ...base, keywords }).map((x) => [x.figure, x.subject])).toEqual([["keywordSentiment", "taxes"]]);
  });

  test("a falling sentiment trend is caught, a flat one is not", () => {
    const falling = [0.4, 0.4, 0.3, 0.1, -0.1, -0.2].map((s) => ({ mentions: 10, averageSentiment: s }));
    expect(trendDrop(falling)).toBeCloseTo(0.55);
    expect(recommend({ ...base, trend: falling }).map((x) => x.figure)).toEqual(["sentimentTrend"]);
    expect(trendDrop([0.1, 0.1, 0.1].map((s) => ({ mentions: 100, averageSentiment: s })))).toBeCloseTo(0);
    expect(trendDrop(falling.map((b) => ({ ...b, mentions: 1 })))).toBeNull();
  });
});
