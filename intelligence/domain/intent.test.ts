import { describe, expect, test } from "vitest";
import { composeOfflineReply, matchIntents, searchTerms, windowHours } from "./intent";
import type { ToolOutcome } from "./tools";

describe("matchIntents", () => {
  test.each([
    ["How is sentiment looking?", ["get_sentiment"]],
    ["Who is attacking us, and what are the worst negative posts this week?", ["get_top_negative_mentions"]],
    ["Any open crises or alerts?", ["get_open_crises_and_alerts"]],
    ["What are our impressions and ROI?", ["get_campaign_metrics"]],
    ["Which campaigns can I see?", ["list_campaigns"]],
    ["What do the documents say about the transit plan?", ["search_knowledge_base"]],
    ["Hello there", ["get_sentiment", "get_open_crises_and_alerts"]],
  ])("%s → %j", (q, tools) => {
    expect(matchIntents(q).map((i) => i.tool)).toEqual(tools);
  });

  test("the window travels into the arguments", () => {
    expect(matchIntents("sentiment over the last 3 days")[0]!.args).toEqual({ hours: 72 });
    expect(matchIntents("negative mentions this week")[0]!.args).toEqual({ hours: 168 });
  });

  test("a search carries the question's content words", () => {
    expect(matchIntents("find documents about the stadium tax")[0]!.args).toEqual({ query: "stadium tax" });
  });
});

test("windowHours reads hours, days, weeks, bounded to 30 days", () => {
  expect(windowHours("last 6 hours")).toBe(6);
  expect(windowHours("past 2 weeks")).toBe(336);
  expect(windowHours("999 days")).toBe(720);
  expect(windowHours("yesterday")).toBe(48);
  expect(windowHours("now")).toBe(24);
});

test("searchTerms prefers a quoted phrase", () => {
  expect(searchTerms('search for "Rivera transit plan" please')).toBe("Rivera transit plan");
});

test("the offline reply is marked and carries the tools' lines", () => {
  const outcome: ToolOutcome = { name: "get_sentiment", args: { hours: 24 }, ok: true, content: {}, figures: [], lines: ["Sentiment: average 0.35 across 4 mentions."] };
  const reply = composeOfflineReply([outcome], "no model configured");
  expect(reply.split("\n")[0]).toMatch(/^\[Offline mode: no model configured\./);
  expect(reply).toContain("average 0.35 across 4 mentions");
});
