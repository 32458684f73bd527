// Decoding requests and messages by schema, as Encore's runtime does it
// (runtimes/core/src/api/jsonschema, .../schema): values are coerced and validated, unknown keys
// dropped, errors name the field. Pure. Schemas are compiled once into closures (cached in
// WeakMaps keyed by the metadata objects), because this runs on every request. Encoding is
// encode.ts.
import type { FieldMeta, ParamsMeta, Schema, Validation } from "../meta.ts";
import { parseDateTime } from "./datetime.ts";
import { acceptsNull, inherited, isDecimal, isPlainObject, ownGet, resolve, setField, type Types } from "./schemawalk.ts";
import { validationReason } from "./validate.ts";
import { jsonProblem, stringProblem } from "./jsonguard.ts";

export interface DecodeOptions {
  /** Builds the handler's decimal value (the SDK's `typeConstructors.decimal`); else the string. */
  decimal?: (s: string) => unknown;
}

/** A request or message that does not fit its schema: 400 invalid_argument, naming the field. */
export class ValidationError extends Error {
  readonly code = "invalid_argument";
  /** The TypeScript path of the offending field, e.g. `targetAudience.locations[2]` ("" for the whole value). */
  readonly field: string;

  constructor(message: string, field: string) {
    super(message);
    this.name = "ValidationError";
    this.field = field;
  }
}

export interface RawRequestParts {
  method: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  /** Lower-cased keys, as node gives them. */
  headers: Record<string, string | string[] | undefined>;
  cookies: Record<string, string>;
  /** Parsed JSON, or undefined if there was no body. */
  body: unknown;
}

// ---------------------------------------------------------------------------------------------
// Failures inside compiled decoders. Cheap (no stack), carry a path relative to the decoder that
// threw; each enclosing object/array decoder prefixes its own segment on the way out.

class Fail {
  constructor(
    public rel: string,
    public reason: string,
    public missing: boolean,
  ) {}
}

function fail(reason: string): never {
  throw new Fail("", reason, false);
}

function within(err: unknown, seg: string): never {
  if (err instanceof Fail) err.rel = err.rel === "" ? seg : err.rel.charCodeAt(0) === 0x5b /* [ */ ? seg + err.rel : `${seg}.${err.rel}`;
  throw err;
}

function joinPath(base: string, rel: string): string {
  if (base === "") return rel;
  if (rel === "") return base;
  return rel.charCodeAt(0) === 0x5b ? base + rel : `${base}.${rel}`;
}

/** Turns an internal failure into the public error; `label` says where the value came from. */
function toValidationError(err: unknown, label: string, shownBase: string, fieldBase: string): unknown {
  if (!(err instanceof Fail)) return err;
  const shown = joinPath(shownBase, err.rel);
  const field = joinPath(fieldBase, err.rel);
  let message: string;
  if (shown === "") message = err.missing ? "missing required value" : `invalid value: ${err.reason}`;
  else if (err.missing) message = `missing required ${label} ${JSON.stringify(shown)}`;
  else message = `invalid value for ${label} ${JSON.stringify(shown)}: ${err.reason}`;
  return new ValidationError(message, field);
}

/** A value as an error message shows it. */
function show(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
    case "number":
    case "boolean":
    case "bigint":
      return `${typeof v} ${String(v)}`;
    case "undefined":
      return "nothing";
    case "object":
      return Array.isArray(v) ? "an array" : v instanceof Date ? "a Date" : "an object";
    default:
      return typeof v;
  }
}

// ---------------------------------------------------------------------------------------------
// Schema questions the decoder asks.

/** Whether a query/header field collects repeated values (T[] or T[] | null). */
function isArraySchema(schema: Schema, types: Types): boolean {
  const s = resolve(schema, types);
  if (s.kind === "array") return true;
  if (s.kind === "union") {
    const rest = s.types.filter((t) => resolve(t, types).kind !== "null");
    return rest.length > 0 && rest.every((t) => resolve(t, types).kind === "array");
  }
  return false;
}

/** Whether the schema takes any string as it is (so it should be tried last in string mode). */
function takesAnyString(schema: Schema, types: Types): boolean {
  const k = resolve(schema, types).kind;
  return k === "string" || k === "any";
}

