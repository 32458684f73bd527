// A small pool of worker threads for work that must not run on the request event loop or in the
// server's heap: rendering PDFs, extracting text from untrusted files, analysing documents. Each
// worker has V8 resource limits (heap, young generation, stack); each task a wall-clock timeout.
// A worker that times out is terminated; one that runs out of memory or dies is gone; either way
// its task fails with a WorkerTaskError saying which, and a fresh worker takes its place on the
// next task. A task is a named export of a module (TypeScript is fine: worker.mjs loads it through
// tsx), called with structured-clonable arguments; its result comes back the same way (Uint8Array
// results are moved, not copied, and arrive as Buffers).
import { Worker, type ResourceLimits } from "node:worker_threads";

/** Why a task failed: it threw (`task`), ran past its timeout, exceeded the heap limit, or its worker died. */
export type WorkerFailure = "task" | "timeout" | "memory" | "crash" | "overloaded" | "closed";

export class WorkerTaskError extends Error {
  constructor(
    readonly kind: WorkerFailure,
    message: string,
    /** The task's own error name and code (kind "task"). */
    readonly taskError?: { name: string; code?: string },
  ) {
    super(message);
    this.name = "WorkerTaskError";
  }
}

export interface PoolOptions {
  /** Worker threads at most (started on demand, kept while the pool lives). */
  size: number;
  /** Each worker's V8 limits; the heap limit (maxOldGenerationSizeMb) is the one that matters. */
  resourceLimits: ResourceLimits;
  /** Default wall-clock limit of one task, from the moment a worker takes it. */
  timeoutMs: number;
  /** Tasks waiting for a worker at most; past it run() fails at once with "overloaded". */
  maxQueue: number;
  /** The workers' niceness (0..19, Linux): how much lower than the server's thread they are scheduled. */
  nice?: number;
}

export interface RunOptions {
  timeoutMs?: number;
}

export interface PoolStats {
  workers: number;
  busy: number;
  queued: number;
  completed: number;
  failed: Record<Exclude<WorkerFailure, "task">, number>;
}

interface Task {
  id: number;
  module: string;
  fn: string;
  args: unknown[];
  timeoutMs: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  /** Set once the worker is being replaced: its exit must not fail anyone else's task. */
  retired: boolean;
}

const ENTRY = new URL("./worker.mjs", import.meta.url);

function toBuffer(v: unknown): unknown {
  return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}

export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private completed = 0;
  private readonly failed = { timeout: 0, memory: 0, crash: 0, overloaded: 0, closed: 0 };

  constructor(readonly options: PoolOptions) {}

  /** Runs `module`'s export `fn` with `args` on a worker; module is a file URL (import.meta.url-relative). */
  run<T>(module: URL | string, fn: string, args: unknown[], opts: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerTaskError("closed", "the worker pool is closed"));
    if (this.queue.length >= this.options.maxQueue && !this.idleSlot() && this.slots.size >= this.options.size) {
      this.failed.overloaded++;
      return Promise.reject(new WorkerTaskError("overloaded", `too much background work queued (${this.queue.length} tasks); try again shortly`));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        module: String(module),
        fn,
        args,
        timeoutMs: opts.timeoutMs ?? this.options.timeoutMs,
        resolve: (v) => resolve(toBuffer(v) as T),
        reject,
      });
      this.pump();
    });
  }

  stats(): PoolStats {
    let busy = 0;
    for (const s of this.slots) if (s.task) busy++;
    return { workers: this.slots.size, busy, queued: this.queue.length, completed: this.completed, failed: { ...this.failed } };
  }

  /** Fails queued tasks and stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new WorkerTaskError("closed", "the worker pool is closed"));
    await Promise.all([...this.slots].map((s) => this.retire(s, new WorkerTaskError("closed", "the worker pool is closed"))));
  }

  private idleSlot(): Slot | undefined {
    for (const s of this.slots) if (!s.task && !s.retired) return s;
    return undefined;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.idleSlot();
      if (!slot && this.slots.size < this.options.size) slot = this.spawn();
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY, {
      resourceLimits: this.options.resourceLimits,
      workerData: { nice: this.options.nice ?? 0 },
      stdout: false,
      stderr: false,
    });
    // Idle workers must not keep the process alive (tests, CLI commands, shutdown).
    worker.unref();
    const slot: Slot = { worker, task: null, timer: null, retired: false };
    this.slots.add(slot);
    worker.on("message", (m: { id: number; ok: boolean; value?: unknown; error?: { name: string; message: string; code?: string } }) => {
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      this.finish(slot);
      if (m.ok) {
        this.completed++;
        task.resolve(m.value);
      } else {
        task.reject(new WorkerTaskError("task", m.error!.message, { name: m.error!.name, code: m.error!.code }));
      }
      this.pump();
    });
    // 'error' precedes 'exit' when the worker dies of an uncaught error or its heap limit.
    let death: WorkerTaskError | null = null;
    worker.on("error", (err: Error & { code?: string }) => {
      death =
        err.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new WorkerTaskError("memory", `the work needed more memory than its limit of ${this.options.resourceLimits.maxOldGenerationSizeMb ?? "?"} MB`)
          : new WorkerTaskError("crash", `the worker failed: ${err.message}`);
    });
    worker.on("exit", () => {
      this.slots.delete(slot);
      const task = slot.task;
      if (task && !slot.retired) {
        this.finish(slot);
        const e = death ?? new WorkerTaskError("crash", "the worker exited unexpectedly");
        this.failed[e.kind as "memory" | "crash"]++;
        task.reject(e);
      }
      if (!this.closed) this.pump();
    });
    return slot;
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.failed.timeout++;
      void this.retire(slot, new WorkerTaskError("timeout", `the work took longer than ${Math.round(task.timeoutMs / 1000)} s`));
    }, task.timeoutMs);
    try {
      slot.worker.postMessage({ id: task.id, module: task.module, fn: task.fn, args: task.args });
    } catch (err) {
      // Arguments that cannot be cloned: the caller's mistake, the worker is fine.
      this.finish(slot);
      task.reject(new WorkerTaskError("task", err instanceof Error ? err.message : String(err)));
    }
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
  }

  /** Terminates a worker, failing its task with `reason`; the pool replaces it on demand. */
  private async retire(slot: Slot, reason: WorkerTaskError): Promise<void> {
    if (slot.retired) return;
    slot.retired = true;
    const task = slot.task;
    if (task) {
      this.finish(slot);
      task.reject(reason);
    }
    this.slots.delete(slot);
    await slot.worker.terminate();
    if (!this.closed) this.pump();
  }
}
