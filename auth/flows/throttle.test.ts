// Login throttling's stores against the real Redis and Postgres, and what happens when the cache is down.
import "../../tests/fakes/auth-secrets";
import { describe, expect, test } from "vitest";
import { randomUUID } from "node:crypto";
import { createCache } from "../../shared/cache";
import { loginSubjects, LoginThrottle, registrationSubject, ThrottledError, WindowRateLimit } from "../domain/throttle";
import { CacheThrottleStore, DatabaseThrottleStore, FallbackThrottleStore } from "./throttle";
import * as store from "../store";
import { redisForTests } from "../../host/testing/services.ts";

const REDIS_URL = redisForTests("the throttle tests on Redis");

function deadCache() {
  const health = { failures: 0 };
  // Nothing listens on port 1: every operation fails at once.
  const cache = createCache({
    redisUrl: "redis://127.0.0.1:1",
    namespace: `t-${randomUUID()}`,
    errorIntervalMs: 0,
    onError: () => health.failures++,
    operationTimeoutMs: 100,
  });
  return { cache, health };
}

function liveCache() {
  const health = { failures: 0 };
  const cache = createCache({ redisUrl: REDIS_URL, namespace: `t-${randomUUID()}`, errorIntervalMs: 0, onError: () => health.failures++ });
  return { cache, health };
}

async function failFive(throttle: LoginThrottle, email: string) {
  for (let i = 0; i < 5; i++) await (await throttle.begin(loginSubjects(email, "192.0.2.1"), false)).failed();
}

describe("throttling stores", () => {
  test("the database store counts, locks and resets", async () => {
    const db = new DatabaseThrottleStore();
    const key = `acct:${randomUUID()}`;
    expect([await db.count(key, 60), await db.count(key, 60)]).toEqual([1, 2]);
    const until = Date.now() + 30_000;
    await db.lock(key, until, 60);
    expect(Math.abs((await db.lockedUntil(key))! - until)).toBeLessThan(5);
    await db.reset(key);
    expect(await db.lockedUntil(key)).toBeNull();
    expect(await db.count(key, 60)).toBe(1);
  });

  test.skipIf(!REDIS_URL)("the cache store counts and locks in Redis", async () => {
    const { cache, health } = liveCache();
    const s = new CacheThrottleStore(cache, health);
    expect([await s.count("k", 60), await s.count("k", 60)]).toEqual([1, 2]);
    await s.lock("k", 123_000, 60);
    expect(await s.lockedUntil("k")).toBe(123_000);
    await s.reset("k");
    expect(await s.lockedUntil("k")).toBeNull();
    await cache.close();
  });

  test("with the cache down, throttling still locks the account, counting in the database", async () => {
    const { cache, health } = deadCache();
    const throttle = new LoginThrottle(new FallbackThrottleStore(new CacheThrottleStore(cache, health), new DatabaseThrottleStore()));
    const email = `${randomUUID()}@example.org`;
    await failFive(throttle, email);
    await expect(throttle.begin(loginSubjects(email, "192.0.2.1"), false)).rejects.toBeInstanceOf(ThrottledError);
    expect(await store.throttleLockedUntil(loginSubjects(email, "192.0.2.1").pair.key)).toBeGreaterThan(Date.now());
    expect(health.failures).toBeGreaterThan(0);
    await cache.close();
  });

  test("with the cache down, a correct sign-in is not refused", async () => {
    const { cache, health } = deadCache();
    const throttle = new LoginThrottle(new FallbackThrottleStore(new CacheThrottleStore(cache, health), new DatabaseThrottleStore()));
    const attempt = await throttle.begin(loginSubjects(`${randomUUID()}@example.org`, "192.0.2.1"), false);
    await expect(attempt.succeeded()).resolves.toBeUndefined();
    await cache.close();
  });

  test("a lock set while the cache was down is honoured once the cache is back", async () => {
    const email = `${randomUUID()}@example.org`;
    const down = deadCache();
    await failFive(new LoginThrottle(new FallbackThrottleStore(new CacheThrottleStore(down.cache, down.health), new DatabaseThrottleStore())), email);
    const up = liveCache();
    const throttle = new LoginThrottle(new FallbackThrottleStore(new CacheThrottleStore(up.cache, up.health), new DatabaseThrottleStore()));
    await expect(throttle.begin(loginSubjects(email, "192.0.2.1"), false)).rejects.toBeInstanceOf(ThrottledError);
    await Promise.all([down.cache.close(), up.cache.close()]);
  });
});

describe("the registration limit on the real stores", () => {
  // The store counts in real time; the limit's clock is the test's, so an hour passes at once.
  async function exercise(s: FallbackThrottleStore) {
    const clock = { now: Date.now() };
    const limit = new WindowRateLimit(s, { max: 3, windowSeconds: 3600 }, () => clock.now);
    const here = registrationSubject(`198.51.100.7-${randomUUID()}`);
    const there = registrationSubject(`203.0.113.7-${randomUUID()}`);
    for (let i = 1; i <= 3; i++) expect(await limit.take(here)).toBe(i);
    const refused = await limit.take(here).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ThrottledError);
    const endOfHour = (Math.floor(clock.now / 3_600_000) + 1) * 3_600_000;
    expect((refused as ThrottledError).retryAfterSeconds).toBe(Math.max(1, Math.ceil((endOfHour - clock.now) / 1000)));
    expect(await limit.take(there)).toBe(1);
    clock.now = endOfHour;
    expect(await limit.take(here)).toBe(1);
  }

  test.skipIf(!REDIS_URL)("in Redis: refused past the budget with the time left, other addresses unaffected, the next hour starts afresh", async () => {
    const { cache, health } = liveCache();
    await exercise(new FallbackThrottleStore(new CacheThrottleStore(cache, health), new DatabaseThrottleStore()));
    expect(health.failures).toBe(0);
    await cache.close();
  });

  test("with the cache down, the same limit holds, counting in the database", async () => {
    const { cache, health } = deadCache();
    await exercise(new FallbackThrottleStore(new CacheThrottleStore(cache, health), new DatabaseThrottleStore()));
    expect(health.failures).toBeGreaterThan(0);
    await cache.close();
  });
});

describe("addresses an account signed in from", () => {
  async function account(email: string) {
    return store.createAccount({ email, passwordHash: "!", name: "Known", role: "viewer", firstBecomesAdmin: false });
  }

  test("known after a success there, for that account only; forgotten with the account, and after 90 days unused", async () => {
    const email = `${randomUUID()}@example.org`;
    const a = await account(email);
    expect(await store.isKnownAddress(email, "198.51.100.1")).toBe(false);
    await store.rememberAddress(a.id, "198.51.100.1");
    await store.rememberAddress(a.id, "198.51.100.1"); // again: one row, seen now
    expect(await store.isKnownAddress(email, "198.51.100.1")).toBe(true);
    expect(await store.isKnownAddress(email, "198.51.100.2")).toBe(false);
    expect(await store.isKnownAddress(`${randomUUID()}@example.org`, "198.51.100.1")).toBe(false);

    const { db } = await import("../db");
    await db.exec`UPDATE login_addresses SET last_seen_at = now() - interval '91 days' WHERE user_id = ${a.id}`;
    expect(await store.isKnownAddress(email, "198.51.100.1")).toBe(false);
    expect((await store.deleteExpired()).addresses).toBeGreaterThanOrEqual(1);

    await store.rememberAddress(a.id, "198.51.100.3");
    await store.softDeleteAccount(a.id);
    expect(await db.queryRow`SELECT 1 AS one FROM login_addresses WHERE user_id = ${a.id}`).toBeNull();
  });
});
