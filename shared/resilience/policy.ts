// One provider's resilience in one place: rate limit → circuit breaker → timeout, retried with
// backoff on retryable failures. Clients wrap each HTTP call in `policy.run`.
import { CircuitBreaker, type BreakerSnapshot, type CircuitState } from "./breaker";
import type { Clock } from "./clock";
import { ProviderError } from "./errors";
import { TokenBucket } from "./ratelimit";
import { retry } from "./retry";
import { timeoutSignal } from "./timeout";

/** A provider's resilience settings. */
export interface PolicyOptions {
  provider: string;
  clock: Clock;
  random?: () => number;
  /** Per attempt. */
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  failureThreshold: number;
  resetTimeoutMs: number;
  rateCapacity: number;
  ratePerSecond: number;
  /** How long a call may wait for a rate-limit token before failing. */
  maxQueueMs: number;
  onStateChange?: (state: CircuitState, snapshot: BreakerSnapshot) => void;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Defaults that suit a remote HTTP API; callers override what they know better. */
export const DEFAULT_POLICY: Omit<PolicyOptions, "provider" | "clock"> = {
  timeoutMs: 10_000,
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
  failureThreshold: 5,
  resetTimeoutMs: 30_000,
  rateCapacity: 20,
  ratePerSecond: 10,
  maxQueueMs: 5_000,
};

export class ProviderPolicy {
  readonly breaker: CircuitBreaker;
  readonly bucket: TokenBucket;

  constructor(readonly o: PolicyOptions) {
    this.breaker = new CircuitBreaker({
      failureThreshold: o.failureThreshold,
      resetTimeoutMs: o.resetTimeoutMs,
      clock: o.clock,
      onStateChange: o.onStateChange,
    });
    this.bucket = new TokenBucket({ capacity: o.rateCapacity, refillPerSecond: o.ratePerSecond, clock: o.clock });
  }

  /** Runs `attempt` under the policy; `attempt` gets the per-attempt abort signal and must throw ProviderError on failure. */
  run<T>(attempt: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const p = this.o.provider;
    return retry(
      async () => {
        if (!(await this.bucket.acquire(this.o.maxQueueMs, signal))) {
          throw new ProviderError(p, "rate_limited", "local rate limit: too many calls queued", { retryAfterMs: this.bucket.tryTake() });
        }
        if (!this.breaker.tryAcquire()) {
          throw new ProviderError(p, "circuit_open", `circuit open after repeated failures; next trial in ${Math.ceil(this.breaker.retryInMs() / 1000)} s`, {
            retryAfterMs: this.breaker.retryInMs(),
          });
        }
        const t = timeoutSignal(this.o.timeoutMs, signal);
        try {
          const result = await attempt(t.signal);
          this.breaker.onSuccess();
          return result;
        } catch (err) {
          if (err instanceof ProviderError && err.countsAgainstCircuit) this.breaker.onFailure(err.message);
          else this.breaker.onNeutral();
          if (err instanceof ProviderError && err.kind === "rate_limited" && err.retryAfterMs) this.bucket.pause(err.retryAfterMs);
          throw err;
        } finally {
          t.clear();
        }
      },
      {
        maxAttempts: this.o.maxAttempts,
        baseDelayMs: this.o.baseDelayMs,
        maxDelayMs: this.o.maxDelayMs,
        maxRetryAfterMs: this.o.maxRetryAfterMs,
        clock: this.o.clock,
        random: this.o.random,
        signal,
        onRetry: this.o.onRetry,
      },
    );
  }
}
