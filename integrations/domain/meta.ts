// Meta Graph API conventions, pure: error codes → our error kinds, the rate-limit headers
// (x-app-usage, x-ad-account-usage, x-business-use-case-usage) → how long to hold off.

/** Graph's error object: {error: {message, type, code, error_subcode, fbtrace_id}}. */
export interface GraphError {
  message: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

// Throttling codes: 4 app, 17 user, 32 page, 613 custom, 80000–80014 business use case.
const THROTTLE_CODES = new Set([4, 17, 32, 613]);

/** What a Graph error means for us. */
export function graphErrorKind(status: number, e: GraphError): "rate_limited" | "auth" | "client" | "server" {
  const code = e.code ?? 0;
  if (THROTTLE_CODES.has(code) || (code >= 80000 && code <= 80014) || status === 429) return "rate_limited";
  if (code === 190 || code === 102 || (code >= 200 && code < 300) || code === 10) return "auth";
  if (code === 1 || code === 2 || status >= 500) return "server";
  return "client";
}

/** Above this percentage of any quota, calls pause until the provider says access is back. */
export const USAGE_CEILING = 95;

/**
 * How long to hold every call, in ms, from Meta's usage headers: the longest
 * `estimated_time_to_regain_access` (minutes) of any business use case, or one minute when a usage
 * percentage is at the ceiling. 0: go on.
 */
export function metaPauseMs(headers: { get(name: string): string | null }): number {
  let pause = 0;
  const percentages: number[] = [];
  for (const name of ["x-app-usage", "x-ad-account-usage"]) {
    const v = parse(headers.get(name));
    if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (typeof x === "number" && k !== "reset_time_duration" && k !== "ads_api_access_tier") percentages.push(x);
      }
      const reset = (v as { reset_time_duration?: unknown }).reset_time_duration;
      if (typeof reset === "number" && percentages.some((p) => p >= USAGE_CEILING)) pause = Math.max(pause, reset * 1000);
    }
  }
  const buc = parse(headers.get("x-business-use-case-usage"));
  if (buc && typeof buc === "object") {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const e of entries as Record<string, unknown>[]) {
        for (const k of ["call_count", "total_cputime", "total_time"]) if (typeof e[k] === "number") percentages.push(e[k] as number);
        if (typeof e.estimated_time_to_regain_access === "number") pause = Math.max(pause, e.estimated_time_to_regain_access * 60_000);
      }
    }
  }
  if (pause === 0 && percentages.some((p) => p >= USAGE_CEILING)) pause = 60_000;
  return pause;
}

function parse(v: string | null): unknown {
  if (!v) return null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}

/** Graph numbers arrive as strings ("123", "1.23"); missing is 0. */
export function num(v: unknown): number {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
}
