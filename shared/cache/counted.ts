// A service's cache whose failures are counted (CacheHealth), so that callers with a fallback can
// tell "the cache said no" from "the cache could not answer". Built lazily on first use (its
// namespace may need the database), rebuilt if building failed; the warning is logged at most every 10 s.
import log from "encore.dev/log";
import { createCache, type Cache } from "./index.ts";

/** How often the cache failed since it was built. */
export interface CacheHealth {
  failures: number;
}

export interface CountedCache {
  cache: Cache;
  health: CacheHealth;
}

export interface CountedCacheSettings {
  /** Redis URL; empty: in-process memory. */
  redisUrl: string;
  /** Prefix of every key. */
  namespace: string;
}

/**
 * The getter of one counted cache: `settings` is read once, on the first call; `warning` is what the
 * log says (with the error) when the cache fails.
 */
export function countedCache(settings: () => Promise<CountedCacheSettings>, warning: string): () => Promise<CountedCache> {
  let built: Promise<CountedCache> | undefined;
  let lastWarning = 0;
  return () => {
    built ??= (async () => {
      const { redisUrl, namespace } = await settings();
      const health: CacheHealth = { failures: 0 };
      const cache = createCache({
        redisUrl,
        namespace,
        // Every failure is counted (callers fall back on it); the log is rate-limited here.
        errorIntervalMs: 0,
        onError: (err) => {
          health.failures++;
          const now = Date.now();
          if (now - lastWarning > 10_000) {
            lastWarning = now;
            log.warn(warning, { error: err.message });
          }
        },
      });
      return { cache, health };
    })();
    built.catch(() => (built = undefined));
    return built;
  };
}
