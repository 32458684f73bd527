import { describe, expect, test } from "vitest";
import { overallStatus, type ServiceHealth } from "./health";

const ok = (name: string): ServiceHealth => ({ name, healthy: true, database: null });

describe("overallStatus", () => {
  test("is healthy only when every service is", () => {
    expect(overallStatus([ok("a"), ok("b")])).toBe("healthy");
    expect(overallStatus([ok("a"), { ...ok("b"), healthy: false }])).toBe("degraded");
  });
});
