// Cron job schedules as the parser checks them: `every` (whole minutes dividing a day) or a 5-field
// cron expression, read by the scheduler's own parser (host/cron/schedule.ts), so what passes
// `npm run check` is what the scheduler runs.
import { parseDuration } from "../meta.ts";
import { CronSyntaxError, parseCron } from "../cron/schedule.ts";

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

/** null when valid, else the error. */
export function checkCronExpr(expr: string): string | null {
  try {
    parseCron(expr);
    return null;
  } catch (e) {
    if (e instanceof CronSyntaxError) return e.message;
    throw e;
  }
}
