import { describe, expect, test } from "vitest";
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  LoginThrottle,
  PAIR_POLICY,
  ThrottledError,
  clientAddress,
  lockSecondsAfter,
  loginSubjects,
  parseRegistrationLimit,
  registrationSubject,
  requestOrigin,
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
  return { clock, store, throttle, owner: loginSubjects("a@b.org", "10.0.0.1") };
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
  test("none before the threshold, then doubling up to 15 min", () => {
    expect([4, 5, 6, 7, 8, 9, 10, 50].map((n) => lockSecondsAfter(n, PAIR_POLICY))).toEqual([0, 30, 60, 120, 240, 480, 900, 900]);
    expect([49, 50, 51, 52, 53, 54, 200].map((n) => lockSecondsAfter(n, ACCOUNT_POLICY))).toEqual([0, 60, 120, 240, 480, 900, 900]);
    expect(lockSecondsAfter(19, ADDRESS_POLICY)).toBe(0);
    expect(lockSecondsAfter(20, ADDRESS_POLICY)).toBe(30);
  });
});

describe("the login throttle, per account and address", () => {
  test("5 failures lock the pair for 30 s; the next attempt is refused with the time left", async () => {
    const { throttle, owner, clock } = setup();
    for (let i = 1; i <= 4; i++) expect(await (await throttle.begin(owner, false)).failed()).toEqual([]);
    expect(await (await throttle.begin(owner, false)).failed()).toEqual([{ kind: "pair", key: owner.pair.key, failures: 5, seconds: 30 }]);
    expect(await retryAfter(throttle.begin(owner, false))).toBe(30);
    clock.now += 20_000;
    expect(await retryAfter(throttle.begin(owner, false))).toBe(10);
  });

  test("after the lock runs out, one more failure locks for twice as long", async () => {
    const { throttle, owner, clock } = setup();
    for (let i = 1; i <= 5; i++) await (await throttle.begin(owner, false)).failed();
    clock.now += 30_000;
    expect(await (await throttle.begin(owner, false)).failed()).toEqual([{ kind: "pair", key: owner.pair.key, failures: 6, seconds: 60 }]);
    expect(await retryAfter(throttle.begin(owner, false))).toBe(60);
  });

  test("a success resets the pair", async () => {
    const { throttle, owner } = setup();
    for (let i = 1; i <= 4; i++) await (await throttle.begin(owner, false)).failed();
    await (await throttle.begin(owner, false)).succeeded();
    for (let i = 1; i <= 4; i++) expect(await (await throttle.begin(owner, false)).failed()).toEqual([]);
  });

  test("a burst of parallel guesses gets no more than 5 checked before the lock", async () => {
    const { throttle, owner } = setup();
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => throttle.begin(owner, false)));
    const admitted = outcomes.filter((o) => o.status === "fulfilled").length;
    // The first five, plus at most one probe while the fifth failure has not set the lock yet.
    expect(admitted).toBeLessThanOrEqual(6);
    expect(outcomes.filter((o) => o.status === "rejected").every((o) => (o as PromiseRejectedResult).reason instanceof ThrottledError)).toBe(true);
  });

  test("after a lock runs out, a parallel burst gets exactly one attempt checked", async () => {
    const { throttle, owner, clock } = setup();
    for (let i = 1; i <= 5; i++) await (await throttle.begin(owner, false)).failed();
    clock.now += 30_000;
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => throttle.begin(owner, false)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
  });

  test("the address is locked after 20 failures across accounts, and a success on one account does not clear it", async () => {
    const { throttle } = setup();
    const from = (email: string) => loginSubjects(email, "10.0.0.1");
    for (let i = 0; i < 19; i++) await (await throttle.begin(from(`user${i}@x.org`), false)).failed();
    await (await throttle.begin(from("mine@x.org"), false)).succeeded();
    const locks = await (await throttle.begin(from("user19@x.org"), false)).failed();
    expect(locks).toEqual([{ kind: "address", key: from("x").address.key, failures: 20, seconds: 30 }]);
    expect(await retryAfter(throttle.begin(from("fresh@x.org"), false))).toBe(30);
    // The same account from another address is not locked; an account that knows this address is not either.
    await expect(throttle.begin(loginSubjects("fresh@x.org", "10.0.0.2"), false)).resolves.toBeDefined();
    await expect(throttle.begin(from("mine@x.org"), true)).resolves.toBeDefined();
  });
});

