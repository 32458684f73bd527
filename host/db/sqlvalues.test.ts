import { describe, expect, test } from "vitest";
import { decodeValue, encodeParam, parseArrayLiteral } from "./sqlvalues.ts";
import { TypeRegistry, type PgType } from "./pgtypes.ts";
import { ArgumentError, toPValue } from "./pvalue.ts";
import { Decimal } from "../runtime/decimal.ts";

const registry = new TypeRegistry();
const T = (oid: number): PgType => registry.get(oid)!;
const OID = {
  bool: 16,
  bytea: 17,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  cidr: 650,
  inet: 869,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
  textArr: 1009,
  int4Arr: 1007,
  uuidArr: 2951,
  jsonbArr: 3807,
};
const enc = (v: unknown, oid: number) => encodeParam(toPValue(v), T(oid));
const dec = (text: string | null, oid: number) => decodeValue(text, T(oid), { decimal: (s) => ({ decimal: s }) });

describe("query arguments", () => {
  test("refuse what Encore's QueryArgs refuses", () => {
    expect(() => toPValue(NaN)).toThrow(ArgumentError);
    expect(() => toPValue(undefined)).toThrow(/undefined cannot be represented/);
    expect(() => toPValue(() => 1)).toThrow(/functions/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => toPValue(loop)).toThrow(/circular/);
  });

  test("read the SDK's Decimal through its value", () => {
    const sdkDecimal = Object.create(
      {
        get __encore_decimal() {
          return true;
        },
      },
      { value: { value: "1.50" } },
    );
    expect(enc(sdkDecimal, OID.numeric)).toBe("1.5");
  });
});

