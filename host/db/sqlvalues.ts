// Encoding query arguments and decoding result columns exactly as Encore's runtime does
// (runtimes/core/src/sqldb/val.rs), over Postgres's text format: each argument is encoded by the
// parameter type the server inferred, each column decoded by its type.
import { formatRational, isInteger, makeRational, parseRational, type Rational } from "../runtime/decimal.ts";
import type { PgType, ScalarKind } from "./pgtypes.ts";
import { BytesValue, DateValue, DecimalValue, ObjectValue, jsonText, kindOf, rfc3339, type PValue } from "./pvalue.ts";

/** Why a value cannot be bound to its parameter; the caller prefixes the parameter's index. */
export class EncodeError extends Error {}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

// ---- dates and times -------------------------------------------------------------------------

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function validTime(h: number, mi: number, s: number): boolean {
  return h < 24 && mi < 60 && s <= 60; // chrono accepts a leap second
}

// chrono's NaiveDateTime::from_str: date 'T' time, no zone.
const NAIVE_DATETIME_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?$/;
// chrono's DateTime::parse_from_rfc3339.
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/; // %Y-%m-%d
const TIME_RE = /^(\d{1,2}):(\d{1,2}):(\d{1,2})$/; // %H:%M:%S

function checkDateTime(s: string, re: RegExp, what: string): string {
  const m = re.exec(s);
  if (!m || !validDate(+m[1], +m[2], +m[3]) || !validTime(+m[4], +m[5], +m[6])) {
    throw new EncodeError(`invalid ${what}: "${s}"`);
  }
  return s;
}

/** A UTC instant in Postgres's input syntax (years before 1 as "BC"). */
function pgTimestamp(ms: number, withZone: boolean): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const bc = y <= 0;
  return (
    `${pad(bc ? 1 - y : y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}` +
    (withZone ? "+00" : "") +
    (bc ? " BC" : "")
  );
}

function pgDate(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const bc = y <= 0;
  return `${pad(bc ? 1 - y : y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${bc ? " BC" : ""}`;
}

// ---- numbers ---------------------------------------------------------------------------------

const INT_RANGES: Record<string, [bigint, bigint, string]> = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n, "i16"],
  int4: [-(2n ** 31n), 2n ** 31n - 1n, "i32"],
  int8: [-(2n ** 63n), 2n ** 63n - 1n, "i64"],
  oid: [0n, 2n ** 32n - 1n, "u32"],
};

/** The exact value of a finite double. */
function doubleToRational(x: number): Rational {
  if (x === 0) return { num: 0n, den: 1n };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  return exp >= 0 ? makeRational(sign * mantissa * 2n ** BigInt(exp), 1n) : makeRational(sign * mantissa, 2n ** BigInt(-exp));
}

/** The float a decimal converts to, only when exact (malachite's TryFrom, as Encore uses). */
function exactFloat(r: Rational, single: boolean): number | null {
  const x = Number(formatRational(r));
  const y = single ? Math.fround(x) : x;
  if (!Number.isFinite(y)) return null;
  const back = doubleToRational(y);
  return back.num === r.num && back.den === r.den ? y : null;
}

