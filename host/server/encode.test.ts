import { describe, expect, test } from "vitest";
import type { ParamsMeta, Schema } from "../meta.ts";
import { decodeMessage } from "./decode.ts";
import { encodeJSON, encodeResponse, serializeSetCookie, toJSONValue } from "./encode.ts";
import { str, num, date, lit, union, arr, ref, field, obj, types } from "./testschemas.ts";

describe("encodeResponse", () => {
  const sdkDecimal = (value: string) =>
    Object.assign(
      Object.create({
        get __encore_decimal() {
          return true;
        },
        toJSON() {
          return value;
        },
      }),
      { value },
    );
  const campaignResponse: ParamsMeta = {
    fields: [
      field("id", str),
      field("name", str),
      field("createdAt", date),
      field("budget", { kind: "decimal" }),
      field("impressions", { kind: "bigint" }),
      field("owner", obj(field("id", str), field("email", str))),
      field("meta", { kind: "any" }, { optional: true }),
      field("endDate", date, { optional: true }),
      field("requestId", str, { location: "header", wireName: "X-Request-ID" }),
      field("status", num, { httpStatus: true }),
    ],
  };
  const value = {
    id: "c1",
    name: "Spring",
    createdAt: new Date("2024-05-01T10:00:00Z"),
    budget: sdkDecimal("1500.50"),
    impressions: 12345678901234567890n,
    owner: { id: "u1", email: "a@b.co", passwordHash: "secret" },
    meta: { nested: { keep: true, when: new Date("2024-01-01T00:00:00Z"), big: 1n } },
    endDate: undefined,
    requestId: "req-1",
    status: 201,
    passwordHash: "top-secret",
  };

  test("writes only declared body fields, converting Dates, Decimals and BigInts", () => {
    const out = encodeResponse(campaignResponse, value, types);
    expect(JSON.parse(out.body!)).toEqual({
      id: "c1",
      name: "Spring",
      createdAt: "2024-05-01T10:00:00.000Z",
      budget: "1500.50",
      impressions: "12345678901234567890",
      owner: { id: "u1", email: "a@b.co" },
      meta: { nested: { keep: true, when: "2024-01-01T00:00:00.000Z", big: "1" } },
    });
    expect(out.body).not.toContain("secret");
  });

  test("header fields move to headers and an HttpStatus field sets the status", () => {
    const out = encodeResponse(campaignResponse, value, types);
    expect(out.headers).toEqual({ "X-Request-ID": "req-1" });
    expect(out.status).toBe(201);
    expect(JSON.parse(out.body!)).not.toHaveProperty("requestId");
    expect(JSON.parse(out.body!)).not.toHaveProperty("status");
  });

  test("no status field value means the default status", () => {
    expect(encodeResponse(campaignResponse, { ...value, status: undefined }, types).status).toBeUndefined();
  });

  test("an invalid status is an internal error", () => {
    expect(() => encodeResponse(campaignResponse, { ...value, status: 42 }, types)).toThrow(expect.objectContaining({ code: "internal" }));
  });

  test("header values of other types are written as text; arrays as repeated headers", () => {
    const p: ParamsMeta = {
      fields: [
        field("count", num, { location: "header", wireName: "X-Total-Count" }),
        field("at", date, { location: "header", wireName: "Last-Modified" }),
        field("links", arr(str), { location: "header", wireName: "Link" }),
        field("none", str, { location: "header", wireName: "X-None", optional: true }),
      ],
    };
    const out = encodeResponse(p, { count: 3, at: new Date("2024-05-01T00:00:00Z"), links: ["<a>", "<b>"] }, types);
    expect(out.headers).toEqual({ "X-Total-Count": "3", "Last-Modified": "2024-05-01T00:00:00.000Z", Link: ["<a>", "<b>"] });
    expect(out.body).toBe("{}");
  });

  test("cookie fields become Set-Cookie headers", () => {
    const p: ParamsMeta = {
      fields: [field("session", str, { location: "cookie", wireName: "sid" }), field("theme", str, { location: "cookie", optional: true })],
    };
    const out = encodeResponse(p, { session: { value: "a b", httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAge: 3600 }, theme: "dark" }, types);
    expect(out.headers["set-cookie"]).toEqual(["sid=a%20b; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax", "theme=dark"]);
  });

  test("a null response type has no body", () => {
    expect(encodeResponse(null, { anything: 1 }, types)).toEqual({ headers: {}, body: null });
  });

  test("a missing value for a declared response is JSON null", () => {
    expect(encodeResponse(campaignResponse, undefined, types).body).toBe("null");
  });

  test("undefined fields are dropped, null fields are kept", () => {
    const p: ParamsMeta = { fields: [field("a", str, { optional: true }), field("b", union(str, { kind: "null" }))] };
    expect(encodeResponse(p, { a: undefined, b: null }, types).body).toBe('{"b":null}');
  });

  test("nested declared objects drop undeclared keys; arrays and records keep their declared element shape", () => {
    const p: ParamsMeta = {
      fields: [
        field("users", arr(obj(field("id", str)))),
        field("byId", { kind: "record", key: "string", value: obj(field("id", str)) }),
        field("thread", ref("Comment")),
      ],
    };
    const out = encodeResponse(
      p,
      {
        users: [{ id: "1", pw: "x" }, undefined],
        byId: { a: { id: "a", pw: "x" }, gone: undefined },
        thread: { text: "t", replies: [{ text: "r", pw: "x" }], pw: "x" },
      },
      types,
    );
    expect(JSON.parse(out.body!)).toEqual({ users: [{ id: "1" }, null], byId: { a: { id: "a" } }, thread: { text: "t", replies: [{ text: "r" }] } });
  });

  test("unions of objects pick the alternative whose discriminant matches", () => {
    const event = union(obj(field("type", lit("mention")), field("text", str)), obj(field("type", lit("crisis")), field("severity", num)));
    const p: ParamsMeta = { fields: [field("events", arr(event))] };
    const out = encodeResponse(
      p,
      {
        events: [
          { type: "crisis", severity: 3, x: 1 },
          { type: "mention", text: "hi", severity: 9 },
        ],
      },
      types,
    );
    expect(JSON.parse(out.body!)).toEqual({
      events: [
        { type: "crisis", severity: 3 },
        { type: "mention", text: "hi" },
      ],
    });
  });

  test("scalars in unions and nullable dates encode as their JSON form", () => {
    const p: ParamsMeta = { fields: [field("when", union(date, { kind: "null" })), field("v", union(str, num, { kind: "bigint" }))] };
    expect(JSON.parse(encodeResponse(p, { when: new Date(0), v: 5n }, types).body!)).toEqual({ when: "1970-01-01T00:00:00.000Z", v: "5" });
    expect(JSON.parse(encodeResponse(p, { when: null, v: 1 }, types).body!)).toEqual({ when: null, v: 1 });
  });

  test("strings are escaped; non-finite numbers become null; invalid dates become null", () => {
    const p: ParamsMeta = { fields: [field("s", str), field("n", num), field("d", date)] };
    expect(JSON.parse(encodeResponse(p, { s: 'quote " and \n newline </script>', n: NaN, d: new Date("x") }, types).body!)).toEqual({
      s: 'quote " and \n newline </script>',
      n: null,
      d: null,
    });
  });

  test("class instances are read through their getters like plain objects", () => {
    class Row {
      constructor(private readonly raw: { id: string; secret: string }) {}
      get id() {
        return this.raw.id;
      }
    }
    const p: ParamsMeta = { fields: [field("row", obj(field("id", str)))] };
    expect(encodeResponse(p, { row: new Row({ id: "r1", secret: "s" }) }, types).body).toBe('{"row":{"id":"r1"}}');
  });

  test("mismatched runtime types pass through as plain JSON instead of failing", () => {
    const p: ParamsMeta = { fields: [field("n", num), field("o", obj(field("a", str)))] };
    expect(JSON.parse(encodeResponse(p, { n: "5", o: "x" }, types).body!)).toEqual({ n: "5", o: "x" });
  });
});

