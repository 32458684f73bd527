import { describe, expect, test } from "vitest";
import { checkValidation, isEmail, isURL, validationReason } from "./validate.ts";

describe("length rules", () => {
  test("minLen and maxLen count string characters, not UTF-16 units or bytes", () => {
    expect(validationReason("abc", { minLen: 3, maxLen: 3 })).toBeNull();
    expect(validationReason("ab", { minLen: 3 })).toBe("length too short (got 2, expected at least 3)");
    expect(validationReason("abcd", { maxLen: 3 })).toBe("length too long (got 4, expected at most 3)");
    expect(validationReason("😀😀😀", { maxLen: 3 })).toBeNull(); // 6 UTF-16 units, 3 characters
    expect(validationReason("héllo", { maxLen: 5 })).toBeNull(); // 6 bytes in UTF-8
    expect(validationReason("😀", { minLen: 2 })).toBe("length too short (got 1, expected at least 2)");
  });

  test("minLen and maxLen count array items", () => {
    expect(validationReason([1, 2], { minLen: 1, maxLen: 2 })).toBeNull();
    expect(validationReason([], { minLen: 1 })).toBe("length too short (got 0, expected at least 1)");
    expect(validationReason([1, 2, 3], { maxLen: 2 })).toBe("length too long (got 3, expected at most 2)");
  });

  test("length rules on other types report the type", () => {
    expect(validationReason(5, { minLen: 1 })).toBe("unexpected type (expected string or array)");
  });
});

describe("value rules", () => {
  test("minValue and maxValue bound numbers inclusively", () => {
    expect(validationReason(100, { minValue: 100, maxValue: 200 })).toBeNull();
    expect(validationReason(200, { minValue: 100, maxValue: 200 })).toBeNull();
    expect(validationReason(99.5, { minValue: 100 })).toBe("value must be at least 100 (got 99.5)");
    expect(validationReason(201, { maxValue: 200 })).toBe("value must be at most 200 (got 201)");
    expect(validationReason(-1, { minValue: 0 })).toBe("value must be at least 0 (got -1)");
  });

  test("bigints and decimals are compared by value", () => {
    expect(validationReason(5n, { minValue: 10 })).toBe("value must be at least 10 (got 5)");
    const decimal = Object.assign(
      Object.create({
        get __encore_decimal() {
          return true;
        },
      }),
      { value: "12.50" },
    );
    expect(validationReason(decimal, { maxValue: 12 })).toBe("value must be at most 12 (got 12.50)");
    expect(validationReason(decimal, { maxValue: 13 })).toBeNull();
  });

  test("value rules on strings report the type", () => {
    expect(validationReason("5", { minValue: 1 })).toBe("unexpected type (expected number)");
  });
});

describe("string rules", () => {
  test("startsWith and endsWith", () => {
    expect(validationReason("https://x", { startsWith: "https://" })).toBeNull();
    expect(validationReason("http://x", { startsWith: "https://" })).toBe('value does not start with "https://"');
    expect(validationReason("report.pdf", { endsWith: ".pdf" })).toBeNull();
    expect(validationReason("report.doc", { endsWith: ".pdf" })).toBe('value does not end with ".pdf"');
  });

  test("matchesRegexp searches the string, as Encore's rule does (anchor it to match all of it)", () => {
    expect(validationReason("abc-123", { matchesRegexp: "\\d+" })).toBeNull();
    expect(validationReason("abc", { matchesRegexp: "^\\d+$" })).toBe('value does not match the regexp "^\\\\d+$"');
    expect(validationReason("+14155550100", { matchesRegexp: "^\\+[1-9]\\d{1,14}$" })).toBeNull();
  });

  test("matchesRegexp compiles each pattern once", () => {
    const rules = { matchesRegexp: "^[a-z]+$" };
    for (let i = 0; i < 1000; i++) expect(validationReason("abc", rules)).toBeNull();
  });

  test("an invalid pattern is the app's bug: it throws instead of blaming the caller", () => {
    expect(() => validationReason("x", { matchesRegexp: "(" })).toThrow(/invalid MatchesRegexp pattern/);
  });

  test("string rules on non-strings report the type", () => {
    expect(validationReason(5, { startsWith: "a" })).toBe("unexpected type (expected string)");
    expect(validationReason(5, { isEmail: true })).toBe("unexpected type (expected string)");
  });

  test("all rules must hold; the first failure is reported", () => {
    const rules = { minLen: 5, endsWith: ".org" };
    expect(validationReason("ab.com", rules)).toBe('value does not end with ".org"');
    expect(validationReason("a.org", rules)).toBeNull();
    expect(validationReason(".org", rules)).toMatch(/length too short/);
  });
});

describe("isEmail", () => {
  test.each([
    "user@example.com",
    "first.last+tag@sub.example.co.uk",
    "o'brien@example.ie",
    '"john doe"@example.com',
    "user@localhost",
    "user@[192.168.0.1]",
    "user@[IPv6:2001:db8::1]",
    "josé@exámple.com",
    "a!#$%&*/=?^_`{|}~-@example.org",
  ])("accepts %s", (email) => {
    expect(isEmail(email)).toBe(true);
    expect(validationReason(email, { isEmail: true })).toBeNull();
  });

  test.each([
    "",
    "plainaddress",
    "@example.com",
    "user@",
    "user@@example.com",
    "user@exa mple.com",
    ".user@example.com",
    "user.@example.com",
    "us..er@example.com",
    "user@-example.com",
    "user@example-.com",
    "user@example..com",
    "John <user@example.com>",
    "user@[300.1.1.1]",
    `${"a".repeat(65)}@example.com`,
    "user name@example.com",
  ])("rejects %j", (email) => {
    expect(isEmail(email)).toBe(false);
    expect(validationReason(email, { isEmail: true })).toBe("value is not an email");
  });
});

describe("isURL", () => {
  test.each([
    "https://example.com",
    "http://localhost:4000/path?q=1#frag",
    "wss://stream.example.com/ws",
    "ftp://files.example.com/a.txt",
    "postgres://user:pw@db.internal:5432/app",
    "https://[::1]:8080/",
  ])("accepts %s", (url) => {
    expect(isURL(url)).toBe(true);
  });

  test.each([
    "",
    "example.com",
    "/relative/path",
    "https://",
    "mailto:user@example.com",
    "http://exa mple.com",
    " https://example.com",
    "https://example.com\n",
    "not a url",
  ])("rejects %j", (url) => {
    expect(isURL(url)).toBe(false);
    expect(validationReason(url, { isURL: true })).toBe("value is not a url");
  });
});

describe("checkValidation", () => {
  test("names the field in the message", () => {
    expect(checkValidation(50, { minValue: 100 }, "budget")).toBe('invalid value for field "budget": value must be at least 100 (got 50)');
    expect(checkValidation(150, { minValue: 100 }, "budget")).toBeNull();
  });

  test("without a path it gives just the reason", () => {
    expect(checkValidation("", { minLen: 1 }, "")).toBe("length too short (got 0, expected at least 1)");
  });
});
