// Per-user rate limit of the model-backed work (chat, analyses), one budget per user and kind across
// every process of the deployment: a sliding-window counter (domain/ratelimit.ts) in the shared
// cache (Redis when REDIS_URL is set, in-process otherwise). When the cache cannot answer (down, slow
// past its 200 ms deadline), this process's own token buckets decide instead, so a cache outage
// neither fails requests nor lifts the limit. Over the limit: 429 with the seconds to wait.
import { APIError } from "encore.dev/api";
import type { Cache } from "../../shared/cache";
import { TokenBucket, systemClock, type Clock } from "../../shared/resilience";
import { decide, windowAt, windowPolicy, type WindowPolicy } from "../domain/ratelimit";
import { intelligenceCache, rateLimit, type CacheHealth } from "../secrets";

export type RateKind = "chat" | "analysis";

/** The budget: a burst, then perMinute. */
export interface RateBudget {
  burst: number;
  perMinute: number;
}

/** A per-key limiter: 0 when the request may go ahead, else the milliseconds to wait. */
export interface RateLimiter {
  take(key: string): Promise<number>;
}

/** Token buckets in this process (the fallback; the only limiter of a single process without a cache). */
export class LocalRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly budget: RateBudget,
    private readonly clock: Clock = systemClock,
  ) {}

  take(key: string): Promise<number> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket({ capacity: this.budget.burst, refillPerSecond: this.budget.perMinute / 60, clock: this.clock });
      // Idle users' buckets are dropped now and then so the map stays small.
      if (this.buckets.size >= 10_000) this.buckets.clear();
      this.buckets.set(key, bucket);
    }
    return Promise.resolve(bucket.tryTake());
  }
}

/** The cache did not answer. */
class CacheUnavailable extends Error {}

/**
 * The sliding window in the shared cache, with `fallback` deciding whenever the cache fails. The
 * counters are `rl:<key>:<window index>`, kept for two windows (the current one reads the previous).
 * A request is counted only when the estimate lets it through, so refused retries do not extend the
 * wait; two processes racing past the check are caught by re-checking the incremented count.
 */
export class SharedRateLimiter implements RateLimiter {
  private readonly policy: WindowPolicy;

  constructor(
    private readonly cache: Cache,
    private readonly health: CacheHealth,
    budget: RateBudget,
    private readonly fallback: RateLimiter,
    private readonly now: () => number = Date.now,
  ) {
    this.policy = windowPolicy(budget.burst, budget.perMinute);
  }

  // The cache answers a failure as a miss; its failure counter tells the two apart.
  private async checked<T>(op: () => Promise<T>): Promise<T> {
    const before = this.health.failures;
    const result = await op();
    if (this.health.failures !== before) throw new CacheUnavailable();
    return result;
  }

  private async shared(key: string): Promise<number> {
    const now = this.now();
    const { index } = windowAt(now, this.policy.windowMs);
    const current = `rl:${key}:${index}`;
    const [prev, curr] = await this.checked(() => Promise.all([this.cache.get<number>(`rl:${key}:${index - 1}`), this.cache.get<number>(current)]));
    const before = decide(count(prev), count(curr), now, this.policy);
    if (!before.allowed) return before.retryAfterMs;
    const n = await this.checked(() => this.cache.incr(current, (2 * this.policy.windowMs) / 1000 + 1));
    if (n === undefined) throw new CacheUnavailable();
    const after = decide(count(prev), n - 1, now, this.policy);
    return after.allowed ? 0 : after.retryAfterMs;
  }

  async take(key: string): Promise<number> {
    try {
      return await this.shared(key);
    } catch {
      return this.fallback.take(key);
    }
  }
}

const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** The 429 for a wait of `waitMs`. */
export function rateLimited(kind: RateKind, waitMs: number): APIError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return APIError.resourceExhausted(`too many ${kind} requests; try again in ${retryAfterSeconds} seconds`).withDetails({ retryAfterSeconds });
}

let limiterP: Promise<RateLimiter> | undefined;
let localLimiter: LocalRateLimiter | undefined;

/** This process's limiter: the shared cache, its own buckets when the cache fails. */
function limiter(): Promise<RateLimiter> {
  localLimiter ??= new LocalRateLimiter(rateLimit());
  const local = localLimiter;
  limiterP ??= (async () => {
    try {
      const { cache, health } = await intelligenceCache();
      return new SharedRateLimiter(cache, health, rateLimit(), local);
    } catch {
      // No cache at all (its namespace could not be read): this process's buckets, and a retry later.
      limiterP = undefined;
      return local;
    }
  })();
  return limiterP;
}

/** Takes one request from the user's budget, or throws 429 (resource_exhausted) with retryAfterSeconds. */
export async function takeRateToken(userId: string, kind: RateKind): Promise<void> {
  const waitMs = await (await limiter()).take(`${kind}:${userId}`);
  if (waitMs > 0) throw rateLimited(kind, waitMs);
}
