import { describe, expect, test } from "vitest";
import { defaultScenario, demoMentions, demoMinute, phaseAt } from "./simulator";

const START = Date.UTC(2026, 10, 3, 15, 0, 0);
const s = defaultScenario(START);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("the demo simulator", () => {
  test("is deterministic: a minute is the same mentions with the same ids, whoever computes it", () => {
    expect(demoMinute(s, 7)).toEqual(demoMinute(defaultScenario(START), 7));
    expect(demoMinute(s, 7)).not.toEqual(demoMinute(s, 8));
  });

  test("ids are unique, timestamps inside their minute, fields as the ingest expects", () => {
    const all = demoMentions(s, START - 1, START + 60 * 60_000);
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    for (const m of demoMinute(s, 3)) {
      expect(m.timestamp.getTime()).toBeGreaterThanOrEqual(START + 3 * 60_000);
      expect(m.timestamp.getTime()).toBeLessThan(START + 4 * 60_000);
      expect(m.url).toMatch(/^https:\/\//);
      expect(m.reach).toBeGreaterThanOrEqual(0);
      if (m.sentiment !== undefined) expect(Math.abs(m.sentiment)).toBeLessThanOrEqual(1);
    }
    // Some sources give sentiment, others leave it to the lexicon.
    expect(all.some((m) => m.sentiment === undefined)).toBe(true);
    expect(all.some((m) => m.sentiment !== undefined)).toBe(true);
  });

  test("a window (from, to] splits the feed without gaps or overlaps", () => {
    const whole = demoMentions(s, START, START + 10 * 60_000);
    const halves = [...demoMentions(s, START, START + 277_000), ...demoMentions(s, START + 277_000, START + 10 * 60_000)];
    expect(halves.map((m) => m.id)).toEqual(whole.map((m) => m.id));
  });

  test("a scandal breaks 12 minutes in, grows in a second wave, fades, and comes back every 3 hours", () => {
    expect(phaseAt(s, 11).kind).toBe("calm");
    expect(phaseAt(s, 12).kind).toBe("scandal");
    expect(phaseAt(s, 18).kind).toBe("second-wave");
    expect(phaseAt(s, 28).kind).toBe("fading");
    expect(phaseAt(s, 32).kind).toBe("calm");
    expect(phaseAt(s, 192).kind).toBe("scandal");
    const calm = demoMentions(s, START, START + 10 * 60_000);
    const wave = demoMentions(s, START + 18 * 60_000, START + 28 * 60_000);
    expect(wave.length).toBeGreaterThan(6 * calm.length);
    const sentiment = (ms: typeof calm) => mean(ms.filter((m) => m.sentiment !== undefined).map((m) => m.sentiment!));
    expect(sentiment(calm)).toBeGreaterThan(0);
    expect(sentiment(wave)).toBeLessThan(-0.4);
  });
});
