// Which days to ask an ad platform for, pure. The cursor of one (campaign, account) is the last
// *settled* day fetched: days up to it are never fetched again; days after it (yesterday and
// today, still moving: late clicks, attribution, the account's own time zone) are fetched again on
// each poll until they settle. A campaign whose start moved earlier than the cursor's first day is
// fetched again from its new start.

const DAY_MS = 86_400_000;

/** How many days back from today are still moving (fetched again each poll). */
export const SETTLE_DAYS = 2;

/** One (campaign, account) cursor: the first day it covers and the last settled day fetched. */
export interface AdCursor {
  from: string;
  through: string;
}

/** Every account's cursor of one campaign on one platform (the JSON stored in integrations' cursors). */
export interface AdCursors {
  accounts: Record<string, AdCursor>;
}

/** YYYY-MM-DD of a time, in UTC. */
export function dayOf(t: Date): string {
  return t.toISOString().slice(0, 10);
}

/** `day` moved by `n` days. */
export function addDays(day: string, n: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** The campaign's last day: the day of its end, or the day before when it ends exactly at midnight. */
export function lastDayOf(end: Date): string {
  return dayOf(new Date(end.getTime() - 1));
}

/**
 * The days to fetch for one account: from the day after the cursor (or the campaign's first day)
 * to today or the campaign's last day, whichever is first; null when there is nothing to fetch
 * (the campaign has not started, or every one of its days is settled and fetched).
 */
export function adWindow(cursor: AdCursor | null, start: Date, end: Date, now: Date): { since: string; until: string } | null {
  const first = dayOf(start);
  const last = lastDayOf(end);
  const today = dayOf(now);
  const valid = cursor && cursor.from <= first ? cursor : null;
  const since = valid ? addDays(valid.through, 1) : first;
  // biome-ignore lint/complexity/useMathMinMax: ISO day strings, not numbers
  const until = today < last ? today : last;
  if (since > until) return null;
  return { since, until };
}

/** The cursor after fetching `window` completely: the last day of it that is settled (or the cursor unchanged). */
export function advanceAdCursor(cursor: AdCursor | null, start: Date, window: { since: string; until: string }, now: Date): AdCursor | null {
  const first = dayOf(start);
  const settled = addDays(dayOf(now), -SETTLE_DAYS);
  // biome-ignore lint/complexity/useMathMinMax: ISO day strings, not numbers
  const through = window.until < settled ? window.until : settled;
  const valid = cursor && cursor.from <= first ? cursor : null;
  if (through < window.since) return valid; // nothing of the window is settled yet
  return { from: valid?.from ?? first, through };
}

/** The canonical form of an account id, or null when it is not one: Meta act_<digits>, Google 10 digits. */
export function canonicalAccountId(platform: "meta" | "google", raw: string): string | null {
  const id = raw.trim();
  if (platform === "meta") {
    const m = /^(?:act_)?(\d{1,20})$/.exec(id);
    return m ? `act_${m[1]}` : null;
  }
  const digits = id.replace(/-/g, "");
  return /^\d{10}$/.test(digits) && /^(\d{3}-\d{3}-\d{4}|\d{10})$/.test(id) ? digits : null;
}
