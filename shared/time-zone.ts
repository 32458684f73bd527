// IANA time zones: checking a name, and the local wall-clock time of an instant in a zone. Pure
// (Intl's time-zone data ships with Node).

/** The canonical name of an IANA time zone ("europe/paris" → "Europe/Paris"), or null when there is no such zone. */
export function normalizeTimeZone(name: string): string | null {
  const raw = name.trim();
  if (!raw || raw.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Minutes since local midnight of `at` in `timeZone` (0..1439). */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return (hour % 24) * 60 + minute;
}

/** "22:00" → 1320; null unless HH:MM on a 24-hour clock. */
export function parseClock(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * When quiet hours (local `start`..`end`, minutes of the day; overnight when end < start) holding
 * `at` end, or null when `at` is outside them. Counted in wall-clock minutes from `at`: a daylight
 * saving change inside the window shifts the end by its hour.
 */
export function quietUntil(at: Date, timeZone: string, start: number, end: number): Date | null {
  if (start === end) return null;
  const now = localMinuteOfDay(at, timeZone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  const minutesLeft = (end - now + 1440) % 1440;
  const next = new Date(at.getTime() + minutesLeft * 60_000);
  next.setUTCSeconds(0, 0);
  return next;
}
