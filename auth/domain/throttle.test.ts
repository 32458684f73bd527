import { describe, expect, test } from "vitest";
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  LoginThrottle,
  ThrottledError,
  accountSubject,
  addressSubject,
  clientAddress,
  lockSecondsAfter,
  parseRegistrationLimit,
  WindowRateLimit,
  type ThrottleStore,
} from "./throttle";

// A ThrottleStore in memory, on a clock the test moves; each call yields, as a real store would.
class MemoryStore implements ThrottleStore {
  counts = new Map<string, { n: number; endsAt: number }>();
  locks = new Map<string, number>();
  constructor(private readonly clock: { now: number }) {}
  async lockedUntil(key: string) {
    await Promise.resolve();
    return this.locks.get(key) ?? null;
  }
  async count(key: string, windowSeconds: number) {
    await Promise.resolve();
    const c = this.counts.get(key);
    if (!c || c.endsAt <= this.clock.now) {
      this.counts.set(key, { n: 1, endsAt: this.clock.now + windowSeconds * 1000 });
      return 1;
    }
    return ++c.n;
  }
  async lock(key: string, untilMs: number) {
    await Promise.resolve();
    this.locks.set(key, untilMs);
  }
  async reset(key: string) {
    this.counts.delete(key);
    this.locks.delete(key);
  }
}

function setup() {
  const clock = { now: Date.parse("2026-01-01T00:00:00Z") };
  const store = new MemoryStore(clock);
  const throttle = new LoginThrottle(store, () => clock.now);
  return { clock, store, throttle, account: accountSubject("a@b.org"), address: addressSubject("10.0.0.1") };
}

async function retryAfter(p: Promise<unknown>): Promise<number> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ThrottledError);
  return (err as ThrottledError).retryAfterSeconds;
}

describe("lock-out durations", () => {
  test("none before the threshold, then doubling from 30 s up to 15 min", () => {
    expect([4, 5, 6, 7, 8, 9, 10, 50].map((n) => lockSecondsAfter(n, ACCOUNT_POLICY))).toEqual([0, 30, 60, 120, 240, 480, 900, 900]);
    expect(lockSecondsAfter(19, ADDRESS_POLICY)).toBe(0);
    expect(lockSecondsAfter(20, ADDRESS_POLICY)).toBe(30);
  });
});

describe("the login throttle", () => {
  test("5 failures lock the account for 30 s; the next attempt is refused with the time left", async () => {
    const { throttle, account, clock } = setup();
    for (let i = 1; i <= 4; i++) expect(await (await throttle.begin(account, null)).failed()).toEqual([]);
    expect(await (await throttle.begin(account, null)).failed()).toEqual([{ key: account.key, failures: 5, seconds: 30 }]);
    expect(await retryAfter(throttle.begin(account, null))).toBe(30);
    clock.now += 20_000;
    expect(await retryAfter(throttle.begin(account, null))).toBe(10);
  });

  test("after the lock runs out, one more failure locks for twice as long", async () => {
    const { throttle, account, clock } = setup();
    for (let i = 1; i <= 5; i++) await (await throttle.begin(account, null)).failed();
    clock.now += 30_000;
    expect(await (await throttle.begin(account, null)).failed()).toEqual([{ key: account.key, failures: 6, seconds: 60 }]);
    expect(await retryAfter(throttle.begin(account, null))).toBe(60);
  });

  test("a success resets the account", async () => {
    const { throttle, account } = setup();
    for (let i = 1; i <= 4; i++) await (await throttle.begin(account, null)).failed();
    await (await throttle.begin(account, null)).succeeded();
    for (let i = 1; i <= 4; i++) expect(await (await throttle.begin(account, null)).failed()).toEqual([]);
  });

  test("a burst of parallel guesses gets no more than 5 checked before the lock", async () => {
    const { throttle, account } = setup();
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => throttle.begin(account, null)));
    const admitted = outcomes.filter((o) => o.status === "fulfilled").length;
    // The first five, plus at most one probe while the fifth failure has not set the lock yet.
    expect(admitted).toBeLessThanOrEqual(6);
    expect(outcomes.filter((o) => o.status === "rejected").every((o) => (o as PromiseRejectedResult).reason instanceof ThrottledError)).toBe(true);
  });

  test("after a lock runs out, a parallel burst gets exactly one attempt checked", async () => {
    const { throttle, account, clock } = setup();
    for (let i = 1; i <= 5; i++) await (await throttle.begin(account, null)).failed();
    clock.now += 30_000;
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => throttle.begin(account, null)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
  });

  test("the address is locked after 20 failures across accounts, and a success on one account does not clear it", async () => {
    const { throttle, address } = setup();
    for (let i = 0; i < 19; i++) await (await throttle.begin(accountSubject(`user${i}@x.org`), address)).failed();
    await (await throttle.begin(accountSubject("mine@x.org"), address)).succeeded();
    const locks = await (await throttle.begin(accountSubject("user19@x.org"), address)).failed();
    expect(locks).toEqual([{ key: address.key, failures: 20, seconds: 30 }]);
    expect(await retryAfter(throttle.begin(accountSubject("fresh@x.org"), address))).toBe(30);
    // The same account from another address is not locked.
    await expect(throttle.begin(accountSubject("fresh@x.org"), addressSubject("10.0.0.2"))).resolves.toBeDefined();
  });
});

