import { expect, test } from "vitest";
import { type CacheError, rateLimitedReporter } from "./report.ts";

test("the first failure is reported and later ones at most once per interval", () => {
  let clock = 1_000;
  const seen: CacheError[] = [];
  const report = rateLimitedReporter(
    (err) => seen.push(err),
    5_000,
    () => clock,
  );

  report("get", new Error("boom"));
  report("get", new Error("boom"));
  clock += 4_999;
  report("set", new Error("boom"));
  expect(seen).toHaveLength(1);
  expect(seen[0]!.message).toBe("cache get failed: boom");
  expect(seen[0]!.operation).toBe("get");

  clock += 1;
  report("del", new Error("down"));
  expect(seen).toHaveLength(2);
  expect(seen[1]!.suppressed).toBe(2);
  expect(seen[1]!.message).toBe("cache del failed: down (2 similar failures suppressed)");
});

test("a throwing error handler does not escape the reporter", () => {
  const report = rateLimitedReporter(
    () => {
      throw new Error("logger broke");
    },
    1_000,
    () => 0,
  );
  expect(() => report("get", "x")).not.toThrow();
});
