// Query arguments as Encore's runtime sees them (its PValue): JavaScript values are classified
// once, when the SDK builds QueryArgs, and encoded later by the parameter types the server infers.
import { types as utilTypes } from "node:util";
import { Decimal, formatRational, parseRational, type Rational } from "../runtime/decimal.ts";

export class DecimalValue {
  constructor(readonly rational: Rational) {}
  get text(): string {
    return formatRational(this.rational);
  }
}

export class DateValue {
  constructor(readonly ms: number) {}
}

/** A Buffer or Uint8Array given directly as an argument (Encore's RowValue::Bytes). */
export class BytesValue {
  constructor(readonly bytes: Uint8Array) {}
}

export class ObjectValue {
  constructor(readonly entries: [string, PValue][]) {} // sorted by key, as Encore's BTreeMap keeps them
}

export type PValue = null | boolean | number | string | DecimalValue | DateValue | BytesValue | ObjectValue | PValue[];

/** An argument Encore's runtime would refuse, with its message. Thrown by `new QueryArgs`. */
export class ArgumentError extends Error {
  readonly code = "InvalidArg";
}

// serde_json's recursion limit, which Encore uses to stop on circular values.
const MAX_DEPTH = 128;

function isDecimalLike(v: object): v is { value: unknown } {
  return "__encore_decimal" in v;
}

function toDecimal(text: string): DecimalValue {
  const r = parseRational(text);
  if (!r) throw new ArgumentError(`Failed to parse Decimal value: Failed to parse decimal from string: ${text}`);
  return new DecimalValue(r);
}

function convert(v: unknown, depth: number, topLevel: boolean): PValue {
  if (depth > MAX_DEPTH) {
    throw new ArgumentError(`value exceeds the maximum nesting depth of ${MAX_DEPTH}; does it contain a circular reference?`);
  }
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      if (!Number.isFinite(v)) throw new ArgumentError("Failed to convert js number to serde_json::Number");
      return v;
    case "bigint":
      return new DecimalValue({ num: v, den: 1n });
    case "undefined":
      throw new ArgumentError("undefined cannot be represented as a serde_json::Value");
    case "function":
      throw new ArgumentError("JS functions cannot be represented as a serde_json::Value");
    case "symbol":
      throw new ArgumentError("JS symbols cannot be represented as a serde_json::Value");
    case "object": {
      if (v === null) return null;
      if (topLevel && v instanceof Uint8Array) return new BytesValue(v);
      if (Array.isArray(v)) return v.map((x) => convert(x, depth + 1, false));
      if (utilTypes.isDate(v)) {
        const ms = (v as Date).getTime();
        if (Number.isNaN(ms)) throw new ArgumentError("invalid Date");
        return new DateValue(ms);
      }
      if (v instanceof Decimal) return new DecimalValue(v.rational);
      if (isDecimalLike(v)) return toDecimal(String(v.value));
      const entries: [string, PValue][] = [];
      for (const key of Object.keys(v).sort()) {
        const field = (v as Record<string, unknown>)[key];
        if (field !== undefined) entries.push([key, convert(field, depth + 1, false)]);
      }
      return new ObjectValue(entries);
    }
    default:
      throw new ArgumentError("Unknown JS variables cannot be represented as a serde_json::Value");
  }
}

/** Classifies one query argument as Encore's QueryArgs does. */
export function toPValue(v: unknown): PValue {
  return convert(v, 1, true);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Year as chrono prints it: 4 digits within 0..9999, else signed. */
function formatYear(y: number): string {
  if (y >= 0 && y <= 9999) return pad(y, 4);
  return (y < 0 ? "-" : "+") + pad(Math.abs(y), 4);
}

/** A UTC instant as RFC 3339 with chrono's AutoSi seconds: no fraction when whole, else millis. */
export function rfc3339(ms: number, useZ: boolean): string {
  const d = new Date(ms);
  const frac = d.getUTCMilliseconds();
  return (
    `${formatYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    (frac ? `.${pad(frac, 3)}` : "") +
    (useZ ? "Z" : "+00:00")
  );
}

/** The JSON text Encore writes for a value bound to a json/jsonb parameter (serde_json, compact). */
export function jsonText(v: PValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(jsonText).join(",")}]`;
  if (v instanceof DecimalValue) return JSON.stringify(v.text);
  if (v instanceof DateValue) return JSON.stringify(rfc3339(v.ms, true));
  if (v instanceof BytesValue) return Buffer.from(v.bytes).toString("utf8");
  if (v instanceof ObjectValue) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(",")}}`;
  return JSON.stringify(v);
}

/** What kind of value this is, for error messages ("string not supported for column of type int4"). */
export function kindOf(v: PValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v instanceof DecimalValue) return "decimal";
  if (v instanceof DateValue) return "datetime";
  if (v instanceof BytesValue) return "bytes";
  if (v instanceof ObjectValue) return "object";
  if (typeof v === "boolean") return "bool";
  return typeof v;
}
