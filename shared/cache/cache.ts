import { decode, encode } from "./codec.ts";
import type { Reporter } from "./report.ts";
import type { Store } from "./store.ts";
import type { Cache } from "./index.ts";

interface Flight {
  promise: Promise<unknown>;
  // Set when set/del/delPrefix touches the key mid-load: the loaded value may predate that write,
  // so it is returned to its callers but not cached.
  stale: boolean;
}

// StoreCache is the one Cache implementation: namespacing, the JSON codec, single-flight loads and
// the rule that a backend failure is reported and answered as a miss or a no-op, never thrown.
export class StoreCache implements Cache {
  private readonly flights = new Map<string, Flight>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    private readonly report: Reporter,
  ) {}

  get backend(): "redis" | "memory" {
    return this.store.backend;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = await this.guard("get", undefined, () => this.store.get(this.prefix + key));
    if (text === undefined) return undefined;
    try {
      return decode(text) as T;
    } catch (err) {
      this.report("get", err);
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.invalidate((flightKey) => flightKey === key);
    return this.write(key, value, ttlSeconds);
  }

  private async write<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    if (!Number.isFinite(ttlSeconds)) return this.report("set", invalidTtl(ttlSeconds));
    // A TTL of zero or less means the value is already stale: drop whatever is there.
    if (ttlSeconds <= 0) return this.del(key);
    const ttlMs = toTtlMs(ttlSeconds);
    let text: string | undefined;
    try {
      text = encode(value);
    } catch (err) {
      this.report("set", err);
      return;
    }
    // undefined has no JSON form and would read back as a miss anyway.
    if (text === undefined) return;
    await this.guard("set", undefined, () => this.store.set(this.prefix + key, text, ttlMs));
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    this.invalidate((flightKey) => keys.includes(flightKey));
    await this.guard("del", undefined, () => this.store.del(keys.map((key) => this.prefix + key)));
  }

  async delPrefix(prefix: string): Promise<void> {
    this.invalidate((flightKey) => flightKey.startsWith(prefix));
    const full = this.prefix + prefix;
    if (full === "") {
      // Without a namespace this would wipe every key in the Redis database, other apps' included.
      this.report("delPrefix", new Error("refusing to delete every key: give the cache a namespace or a non-empty prefix"));
      return;
    }
    await this.guard("delPrefix", undefined, () => this.store.delPrefix(full));
  }

  getOrLoad<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const current = this.flights.get(key);
    if (current) return current.promise as Promise<T>;

    const flight: Flight = { stale: false, promise: Promise.resolve() };
    flight.promise = (async () => {
      try {
        const hit = await this.get<T>(key);
        if (hit !== undefined) return hit;
        const value = await load();
        if (!flight.stale) await this.write(key, value, ttlSeconds);
        return value;
      } finally {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      }
    })();
    this.flights.set(key, flight);
    return flight.promise as Promise<T>;
  }

  async incr(key: string, ttlSeconds: number): Promise<number | undefined> {
    if (!(ttlSeconds > 0 && Number.isFinite(ttlSeconds))) {
      this.report("incr", invalidTtl(ttlSeconds));
      return undefined;
    }
    const ttlMs = toTtlMs(ttlSeconds);
    return this.guard("incr", undefined, () => this.store.incr(this.prefix + key, ttlMs));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.guard("close", undefined, () => this.store.close());
  }

  // invalidate detaches in-flight loads of matching keys: later callers start a fresh load.
  private invalidate(matches: (key: string) => boolean): void {
    for (const [key, flight] of this.flights) {
      if (!matches(key)) continue;
      flight.stale = true;
      this.flights.delete(key);
    }
  }

  private async guard<R>(operation: string, fallback: R, run: () => Promise<R>): Promise<R> {
    if (this.closed && operation !== "close") return fallback;
    try {
      return await run();
    } catch (err) {
      this.report(operation, err);
      return fallback;
    }
  }
}

// toTtlMs converts a positive TTL in (possibly fractional) seconds to whole milliseconds, at least 1.
export function toTtlMs(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

function invalidTtl(ttlSeconds: number): RangeError {
  return new RangeError(`ttlSeconds must be a positive finite number of seconds, got ${ttlSeconds}`);
}
