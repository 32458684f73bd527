// Helpers shared by the decoder and the encoder: following named types, and reading/writing
// object keys without tripping over Object.prototype (`constructor`, `__proto__`).
import type { Schema } from "../meta.ts";

export type Types = Record<string, Schema>;

export const MAX_REF_DEPTH = 64;

/** Follows `ref`s to the named schema (validation on the ref itself is the caller's concern). */
export function resolve(schema: Schema, types: Types): Schema {
  let s = schema;
  for (let i = 0; s.kind === "ref"; i++) {
    const next = types[s.name];
    if (next === undefined || !Object.hasOwn(types, s.name)) throw new Error(`unknown type ${JSON.stringify(s.name)} in schema`);
    if (i > MAX_REF_DEPTH) throw new Error(`type ${JSON.stringify(s.name)} refers to itself`);
    s = next;
  }
  return s;
}

/** Whether `null` is a value of the schema (as opposed to "absent"). */
export function acceptsNull(schema: Schema, types: Types, depth = 0): boolean {
  if (depth > MAX_REF_DEPTH) return false;
  const s = resolve(schema, types);
  if (s.kind === "null" || s.kind === "any") return true;
  if (s.kind === "union") return s.types.some((t) => acceptsNull(t, types, depth + 1));
  return false;
}

/** Names that read through to Object.prototype on a plain object (`constructor`, `__proto__`, …). */
export function inherited(name: string): boolean {
  return name in Object.prototype;
}

/** Reads a field; an inherited name counts only as an own property (a missing `constructor` is absent). */
export function ownGet(obj: Record<string, unknown>, name: string, isInherited: boolean): unknown {
  return isInherited ? (Object.hasOwn(obj, name) ? obj[name] : undefined) : obj[name];
}

/** Writes a field; `__proto__` and friends become own properties instead of touching the prototype. */
export function setField(out: Record<string, unknown>, name: string, value: unknown, isInherited: boolean): void {
  if (isInherited) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}

/** Any non-array object (class instances too: their getters are read like fields). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The SDK's Decimal, recognised by its prototype getter as the SDK itself does. */
export function isDecimal(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && "__encore_decimal" in v;
}
