import { describe, expect, test } from "vitest";
import { errorKind } from "./metrics";

describe("provider error kinds for the metric", () => {
  test("by status, or by the error of a call without a response", () => {
    expect(errorKind(200, null)).toBeNull();
    expect(errorKind(404, "not found")).toBe("http_4xx");
    expect(errorKind(429, "slow down")).toBe("http_429");
    expect(errorKind(503, "down")).toBe("http_5xx");
    expect(errorKind(null, "request timed out after 8000 ms")).toBe("timeout");
    expect(errorKind(null, "ECONNREFUSED")).toBe("network");
    expect(errorKind(null, null)).toBeNull();
  });
});
