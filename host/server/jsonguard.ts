// What the runtime refuses in any JSON it is sent, whatever the endpoint's types say: values nested
// deeper than MAX_JSON_DEPTH (code that walks them recursively, in the app or a driver, would
// overflow its stack), and strings with a NUL character (PostgreSQL cannot store one in text or
// jsonb) or an unpaired UTF-16 surrogate (not Unicode: no database or encoder takes it). Checked
// here, on every body and message, so that a new endpoint is covered without anyone remembering
// to. Pure.

export const MAX_JSON_DEPTH = 64;

/** Where a value breaks the rules (`details.a[3]`, "" for the value itself) and why. */
export interface JsonProblem {
  path: string;
  reason: string;
}

interface WellFormed {
  isWellFormed(): boolean; // ES2024, in every Node this runtime supports
}

/** Why a string may not travel, or null. */
export function stringProblem(s: string): string | null {
  if (s.indexOf("\u0000") !== -1) return "contains a NUL character";
  if (!(s as unknown as WellFormed).isWellFormed()) return "contains an unpaired UTF-16 surrogate";
  return null;
}

/**
 * The first problem in a parsed JSON value, or null. `checkStrings` false skips the string scan:
 * a JSON text without a `\u` escape cannot hold either character (raw control characters are not
 * valid JSON, and decoding UTF-8 never yields a lone surrogate), so callers pass whether it had one.
 */
export function jsonProblem(value: unknown, checkStrings: boolean, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const segments: (string | number)[] = [];
  const reason = walk(value, 0, checkStrings, maxDepth, segments);
  if (reason === null) return null;
  segments.reverse();
  return { path: formatPath(segments), reason };
}

// Recursion is bounded by maxDepth, so the walk itself cannot overflow.
function walk(v: unknown, depth: number, strings: boolean, max: number, segs: (string | number)[]): string | null {
  if (typeof v === "string") return strings ? stringProblem(v) : null;
  if (typeof v !== "object" || v === null) return null;
  if (depth >= max) return `nested deeper than ${max} levels`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = walk(v[i], depth + 1, strings, max, segs);
      if (r !== null) {
        segs.push(i);
        return r;
      }
    }
    return null;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (strings) {
      const kr = stringProblem(k);
      if (kr !== null) {
        segs.push(k);
        return `its name ${kr}`;
      }
    }
    const r = walk(o[k], depth + 1, strings, max, segs);
    if (r !== null) {
      segs.push(k);
      return r;
    }
  }
  return null;
}

const SHOWN_SEGMENTS = 8;

function formatPath(segs: (string | number)[]): string {
  let out = "";
  for (let i = 0; i < segs.length && i < SHOWN_SEGMENTS; i++) {
    const s = segs[i];
    if (typeof s === "number") out += `[${s}]`;
    else out += (out === "" ? "" : ".") + stringForPath(s);
  }
  return segs.length > SHOWN_SEGMENTS ? `${out}…` : out;
}

/** A key as an error message may show it: control characters and lone surrogates escaped. */
function stringForPath(s: string): string {
  const short = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return stringProblem(short) === null && !/[\u0000-\u001f]/.test(short) ? short : JSON.stringify(short).slice(1, -1);
}
