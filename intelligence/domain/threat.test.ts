import { expect, test } from "vitest";
import { assessThreat, levelOf, type ThreatSignals } from "./threat";

const calm: ThreatSignals = {
  windowHours: 24,
  openCrises: [],
  openAlerts: [],
  mentions: 200,
  negative: 10,
  previousNegative: 12,
  totalReach: 500_000,
  hostileAuthors: [{ author: "joe", platform: "twitter", reach: 300, mentions: 1 }],
  hostileInfluencers: [],
  competitors: [{ name: "Smith", mentions: 20, previousMentions: 22, averageSentiment: 0.1 }],
};

test("a calm campaign is low, with evidence for every factor", () => {
  const r = assessThreat(calm);
  expect(r.threatLevel).toBe("low");
  expect(r.score).toBeLessThan(0.25);
  expect(r.factors.map((f) => f.name)).toEqual(["crisis_state", "negative_velocity", "hostile_reach", "influencer_involvement", "competitor_activity"]);
  for (const f of r.factors) {
    expect(f.evidence.length).toBeGreaterThan(0);
    expect(f.score).toBeGreaterThanOrEqual(0);
    expect(f.score).toBeLessThanOrEqual(1);
  }
  expect(r.recommendedActions).toEqual(["No action needed now: keep monitoring."]);
});

test("an open crisis raises the level, more so when critical", () => {
  const high = assessThreat({ ...calm, openCrises: [{ id: "c1", title: "Scandal", severity: "HIGH", status: "open" }] });
  const critical = assessThreat({ ...calm, openCrises: [{ id: "c1", title: "Scandal", severity: "CRITICAL", status: "escalated" }] });
  expect(high.score).toBeGreaterThan(assessThreat(calm).score);
  expect(high.threatLevel).toBe("high");
  expect(critical.threatLevel).toBe("critical");
  expect(critical.factors[0]!.evidence[0]).toContain("Scandal (CRITICAL, escalated)");
  expect(critical.recommendedActions[0]).toMatch(/crisis team/);
});

test("a surge of negative mentions from high-reach authors and influencers raises the score", () => {
  const surge = assessThreat({
    ...calm,
    negative: 150,
    previousNegative: 10,
    hostileAuthors: [
      { author: "bigacct", platform: "twitter", reach: 200_000, mentions: 5 },
      { author: "news", platform: "facebook", reach: 90_000, mentions: 2 },
    ],
    hostileInfluencers: [{ author: "bigacct", platform: "twitter", reach: 200_000, mentions: 5 }],
  });
  const f = new Map(surge.factors.map((x) => [x.name, x]));
  expect(f.get("negative_velocity")!.score).toBeGreaterThan(0.5);
  expect(f.get("hostile_reach")!.score).toBeGreaterThan(0.5);
  expect(f.get("influencer_involvement")!.score).toBeGreaterThan(0.5);
  expect(surge.score).toBeGreaterThan(assessThreat(calm).score + 0.3);
  expect(surge.factors.find((x) => x.name === "hostile_reach")!.evidence[1]).toContain("bigacct on twitter: reach 200000");
});

test("levels cut at 0.25, 0.5, 0.75", () => {
  expect([0, 0.25, 0.5, 0.75, 1].map(levelOf)).toEqual(["low", "medium", "high", "critical", "critical"]);
});
