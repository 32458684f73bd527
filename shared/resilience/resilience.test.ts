import { describe, expect, test } from "vitest";
import {
  backoffDelay,
  CircuitBreaker,
  ManualClock,
  parseRetryAfter,
  ProviderError,
  ProviderPolicy,
  DEFAULT_POLICY,
  retry,
  TokenBucket,
  timeoutSignal,
  TimeoutError,
} from "./index";

const err = (kind: ConstructorParameters<typeof ProviderError>[1], retryAfterMs?: number) => new ProviderError("p", kind, kind, { retryAfterMs });
const opts = (clock: ManualClock) => ({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000, clock, random: () => 0.5 });

describe("retry", () => {
  test("retries retryable failures with full-jitter exponential backoff, then succeeds", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const v = await retry(async () => {
      if (++calls < 4) throw err("server");
      return "ok";
    }, opts(clock));
    expect(v).toBe("ok");
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });
  test("never retries a non-retryable failure", async () => {
    const clock = new ManualClock();
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw err("client");
      }, opts(clock)),
    ).rejects.toThrow("client");
    expect(calls).toBe(1);
    await expect(
      retry(async () => {
        throw err("malformed");
      }, opts(clock)),
    ).rejects.toThrow("malformed");
    await expect(
      retry(async () => {
        throw new Error("plain");
      }, opts(clock)),
    ).rejects.toThrow("plain");
  });
  test("waits exactly Retry-After when the provider names one", async () => {
    const clock = new ManualClock();
    let calls = 0;
    await retry(async () => {
      if (++calls === 1) throw err("rate_limited", 3000);
    }, opts(clock));
    expect(clock.sleeps).toEqual([3000]);
  });
  test("gives up at once when Retry-After exceeds the cap", async () => {
    const clock = new ManualClock();
    await expect(
      retry(async () => {
        throw err("rate_limited", 60_000);
      }, opts(clock)),
    ).rejects.toThrow("rate_limited");
    expect(clock.sleeps).toEqual([]);
  });
  test("stops after maxAttempts", async () => {
    const clock = new ManualClock();
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw err("timeout");
      }, opts(clock)),
    ).rejects.toThrow("timeout");
    expect(calls).toBe(4);
  });
  test("backoff is capped and jittered over [0, cap)", () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(10, err("server"), o, () => 0.999)).toBe(999);
    expect(backoffDelay(2, err("server"), o, () => 0)).toBe(0);
  });
  test("parseRetryAfter reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2", 0)).toBe(2000);
    expect(parseRetryAfter(new Date(5000).toUTCString(), 0)).toBe(5000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe("circuit breaker", () => {
  test("opens after the threshold, half-opens after the reset timeout, closes on a good trial", () => {
    const clock = new ManualClock(1000);
    const changes: string[] = [];
    const b = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 500, clock, onStateChange: (s) => changes.push(s) });
    for (let i = 0; i < 3; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.onFailure("x");
    }
    expect(b.state).toBe("open");
    expect(b.tryAcquire()).toBe(false);
    expect(b.retryInMs()).toBe(500);
    clock.advance(500);
    expect(b.state).toBe("half_open");
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // one trial at a time
    b.onSuccess();
    expect(b.state).toBe("closed");
    expect(changes).toEqual(["open", "half_open", "closed"]);
  });
  test("a failed trial opens the circuit again", () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 100, clock });
    b.onFailure("x");
    clock.advance(100);
    expect(b.tryAcquire()).toBe(true);
    b.onFailure("y");
    expect(b.state).toBe("open");
    expect(b.snapshot().lastError).toBe("y");
  });
  test("a restored open circuit stays open until its reset timeout, then lets a trial through", () => {
    const clock = new ManualClock(10_000);
    const b = new CircuitBreaker({ failureThreshold: 5, resetTimeoutMs: 1000, clock });
    b.restore({ state: "open", consecutiveFailures: 5, openedAt: 9_500, lastError: "down" });
    expect(b.tryAcquire()).toBe(false);
    clock.advance(500);
    expect(b.tryAcquire()).toBe(true);
  });
  test("a success resets the failure count", () => {
    const b = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 100, clock: new ManualClock() });
    b.onFailure("x");
    b.onSuccess();
    b.onFailure("x");
    expect(b.state).toBe("closed");
  });
});

describe("token bucket", () => {
  test("allows a burst of capacity, then paces at the refill rate", async () => {
    const clock = new ManualClock();
    const t = new TokenBucket({ capacity: 2, refillPerSecond: 4, clock });
    expect(t.tryTake()).toBe(0);
    expect(t.tryTake()).toBe(0);
    expect(t.tryTake()).toBe(250);
    expect(await t.acquire(1000)).toBe(true);
    expect(clock.sleeps).toEqual([250]);
    expect(await t.acquire(100)).toBe(false);
  });
  test("a provider's pause holds every call", () => {
    const clock = new ManualClock();
    const t = new TokenBucket({ capacity: 5, refillPerSecond: 5, clock });
    t.pause(700);
    expect(t.tryTake()).toBe(700);
    clock.advance(700);
    expect(t.tryTake()).toBe(0);
  });
});

describe("timeouts and the policy", () => {
  test("timeoutSignal aborts with a TimeoutError", async () => {
    const t = timeoutSignal(5);
    await new Promise((r) => t.signal.addEventListener("abort", r));
    expect(t.signal.reason).toBeInstanceOf(TimeoutError);
  });
  test("the policy opens the circuit after repeated server failures and fails fast", async () => {
    const clock = new ManualClock();
    const p = new ProviderPolicy({ ...DEFAULT_POLICY, provider: "p", clock, random: () => 0, maxAttempts: 2, failureThreshold: 2, resetTimeoutMs: 1000 });
    let calls = 0;
    await expect(
      p.run(async () => {
        calls++;
        throw err("server");
      }),
    ).rejects.toThrow("server");
    expect(p.breaker.state).toBe("open");
    await expect(
      p.run(async () => {
        calls++;
        return 1;
      }),
    ).rejects.toMatchObject({ kind: "circuit_open" });
    expect(calls).toBe(2);
    clock.advance(1000);
    expect(await p.run(async () => 7)).toBe(7);
    expect(p.breaker.state).toBe("closed");
  });
  test("client errors do not count against the circuit", async () => {
    const p = new ProviderPolicy({ ...DEFAULT_POLICY, provider: "p", clock: new ManualClock(), failureThreshold: 1 });
    await expect(
      p.run(async () => {
        throw err("client");
      }),
    ).rejects.toThrow();
    expect(p.breaker.state).toBe("closed");
  });
});
