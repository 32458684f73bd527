// Cron schedules, pure: parsing standard 5-field expressions and computing the next tick, in UTC.
//
// Syntax (crontab(5)): per field `*`, `n`, `a-b`, `*/s`, `a-b/s`, `a/s` (a to the field's max),
// comma lists; month names jan–dec and weekday names sun–sat (any case); Sunday is 0 or 7.
// Day of month and day of week: if either field starts with `*`, a day must match both; if both
// are restricted, a day matching either runs (the usual OR rule).

export interface CronJobSpec {
  name: string;
  every: number | null; // ms
  schedule: string | null; // 5-field cron, UTC
}

export interface CronSchedule {
  expr: string;
  minutes: boolean[]; // [0..59]
  hours: boolean[]; // [0..23]
  days: boolean[]; // [1..31]
  months: boolean[]; // [1..12]
  weekdays: boolean[]; // [0..6], Sunday = 0
  dayStar: boolean; // day-of-month field starts with *
  weekdayStar: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  names?: string[]; // names[i] is the value min + i
}

const FIELDS: FieldSpec[] = [
  { label: "minute", min: 0, max: 59 },
  { label: "hour", min: 0, max: 23 },
  { label: "day of month", min: 1, max: 31 },
  { label: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { label: "day of week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

export class CronSyntaxError extends Error {
  constructor(expr: string, detail: string) {
    super(`invalid cron expression "${expr}": ${detail}`);
    this.name = "CronSyntaxError";
  }
}

function parseValue(expr: string, f: FieldSpec, text: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < f.min || n > f.max) throw new CronSyntaxError(expr, `${f.label} ${n} is out of range ${f.min}-${f.max}`);
    return n;
  }
  const i = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (i < 0) throw new CronSyntaxError(expr, `${f.label}: "${text}" is not a number${f.names ? " or a name" : ""}`);
  return f.min + i;
}

function parseField(expr: string, f: FieldSpec, text: string): { bits: boolean[]; star: boolean } {
  const bits = new Array<boolean>(f.max + 1).fill(false);
  if (text === "") throw new CronSyntaxError(expr, `${f.label} is empty`);
  for (const part of text.split(",")) {
    if (part === "") throw new CronSyntaxError(expr, `${f.label} has an empty list item`);
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined) throw new CronSyntaxError(expr, `${f.label}: "${part}" has more than one step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new CronSyntaxError(expr, `${f.label}: step "${stepText}" must be a positive integer`);
      }
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === "*" || range === "?") {
      lo = f.min;
      hi = f.label === "day of week" ? 6 : f.max;
    } else if (range.includes("-")) {
      const [a, b, more] = range.split("-");
      if (more !== undefined || a === "" || b === "") throw new CronSyntaxError(expr, `${f.label}: bad range "${range}"`);
      lo = parseValue(expr, f, a);
      hi = parseValue(expr, f, b);
      if (lo > hi) throw new CronSyntaxError(expr, `${f.label}: range ${range} is reversed`);
    } else {
      lo = parseValue(expr, f, range);
      hi = stepText !== undefined ? (f.label === "day of week" ? 6 : f.max) : lo; // "a/s" runs from a to the end
    }
    for (let v = lo; v <= hi; v += step) bits[v] = true;
  }
  return { bits, star: text.startsWith("*") || text.startsWith("?") };
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]; // Feb 29 exists in leap years

/** Parses a 5-field cron expression; throws CronSyntaxError with the field and reason. */
export function parseCron(expr: string): CronSchedule {
  const parts = expr
    .trim()
    .split(/\s+/)
    .filter((p) => p !== "");
  if (parts.length !== 5) {
    throw new CronSyntaxError(expr, `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  }
  const [minute, hour, day, month, weekday] = parts.map((p, i) => parseField(expr, FIELDS[i], p));
  const weekdays = weekday.bits.slice(0, 7);
  if (weekday.bits[7]) weekdays[0] = true; // 7 is Sunday too
  const schedule: CronSchedule = {
    expr,
    minutes: minute.bits,
    hours: hour.bits,
    days: day.bits,
    months: month.bits,
    weekdays,
    dayStar: day.star,
    weekdayStar: weekday.star,
  };
  // Reject dates that never exist (e.g. "0 0 30 2 *") here rather than scheduling nothing forever.
  const onlyDays = !schedule.dayStar && schedule.weekdayStar && schedule.weekdays.every(Boolean);
  if (onlyDays && !schedule.months.some((on, m) => on && schedule.days.some((d, i) => d && i <= DAYS_IN_MONTH[m]))) {
    throw new CronSyntaxError(expr, "no selected month has the selected day of month, so it never runs");
  }
  nextCronTime(schedule, Date.UTC(2000, 0, 1)); // throws if nothing matches within the search horizon
  return schedule;
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.days[d.getUTCDate()];
  const dow = s.weekdays[d.getUTCDay()];
  return s.dayStar || s.weekdayStar ? dom && dow : dom || dow;
}

const SEARCH_YEARS = 30; // long enough for a Feb 29 on a given weekday (the 28-year cycle)

/** The first minute strictly after `after` (ms since epoch) that the schedule selects. */
export function nextCronTime(s: CronSchedule, after: number): number {
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const limit = t + SEARCH_YEARS * 366 * DAY;
  while (t <= limit) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth();
    if (!s.months[mo + 1]) {
      t = Date.UTC(y, mo + 1, 1);
      continue;
    }
    if (!dayMatches(s, d)) {
      t = Date.UTC(y, mo, d.getUTCDate() + 1);
      continue;
    }
    const h = d.getUTCHours();
    if (!s.hours[h]) {
      t = Date.UTC(y, mo, d.getUTCDate(), h + 1);
      continue;
    }
    let m = d.getUTCMinutes();
    while (m < 60 && !s.minutes[m]) m++;
    if (m === 60) {
      t = Date.UTC(y, mo, d.getUTCDate(), h + 1);
      continue;
    }
    return Date.UTC(y, mo, d.getUTCDate(), h, m);
  }
  throw new CronSyntaxError(s.expr, `it never runs within ${SEARCH_YEARS} years`);
}

/** `every` ticks are multiples of the interval counted from each UTC midnight (as Encore's). */
export function nextEveryTime(everyMs: number, after: number): number {
  if (!Number.isFinite(everyMs) || everyMs < MINUTE || everyMs > DAY) {
    throw new Error(`cron "every" must be between 1 minute and 24 hours, got ${everyMs} ms`);
  }
  const midnight = Math.floor(after / DAY) * DAY;
  const next = midnight + (Math.floor((after - midnight) / everyMs) + 1) * everyMs;
  return Math.min(next, midnight + DAY); // an interval not dividing 24 h restarts at midnight
}

const parsed = new Map<string, CronSchedule>();

/** The job's first tick strictly after `after` (ms since epoch). */
export function nextRun(spec: CronJobSpec, after: number): number {
  if (spec.every !== null && spec.schedule !== null) throw new Error(`cron job ${spec.name}: set either "every" or "schedule", not both`);
  if (spec.every !== null) return nextEveryTime(spec.every, after);
  if (spec.schedule === null) throw new Error(`cron job ${spec.name}: needs "every" or "schedule"`);
  let s = parsed.get(spec.schedule);
  if (!s) {
    s = parseCron(spec.schedule);
    parsed.set(spec.schedule, s);
  }
  return nextCronTime(s, after);
}
