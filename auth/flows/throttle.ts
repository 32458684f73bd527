// Where login throttling (and the registration limit) keeps its counters. In the shared cache (Redis when configured, so every
// process sees the same counts); when the cache cannot answer, in auth's database instead. A cache
// outage therefore neither locks everyone out nor lets unlimited attempts through: it costs a few
// queries per sign-in until the cache is back (logged, rate-limited, by authCache's onError).
import type { Cache } from "../../shared/cache";
import { LoginThrottle, WindowRateLimit, type ThrottleStore } from "../domain/throttle";
import { authCache, registrationsPerAddressPerHour, type CacheHealth } from "../secrets";
import * as store from "../store";

/** The cache did not answer (the operation failed or timed out). */
export class CacheUnavailableError extends Error {
  override readonly name = "CacheUnavailableError";
}

/** Throttling counters in the shared cache; throws CacheUnavailableError when the cache fails. */
export class CacheThrottleStore implements ThrottleStore {
  constructor(
    private readonly cache: Cache,
    private readonly health: CacheHealth,
  ) {}

  // The cache answers a failure as a miss; the failure counter tells the two apart.
  private async checked<T>(op: () => Promise<T>): Promise<T> {
    const before = this.health.failures;
    const result = await op();
    if (this.health.failures !== before) throw new CacheUnavailableError("the cache did not answer");
    return result;
  }

  async lockedUntil(key: string): Promise<number | null> {
    const until = await this.checked(() => this.cache.get<number>(`throttle:lock:${key}`));
    return typeof until === "number" ? until : null;
  }

  async count(key: string, windowSeconds: number): Promise<number> {
    const n = await this.checked(() => this.cache.incr(`throttle:n:${key}`, windowSeconds));
    if (n === undefined) throw new CacheUnavailableError("the cache did not count");
    return n;
  }

  async lock(key: string, untilMs: number, keepSeconds: number): Promise<void> {
    const ttl = Math.max(keepSeconds, (untilMs - Date.now()) / 1000);
    await this.checked(() => this.cache.set(`throttle:lock:${key}`, untilMs, ttl));
  }

  async reset(key: string): Promise<void> {
    await this.checked(() => this.cache.del(`throttle:n:${key}`, `throttle:lock:${key}`));
  }
}

/** Throttling counters in auth's database (login_throttle). */
export class DatabaseThrottleStore implements ThrottleStore {
  lockedUntil(key: string): Promise<number | null> {
    return store.throttleLockedUntil(key);
  }
  count(key: string, windowSeconds: number): Promise<number> {
    return store.throttleCount(key, windowSeconds);
  }
  lock(key: string, untilMs: number, keepSeconds: number): Promise<void> {
    return store.throttleLock(key, untilMs, keepSeconds);
  }
  reset(key: string): Promise<void> {
    return store.throttleReset(key);
  }
}

/**
 * The primary store, or the fallback for any operation the primary cannot answer. Locks are read
 * from both (one may have been set while the cache was down), and resets go to both, so a count
 * kept in the fallback during an outage does not outlive a successful sign-in.
 */
export class FallbackThrottleStore implements ThrottleStore {
  constructor(
    private readonly primary: ThrottleStore,
    private readonly fallback: ThrottleStore,
  ) {}

  private async either<T>(op: (s: ThrottleStore) => Promise<T>): Promise<T> {
    try {
      return await op(this.primary);
    } catch (err) {
      if (!(err instanceof CacheUnavailableError)) throw err;
      return op(this.fallback);
    }
  }

  async lockedUntil(key: string): Promise<number | null> {
    const [a, b] = await Promise.all([this.either((s) => s.lockedUntil(key)), this.fallback.lockedUntil(key)]);
    return a === null && b === null ? null : Math.max(a ?? 0, b ?? 0);
  }

  count(key: string, windowSeconds: number): Promise<number> {
    return this.either((s) => s.count(key, windowSeconds));
  }

  lock(key: string, untilMs: number, keepSeconds: number): Promise<void> {
    return this.either((s) => s.lock(key, untilMs, keepSeconds));
  }

  async reset(key: string): Promise<void> {
    await Promise.all([this.either((s) => s.reset(key)), this.fallback.reset(key)]);
  }
}

let stores: Promise<ThrottleStore> | undefined;

/** Throttling counters of this process: the shared cache first, auth's database when it fails. */
function throttleStore(): Promise<ThrottleStore> {
  stores ??= authCache().then(({ cache, health }) => new FallbackThrottleStore(new CacheThrottleStore(cache, health), new DatabaseThrottleStore()));
  return stores;
}

let throttle: Promise<LoginThrottle> | undefined;

/** The login throttle of this process: the shared cache first, auth's database when it fails. */
export function loginThrottle(): Promise<LoginThrottle> {
  throttle ??= throttleStore().then((s) => new LoginThrottle(s));
  return throttle;
}

let registrations: Promise<WindowRateLimit> | undefined;

/** Self-registrations per client address per hour (REGISTRATIONS_PER_ADDRESS_PER_HOUR), on the same counters. */
export function registrationLimit(): Promise<WindowRateLimit> {
  registrations ??= throttleStore().then((s) => new WindowRateLimit(s, { max: registrationsPerAddressPerHour(), windowSeconds: 3600 }));
  return registrations;
}
