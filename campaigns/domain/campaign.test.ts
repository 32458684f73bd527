import { describe, expect, test } from "vitest";
import { applyPatch, CAMPAIGN_STATUSES, emptyMetrics, newCampaign, pageWindow, transitionError, type CampaignFields, type CampaignStatus } from "./campaign";

const audience = () => ({
  demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "any", education: "any" },
  interests: ["policy"],
  locations: ["Ohio"],
  platforms: ["facebook"],
});
const input = () => ({
  name: "Re-elect Rivera",
  description: "Senate 2026",
  startDate: new Date("2026-01-01T00:00:00Z"),
  endDate: new Date("2026-11-03T00:00:00Z"),
  budget: 25_000,
  targetAudience: audience(),
});
const current = (status: CampaignStatus = "draft"): CampaignFields => ({ ...input(), status, timeZone: "UTC" });

describe("status transitions", () => {
  const ALLOWED: [CampaignStatus, CampaignStatus][] = [
    ["draft", "active"],
    ["active", "paused"],
    ["paused", "active"],
    ["active", "completed"],
    ["paused", "completed"],
  ];
  for (const from of CAMPAIGN_STATUSES) {
    for (const to of CAMPAIGN_STATUSES) {
      const allowed = from === to || ALLOWED.some(([f, t]) => f === from && t === to);
      test(`${from} → ${to} is ${allowed ? "allowed" : "refused"}`, () => {
        const error = transitionError(from, to);
        if (allowed) expect(error).toBeNull();
        else expect(error).toContain(`from ${from} to ${to}`);
      });
    }
  }

  test("a refused transition says where the campaign may go instead", () => {
    expect(transitionError("draft", "paused")).toBe("cannot change a campaign's status from draft to paused: from draft it may go to active");
    expect(transitionError("completed", "active")).toContain("nothing (it is final)");
  });
});

describe("a new campaign", () => {
  test("starts as a draft, name trimmed and audience de-duplicated, with zero metrics", () => {
    const made = newCampaign({
      ...input(),
      name: "  Re-elect   Rivera ",
      budget: 100.005,
      targetAudience: { ...audience(), interests: ["policy", " Policy ", ""] },
    });
    expect(made).toMatchObject({ ok: true, fields: { name: "Re-elect Rivera", status: "draft", budget: 100.01, targetAudience: { interests: ["policy"] } } });
    expect(Object.values(emptyMetrics()).every((v) => v === 0)).toBe(true);
  });

  test("has a time zone: UTC unless given, given names in their canonical form; a patch may change it", () => {
    expect(newCampaign(input())).toMatchObject({ ok: true, fields: { timeZone: "UTC" } });
    expect(newCampaign({ ...input(), timeZone: "america/new_york" })).toMatchObject({ ok: true, fields: { timeZone: "America/New_York" } });
    expect(applyPatch(current(), { timeZone: "Europe/Paris" })).toMatchObject({
      ok: true,
      next: { timeZone: "Europe/Paris" },
      changed: { timeZone: { before: "UTC", after: "Europe/Paris" } },
    });
    expect(applyPatch(current(), { timeZone: "Nowhere/Else" })).toMatchObject({ ok: false, code: "invalid_argument" });
  });

  test.each([
    ["end before start", { endDate: new Date("2025-12-31T00:00:00Z") }, "endDate must be after startDate"],
    ["end equal to start", { endDate: new Date("2026-01-01T00:00:00Z") }, "endDate must be after startDate"],
    ["an invalid date", { startDate: new Date("nope") }, "startDate is not a valid date"],
    ["a name of spaces", { name: "     " }, "name must be 3 to 100 characters"],
    ["a budget below 100", { budget: 99.99 }, "budget must be between 100 and 1000000"],
    ["a budget above a million", { budget: 1_000_000.01 }, "budget must be between"],
    ["a NaN budget", { budget: Number.NaN }, "budget must be between"],
    ["a description over 1000 characters", { description: "x".repeat(1001) }, "description must be at most 1000"],
    [
      "an age range upside down",
      { targetAudience: { ...audience(), demographics: { ...audience().demographics, ageRange: { min: 40, max: 30 } } } },
      "ageRange.min (40) is above max (30)",
    ],
    ["fractional ages", { targetAudience: { ...audience(), demographics: { ...audience().demographics, ageRange: { min: 18.5, max: 30 } } } }, "whole years"],
    ["an unknown time zone", { timeZone: "Mars/Olympus_Mons" }, "timeZone must be an IANA time zone"],
  ])("refuses %s", (_, change, message) => {
    const made = newCampaign({ ...input(), ...change });
    expect(made.ok).toBe(false);
    if (!made.ok) {
      expect(made.code).toBe("invalid_argument");
      expect(made.message).toContain(message);
    }
  });
});

describe("partial updates", () => {
  test("only the given fields change, and the result lists before/after of each", () => {
    const patched = applyPatch(current("draft"), { budget: 30_000, status: "active" });
    expect(patched).toMatchObject({ ok: true, next: { budget: 30_000, status: "active", name: "Re-elect Rivera" } });
    if (patched.ok) expect(patched.changed).toEqual({ budget: { before: 25_000, after: 30_000 }, status: { before: "draft", after: "active" } });
  });

  test("repeating the current values changes nothing", () => {
    const patched = applyPatch(current("active"), { status: "active", name: "Re-elect Rivera", startDate: new Date("2026-01-01T00:00:00Z") });
    expect(patched).toMatchObject({ ok: true, changed: {} });
  });

  test("dates are checked as a pair: moving only the end before the stored start is refused", () => {
    expect(applyPatch(current(), { endDate: new Date("2025-06-01T00:00:00Z") })).toMatchObject({
      ok: false,
      code: "invalid_argument",
      message: "endDate must be after startDate",
    });
    expect(applyPatch(current(), { startDate: new Date("2025-01-01T00:00:00Z"), endDate: new Date("2025-06-01T00:00:00Z") })).toMatchObject({ ok: true });
  });

  test("a forbidden transition is failed_precondition, naming it", () => {
    expect(applyPatch(current("completed"), { status: "active" })).toMatchObject({
      ok: false,
      code: "failed_precondition",
      message: expect.stringContaining("from completed to active"),
    });
    expect(applyPatch(current("draft"), { status: "completed" })).toMatchObject({ ok: false, code: "failed_precondition" });
  });

  test("bad values are invalid_argument", () => {
    expect(applyPatch(current(), { budget: 50 })).toMatchObject({ ok: false, code: "invalid_argument" });
    expect(applyPatch(current(), { name: " a " })).toMatchObject({ ok: false, code: "invalid_argument" });
  });
});

describe("paging", () => {
  test("defaults to page 1 of 20; bounds are enforced", () => {
    expect(pageWindow(undefined, undefined)).toEqual({ page: 1, limit: 20, offset: 0 });
    expect(pageWindow(3, 10)).toEqual({ page: 3, limit: 10, offset: 20 });
    expect(() => pageWindow(0, 10)).toThrow(RangeError);
    expect(() => pageWindow(1, 101)).toThrow(RangeError);
    expect(() => pageWindow(1.5, 10)).toThrow(RangeError);
  });
});
