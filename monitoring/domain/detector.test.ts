// The crisis detector against the reference cases of docs/crisis-cases.md (five seeds each, plus
// variations of their parameters), the horizon rule, explanations, state round trips and config.
import { describe, expect, test } from "vitest";
import { buildCase, caseConfig, mentionsAt, minuteOf, replayCase, type CaseName, type CaseOptions, type ReferenceCase } from "../testdata/cases";
import { CrisisDetector, DetectorConfigError, DetectorStateError, resolveConfig } from "./detector";
import { distinctTerms } from "./text";
import type { AlertType, DetectorEvent, DetectorMention } from "./types";

const MINUTE = 60_000;
const SEEDS = [11, 22, 33, 44, 55];

interface Run {
  c: ReferenceCase;
  events: DetectorEvent[];
}

const runs = new Map<string, Run>();

/** Replays a case minute by minute (memoised: several tests look at the same replay). */
function run(name: CaseName, options: CaseOptions = {}): Run {
  const key = `${name} ${JSON.stringify(options)}`;
  let r = runs.get(key);
  if (!r) {
    const c = buildCase(name, options);
    r = { c, events: replayCase(c) };
    runs.set(key, r);
  }
  return r;
}

const minute = (r: Run, e: DetectorEvent) => minuteOf(r.c, e.at);
const triggerKinds = (e: DetectorEvent) => e.alert.triggers.map((t) => t.kind);
const ofType = (events: DetectorEvent[], type: AlertType) => events.filter((e) => e.alert.type === type);
const distinctIds = (events: DetectorEvent[]) => new Set(events.map((e) => e.alert.id));
const describeEvents = (r: Run) => r.events.map((e) => `${e.kind} ${e.alert.type}/${e.alert.severity} at ${minute(r, e)}`).join("; ");

function expectQuiet(r: Run): void {
  expect(describeEvents(r)).toBe("");
}

function expectTimelyCrisis(r: Run, onset: number, withinMinutes: number): DetectorEvent {
  const crisis = ofType(r.events, "CRISIS")[0];
  expect(crisis, describeEvents(r)).toBeDefined();
  expect(minute(r, crisis) - onset).toBeGreaterThan(0);
  expect(minute(r, crisis) - onset).toBeLessThanOrEqual(withinMinutes);
  return crisis;
}

function expectScandalCaught(r: Run): void {
  expect(r.events.filter((e) => minute(r, e) < r.c.marks.onset)).toEqual([]);
  const crisis = expectTimelyCrisis(r, r.c.marks.onset, 3);
  expect(triggerKinds(crisis)).toEqual(expect.arrayContaining(["MENTION_SPIKE", "SENTIMENT_DROP"]));
  // One crisis, not twenty: one id, opened once.
  expect(distinctIds(ofType(r.events, "CRISIS")).size).toBe(1);
  expect(r.events.filter((e) => e.kind === "opened")).toHaveLength(1);
}

