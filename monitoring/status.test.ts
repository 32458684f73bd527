import { describe, expect, test } from "vitest";
import { getSystemStatus } from "./status";

describe("GET /api/v1/status", () => {
  test("reports every service, and healthy when each one is", async () => {
    const res = await getSystemStatus();
    expect(res.services.map((s) => s.name).sort()).toEqual([
      "alerting",
      "analytics",
      "auth",
      "campaigns",
      "compliance",
      "integrations",
      "intelligence",
      "monitoring",
      "users",
    ]);
    expect(res.status).toBe(res.services.every((s) => s.healthy) ? "healthy" : "degraded");
    expect(res.checkedAt).toBeInstanceOf(Date);
  });
});
