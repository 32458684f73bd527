import { describe, expect, test } from "vitest";
import { bucketMinutes, containsPattern, decodeCursor, encodeCursor, relativeChange, resolveRange } from "./windows";

const NOW = Date.UTC(2026, 10, 3, 12);

describe("time windows", () => {
  test("a range defaults to the last 24 h and must run forwards, for at most 31 days", () => {
    expect(resolveRange(undefined, undefined, NOW)).toEqual({ ok: true, start: new Date(NOW - 86_400_000), end: new Date(NOW) });
    const end = new Date(NOW - 3_600_000);
    expect(resolveRange(undefined, end, NOW)).toEqual({ ok: true, start: new Date(end.getTime() - 86_400_000), end });
    expect(resolveRange(new Date(NOW), new Date(NOW), NOW)).toEqual({ ok: false, message: "start must be before end" });
    expect(resolveRange(new Date(NOW - 32 * 86_400_000), undefined, NOW)).toMatchObject({ ok: false, message: expect.stringContaining("31 days") });
  });

  test("buckets are the smallest usual size giving at most 96 of them", () => {
    expect(bucketMinutes(60 * 60_000)).toBe(1);
    expect(bucketMinutes(24 * 3_600_000)).toBe(15);
    expect(bucketMinutes(7 * 86_400_000)).toBe(180);
    expect(bucketMinutes(31 * 86_400_000)).toBe(720);
    expect(bucketMinutes(24 * 3_600_000, 48)).toBe(30);
  });

  test("cursors round-trip; anything else is refused", () => {
    const c = { timestamp: new Date(NOW), mentionId: "01a20fc8-7302-79a1-b18e-b45df68163d6" };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ["", "not a cursor!", Buffer.from("2026-01-01T00:00:00Z|nope").toString("base64url"), Buffer.from("garbage").toString("base64url")]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });

  test("a keyword's LIKE wildcards are escaped", () => {
    expect(containsPattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
  });

  test("relative change is null without a before", () => {
    expect(relativeChange(15, 10)).toBe(0.5);
    expect(relativeChange(5, 0)).toBeNull();
  });
});
