import { describe, expect, test } from "vitest";
import { insightTotals, type InsightParts } from "./insights";

const part = (mentions: number, averageSentiment: number, openCrises = 0): InsightParts => ({
  metrics: { impressions: 100, clicks: 10, conversions: 1 },
  monitoring: { mentions, previousMentions: 1, averageSentiment, positive: 1, neutral: 1, negative: 1, reach: 50, engagement: 5, openCrises },
});

describe("insightTotals", () => {
  test("sums the campaigns and weights sentiment by mentions", () => {
    const t = insightTotals([part(30, 0.5, 1), part(10, -0.5, 2)]);
    expect(t).toMatchObject({ mentions: 40, previousMentions: 2, reach: 100, openCrises: 3, impressions: 200, clicks: 20, conversions: 2 });
    expect(t.averageSentiment).toBe(0.25);
  });
  test("no campaigns, or none with mentions: zero sentiment", () => {
    expect(insightTotals([]).averageSentiment).toBe(0);
    expect(insightTotals([part(0, 0.9)]).averageSentiment).toBe(0);
  });
});
