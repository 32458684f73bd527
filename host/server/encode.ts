// Encoding by schema: JSON text of only the declared fields of known object types; `any` passes
// through; Date → RFC 3339, Decimal and BigInt → strings; undefined is dropped. Compiled once per
// schema into closures (cached in WeakMaps), because this runs on every response.
import type { FieldMeta, ParamsMeta, Schema } from "../meta.ts";
import { formatISO } from "./datetime.ts";
import { HttpError } from "./errors.ts";
import { inherited, isDecimal, isPlainObject, ownGet, resolve, type Types } from "./schemawalk.ts";

export interface EncodedResponse {
  status?: number;
  headers: Record<string, string | string[]>;
  /** JSON text, or null when the endpoint returns nothing. */
  body: string | null;
}

type Ser = (v: unknown) => string | undefined;

function bigintReplacer(_key: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** Plain JSON.stringify (Dates and Decimals have toJSON), with BigInts as strings. */
function serAny(v: unknown): string | undefined {
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return undefined;
  if (typeof v === "bigint") return `"${v.toString()}"`;
  try {
    return JSON.stringify(v);
  } catch (err) {
    if (err instanceof TypeError && /BigInt/i.test(err.message)) return JSON.stringify(v, bigintReplacer);
    throw err;
  }
}

const serString: Ser = (v) => (typeof v === "string" ? JSON.stringify(v) : serAny(v));
const serNumber: Ser = (v) => {
  if (typeof v === "number") return Number.isFinite(v) ? `${v}` : "null";
  return serAny(v);
};
const serBoolean: Ser = (v) => (v === true ? "true" : v === false ? "false" : serAny(v));
const serDate: Ser = (v) => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "null" : `"${formatISO(v)}"`;
  return serAny(v);
};
const serDecimal: Ser = (v) => {
  if (isDecimal(v)) return JSON.stringify(String(v.value));
  if (typeof v === "number") return Number.isFinite(v) ? `"${String(v)}"` : "null";
  return serAny(v);
};
const serBigint: Ser = (v) => {
  if (typeof v === "number" && Number.isInteger(v)) return `"${String(v)}"`;
  return serAny(v);
};
const serNull: Ser = (v) => (v === undefined ? undefined : "null");

interface SerCompiler {
  types: Types;
  bySchema: WeakMap<object, Ser>;
  byRef: Map<string, Ser>;
}

const serCompilers = new WeakMap<Types, SerCompiler>();

function serCompiler(types: Types): SerCompiler {
  let c = serCompilers.get(types);
  if (c === undefined) {
    c = { types, bySchema: new WeakMap(), byRef: new Map() };
    serCompilers.set(types, c);
  }
  return c;
}

function compileSer(c: SerCompiler, schema: Schema): Ser {
  const key: object = schema.kind === "object" ? schema.fields : schema;
  let ser = c.bySchema.get(key);
  if (ser === undefined) {
    ser = buildSer(c, schema);
    c.bySchema.set(key, ser);
  }
  return ser;
}

function buildSer(c: SerCompiler, schema: Schema): Ser {
  switch (schema.kind) {
    case "string":
      return serString;
    case "number":
      return serNumber;
    case "boolean":
      return serBoolean;
    case "date":
      return serDate;
    case "decimal":
      return serDecimal;
    case "bigint":
      return serBigint;
    case "null":
      return serNull;
    case "any":
    case "literal":
      return serAny;
    case "array":
      return arraySer(c, schema.elem);
    case "object":
      return objectSer(c, schema.fields);
    case "record":
      return recordSer(c, schema.value);
    case "union":
      return unionSer(c, schema.types);
    case "ref":
      return refSer(c, schema.name);
  }
}

function refSer(c: SerCompiler, name: string): Ser {
  let ser = c.byRef.get(name);
  if (ser === undefined) {
    let target: Ser | undefined;
    ser = (v) => {
      if (target === undefined) {
        if (!Object.hasOwn(c.types, name)) throw new Error(`unknown type ${JSON.stringify(name)} in schema`);
        target = compileSer(c, c.types[name]);
      }
      return target(v);
    };
    c.byRef.set(name, ser);
  }
  return ser;
}

function arraySer(c: SerCompiler, elemSchema: Schema): Ser {
  let elem: Ser | undefined;
  return (v) => {
    if (!Array.isArray(v)) return serAny(v);
    const e = (elem ??= compileSer(c, elemSchema));
    let s = "[";
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ",";
      const item = e(v[i]);
      s += item === undefined ? "null" : item;
    }
    return `${s}]`;
  };
}

