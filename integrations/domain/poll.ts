// When to poll, pure: each campaign's feed at its refreshInterval. Cron runs every minute, so a
// feed with a shorter interval is polled several times inside one run.

/** The default when a campaign has no monitoring configuration. */
export const DEFAULT_REFRESH_SECONDS = 300;

/** Offsets (ms from the run's start) at which to poll a feed within one cron minute: 0, i, 2i, … < 60 s. */
export function pollOffsets(refreshSeconds: number, runMs = 60_000): number[] {
  const every = Math.max(10, refreshSeconds) * 1000;
  const out: number[] = [];
  for (let t = 0; t < runMs; t += every) out.push(t);
  return out;
}

/** Splits mentions into ingest batches of at most `size` (monitoring takes ≤ 1000 per call). */
export function batches<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The window to ask Mentionlytics for: from a day before the cursor (its dates are by day, and late
 * arrivals are filtered by the cursor), or `firstWindowMs` back on the very first poll.
 */
export function pollWindow(cursorAt: string | null, now: Date, firstWindowMs = 86400_000): { since: Date; until: Date } {
  const since = cursorAt ? new Date(Date.parse(cursorAt) - 86400_000) : new Date(now.getTime() - firstWindowMs);
  return { since, until: now };
}