describe.each(SEEDS)("reference cases, seed %i", (seed) => {
  test("steady-noise: 24 h at λ = 8 raise nothing at all", () => {
    expectQuiet(run("steady-noise", { seed }));
  });

  test("scandal: a CRISIS within 3 min of onset naming the spike and the sentiment drop, one crisis not twenty", () => {
    expectScandalCaught(run("scandal", { seed }));
  });

  test("escalation: the second wave escalates the same crisis (severity up), no second crisis", () => {
    const r = run("escalation", { seed });
    const crisis = expectTimelyCrisis(r, r.c.marks.onset, 3);
    expect(distinctIds(ofType(r.events, "CRISIS"))).toEqual(new Set([crisis.alert.id]));
    expect(r.events.filter((e) => e.kind === "opened")).toHaveLength(1);
    const up = r.events.filter((e) => e.kind === "escalated" && e.previousSeverity !== e.alert.severity);
    expect(up.length, describeEvents(r)).toBeGreaterThan(0);
    expect(minute(r, up[0])).toBeGreaterThanOrEqual(r.c.marks.wave);
    expect(minute(r, up[0])).toBeLessThanOrEqual(r.c.marks.wave + 5);
    expect(up[0].alert.id).toBe(crisis.alert.id);
    expect(up[0].alert.severity).toBe("CRITICAL");
  });

  test("resolution: the crisis resolves when things are back to normal, and a new scandal opens a new crisis", () => {
    const r = run("resolution", { seed });
    const first = expectTimelyCrisis(r, r.c.marks.onset, 3);
    const resolved = r.events.find((e) => e.kind === "resolved" && e.alert.id === first.alert.id);
    expect(resolved, describeEvents(r)).toBeDefined();
    expect(minute(r, resolved!)).toBeGreaterThan(r.c.marks.end);
    expect(minute(r, resolved!)).toBeLessThan(r.c.marks.end + 45);
    expect(resolved!.alert.status).toBe("resolved");
    const second = r.events.find((e) => e.kind === "opened" && minute(r, e) >= r.c.marks.secondOnset);
    expect(second?.alert.type).toBe("CRISIS");
    expect(minute(r, second!) - r.c.marks.secondOnset).toBeLessThanOrEqual(3);
    expect(second!.alert.id).not.toBe(first.alert.id);
  });

  test("slow-growth: λ rising from 5 to 15 over 24 h raises nothing", () => {
    expectQuiet(run("slow-growth", { seed }));
  });

  test("evening-peak: nothing on day 3's peak, nor on day 2's (the baseline knows the hour of day)", () => {
    const r = run("evening-peak", { seed });
    expect(r.events.filter((e) => minute(r, e) >= 1440)).toEqual([]);
    // Day 1's peak is news (3.3× what the campaign has ever seen): at most a MENTION_SPIKE, never more.
    expect(r.events.filter((e) => e.kind === "opened").every((e) => e.alert.type === "MENTION_SPIKE")).toBe(true);
  });

  test("sentiment-collapse: a SENTIMENT alert within 10 min at the same volume", () => {
    const r = run("sentiment-collapse", { seed });
    expect(r.events.filter((e) => minute(r, e) < r.c.marks.onset)).toEqual([]);
    const first = r.events[0];
    expect(first?.alert.type, describeEvents(r)).toBe("SENTIMENT");
    expect(triggerKinds(first)).toContain("SENTIMENT_DROP");
    expect(minute(r, first) - r.c.marks.onset).toBeLessThanOrEqual(10);
    // The crisis score stays below 0.8 without a volume spike, so it does not become a CRISIS.
    expect(ofType(r.events, "CRISIS")).toEqual([]);
  });

  test("cold-start: a new campaign's overwhelming negative burst is a CRISIS within 2 min", () => {
    const r = run("cold-start", { seed });
    const crisis = expectTimelyCrisis(r, 0, 2);
    expect(triggerKinds(crisis)).toEqual(expect.arrayContaining(["MENTION_SPIKE", "SENTIMENT_DROP"]));
    expect(distinctIds(r.events).size).toBe(1);
  });

  test("tiny-blip: 6 mentions on a base of 1 a minute are not significant", () => {
    expectQuiet(run("tiny-blip", { seed }));
  });

  test("positive-viral: a MENTION_SPIKE, never a CRISIS", () => {
    const r = run("positive-viral", { seed });
    expect(r.events.map((e) => e.alert.type)).not.toContain("CRISIS");
    expect(r.events.map((e) => e.alert.type)).not.toContain("SENTIMENT");
    const spike = r.events.find((e) => e.kind === "opened");
    expect(spike?.alert.type, describeEvents(r)).toBe("MENTION_SPIKE");
    expect(minute(r, spike!) - r.c.marks.onset).toBeLessThanOrEqual(3);
    expect(spike!.alert.sentimentImpact).toBeGreaterThan(0);
  });

  test("engagement-drop: an ENGAGEMENT_DROP within 30 min, no CRISIS", () => {
    const r = run("engagement-drop", { seed });
    expect(r.events.filter((e) => minute(r, e) < r.c.marks.onset)).toEqual([]);
    expect(new Set(r.events.map((e) => e.alert.type))).toEqual(new Set(["ENGAGEMENT_DROP"]));
    const drop = r.events[0];
    expect(minute(r, drop) - r.c.marks.onset).toBeLessThanOrEqual(30);
    const trigger = drop.alert.triggers[0];
    expect(trigger.kind).toBe("ENGAGEMENT_DROP");
    expect(trigger.change).toBeLessThanOrEqual(-0.5);
  });

  test("custom-threshold: at mentionSpike 12, nothing from volume alone at 7.5×; the sentiment trigger still fires", () => {
    const r = run("custom-threshold", { seed });
    expect(r.events.flatMap(triggerKinds)).not.toContain("MENTION_SPIKE");
    const first = r.events[0];
    expect(first?.alert.type, describeEvents(r)).toBe("SENTIMENT");
    expect(triggerKinds(first)).toEqual(["SENTIMENT_DROP"]);
    expect(minute(r, first) - r.c.marks.onset).toBeLessThanOrEqual(3);
  });

  test("competitor-surge: a COMPETITOR alert naming the competitor, no CRISIS", () => {
    const r = run("competitor-surge", { seed });
    expect(new Set(r.events.map((e) => e.alert.type)), describeEvents(r)).toEqual(new Set(["COMPETITOR"]));
    const surge = r.events[0];
    expect(surge.alert.competitor).toBe("Smith");
    expect(minute(r, surge) - r.c.marks.onset).toBeLessThanOrEqual(3);
    expect(surge.alert.topMentions.every((m) => /smith/i.test(m.text))).toBe(true);
    expect(surge.alert.topTerms.map((t) => t.term)).not.toContain("smith");
  });
});

