// The process's pool for heavy work (shared/workers/pool.ts), one for every service of the process
// (they all run in it): PDF rendering, document text extraction and analyses run there, never on
// the event loop that serves requests and delivers alerts. Sized by WARROOM_WORKERS (default 2) and
// WARROOM_WORKER_MEMORY_MB (each worker's heap, default 512); started on the first task, scheduled
// below the server's thread (WARROOM_WORKER_NICE, default 10).
import { APIError } from "encore.dev/api";
import { WorkerPool, WorkerTaskError, type PoolOptions, type RunOptions } from "./pool.ts";

export { WorkerPool, WorkerTaskError, type PoolOptions, type RunOptions } from "./pool.ts";

function envInt(name: string, fallback: number, min: number, max: number): number {
  const text = (process.env[name] ?? "").trim();
  const v = Number(text);
  return text !== "" && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

/** The pool's settings from the environment. */
export function heavyPoolOptions(): PoolOptions {
  const heapMb = envInt("WARROOM_WORKER_MEMORY_MB", 512, 64, 16_384);
  return {
    size: envInt("WARROOM_WORKERS", 2, 1, 64),
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(heapMb / 8))), stackSizeMb: 4 },
    timeoutMs: 60_000,
    maxQueue: envInt("WARROOM_WORKER_QUEUE", 100, 1, 100_000),
    nice: envInt("WARROOM_WORKER_NICE", 10, 0, 19),
  };
}

const key = Symbol.for("warroom.workers.heavy");

/** The process-wide pool (created on first use). */
export function heavyWork(): WorkerPool {
  const g = globalThis as { [key]?: WorkerPool };
  return (g[key] ??= new WorkerPool(heavyPoolOptions()));
}

/**
 * Runs a task on the heavy-work pool for an endpoint: a full queue (or a pool shutting down) is
 * 503 unavailable with a retry hint; any other failure is the task's and propagates.
 */
export async function offload<T>(module: URL, fn: string, args: unknown[], opts?: RunOptions): Promise<T> {
  try {
    return await heavyWork().run<T>(module, fn, args, opts);
  } catch (err) {
    if (err instanceof WorkerTaskError && (err.kind === "overloaded" || err.kind === "closed")) {
      throw APIError.unavailable("the server is busy with other heavy work; try again in a few seconds").withDetails({ retryAfterSeconds: 5 });
    }
    throw err;
  }
}
