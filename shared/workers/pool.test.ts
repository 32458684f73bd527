// The worker pool with real threads: results (and moved bytes) come back; a task's own error is
// relayed; a task past its timeout, over its heap limit or killing its thread fails with that kind
// while this thread's heap stays small, and the next task runs on a fresh worker; a full queue
// refuses at once.
import { afterEach, expect, test } from "vitest";
import { WorkerPool, WorkerTaskError } from "./pool.ts";

const TASKS = new URL("./testdata/tasks.ts", import.meta.url);
let pool: WorkerPool;
afterEach(() => pool?.close());

function make(over: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}) {
  pool = new WorkerPool({ size: 2, resourceLimits: { maxOldGenerationSizeMb: 64 }, timeoutMs: 10_000, maxQueue: 10, ...over });
  return pool;
}

async function failure(p: Promise<unknown>): Promise<WorkerTaskError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkerTaskError);
  return err as WorkerTaskError;
}

test("runs TypeScript tasks on worker threads; bytes arrive as Buffers", async () => {
  make();
  const results = await Promise.all([1, 2, 3, 4, 5].map((i) => pool.run<number>(TASKS, "add", [i, 10])));
  expect(results).toEqual([11, 12, 13, 14, 15]);
  const b = await pool.run<Buffer>(TASKS, "bytes", [1024]);
  expect(Buffer.isBuffer(b)).toBe(true);
  expect(b.length).toBe(1024);
  expect(b[1023]).toBe(7);
  expect(pool.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0, completed: 6 });
});

test("a task's own error is relayed with its name and code; the worker lives on", async () => {
  make({ size: 1 });
  const e = await failure(pool.run(TASKS, "fail", ["no good"]));
  expect(e).toMatchObject({ kind: "task", message: "no good", taskError: { name: "RangeError", code: "E_TEST" } });
  expect(await pool.run(TASKS, "add", [1, 1])).toBe(2);
  expect((await failure(pool.run(TASKS, "nothing", []))).message).toMatch(/no exported function nothing/);
});

test("a task past its timeout is stopped (even a busy loop) and the next task gets a fresh worker", async () => {
  make({ size: 1 });
  const started = Date.now();
  const e = await failure(pool.run(TASKS, "spin", [], { timeoutMs: 1500 }));
  expect(e.kind).toBe("timeout");
  expect(Date.now() - started).toBeLessThan(5000);
  expect(await pool.run(TASKS, "sleep", [10])).toBe("woke");
  expect(pool.stats().failed.timeout).toBe(1);
});

test("a task over the heap limit fails as 'memory' without growing this thread's heap; the pool recovers", async () => {
  make({ size: 1 });
  const heapBefore = process.memoryUsage().heapUsed;
  const e = await failure(pool.run(TASKS, "hog", []));
  expect(e.kind).toBe("memory");
  expect(e.message).toMatch(/more memory than its limit of 64 MB/);
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
  expect(await pool.run(TASKS, "add", [2, 2])).toBe(4);
  expect(pool.stats().failed.memory).toBe(1);
});

test("a worker that kills its thread fails its task as 'crash'; queued tasks still run", async () => {
  make({ size: 1 });
  const dying = pool.run(TASKS, "die", []);
  const after = pool.run(TASKS, "add", [3, 4]);
  expect((await failure(dying)).kind).toBe("crash");
  expect(await after).toBe(7);
});

test("past maxQueue waiting tasks, run() refuses at once as 'overloaded'", async () => {
  make({ size: 1, maxQueue: 2 });
  const running = [pool.run(TASKS, "sleep", [300]), pool.run(TASKS, "sleep", [1]), pool.run(TASKS, "sleep", [1])];
  expect((await failure(pool.run(TASKS, "sleep", [1]))).kind).toBe("overloaded");
  expect(await Promise.all(running)).toEqual(["woke", "woke", "woke"]);
});