describe("the same cases with slightly different parameters", () => {
  const seeds = [7, 8];
  test.each(seeds)("scandals from 45 to 70 a minute, milder or noisier, are caught within 3 min (seed %i)", (seed) => {
    for (const options of [
      { burstRate: 45 },
      { burstRate: 50, burstSentiment: -0.5 },
      { burstRate: 70, burstSentiment: -0.45, sentimentSd: 0.35 },
      { baseRate: 4, burstRate: 30 },
      { baseRate: 20, burstRate: 150, reachSigma: 2, engagementSigma: 1.5 },
    ]) {
      expectScandalCaught(run("scandal", { ...options, seed }));
    }
  });

  test.each(seeds)("quiet series stay quiet: blips of 6–8, stronger evening peaks, other volumes (seed %i)", (seed) => {
    expectQuiet(run("tiny-blip", { seed, blipSize: 8, burstSentiment: -0.6 }));
    expectQuiet(run("tiny-blip", { seed, blipSize: 6, baseRate: 0.5 }));
    expectQuiet(run("steady-noise", { seed, baseRate: 30, sentimentSd: 0.4 }));
    expectQuiet(run("slow-growth", { seed, baseRate: 3, burstRate: 20 }));
    // A 6.7× evening peak is news on day 1, not on day 3.
    const peak = run("evening-peak", { seed, peakRate: 40 });
    expect(peak.events.filter((e) => minute(peak, e) >= 1440)).toEqual([]);
    const longer = run("evening-peak", { seed, peakFromHour: 18, peakToHour: 22, peakRate: 25 });
    expect(longer.events.filter((e) => minute(longer, e) >= 1440)).toEqual([]);
  });

  test.each(seeds)("the positive cases still fire with other parameters (seed %i)", (seed) => {
    const cold = run("cold-start", { seed, blipSize: 300, burstSentiment: -0.7 });
    expectTimelyCrisis(cold, 0, 2);
    const escalation = run("escalation", { seed, waveRate: 120 });
    expect(escalation.events.some((e) => e.kind === "escalated" && e.alert.severity === "CRITICAL")).toBe(true);
    const resolution = run("resolution", { seed, gapMinutes: 60 });
    expect(distinctIds(ofType(resolution.events, "CRISIS")).size).toBe(2);
    const collapse = run("sentiment-collapse", { seed, baseRate: 5, collapseSentiment: -0.2 });
    expect(collapse.events[0]?.alert.type).toBe("SENTIMENT");
    expect(minute(collapse, collapse.events[0]) - collapse.c.marks.onset).toBeLessThanOrEqual(10);
    const viral = run("positive-viral", { seed, burstRate: 100, burstSentiment: 0.3 });
    expect(viral.events.map((e) => e.alert.type)).toEqual(expect.arrayContaining(["MENTION_SPIKE"]));
    expect(viral.events.map((e) => e.alert.type)).not.toContain("CRISIS");
    const engagement = run("engagement-drop", { seed, engagementSigma: 1.2, baseRate: 6 });
    expect(engagement.events[0]?.alert.type).toBe("ENGAGEMENT_DROP");
    expect(minute(engagement, engagement.events[0]) - engagement.c.marks.onset).toBeLessThanOrEqual(30);
  });
});