describe("the client address", () => {
  test("is the first X-Forwarded-For entry, else X-Real-IP, normalised", () => {
    expect(clientAddress({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" })).toBe("203.0.113.7");
    expect(clientAddress({ "X-Forwarded-For": ["203.0.113.7:5123", "10.0.0.1"] })).toBe("203.0.113.7");
    expect(clientAddress({ "x-real-ip": "[2001:DB8::1]:443" })).toBe("2001:db8::1");
    expect(clientAddress({ "x-real-ip": "::ffff:198.51.100.4" })).toBe("198.51.100.4");
  });

  test("is null when missing or not an address (no shared bucket for unknown clients)", () => {
    expect(clientAddress({})).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "evil, 10.0.0.1" })).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "1".repeat(100) })).toBeNull();
  });
});

describe("the registration limit", () => {
  test("the secret: empty is 10, a whole number 1–100000 is used, anything else is the default with a problem", () => {
    expect(parseRegistrationLimit("")).toEqual({ max: 10 });
    expect(parseRegistrationLimit(undefined)).toEqual({ max: 10 });
    expect(parseRegistrationLimit(" 3 ")).toEqual({ max: 3 });
    for (const bad of ["0", "-1", "2.5", "ten", "100001", "1e3"]) {
      const parsed = parseRegistrationLimit(bad);
      expect(parsed.max).toBe(10);
      expect(parsed.problem).toContain("REGISTRATIONS_PER_ADDRESS_PER_HOUR");
    }
  });

  test("max attempts per clock hour; the next is refused until the hour ends, per key", async () => {
    const clock = { now: Date.parse("2026-01-01T10:15:00Z") };
    const limit = new WindowRateLimit(new MemoryStore(clock), { max: 2, windowSeconds: 3600 }, () => clock.now);
    expect([await limit.take("reg:addr:a"), await limit.take("reg:addr:a")]).toEqual([1, 2]);
    expect(await retryAfter(limit.take("reg:addr:a"))).toBe(45 * 60);
    expect(await limit.take("reg:addr:b")).toBe(1);
    clock.now = Date.parse("2026-01-01T10:59:59.500Z");
    expect(await retryAfter(limit.take("reg:addr:a"))).toBe(1);
    clock.now = Date.parse("2026-01-01T11:00:00Z");
    expect(await limit.take("reg:addr:a")).toBe(1);
  });
});
