import { describe, expect, test } from "vitest";
import { localMinuteOfDay, normalizeTimeZone, parseClock, quietUntil } from "./time-zone";

describe("time zones", () => {
  test("names are checked and made canonical", () => {
    expect(normalizeTimeZone("UTC")).toBe("UTC");
    expect(normalizeTimeZone("america/los_angeles")).toBe("America/Los_Angeles");
    expect(normalizeTimeZone("Mars/Base")).toBeNull();
    expect(normalizeTimeZone("")).toBeNull();
  });

  test("local minute of the day, clocks", () => {
    expect(localMinuteOfDay(new Date("2026-07-01T23:30:00Z"), "Europe/Paris")).toBe(90); // 01:30 CEST
    expect(localMinuteOfDay(new Date("2026-01-01T03:05:00Z"), "America/New_York")).toBe(22 * 60 + 5);
    expect(parseClock("07:30")).toBe(450);
    expect(parseClock("7:30")).toBeNull();
    expect(parseClock("24:00")).toBeNull();
  });

  test("quiet hours: overnight and same-day windows, in the contact's zone; the end is the local end", () => {
    // 23:30 in Paris (21:30 UTC in summer), quiet 22:00-07:00: quiet until 07:00 Paris = 05:00 UTC.
    expect(quietUntil(new Date("2026-07-01T21:30:20Z"), "Europe/Paris", 1320, 420)).toEqual(new Date("2026-07-02T05:00:00Z"));
    // 06:59 Paris: one minute left.
    expect(quietUntil(new Date("2026-07-02T04:59:00Z"), "Europe/Paris", 1320, 420)).toEqual(new Date("2026-07-02T05:00:00Z"));
    // 07:00 and 21:59 Paris: not quiet.
    expect(quietUntil(new Date("2026-07-02T05:00:00Z"), "Europe/Paris", 1320, 420)).toBeNull();
    expect(quietUntil(new Date("2026-07-02T19:59:00Z"), "Europe/Paris", 1320, 420)).toBeNull();
    // A same-day window 12:00-14:00 in New York.
    expect(quietUntil(new Date("2026-01-15T17:30:00Z"), "America/New_York", 720, 840)).toEqual(new Date("2026-01-15T19:00:00Z"));
    expect(quietUntil(new Date("2026-01-15T19:30:00Z"), "America/New_York", 720, 840)).toBeNull();
  });
});