describe("event time and the horizon", () => {
  test("a backfilled scandal (older than the 2 h horizon) updates the baselines but opens nothing", () => {
    const c = buildCase("scandal", { seed: 3 });
    const detector = new CrisisDetector(caseConfig(c));
    const now = c.start + (c.minutes + 24 * 60) * MINUTE;
    const events: DetectorEvent[] = [];
    for (let from = 0; from < c.minutes; from += 60) {
      const batch: DetectorMention[] = [];
      for (let m = from; m < Math.min(from + 60, c.minutes); m++) batch.push(...mentionsAt(c, m));
      events.push(...detector.ingest(batch, now));
    }
    expect(events).toEqual([]);
    expect(detector.openAlerts()).toEqual([]);
    // History moved event time only to its own end, and taught the baselines (the scandal barely).
    expect(detector.watermark).toBeLessThanOrEqual(c.start + c.minutes * MINUTE);
    const learned = detector.baseline();
    expect(learned.warm).toBe(true);
    expect(learned.mentionsPerMinute).toBeGreaterThan(6);
    expect(learned.mentionsPerMinute).toBeLessThan(11);
    expect(learned.sentiment).toBeGreaterThan(0.05);
    expect(learned.sentiment).toBeLessThan(0.25);
  });

  test("late mentions older than the horizon count in the baselines only; recent late ones still count", () => {
    const c = buildCase("steady-noise", { seed: 4 });
    const live = new CrisisDetector(caseConfig(c));
    replayCase(c, live);
    const now = c.start + c.minutes * MINUTE;
    const before = live.baseline().level;
    const burst = (ageMinutes: number, prefix: string): DetectorMention[] =>
      Array.from({ length: 600 }, (_, i) => ({
        id: `${prefix}-${i}`,
        platform: "twitter",
        author: "@late",
        text: "Rivera leaked emails scandal bribery",
        sentiment: -0.7,
        reach: 1000,
        engagement: 10,
        timestamp: now - ageMinutes * MINUTE + (i % 60) * 1000,
      }));
    const resumed = CrisisDetector.fromJSON(caseConfig(c), live.toJSON());
    expect(live.ingest(burst(180, "old"), now)).toEqual([]);
    expect(live.baseline().level).toBeGreaterThan(before);
    // The same burst 2 minutes ago is late too, but recent: it is in the windows, and a crisis.
    const events = resumed.ingest(burst(2, "recent"), now);
    expect(events.map((e) => e.alert.type)).toContain("CRISIS");
  });

  test("live batches catch a scandal within seconds of its onset, on the batch that carries it", () => {
    const c = buildCase("scandal", { seed: 5 });
    const detector = new CrisisDetector(caseConfig(c));
    for (let m = 0; m < c.marks.onset; m++) detector.ingest(mentionsAt(c, m), c.start + (m + 1) * MINUTE);
    const onset = c.start + c.marks.onset * MINUTE;
    const first = mentionsAt(c, c.marks.onset);
    let detectedAfter: number | null = null;
    for (let second = 5; second <= 60 && detectedAfter === null; second += 5) {
      const now = onset + second * 1000;
      const batch = first.filter((m) => +m.timestamp <= now && +m.timestamp > now - 5000);
      if (detector.ingest(batch, now).some((e) => e.alert.type === "CRISIS")) detectedAfter = second;
    }
    expect(detectedAfter).not.toBeNull();
    expect(detectedAfter!).toBeLessThanOrEqual(45);
  });

  test("mention by mention in any order, with advanceTo for the passing minutes, gives the same alerts", () => {
    const c = buildCase("scandal", { seed: 6 });
    const byMinute = replayCase(c).map((e) => [e.kind, e.alert.type, e.alert.id]);
    const detector = new CrisisDetector(caseConfig(c));
    const events: DetectorEvent[] = [];
    for (let m = 0; m < c.minutes; m++) {
      const mentions = mentionsAt(c, m).reverse();
      // Out of order within the minute, one at a time, without a caller clock...
      for (const mention of mentions) events.push(...detector.ingest([mention]));
      // ...then the end of the minute.
      events.push(...detector.advanceTo(c.start + (m + 1) * MINUTE));
    }
    const crisis = events.find((e) => e.alert.type === "CRISIS");
    expect(crisis).toBeDefined();
    expect(minuteOf(c, crisis!.at) - c.marks.onset).toBeLessThanOrEqual(3);
    expect(distinctIds(ofType(events, "CRISIS")).size).toBe(1);
    expect(events.filter((e) => e.kind === "resolved").length).toBe(byMinute.filter(([kind]) => kind === "resolved").length);
  });

  test("silence resolves an open crisis through advanceTo alone (once the last hour's mentions are calm)", () => {
    const c = buildCase("scandal", { seed: 8 });
    const detector = new CrisisDetector(caseConfig(c));
    for (let m = 0; m < c.marks.end; m++) detector.ingest(mentionsAt(c, m), c.start + (m + 1) * MINUTE);
    expect(detector.openAlerts().map((a) => a.type)).toEqual(["CRISIS"]);
    const events = detector.advanceTo(c.start + (c.marks.end + 90) * MINUTE);
    expect(events.map((e) => e.kind)).toEqual(["resolved"]);
    expect(detector.openAlerts()).toEqual([]);
  });
});

