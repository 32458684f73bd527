import { describe, expect, test } from "vitest";
import { keywordKey, normalizeKeywords } from "./keywords";

describe("keywords", () => {
  test("are trimmed, inner spaces collapsed, weights rounded to the hundredth, default 1", () => {
    expect(normalizeKeywords([{ keyword: "  Senator   Rivera " }, { keyword: "#RiveraForOhio", weight: 2.345 }])).toEqual({
      ok: true,
      keywords: [
        { keyword: "Senator Rivera", weight: 1 },
        { keyword: "#RiveraForOhio", weight: 2.35 },
      ],
    });
  });

  test("the same keyword in another case is the same keyword", () => {
    expect(keywordKey(" Rivera  Scandal")).toBe(keywordKey("rivera scandal"));
    expect(normalizeKeywords([{ keyword: "Rivera" }, { keyword: "rivera " }])).toEqual({ ok: false, message: 'keywords[1]: "rivera" is given twice' });
  });

  test.each([
    [[], "give at least one keyword"],
    [[{ keyword: "   " }], "keywords[0]: a keyword cannot be empty"],
    [[{ keyword: "x".repeat(256) }], "at most 255 characters"],
    [[{ keyword: "ok", weight: 0 }], "weight must be between 0.01 and 9.99"],
    [[{ keyword: "ok", weight: 0.004 }], "weight must be between"],
    [[{ keyword: "ok", weight: 10 }], "weight must be between"],
    [[{ keyword: "ok", weight: Number.NaN }], "weight must be between"],
  ])("refuses %j", (inputs, message) => {
    const result = normalizeKeywords(inputs);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});
