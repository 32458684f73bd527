import { describe, expect, test } from "vitest";
import { adWindow, advanceAdCursor, canonicalAccountId, lastDayOf } from "./ads";

const start = new Date("2026-11-01T00:00:00Z");
const end = new Date("2026-12-01T00:00:00Z");

describe("ad windows and cursors", () => {
  test("the first poll fetches from the campaign's first day to today", () => {
    expect(adWindow(null, start, end, new Date("2026-11-10T09:00:00Z"))).toEqual({ since: "2026-11-01", until: "2026-11-10" });
  });

  test("the cursor keeps the last settled day: yesterday and today are fetched again, earlier days never", () => {
    const now = new Date("2026-11-10T09:00:00Z");
    const cursor = advanceAdCursor(null, start, { since: "2026-11-01", until: "2026-11-10" }, now);
    expect(cursor).toEqual({ from: "2026-11-01", through: "2026-11-08" });
    expect(adWindow(cursor, start, end, now)).toEqual({ since: "2026-11-09", until: "2026-11-10" });
    // Nothing settled in a window of moving days: the cursor stays.
    expect(advanceAdCursor(cursor, start, { since: "2026-11-09", until: "2026-11-10" }, now)).toEqual(cursor);
  });

  test("a finished campaign fully fetched: nothing to fetch", () => {
    const now = new Date("2026-12-05T00:00:00Z");
    const cursor = advanceAdCursor(null, start, { since: "2026-11-01", until: "2026-11-30" }, now);
    expect(cursor).toEqual({ from: "2026-11-01", through: "2026-11-30" });
    expect(adWindow(cursor, start, end, now)).toBeNull();
  });

  test("not started yet: nothing to fetch; a start moved earlier refetches from the new start", () => {
    expect(adWindow(null, start, end, new Date("2026-10-20T00:00:00Z"))).toBeNull();
    const cursor = { from: "2026-11-01", through: "2026-11-08" };
    expect(adWindow(cursor, new Date("2026-10-25T00:00:00Z"), end, new Date("2026-11-10T00:00:00Z"))).toEqual({ since: "2026-10-25", until: "2026-11-10" });
  });

  test("an end at midnight is not a campaign day", () => {
    expect(lastDayOf(end)).toBe("2026-11-30");
  });

  test("account ids", () => {
    expect(canonicalAccountId("meta", "act_123")).toBe("act_123");
    expect(canonicalAccountId("meta", "123")).toBe("act_123");
    expect(canonicalAccountId("meta", "act_12a")).toBeNull();
    expect(canonicalAccountId("google", "123-456-7890")).toBe("1234567890");
    expect(canonicalAccountId("google", "1234567890")).toBe("1234567890");
    expect(canonicalAccountId("google", "12-3456-7890")).toBeNull();
    expect(canonicalAccountId("google", "act_1")).toBeNull();
  });
});