describe("explanations", () => {
  test("a scandal's CRISIS explains itself: triggers with observed, baseline and threshold, platforms, reach, impact, terms and mentions", () => {
    const r = run("scandal", { seed: SEEDS[0] });
    const alert = ofType(r.events, "CRISIS")[0].alert;
    const spike = alert.triggers.find((t) => t.kind === "MENTION_SPIKE")!;
    expect(spike.threshold).toBe(5);
    expect(spike.observed / spike.baseline).toBeGreaterThanOrEqual(5);
    expect(spike.baseline).toBeGreaterThan(6);
    expect(spike.baseline).toBeLessThan(10);
    expect(spike.pValue).toBeLessThan(1e-7);
    expect(spike.message).toMatch(/threshold 5×/);
    const drop = alert.triggers.find((t) => t.kind === "SENTIMENT_DROP")!;
    expect(drop.threshold).toBe(-0.3);
    expect(drop.baseline).toBeGreaterThan(0.05);
    expect(drop.observed - drop.baseline).toBeLessThanOrEqual(-0.3);
    expect(drop.zScore).toBeLessThanOrEqual(-4.5);
    const score = alert.triggers.find((t) => t.kind === "CRISIS_SCORE")!;
    expect(score.observed).toBeGreaterThanOrEqual(0.8);
    expect(alert.crisisScore).toBeGreaterThanOrEqual(0.8);

    expect(alert.affectedPlatforms[0]).toBe("twitter");
    expect(alert.affectedPlatforms).toEqual(expect.arrayContaining(["twitter", "news", "facebook"]));
    expect(alert.platformBreakdown.reduce((n, p) => n + p.mentions, 0)).toBe(alert.mentions);
    expect(alert.mentions).toBeGreaterThan(40);
    expect(alert.estimatedReach).toBeGreaterThan(alert.mentions * 100);
    expect(alert.negativeReach).toBeGreaterThan(alert.estimatedReach / 2);
    expect(alert.sentimentImpact).toBeLessThanOrEqual(-0.3);

    const terms = alert.topTerms.map((t) => t.term);
    const scandalWords = [
      "scandal",
      "leaked",
      "emails",
      "bribery",
      "investigation",
      "resign",
      "lied",
      "coverup",
      "fraud",
      "donor",
      "kickbacks",
      "riveragate",
      "shameful",
      "corrupt",
      "subpoena",
      "prosecutors",
      "disgrace",
    ];
    expect(terms.filter((t) => scandalWords.includes(t)).length).toBeGreaterThanOrEqual(4);
    for (const t of alert.topTerms) {
      expect(distinctTerms(t.term).has(t.term)).toBe(true); // no stopwords, handles or numbers
      expect(t.lift).toBeGreaterThanOrEqual(1.5);
    }
    expect(alert.topMentions.length).toBe(5);
    expect(alert.topMentions.every((m) => m.sentiment <= -0.25)).toBe(true);
    const reaches = alert.topMentions.map((m) => m.reach);
    expect(reaches).toEqual([...reaches].sort((a, b) => b - a));
    expect(alert.recommendedActions[0]).toMatch(/rapid-response/);
    expect(alert.title).toMatch(/^Crisis: mentions \d+(\.\d)?x usual, sentiment /); // alerting's wording (shared/story.ts)
    expect(alert.summary).toContain("Estimated reach");
  });

  test("the resolved event carries the crisis's totals and its evidence", () => {
    const r = run("resolution", { seed: SEEDS[1] });
    const opened = r.events.find((e) => e.kind === "opened")!;
    const resolved = r.events.find((e) => e.kind === "resolved" && e.alert.id === opened.alert.id)!;
    expect(resolved.alert.resolvedAt).toBe(resolved.at);
    expect(resolved.alert.mentions).toBeGreaterThan(opened.alert.mentions);
    expect(resolved.alert.topTerms.length).toBeGreaterThan(0);
    expect(resolved.alert.topMentions.length).toBeGreaterThan(0);
  });
});

