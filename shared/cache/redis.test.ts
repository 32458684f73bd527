import { expect, test } from "vitest";
import { escapeGlob, reconnectDelayMs } from "./redis.ts";

test("reconnect delays back off exponentially and stay capped at 2s", () => {
  expect([1, 2, 3, 4, 5, 6, 7].map(reconnectDelayMs)).toEqual([50, 100, 200, 400, 800, 1600, 2000]);
  expect(reconnectDelayMs(1_000)).toBe(2000);
});

test("glob characters in a prefix are escaped for SCAN MATCH", () => {
  expect(escapeGlob("list:*[1]?\\x")).toBe("list:\\*\\[1\\]\\?\\\\x");
  expect(escapeGlob("plain:key")).toBe("plain:key");
});
