import { describe, expect, test } from "vitest";
import { expandMethods, hasBodylessMethod, normalizeMethods, parsePath, routeShape } from "./paths.ts";

describe("endpoint paths", () => {
  test("splits literal, param, wildcard and fallback segments", () => {
    expect(parsePath("/a/:id/*rest")).toEqual({
      segments: [
        { type: "literal", value: "a" },
        { type: "param", value: "id" },
        { type: "wildcard", value: "rest" },
      ],
    });
    expect(parsePath("/!fallback")).toEqual({ segments: [{ type: "fallback", value: "fallback" }] });
    expect(parsePath("/")).toEqual({ segments: [] });
  });

  test("rejects what Encore rejects", () => {
    expect(parsePath("")).toEqual({ error: "empty path" });
    expect(parsePath("users")).toEqual({ error: "path must start with '/'" });
    expect(parsePath("/a//b")).toEqual({ error: "path cannot contain empty path segment" });
    expect(parsePath("/a/:")).toEqual({ error: "path parameters must have a name" });
    expect(parsePath("/*rest/x")).toEqual({ error: "wildcard segment must be at the end of the path" });
    expect(parsePath("/!f/x")).toEqual({ error: "fallback segment must be at the end of the path" });
    expect(parsePath("/a?b=1")).toEqual({ error: "path cannot contain query parameters (the '?' character)" });
    expect(parsePath("/a/:id/b/:id")).toEqual({ error: "path parameters must have unique names" });
  });

  test("routes that differ only in parameter names have the same shape", () => {
    const shape = (p: string) => routeShape((parsePath(p) as { segments: never[] }).segments);
    expect(shape("/things/:id")).toBe(shape("/things/:thingId"));
    expect(shape("/things/:id")).not.toBe(shape("/things/static"));
    expect(shape("/files/*a")).toBe(shape("/files/*b"));
  });
});

describe("methods", () => {
  test("are sorted in Encore's order and deduplicated", () => {
    expect(normalizeMethods(["HEAD", "GET", "POST", "GET"])).toEqual(["GET", "POST", "HEAD"]);
  });

  test("* stands for every method but CONNECT", () => {
    expect(expandMethods(["*"])).toEqual(["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE"]);
  });

  test("fields go to the query string when some method has no body", () => {
    expect(hasBodylessMethod(["POST", "PUT"])).toBe(false);
    expect(hasBodylessMethod(["POST", "GET"])).toBe(true);
    expect(hasBodylessMethod(["*"])).toBe(true);
  });
});
