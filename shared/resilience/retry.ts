// Retry with exponential backoff and full jitter, on retryable failures only, honouring Retry-After.
import { systemClock, type Clock } from "./clock";
import { ProviderError } from "./errors";

/** How a call is retried. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The backoff cap for attempt n is min(maxDelayMs, baseDelayMs * 2^n). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is thrown at once. */
  maxRetryAfterMs: number;
  clock: Clock;
  /** In [0, 1); injectable for tests. */
  random?: () => number;
  signal?: AbortSignal;
  /** Told before each wait (for logs and tests). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** The wait before retry number `attempt` (0-based): full jitter over the exponential cap, or Retry-After when the provider names one. */
export function backoffDelay(attempt: number, err: unknown, o: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">, random: () => number): number {
  if (err instanceof ProviderError && err.retryAfterMs !== undefined) return err.retryAfterMs;
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

/** True when `err` is worth another try. */
export function isRetryable(err: unknown): boolean {
  return err instanceof ProviderError && err.retryable;
}

/** Runs `fn` until it succeeds, fails with a non-retryable error, or attempts run out. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const random = o.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryable(err) || attempt + 1 >= o.maxAttempts || o.signal?.aborted) throw err;
      const delay = backoffDelay(attempt, err, o, random);
      if (delay > o.maxRetryAfterMs) throw err;
      o.onRetry?.(err, attempt + 1, delay);
      await o.clock.sleep(delay, o.signal);
    }
  }
}

/**
 * True when `err` says our own infrastructure cannot take the work now: a database that cannot be
 * reached or gave no connection in time (the runtime's SqlError marked `unavailable`), or a service
 * call answered 503 `unavailable`. Such failures pass by themselves.
 */
export function isInfraUnavailable(err: unknown): boolean {
  const e = err as { unavailable?: unknown; code?: unknown } | null;
  return typeof e === "object" && e !== null && (e.unavailable === true || e.code === "unavailable");
}

/**
 * Runs a write that must not be lost (the outcome of something already done, e.g. an SMS sent) until
 * it succeeds, retrying while the database is unavailable (isInfraUnavailable), for at most
 * `deadlineMs`. Other errors are thrown at once.
 */
export async function persist<T>(
  fn: () => Promise<T>,
  o: { deadlineMs: number; clock?: Clock; onRetry?: (err: unknown, delayMs: number) => void },
): Promise<T> {
  const clock = o.clock ?? systemClock;
  const deadline = clock.now() + o.deadlineMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await fn();
    } catch (err) {
      if (!isInfraUnavailable(err) || clock.now() + delay > deadline) throw err;
      o.onRetry?.(err, delay);
      await clock.sleep(delay);
    }
  }
}