function describeSchema(schema: Schema, types: Types, depth = 0): string {
  if (depth > 8) return "a value";
  const s = schema;
  switch (s.kind) {
    case "string":
      return "a string";
    case "number":
      return s.integer ? "an integer" : "a number";
    case "boolean":
      return "a boolean";
    case "date":
      return "an RFC 3339 date-time";
    case "decimal":
      return "a decimal number";
    case "bigint":
      return "an integer";
    case "any":
      return "any value";
    case "null":
      return "null";
    case "literal":
      return JSON.stringify(s.value);
    case "array":
      return "an array";
    case "object":
    case "record":
      return "an object";
    case "union":
      return s.types.map((t) => describeSchema(t, types, depth + 1)).join(" or ");
    case "ref":
      return Object.hasOwn(types, s.name) ? describeSchema(types[s.name], types, depth + 1) : "a value";
  }
}

// ---------------------------------------------------------------------------------------------
// Scalars.

// JSON-style numbers; also a leading "+" and forms like "1." / ".5", as people type them in URLs.
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/; // (one way to match: no backtracking blow-up)
const INTEGER_RE = /^[+-]?\d+$/;

type Dec = (v: unknown, o: DecodeOptions | undefined) => unknown;
type Mode = "json" | "string";

function makeDecimal(s: string, o: DecodeOptions | undefined): unknown {
  if (!NUMBER_RE.test(s)) fail(`expected a decimal number, got ${show(s)}`);
  if (o?.decimal === undefined) return s;
  try {
    return o.decimal(s);
  } catch {
    return fail(`expected a decimal number, got ${show(s)}`);
  }
}

const jsonScalars: Record<"string" | "number" | "boolean" | "date" | "decimal" | "bigint" | "any" | "null", Dec> = {
  string: (v) => (typeof v === "string" ? v : fail(`expected a string, got ${show(v)}`)),
  number: (v) => (typeof v === "number" && Number.isFinite(v) ? v : fail(`expected a number, got ${show(v)}`)),
  boolean: (v) => (typeof v === "boolean" ? v : fail(`expected a boolean, got ${show(v)}`)),
  date: (v) => {
    if (typeof v === "string") return parseDateTime(v) ?? fail(`expected an RFC 3339 date-time (like "2024-05-01T12:00:00Z"), got ${show(v)}`);
    if (v instanceof Date && !Number.isNaN(v.getTime())) return v; // in-process values that never became JSON
    return fail(`expected an RFC 3339 date-time string, got ${show(v)}`);
  },
  decimal: (v, o) => {
    if (typeof v === "string") return makeDecimal(v, o);
    if (typeof v === "number" && Number.isFinite(v)) return makeDecimal(String(v), o);
    if (typeof v === "bigint") return makeDecimal(v.toString(), o);
    if (isDecimal(v)) return makeDecimal(String(v.value), o);
    return fail(`expected a decimal number, got ${show(v)}`);
  },
  bigint: (v) => {
    if (typeof v === "bigint") return v;
    if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
    if (typeof v === "string" && INTEGER_RE.test(v)) return BigInt(v);
    return fail(`expected an integer, got ${show(v)}`);
  },
  any: (v) => v,
  null: (v) => (v === null ? null : fail(`expected null, got ${show(v)}`)),
};

/**
 * Integers (`Int` fields): whole numbers JavaScript holds exactly (|n| ≤ 2^53 − 1), so that 1.5 or
 * 99999999999999999999 never reach a handler that passes them on as SQL integers.
 */
function integerDec(mode: Mode): Dec {
  const num = mode === "json" ? jsonScalars.number : stringScalars.number;
  return (v, o) => {
    const n = num(v, o) as number;
    if (Number.isSafeInteger(n)) return n;
    return fail(
      Number.isInteger(n)
        ? `expected an integer between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, got ${show(v)}`
        : `expected an integer, got ${show(v)}`,
    );
  };
}

function parseBool(s: string): boolean | undefined {
  if (s === "true" || s === "1") return true;
  if (s === "false" || s === "0") return false;
  return undefined;
}

function needString(v: unknown, what: string): string {
  return typeof v === "string" ? v : fail(`expected ${what}, got ${show(v)}`);
}

/** A string from a URL, header or cookie, refused if it carries what no string may (jsonguard.ts). */
function cleanString(v: unknown): string {
  const s = needString(v, "a string");
  const problem = stringProblem(s);
  return problem === null ? s : fail(problem);
}

