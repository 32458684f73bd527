// Cron job schedules: `every` (whole minutes dividing a day) or a 5-field cron expression.
import { parseDuration } from "../meta.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** `every` in ms, or the reason Encore refuses it. */
export function checkEvery(s: string): { ms: number } | { error: string } {
  const ms = parseDuration(s);
  if (ms === null) return { error: `invalid duration "${s}" (expected e.g. "10m", "1h")` };
  if (ms <= 0 || ms % 60_000 !== 0) return { error: "`every` must be a multiple of 60 seconds" };
  if (ms > DAY_MS) return { error: "`every` must be at most 24 hours" };
  if (DAY_MS % ms !== 0) return { error: `\`every\` must divide 24 hours evenly (${s} does not); use \`schedule\` for other intervals` };
  return { ms };
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[]; // names[i] stands for min + i
}

const FIELDS: FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

/** null when valid, else the error. */
export function checkCronExpr(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return 'invalid cron expression: must have exactly 5 fields (minute, hour, day of month, month, day of week), e.g. "* * * * *".';
  }
  for (let i = 0; i < 5; i++) {
    const err = checkField(fields[i], FIELDS[i]);
    if (err) return `invalid cron expression: ${err}`;
  }
  return null;
}

function checkField(field: string, spec: FieldSpec): string | null {
  for (const item of field.split(",")) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!m) return `invalid ${spec.name} field "${field}"`;
    const [, range, step] = m;
    if (step !== undefined && Number(step) === 0) return `invalid step in ${spec.name} field "${field}"`;
    if (range === "*" || range === "?") continue;
    const bounds = range.split("-");
    if (bounds.length > 2) return `invalid range in ${spec.name} field "${field}"`;
    const values: number[] = [];
    for (const b of bounds) {
      const v = valueOf(b, spec);
      if (v === null) return `invalid value "${b}" in ${spec.name} field (allowed ${spec.min}-${spec.max})`;
      values.push(v);
    }
    if (values.length === 2 && values[0] > values[1]) return `invalid range "${range}" in ${spec.name} field`;
  }
  return null;
}

function valueOf(s: string, spec: FieldSpec): number | null {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n >= spec.min && n <= spec.max ? n : null;
  }
  const idx = spec.names?.indexOf(s.toUpperCase()) ?? -1;
  return idx >= 0 ? spec.min + idx : null;
}
