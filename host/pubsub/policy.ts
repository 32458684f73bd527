// Retry policy arithmetic, kept pure so it can be tested without a database.

export interface RetryPolicy {
  minBackoffMs: number;
  maxBackoffMs: number;
  maxRetries: number;
}

/** Delay before the next attempt after attempt `attempt` (1-based) failed: min·2^(attempt-1), capped at max. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const min = Math.max(0, policy.minBackoffMs);
  const max = Math.max(min, policy.maxBackoffMs);
  const exp = Math.min(Math.max(attempt - 1, 0), 52); // 2^52 already exceeds any sane max
  return Math.min(max, min * 2 ** exp);
}

/** maxRetries counts retries, so a message gets maxRetries + 1 attempts before it becomes a dead letter. */
export function isExhausted(policy: RetryPolicy, attempt: number): boolean {
  return attempt >= Math.max(0, policy.maxRetries) + 1;
}

/** How often a live process renews the leases of its in-flight messages. */
export function leaseRenewalMs(ackDeadlineMs: number): number {
  return Math.max(10, Math.floor(ackDeadlineMs / 3));
}
