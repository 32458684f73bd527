// The per-user rate limit across processes: limiters with their own Redis connections (as two app
// processes behind a load balancer have) enforce one budget per user; a cache that is down or hangs
// degrades to the process's own buckets instead of failing or lifting the limit.
import "../../tests/fakes/auth-secrets";
import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCache, type Cache } from "../../shared/cache";
import { LocalRateLimiter, SharedRateLimiter, rateLimited } from "./ratelimit";
import { redisForTests } from "../../host/testing/services.ts";

const REDIS_URL = redisForTests("the rate limit shared through Redis") ?? "";
const opened: Cache[] = [];

/** One "process": its own connection to the cache, its own fallback buckets. */
function processLimiter(
  redisUrl: string,
  namespace: string,
  budget: { burst: number; perMinute: number },
  now: () => number = Date.now,
  operationTimeoutMs = 200,
) {
  const health = { failures: 0 };
  const cache = createCache({ redisUrl, namespace, errorIntervalMs: 0, onError: () => health.failures++, operationTimeoutMs });
  opened.push(cache);
  const local = new LocalRateLimiter(budget);
  return { limiter: new SharedRateLimiter(cache, health, budget, local, now), health, cache };
}

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
});

describe.skipIf(!REDIS_URL)("shared through Redis", () => {
  test("two processes enforce one budget per user", async () => {
    const ns = `t-${randomUUID()}`;
    const budget = { burst: 5, perMinute: 5 };
    const a = processLimiter(REDIS_URL, ns, budget);
    const b = processLimiter(REDIS_URL, ns, budget);
    expect(a.cache.backend).toBe("redis");
    const user = `chat:${randomUUID()}`;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) waits.push(await (i % 2 === 0 ? a : b).limiter.take(user));
    // Five in all, not five per process; the refused ones name a wait within the window.
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    for (const w of waits.slice(5)) {
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThanOrEqual(120_000);
    }
    // Another user, and the same user's other kind, have budgets of their own.
    expect(await b.limiter.take(`chat:${randomUUID()}`)).toBe(0);
    expect(await a.limiter.take(user.replace("chat:", "analysis:"))).toBe(0);
    // The cache answered every time: no fallback was involved.
    expect(a.health.failures + b.health.failures).toBe(0);
  });

  test("concurrent requests from both processes never exceed the budget", async () => {
    const ns = `t-${randomUUID()}`;
    const budget = { burst: 6, perMinute: 6 };
    const procs = [processLimiter(REDIS_URL, ns, budget), processLimiter(REDIS_URL, ns, budget)];
    const user = `analysis:${randomUUID()}`;
    const waits = await Promise.all(Array.from({ length: 20 }, (_, i) => procs[i % 2]!.limiter.take(user)));
    expect(waits.filter((w) => w === 0).length).toBeLessThanOrEqual(6);
    expect(waits.filter((w) => w === 0).length).toBeGreaterThanOrEqual(1);
  });

  test("the budget comes back as the window slides, for both processes", async () => {
    const ns = `t-${randomUUID()}`;
    const budget = { burst: 4, perMinute: 4 }; // 4 per 60 s window
    let now = 1_000_000 * 60_000 + 30_000; // half-way through a window
    const clock = () => now;
    const a = processLimiter(REDIS_URL, ns, budget, clock);
    const b = processLimiter(REDIS_URL, ns, budget, clock);
    const user = `chat:${randomUUID()}`;
    for (let i = 0; i < 4; i++) expect(await a.limiter.take(user)).toBe(0);
    const wait = await b.limiter.take(user);
    // Full window at 30 s: the next window starts in 30 s, then 4 * (1 - t/60) <= 3 at t = 15 s.
    expect(wait).toBe(45_000);
    now += wait - 1000;
    expect(await a.limiter.take(user)).toBeGreaterThan(0);
    now += 1000;
    expect(await a.limiter.take(user)).toBe(0);
    expect(await b.limiter.take(user)).toBeGreaterThan(0);
  });

  test("a refused request is not counted, so polling does not lengthen the wait", async () => {
    const ns = `t-${randomUUID()}`;
    const budget = { burst: 2, perMinute: 2 };
    const now = 2_000_000 * 60_000;
    const a = processLimiter(REDIS_URL, ns, budget, () => now);
    const user = `chat:${randomUUID()}`;
    await a.limiter.take(user);
    await a.limiter.take(user);
    const first = await a.limiter.take(user);
    for (let i = 0; i < 10; i++) await a.limiter.take(user);
    expect(await a.limiter.take(user)).toBe(first);
  });
});

describe("when the cache fails", () => {
  test("a cache that is down: each process limits with its own buckets, never an error", async () => {
    // Nothing listens on port 1: every operation fails at once.
    const { limiter, health } = processLimiter("redis://127.0.0.1:1", `t-${randomUUID()}`, { burst: 3, perMinute: 1 });
    const user = `chat:${randomUUID()}`;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) waits.push(await limiter.take(user));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(0);
    expect(health.failures).toBeGreaterThan(0);
  });

  describe("a cache that hangs", () => {
    let server: Server;
    const sockets = new Set<Socket>();
    let url = "";
    beforeAll(async () => {
      // Accepts connections and never answers a command.
      server = createServer((s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const addr = server.address();
      url = `redis://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    });

    test("each decision is abandoned after the cache's deadline and the local buckets decide", async () => {
      const { limiter, health } = processLimiter(url, `t-${randomUUID()}`, { burst: 2, perMinute: 1 }, Date.now, 100);
      const user = `analysis:${randomUUID()}`;
      const waits = [await limiter.take(user), await limiter.take(user), await limiter.take(user)];
      expect(waits.slice(0, 2)).toEqual([0, 0]);
      expect(waits[2]).toBeGreaterThan(0);
      expect(health.failures).toBeGreaterThan(0);
    });
  });
});

test("the 429 carries retryAfterSeconds, at least one", () => {
  const err = rateLimited("chat", 1500);
  expect(err.code).toBe("resource_exhausted");
  expect(err.details).toEqual({ retryAfterSeconds: 2 });
  expect(rateLimited("analysis", 3).details).toEqual({ retryAfterSeconds: 1 });
  expect(err.message).toBe("too many chat requests; try again in 2 seconds");
});
