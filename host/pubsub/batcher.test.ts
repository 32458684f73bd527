import { describe, expect, test } from "vitest";
import { GroupCommit } from "./batcher.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("GroupCommit", () => {
  test("a lone item is flushed at once, in a batch of its own", async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, string>(async (items) => {
      batches.push(items);
      return items.map((i) => `r${i}`);
    });
    expect(await gc.add(1)).toBe("r1");
    expect(batches).toEqual([[1]]);
  });

  test("items added while a flush runs share the next flush, in call order", async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate.promise;
      return items.map((i) => i * 10);
    });
    const results = [gc.add(1), gc.add(2), gc.add(3), gc.add(4)];
    gate.resolve();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  test("a failed flush rejects every item of that batch and the next batch still runs", async () => {
    const gate = deferred();
    let calls = 0;
    const gc = new GroupCommit<number, number>(async (items) => {
      calls++;
      if (calls === 1) {
        await gate.promise;
        return items;
      }
      if (calls === 2) throw new Error("database down");
      return items;
    });
    const first = gc.add(1);
    const failed = [gc.add(2), gc.add(3)];
    gate.resolve();
    expect(await first).toBe(1);
    for (const f of failed) await expect(f).rejects.toThrow("database down");
    expect(await gc.add(4)).toBe(4);
  });

  test("batches are capped at maxBatch", async () => {
    const gate = deferred();
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      if (sizes.length === 1) await gate.promise;
      return items;
    }, 3);
    const all = Array.from({ length: 8 }, (_, i) => gc.add(i));
    gate.resolve();
    await Promise.all(all);
    expect(sizes).toEqual([1, 3, 3, 1]);
  });

  test("drain waits for everything added so far", async () => {
    const gate = deferred();
    const done: number[] = [];
    const gc = new GroupCommit<number, void>(async (items) => {
      await gate.promise;
      done.push(...items);
      return items.map(() => undefined);
    });
    void gc.add(1);
    void gc.add(2);
    const drained = gc.drain().then(() => [...done]);
    gate.resolve();
    expect(await drained).toEqual([1, 2]);
  });
});
