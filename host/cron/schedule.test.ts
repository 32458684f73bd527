import { describe, expect, test } from "vitest";
import { nextCronTime, nextEveryTime, nextRun, parseCron } from "./schedule.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const next = (expr: string, after: string) => iso(nextCronTime(parseCron(expr), at(after)));

/** The first n ticks after `after`. */
function ticks(expr: string, after: string, n: number): string[] {
  const s = parseCron(expr);
  const out: string[] = [];
  let t = at(after);
  for (let i = 0; i < n; i++) out.push(iso((t = nextCronTime(s, t))));
  return out;
}

describe("parseCron", () => {
  test("accepts stars, values, ranges, steps, lists and names", () => {
    const s = parseCron("*/15 9-17 1,15 jan-mar,DEC mon-fri");
    expect(s.minutes.flatMap((on, i) => (on ? [i] : []))).toEqual([0, 15, 30, 45]);
    expect(s.hours.flatMap((on, i) => (on ? [i] : []))).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(s.days.flatMap((on, i) => (on ? [i] : []))).toEqual([1, 15]);
    expect(s.months.flatMap((on, i) => (on ? [i] : []))).toEqual([1, 2, 3, 12]);
    expect(s.weekdays.flatMap((on, i) => (on ? [i] : []))).toEqual([1, 2, 3, 4, 5]);
  });

  test("Sunday is 0 or 7, and ranges may end on 7", () => {
    expect(parseCron("0 0 * * 7").weekdays).toEqual(parseCron("0 0 * * 0").weekdays);
    expect(parseCron("0 0 * * 5-7").weekdays.flatMap((on, i) => (on ? [i] : []))).toEqual([0, 5, 6]);
  });

  test("a/s steps from a to the end of the field, a-b/s within the range", () => {
    expect(parseCron("5/20 * * * *").minutes.flatMap((on, i) => (on ? [i] : []))).toEqual([5, 25, 45]);
    expect(parseCron("10-30/10 * * * *").minutes.flatMap((on, i) => (on ? [i] : []))).toEqual([10, 20, 30]);
  });

  test.each([
    ["* * * *", /expected 5 fields/],
    ["* * * * * *", /expected 5 fields/],
    ["", /expected 5 fields/],
    ["60 * * * *", /minute 60 is out of range 0-59/],
    ["* 24 * * *", /hour 24 is out of range 0-23/],
    ["* * 0 * *", /day of month 0 is out of range 1-31/],
    ["* * * 13 *", /month 13 is out of range 1-12/],
    ["* * * * 8", /day of week 8 is out of range 0-7/],
    ["*/0 * * * *", /step "0" must be a positive integer/],
    ["*/x * * * *", /step "x" must be a positive integer/],
    ["30-10 * * * *", /range 30-10 is reversed/],
    ["1,,2 * * * *", /empty list item/],
    ["* * * foo *", /month: "foo" is not a number or a name/],
    ["* * * * funday", /day of week: "funday"/],
    ["1-2-3 * * * *", /bad range/],
    ["0 0 30 2 *", /never runs/],
    ["0 0 31 apr,jun,sep,nov *", /never runs/],
  ])("rejects %j with a clear message", (expr, message) => {
    expect(() => parseCron(expr)).toThrow(message);
    expect(() => parseCron(expr)).toThrow(/invalid cron expression/);
  });
});