describe("no lock-out by strangers", () => {
  // An attacker guessing the owner's password from many addresses, 5 guesses each (the pair limit).
  async function guessFromManyAddresses(throttle: LoginThrottle, email: string, addresses: number): Promise<{ checked: number; refused: number }> {
    let checked = 0;
    let refused = 0;
    for (let a = 0; a < addresses; a++) {
      for (let i = 0; i < 5; i++) {
        try {
          await (await throttle.begin(loginSubjects(email, `203.0.113.${a}`), false)).failed();
          checked++;
        } catch (err) {
          if (!(err instanceof ThrottledError)) throw err;
          refused++;
        }
      }
    }
    return { checked, refused };
  }

  test("failures from a stranger's address lock that pair only: the owner at their own address signs in", async () => {
    const { throttle, owner } = setup();
    const stranger = loginSubjects("a@b.org", "198.51.100.9");
    for (let i = 0; i < 5; i++) await (await throttle.begin(stranger, false)).failed();
    expect(await retryAfter(throttle.begin(stranger, false))).toBe(30);
    // The owner has never signed in from 10.0.0.1 before either: still not locked.
    await expect(throttle.begin(owner, false)).resolves.toBeDefined();
  });

  test("guessing spread over many addresses meets the account-wide ceiling: 50 checked, then locks of 60 s and up", async () => {
    const { throttle, clock } = setup();
    const { checked, refused } = await guessFromManyAddresses(throttle, "a@b.org", 40);
    expect(checked).toBe(ACCOUNT_POLICY.maxFailures);
    expect(refused).toBe(200 - ACCOUNT_POLICY.maxFailures);
    // A new address is refused too, for the lock's time left.
    expect(await retryAfter(throttle.begin(loginSubjects("a@b.org", "192.0.2.1"), false))).toBe(60);
    // After the lock, exactly one guess is checked; its failure locks for twice as long.
    clock.now += 60_000;
    const locks = await (await throttle.begin(loginSubjects("a@b.org", "192.0.2.2"), false)).failed();
    expect(locks).toContainEqual({ kind: "account", key: "acct:a@b.org", failures: 51, seconds: 120 });
    expect(await retryAfter(throttle.begin(loginSubjects("a@b.org", "192.0.2.3"), false))).toBe(120);
  });

  test("while the account is under attack, the owner at an address they signed in from before is let through", async () => {
    const { throttle, owner } = setup();
    await guessFromManyAddresses(throttle, "a@b.org", 40);
    const attempt = await throttle.begin(owner, true);
    expect(attempt.accountNumber).toBeNull();
    await attempt.succeeded();
    // Their success does not reopen guessing from elsewhere.
    await expect(throttle.begin(loginSubjects("a@b.org", "192.0.2.9"), false)).rejects.toBeInstanceOf(ThrottledError);
    // And their own typos are limited by their pair only (5, then 30 s).
    for (let i = 0; i < 5; i++) await (await throttle.begin(owner, true)).failed();
    expect(await retryAfter(throttle.begin(owner, true))).toBe(30);
  });

  test("the answers are the same for an account that does not exist (no enumeration)", async () => {
    const a = setup();
    const b = setup();
    const real = await guessFromManyAddresses(a.throttle, "a@b.org", 12);
    const ghost = await guessFromManyAddresses(b.throttle, "nobody@b.org", 12);
    expect(ghost).toEqual(real);
  });
});

describe("the client address", () => {
  test("is X-Real-IP, else the first X-Forwarded-For entry, normalised", () => {
    expect(clientAddress({ "x-real-ip": "198.51.100.4", "x-forwarded-for": "203.0.113.7" })).toBe("198.51.100.4");
    expect(clientAddress({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" })).toBe("203.0.113.7");
    expect(clientAddress({ "X-Forwarded-For": ["203.0.113.7:5123", "10.0.0.1"] })).toBe("203.0.113.7");
    expect(clientAddress({ "x-real-ip": "[2001:DB8::1]:443" })).toBe("2001:db8::1");
    expect(clientAddress({ "x-real-ip": "::ffff:198.51.100.4" })).toBe("198.51.100.4");
  });

  test("is null when missing or not an address", () => {
    expect(clientAddress({})).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "evil, 10.0.0.1" })).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "1".repeat(100) })).toBeNull();
  });

  test("a client without one shares the unknown bucket (never unlimited); only calls from inside the app have no origin", () => {
    expect(requestOrigin({ host: "localhost:4000" })).toBe("unknown");
    expect(requestOrigin({ host: "x", "x-real-ip": "not an ip" })).toBe("unknown");
    expect(requestOrigin({ host: "x", "x-real-ip": "203.0.113.7" })).toBe("203.0.113.7");
    expect(requestOrigin({})).toBeNull();
    expect(loginSubjects("a@b.org", null).address.key).toBe("addr:unknown");
    // One shared bucket is not "many addresses": its pair and address limits hold it, not the account-wide ceiling.
    expect(loginSubjects("a@b.org", null).account).toBeNull();
    expect(loginSubjects("a@b.org", "203.0.113.7").account?.key).toBe("acct:a@b.org");
    expect(registrationSubject("unknown")).toBe(registrationSubject(null));
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
