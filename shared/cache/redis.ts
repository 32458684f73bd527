import { Redis } from "ioredis";
import { CacheTimeoutError, type Reporter } from "./report.ts";
import type { Store } from "./store.ts";

// INCR and set the TTL in one atomic step, so a crash can never leave a counter without expiry.
// The PTTL check also repairs a counter that was created without one.
const INCR_WITH_TTL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

const SCAN_BATCH = 500;

// Reconnect forever (Redis coming back must heal the cache without a restart), with capped backoff.
export function reconnectDelayMs(attempt: number): number {
  return Math.min(50 * 2 ** Math.max(0, attempt - 1), 2000);
}

// escapeGlob quotes the characters SCAN MATCH treats as a pattern, so a prefix matches literally.
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, "\\$&");
}

type IncrClient = Redis & { cacheIncr(key: string, ttlMs: number): Promise<number> };

// RedisStore runs each command with a deadline: with the offline queue disabled, a command sent
// while Redis is down fails at once; one sent to a Redis that hangs is abandoned after timeoutMs.
export class RedisStore implements Store {
  readonly backend = "redis" as const;
  private readonly client: IncrClient;
  // Connecting starts with the first command, so importing a module that builds a cache opens no
  // socket. That first attempt is waited for (within the deadline); later outages fail fast
  // instead of adding latency to every request.
  private started = false;
  private opening: Promise<void> | undefined;

  constructor(
    url: string,
    private readonly timeoutMs: number,
    report: Reporter,
  ) {
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: reconnectDelayMs,
      connectTimeout: Math.max(1000, timeoutMs * 5),
    });
    client.defineCommand("cacheIncr", { numberOfKeys: 1, lua: INCR_WITH_TTL });
    // Without a listener ioredis would print every connection error; route them to the reporter.
    client.on("error", (err: unknown) => report("connection", err));
    this.client = client as IncrClient;
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.command((c) => c.get(key));
    return value ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.command((c) => c.set(key, value, "PX", ttlMs));
  }

  async del(keys: string[]): Promise<void> {
    await this.command((c) => c.unlink(...keys));
  }

  // SCAN in batches and UNLINK each batch: KEYS would block Redis for the whole keyspace.
  async delPrefix(prefix: string): Promise<void> {
    const match = `${escapeGlob(prefix)}*`;
    let cursor = "0";
    do {
      const [next, keys] = await this.command((c) => c.scan(cursor, "MATCH", match, "COUNT", SCAN_BATCH));
      if (keys.length > 0) await this.command((c) => c.unlink(...keys));
      cursor = next;
    } while (cursor !== "0");
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    return this.command((c) => c.cacheIncr(key, ttlMs));
  }

  async close(): Promise<void> {
    this.opening = undefined;
    this.started = true;
    if (this.client.status === "ready") {
      try {
        await this.command((c) => c.quit());
        return;
      } catch {
        // Fall through: drop the connection without waiting for Redis.
      }
    }
    this.client.disconnect();
  }

  private command<T>(run: (client: IncrClient) => Promise<T>): Promise<T> {
    if (!this.started) {
      this.started = true;
      const opening = this.client.connect().then(
        () => undefined,
        () => undefined,
      );
      this.opening = opening;
      void opening.then(() => {
        if (this.opening === opening) this.opening = undefined;
      });
    }
    const opening = this.opening;
    const work = opening ? opening.then(() => run(this.client)) : run(this.client);
    return withTimeout(work, this.timeoutMs);
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheTimeoutError(timeoutMs)), timeoutMs);
    timer.unref();
  });
  // race subscribes to work, so a late rejection after the deadline is handled, not unhandled.
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
