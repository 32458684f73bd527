import { describe, expect, test } from "vitest";
import { backoffMs, isExhausted, leaseRenewalMs } from "./policy.ts";

const encoreDefaults = { minBackoffMs: 10_000, maxBackoffMs: 600_000, maxRetries: 100 };

describe("retry policy", () => {
  test("backoff doubles from minBackoff after each failed attempt and stops at maxBackoff", () => {
    const p = { minBackoffMs: 50, maxBackoffMs: 400, maxRetries: 10 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(p, a))).toEqual([50, 100, 200, 400, 400, 400]);
  });

  test("Encore's defaults back off 10 s, 20 s, … up to 10 min", () => {
    expect(backoffMs(encoreDefaults, 1)).toBe(10_000);
    expect(backoffMs(encoreDefaults, 2)).toBe(20_000);
    expect(backoffMs(encoreDefaults, 7)).toBe(600_000);
    expect(backoffMs(encoreDefaults, 100)).toBe(600_000);
  });

  test("huge attempt numbers do not overflow", () => {
    expect(backoffMs(encoreDefaults, 5000)).toBe(600_000);
  });

  test("a message gets maxRetries + 1 attempts", () => {
    const p = { minBackoffMs: 1, maxBackoffMs: 1, maxRetries: 2 };
    expect([1, 2, 3].map((a) => isExhausted(p, a))).toEqual([false, false, true]);
    expect(isExhausted({ ...p, maxRetries: 0 }, 1)).toBe(true);
  });

  test("leases are renewed three times per ack deadline", () => {
    expect(leaseRenewalMs(30_000)).toBe(10_000);
    expect(leaseRenewalMs(1_000)).toBe(333);
  });
});