describe("state", () => {
  test("persisting and resuming mid-crisis (through JSON text), or looking at the open alerts, changes nothing", () => {
    const c = buildCase("escalation", { seed: 9 });
    const straight = replayCase(c);
    let detector = new CrisisDetector(caseConfig(c));
    const events: DetectorEvent[] = [];
    for (let m = 0; m < c.minutes; m++) {
      if (m > c.marks.onset + 1 && m <= c.marks.end) expect(detector.openAlerts().map((a) => a.type)).toEqual(["CRISIS"]);
      if (m === 700 || m === c.marks.onset + 5) detector = CrisisDetector.fromJSON(caseConfig(c), JSON.stringify(detector.toJSON()));
      events.push(...detector.ingest(mentionsAt(c, m), c.start + (m + 1) * MINUTE));
    }
    expect(events).toEqual(straight);
  });

  test("a state only resumes for its own campaign and version", () => {
    const detector = new CrisisDetector({ campaignId: "a" });
    detector.advanceTo(Date.UTC(2024, 0, 1));
    expect(() => CrisisDetector.fromJSON({ campaignId: "b" }, detector.toJSON())).toThrow(DetectorStateError);
    expect(() => CrisisDetector.fromJSON({ campaignId: "a" }, { ...detector.toJSON(), version: 99 })).toThrow(DetectorStateError);
    expect(() => CrisisDetector.fromJSON({ campaignId: "a" }, "{not json")).toThrow(DetectorStateError);
  });

  test("the same input gives the same alert ids (replays can upsert)", () => {
    const a = replayCase(buildCase("scandal", { seed: 12 })).map((e) => e.alert.id);
    const b = replayCase(buildCase("scandal", { seed: 12 })).map((e) => e.alert.id);
    expect(a).toEqual(b);
    expect(a[0]).toMatch(/^case-scandal:conversation:2024-03-04T23:01:00.000Z$/);
  });
});

describe("configuration", () => {
  test("the seed's thresholds are the defaults, and drops are read as falls whatever their sign", () => {
    expect(resolveConfig({ campaignId: "c" }).thresholds).toEqual({ sentimentDrop: -0.3, mentionSpike: 5, crisisScore: 0.8, engagementDrop: -0.5 });
    expect(resolveConfig({ campaignId: "c", thresholds: { sentimentDrop: 0.4, engagementDrop: 0.6 } }).thresholds).toMatchObject({
      sentimentDrop: -0.4,
      engagementDrop: -0.6,
    });
  });

  test.each([
    [{ mentionSpike: 1 }],
    [{ mentionSpike: Number.NaN }],
    [{ crisisScore: 0 }],
    [{ crisisScore: 1.5 }],
    [{ sentimentDrop: 0 }],
    [{ engagementDrop: -1 }],
  ])("thresholds %j are refused", (thresholds) => {
    expect(() => resolveConfig({ campaignId: "c", thresholds })).toThrow(DetectorConfigError);
  });

  test("options that cannot work are refused", () => {
    expect(() => resolveConfig({ campaignId: "" })).toThrow(DetectorConfigError);
    expect(() => resolveConfig({ campaignId: "c", options: { volumeWindowsMinutes: [0] } })).toThrow(DetectorConfigError);
    expect(() => resolveConfig({ campaignId: "c", options: { horizonMinutes: 10 } })).toThrow(DetectorConfigError);
    expect(() => resolveConfig({ campaignId: "c", options: { prior: { mentionsPerMinute: 0 } } })).toThrow(DetectorConfigError);
  });

  test("bad mentions are skipped or clamped, never thrown on", () => {
    const detector = new CrisisDetector({ campaignId: "c" });
    const t = Date.UTC(2024, 0, 1);
    const events = detector.ingest([
      { id: "1", platform: "", text: "", sentiment: 7, reach: -5, engagement: Number.NaN, timestamp: t },
      { id: "2", platform: "x", text: "hello", sentiment: 0, reach: 1, engagement: 1, timestamp: new Date("not a date") },
    ]);
    expect(events).toEqual([]);
    expect(detector.watermark).toBe(t);
  });
});