describe("encoding by the inferred parameter type", () => {
  test("writes anything bound to json or jsonb as JSON", () => {
    expect(enc(["a", 1], OID.jsonb)).toBe('["a",1]');
    expect(enc("plain", OID.jsonb)).toBe('"plain"');
    expect(enc(null, OID.json)).toBe("null");
    expect(enc({ b: 1, a: { d: null, c: true } }, OID.jsonb)).toBe('{"a":{"c":true,"d":null},"b":1}');
    expect(enc(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), OID.jsonb)).toBe('"2024-01-02T03:04:05Z"');
    expect(enc({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), n: 10n }, OID.jsonb)).toBe('{"at":"2024-01-02T03:04:05.006Z","n":"10"}');
    expect(enc({ skipped: undefined }, OID.json)).toBe("{}");
  });

  test("writes SQL NULL for null outside json", () => {
    expect(enc(null, OID.int4)).toBeNull();
    expect(enc(null, OID.textArr)).toBeNull();
  });

  test("binds arrays to array parameters, quoting every element", () => {
    expect(enc(["a", 'say "hi"', "back\\slash", null, ""], OID.textArr)).toBe('{"a","say \\"hi\\"","back\\\\slash",NULL,""}');
    expect(enc([1, 2], OID.int4Arr)).toBe('{"1","2"}');
    expect(enc([], OID.uuidArr)).toBe("{}");
    expect(enc([{ a: 1 }], OID.jsonbArr)).toBe('{"{\\"a\\":1}"}');
  });

  test("refuses arrays where the parameter is not an array, and nested arrays", () => {
    expect(() => enc([1, 2], OID.int4)).toThrow("array not supported for column of type int4");
    expect(() => enc([[1], [2]], OID.int4Arr)).toThrow(/nested arrays/);
  });

  test("accepts strings where Encore does, with its syntax rules", () => {
    expect(enc("2024-05-06T07:08:09.5Z", OID.timestamptz)).toBe("2024-05-06T07:08:09.5Z");
    expect(enc("2024-05-06T07:08:09+02:00", OID.timestamptz)).toBe("2024-05-06T07:08:09+02:00");
    expect(() => enc("2024-05-06", OID.timestamptz)).toThrow(/RFC 3339/);
    expect(enc("2024-05-06T07:08:09", OID.timestamp)).toBe("2024-05-06T07:08:09");
    expect(() => enc("2024-05-06T07:08:09Z", OID.timestamp)).toThrow();
    expect(enc("2024-02-29", OID.date)).toBe("2024-02-29");
    expect(() => enc("2023-02-29", OID.date)).toThrow(/invalid date/);
    expect(enc("10:11:12", OID.time)).toBe("10:11:12");
    expect(() => enc("10:11:12.5", OID.time)).toThrow();
    expect(enc("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}", OID.uuid)).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    expect(enc("a0eebc999c0b4ef8bb6d6bb9bd380a11", OID.uuid)).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    expect(() => enc("not-a-uuid", OID.uuid)).toThrow(/uuid/);
    expect(enc("12.50", OID.numeric)).toBe("12.5");
    expect(() => enc("NaN", OID.numeric)).toThrow(/Failed to parse decimal/);
    expect(enc("10.0.0.1", OID.inet)).toBe("10.0.0.1");
    expect(enc("hi", OID.bytea)).toBe("\\x6869");
  });

  test("refuses strings for other types, as Encore does", () => {
    expect(() => enc("5", OID.int4)).toThrow("string not supported for column of type int4");
    expect(() => enc("true", OID.bool)).toThrow("string not supported for column of type bool");
  });

  test("refuses any value for a type Encore cannot bind, even null", () => {
    expect(() => enc("1 hour", OID.interval)).toThrow(/interval/);
    expect(() => enc(null, OID.interval)).toThrow(/interval/);
  });

  test("binds numbers by range and integrality", () => {
    expect(enc(42, OID.int2)).toBe("42");
    expect(() => enc(40000, OID.int2)).toThrow("number 40000 is not an i16");
    expect(() => enc(1.5, OID.int4)).toThrow("number 1.5 is not an i32");
    expect(enc(2 ** 53 - 1, OID.int8)).toBe("9007199254740991");
    expect(enc(0.1, OID.float8)).toBe("0.1");
    expect(enc(0.25, OID.numeric)).toBe("0.25");
    expect(enc(7, OID.text)).toBe("7");
    expect(enc(1.5, OID.text)).toBe("1.5");
    expect(() => enc(1, OID.bool)).toThrow("number not supported for column of type bool");
  });

  test("binds decimals and bigints only where they convert exactly", () => {
    expect(enc(new Decimal("12.340"), OID.numeric)).toBe("12.34");
    expect(enc(new Decimal("12"), OID.int4)).toBe("12");
    expect(() => enc(new Decimal("1.5"), OID.int8)).toThrow("Cannot convert decimal to INT8");
    expect(enc(new Decimal("0.5"), OID.float8)).toBe("0.5");
    expect(() => enc(new Decimal("0.1"), OID.float8)).toThrow("Cannot convert decimal to FLOAT8");
    expect(enc(9007199254740993n, OID.int8)).toBe("9007199254740993");
    expect(enc(123n, OID.numeric)).toBe("123");
    expect(() => enc(2n ** 63n, OID.int8)).toThrow(/INT8/);
  });

  test("binds dates by the parameter's type, in UTC", () => {
    const at = new Date(Date.UTC(2024, 2, 4, 23, 30, 0, 250));
    expect(enc(at, OID.timestamptz)).toBe("2024-03-04 23:30:00.250+00");
    expect(enc(at, OID.timestamp)).toBe("2024-03-04 23:30:00.250");
    expect(enc(at, OID.date)).toBe("2024-03-04");
    expect(enc(at, OID.text)).toBe("2024-03-04T23:30:00.250+00:00");
    expect(() => enc(at, OID.int8)).toThrow("unsupported type for DateTime: int8");
  });

  test("binds buffers as bytes and booleans as booleans", () => {
    expect(enc(Buffer.from([1, 2, 255]), OID.bytea)).toBe("\\x0102ff");
    expect(enc(true, OID.bool)).toBe("t");
    expect(enc(false, OID.text)).toBe("false");
    expect(() => enc({ a: 1 }, OID.text)).toThrow("object not supported for column of type text");
  });
});

