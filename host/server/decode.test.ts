import { describe, expect, test } from "vitest";
import type { ParamsMeta, Schema } from "../meta.ts";
import { decodeMessage, decodeParams, decodeRequest, decodeValue, parseCookies, ValidationError, type RawRequestParts } from "./decode.ts";
import { str, num, bool, date, lit, union, arr, ref, field, obj, types } from "./testschemas.ts";

const decimal = (s: string) => ({ decimal: s });
const opts = { decimal };

function parts(over: Partial<RawRequestParts>): RawRequestParts {
  return { method: "GET", pathParams: {}, query: new URLSearchParams(), headers: {}, cookies: {}, body: undefined, ...over };
}

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error("expected a ValidationError");
}

describe("decodeValue: scalars in JSON", () => {
  test("strings, numbers and booleans pass when their type matches", () => {
    expect(decodeValue(str, "hi", types, "x", "json")).toBe("hi");
    expect(decodeValue(num, 1.5, types, "x", "json")).toBe(1.5);
    expect(decodeValue(bool, false, types, "x", "json")).toBe(false);
  });

  test("a wrong JSON type is rejected, naming the field and what came", () => {
    expect(validationError(() => decodeValue(str, 5, types, "name", "json")).message).toBe('invalid value for field "name": expected a string, got number 5');
    expect(validationError(() => decodeValue(num, "5", types, "budget", "json")).message).toBe('invalid value for field "budget": expected a number, got "5"');
    expect(validationError(() => decodeValue(bool, "true", types, "active", "json")).message).toBe(
      'invalid value for field "active": expected a boolean, got "true"',
    );
    expect(validationError(() => decodeValue(num, null, types, "n", "json")).message).toMatch(/expected a number, got null/);
  });

  test("non-finite numbers are rejected", () => {
    expect(() => decodeValue(num, NaN, types, "n", "json")).toThrow(ValidationError);
    expect(() => decodeValue(num, Infinity, types, "n", "json")).toThrow(ValidationError);
  });

  test("dates come from RFC 3339 strings", () => {
    const d = decodeValue(date, "2024-05-01T12:30:00Z", types, "d", "json") as Date;
    expect(d).toBeInstanceOf(Date);
    expect(d.toISOString()).toBe("2024-05-01T12:30:00.000Z");
    expect((decodeValue(date, "2024-05-01T14:30:00.123+02:00", types, "d", "json") as Date).toISOString()).toBe("2024-05-01T12:30:00.123Z");
  });

  test("invalid dates are rejected", () => {
    for (const bad of ["2024-02-30T00:00:00Z", "2024-13-01", "yesterday", "2024-05-01T25:00:00Z", "2024-05-01T12:00:00", "", "1714566600000"]) {
      expect(() => decodeValue(date, bad, types, "d", "json"), bad).toThrow(/invalid value for field "d": expected an RFC 3339 date-time/);
    }
    expect(() => decodeValue(date, 1714566600000, types, "d", "json")).toThrow(ValidationError);
  });

  test("decimals come from strings or numbers through the supplied constructor", () => {
    const schema: Schema = { kind: "decimal" };
    expect(decodeValue(schema, "12.50", types, "amount", "json", opts)).toEqual({ decimal: "12.50" });
    expect(decodeValue(schema, 12.5, types, "amount", "json", opts)).toEqual({ decimal: "12.5" });
    expect(decodeValue(schema, "12.50", types, "amount", "json")).toBe("12.50"); // no constructor: the string
    expect(() => decodeValue(schema, "12,50", types, "amount", "json", opts)).toThrow(/expected a decimal number/);
    expect(() => decodeValue(schema, true, types, "amount", "json", opts)).toThrow(/expected a decimal number/);
  });

  test("a decimal the constructor refuses is a validation error", () => {
    const strict = {
      decimal: (s: string) => {
        if (s.includes("e")) throw new Error("no exponents");
        return s;
      },
    };
    expect(() => decodeValue({ kind: "decimal" }, "1e5", types, "amount", "json", strict)).toThrow(ValidationError);
  });

  test("bigints come from integer strings and numbers", () => {
    const schema: Schema = { kind: "bigint" };
    expect(decodeValue(schema, "9007199254740993", types, "n", "json")).toBe(9007199254740993n);
    expect(decodeValue(schema, 42, types, "n", "json")).toBe(42n);
    expect(() => decodeValue(schema, 1.5, types, "n", "json")).toThrow(/expected an integer/);
    expect(() => decodeValue(schema, "1.5", types, "n", "json")).toThrow(/expected an integer/);
  });

  test("any passes through untouched; null only accepts null", () => {
    const v = { deep: [1, { x: "y" }] };
    expect(decodeValue({ kind: "any" }, v, types, "x", "json")).toBe(v);
    expect(decodeValue({ kind: "null" }, null, types, "x", "json")).toBeNull();
    expect(() => decodeValue({ kind: "null" }, 0, types, "x", "json")).toThrow(/expected null/);
  });
});