describe("next run of a cron schedule (UTC)", () => {
  test("every minute runs on the next whole minute, strictly after the given time", () => {
    expect(next("* * * * *", "2024-03-10T10:00:00.000Z")).toBe("2024-03-10T10:01:00.000Z");
    expect(next("* * * * *", "2024-03-10T10:00:59.999Z")).toBe("2024-03-10T10:01:00.000Z");
  });

  test("a daily time rolls over to the next day, month and year", () => {
    expect(next("30 4 * * *", "2024-03-10T04:30:00.000Z")).toBe("2024-03-11T04:30:00.000Z");
    expect(next("0 0 * * *", "2024-01-31T12:00:00.000Z")).toBe("2024-02-01T00:00:00.000Z");
    expect(next("0 0 * * *", "2024-12-31T23:59:00.000Z")).toBe("2025-01-01T00:00:00.000Z");
  });

  test("the 31st skips months that do not have one", () => {
    expect(ticks("0 12 31 * *", "2024-01-31T12:00:00.000Z", 3)).toEqual(["2024-03-31T12:00:00.000Z", "2024-05-31T12:00:00.000Z", "2024-07-31T12:00:00.000Z"]);
  });

  test("Feb 29 runs only in leap years", () => {
    expect(ticks("0 0 29 2 *", "2023-01-01T00:00:00.000Z", 3)).toEqual(["2024-02-29T00:00:00.000Z", "2028-02-29T00:00:00.000Z", "2032-02-29T00:00:00.000Z"]);
    expect(next("0 0 29 2 *", "2096-03-01T00:00:00.000Z")).toBe("2104-02-29T00:00:00.000Z"); // 2100 is not a leap year
  });

  test("the last day of February in a leap year is followed by March 1", () => {
    expect(next("0 0 * * *", "2024-02-28T00:00:00.000Z")).toBe("2024-02-29T00:00:00.000Z");
    expect(next("0 0 * * *", "2023-02-28T00:00:00.000Z")).toBe("2023-03-01T00:00:00.000Z");
  });

  test("UTC has no DST: the spring-forward and fall-back nights have every hour exactly once", () => {
    expect(ticks("30 * * * *", "2024-03-31T00:00:00.000Z", 4)).toEqual([
      "2024-03-31T00:30:00.000Z",
      "2024-03-31T01:30:00.000Z",
      "2024-03-31T02:30:00.000Z",
      "2024-03-31T03:30:00.000Z",
    ]);
    expect(ticks("0 1 * * *", "2024-11-02T12:00:00.000Z", 2)).toEqual(["2024-11-03T01:00:00.000Z", "2024-11-04T01:00:00.000Z"]);
  });

  test("weekday names select those days (2024-05-01 is a Wednesday)", () => {
    expect(ticks("0 9 * * mon,fri", "2024-05-01T00:00:00.000Z", 3)).toEqual([
      "2024-05-03T09:00:00.000Z",
      "2024-05-06T09:00:00.000Z",
      "2024-05-10T09:00:00.000Z",
    ]);
  });

  test("with both day fields restricted a day matching either runs", () => {
    // The 15th or any Monday, in May 2024 after the 1st: Mon 6, Mon 13, Wed 15, Mon 20.
    expect(ticks("0 0 15 * 1", "2024-05-01T00:00:00.000Z", 4)).toEqual([
      "2024-05-06T00:00:00.000Z",
      "2024-05-13T00:00:00.000Z",
      "2024-05-15T00:00:00.000Z",
      "2024-05-20T00:00:00.000Z",
    ]);
  });

  test("a day field starting with * makes the other one decide, both must then match", () => {
    expect(ticks("0 0 * * 1", "2024-05-01T00:00:00.000Z", 2)).toEqual(["2024-05-06T00:00:00.000Z", "2024-05-13T00:00:00.000Z"]);
    // Odd days that are Mondays: May 13, May 27.
    expect(ticks("0 0 */2 5 1", "2024-05-01T00:00:00.000Z", 2)).toEqual(["2024-05-13T00:00:00.000Z", "2024-05-27T00:00:00.000Z"]);
  });

  test("the 4 a.m. run on the 15th of each month (Encore's docs example)", () => {
    expect(ticks("0 4 15 * *", "2024-01-20T00:00:00.000Z", 2)).toEqual(["2024-02-15T04:00:00.000Z", "2024-03-15T04:00:00.000Z"]);
  });
});

describe("next run of an every-interval job", () => {
  test("ticks are multiples of the interval since UTC midnight", () => {
    expect(iso(nextEveryTime(10 * 60_000, at("2024-05-01T10:07:30.000Z")))).toBe("2024-05-01T10:10:00.000Z");
    expect(iso(nextEveryTime(10 * 60_000, at("2024-05-01T10:10:00.000Z")))).toBe("2024-05-01T10:20:00.000Z");
    expect(iso(nextEveryTime(6 * 3600_000, at("2024-05-01T19:00:00.000Z")))).toBe("2024-05-02T00:00:00.000Z");
  });

  test("an interval that does not divide the day restarts at midnight", () => {
    expect(iso(nextEveryTime(7 * 3600_000, at("2024-05-01T21:30:00.000Z")))).toBe("2024-05-02T00:00:00.000Z");
    expect(iso(nextEveryTime(7 * 3600_000, at("2024-05-01T13:00:00.000Z")))).toBe("2024-05-01T14:00:00.000Z");
  });

  test("nextRun dispatches on every or schedule and rejects a job with neither or both", () => {
    expect(iso(nextRun({ name: "a", every: 3600_000, schedule: null }, at("2024-05-01T10:00:00.000Z")))).toBe("2024-05-01T11:00:00.000Z");
    expect(iso(nextRun({ name: "b", every: null, schedule: "0 12 * * *" }, at("2024-05-01T10:00:00.000Z")))).toBe("2024-05-01T12:00:00.000Z");
    expect(() => nextRun({ name: "c", every: null, schedule: null }, 0)).toThrow(/needs "every" or "schedule"/);
    expect(() => nextRun({ name: "d", every: 60_000, schedule: "* * * * *" }, 0)).toThrow(/not both/);
    expect(() => nextRun({ name: "e", every: 1000, schedule: null }, 0)).toThrow(/between 1 minute and 24 hours/);
  });
});
