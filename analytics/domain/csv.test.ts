import { describe, expect, test } from "vitest";
import { csvRow } from "../../shared/csv";
import type { AnalyticsReport } from "../model";
import { reportCsvRows } from "./csv";

const day = (d: string) => new Date(`${d}T00:00:00Z`);
const report: AnalyticsReport = {
  campaignId: "c1",
  campaignName: "Rivera 2026",
  dateRange: { start: day("2026-11-01"), end: day("2026-11-03") },
  granularity: "hour",
  summary: {
    totalMentions: 3,
    averageSentiment: -0.2,
    totalReach: 300,
    engagementRate: 0.01,
    crisisEvents: 1,
    topKeywords: ["Rivera", "jobs"],
    growthRate: 50,
    previousPeriodMentions: 2,
    positiveMentions: 1,
    neutralMentions: 0,
    negativeMentions: 2,
    totalEngagement: 3,
  },
  mentionTrends: [{ date: day("2026-11-01"), mentions: 3, reach: 300, engagement: 3 }],
  sentimentAnalysis: [{ date: day("2026-11-01"), averageSentiment: -0.2, positive: 1, neutral: 0, negative: 2 }],
  competitorComparison: [{ competitor: "Kessler", mentions: 2, shareOfVoice: 0.4, averageSentiment: -0.1, reach: 20, engagement: 2, positive: 0, negative: 1 }],
  influencerPerformance: [{ author: "@OhioPolitics", platform: "twitter", mentions: 2, reach: 9000, engagement: 30, averageSentiment: -0.5 }],
  platformBreakdown: [{ platform: "news", mentions: 3, share: 1, averageSentiment: -0.2, reach: 300, engagement: 3 }],
  keywordPerformance: [{ keyword: "Rivera", mentions: 3, averageSentiment: -0.2, reach: 300 }],
  topMentions: [
    {
      mentionId: "m1",
      platform: "news",
      author: "x",
      text: "=1+1 Rivera",
      url: "",
      sentiment: -0.5,
      reach: 100,
      engagement: 1,
      timestamp: new Date("2026-11-01T15:00:00Z"),
    },
  ],
  recommendations: ["Respond"],
  recommendationDetails: [{ rule: "negative-share", priority: "high", figure: "negativeShare" as never, value: 0.66, threshold: 0.4, message: "Respond" }],
  generatedAt: new Date("2026-11-03T12:00:00Z"),
};

describe("an analytics report as CSV tables", () => {
  test("every table with its title and header; times in the campaign's zone; mention text guarded", () => {
    const rows = reportCsvRows(report, "America/New_York");
    const titles = rows.filter((r) => r.length === 1).map((r) => r[0]);
    expect(titles).toEqual(["Summary", "Trend", "Platforms", "Keywords", "Competitors", "Influencers", "Top mentions", "Recommendations"]);
    expect(rows).toContainEqual(["start", "2026-10-31T20:00:00-04:00"]);
    expect(rows).toContainEqual(["timeZone", "America/New_York"]);
    expect(rows).toContainEqual(["2026-10-31T20:00:00-04:00", 3, 300, 3, -0.2, 1, 0, 2]);
    expect(rows).toContainEqual(["@OhioPolitics", "twitter", 2, 9000, 30, -0.5]);
    const text = rows.map(csvRow).join("");
    // 1 November 2026 is the day New York leaves daylight saving (at 06:00 UTC): -04:00 at midnight, -05:00 by 15:00 UTC.
    expect(text).toContain("2026-11-01T10:00:00-05:00,news,x,'=1+1 Rivera,,-0.5");
    expect(text).toContain("'@OhioPolitics,twitter");
  });

  test("competitor and influencer tables only when the report has them", () => {
    const rows = reportCsvRows({ ...report, competitorComparison: [], influencerPerformance: [] }, "UTC");
    const titles = rows.filter((r) => r.length === 1).map((r) => r[0]);
    expect(titles).not.toContain("Competitors");
    expect(titles).not.toContain("Influencers");
    expect(rows).toContainEqual(["start", "2026-11-01T00:00:00Z"]);
  });
});