interface FieldSer {
  name: string;
  prefix: string; // `"name":`
  inherited: boolean;
  ser: Ser;
}

function fieldSers(c: SerCompiler, fields: FieldMeta[]): FieldSer[] {
  return fields.map((f) => ({ name: f.name, prefix: `${JSON.stringify(f.name)}:`, inherited: inherited(f.name), ser: compileSer(c, f.schema) }));
}

function writeFields(fs: FieldSer[], v: Record<string, unknown>): string {
  let s = "{";
  let first = true;
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i];
    const fv = ownGet(v, f.name, f.inherited);
    if (fv === undefined) continue;
    const text = f.ser(fv);
    if (text === undefined) continue;
    if (first) first = false;
    else s += ",";
    s += f.prefix + text;
  }
  return `${s}}`;
}

function objectSer(c: SerCompiler, fields: FieldMeta[]): Ser {
  let fs: FieldSer[] | undefined;
  return (v) => {
    if (!isPlainObject(v) || v instanceof Date || isDecimal(v)) return serAny(v);
    return writeFields((fs ??= fieldSers(c, fields)), v);
  };
}

function recordSer(c: SerCompiler, valueSchema: Schema): Ser {
  let val: Ser | undefined;
  return (v) => {
    if (!isPlainObject(v) || v instanceof Date || isDecimal(v)) return serAny(v);
    const e = (val ??= compileSer(c, valueSchema));
    let s = "{";
    let first = true;
    for (const k of Object.keys(v)) {
      const text = e(v[k]);
      if (text === undefined) continue;
      if (first) first = false;
      else s += ",";
      s += `${JSON.stringify(k)}:${text}`;
    }
    return `${s}}`;
  };
}

interface ObjectAlt {
  ser: Ser;
  /** Literal-typed fields (discriminants) must match and required fields be present. */
  matches: (v: Record<string, unknown>) => boolean;
}

function unionSer(c: SerCompiler, alternatives: Schema[]): Ser {
  let plan: { objects: ObjectAlt[]; array: Ser | null; record: Ser | null } | undefined;
  const build = () => {
    const objects: ObjectAlt[] = [];
    let array: Ser | null = null;
    let record: Ser | null = null;
    for (const alt of alternatives) {
      const r = resolve(alt, c.types);
      if (r.kind === "object") {
        const discriminants = r.fields.filter((f) => resolve(f.schema, c.types).kind === "literal");
        const required = r.fields.filter((f) => !f.optional).map((f) => f.name);
        objects.push({
          ser: compileSer(c, alt),
          matches: (v) =>
            discriminants.every((f) => v[f.name] === (resolve(f.schema, c.types) as { value: unknown }).value) && required.every((n) => v[n] !== undefined),
        });
      } else if (r.kind === "array") array ??= compileSer(c, alt);
      else if (r.kind === "record") record ??= compileSer(c, alt);
    }
    return { objects, array, record };
  };
  return (v) => {
    if (v === undefined) return undefined;
    // Scalars (and Dates, Decimals) serialise the same whichever alternative they belong to.
    if (typeof v !== "object" || v === null || v instanceof Date || isDecimal(v)) return serAny(v);
    const p = (plan ??= build());
    if (Array.isArray(v)) return p.array ? p.array(v) : serAny(v);
    const obj = v as Record<string, unknown>;
    for (const alt of p.objects) if (alt.matches(obj)) return alt.ser(obj);
    // Nothing matches exactly: keep to a declared shape rather than leak undeclared keys.
    if (p.objects.length > 0) return p.objects[0].ser(obj);
    return p.record ? p.record(obj) : serAny(v);
  };
}

/** JSON text of a value by its schema (Pub/Sub messages, payloads between services). */
export function encodeJSON(schema: Schema, value: unknown, types: Types): string | undefined {
  return compileSer(serCompiler(types), schema)(value);
}

/** The JSON value (parsed form) a value becomes on the wire, by its schema. */
export function toJSONValue(schema: Schema, value: unknown, types: Types): unknown {
  const text = encodeJSON(schema, value, types);
  return text === undefined ? undefined : JSON.parse(text);
}

interface ResponseEncoder {
  types: Types;
  encode: (value: unknown) => EncodedResponse;
}

const responseCache = new WeakMap<ParamsMeta, ResponseEncoder>();

function headerText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : formatISO(v);
  if (isDecimal(v)) return String(v.value);
  if (typeof v === "object") return serAny(v);
  return String(v);
}

