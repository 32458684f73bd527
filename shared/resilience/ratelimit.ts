// A token bucket: `capacity` calls in a burst, refilled at `refillPerSecond`.
import type { Clock } from "./clock";

/** A bucket's settings. */
export interface RateLimitOptions {
  capacity: number;
  refillPerSecond: number;
  clock: Clock;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Until when the provider told us to hold off (its own rate-limit headers). */
  private pausedUntil = 0;

  constructor(private readonly o: RateLimitOptions) {
    this.tokens = o.capacity;
    this.last = o.clock.now();
  }

  private refill(): void {
    const now = this.o.clock.now();
    this.tokens = Math.min(this.o.capacity, this.tokens + ((now - this.last) / 1000) * this.o.refillPerSecond);
    this.last = now;
  }

  /** Takes a token if one is there and returns 0, else returns the ms to wait before trying again. */
  tryTake(): number {
    this.refill();
    const now = this.o.clock.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.o.refillPerSecond) * 1000);
  }

  /** Holds every call for `ms` (a provider said it is near its limit). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.o.clock.now() + ms);
  }

  /** Waits until a token is available, at most `maxWaitMs` in all; false when that is not enough. */
  async acquire(maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    let waited = 0;
    for (;;) {
      const wait = this.tryTake();
      if (wait === 0) return true;
      if (waited + wait > maxWaitMs) return false;
      await this.o.clock.sleep(wait, signal);
      waited += wait;
    }
  }
}
