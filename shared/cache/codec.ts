// JSON codec for cached values. Dates come back as Dates: a Date is written as {"$date": iso}, and
// so that a user object can never be mistaken for that tag, every user key starting with "$" gets
// one more "$" on the way in and loses it on the way out.

const DATE_TAG = "$date";

// encode turns a value into the stored string; undefined when the value has no JSON form.
export function encode(value: unknown): string | undefined {
  return JSON.stringify(value, replacer);
}

// decode is the inverse of encode. It also reads plain JSON written by others (e.g. INCR counters).
export function decode(text: string): unknown {
  return JSON.parse(text, reviver);
}

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // JSON.stringify has already called Date#toJSON, so look at the holder for the original.
  const original = this[key];
  if (original instanceof Date) {
    const time = original.getTime();
    return Number.isNaN(time) ? null : { [DATE_TAG]: original.toISOString() };
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return hasDollarKey(value) ? renameKeys(value as Record<string, unknown>, (k) => (k[0] === "$" ? `$${k}` : k)) : value;
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === DATE_TAG && typeof record[DATE_TAG] === "string") {
    return new Date(record[DATE_TAG] as string);
  }
  return hasDollarKey(record) ? renameKeys(record, (k) => (k[0] === "$" ? k.slice(1) : k)) : value;
}

function hasDollarKey(value: object): boolean {
  for (const key in value) if (key[0] === "$") return true;
  return false;
}

function renameKeys(source: Record<string, unknown>, rename: (key: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    // defineProperty, not assignment: a decoded "__proto__" key must stay a plain property.
    Object.defineProperty(out, rename(key), { value: source[key], enumerable: true, writable: true, configurable: true });
  }
  return out;
}
