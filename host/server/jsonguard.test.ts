import { describe, expect, test } from "vitest";
import { jsonProblem, MAX_JSON_DEPTH, stringProblem } from "./jsonguard.ts";
import { checkJson, ValidationError } from "./decode.ts";

const nest = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe("strings", () => {
  test("a NUL character or an unpaired surrogate is a problem; paired surrogates (emoji) are not", () => {
    expect(stringProblem("fine")).toBeNull();
    expect(stringProblem("\ud83d\ude00")).toBeNull();
    expect(stringProblem("a\u0000b")).toBe("contains a NUL character");
    expect(stringProblem("\ud800")).toBe("contains an unpaired UTF-16 surrogate");
    expect(stringProblem("x\udc00y")).toBe("contains an unpaired UTF-16 surrogate");
  });
});

describe("parsed JSON", () => {
  test(`nesting up to ${MAX_JSON_DEPTH} levels passes; one more is a problem at the deepest path`, () => {
    expect(jsonProblem(nest(MAX_JSON_DEPTH), true)).toBeNull();
    const p = jsonProblem({ details: nest(MAX_JSON_DEPTH) }, false)!;
    expect(p.reason).toBe(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(p.path.startsWith("details[0].a[0].a")).toBe(true);
    expect(p.path.endsWith("…")).toBe(true);
  });

  test("5,000 levels (what a stack overflow needed) are refused without recursing that deep", () => {
    const text = `{"details":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    expect(jsonProblem(JSON.parse(text), false)?.reason).toMatch(/nested deeper/);
  });

  test("strings and keys are checked anywhere when asked, named by their path", () => {
    expect(jsonProblem({ a: [{ b: "ok" }, { b: "no\u0000" }] }, true)).toEqual({ path: "a[1].b", reason: "contains a NUL character" });
    expect(jsonProblem({ a: { "k\ud800": 1 } }, true)).toEqual({ path: "a.k\\ud800", reason: "its name contains an unpaired UTF-16 surrogate" });
    expect(jsonProblem("\u0000", true)).toEqual({ path: "", reason: "contains a NUL character" });
    // Unasked (the JSON text had no \u escape, so it cannot hold one), strings are not scanned.
    expect(jsonProblem({ a: "no\u0000" }, false)).toBeNull();
  });

  test("checkJson decides from the text whether to scan strings, and throws Encore's 400 naming the field", () => {
    const text = '{"name":"x\\u0000"}';
    const err = (() => {
      try {
        checkJson(JSON.parse(text), text);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toBe('invalid value for field "name": contains a NUL character');
    expect((err as ValidationError).field).toBe("name");
    expect(() => checkJson(JSON.parse('"\\ud800"'), '"\\ud800"')).toThrow("invalid request body: contains an unpaired UTF-16 surrogate");
  });
});
