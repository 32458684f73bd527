// The shared cache: Redis (ioredis) when a URL is given, an in-process LRU with TTL otherwise, one
// interface for both. A cache failure never fails a request: every backend error or timeout is
// reported through onError (rate-limited) and answered as a miss or a no-op, so callers fall back to
// the database.
//
// A service builds one cache from its own secret and passes it to the code that needs it:
//
//   // secrets.ts (a missing secret reads as "" locally, which selects the memory backend)
//   const redisUrl = secret("REDIS_URL");
//   export const cache = createCache({
//     redisUrl: redisUrl(), namespace: "campaign", onError: (err) => log.warn(err.message),
//   });
//
//   // store or endpoint
//   const campaign = await cache.getOrLoad(`campaign:${id}`, 60, () => store.getCampaign(id));
//   await cache.del(`campaign:${id}`);              // after an update
//   await cache.delPrefix(`campaign-list:`);        // after anything that changes lists
//   const hits = await cache.incr(`rl:${userId}:${minute}`, 60); // undefined: backend down, allow
//
// Values are stored as JSON, so only JSON-shaped data round-trips (plus Dates, which come back as
// Dates); get<T> trusts the caller about T. undefined is never stored: it reads back as a miss.
// Keys are prefixed with `${namespace}:` so services and test runs never collide.

import { StoreCache } from "./cache.ts";
import { MemoryStore } from "./memory.ts";
import { RedisStore } from "./redis.ts";
import { type CacheError, rateLimitedReporter } from "./report.ts";

export { CacheError } from "./report.ts";

// Cache is what services use; both backends behave the same.
export interface Cache {
  // The stored value, or undefined on a miss, an expired entry or a backend failure.
  get<T>(key: string): Promise<T | undefined>;
  // Stores value for ttlSeconds (fractions allowed); a TTL of zero or less deletes the key.
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  // Deletes every key that starts with prefix (literally: no glob characters).
  delPrefix(prefix: string): Promise<void>;
  // The cached value, or load() stored for ttlSeconds. Concurrent misses in this process share one
  // load() call; a load that fails is not cached and rejects every caller waiting on it.
  getOrLoad<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T>;
  // Increments a counter that expires ttlSeconds after its first increment; undefined when the
  // backend is down (callers decide whether that means allow or deny).
  incr(key: string, ttlSeconds: number): Promise<number | undefined>;
  // Releases the connection; afterwards every operation is a miss or a no-op.
  close(): Promise<void>;
  readonly backend: "redis" | "memory";
}

// CacheOptions configure createCache; services build them from their REDIS_URL secret.
export interface CacheOptions {
  // Use Redis at this URL (redis://[user:pass@]host:port[/db]); empty or absent: in-process memory.
  redisUrl?: string;
  // Prefix of every key, followed by ":".
  namespace?: string;
  // Memory backend size bound; the least recently used entry is evicted first. Default 10_000.
  maxEntries?: number;
  // Receives failures (at most one per errorIntervalMs). Default: console.warn.
  onError?: (err: CacheError) => void;
  // A Redis operation taking longer than this is abandoned as a miss / no-op. Default 200.
  operationTimeoutMs?: number;
  // Minimum time between two onError calls. Default 10_000.
  errorIntervalMs?: number;
  // Clock in ms for TTLs of the memory backend and for error rate limiting (tests inject one).
  now?: () => number;
}

// createCache builds the cache described by opts. It connects to Redis in the background and never
// throws for an unreachable server.
export function createCache(opts: CacheOptions = {}): Cache {
  const now = opts.now ?? Date.now;
  const report = rateLimitedReporter(opts.onError ?? ((err) => console.warn(err.message)), opts.errorIntervalMs ?? 10_000, now);
  const store = opts.redisUrl ? new RedisStore(opts.redisUrl, opts.operationTimeoutMs ?? 200, report) : new MemoryStore(opts.maxEntries ?? 10_000, now);
  return new StoreCache(store, opts.namespace ? `${opts.namespace}:` : "", report);
}
