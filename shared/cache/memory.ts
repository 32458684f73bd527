import type { Store } from "./store.ts";

interface Entry {
  value: string;
  expiresAt: number;
}

// MemoryStore is an in-process LRU with per-entry TTL. A Map iterates in insertion order, so
// re-inserting on every hit keeps the least recently used entry first, where eviction takes it.
export class MemoryStore implements Store {
  readonly backend = "memory" as const;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.live(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.put(key, { value, expiresAt: this.now() + ttlMs });
  }

  async del(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async delPrefix(prefix: string): Promise<void> {
    // Deleting the current entry while iterating a Map is safe.
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const entry = this.live(key);
    if (!entry) {
      this.put(key, { value: "1", expiresAt: this.now() + ttlMs });
      return 1;
    }
    // Same rule as Redis INCR: only a stored integer can be incremented.
    if (!/^-?\d+$/.test(entry.value)) throw new Error("value is not an integer");
    const next = Number(entry.value) + 1;
    this.put(key, { value: String(next), expiresAt: entry.expiresAt });
    return next;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  // live returns the entry if it has not expired, dropping it if it has.
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