describe("toJSONValue and encodeJSON", () => {
  test("a message becomes plain JSON by its schema", () => {
    const schema = obj(field("at", date), field("amount", { kind: "decimal" }), field("n", { kind: "bigint" }), field("data", { kind: "any" }));
    const v = toJSONValue(schema, { at: new Date("2024-05-01T00:00:00Z"), amount: "1.5", n: 3n, data: { x: [1] }, extra: true }, types);
    expect(v).toEqual({ at: "2024-05-01T00:00:00.000Z", amount: "1.5", n: "3", data: { x: [1] } });
    expect(encodeJSON(schema, { at: new Date(0), amount: "1", n: 1n, data: null }, types)).toBe(
      '{"at":"1970-01-01T00:00:00.000Z","amount":"1","n":"1","data":null}',
    );
  });

  test("a fresh object schema over the same fields reuses the compiled encoder and decoder", () => {
    const fields = [field("at", date)];
    for (let i = 0; i < 3; i++) {
      const schema: Schema = { kind: "object", fields };
      expect(toJSONValue(schema, { at: new Date(i) }, types)).toEqual({ at: new Date(i).toISOString() });
      expect(decodeMessage(schema, { at: new Date(i).toISOString() }, types)).toEqual({ at: new Date(i) });
    }
  });

  test("round trip: encode then decode gives the original values", () => {
    const original = {
      name: "Spring push",
      budget: 5000,
      startDate: new Date("2024-05-01T00:00:00Z"),
      platforms: ["twitter"],
      targetAudience: { ageRange: { min: 18, max: 35 }, locations: ["Lagos"] },
    };
    const wire = JSON.parse(encodeJSON(ref("CreateCampaign"), original, types)!);
    expect(decodeMessage(ref("CreateCampaign"), wire, types)).toEqual(original);
  });

  test("undefined encodes to undefined", () => {
    expect(toJSONValue({ kind: "any" }, undefined, types)).toBeUndefined();
  });
});

describe("serializeSetCookie", () => {
  test("writes expiry and partitioned attributes", () => {
    expect(serializeSetCookie("a", { value: "1", expires: new Date("2030-01-01T00:00:00Z"), partitioned: true, domain: "example.com" })).toBe(
      "a=1; Expires=Tue, 01 Jan 2030 00:00:00 GMT; Domain=example.com; Partitioned",
    );
    expect(serializeSetCookie("a", undefined)).toBeUndefined();
  });
});
