import { describe, expect, test } from "vitest";
import { decode, encode } from "./codec.ts";

const roundTrip = (value: unknown) => decode(encode(value)!);

describe("codec", () => {
  test("plain JSON values round-trip unchanged", () => {
    const value = { a: 1, b: "two", c: [true, null, 3.5], d: { e: [] } };
    expect(roundTrip(value)).toEqual(value);
  });

  test("Dates come back as Dates at any depth", () => {
    const at = new Date("2024-05-01T12:34:56.789Z");
    const back = roundTrip({ at, list: [at, { nested: at }] }) as { at: Date; list: [Date, { nested: Date }] };
    expect(back.at).toBeInstanceOf(Date);
    expect(back.at.getTime()).toBe(at.getTime());
    expect(back.list[0]).toEqual(at);
    expect(back.list[1].nested).toEqual(at);
  });

  test("a top-level Date comes back as a Date", () => {
    const at = new Date(0);
    expect(roundTrip(at)).toEqual(at);
  });

  test("an invalid Date is stored as null, as JSON.stringify does", () => {
    expect(roundTrip({ at: new Date(Number.NaN) })).toEqual({ at: null });
  });

  test("user objects that look like the Date tag stay plain objects", () => {
    const lookalike = { $date: "2024-01-01T00:00:00.000Z" };
    const value = { lookalike, $$deep: { $: 1, $date: 2 }, list: [{ $date: "x" }] };
    const back = roundTrip(value);
    expect(back).toEqual(value);
    expect((back as { lookalike: unknown }).lookalike).not.toBeInstanceOf(Date);
  });

  test("a decoded __proto__ key stays an ordinary property", () => {
    const back = decode('{"$__proto__":{"polluted":true},"$x":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__", "x"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("objects with toJSON are stored as their JSON form", () => {
    expect(roundTrip({ amount: { toJSON: () => "12.50" } })).toEqual({ amount: "12.50" });
  });

  test("undefined has no encoding", () => {
    expect(encode(undefined)).toBeUndefined();
  });

  test("plain integers written by others decode as numbers", () => {
    expect(decode("42")).toBe(42);
  });
});