const stringScalars: typeof jsonScalars = {
  string: cleanString,
  number: (v) => {
    const s = needString(v, "a number");
    if (!NUMBER_RE.test(s)) fail(`expected a number, got ${show(s)}`);
    const n = Number(s);
    return Number.isFinite(n) ? n : fail(`expected a number, got ${show(s)}`);
  },
  boolean: (v) => parseBool(needString(v, "a boolean")) ?? fail(`expected a boolean (true or false), got ${show(v)}`),
  date: (v) => parseDateTime(needString(v, "a date-time")) ?? fail(`expected an RFC 3339 date-time (like "2024-05-01T12:00:00Z"), got ${show(v)}`),
  decimal: (v, o) => makeDecimal(needString(v, "a decimal number"), o),
  bigint: (v) => {
    const s = needString(v, "an integer");
    return INTEGER_RE.test(s) ? BigInt(s) : fail(`expected an integer, got ${show(s)}`);
  },
  any: (v) => (typeof v === "string" ? cleanString(v) : v),
  null: (v) => (v === "null" ? null : fail(`expected null, got ${show(v)}`)),
};

// ---------------------------------------------------------------------------------------------
// Decoder compilation.

interface DecCompiler {
  types: Types;
  mode: Mode;
  bySchema: WeakMap<object, Dec>;
  byRef: Map<string, Dec>;
  other: () => DecCompiler; // the same types in the other mode
}

const decCompilers = new WeakMap<Types, { json: DecCompiler; string: DecCompiler }>();

function decCompiler(types: Types, mode: Mode): DecCompiler {
  let pair = decCompilers.get(types);
  if (pair === undefined) {
    const json: DecCompiler = { types, mode: "json", bySchema: new WeakMap(), byRef: new Map(), other: () => str };
    const str: DecCompiler = { types, mode: "string", bySchema: new WeakMap(), byRef: new Map(), other: () => json };
    pair = { json, string: str };
    decCompilers.set(types, pair);
  }
  return pair[mode];
}

function withRules(dec: Dec, rules: Validation | undefined): Dec {
  if (rules === undefined || Object.keys(rules).length === 0) return dec;
  return (v, o) => {
    const out = dec(v, o);
    const reason = validationReason(out, rules);
    if (reason !== null) fail(reason);
    return out;
  };
}

function compileDec(c: DecCompiler, schema: Schema): Dec {
  // Object schemas are keyed by their field list, so wrappers built per call share one decoder.
  const key: object = schema.kind === "object" ? schema.fields : schema;
  let dec = c.bySchema.get(key);
  if (dec === undefined) {
    dec = buildDec(c, schema);
    c.bySchema.set(key, dec);
  }
  return dec;
}

function buildDec(c: DecCompiler, schema: Schema): Dec {
  const scalars = c.mode === "json" ? jsonScalars : stringScalars;
  switch (schema.kind) {
    case "number":
      return withRules(schema.integer ? integerDec(c.mode) : scalars.number, schema.validate);
    case "string":
      return withRules(scalars[schema.kind], schema.validate);
    case "boolean":
    case "date":
    case "decimal":
    case "bigint":
    case "any":
    case "null":
      return scalars[schema.kind];
    case "literal":
      return literalDec(c.mode, schema.value);
    case "union":
      return unionDec(c, schema.types);
    case "array":
      return withRules(arrayDec(c, schema.elem), schema.validate);
    case "object":
      return c.mode === "json" ? objectDec(c, schema.fields) : viaJSON(c, schema);
    case "record":
      return c.mode === "json" ? recordDec(c, schema.key, schema.value) : viaJSON(c, schema);
    case "ref":
      return withRules(refDec(c, schema.name), schema.validate);
  }
}

