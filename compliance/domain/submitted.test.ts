import { describe, expect, test } from "vitest";
import { checkSubmittedEntry, detailsProblem, MAX_DETAILS_DEPTH } from "./submitted";

const CALLER = "11111111-1111-4111-8111-111111111111";
const CAMPAIGN = "22222222-2222-4222-8222-222222222222";
const OTHER = "33333333-3333-4333-8333-333333333333";

function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) v = { d: v };
  return v;
}

describe("details of a user's entry", () => {
  test("depth: up to 8 levels; 100,000 levels are refused without recursion", () => {
    expect(detailsProblem(nested(MAX_DETAILS_DEPTH))).toBeNull();
    expect(detailsProblem(nested(MAX_DETAILS_DEPTH + 1))).toMatch(/at most 8 levels/);
    expect(detailsProblem(nested(100_000))).toMatch(/at most 8 levels/);
    expect(detailsProblem({ list: [[[[[[[[1]]]]]]]] })).toMatch(/at most 8 levels/);
  });

  test("size and number of values are bounded", () => {
    expect(detailsProblem({ text: "x".repeat(16_000) })).toBeNull();
    expect(detailsProblem({ text: "x".repeat(17_000) })).toMatch(/16 KiB/);
    expect(detailsProblem({ list: Array.from({ length: 2500 }, () => 0) })).toMatch(/at most 2000 values/);
  });

  test("strings and keys must be storable text", () => {
    expect(detailsProblem({ a: "x\u0000y" })).toBe("details.a contains a NUL character");
    expect(detailsProblem({ "k\u0000": 1 })).toMatch(/a key of details contains a NUL/);
    expect(detailsProblem({ a: ["ok", "\udc00"] })).toBe("details.a[1] contains an unpaired UTF-16 surrogate");
    expect(detailsProblem({ a: "😀 paired surrogates are text" })).toBeNull();
    expect(detailsProblem([] as unknown)).toBe("details must be a JSON object");
  });
});

describe("a user's entry", () => {
  test("actions of the services' vocabulary are refused, whatever their case", () => {
    for (const action of ["campaign.deleted", "user.role_changed", "USER.created", "session.anything"]) {
      expect(checkSubmittedEntry({ action, campaignId: CAMPAIGN }, CALLER)).toEqual({ problem: expect.stringMatching(/recorded by the services themselves/) });
    }
    expect(checkSubmittedEntry({ action: "nodot", campaignId: CAMPAIGN }, CALLER)).toEqual({ problem: expect.stringMatching(/thing\.verb/) });
  });

  test("the campaign: campaignId, a campaign target or details.campaignId, and they must agree", () => {
    expect(checkSubmittedEntry({ action: "outreach.call_made", campaignId: CAMPAIGN }, CALLER)).toEqual({
      action: "outreach.call_made",
      campaignId: CAMPAIGN,
      targetType: "campaign",
      targetId: CAMPAIGN,
      details: {},
    });
    expect(checkSubmittedEntry({ action: "outreach.call_made", targetType: "Campaign", targetId: CAMPAIGN.toUpperCase() }, CALLER)).toMatchObject({
      campaignId: CAMPAIGN,
      targetId: CAMPAIGN,
    });
    // About someone, within a campaign: the campaign goes into details, where the store files it.
    expect(checkSubmittedEntry({ action: "volunteer.briefed", campaignId: CAMPAIGN, targetType: "person", targetId: "p-1" }, CALLER)).toEqual({
      action: "volunteer.briefed",
      campaignId: CAMPAIGN,
      targetType: "person",
      targetId: "p-1",
      details: { campaignId: CAMPAIGN },
    });
    expect(checkSubmittedEntry({ action: "a.b", campaignId: CAMPAIGN, targetType: "campaign", targetId: OTHER }, CALLER)).toEqual({
      problem: expect.stringMatching(/same campaign/),
    });
    expect(checkSubmittedEntry({ action: "a.b", campaignId: CAMPAIGN, details: { campaignId: OTHER } }, CALLER)).toEqual({
      problem: expect.stringMatching(/same campaign/),
    });
    expect(checkSubmittedEntry({ action: "a.b", details: { campaignId: 7 } }, CALLER)).toEqual({ problem: expect.stringMatching(/UUID|same campaign/) });
    expect(checkSubmittedEntry({ action: "a.b", campaignId: "nope" }, CALLER)).toEqual({ problem: "campaignId must be a campaign's UUID" });
    expect(checkSubmittedEntry({ action: "a.b", targetType: "campaign" }, CALLER)).toEqual({ problem: expect.stringMatching(/campaign target needs/) });
  });

  test("without a campaign the entry is about its target, or the caller (the endpoint lets only admins do that)", () => {
    expect(checkSubmittedEntry({ action: "a.b" }, CALLER)).toMatchObject({ campaignId: null, targetType: "user", targetId: CALLER });
    expect(checkSubmittedEntry({ action: "a.b", targetId: "x" }, CALLER)).toEqual({ problem: "targetType and targetId go together" });
    expect(checkSubmittedEntry({ action: "a.b", targetType: "user", targetId: "a\u0000" }, CALLER)).toEqual({
      problem: "targetId contains a control character",
    });
    expect(checkSubmittedEntry({ action: "a.b", targetType: "has space", targetId: "x" }, CALLER)).toEqual({ problem: expect.stringMatching(/targetType/) });
  });
});
