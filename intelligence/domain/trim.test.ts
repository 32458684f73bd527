import { expect, test } from "vitest";
import { estimateTokens, trimHistory, type HistoryMessage } from "./trim";

const msg = (role: "user" | "assistant", n: number): HistoryMessage => ({ role, content: `${role[0]}${n} `.padEnd(40, "x") });

test("everything is kept when it fits", () => {
  const history = [msg("user", 1), msg("assistant", 1), msg("user", 2)];
  const r = trimHistory(history, 1000);
  expect(r.kept).toEqual(history);
  expect(r.dropped).toBe(0);
  expect(r.tokens).toBe(history.reduce((s, m) => s + estimateTokens(m.content), 0));
});

test("the oldest messages go first, and the kept history starts with a question", () => {
  const history = Array.from({ length: 10 }, (_, i) => msg(i % 2 === 0 ? "user" : "assistant", i));
  const per = estimateTokens(history[0]!.content);
  const r = trimHistory(history, per * 4 + 1);
  expect(r.kept.map((m) => m.content)).toEqual(history.slice(6).map((m) => m.content));
  expect(r.kept[0]!.role).toBe("user");
  expect(r.tokens).toBeLessThanOrEqual(per * 4 + 1);
  // An odd budget that would start with an answer drops that answer too.
  const odd = trimHistory(history, per * 3 + 1);
  expect(odd.kept[0]!.role).toBe("user");
  expect(odd.kept).toHaveLength(2);
});

test("a single message longer than the budget is cut, keeping its end", () => {
  const long: HistoryMessage = { role: "user", content: `${"a".repeat(1000)}THE QUESTION` };
  const r = trimHistory([msg("user", 1), long], 50);
  expect(r.kept).toHaveLength(1);
  expect(r.kept[0]!.content.endsWith("THE QUESTION")).toBe(true);
  expect(estimateTokens(r.kept[0]!.content)).toBeLessThanOrEqual(50);
});