// serde_json prints integers that JavaScript hands over as whole numbers within 32 bits as
// integers, every other number as a float ("1.5", "3000000000.0").
function serdeNumberText(n: number): string {
  if (Number.isInteger(n) && n >= -2147483648 && n <= 4294967295) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${String(n)}.0`;
  return String(n);
}

// ---- uuids -----------------------------------------------------------------------------------

const UUID_HEX_RE = /^[0-9a-fA-F]{32}$/;

const CANONICAL_UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function normalizeUuid(s: string): string {
  if (CANONICAL_UUID_RE.test(s)) return s;
  let body = s;
  if (/^urn:uuid:/i.test(body)) body = body.slice(9);
  else if (body.startsWith("{") && body.endsWith("}")) body = body.slice(1, -1);
  const hyphenated = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(body);
  const hex = hyphenated ? body.replace(/-/g, "") : body;
  if (!UUID_HEX_RE.test(hex) || (!hyphenated && body.length !== 32)) {
    throw new EncodeError(`unable to parse uuid: "${s}"`);
  }
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- arrays ----------------------------------------------------------------------------------

function quoteArrayElement(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Parses Postgres's text form of an array into nested arrays of element texts (null for NULL). */
export function parseArrayLiteral(text: string): unknown[] {
  let i = 0;
  if (text[0] === "[") {
    // Explicit bounds ("[0:2]={...}") only shift indexes, which JavaScript arrays do not keep.
    i = text.indexOf("=") + 1;
  }
  const parse = (): unknown[] => {
    if (text[i] !== "{") throw new Error(`malformed array literal: ${text}`);
    i++;
    const out: unknown[] = [];
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === "{") out.push(parse());
      else if (text[i] === '"') {
        let s = "";
        i++;
        while (text[i] !== '"') {
          if (i >= text.length) throw new Error(`malformed array literal: ${text}`);
          if (text[i] === "\\") i++;
          s += text[i++];
        }
        i++;
        out.push(s);
      } else {
        let j = i;
        while (j < text.length && text[j] !== "," && text[j] !== "}") j++;
        const raw = text.slice(i, j);
        out.push(raw.toUpperCase() === "NULL" ? null : raw);
        i = j;
      }
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      throw new Error(`malformed array literal: ${text}`);
    }
  };
  return parse();
}

// ---- encoding --------------------------------------------------------------------------------

// The element kinds Encore can read back out of an array column (PValue's FromSql).
const DECODABLE_ELEMENTS = new Set<string>([
  "bool",
  "text",
  "int2",
  "int4",
  "int8",
  "oid",
  "json",
  "jsonb",
  "float4",
  "float8",
  "numeric",
  "timestamp",
  "timestamptz",
  "date",
  "time",
  "inet",
  "cidr",
  "enum",
]);

/** Whether Encore can bind a value to a parameter of this type at all. */
export function canEncode(t: PgType): boolean {
  if (t.kind === "unsupported") return false;
  if (t.kind === "array") return t.elem !== undefined && t.elem.kind !== "array" && canEncode(t.elem);
  return true;
}

/**
 * The text to send for a value bound to a parameter of type `t`, or null for SQL NULL.
 * Throws EncodeError with Encore's reason when the value does not fit the type.
 */
export function encodeParam(v: PValue, t: PgType): string | null {
  if (!canEncode(t)) throw new EncodeError(`cannot convert between a JavaScript value and the Postgres type \`${t.name}\``);
  // Anything bound to json/jsonb is written as JSON, null included (as Encore does).
  if (t.kind === "json" || t.kind === "jsonb") return jsonText(v);
  if (v === null) return null;
  if (t.kind === "array") {
    if (!Array.isArray(v)) throw new EncodeError(`${kindOf(v)} not supported for column of type ${t.name}`);
    return `{${v.map((x) => encodeElement(x, t.elem!)).join(",")}}`;
  }
  return encodeScalar(v, t.kind as ScalarKind, t.name);
}

function encodeElement(v: PValue, elem: PgType): string {
  if (Array.isArray(v) && elem.kind !== "json" && elem.kind !== "jsonb") {
    throw new EncodeError("nested arrays are not supported: Encore binds one-dimensional arrays only");
  }
  const s = encodeParam(v, elem);
  return s === null ? "NULL" : quoteArrayElement(s);
}

function unsupported(v: PValue, name: string): EncodeError {
  return new EncodeError(`${kindOf(v)} not supported for column of type ${name}`);
}

function encodeScalar(v: PValue, kind: ScalarKind, name: string): string {
  if (v instanceof BytesValue) {
    if (kind === "bytea") return `\\x${Buffer.from(v.bytes).toString("hex")}`;
    if (kind === "text") return Buffer.from(v.bytes).toString("utf8");
    throw unsupported(v, name);
  }
  if (typeof v === "boolean") {
    if (kind === "bool") return v ? "t" : "f";
    if (kind === "text" && name !== "name") return String(v);
    throw unsupported(v, name);
  }
  if (typeof v === "string") return encodeString(v, kind, name);
  if (typeof v === "number") return encodeNumber(v, kind, name);
  if (v instanceof DecimalValue) return encodeDecimal(v.rational, kind, name);
  if (v instanceof DateValue) {
    switch (kind) {
      case "date":
        return pgDate(v.ms);
      case "timestamp":
        return pgTimestamp(v.ms, false);
      case "timestamptz":
        return pgTimestamp(v.ms, true);
      case "text":
        if (name !== "name") return rfc3339(v.ms, false);
    }
    throw new EncodeError(`unsupported type for DateTime: ${name}`);
  }
  if (v instanceof ObjectValue) throw new EncodeError(`object not supported for column of type ${name}`);
  if (Array.isArray(v)) throw new EncodeError(`array not supported for column of type ${name}`);
  throw unsupported(v, name);
}

