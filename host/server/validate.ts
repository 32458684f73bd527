// The rules of encore.dev/validate, checked on decoded values. Messages follow Encore's wording
// (runtimes/core/src/api/jsonschema/validation.rs); lengths count characters, not bytes.
import type { Validation } from "../meta.ts";

/** The reason `value` breaks `rules`, or null. Rules are checked in a fixed order; the first failure wins. */
export function validationReason(value: unknown, rules: Validation): string | null {
  if (rules.minLen !== undefined || rules.maxLen !== undefined) {
    const r = checkLength(value, rules.minLen, rules.maxLen);
    if (r) return r;
  }
  if (rules.minValue !== undefined || rules.maxValue !== undefined) {
    const r = checkRange(value, rules.minValue, rules.maxValue);
    if (r) return r;
  }
  if (rules.startsWith !== undefined) {
    if (typeof value !== "string") return "unexpected type (expected string)";
    if (!value.startsWith(rules.startsWith)) return `value does not start with ${JSON.stringify(rules.startsWith)}`;
  }
  if (rules.endsWith !== undefined) {
    if (typeof value !== "string") return "unexpected type (expected string)";
    if (!value.endsWith(rules.endsWith)) return `value does not end with ${JSON.stringify(rules.endsWith)}`;
  }
  if (rules.matchesRegexp !== undefined) {
    if (typeof value !== "string") return "unexpected type (expected string)";
    if (!compileRegexp(rules.matchesRegexp).test(value)) return `value does not match the regexp ${JSON.stringify(rules.matchesRegexp)}`;
  }
  if (rules.isEmail) {
    if (typeof value !== "string") return "unexpected type (expected string)";
    if (!isEmail(value)) return "value is not an email";
  }
  if (rules.isURL) {
    if (typeof value !== "string") return "unexpected type (expected string)";
    if (!isURL(value)) return "value is not a url";
  }
  return null;
}

/**
 * An error message naming the field (`invalid value for field "budget": value must be at least
 * 100 (got 50)`), or null when every rule holds. Without a path, just the reason.
 */
export function checkValidation(value: unknown, rules: Validation, path: string): string | null {
  const reason = validationReason(value, rules);
  if (reason === null) return null;
  return path ? `invalid value for field ${JSON.stringify(path)}: ${reason}` : reason;
}

function checkLength(value: unknown, min: number | undefined, max: number | undefined): string | null {
  let len: number;
  if (typeof value === "string") {
    len = charCount(value);
  } else if (Array.isArray(value)) {
    len = value.length;
  } else {
    return "unexpected type (expected string or array)";
  }
  if (min !== undefined && len < min) return `length too short (got ${len}, expected at least ${min})`;
  if (max !== undefined && len > max) return `length too long (got ${len}, expected at most ${max})`;
  return null;
}

/** Unicode code points in a string (a surrogate pair is one character). */
function charCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function checkRange(value: unknown, min: number | undefined, max: number | undefined): string | null {
  let n: number | bigint;
  if (typeof value === "number" || typeof value === "bigint") n = value;
  else if (isDecimalLike(value)) n = Number(decimalText(value));
  else return "unexpected type (expected number)";
  const shown = typeof value === "object" ? decimalText(value) : String(value);
  if (min !== undefined && n < min) return `value must be at least ${min} (got ${shown})`;
  if (max !== undefined && n > max) return `value must be at most ${max} (got ${shown})`;
  return null;
}

function isDecimalLike(v: unknown): v is object {
  return typeof v === "object" && v !== null && "__encore_decimal" in v;
}

function decimalText(v: object): string {
  const value = (v as { value?: unknown }).value;
  return typeof value === "string" ? value : String(v);
}

const regexpCache = new Map<string, RegExp>();

/**
 * Encore's rule searches (it is not anchored), with Rust regex syntax; the common subset is the
 * same in JavaScript with the `u` flag. Patterns the `u` flag rejects are tried without it.
 */
function compileRegexp(pattern: string): RegExp {
  let re = regexpCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      try {
        re = new RegExp(pattern);
      } catch (err) {
        // A bad pattern is the app's bug, not the caller's: surface it as an internal error.
        throw new Error(`invalid MatchesRegexp pattern ${JSON.stringify(pattern)}: ${(err as Error).message}`);
      }
    }
    regexpCache.set(pattern, re);
  }
  return re;
}

// RFC 5322 dot-atom local part (plus UTF-8 per RFC 6531), or a quoted string.
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uffff-";
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const QUOTED_LOCAL = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\uffff]|\\[\x20-\x7e])*"$/;
const LABEL = "[A-Za-z0-9\\u0080-\\uffff](?:[A-Za-z0-9\\u0080-\\uffff-]{0,61}[A-Za-z0-9\\u0080-\\uffff])?";
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const IPV4_LITERAL = /^\[(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\]$/;
const IPV6_LITERAL = /^\[IPv6:[0-9A-Fa-f:.]+\]$/i;

/**
 * Email addresses as Encore's `email_address` crate accepts them (without display text):
 * local@domain, local ≤ 64 and domain ≤ 254 characters, the domain a host name (one label is
 * enough, as in `user@localhost`) or an address literal.
 */
export function isEmail(s: string): boolean {
  const at = s.lastIndexOf("@");
  if (at <= 0 || at === s.length - 1) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (local.length > 64 || domain.length > 254) return false;
  if (local.charCodeAt(0) === 0x22 /* " */ ? !QUOTED_LOCAL.test(local) : !DOT_ATOM.test(local)) return false;
  if (domain.charCodeAt(0) === 0x5b /* [ */) {
    const v4 = IPV4_LITERAL.exec(domain);
    if (v4) return v4.slice(1).every((o) => Number(o) <= 255);
    return IPV6_LITERAL.test(domain);
  }
  return HOST_NAME.test(domain);
}

/** An absolute URL with a scheme and a host (http(s), ws(s), ftp or any other scheme). */
export function isURL(s: string): boolean {
  // The WHATWG parser quietly strips surrounding whitespace and tabs/newlines inside: a value
  // carrying them is not a URL as typed.
  if (/[\s\u0000-\u001f]/.test(s)) return false;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  return url.host !== "" || url.hostname !== "";
}