describe("decodeValue: strings from the URL and headers", () => {
  test("numbers parse from numeric strings; NaN, empty and junk are rejected", () => {
    expect(decodeValue(num, "42", types, "limit", "string")).toBe(42);
    expect(decodeValue(num, "-1.5e2", types, "limit", "string")).toBe(-150);
    for (const bad of ["", "abc", "NaN", "Infinity", "0x10", "1,000", " 5", "1e999"]) {
      expect(() => decodeValue(num, bad, types, "limit", "string"), bad).toThrow(/expected a number/);
    }
  });

  test("a huge non-number fails fast (no regex backtracking blow-up)", () => {
    const start = performance.now();
    expect(() => decodeValue(num, `${"1".repeat(100_000)}x`, types, "n", "string")).toThrow(/expected a number/);
    expect(() => decodeValue({ kind: "decimal" }, `${"1".repeat(100_000)}x`, types, "n", "json")).toThrow(/expected a decimal/);
    expect(performance.now() - start).toBeLessThan(200);
  });

  test("booleans parse from true/false/1/0", () => {
    expect(decodeValue(bool, "true", types, "b", "string")).toBe(true);
    expect(decodeValue(bool, "1", types, "b", "string")).toBe(true);
    expect(decodeValue(bool, "false", types, "b", "string")).toBe(false);
    expect(decodeValue(bool, "0", types, "b", "string")).toBe(false);
    expect(() => decodeValue(bool, "yes", types, "b", "string")).toThrow(/expected a boolean/);
  });

  test("strings stay strings, dates parse", () => {
    expect(decodeValue(str, "42", types, "s", "string")).toBe("42");
    expect((decodeValue(date, "2024-05-01", types, "since", "string") as Date).toISOString()).toBe("2024-05-01T00:00:00.000Z");
  });

  test("literals parse numbers and booleans", () => {
    expect(decodeValue(lit(2), "2", types, "p", "string")).toBe(2);
    expect(decodeValue(lit(true), "true", types, "p", "string")).toBe(true);
    expect(decodeValue(lit("x"), "x", types, "p", "string")).toBe("x");
    expect(() => decodeValue(lit(2), "3", types, "p", "string")).toThrow('invalid value for field "p": expected 2, got "3"');
  });

  test("arrays take repeated values, or a single one (commas are not separators)", () => {
    expect(decodeValue(arr(num), ["1", "2"], types, "ids", "string")).toEqual([1, 2]);
    expect(decodeValue(arr(str), "a,b", types, "tags", "string")).toEqual(["a,b"]);
    expect(validationError(() => decodeValue(arr(num), ["1", "x"], types, "ids", "string")).message).toBe(
      'invalid value for field "ids[1]": expected a number, got "x"',
    );
  });

  test("objects in a string arrive as JSON text", () => {
    expect(decodeValue(obj(field("a", num)), '{"a":1,"b":2}', types, "filter", "string")).toEqual({ a: 1 });
    expect(() => decodeValue(obj(field("a", num)), "a=1", types, "filter", "string")).toThrow(/as JSON/);
  });

  test("null parses from the string null", () => {
    expect(decodeValue(union(num, { kind: "null" }), "null", types, "n", "string")).toBeNull();
  });
});

