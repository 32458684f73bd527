// The PDF layout holds whatever the figures are: long texts and names, emoji, many rows and
// recommendations, or nothing at all, always on PAGES pages (text checked with unpdf).
import { describe, expect, test } from "vitest";
import { extractText, getDocumentProxy } from "unpdf";
import type { AnalyticsReport } from "../model";
import { PAGES, printable, renderReportPdf } from "./pdf";

const DAY = 86_400_000;
const start = new Date("2026-10-01T00:00:00Z");

function report(over: Partial<AnalyticsReport> = {}): AnalyticsReport {
  const days = 30;
  return {
    campaignId: "c",
    campaignName: "Rivera for Ohio",
    dateRange: { start, end: new Date(start.getTime() + days * DAY) },
    granularity: "day",
    summary: {
      totalMentions: 0,
      averageSentiment: 0,
      totalReach: 0,
      engagementRate: 0,
      crisisEvents: 0,
      topKeywords: [],
      growthRate: 0,
      previousPeriodMentions: 0,
      positiveMentions: 0,
      neutralMentions: 0,
      negativeMentions: 0,
      totalEngagement: 0,
    },
    mentionTrends: Array.from({ length: days }, (_, i) => ({ date: new Date(start.getTime() + i * DAY), mentions: 0, reach: 0, engagement: 0 })),
    sentimentAnalysis: Array.from({ length: days }, (_, i) => ({
      date: new Date(start.getTime() + i * DAY),
      averageSentiment: 0,
      positive: 0,
      neutral: 0,
      negative: 0,
    })),
    competitorComparison: [],
    influencerPerformance: [],
    platformBreakdown: [],
    keywordPerformance: [],
    topMentions: [],
    recommendations: [],
    recommendationDetails: [],
    generatedAt: new Date("2026-11-01T00:00:00Z"),
    ...over,
  };
}

async function pages(r: AnalyticsReport): Promise<{ totalPages: number; text: string[] }> {
  const bytes = new Uint8Array(await renderReportPdf(r, "report-1"));
  return extractText(await getDocumentProxy(bytes), { mergePages: false });
}

describe("renderReportPdf", () => {
  test("an empty report keeps every page", async () => {
    const { totalPages, text } = await pages(report());
    expect(totalPages).toBe(PAGES);
    expect(text[1]).toContain("n/a");
    expect(text[4]).toContain("No mentions in this period.");
  });

  test("long texts, emoji and full tables stay on their pages", async () => {
    const long = "Rivera’s plan — “jobs” 😀 ".repeat(40).slice(0, 280);
    const r = report({
      campaignName: "A very long campaign name ".repeat(6),
      summary: {
        ...report().summary,
        totalMentions: 123456,
        averageSentiment: -0.321,
        totalReach: 9876543,
        engagementRate: 0.0123,
        crisisEvents: 3,
        topKeywords: ["a", "b", "c", "d", "e"],
        growthRate: 12.5,
        previousPeriodMentions: 100,
        positiveMentions: 1,
        neutralMentions: 2,
        negativeMentions: 3,
      },
      topMentions: Array.from({ length: 10 }, (_, i) => ({
        mentionId: `m${i}`,
        platform: "twitter".repeat(5),
        author: "@".repeat(80),
        text: long,
        url: "",
        sentiment: -0.5,
        reach: 1e9,
        engagement: 1,
        timestamp: start,
      })),
      influencerPerformance: Array.from({ length: 15 }, (_, i) => ({
        author: `author-with-a-very-long-name-${i}`.repeat(3),
        platform: "instagram",
        mentions: 1e6,
        reach: 1e12,
        engagement: 1e9,
        averageSentiment: 0.5,
      })),
      keywordPerformance: Array.from({ length: 20 }, (_, i) => ({ keyword: `keyword ${i}`, mentions: 10, averageSentiment: 0.1, reach: 100 })),
      competitorComparison: Array.from({ length: 12 }, (_, i) => ({
        competitor: `rival ${i}`,
        mentions: 10,
        shareOfVoice: 0.05,
        averageSentiment: 0,
        reach: 1,
        engagement: 1,
        positive: 1,
        negative: 1,
      })),
      platformBreakdown: Array.from({ length: 12 }, (_, i) => ({
        platform: `platform ${i}`,
        mentions: 100 - i,
        share: 0.08,
        averageSentiment: -0.2,
        reach: 1,
        engagement: 1,
      })),
      recommendationDetails: Array.from({ length: 11 }, (_, i) => ({
        rule: `r${i}`,
        priority: "high" as const,
        figure: "averageSentiment" as const,
        value: -0.3,
        threshold: -0.2,
        message: `Advice ${i}: ${long}`,
      })),
    });
    const { totalPages, text } = await pages(r);
    expect(totalPages).toBe(PAGES);
    expect(text[1]).toContain("123,456");
    expect(text[1]).toContain("-0.321");
    expect(text[1]).toContain("+12.5%");
    expect(text[PAGES - 1]).toContain(`Page ${PAGES} of ${PAGES}`);
  });

  test("text the standard fonts cannot show is replaced, WinAnsi punctuation kept", () => {
    expect(printable("José “Rivera” — 😀 中文\nok")).toBe("José “Rivera” — ? ?? ok");
  });
});
