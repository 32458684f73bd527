// CSV for exports (monitoring's mentions, analytics' reports): RFC 4180 rows (CRLF, fields quoted
// when they hold a comma, quote or line break, quotes doubled), text cells guarded against formula
// injection, and times written in a campaign's time zone. Pure.

export type CsvValue = string | number | boolean | Date | null | undefined;

/** Starting a cell with one of these makes spreadsheets evaluate it as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell. Text that a spreadsheet would take for a formula ("=HYPERLINK(…)", "+1…", "-2+3",
 * "@SUM(…)") gets a leading apostrophe, which spreadsheets show as text; numbers are written as
 * numbers (a negative number is data, not a formula). Dates need a zone: format them first.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return value.toISOString();
  let text = value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row, CRLF-terminated. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** The byte-order mark that makes spreadsheet programs read the file as UTF-8 (accents, emoji). */
export const CSV_BOM = "\uFEFF";

/** Whether the runtime knows this IANA time zone ("America/New_York"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** ISO 8601 local time with its offset in `zone`: 2026-11-03T07:00:00-05:00 (UTC: …Z). */
export function formatInZone(date: Date, zone: string): string {
  if (zone === "UTC") return `${date.toISOString().slice(0, 19)}Z`;
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(date)) parts[p.type] = p.value;
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const offsetMinutes = Math.round((Date.parse(`${local}Z`) - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * The time zone of a campaign as the campaigns service returns it: its `timezone` when it has a
 * valid one, else UTC. (Campaigns without the field, or before it exists, export in UTC.)
 */
export function campaignTimeZone(campaign: object): string {
  const zone = (campaign as { timezone?: unknown }).timezone;
  return typeof zone === "string" && zone !== "" && isTimeZone(zone) ? zone : "UTC";
}

/** A file name safe in a Content-Disposition header: letters, digits, dot, dash, underscore. */
export function safeFileName(base: string, fallback: string): string {
  return (
    base
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || fallback
  );
}