describe("decodeValue: unions, literals and enums", () => {
  test("a literal union accepts its values and lists them when it does not", () => {
    expect(decodeValue(ref("Platform"), "twitter", types, "platform", "json")).toBe("twitter");
    expect(validationError(() => decodeValue(ref("Platform"), "tiktok", types, "platform", "json")).message).toBe(
      'invalid value for field "platform": expected one of "twitter", "facebook", "instagram", got "tiktok"',
    );
  });

  test("numeric enums decode from JSON numbers and from strings", () => {
    expect(decodeValue(ref("Priority"), 2, types, "priority", "json")).toBe(2);
    expect(decodeValue(ref("Priority"), "3", types, "priority", "string")).toBe(3);
    expect(decodeValue(ref("Priority"), "3.0", types, "priority", "string")).toBe(3);
    expect(() => decodeValue(ref("Priority"), "2", types, "priority", "json")).toThrow(/expected one of 1, 2, 3/);
  });

  test("boolean literal unions parse 1/0 in strings", () => {
    expect(decodeValue(union(lit(true), lit(false)), "1", types, "b", "string")).toBe(true);
  });

  test("the first alternative that decodes wins", () => {
    const s = union(num, str);
    expect(decodeValue(s, 5, types, "x", "json")).toBe(5);
    expect(decodeValue(s, "5", types, "x", "json")).toBe("5");
  });

  test("in strings, parsing alternatives are tried before plain strings", () => {
    expect(decodeValue(union(str, num), "5", types, "x", "string")).toBe(5);
    expect(decodeValue(union(str, num), "five", types, "x", "string")).toBe("five");
    expect(decodeValue(union(num, lit("all")), "all", types, "limit", "string")).toBe("all");
  });

  test("when no alternative fits the message lists what was expected", () => {
    expect(validationError(() => decodeValue(union(num, bool), "x", types, "v", "json")).message).toBe(
      'invalid value for field "v": expected a number or a boolean, got "x"',
    );
  });

  test("T | null reports T's own problem", () => {
    expect(decodeValue(union(date, { kind: "null" }), null, types, "d", "json")).toBeNull();
    expect(validationError(() => decodeValue(union(date, { kind: "null" }), "nope", types, "d", "json")).message).toMatch(/expected an RFC 3339 date-time/);
    const nested = union(ref("TargetAudience"), { kind: "null" });
    expect(validationError(() => decodeValue(nested, { ageRange: { min: 18, max: 30 }, locations: [] }, types, "aud", "json")).field).toBe("aud.locations");
  });
});