function encodeString(s: string, kind: ScalarKind, name: string): string {
  switch (kind) {
    case "text":
    case "enum":
      return s;
    case "bytea":
      return `\\x${Buffer.from(s, "utf8").toString("hex")}`;
    case "timestamp":
      return checkDateTime(s, NAIVE_DATETIME_RE, "timestamp");
    case "timestamptz":
      return checkDateTime(s, RFC3339_RE, "RFC 3339 timestamp");
    case "date": {
      const m = DATE_RE.exec(s);
      if (!m || !validDate(+m[1], +m[2], +m[3])) throw new EncodeError(`invalid date: "${s}"`);
      return s;
    }
    case "time": {
      const m = TIME_RE.exec(s);
      if (!m || !validTime(+m[1], +m[2], +m[3])) throw new EncodeError(`invalid time: "${s}"`);
      return s;
    }
    case "uuid":
      return normalizeUuid(s);
    case "inet":
    case "cidr":
      return s; // the server checks the syntax
    case "numeric": {
      const r = parseRational(s);
      if (!r) throw new EncodeError(`Failed to parse decimal from string: ${s}`);
      return formatRational(r);
    }
  }
  throw new EncodeError(`string not supported for column of type ${name}`);
}

function encodeNumber(n: number, kind: ScalarKind, name: string): string {
  const range = INT_RANGES[kind];
  if (range) {
    if (!Number.isInteger(n) || BigInt(n) < range[0] || BigInt(n) > range[1]) {
      throw new EncodeError(`number ${n} is not an ${range[2]}`);
    }
    return String(n);
  }
  switch (kind) {
    case "float4":
    case "float8":
    case "numeric":
      return String(n);
    case "text":
      if (name !== "name") return serdeNumberText(n);
  }
  throw new EncodeError(`number not supported for column of type ${name}`);
}

function encodeDecimal(r: Rational, kind: ScalarKind, name: string): string {
  const range = INT_RANGES[kind];
  if (range && kind !== "oid") {
    if (!isInteger(r) || r.num < range[0] || r.num > range[1]) {
      throw new EncodeError(`Cannot convert decimal to ${name.toUpperCase()}`);
    }
    return r.num.toString();
  }
  switch (kind) {
    case "numeric":
      return formatRational(r);
    case "float4":
    case "float8": {
      const x = exactFloat(r, kind === "float4");
      if (x === null) throw new EncodeError(`Cannot convert decimal to ${name.toUpperCase()}`);
      return String(x);
    }
    case "text":
      if (name !== "name") return formatRational(r);
  }
  throw new EncodeError(`unsupported type for Decimal: ${name}`);
}

// ---- decoding --------------------------------------------------------------------------------

export interface DecodeOptions {
  /** Builds the SDK's Decimal from its canonical text (Encore's typeConstructors.decimal). */
  decimal: (text: string) => unknown;
}

/** Whether Encore can decode a column of this type. */
export function canDecode(t: PgType): boolean {
  if (t.kind === "unsupported") return false;
  if (t.kind === "array") return t.elem !== undefined && DECODABLE_ELEMENTS.has(t.elem.kind);
  return true;
}

const TIMESTAMP_RE = /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?)?( BC)?$/;

// What our sessions (TimeZone UTC, DateStyle ISO) send for ordinary instants.
const PLAIN_UTC_TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:\+00)?$/;

