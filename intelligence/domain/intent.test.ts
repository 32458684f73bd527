import { describe, expect, test } from "vitest";
import { composeOfflineReply, matchIntents, searchTerms, windowHours } from "./intent";
import type { ToolOutcome } from "./tools";

describe("matchIntents", () => {
  test.each([
    ["How is sentiment looking?", ["get_sentiment"]],
    ["Who is attacking us, and what are the worst negative posts this week?", ["get_hostile_voices"]],
    ["Show me the most damaging negative posts", ["get_top_negative_mentions"]],
    ["Any open crises or alerts?", ["get_open_crises_and_alerts"]],
    ["What are our impressions and ROI?", ["get_campaign_metrics"]],
    ["Which campaigns can I see?", ["list_campaigns"]],
    ["What do the documents say about the transit plan?", ["search_knowledge_base"]],
    ["Hello there", ["get_sentiment", "get_open_crises_and_alerts"]],
  ])("%s → %j", (q, tools) => {
    expect(matchIntents(q).map((i) => i.tool)).toEqual(tools);
  });

  const ctx = { competitors: ["Mark Kessler", "Jordan Blake"] };
  test.each([
    ["Why is sentiment dropping today?", ["explain_sentiment"]],
    ["What's driving the negative coverage?", ["explain_sentiment"]],
    ["why are we tanking on twitter", ["explain_sentiment"]],
    ["What happened this morning?", ["explain_sentiment"]],
    ["Compare us to Mark Kessler this week", ["compare_competitor"]],
    ["How do we stack up against Kessler?", ["compare_competitor"]],
    ["How is Kessler doing?", ["compare_competitor"]],
    ["What's our share of voice against the opponent?", ["compare_competitor"]],
    ["Which platform is hurting us most?", ["get_platform_breakdown"]],
    ["Where is the backlash coming from?", ["get_platform_breakdown"]],
    ["Who are our loudest critics?", ["get_hostile_voices"]],
    ["Who's going after us online?", ["get_hostile_voices"]],
    ["Draft a response to the top negative story", ["draft_holding_statement"]],
    ["Write a holding statement about the leaked audio", ["draft_holding_statement"]],
    ["How should we respond?", ["draft_holding_statement"]],
    ["What should we do next?", ["get_recommended_actions"]],
    ["What are our priorities right now?", ["get_recommended_actions"]],
    ["What does our press release say about the leaked audio?", ["search_knowledge_base"]],
    ["what did Kessler say about Social Security", ["search_knowledge_base"]],
    ["Is anything on fire?", ["get_open_crises_and_alerts"]],
  ])("%s → %j", (q, tools) => {
    expect(matchIntents(q, ctx).map((i) => i.tool)).toEqual(tools);
  });

  test("arguments: the competitor named, the days of the window, the statement's topic, the search words", () => {
    expect(matchIntents("Compare us to Kessler this week", ctx)[0]!.args).toEqual({ competitor: "Mark Kessler", days: 7 });
    expect(matchIntents("vs the competition over the last 3 days", ctx)[0]!.args).toEqual({ days: 3 });
    expect(matchIntents("Write a holding statement about the leaked audio")[0]!.args).toEqual({ topic: "leaked audio" });
    expect(matchIntents("Draft a response to the top negative story")[0]!.args).toEqual({});
    expect(matchIntents("what did Kessler say about Social Security", ctx)[0]!.args).toEqual({ query: "kessler social security" });
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
  const outcome: ToolOutcome = {
    name: "get_sentiment",
    args: { hours: 24 },
    ok: true,
    content: {},
    figures: [],
    lines: ["Sentiment: average 0.35 across 4 mentions."],
  };
  const reply = composeOfflineReply([outcome], "no model configured");
  expect(reply.split("\n")[0]).toMatch(/^\[Offline mode: no model configured\./);
  expect(reply).toContain("average 0.35 across 4 mentions");
  const withFigures = composeOfflineReply([{ ...outcome, figures: [{ label: "mentions (last 24 h)", value: 4, source: "monitoring" }] }], "x");
  expect(withFigures).toContain("Figures used: mentions (last 24 h) = 4.\nSources: monitoring.");
});
