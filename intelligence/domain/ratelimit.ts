// The shared per-user rate limit as arithmetic: a sliding-window counter over two fixed windows.
// A shared cache offers atomic counters with an expiry (INCR), not a token bucket, so the budget
// "burst now, perMinute after it" becomes "at most `limit` requests in any window of `windowMs`",
// with limit = burst and windowMs = the time perMinute takes to refill a burst (20 / 20 per minute:
// 20 per 60 s). The count of a moving window is estimated from the current fixed window's counter
// and the previous one's, weighted by how much of it still overlaps.

/** A window and how many requests it allows. */
export interface WindowPolicy {
  windowMs: number;
  limit: number;
}

/** The sliding window equivalent to a bucket of `burst` refilled at `perMinute`; at least 1 s long. */
export function windowPolicy(burst: number, perMinute: number): WindowPolicy {
  const b = Math.max(1, Math.floor(burst));
  const r = Math.max(1, perMinute);
  const windowMs = Math.max(1000, Math.round((60_000 * b) / r));
  // A window lengthened to 1 s keeps the rate: it allows what perMinute gives in that second.
  return { windowMs, limit: Math.max(b, Math.floor((r * windowMs) / 60_000)) };
}

/** The fixed window `now` falls in (its index and start). */
export function windowAt(nowMs: number, windowMs: number): { index: number; startMs: number } {
  const index = Math.floor(nowMs / windowMs);
  return { index, startMs: index * windowMs };
}

/** The decision for one more request: allowed, or the milliseconds until it would be. */
export interface WindowDecision {
  allowed: boolean;
  /** The estimated requests in the moving window, this one included. */
  estimate: number;
  /** 0 when allowed; else the wait after which one request fits, if no other is made meanwhile. */
  retryAfterMs: number;
}

/**
 * Whether one more request fits, given the previous fixed window's count and the current one's
 * (both without this request).
 */
export function decide(previous: number, current: number, nowMs: number, policy: WindowPolicy): WindowDecision {
  const { windowMs: w, limit } = policy;
  const prev = Math.max(0, previous);
  const curr = Math.max(0, current);
  const elapsed = nowMs - windowAt(nowMs, w).startMs;
  const estimate = prev * (1 - elapsed / w) + curr + 1;
  if (estimate <= limit) return { allowed: true, estimate, retryAfterMs: 0 };
  // The room needed: prev * (1 - t / w) + curr <= limit - 1 at some later t in this window, or
  // in the next one, where this window's count becomes the previous one and nothing is current.
  const room = limit - 1;
  let wait: number;
  if (curr <= room && prev > 0) {
    wait = w * (1 - (room - curr) / prev) - elapsed;
  } else {
    wait = w - elapsed + (curr > 0 ? w * Math.max(0, 1 - room / curr) : 0);
  }
  return { allowed: false, estimate, retryAfterMs: Math.max(1, Math.ceil(wait)) };
}
