import { describe, expect, test } from "vitest";
import { intSecret, readSecret } from "./secrets";

const set = (value: string) => () => value;
const unset = () => {
  throw new Error("secret NAME is not set");
};

describe("readSecret", () => {
  test("a secret reads without surrounding blanks", () => {
    expect(readSecret(set("  redis://127.0.0.1:6379 \n"))).toBe("redis://127.0.0.1:6379");
  });

  test("a secret set nowhere reads as empty instead of throwing", () => {
    expect(readSecret(unset)).toBe("");
  });
});

describe("intSecret", () => {
  test("a whole number within the bounds is used, a fraction rounded down", () => {
    expect(intSecret(set(" 250 "), 30, 100, 300)).toBe(250);
    expect(intSecret(set("100.9"), 30, 100, 300)).toBe(100);
    expect(intSecret(set("300"), 30, 100, 300)).toBe(300);
  });

  test("unset, blank, not a number or out of bounds: the fallback, and only a set value is reported", () => {
    const reported: string[] = [];
    const report = (text: string) => reported.push(text);
    expect(intSecret(unset, 30, 100, 300, report)).toBe(30);
    expect(intSecret(set("   "), 30, 100, 300, report)).toBe(30);
    expect(intSecret(set("ten"), 30, 100, 300, report)).toBe(30);
    expect(intSecret(set("99"), 30, 100, 300, report)).toBe(30);
    expect(intSecret(set("301"), 30, 100, 300, report)).toBe(30);
    expect(intSecret(set("Infinity"), 30, 100, 300, report)).toBe(30);
    expect(reported).toEqual(["ten", "99", "301", "Infinity"]);
  });

  test("without an upper bound any large whole number is taken", () => {
    expect(intSecret(set("86400"), 300, 0)).toBe(86_400);
    expect(intSecret(set("-1"), 300, 0)).toBe(300);
  });
});