/** Structured values in a URL or header arrive as JSON text. */
function viaJSON(c: DecCompiler, schema: Schema): Dec {
  let json: Dec | undefined;
  return (v, o) => {
    if (typeof v !== "string") fail(`expected JSON text, got ${show(v)}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      return fail(`expected ${describeSchema(schema, c.types)} as JSON, got ${show(v)}`);
    }
    const problem = jsonProblem(parsed, v.includes("\\u"));
    if (problem !== null) throw new Fail(problem.path, problem.reason, false);
    return (json ??= compileDec(c.other(), schema))(parsed, o);
  };
}

function refDec(c: DecCompiler, name: string): Dec {
  let dec = c.byRef.get(name);
  if (dec === undefined) {
    // Lazy, so recursive types compile.
    let target: Dec | undefined;
    dec = (v, o) => {
      if (target === undefined) {
        if (!Object.hasOwn(c.types, name)) throw new Error(`unknown type ${JSON.stringify(name)} in schema`);
        target = compileDec(c, c.types[name]);
      }
      return target(v, o);
    };
    c.byRef.set(name, dec);
  }
  return dec;
}

function literalDec(mode: Mode, value: string | number | boolean): Dec {
  const want = JSON.stringify(value);
  if (mode === "json" || typeof value === "string") {
    return (v) => (v === value ? value : fail(`expected ${want}, got ${show(v)}`));
  }
  return (v) => {
    if (typeof v === "string") {
      const parsed = typeof value === "number" ? (NUMBER_RE.test(v) ? Number(v) : undefined) : parseBool(v);
      if (parsed === value) return value;
    }
    return fail(`expected ${want}, got ${show(v)}`);
  };
}

function unionDec(c: DecCompiler, alternatives: Schema[]): Dec {
  const { types, mode } = c;
  const resolved = alternatives.map((a) => resolve(a, types));

  // Unions of literals (string enums, `"a" | "b" | null`): one lookup, one clear message.
  if (resolved.every((r) => r.kind === "literal" || r.kind === "null")) {
    const values = resolved.map((r) => (r.kind === "literal" ? r.value : null));
    const listed = values.map((v) => JSON.stringify(v)).join(", ");
    const lookup = new Map<unknown, unknown>();
    for (const v of values) {
      if (mode === "json") lookup.set(v, v);
      else if (v === null) lookup.set("null", null);
      else {
        lookup.set(String(v), v);
        if (v === true) lookup.set("1", true);
        if (v === false) lookup.set("0", false);
      }
    }
    if (mode === "string") {
      // Numbers written differently ("1.0" for 1).
      const numeric = values.filter((v): v is number => typeof v === "number");
      return (v) => {
        const hit = lookup.get(v);
        if (hit !== undefined) return hit;
        if (typeof v === "string" && numeric.length > 0 && NUMBER_RE.test(v) && numeric.includes(Number(v))) return Number(v);
        return fail(`expected one of ${listed}, got ${show(v)}`);
      };
    }
    return (v) => {
      if (lookup.has(v)) return v;
      return fail(`expected one of ${listed}, got ${show(v)}`);
    };
  }

  // In a URL everything is a string: try the alternatives that parse (number, boolean, date)
  // before those that take any string, so `number | string` yields 5 for "5".
  let order = alternatives;
  if (mode === "string") order = [...alternatives.filter((a) => !takesAnyString(a, types)), ...alternatives.filter((a) => takesAnyString(a, types))];
  const decs = order.map((a) => compileDec(c, a));
  const nullable = resolved.some((r) => r.kind === "null" || r.kind === "any");
  const nonNull = order.filter((a) => resolve(a, types).kind !== "null");
  const single = nonNull.length === 1 ? decs[order.indexOf(nonNull[0])] : null;
  const expected = alternatives.map((a) => describeSchema(a, types)).join(" or ");

  return (v, o) => {
    if (v === null && nullable && mode === "json") return null;
    // `T | null`: T's own message (and path) says more than a list of alternatives.
    if (single !== null && v !== null && !(mode === "string" && v === "null")) return single(v, o);
    for (let i = 0; i < decs.length; i++) {
      try {
        return decs[i](v, o);
      } catch (err) {
        if (!(err instanceof Fail)) throw err;
      }
    }
    return fail(`expected ${expected}, got ${show(v)}`);
  };
}

function arrayDec(c: DecCompiler, elemSchema: Schema): Dec {
  const elem = compileDec(c, elemSchema);
  if (c.mode === "string") {
    // Repeated query keys / header lines arrive as string[]; a single one as a string.
    return (v, o) => {
      const items = Array.isArray(v) ? v : [v];
      const out = new Array(items.length);
      for (let i = 0; i < items.length; i++) {
        try {
          out[i] = elem(items[i], o);
        } catch (err) {
          within(err, `[${i}]`);
        }
      }
      return out;
    };
  }
  return (v, o) => {
    if (!Array.isArray(v)) fail(`expected an array, got ${show(v)}`);
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      try {
        out[i] = elem(v[i], o);
      } catch (err) {
        within(err, `[${i}]`);
      }
    }
    return out;
  };
}

interface FieldDec {
  name: string;
  optional: boolean;
  nullable: boolean;
  inherited: boolean;
  dec: Dec;
}

function fieldDecs(c: DecCompiler, fields: FieldMeta[]): FieldDec[] {
  return fields.map((f) => ({
    name: f.name,
    optional: f.optional,
    inherited: inherited(f.name),
    nullable: acceptsNull(f.schema, c.types),
    dec: compileDec(c, f.schema),
  }));
}

function objectDec(c: DecCompiler, fields: FieldMeta[]): Dec {
  let plan: FieldDec[] | undefined;
  return (v, o) => {
    if (!isPlainObject(v) || v instanceof Date) fail(`expected an object, got ${show(v)}`);
    // Built on first use, so a type is only resolved when a value of it is decoded.
    const fs = (plan ??= fieldDecs(c, fields));
    const out: Record<string, unknown> = {};
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      const raw = ownGet(v, f.name, f.inherited);
      // An optional field sent as null means "not given" unless null is one of its values.
      if (raw === undefined || (raw === null && f.optional && !f.nullable)) {
        if (!f.optional) throw new Fail(f.name, "", true);
        continue;
      }
      let val: unknown;
      try {
        val = f.dec(raw, o);
      } catch (err) {
        within(err, f.name);
      }
      setField(out, f.name, val, f.inherited);
    }
    return out;
  };
}

function recordDec(c: DecCompiler, keyKind: "string" | "number", valueSchema: Schema): Dec {
  let val: Dec | undefined;
  return (v, o) => {
    if (!isPlainObject(v) || v instanceof Date) fail(`expected an object, got ${show(v)}`);
    const dec = (val ??= compileDec(c, valueSchema));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (keyKind === "number" && !NUMBER_RE.test(k)) throw new Fail(k, `expected a numeric key, got ${show(k)}`, false);
      const raw = v[k];
      if (raw === undefined) continue;
      let decoded: unknown;
      try {
        decoded = dec(raw, o);
      } catch (err) {
        within(err, k);
      }
      setField(out, k, decoded, k === "__proto__");
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Public decoding API.

/**
 * Converts a JSON value (mode "json") or a string from the URL or headers (mode "string"; arrays
 * as string[]) into what the handler expects, validating it. Throws ValidationError naming
 * `path` and the position inside the value.
 */
export function decodeValue(schema: Schema, value: unknown, types: Types, path: string, mode: Mode, opts?: DecodeOptions): unknown {
  try {
    return compileDec(decCompiler(types, mode), schema)(value, opts);
  } catch (err) {
    throw toValidationError(err, "field", path, path);
  }
}

/** A Pub/Sub message or a service-to-service payload that arrived as JSON (Dates restored, …). */
export function decodeMessage(schema: Schema, json: unknown, types: Types, opts?: DecodeOptions): unknown {
  return decodeValue(schema, json, types, "", "json", opts);
}

type Location = "path" | "query" | "header" | "cookie" | "body";

interface ReqField {
  name: string;
  loc: Location;
  /** Name on the wire: header names lower-cased, as node gives them. */
  wire: string;
  /** Name in error messages: the header / query / cookie name as declared. */
  shown: string;
  label: string;
  optional: boolean;
  nullable: boolean;
  inherited: boolean;
  wireInherited: boolean;
  isArray: boolean;
  dec: Dec;
  /** Cookies decode their value, and the handler gets `{ name, value }` as in Encore. */
  cookie: boolean;
}

interface ReqPlan {
  fields: ReqField[];
  hasBody: boolean;
}

interface CompiledParams {
  types: Types;
  queryMethods: ReqPlan; // GET, HEAD, DELETE: "default" fields come from the query string
  bodyMethods: ReqPlan;
  json: ReqField[]; // every field by its TypeScript name, from a JSON object (in-process calls)
}

const LABELS: Record<Location, string> = {
  path: "path parameter",
  query: "query parameter",
  header: "header",
  cookie: "cookie",
  body: "field",
};

const paramsCache = new WeakMap<ParamsMeta, CompiledParams>();

function compiledParams(params: ParamsMeta, types: Types): CompiledParams {
  let cp = paramsCache.get(params);
  if (cp === undefined || cp.types !== types) {
    cp = compileParams(params, types);
    paramsCache.set(params, cp);
  }
  return cp;
}

/** The schema a cookie's value has: Cookie<T> may arrive as the CookieWithOptions object type. */
function cookieValueSchema(schema: Schema, types: Types): Schema {
  const s = resolve(schema, types);
  if (s.kind === "object") {
    const value = s.fields.find((f) => f.name === "value");
    if (value) return value.schema;
  }
  return schema;
}

function compileParams(params: ParamsMeta, types: Types): CompiledParams {
  const json = decCompiler(types, "json");
  const str = decCompiler(types, "string");
  const plan = (defaultLoc: Location): ReqPlan => {
    const fields = params.fields.map((f): ReqField => {
      const loc: Location = f.location === undefined || f.location === "default" ? defaultLoc : f.location;
      const wireName = f.wireName ?? f.name;
      const cookie = loc === "cookie";
      const schema = cookie ? cookieValueSchema(f.schema, types) : f.schema;
      const wire = loc === "header" ? wireName.toLowerCase() : loc === "path" || loc === "body" ? f.name : wireName;
      return {
        name: f.name,
        loc,
        wire,
        shown: loc === "path" || loc === "body" ? f.name : wireName,
        label: LABELS[loc],
        optional: f.optional,
        nullable: acceptsNull(schema, types),
        inherited: inherited(f.name),
        wireInherited: inherited(wire),
        isArray: loc === "query" || loc === "header" ? isArraySchema(schema, types) : false,
        dec: compileDec(loc === "body" ? json : str, schema),
        cookie,
      };
    });
    return { fields, hasBody: fields.some((f) => f.loc === "body") };
  };
  const jsonFields = params.fields.map((f): ReqField => {
    const cookie = f.location === "cookie";
    const schema = cookie ? cookieValueSchema(f.schema, types) : f.schema;
    return {
      name: f.name,
      loc: "body",
      wire: f.wireName ?? f.name,
      shown: f.name,
      label: "field",
      optional: f.optional,
      nullable: acceptsNull(schema, types),
      inherited: inherited(f.name),
      wireInherited: false,
      isArray: false,
      dec: compileDec(json, schema),
      cookie,
    };
  });
  return { types, queryMethods: plan("query"), bodyMethods: plan("body"), json: jsonFields };
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function headerValue(h: string | string[] | undefined, isArray: boolean): string | string[] | undefined {
  if (h === undefined) return undefined;
  if (isArray) {
    // node joins repeated header lines with ", ".
    const lines = Array.isArray(h) ? h : [h];
    const out: string[] = [];
    for (const line of lines) for (const part of line.split(",")) out.push(part.trim());
    return out;
  }
  return Array.isArray(h) ? h[0] : h;
}

/**
 * Decodes a typed endpoint's request into ONE flat object (path, query, header, cookie and body
 * fields by their TypeScript names), as the handler receives it; null when the endpoint takes no
 * parameters. Throws ValidationError naming the field.
 */
export function decodeRequest(params: ParamsMeta | null, parts: RawRequestParts, types: Types, opts?: DecodeOptions): Record<string, unknown> | null {
  if (params === null) return null;
  const cp = compiledParams(params, types);
  const m = parts.method;
  const plan = m === "GET" || m === "HEAD" || m === "DELETE" ? cp.queryMethods : cp.bodyMethods;

  let body = EMPTY;
  if (plan.hasBody && parts.body !== undefined && parts.body !== null) {
    if (!isPlainObject(parts.body)) throw new ValidationError(`invalid request body: expected a JSON object, got ${show(parts.body)}`, "");
    body = parts.body;
  }

  const out: Record<string, unknown> = {};
  const fields = plan.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let raw: unknown;
    switch (f.loc) {
      case "body":
        raw = ownGet(body, f.wire, f.inherited);
        if (raw === null && f.optional && !f.nullable) raw = undefined;
        break;
      case "path":
        raw = Object.hasOwn(parts.pathParams, f.wire) ? parts.pathParams[f.wire] : undefined;
        break;
      case "query": {
        const all = parts.query.getAll(f.wire);
        if (all.length === 0) raw = undefined;
        else if (f.isArray) raw = all;
        else if (all.length > 1)
          throw new ValidationError(`invalid value for query parameter ${JSON.stringify(f.shown)}: given ${all.length} times, expected once`, f.name);
        else raw = all[0];
        break;
      }
      case "header":
        raw = headerValue(ownGet(parts.headers, f.wire, f.wireInherited) as string | string[] | undefined, f.isArray);
        break;
      case "cookie":
        raw = Object.hasOwn(parts.cookies, f.wire) ? parts.cookies[f.wire] : undefined;
        break;
    }
    if (raw === undefined) {
      if (!f.optional) throw new ValidationError(`missing required ${f.label} ${JSON.stringify(f.shown)}`, f.name);
      continue;
    }
    let val: unknown;
    try {
      val = f.dec(raw, opts);
    } catch (err) {
      // An empty query parameter or header for an optional non-string field means "not given".
      if (raw === "" && f.optional && f.loc !== "body" && err instanceof Fail) continue;
      throw toValidationError(err, f.label, f.shown, f.name);
    }
    setField(out, f.name, f.cookie ? { name: f.wire, value: val } : val, f.inherited);
  }
  return out;
}

/**
 * The same for a flat request object that travelled as JSON (in-process API calls): every field
 * of every location is in the object under its TypeScript name.
 */
export function decodeParams(params: ParamsMeta | null, json: unknown, types: Types, opts?: DecodeOptions): Record<string, unknown> | null {
  if (params === null) return null;
  const cp = compiledParams(params, types);
  let src = EMPTY;
  if (json !== undefined && json !== null) {
    if (!isPlainObject(json)) throw new ValidationError(`invalid request: expected an object, got ${show(json)}`, "");
    src = json;
  }
  const out: Record<string, unknown> = {};
  for (const f of cp.json) {
    let raw = ownGet(src, f.name, f.inherited);
    if (f.cookie && isPlainObject(raw) && "value" in raw) raw = raw.value;
    if (raw === undefined || (raw === null && f.optional && !f.nullable)) {
      if (!f.optional) throw new ValidationError(`missing required field ${JSON.stringify(f.name)}`, f.name);
      continue;
    }
    let val: unknown;
    try {
      val = f.dec(raw, opts);
    } catch (err) {
      throw toValidationError(err, "field", f.name, f.name);
    }
    setField(out, f.name, f.cookie ? { name: f.wire, value: val } : val, f.inherited);
  }
  return out;
}

/**
 * Refuses a parsed JSON body or message that nests too deep or carries a NUL character or a lone
 * surrogate in any string or key (jsonguard.ts), naming where. `text` is the JSON it was parsed from.
 */
export function checkJson(value: unknown, text: string, what = "request body"): void {
  const problem = jsonProblem(value, text.includes("\\u"));
  if (problem === null) return;
  if (problem.path === "") throw new ValidationError(`invalid ${what}: ${problem.reason}`, "");
  throw new ValidationError(`invalid value for field ${JSON.stringify(problem.path)}: ${problem.reason}`, problem.path);
}

/** Parses a Cookie header; the first of repeated names wins (the most specific, per RFC 6265). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  let start = 0;
  let eq = -1;
  while (start < header.length) {
    let end = header.indexOf(";", start);
    if (end < 0) end = header.length;
    // Reuse the last "=" found while it lies ahead, so a header of many "=" -less parts stays linear.
    if (eq !== Infinity && eq < start) {
      eq = header.indexOf("=", start);
      if (eq < 0) eq = Infinity;
    }
    if (eq > start && eq < end) {
      const name = header.slice(start, eq).trim();
      if (name !== "" && !Object.hasOwn(out, name)) {
        let value = header.slice(eq + 1, end).trim();
        if (value.length >= 2 && value.charCodeAt(0) === 0x22 && value.charCodeAt(value.length - 1) === 0x22) value = value.slice(1, -1);
        if (value.includes("%")) {
          try {
            value = decodeURIComponent(value);
          } catch {
            // Not percent-encoded after all: keep it as sent.
          }
        }
        setField(out, name, value, name === "__proto__");
      }
    }
    start = end + 1;
  }
  return out;
}