describe("decoding result columns", () => {
  test("converts numbers, booleans and text as Encore does", () => {
    expect(dec("9007199254740993", OID.int8)).toBe(9007199254740992);
    expect(dec("t", OID.bool)).toBe(true);
    expect(dec("0.1", OID.float4)).toBe(Math.fround(0.1));
    expect(dec("NaN", OID.float8)).toBeNull();
    expect(dec("-Infinity", OID.float4)).toBeNull();
    expect(dec("1.50", OID.numeric)).toEqual({ decimal: "1.5" });
    expect(dec(null, OID.int4)).toBeNull();
  });

  test("reads timestamps as Dates and dates and times as strings", () => {
    expect(dec("2024-01-02 03:04:05.123456+00", OID.timestamptz)).toEqual(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 123)));
    expect(dec("2024-01-02 03:04:05+05:30", OID.timestamptz)).toEqual(new Date(Date.UTC(2024, 0, 1, 21, 34, 5)));
    expect(dec("2024-01-02 03:04:05", OID.timestamp)).toEqual(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    expect(dec("2024-01-02 03:04:05.5+00", OID.timestamptz)).toEqual(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 500)));
    expect(dec("2024-01-02 03:04:05.999999", OID.timestamp)).toEqual(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)));
    const year50 = new Date(0);
    year50.setUTCFullYear(50, 2, 1);
    expect(dec("0050-03-01 00:00:00+00", OID.timestamptz)).toEqual(year50);
    const yearZero = new Date(0);
    yearZero.setUTCFullYear(0, 0, 1); // 1 BC in the proleptic calendar JavaScript and chrono use
    expect(dec("0001-01-01 00:00:00+00 BC", OID.timestamptz)).toEqual(yearZero);
    expect(() => dec("infinity", OID.timestamptz)).toThrow();
    expect(dec("2024-02-29", OID.date)).toBe("2024-02-29");
    expect(dec("0044-03-15 BC", OID.date)).toBe("-0043-03-15");
    expect(dec("10:11:12", OID.time)).toBe("10:11:12");
    expect(dec("10:11:12.5", OID.time)).toBe("10:11:12.500");
    expect(dec("10:11:12.000123", OID.time)).toBe("10:11:12.000123");
  });

  test("reads json, bytea, network types and uuids", () => {
    expect(dec('{"a":[1,"x"]}', OID.jsonb)).toEqual({ a: [1, "x"] });
    expect(dec('"s"', OID.jsonb)).toBe("s");
    const bytes = dec("\\x01ff", OID.bytea) as ArrayBuffer;
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bytes)]).toEqual([1, 255]);
    expect(dec("10.1.2.3/32", OID.cidr)).toBe("10.1.2.3");
    expect(dec("10.1.0.0/16", OID.cidr)).toBe("10.1.0.0/16");
    expect(dec("10.1.2.3", OID.inet)).toBe("10.1.2.3");
  });

  test("reads one-dimensional arrays of supported elements", () => {
    expect(dec('{a,"b c",NULL,"q\\"x"}', OID.textArr)).toEqual(["a", "b c", null, 'q"x']);
    expect(dec("{1,2,3}", OID.int4Arr)).toEqual([1, 2, 3]);
    expect(dec("{}", OID.int4Arr)).toEqual([]);
    expect(() => dec("{{1,2},{3,4}}", OID.int4Arr)).toThrow(/too many dimensions/);
  });

  test("refuses the types Encore cannot read, such as uuid[] and interval", () => {
    expect(() => dec("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", OID.uuidArr)).toThrow("unsupported type: _uuid");
    expect(() => dec("01:00:00", OID.interval)).toThrow("unsupported type: interval");
    expect(() => dec(null, OID.interval)).toThrow("unsupported type: interval"); // checked before NULL, as rust-postgres does
  });
});

describe("array literals", () => {
  test("parse quoting, NULLs, nesting and explicit bounds", () => {
    expect(parseArrayLiteral('{x,"a,b","\\\\",NULL,"NULL"}')).toEqual(["x", "a,b", "\\", null, "NULL"]);
    expect(parseArrayLiteral("{{1,2},{3,4}}")).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(parseArrayLiteral("[0:1]={7,8}")).toEqual(["7", "8"]);
  });
});