// RFC 6265 cookie-octets; anything else is percent-encoded.
const COOKIE_OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** A Set-Cookie header from a Cookie field: a bare value or CookieWithOptions. */
export function serializeSetCookie(name: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const opts = isPlainObject(v) && !(v instanceof Date) && "value" in v ? v : null;
  const raw = opts ? opts.value : v;
  const text = raw instanceof Date ? raw.toISOString() : isDecimal(raw) ? String(raw.value) : String(raw ?? "");
  let s = `${name}=${COOKIE_OCTETS.test(text) ? text : encodeURIComponent(text)}`;
  if (opts) {
    if (opts.expires !== undefined && opts.expires !== null) {
      const d = opts.expires instanceof Date ? opts.expires : new Date(String(opts.expires));
      if (!Number.isNaN(d.getTime())) s += `; Expires=${d.toUTCString()}`;
    }
    if (typeof opts.maxAge === "number" && Number.isFinite(opts.maxAge)) s += `; Max-Age=${Math.max(0, Math.floor(opts.maxAge))}`;
    if (typeof opts.domain === "string" && opts.domain) s += `; Domain=${opts.domain}`;
    if (typeof opts.path === "string" && opts.path) s += `; Path=${opts.path}`;
    if (opts.secure === true) s += "; Secure";
    if (opts.httpOnly === true) s += "; HttpOnly";
    if (opts.sameSite === "Strict" || opts.sameSite === "Lax" || opts.sameSite === "None") s += `; SameSite=${opts.sameSite}`;
    if (opts.partitioned === true) s += "; Partitioned";
  }
  return s;
}

function compileResponse(params: ParamsMeta, types: Types): ResponseEncoder {
  const c = serCompiler(types);
  const bodyFields: FieldMeta[] = [];
  const headerFields: { name: string; wire: string; inherited: boolean }[] = [];
  const cookieFields: { name: string; wire: string; inherited: boolean }[] = [];
  let statusField: { name: string; inherited: boolean } | null = null;
  for (const f of params.fields) {
    if (f.httpStatus) statusField = { name: f.name, inherited: inherited(f.name) };
    else if (f.location === "header") headerFields.push({ name: f.name, wire: f.wireName ?? f.name, inherited: inherited(f.name) });
    else if (f.location === "cookie") cookieFields.push({ name: f.name, wire: f.wireName ?? f.name, inherited: inherited(f.name) });
    else bodyFields.push(f);
  }
  let fs: FieldSer[] | undefined;
  const encode = (value: unknown): EncodedResponse => {
    const headers: Record<string, string | string[]> = {};
    if (value === undefined || value === null) return { headers, body: "null" };
    if (!isPlainObject(value) || value instanceof Date) return { headers, body: serAny(value) ?? "null" };
    const body = writeFields((fs ??= fieldSers(c, bodyFields)), value);
    for (const h of headerFields) {
      const v = ownGet(value, h.name, h.inherited);
      if (Array.isArray(v)) {
        const texts = v.map(headerText).filter((t): t is string => t !== undefined);
        if (texts.length > 0) headers[h.wire] = texts;
      } else {
        const t = headerText(v);
        if (t !== undefined) headers[h.wire] = t;
      }
    }
    if (cookieFields.length > 0) {
      const cookies: string[] = [];
      for (const ck of cookieFields) {
        const sc = serializeSetCookie(ck.wire, ownGet(value, ck.name, ck.inherited));
        if (sc !== undefined) cookies.push(sc);
      }
      if (cookies.length > 0) headers["set-cookie"] = cookies;
    }
    if (statusField !== null) {
      const st = ownGet(value, statusField.name, statusField.inherited);
      if (st !== undefined && st !== null) {
        if (typeof st !== "number" || !Number.isInteger(st) || st < 100 || st > 599) {
          throw new HttpError("internal", `invalid HTTP status in response field ${JSON.stringify(statusField.name)}: ${String(st)}`);
        }
        return { status: st, headers, body };
      }
    }
    return { headers, body };
  };
  return { types, encode };
}

/**
 * Encodes a handler's return value by the declared response: the JSON text of only the declared
 * body fields, header fields moved to headers (by wire name), cookie fields to Set-Cookie, an
 * HttpStatus field to `status`. A null response type has no body.
 */
export function encodeResponse(params: ParamsMeta | null, value: unknown, types: Types): EncodedResponse {
  if (params === null) return { headers: {}, body: null };
  let enc = responseCache.get(params);
  if (enc === undefined || enc.types !== types) {
    enc = compileResponse(params, types);
    responseCache.set(params, enc);
  }
  return enc.encode(value);
}
