// The runtime end to end: a fixture Encore app (host/testdata/app) on the real SDK and our runtime,
// started as `npm start` starts the app, driven over HTTP.
import { describe, expect, test } from "vitest";
import { useFixture } from "../testing/use-fixture.ts";
import path from "node:path";
import { Readable } from "node:stream";
import postgres from "postgres";
import { databaseUrl } from "../db/provision.ts";
import { dropFixtureDatabases, fixturePrefix, runFixtureToExit, serverUrl, startFixture } from "../testing/fixture-server.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/app");
const BAD = path.resolve(import.meta.dirname, "../testdata/badmigration");
const fixture = useFixture(APP);
const prefix = fixture.prefix;

async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(fixture.server.url + p, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

const validFields = {
  name: "alice",
  email: "alice@example.com",
  when: "2024-05-01T10:00:00Z",
  tags: ["a", "b"],
  level: "high",
  nested: { n: 3 },
};

describe("decoding every field kind and location", () => {
  test("path, query, header, cookie and body fields reach the handler with their declared types", async () => {
    const r = await call("POST", "/echo/fields/abc/42?flag=true", { ...validFields, scores: { x: 1.5 } }, { "X-Request-Id": "req-9", cookie: "session=s-1" });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      id: "abc",
      count: 42,
      countType: "number",
      flag: true,
      requestId: "req-9",
      session: "s-1",
      name: "alice",
      email: "alice@example.com",
      when: "2024-05-01T10:00:00.000Z",
      whenIsDate: true,
      tags: ["a", "b"],
      level: "high",
      n: 3,
      scores: { x: 1.5 },
    });
  });

  test("GET fields come from the query string, coerced: numbers, booleans, dates, repeated keys as arrays", async () => {
    const r = await call("GET", "/echo/search?page=2&active=false&since=2024-01-02T03:04:05Z&ids=7&ids=8&status=closed");
    expect(r.json).toEqual({ page: 2, pageType: "number", active: false, since: "2024-01-02T03:04:05.000Z", ids: [7, 8], status: "closed" });
  });

  test.each([
    ["a number path parameter that is not a number", "POST", "/echo/fields/abc/many", validFields, "count"],
    ["a string below MinLen", "POST", "/echo/fields/a/1", { ...validFields, name: "al" }, "name"],
    ["a string above MaxLen", "POST", "/echo/fields/a/1", { ...validFields, name: "alexandrina-the-great" }, "name"],
    ["an invalid email", "POST", "/echo/fields/a/1", { ...validFields, email: "not-an-email" }, "email"],
    ["an invalid date", "POST", "/echo/fields/a/1", { ...validFields, when: "yesterday" }, "when"],
    ["a value outside a literal union", "POST", "/echo/fields/a/1", { ...validFields, level: "medium" }, "level"],
    ["a nested number above Max", "POST", "/echo/fields/a/1", { ...validFields, nested: { n: 9 } }, "nested.n"],
    ["a missing required field", "POST", "/echo/fields/a/1", { ...validFields, email: undefined }, "email"],
    ["a string where an array belongs", "POST", "/echo/fields/a/1", { ...validFields, tags: "a" }, "tags"],
    ["a URL field that is not a URL", "POST", "/echo/fields/a/1", { ...validFields, site: "nope" }, "site"],
    ["a query number that is not a number", "GET", "/echo/search?page=two", undefined, "page"],
    ["a query boolean that is not a boolean", "GET", "/echo/search?page=1&active=maybe", undefined, "active"],
  ])("%s is a 400 invalid_argument naming the field", async (_name, method, p, body, field) => {
    const r = await call(method, p, body);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("invalid_argument");
    expect(r.json.message).toContain(field);
  });

  test("a malformed JSON body is a 400", async () => {
    const r = await call("POST", "/echo/fields/a/1", "{not json");
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("invalid_argument");
  });

  test("a body over the 2 MiB default limit is refused with 413", async () => {
    const big = { ...validFields, tags: ["x".repeat(3 * 1024 * 1024)] };
    const r = await call("POST", "/echo/fields/a/1", big);
    expect(r.status).toBe(413);
    expect(r.json).toEqual({ code: "invalid_argument", message: "request body exceeds the limit of 2097152 bytes", details: null });
  });

  test("a raw endpoint's body over its limit is 413 with Encore's body too, declared or streamed, and the connection stays usable", async () => {
    const big = "x".repeat(3 * 1024 * 1024);
    const declared = await fetch(`${fixture.server.url}/echo/shout`, { method: "POST", body: big });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ code: "invalid_argument", message: "request body exceeds the limit of 2097152 bytes", details: null });
    // Chunked, so nothing says how large it is until the handler has read past the limit.
    const chunks = Readable.from(
      (function* () {
        for (let i = 0; i < 48; i++) yield Buffer.alloc(64 * 1024, 0x61);
      })(),
    );
    const streamed = await fetch(`${fixture.server.url}/echo/shout`, {
      method: "POST",
      body: Readable.toWeb(chunks) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { message: string }).message).toMatch(/exceeds the limit/);
    expect((await fetch(`${fixture.server.url}/echo/shout`, { method: "POST", body: "still here" })).status).toBe(200);
  });

  test("strings with a NUL or a lone surrogate, and JSON nested past 64 levels, are 400 naming the field", async () => {
    // JSON.stringify writes these as \u0000 and \ud800 escapes, as a client would send them.
    const nul = await call("POST", "/echo/fields/a/1", { ...validFields, name: "ab\u0000c" });
    expect(nul.status).toBe(400);
    expect(nul.json.message).toBe('invalid value for field "name": contains a NUL character');
    const lone = await call("POST", "/echo/fields/a/1", { ...validFields, tags: ["\ud800"] });
    expect(lone.status).toBe(400);
    expect(lone.json.message).toBe('invalid value for field "tags[0]": contains an unpaired UTF-16 surrogate');
    const deep = await call("POST", "/echo/fields/a/1", `{"scores":${"[".repeat(5000)}${"]".repeat(5000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.json.message).toMatch(/^invalid value for field "scores\[0\]\[0\].*": nested deeper than 64 levels$/);
    const byPath = await call("POST", "/echo/fields/a%00b/1", validFields);
    expect(byPath.status).toBe(400);
    expect(byPath.json.message).toBe('invalid value for path parameter "id": contains a NUL character');
  });
});

describe("errors", () => {
  test.each([
    ["invalid_argument", 400],
    ["unauthenticated", 401],
    ["permission_denied", 403],
    ["not_found", 404],
    ["already_exists", 409],
    ["aborted", 409],
    ["resource_exhausted", 429],
    ["failed_precondition", 400],
    ["out_of_range", 400],
    ["canceled", 499],
    ["unimplemented", 501],
    ["unavailable", 503],
    ["deadline_exceeded", 504],
    ["data_loss", 500],
  ])("APIError %s is HTTP %i with Encore's body", async (code, status) => {
    const r = await call("GET", `/echo/fail/${code}`);
    expect(r.status).toBe(status);
    expect(r.json).toEqual({ code, message: `failed with ${code}`, details: null });
  });

  test("a thrown non-APIError is a 500 internal whose message is hidden from the client and logged", async () => {
    const r = await call("GET", "/echo/fail/boom");
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ code: "internal", message: "an internal error occurred", details: null });
    await expect.poll(() => fixture.server.logs()).toContain("secret database detail");
  });

  test("an unknown route is a 404 not_found", async () => {
    const r = await call("GET", "/no/such/thing");
    expect(r.status).toBe(404);
    expect(r.json.code).toBe("not_found");
  });

  test("a private (expose: false) endpoint is a 404 from outside", async () => {
    expect((await call("GET", "/echo/hidden")).status).toBe(404);
  });
});

describe("auth", () => {
  test("an auth: true endpoint without credentials is a 401", async () => {
    const r = await call("GET", "/echo/whoami");
    expect(r.status).toBe(401);
    expect(r.json.code).toBe("unauthenticated");
  });

  test("valid credentials reach the handler as auth data (header or query parameter)", async () => {
    expect((await call("GET", "/echo/whoami", undefined, { authorization: "Bearer good-bob-admin" })).json).toEqual({ userID: "bob", role: "admin" });
    expect((await call("GET", "/echo/whoami?token=good-eve-viewer")).json).toEqual({ userID: "eve", role: "viewer" });
  });

  test("an auth handler's unauthenticated error leaves the request anonymous: refused when auth is required, served when optional", async () => {
    expect((await call("GET", "/echo/whoami", undefined, { authorization: "Bearer bad" })).status).toBe(401);
    const optional = await call("GET", "/echo/maybe", undefined, { authorization: "Bearer bad" });
    expect(optional.status).toBe(200);
    expect(optional.json).toEqual({ userID: null, role: null });
    expect((await call("GET", "/echo/maybe", undefined, { authorization: "Bearer good-al-viewer" })).json).toEqual({ userID: "al", role: "viewer" });
  });

  test("any other auth handler error fails the request with that error", async () => {
    const r = await call("GET", "/echo/maybe", undefined, { authorization: "Bearer broken" });
    expect(r.status).toBe(503);
    expect(r.json.code).toBe("unavailable");
  });
});

describe("responses, middleware, raw endpoints, secrets", () => {
  test("HttpStatus and Header response fields set the status and headers, not the body", async () => {
    const r = await call("POST", "/echo/created");
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe("/echo/items/42");
    expect(r.json).toEqual({ id: "42", createdAt: "2024-05-01T12:00:00.000Z" });
  });

  test("middlewares run in declaration order and can add headers and set the status", async () => {
    const r = await call("GET", "/echo/order");
    expect(r.json).toEqual({ order: ["first", "second"] });
    expect(r.headers.get("x-middleware")).toBe("second");
    expect(r.status).toBe(202);
  });

  test("a raw endpoint reads the body and writes its own response", async () => {
    const res = await fetch(`${fixture.server.url}/echo/shout`, { method: "POST", body: "hello raw" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-raw")).toBe("yes");
    expect(await res.text()).toBe("HELLO RAW");
  });

  test("secrets come from .secrets.local.cue; an unset one is empty locally", async () => {
    expect((await call("GET", "/echo/secret")).json).toEqual({ value: "from-the-file", missing: "" });
  });

  test("CORS: a preflight from an allowed origin with credentials is answered", async () => {
    const res = await fetch(`${fixture.server.url}/echo/whoami`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });
});

describe("service-to-service calls", () => {
  test("the caller's auth data travels with the call, and the payload is re-decoded by the callee (Dates restored)", async () => {
    const r = await call("POST", "/echo/call", { when: "2024-05-01T10:00:00Z", note: "hi" }, { authorization: "Bearer good-bob-admin" });
    expect(r.json).toEqual({ userID: "bob", whenIsDate: true, when: "2024-05-01T10:00:00.000Z", note: "hi" });
  });

  test("explicit authData in the call options is used", async () => {
    const r = await call("POST", "/echo/call-as", { when: "2024-05-01T10:00:00Z", note: "x" });
    expect(r.json.userID).toBe("service-bot");
  });

  test("the callee's error reaches the caller's client as the same APIError", async () => {
    const r = await call("GET", "/echo/call-fail");
    expect(r.status).toBe(401);
    expect(r.json.code).toBe("unauthenticated");
  });
});

describe("SQL through the SDK", () => {
  test("values convert both ways: numeric as Decimal, int8, jsonb arrays and strings, date, timestamptz, bytea, uuid, text[]", async () => {
    const r = await call("POST", "/store/items", {
      price: "12.50",
      big: 9007199254740991,
      doc: [1, { a: 2 }, "three"],
      day: "2024-02-29",
      at: "2024-05-01T10:00:00.123Z",
      blobBase64: Buffer.from([0, 1, 2, 255]).toString("base64"),
      labels: ["a", "b c"],
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      price: "12.5",
      priceIsDecimal: true,
      priceTimesTwo: "25",
      big: 9007199254740991,
      bigType: "number",
      doc: [1, { a: 2 }, "three"],
      day: "2024-02-29",
      at: "2024-05-01T10:00:00.123Z",
      atIsDate: true,
      blobBase64: "AAEC/w==",
      labels: ["a", "b c"],
      stringIntoJsonb: "plain text",
    });
    expect(r.json.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a rolled-back transaction leaves nothing; a committed one stays", async () => {
    const before = (await call("POST", "/store/tx", { fail: true })).json.rows;
    expect((await call("POST", "/store/tx", { fail: true })).json.rows).toBe(before);
    expect((await call("POST", "/store/tx", { fail: false })).json.rows).toBe(before + 1);
  });

  test("a unique violation surfaces as an error carrying SQLSTATE 23505", async () => {
    const r = await call("POST", "/store/dup");
    expect(r.status).toBe(409);
    expect(r.json.message).toBe("duplicate (23505)");
  });
});

describe("migrations", () => {
  test("are applied once, in order, and recorded as golang-migrate records them", async () => {
    const sql = postgres(databaseUrl(serverUrl(), `${prefix}store`), { max: 1, onnotice: () => {} });
    try {
      expect(await sql`SELECT version::int AS v, dirty FROM schema_migrations`).toEqual([{ v: 4, dirty: false }]);
    } finally {
      await sql.end();
    }
    expect(fixture.server.logs()).toContain("applied migrations 1, 2, 3, 4");
    // A second start on the same databases applies nothing and keeps the data.
    await call("POST", "/store/tx", { fail: false });
    const again = await startFixture(APP, prefix);
    try {
      expect(again.logs()).not.toContain("applied migrations");
      const res = await fetch(`${again.url}/store/tx`, { method: "POST", body: JSON.stringify({ fail: true }) });
      expect(((await res.json()) as { rows: number }).rows).toBeGreaterThan(0);
    } finally {
      await again.stop();
    }
  });

  test("a failing migration stops start-up, naming the file and the SQL error", async () => {
    const badPrefix = fixturePrefix();
    try {
      const r = await runFixtureToExit(BAD, badPrefix);
      expect(r.code).not.toBe(0);
      expect(r.output).toContain("2_rename_things.up.sql");
      expect(r.output).toMatch(/thingz/);
      expect(r.output).not.toContain("listening on");
    } finally {
      await dropFixtureDatabases(badPrefix);
    }
  });
});

describe("graceful shutdown", () => {
  test("SIGTERM lets the server exit cleanly with code 0", async () => {
    const p = fixturePrefix();
    const s = await startFixture(APP, p);
    try {
      expect(await s.stop("SIGTERM")).toBe(0);
      expect(s.logs()).toContain("shutdown complete");
    } finally {
      await dropFixtureDatabases(p);
    }
  });
});

describe("the runtime's own pages", () => {
  test("/openapi.json and the /docs reference (Swagger UI from local files) are served on the ops port, bound to loopback", async () => {
    const ops = fixture.server.opsUrl!;
    expect(fixture.server.logs()).toMatch(
      /ops dashboard at http:\/\/127\.0\.0\.1:\d+\/_dev .*for this machine only; not on the public port \(set WARROOM_OPS_TOKEN/,
    );
    const doc = await fetch(`${ops}/openapi.json`);
    expect(doc.status).toBe(200);
    const json = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).toBe("3.1.0");
    expect(json.paths["/echo/search"]).toBeDefined();
    const page = await fetch(`${ops}/docs`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("/docs/swagger-ui-bundle.js");
    const asset = await fetch(`${ops}/docs/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${ops}/docs/../package.json`)).status).toBe(404);
    // The ops port serves nothing of the app.
    expect((await fetch(`${ops}/echo/search?page=1`)).status).toBe(404);
  });

  test("without WARROOM_OPS_TOKEN the public port does not serve them at all", async () => {
    for (const p of ["/openapi.json", "/docs", "/docs/swagger-ui-bundle.js", "/_dev", "/_dev/api/requests"]) {
      const r = await call("GET", p);
      expect(r.status, p).toBe(404);
      expect(r.json.code).toBe("not_found");
    }
    expect((await call("POST", "/_dev/api/cron/run", { job: "fixture-tick" })).status).toBe(404);
  });

  test("with WARROOM_OPS_TOKEN set the public port serves them to requests carrying it", async () => {
    const p = fixturePrefix();
    const s = await startFixture(APP, p, { WARROOM_OPS_TOKEN: "ops-secret" });
    try {
      expect(s.logs()).toMatch(/on the public port too, with the X-Ops-Token header/);
      expect((await fetch(`${s.url}/openapi.json`)).status).toBe(401);
      expect((await fetch(`${s.url}/openapi.json`, { headers: { "x-ops-token": "wrong-one!" } })).status).toBe(401);
      expect((await fetch(`${s.url}/openapi.json`, { headers: { "x-ops-token": "ops-secret" } })).status).toBe(200);
      // In a URL only for the pages a browser navigates to; the data wants the header.
      expect((await fetch(`${s.url}/openapi.json?ops_token=ops-secret`)).status).toBe(401);
      expect((await fetch(`${s.url}/docs?ops_token=ops-secret`)).status).toBe(200);
      expect((await fetch(`${s.url}/_dev/api/requests?ops_token=ops-secret`)).status).toBe(401);
      expect((await fetch(`${s.url}/_dev/api/requests`, { headers: { "x-ops-token": "ops-secret" } })).status).toBe(200);
      expect((await fetch(`${s.url}/echo/search?page=1`)).status).toBe(200); // the app is unaffected
      // The ops port still needs no token.
      expect((await fetch(`${s.opsUrl}/openapi.json`)).status).toBe(200);
    } finally {
      await s.stop();
      await dropFixtureDatabases(p);
    }
  });
});
