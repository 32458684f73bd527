import { describe, expect, test } from "vitest";
import { Router } from "./router.ts";

function router(routes: [string[], string][]): Router<string> {
  const r = new Router<string>();
  for (const [methods, path] of routes) r.add(methods, path, `${methods.join(",")} ${path}`);
  return r;
}

describe("Router", () => {
  const r = router([
    [["GET", "POST"], "/api/v1/campaigns"],
    [["GET"], "/api/v1/campaigns/:id"],
    [["GET"], "/api/v1/campaigns/insights"],
    [["PUT"], "/api/v1/campaigns/:id"],
    [["GET"], "/api/v1/campaigns/:id/members/:userId"],
    [["GET"], "/api/v1/users/me/settings"],
    [["GET"], "/api/v1/users/:id/profile"],
    [["GET"], "/files/*path"],
    [["*"], "/echo"],
    [["GET"], "/"],
    [["GET"], "/api/v1/status"],
  ]);

  test("matches literal paths", () => {
    expect(r.find("GET", "/api/v1/campaigns")).toEqual({ value: "GET,POST /api/v1/campaigns", params: {} });
    expect(r.find("POST", "/api/v1/campaigns")).toEqual({ value: "GET,POST /api/v1/campaigns", params: {} });
    expect(r.find("GET", "/")).toEqual({ value: "GET /", params: {} });
  });

  test("captures parameters by name", () => {
    expect(r.find("GET", "/api/v1/campaigns/c-42")).toEqual({ value: "GET /api/v1/campaigns/:id", params: { id: "c-42" } });
    expect(r.find("GET", "/api/v1/campaigns/c1/members/u2")).toEqual({
      value: "GET /api/v1/campaigns/:id/members/:userId",
      params: { id: "c1", userId: "u2" },
    });
  });

  test("a static segment beats a parameter regardless of registration order", () => {
    expect(r.find("GET", "/api/v1/campaigns/insights")).toEqual({ value: "GET /api/v1/campaigns/insights", params: {} });
  });

  test("backtracks to a parameter when the static branch dead-ends", () => {
    // /users/me/settings exists, but /users/me/profile is served by /users/:id/profile.
    expect(r.find("GET", "/api/v1/users/me/profile")).toEqual({ value: "GET /api/v1/users/:id/profile", params: { id: "me" } });
    expect(r.find("GET", "/api/v1/users/me/settings")).toEqual({ value: "GET /api/v1/users/me/settings", params: {} });
  });

  test("the method is part of the match: a static path without the method falls back to the parameter route", () => {
    expect(r.find("PUT", "/api/v1/campaigns/insights")).toEqual({ value: "PUT /api/v1/campaigns/:id", params: { id: "insights" } });
  });

  test("wildcards take the rest of the path, slashes included, even when empty", () => {
    expect(r.find("GET", "/files/a/b/c.txt")).toEqual({ value: "GET /files/*path", params: { path: "a/b/c.txt" } });
    expect(r.find("GET", "/files/")).toEqual({ value: "GET /files/*path", params: { path: "" } });
    expect(r.find("GET", "/files")).toEqual({ notFound: true });
  });

  test('"*" matches every method', () => {
    for (const m of ["GET", "POST", "PATCH", "DELETE", "OPTIONS"]) expect(r.find(m, "/echo")).toMatchObject({ value: "* /echo" });
  });

  test("a known path with another method is method-not-allowed, listing the allowed methods", () => {
    expect(r.find("DELETE", "/api/v1/campaigns")).toEqual({ methodNotAllowed: true, allowed: ["GET", "POST"] });
    expect(r.find("DELETE", "/api/v1/campaigns/c1")).toEqual({ methodNotAllowed: true, allowed: ["GET", "PUT"] });
  });

  test("an unknown path is not found", () => {
    expect(r.find("GET", "/api/v2/campaigns")).toEqual({ notFound: true });
    expect(r.find("GET", "/api/v1/campaigns/c1/extra")).toEqual({ notFound: true });
    expect(r.find("GET", "/api/v1/campaigns//members/u1")).toEqual({ notFound: true }); // parameters are never empty
  });

  test("parameters are percent-decoded", () => {
    expect(r.find("GET", "/api/v1/campaigns/caf%C3%A9%20menu")).toEqual({ value: "GET /api/v1/campaigns/:id", params: { id: "café menu" } });
    expect(r.find("GET", "/api/v1/campaigns/a%2Fb")).toEqual({ value: "GET /api/v1/campaigns/:id", params: { id: "a/b" } });
    expect(r.find("GET", "/files/dir%20one/x%2By")).toEqual({ value: "GET /files/*path", params: { path: "dir one/x+y" } });
  });

  test("a malformed escape is not found", () => {
    expect(r.find("GET", "/api/v1/campaigns/%E0%A4%A")).toEqual({ notFound: true });
    expect(r.find("GET", "/api/v1/campaigns/%zz")).toEqual({ notFound: true });
  });

  test("a trailing slash reaches the route without it, as in Encore", () => {
    expect(r.find("GET", "/api/v1/status/")).toEqual({ value: "GET /api/v1/status", params: {} });
    expect(r.find("GET", "/api/v1/campaigns/c1/")).toEqual({ value: "GET /api/v1/campaigns/:id", params: { id: "c1" } });
    expect(r.find("DELETE", "/api/v1/status/")).toEqual({ methodNotAllowed: true, allowed: ["GET"] });
    expect(r.find("GET", "/api/v1/status//")).toEqual({ notFound: true });
  });

  test("a route declared with a trailing slash is distinct and wins for that path", () => {
    const t = router([
      [["GET"], "/foo/"],
      [["POST"], "/foo"],
    ]);
    expect(t.find("GET", "/foo/")).toEqual({ value: "GET /foo/", params: {} });
    expect(t.find("POST", "/foo")).toEqual({ value: "POST /foo", params: {} });
    // /foo/ is a route of its own, so POST /foo/ does not alias to /foo.
    expect(t.find("POST", "/foo/")).toEqual({ methodNotAllowed: true, allowed: ["GET"] });
    expect(t.find("GET", "/foo")).toEqual({ methodNotAllowed: true, allowed: ["POST"] });
  });

  test("a fallback route catches everything else, at the lowest priority", () => {
    const t = router([
      [["GET"], "/api/v1/status"],
      [["GET"], "/files/*path"],
      [["*"], "/!fallback"],
    ]);
    expect(t.find("GET", "/api/v1/status")).toMatchObject({ value: "GET /api/v1/status" });
    expect(t.find("GET", "/files/x")).toMatchObject({ value: "GET /files/*path" });
    expect(t.find("GET", "/anything/else")).toEqual({ value: "* /!fallback", params: { fallback: "anything/else" } });
    expect(t.find("GET", "/")).toEqual({ value: "* /!fallback", params: { fallback: "" } });
    // A path known to the main routes but not for this method goes to the fallback, as in Encore.
    expect(t.find("POST", "/api/v1/status")).toEqual({ value: "* /!fallback", params: { fallback: "api/v1/status" } });
  });

  test("a fallback under a prefix", () => {
    const t = router([[["GET"], "/static/!rest"]]);
    expect(t.find("GET", "/static/css/app.css")).toEqual({ value: "GET /static/!rest", params: { rest: "css/app.css" } });
    expect(t.find("GET", "/other")).toEqual({ notFound: true });
  });

  test("parameter names may differ between routes sharing a position", () => {
    const t = router([
      [["GET"], "/c/:campaignId"],
      [["PUT"], "/c/:id"],
    ]);
    expect(t.find("GET", "/c/1")).toEqual({ value: "GET /c/:campaignId", params: { campaignId: "1" } });
    expect(t.find("PUT", "/c/1")).toEqual({ value: "PUT /c/:id", params: { id: "1" } });
  });

  test("conflicting duplicates throw", () => {
    const t = router([[["GET"], "/a/:id"]]);
    expect(() => t.add(["GET"], "/a/:other", "dup")).toThrow(/route conflict: GET \/a\/:other overlaps \/a\/:id/);
    expect(() => t.add(["*"], "/a/:x", "dup")).toThrow(/route conflict/);
    t.add(["POST"], "/a/:id", "ok");
    const s = router([[["*"], "/b"]]);
    expect(() => s.add(["GET"], "/b", "dup")).toThrow(/route conflict/);
  });

  test("malformed route paths throw", () => {
    const t = new Router<string>();
    expect(() => t.add(["GET"], "a/b", "x")).toThrow(/must start with/);
    expect(() => t.add(["GET"], "/a/*rest/b", "x")).toThrow(/must be the last/);
    expect(() => t.add(["GET"], "/a/:", "x")).toThrow(/needs a name/);
    expect(() => t.add([], "/a", "x")).toThrow(/no methods/);
  });

  test("finding is fast", () => {
    const big = new Router<number>();
    for (let i = 0; i < 200; i++) {
      big.add(["GET"], `/api/v1/service${i}/items`, i);
      big.add(["GET"], `/api/v1/service${i}/items/:id`, i);
    }
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) big.find("GET", `/api/v1/service${i % 200}/items/abc`);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