describe("decodeValue: objects, arrays, records, refs", () => {
  const campaign = {
    name: "Spring push",
    budget: 5000,
    startDate: "2024-05-01T00:00:00Z",
    platforms: ["twitter", "facebook"],
    targetAudience: { ageRange: { min: 18, max: 35 }, locations: ["Lagos", "Abuja"] },
  };

  test("a valid nested object decodes, with Dates restored", () => {
    const out = decodeValue(ref("CreateCampaign"), campaign, types, "", "json") as Record<string, unknown>;
    expect(out.startDate).toBeInstanceOf(Date);
    expect(out).toMatchObject({ name: "Spring push", budget: 5000, platforms: ["twitter", "facebook"], targetAudience: { locations: ["Lagos", "Abuja"] } });
  });

  test("unknown extra keys are dropped at every level", () => {
    const out = decodeValue(
      ref("CreateCampaign"),
      { ...campaign, isAdmin: true, targetAudience: { ...campaign.targetAudience, secret: 1 } },
      types,
      "",
      "json",
    ) as Record<string, unknown>;
    expect(out).not.toHaveProperty("isAdmin");
    expect(out.targetAudience).not.toHaveProperty("secret");
  });

  test("a missing required field is named by its full path", () => {
    const err = validationError(() =>
      decodeValue(ref("CreateCampaign"), { ...campaign, targetAudience: { ageRange: { min: 18, max: 35 } } }, types, "", "json"),
    );
    expect(err.message).toBe('missing required field "targetAudience.locations"');
    expect(err.field).toBe("targetAudience.locations");
  });

  test("a bad nested value is named by its full path, array indexes included", () => {
    expect(validationError(() => decodeValue(ref("CreateCampaign"), { ...campaign, platforms: ["twitter", "myspace"] }, types, "", "json")).message).toBe(
      'invalid value for field "platforms[1]": expected one of "twitter", "facebook", "instagram", got "myspace"',
    );
    expect(
      validationError(() =>
        decodeValue(ref("CreateCampaign"), { ...campaign, targetAudience: { ...campaign.targetAudience, ageRange: { min: 10, max: 20 } } }, types, "", "json"),
      ).message,
    ).toBe('invalid value for field "targetAudience.ageRange.min": value must be at least 13 (got 10)');
  });

  test("the path argument prefixes everything", () => {
    expect(validationError(() => decodeValue(ref("TargetAudience"), { ageRange: { min: 18, max: 2 } }, types, "payload.audience", "json")).field).toBe(
      "payload.audience.locations",
    );
  });

  test("validation rules apply after decoding", () => {
    expect(validationError(() => decodeValue(ref("CreateCampaign"), { ...campaign, budget: 50 }, types, "", "json")).message).toBe(
      'invalid value for field "budget": value must be at least 100 (got 50)',
    );
    expect(validationError(() => decodeValue(ref("CreateCampaign"), { ...campaign, name: "ab" }, types, "", "json")).message).toBe(
      'invalid value for field "name": length too short (got 2, expected at least 3)',
    );
    expect(validationError(() => decodeValue(ref("CreateCampaign"), { ...campaign, contactEmail: "nope" }, types, "", "json")).message).toBe(
      'invalid value for field "contactEmail": value is not an email',
    );
    expect(
      validationError(() =>
        decodeValue(ref("CreateCampaign"), { ...campaign, targetAudience: { ...campaign.targetAudience, locations: [] } }, types, "", "json"),
      ).message,
    ).toBe('invalid value for field "targetAudience.locations": length too short (got 0, expected at least 1)');
  });

  test("validation on a named alias applies through the ref", () => {
    expect(decodeValue(ref("Email"), "a@b.co", types, "email", "json")).toBe("a@b.co");
    expect(() => decodeValue(ref("Email"), "nope", types, "email", "json")).toThrow('invalid value for field "email": value is not an email');
    expect(() => decodeValue({ kind: "ref", name: "Email", validate: { endsWith: ".org" } }, "a@b.co", types, "email", "json")).toThrow(
      /does not end with ".org"/,
    );
  });

  test("null for an optional field means absent; for a nullable one it stays null", () => {
    const out = decodeValue(ref("CreateCampaign"), { ...campaign, endDate: null, contactEmail: null, notes: null }, types, "", "json") as Record<
      string,
      unknown
    >;
    expect(out).not.toHaveProperty("endDate");
    expect(out).not.toHaveProperty("contactEmail");
    expect(out.notes).toBeNull();
  });

  test("null for a required field is rejected", () => {
    expect(() => decodeValue(ref("CreateCampaign"), { ...campaign, budget: null }, types, "", "json")).toThrow(
      'invalid value for field "budget": expected a number, got null',
    );
  });

  test("a non-object where an object is expected is rejected", () => {
    expect(() => decodeValue(ref("TargetAudience"), [], types, "aud", "json")).toThrow('invalid value for field "aud": expected an object, got an array');
    expect(() => decodeValue(ref("TargetAudience"), "x", types, "", "json")).toThrow('invalid value: expected an object, got "x"');
  });

  test("recursive types decode", () => {
    const thread = { text: "a", replies: [{ text: "b", replies: [{ text: "c", extra: 1 }] }] };
    expect(decodeValue(ref("Comment"), thread, types, "", "json")).toEqual({ text: "a", replies: [{ text: "b", replies: [{ text: "c" }] }] });
    expect(validationError(() => decodeValue(ref("Comment"), { text: "a", replies: [{ text: "b", replies: [{}] }] }, types, "", "json")).field).toBe(
      "replies[0].replies[0].text",
    );
  });

  test("records decode each value and keep every key", () => {
    const schema: Schema = { kind: "record", key: "string", value: date };
    const out = decodeValue(schema, { a: "2024-01-01T00:00:00Z", b: "2024-01-02T00:00:00Z" }, types, "seen", "json") as Record<string, Date>;
    expect(out.a).toBeInstanceOf(Date);
    expect(Object.keys(out)).toEqual(["a", "b"]);
    expect(() => decodeValue(schema, { a: "x" }, types, "seen", "json")).toThrow(/field "seen.a"/);
    expect(() => decodeValue({ kind: "record", key: "number", value: num }, { abc: 1 }, types, "m", "json")).toThrow(/expected a numeric key/);
  });

  test("a field named like an Object.prototype member is read only when present", () => {
    const schema = obj(field("constructor", str, { optional: true }), field("toString", num, { optional: true }));
    expect(decodeValue(schema, {}, types, "", "json")).toEqual({});
    expect(decodeValue(schema, { constructor: "x" }, types, "", "json")).toEqual({ constructor: "x" });
  });

  test("__proto__ keys cannot pollute prototypes", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const out = decodeValue({ kind: "record", key: "string", value: { kind: "any" } }, parsed, types, "", "json") as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("an unknown type name is the metadata's bug, not the caller's", () => {
    expect(() => decodeValue(ref("Nope"), {}, types, "", "json")).toThrow(/unknown type "Nope"/);
    expect(() => decodeValue(ref("Nope"), {}, types, "", "json")).not.toThrow(ValidationError);
  });
});

describe("decodeRequest", () => {
  const getCampaigns: ParamsMeta = {
    fields: [
      field("limit", num, { optional: true, location: "query" }),
      field("status", union(lit("active"), lit("paused")), { optional: true }),
      field("platform", arr(ref("Platform")), { optional: true, location: "query", wireName: "platform" }),
      field("since", date, { optional: true }),
      field("requestId", str, { optional: true, location: "header", wireName: "X-Request-ID" }),
    ],
  };

  test("GET reads default fields from the query string, coerced by type", () => {
    const out = decodeRequest(
      getCampaigns,
      parts({ query: new URLSearchParams("limit=20&status=active&since=2024-05-01T00:00:00Z&platform=twitter&platform=facebook") }),
      types,
    );
    expect(out).toEqual({ limit: 20, status: "active", since: new Date("2024-05-01T00:00:00Z"), platform: ["twitter", "facebook"] });
  });

  test("HEAD and DELETE also read default fields from the query", () => {
    for (const method of ["HEAD", "DELETE"])
      expect(decodeRequest(getCampaigns, parts({ method, query: new URLSearchParams("limit=5") }), types)).toEqual({ limit: 5 });
  });

  test("a single value for an array query field is a one-item array", () => {
    expect(decodeRequest(getCampaigns, parts({ query: new URLSearchParams("platform=instagram") }), types)).toEqual({ platform: ["instagram"] });
  });

  test("query errors name the query parameter", () => {
    expect(validationError(() => decodeRequest(getCampaigns, parts({ query: new URLSearchParams("limit=ten") }), types)).message).toBe(
      'invalid value for query parameter "limit": expected a number, got "ten"',
    );
    expect(validationError(() => decodeRequest(getCampaigns, parts({ query: new URLSearchParams("platform=twitter&platform=vine") }), types)).message).toMatch(
      /query parameter "platform\[1\]"/,
    );
  });

  test("a non-array query parameter given twice is rejected", () => {
    expect(() => decodeRequest(getCampaigns, parts({ query: new URLSearchParams("limit=1&limit=2") }), types)).toThrow(/"limit": given 2 times/);
  });

  test("an empty query value for an optional number means not given", () => {
    expect(decodeRequest(getCampaigns, parts({ query: new URLSearchParams("limit=&status=") }), types)).toEqual({});
  });

  test("headers are read case-insensitively by their wire name", () => {
    expect(decodeRequest(getCampaigns, parts({ headers: { "x-request-id": "abc" } }), types)).toEqual({ requestId: "abc" });
  });

  const updateCampaign: ParamsMeta = {
    fields: [
      field("id", num, { location: "path" }),
      field("ifMatch", str, { location: "header", wireName: "If-Match" }),
      field("count", num, { location: "header", wireName: "X-Count", optional: true }),
      field("tags", arr(str), { location: "header", wireName: "X-Tags", optional: true }),
      field("session", str, { location: "cookie", wireName: "sid", optional: true }),
      field("dryRun", bool, { location: "query", optional: true }),
      field("name", { kind: "string", validate: { minLen: 3 } }),
      field("budget", { kind: "decimal" }, { optional: true }),
      field("targetAudience", ref("TargetAudience"), { optional: true }),
    ],
  };
  const base = (over: Partial<RawRequestParts> = {}) =>
    parts({ method: "PUT", pathParams: { id: "7" }, headers: { "if-match": "v1" }, body: { name: "Spring" }, ...over });

  test("a PUT merges path, header, cookie, query and body fields into one object", () => {
    const out = decodeRequest(
      updateCampaign,
      base({
        headers: { "if-match": "v1", "x-count": "3", "x-tags": "a, b" },
        cookies: { sid: "s1" },
        query: new URLSearchParams("dryRun=true"),
        body: { name: "Spring", budget: "100.25", extra: 1 },
      }),
      types,
      opts,
    );
    expect(out).toEqual({
      id: 7,
      ifMatch: "v1",
      count: 3,
      tags: ["a", "b"],
      session: { name: "sid", value: "s1" },
      dryRun: true,
      name: "Spring",
      budget: { decimal: "100.25" },
    });
  });

  test("repeated header lines feed array fields", () => {
    expect(decodeRequest(updateCampaign, base({ headers: { "if-match": "v1", "x-tags": ["a", "b,c"] } }), types)?.tags).toEqual(["a", "b", "c"]);
  });

  test("path parameters are coerced and named in errors", () => {
    expect(validationError(() => decodeRequest(updateCampaign, base({ pathParams: { id: "abc" } }), types)).message).toBe(
      'invalid value for path parameter "id": expected a number, got "abc"',
    );
    expect(validationError(() => decodeRequest(updateCampaign, base({ pathParams: {} }), types)).message).toBe('missing required path parameter "id"');
  });

  test("a missing required header is named by its wire name", () => {
    const err = validationError(() => decodeRequest(updateCampaign, base({ headers: {} }), types));
    expect(err.message).toBe('missing required header "If-Match"');
    expect(err.field).toBe("ifMatch");
  });

  test("an invalid header value is named", () => {
    expect(() => decodeRequest(updateCampaign, base({ headers: { "if-match": "v1", "x-count": "many" } }), types)).toThrow(
      'invalid value for header "X-Count": expected a number, got "many"',
    );
  });

  test("an empty optional header means not given", () => {
    expect(decodeRequest(updateCampaign, base({ headers: { "if-match": "v1", "x-count": "" } }), types)).not.toHaveProperty("count");
  });

  test("body errors name the field and nested path", () => {
    expect(validationError(() => decodeRequest(updateCampaign, base({ body: {} }), types)).message).toBe('missing required field "name"');
    expect(
      validationError(() => decodeRequest(updateCampaign, base({ body: { name: "Spring", targetAudience: { ageRange: { min: 20, max: 30 } } } }), types))
        .message,
    ).toBe('missing required field "targetAudience.locations"');
    expect(validationError(() => decodeRequest(updateCampaign, base({ body: { name: "ab" } }), types)).message).toBe(
      'invalid value for field "name": length too short (got 2, expected at least 3)',
    );
  });

  test("a body that is not a JSON object is rejected", () => {
    for (const body of [[1, 2], "text", 5, true]) {
      expect(() => decodeRequest(updateCampaign, base({ body }), types)).toThrow(/invalid request body: expected a JSON object/);
    }
  });

  test("no body at all leaves only required body fields missing", () => {
    expect(() => decodeRequest(updateCampaign, base({ body: undefined }), types)).toThrow('missing required field "name"');
    const allOptional: ParamsMeta = { fields: [field("note", str, { optional: true })] };
    expect(decodeRequest(allOptional, parts({ method: "POST" }), types)).toEqual({});
  });

  test("a body is ignored when no field lives in it", () => {
    expect(decodeRequest(getCampaigns, parts({ body: [1, 2, 3] }), types)).toEqual({});
  });

  test("POST reads default fields from the body, not the query", () => {
    const p: ParamsMeta = { fields: [field("name", str)] };
    expect(decodeRequest(p, parts({ method: "POST", query: new URLSearchParams("name=fromQuery"), body: { name: "fromBody" } }), types)).toEqual({
      name: "fromBody",
    });
    expect(decodeRequest(p, parts({ method: "GET", query: new URLSearchParams("name=fromQuery"), body: { name: "fromBody" } }), types)).toEqual({
      name: "fromQuery",
    });
  });

  test("a cookie field declared as CookieWithOptions decodes its value schema", () => {
    const p: ParamsMeta = {
      fields: [field("session", obj(field("value", num), field("path", str, { optional: true })), { location: "cookie", wireName: "n" })],
    };
    expect(decodeRequest(p, parts({ cookies: { n: "5" } }), types)).toEqual({ session: { name: "n", value: 5 } });
    expect(() => decodeRequest(p, parts({}), types)).toThrow('missing required cookie "n"');
  });

  test("null params decode to null", () => {
    expect(decodeRequest(null, parts({}), types)).toBeNull();
  });

  test("the compiled decoder is reused and stays correct across calls", () => {
    for (let i = 0; i < 3; i++) expect(decodeRequest(getCampaigns, parts({ query: new URLSearchParams(`limit=${i}`) }), types)).toEqual({ limit: i });
  });
});

describe("decodeParams and decodeMessage", () => {
  const p: ParamsMeta = {
    fields: [
      field("id", num, { location: "path" }),
      field("since", date, { location: "query", optional: true }),
      field("auth", str, { location: "header", wireName: "Authorization" }),
      field("sid", str, { location: "cookie", optional: true }),
      field("budget", { kind: "decimal" }),
    ],
  };

  test("every field is read from the JSON object by its TypeScript name", () => {
    const out = decodeParams(p, { id: 7, since: "2024-05-01T00:00:00.000Z", auth: "Bearer x", sid: { value: "s" }, budget: "9.99" }, types, opts);
    expect(out).toEqual({ id: 7, since: new Date("2024-05-01T00:00:00Z"), auth: "Bearer x", sid: { name: "sid", value: "s" }, budget: { decimal: "9.99" } });
  });

  test("missing and invalid fields are named", () => {
    expect(() => decodeParams(p, { id: 7, budget: "1" }, types)).toThrow('missing required field "auth"');
    expect(() => decodeParams(p, { id: "7", auth: "x", budget: "1" }, types)).toThrow('invalid value for field "id": expected a number, got "7"');
    expect(() => decodeParams(p, [], types)).toThrow(/expected an object/);
  });

  test("null params give null", () => {
    expect(decodeParams(null, { a: 1 }, types)).toBeNull();
  });

  test("decodeMessage restores Dates and drops undeclared keys in a Pub/Sub message", () => {
    const schema = obj(field("campaignId", str), field("timestamp", date), field("data", { kind: "any" }), field("priority", ref("Priority")));
    const msg = decodeMessage(schema, { campaignId: "c1", timestamp: "2024-05-01T10:00:00.000Z", data: { raw: [1] }, priority: 1, leaked: true }, types);
    expect(msg).toEqual({ campaignId: "c1", timestamp: new Date("2024-05-01T10:00:00Z"), data: { raw: [1] }, priority: 1 });
    expect(() => decodeMessage(schema, { campaignId: "c1", timestamp: "bad", data: null, priority: 1 }, types)).toThrow('invalid value for field "timestamp"');
  });
});

describe("parseCookies", () => {
  test("parses names and values, trimming, unquoting and percent-decoding", () => {
    expect(parseCookies('sid=abc; theme="dark"; name=J%C3%BCrgen; empty=')).toEqual({ sid: "abc", theme: "dark", name: "Jürgen", empty: "" });
  });

  test("the first of repeated names wins; junk is skipped", () => {
    expect(parseCookies("a=1; a=2; junk; =x; b=%E0%A4%A")).toEqual({ a: "1", b: "%E0%A4%A" });
  });

  test("a long header of junk parses in linear time", () => {
    const header = `${"x;".repeat(50_000)}a=1`;
    const start = performance.now();
    expect(parseCookies(header)).toEqual({ a: "1" });
    expect(performance.now() - start).toBeLessThan(200);
  });

  test("no header gives no cookies", () => {
    expect(parseCookies(undefined)).toEqual({});
    expect(parseCookies("")).toEqual({});
  });

  test("a __proto__ cookie is an ordinary key", () => {
    const out = parseCookies("__proto__=x");
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
  });
});

describe("what no string may carry, and integers", () => {
  const int: Schema = { kind: "number", integer: true };
  const page: ParamsMeta = {
    fields: [
      { name: "page", optional: true, schema: { ...int, validate: { minValue: 1 } }, location: "default" },
      { name: "q", optional: true, schema: str, location: "default" },
    ],
  };

  test("a NUL character or a lone surrogate in a query, path or header string is refused, naming it", () => {
    const q = (s: string) => validationError(() => decodeRequest(page, parts({ query: new URLSearchParams(s) }), types)).message;
    expect(q("q=a%00b")).toBe('invalid value for query parameter "q": contains a NUL character');
    expect(validationError(() => decodeValue(str, "x\ud800", types, "id", "string")).message).toBe(
      'invalid value for field "id": contains an unpaired UTF-16 surrogate',
    );
    expect(decodeValue(str, "emoji \ud83d\ude00", types, "id", "string")).toBe("emoji \ud83d\ude00");
  });

  test("integers: whole numbers JavaScript holds exactly, from JSON and from strings", () => {
    expect(decodeValue(int, 42, types, "n", "json")).toBe(42);
    expect(decodeValue(int, "-7", types, "n", "string")).toBe(-7);
    expect(decodeValue(int, "1e3", types, "n", "string")).toBe(1000);
    expect(validationError(() => decodeValue(int, 1.5, types, "limit", "json")).message).toBe(
      'invalid value for field "limit": expected an integer, got number 1.5',
    );
    expect(validationError(() => decodeValue(int, "1.5", types, "offset", "string")).message).toBe(
      'invalid value for field "offset": expected an integer, got "1.5"',
    );
    expect(validationError(() => decodeValue(int, "99999999999999999999", types, "page", "string")).message).toMatch(
      /expected an integer between -9007199254740991 and 9007199254740991/,
    );
    expect(validationError(() => decodeValue(int, 2 ** 53, types, "page", "json")).message).toMatch(/between/);
    // Rules still apply after.
    expect(validationError(() => decodeRequest(page, parts({ query: new URLSearchParams("page=0") }), types)).message).toMatch(/at least 1/);
    // A plain number stays a number.
    expect(decodeValue(num, "1.5", types, "x", "string")).toBe(1.5);
  });

  test("JSON in a query string nested too deep, or with a NUL, is refused", () => {
    const deep = "[".repeat(100) + "]".repeat(100);
    expect(validationError(() => decodeValue(obj(field("a", arr(str))), `{"a":${deep}}`, types, "filter", "string")).message).toMatch(
      /^invalid value for field "filter\.a\[0\]\[0\].*": nested deeper than 64 levels$/,
    );
    expect(validationError(() => decodeValue(obj(field("a", str)), '{"a":"x\\u0000"}', types, "filter", "string")).message).toBe(
      'invalid value for field "filter.a": contains a NUL character',
    );
  });
});
