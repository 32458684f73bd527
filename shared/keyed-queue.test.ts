import { expect, test } from "vitest";
import { KeyedQueue } from "./keyed-queue";

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("tasks of one key run one at a time in order; other keys run beside them; a failure does not block the queue", async () => {
  const q = new KeyedQueue();
  const log: string[] = [];
  let running = 0;
  let most = 0;
  const task =
    (name: string, fail = false) =>
    async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await later(5);
      log.push(`end ${name}`);
      running--;
      if (fail) throw new Error(name);
      return name;
    };
  const results = await Promise.allSettled([q.run("a", task("a1")), q.run("a", task("a2", true)), q.run("a", task("a3")), q.run("b", task("b1"))]);
  expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual(["a1", "a2", "a3", "b1"]);
  const a = log.filter((l) => l.endsWith("a1") || l.endsWith("a2") || l.endsWith("a3"));
  expect(a).toEqual(["start a1", "end a1", "start a2", "end a2", "start a3", "end a3"]);
  expect(most).toBe(2); // "b" ran beside "a"
  await later(0);
  expect(q.size).toBe(0);
});
