import { describe, expect, test } from "vitest";
import { Decimal, formatRational, parseRational } from "./decimal.ts";

const d = (s: string) => new Decimal(s);

describe("Decimal parsing", () => {
  test("accepts plain, signed, fractional and exponent forms", () => {
    for (const s of ["0", "-0", "+7", "19.99", "-42", "1234567.89", "0.001", ".5", "5.", "1.5e10", "1.5E-10", "1e+21"]) {
      expect(() => d(s), s).not.toThrow();
    }
  });

  test("rejects garbage with Encore's message", () => {
    for (const s of ["", "abc", "1.2.3", "1e", "--1", " 1", "1 ", "NaN", "Infinity", "0x10", "1_000", "."]) {
      expect(() => d(s), JSON.stringify(s)).toThrow(/^Invalid decimal format: 'Failed to parse decimal from string: /);
    }
  });

  test("rejects exponents beyond Encore's bound of 16384", () => {
    expect(() => d("1e16384")).not.toThrow();
    expect(() => d("1e-16384")).not.toThrow();
    expect(() => d("1e16385")).toThrow();
    expect(() => d("1.5e2000000")).toThrow();
    expect(() => d("1e99999999999999999999")).toThrow();
  });

  test("rejects strings longer than 262144 characters", () => {
    expect(() => d(`1${"0".repeat(1 << 18)}`)).toThrow();
    expect(d(`1${"0".repeat(1000)}`).toString()).toBe(`1${"0".repeat(1000)}`);
  });
});

describe("Decimal.toString", () => {
  test("prints the shortest exact decimal, without trailing zeros", () => {
    expect(d("1.50").toString()).toBe("1.5");
    expect(d("-0").toString()).toBe("0");
    expect(d("0.000").toString()).toBe("0");
    expect(d("1e3").toString()).toBe("1000");
    expect(d("-12.340").toString()).toBe("-12.34");
    expect(d("100").toString()).toBe("100");
    expect(d(".5").toString()).toBe("0.5");
    expect(d("123456789012345678901234567890.000000000000000000001").toString()).toBe("123456789012345678901234567890.000000000000000000001");
  });

  test("switches to scientific notation from 1e-6 down, as Encore's malachite does", () => {
    expect(d("0.00001").toString()).toBe("0.00001");
    expect(d("0.000012345").toString()).toBe("0.000012345");
    expect(d("0.000001").toString()).toBe("1e-6");
    expect(d("1.5e-10").toString()).toBe("1.5e-10");
    expect(d("-0.0000012345").toString()).toBe("-1.2345e-6");
  });

  test("rounds values without a finite expansion to 10 decimals", () => {
    expect(d("1").div(d("3")).toString()).toBe("0.3333333333");
    expect(d("2").div(d("3")).toString()).toBe("0.6666666667");
    expect(d("-10").div(d("3")).toString()).toBe("-3.3333333333");
    expect(d("1").div(d("7")).toString()).toBe("0.1428571429");
  });
});

describe("Decimal arithmetic", () => {
  test("is exact", () => {
    expect(d("0.1").add(d("0.2")).toString()).toBe("0.3");
    expect(d("0.3").sub(d("0.1")).toString()).toBe("0.2");
    expect(d("1.1").mul(d("1.1")).toString()).toBe("1.21");
    expect(d("1").div(d("8")).toString()).toBe("0.125");
    expect(d("99999999999999999999.99").add(d("0.01")).toString()).toBe("100000000000000000000");
  });

  test("keeps thirds exact across operations", () => {
    expect(d("1").div(d("3")).mul(d("3")).toString()).toBe("1");
  });

  test("throws on division by zero", () => {
    expect(() => d("1").div(d("0"))).toThrow(/division by zero/);
    expect(() => d("0").div(d("-0.00"))).toThrow(/division by zero/);
  });

  test("does not modify its operands", () => {
    const a = d("2.5");
    a.add(d("1"));
    expect(a.toString()).toBe("2.5");
  });
});

describe("rational helpers", () => {
  test("parse to lowest terms", () => {
    expect(parseRational("2.50")).toEqual({ num: 5n, den: 2n });
    expect(parseRational("-1e2")).toEqual({ num: -100n, den: 1n });
    expect(parseRational("x")).toBeNull();
  });

  test("format round-trips through parse", () => {
    for (const s of ["0", "3.14159", "-2.5", "1e-9", "0.00001"]) {
      expect(formatRational(parseRational(formatRational(parseRational(s)!))!)).toBe(formatRational(parseRational(s)!));
    }
  });
});
