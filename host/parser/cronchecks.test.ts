import { describe, expect, test } from "vitest";
import { checkCronExpr, checkEvery } from "./cronchecks.ts";

describe("cron `every`", () => {
  test("accepts whole minutes that divide a day", () => {
    expect(checkEvery("10m")).toEqual({ ms: 600_000 });
    expect(checkEvery("6h")).toEqual({ ms: 21_600_000 });
    expect(checkEvery("1h30m")).toEqual({ ms: 5_400_000 });
    expect(checkEvery("24h")).toEqual({ ms: 86_400_000 });
  });

  test("refuses seconds, more than a day, intervals not dividing a day, and garbage", () => {
    expect(checkEvery("90s")).toEqual({ error: "`every` must be a multiple of 60 seconds" });
    expect(checkEvery("25h")).toEqual({ error: "`every` must be at most 24 hours" });
    expect(checkEvery("7h")).toMatchObject({ error: expect.stringContaining("must divide 24 hours evenly") });
    expect(checkEvery("soon")).toMatchObject({ error: expect.stringContaining("invalid duration") });
  });
});

describe("cron schedules", () => {
  test("accept the usual forms", () => {
    for (const e of ["* * * * *", "0 2 * * *", "*/15 * * * *", "0 9-17 * * 1-5", "0 0 1,15 * *", "30 4 * JAN-MAR MON", "0 0 * * 7"]) {
      expect(checkCronExpr(e), e).toBeNull();
    }
  });

  test("refuse wrong field counts and out-of-range values", () => {
    expect(checkCronExpr("* * * *")).toContain("expected 5 fields");
    expect(checkCronExpr("61 * * * *")).toBe('invalid cron expression "61 * * * *": minute 61 is out of range 0-59');
    expect(checkCronExpr("0 24 * * *")).toContain("hour 24 is out of range");
    expect(checkCronExpr("0 0 0 * *")).toContain("day of month 0 is out of range");
    expect(checkCronExpr("0 0 * 13 *")).toContain("month 13 is out of range");
    expect(checkCronExpr("*/0 * * * *")).toContain('step "0" must be a positive integer');
    expect(checkCronExpr("5-1 * * * *")).toContain("range 5-1 is reversed");
  });

  test("refuse a date that never comes, as the scheduler would at start-up", () => {
    expect(checkCronExpr("0 0 30 2 *")).toContain("never runs");
  });
});