function decodeTimestamp(text: string): Date {
  const plain = PLAIN_UTC_TIMESTAMP_RE.exec(text);
  if (plain) {
    // Milliseconds; the microseconds beyond are cut, as chrono's timestamp_millis does.
    return new Date(`${plain[1]}T${plain[2]}.${(plain[3] ?? "").slice(0, 3).padEnd(3, "0")}Z`);
  }
  const m = TIMESTAMP_RE.exec(text);
  if (!m) throw new Error(`value too large to decode: ${text}`); // infinity, -infinity
  const [, y, mo, d, h, mi, s, frac = "", sign, oh = "0", om = "0", os = "0", bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const date = new Date(0);
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), Math.floor(Number(frac.padEnd(6, "0")) / 1000));
  const offsetSec = sign ? (sign === "-" ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os)) : 0;
  return new Date(date.getTime() - offsetSec * 1000);
}

/** chrono's NaiveDate display: 4-digit years within 0..9999, else signed. */
function decodeDate(text: string): string {
  const m = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/.exec(text);
  if (!m) throw new Error(`value too large to decode: ${text}`);
  const year = m[4] ? 1 - Number(m[1]) : Number(m[1]);
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? "-" : "+") + pad(Math.abs(year), 4);
  return `${y}-${m[2]}-${m[3]}`;
}

/** chrono's NaiveTime display: HH:MM:SS, then .mmm, .uuuuuu as the fraction needs. */
function decodeTime(text: string): string {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`invalid time: ${text}`);
  const hms = m[1] === "24" ? "00:00:00" : `${m[1]}:${m[2]}:${m[3]}`; // 24:00:00 wraps, as chrono's does
  const micros = m[1] === "24" ? "" : (m[4] ?? "").padEnd(6, "0");
  if (micros === "" || micros === "000000") return hms;
  return micros.endsWith("000") ? `${hms}.${micros.slice(0, 3)}` : `${hms}.${micros}`;
}

function decodeFloat(text: string, single: boolean): number | null {
  const x = Number(text); // "NaN", "Infinity", "-Infinity" parse too
  if (!Number.isFinite(x)) return null; // serde_json has no NaN or infinities: Encore gives null
  return single ? Math.fround(x) : x;
}

function decodeBytea(text: string): ArrayBuffer {
  const buf = Buffer.from(text.slice(2), "hex");
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
}

function decodeScalar(text: string, kind: ScalarKind, opts: DecodeOptions): unknown {
  switch (kind) {
    case "text":
    case "enum":
    case "uuid":
    case "inet":
      return text;
    case "bool":
      return text === "t";
    case "int2":
    case "int4":
    case "int8":
    case "oid":
      return Number(text);
    case "float4":
      return decodeFloat(text, true);
    case "float8":
      return decodeFloat(text, false);
    case "numeric": {
      const r = parseRational(text);
      if (!r) throw new Error(`Failed to parse decimal from string: ${text}`);
      return opts.decimal(formatRational(r));
    }
    case "json":
    case "jsonb":
      return JSON.parse(text);
    case "timestamp":
    case "timestamptz":
      return decodeTimestamp(text);
    case "date":
      return decodeDate(text);
    case "time":
      return decodeTime(text);
    case "cidr": {
      // The cidr crate prints a single-host network without its prefix length.
      const hostPrefix = text.includes(":") ? "/128" : "/32";
      return text.endsWith(hostPrefix) ? text.slice(0, -hostPrefix.length) : text;
    }
    case "bytea":
      return decodeBytea(text);
  }
}

/** Decodes one column's text (null for SQL NULL) as Encore does. */
export function decodeValue(text: string | null, t: PgType, opts: DecodeOptions): unknown {
  // rust-postgres checks the column type before looking at the value, so even NULL fails.
  if (!canDecode(t)) throw new Error(`unsupported type: ${t.name}`);
  if (text === null) return null;
  if (t.kind === "array") {
    const elems = parseArrayLiteral(text);
    const kind = t.elem!.kind as ScalarKind;
    return elems.map((e) => {
      if (Array.isArray(e)) throw new Error("array contains too many dimensions");
      return e === null ? null : decodeScalar(e as string, kind, opts);
    });
  }
  return decodeScalar(text, t.kind as ScalarKind, opts);
}
