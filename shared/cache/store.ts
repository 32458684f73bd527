// Store is the raw key/value contract a backend implements: strings in and out, full (namespaced)
// keys, TTLs in milliseconds. Stores throw on failure; the Cache above them turns throws into misses.
export interface Store {
  readonly backend: "redis" | "memory";
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(keys: string[]): Promise<void>;
  // Deletes every key starting with prefix (a literal string, not a pattern).
  delPrefix(prefix: string): Promise<void>;
  // Increments an integer; the TTL is set when the counter is created.
  incr(key: string, ttlMs: number): Promise<number>;
  close(): Promise<void>;
}
