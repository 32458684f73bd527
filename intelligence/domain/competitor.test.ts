import { expect, test } from "vitest";
import { competitorFigures, namesCompetitor, type CompetitorSample } from "./competitor";

const now = new Date("2026-03-10T12:00:00Z");
const m = (text: string, sentiment: number, reach: number, daysAgo: number): CompetitorSample => ({
  author: "a",
  platform: "twitter",
  text,
  sentiment,
  reach,
  url: "",
  timestamp: new Date(now.getTime() - daysAgo * 86_400_000),
});

test("share of voice, sentiment gap, trend and top mentions", () => {
  const sample = [m("Smith is great", 0.6, 100, 0), m("SMITH again", 0.2, 900, 1), m("Rivera rally", -0.2, 50, 0), m("Rivera plan", 0, 10, 2)];
  const f = competitorFigures("Smith", sample, 4, 2, 3, now);
  expect(f).toMatchObject({
    competitorMentions: 2,
    campaignMentions: 2,
    shareOfVoice: 0.5,
    competitorSentiment: 0.4,
    campaignSentiment: -0.1,
    sentimentGap: 0.5,
    competitorReach: 1000,
  });
  expect(f.trend).toEqual([
    { date: "2026-03-08", competitorMentions: 0, campaignMentions: 1 },
    { date: "2026-03-09", competitorMentions: 1, campaignMentions: 0 },
    { date: "2026-03-10", competitorMentions: 1, campaignMentions: 1 },
  ]);
  expect(f.topMentions.map((x) => x.text)).toEqual(["SMITH again", "Smith is great"]);
});

test("no mentions: zero share, flat trend", () => {
  const f = competitorFigures("Smith", [], 0, 0, 2, now);
  expect(f.shareOfVoice).toBe(0);
  expect(f.trend.map((t) => t.competitorMentions)).toEqual([0, 0]);
});

test("namesCompetitor ignores case", () => {
  expect(namesCompetitor("vote SMITH", "smith")).toBe(true);
  expect(namesCompetitor("vote Rivera", "smith")).toBe(false);
});
