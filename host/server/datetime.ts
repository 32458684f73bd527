// Timestamps on the wire: RFC 3339 in, `toISOString` format out, both without Date's slow paths.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|([+-])(\d{2}):?(\d{2})))?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * RFC 3339 date-times (`2024-05-01T12:00:00Z`, `…+02:00`, fractional seconds) and ISO-8601 dates
 * (`2024-05-01`, midnight UTC). A time needs an offset: a local time is ambiguous on a server.
 * Impossible dates (Feb 30, hour 24) are rejected rather than rolled over as `Date` would.
 */
export function parseDateTime(s: string): Date | null {
  const m = DATE_RE.exec(s);
  if (m === null) return null;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let offset = 0;
  if (m[4] !== undefined) {
    hour = +m[4];
    minute = +m[5];
    second = m[6] === undefined ? 0 : +m[6];
    if (hour > 23 || minute > 59 || second > 59) return null;
    if (m[7] !== undefined) ms = +`${m[7]}00`.slice(0, 3);
    if (m[9] !== undefined) {
      const oh = +m[10];
      const om = +m[11];
      if (oh > 23 || om > 59) return null;
      offset = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
    }
  }
  // Days from the civil date (H. Hinnant), avoiding Date's slow setters.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  return new Date(days * 86400000 + hour * 3600000 + minute * 60000 + second * 1000 + ms - offset * 60000);
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? "0" : "") + i);

/**
 * `Date#toISOString` without its cost (about 4x faster; responses carry many timestamps). Civil
 * date from days since the epoch, after H. Hinnant; years outside 1970–9999 defer to the original.
 */
export function formatISO(d: Date): string {
  const t = d.getTime();
  if (!(t >= 0 && t < 253402300800000)) return d.toISOString(); // also throws for invalid dates, as it does
  const days = Math.floor(t / 86400000);
  let ms = t - days * 86400000;
  const hour = (ms / 3600000) | 0;
  ms -= hour * 3600000;
  const minute = (ms / 60000) | 0;
  ms -= minute * 60000;
  const second = (ms / 1000) | 0;
  ms -= second * 1000;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return (
    year +
    "-" +
    TWO_DIGITS[month] +
    "-" +
    TWO_DIGITS[day] +
    "T" +
    TWO_DIGITS[hour] +
    ":" +
    TWO_DIGITS[minute] +
    ":" +
    TWO_DIGITS[second] +
    "." +
    (ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : `${ms}`) +
    "Z"
  );
}
