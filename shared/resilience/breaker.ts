// A circuit breaker: after `failureThreshold` consecutive failures the circuit opens and calls fail
// fast; after `resetTimeoutMs` one trial call is let through (half-open): success closes it, failure
// opens it again.
import type { Clock } from "./clock";

export type CircuitState = "closed" | "open" | "half_open";

/** A breaker's settings. */
export interface BreakerOptions {
  failureThreshold: number;
  resetTimeoutMs: number;
  clock: Clock;
  /** Told on every state change (to persist it, to log it). */
  onStateChange?: (state: CircuitState, snapshot: BreakerSnapshot) => void;
}

/** What a breaker looks like from outside. */
export interface BreakerSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** When the circuit last opened (ms since epoch), null if it never has. */
  openedAt: number | null;
  lastError: string | null;
}

export class CircuitBreaker {
  private s: BreakerSnapshot = { state: "closed", consecutiveFailures: 0, openedAt: null, lastError: null };
  private trialInFlight = false;

  constructor(private readonly o: BreakerOptions) {}

  /** The current state; an open circuit whose timeout has passed reads as half-open. */
  get state(): CircuitState {
    if (this.s.state === "open" && this.s.openedAt !== null && this.o.clock.now() - this.s.openedAt >= this.o.resetTimeoutMs) {
      return "half_open";
    }
    return this.s.state;
  }

  snapshot(): BreakerSnapshot {
    return { ...this.s, state: this.state };
  }

  /** Restores a persisted snapshot (e.g. at start-up). */
  restore(snap: BreakerSnapshot): void {
    this.s = { ...snap, state: snap.state === "half_open" ? "open" : snap.state };
  }

  /** Milliseconds until an open circuit lets a trial through (0 when not open). */
  retryInMs(): number {
    if (this.state !== "open" || this.s.openedAt === null) return 0;
    return Math.max(0, this.s.openedAt + this.o.resetTimeoutMs - this.o.clock.now());
  }

  /** Whether a call may go now; in half-open only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open") return false;
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    if (this.s.state !== "half_open") this.set({ ...this.s, state: "half_open" });
    return true;
  }

  onSuccess(): void {
    this.trialInFlight = false;
    if (this.s.state !== "closed" || this.s.consecutiveFailures !== 0) {
      this.set({ state: "closed", consecutiveFailures: 0, openedAt: null, lastError: this.s.lastError });
    }
  }

  onFailure(error: string): void {
    const wasTrial = this.trialInFlight || this.s.state === "half_open";
    this.trialInFlight = false;
    const failures = this.s.consecutiveFailures + 1;
    if (wasTrial || failures >= this.o.failureThreshold) {
      this.set({ state: "open", consecutiveFailures: failures, openedAt: this.o.clock.now(), lastError: error });
    } else {
      this.s = { ...this.s, consecutiveFailures: failures, lastError: error };
    }
  }

  /** A call that neither proved nor disproved the provider's health (e.g. a 400): frees a half-open trial. */
  onNeutral(): void {
    if (this.trialInFlight) {
      this.trialInFlight = false;
      this.onSuccess();
    }
  }

  private set(next: BreakerSnapshot): void {
    const changed = next.state !== this.s.state;
    this.s = next;
    if (changed) this.o.onStateChange?.(next.state, this.snapshot());
  }
}
