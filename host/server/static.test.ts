// api.static on the fixture app host/testdata/staticapp: files, directories, the notFound page and
// its status, the SPA fallback, headers, ranges, conditional GET, and paths that try to leave the
// directory.
import http from "node:http";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { useFixture } from "../testing/use-fixture.ts";
import { contentType, parseRange } from "./static.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/staticapp");
const fixture = useFixture(APP);

/** A request with the path sent as written (fetch would normalise `..`). */
function get(
  route: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: fixture.server.port, path: route, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("api.static", () => {
  test("serves a file with its type, the configured headers and Last-Modified", async () => {
    const r = await get("/static/app.js");
    expect(r.status).toBe(200);
    expect(r.body).toBe('console.log("app.js");\n');
    expect(r.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(r.headers["cache-control"]).toBe("public, max-age=60");
    expect(r.headers["content-length"]).toBe("23");
    expect(Date.parse(r.headers["last-modified"]!)).not.toBeNaN();
    const head = await get("/static/app.js", {}, "HEAD");
    expect([head.status, head.body, head.headers["content-length"]]).toEqual([200, "", "23"]);
  });

  test("a directory serves its index.html, and redirects to its trailing slash", async () => {
    expect(await get("/static/sub")).toMatchObject({ status: 307, headers: { location: "/static/sub/" } });
    expect(await get("/static/sub/")).toMatchObject({ status: 200, body: "<h1>sub</h1>\n" });
    expect(await get("/")).toMatchObject({ status: 200, body: "<h1>home</h1>\n" });
  });

  test("a miss without notFound is Encore's not_found error", async () => {
    const r = await get("/static/nope.css");
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ code: "not_found", message: "file not found" });
  });

  test("a miss serves the notFound page under notFoundStatus; 200 makes it an SPA fallback", async () => {
    expect(await get("/no/such/page")).toMatchObject({ status: 418, body: "<h1>nothing here</h1>\n" });
    const spa = await get("/app/deep/link");
    expect(spa).toMatchObject({ status: 200, body: '<div id="root">spa</div>\n' });
  });

  test("other routes keep precedence over a fallback static path", async () => {
    expect(await get("/hello")).toMatchObject({ status: 200, body: '{"message":"hi"}' });
  });

  test("the object store's links win over the catch-all static path", async () => {
    const put = await fetch(`${fixture.server.url}/media`, { method: "POST", body: JSON.stringify({ name: "note.txt", text: "from the bucket" }) });
    expect(put.status).toBe(200);
    const { url } = (await put.json()) as { url: string };
    expect(new URL(url).pathname).toMatch(/^\/__objects\/media\/note\.txt/);
    const r = await get(new URL(url).pathname + new URL(url).search);
    expect(r.status).toBe(200);
    expect(r.body).toBe("from the bucket");
    // Other paths are still the site's.
    expect((await get("/no/such/page")).status).toBe(418);
  });

  test("paths cannot leave the directory", async () => {
    for (const p of ["/static/../encore.app", "/static/..%2F..%2Fencore.app", "/static/%2e%2e/web/static.ts", "/static/sub/..%5c..%5cstatic.ts"]) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.body, p).not.toContain("api.static");
    }
  });

  test("a byte range, and If-Modified-Since", async () => {
    const r = await get("/static/digits.txt", { range: "bytes=2-4" });
    expect(r).toMatchObject({ status: 206, body: "234", headers: { "content-range": "bytes 2-4/11" } });
    expect((await get("/static/digits.txt", { range: "bytes=50-" })).status).toBe(416);
    const full = await get("/static/digits.txt");
    expect((await get("/static/digits.txt", { "if-modified-since": full.headers["last-modified"]! })).status).toBe(304);
  });

  test("methods other than GET and HEAD are refused", async () => {
    expect((await get("/static/app.js", {}, "POST")).status).toBeGreaterThanOrEqual(400);
  });
});

describe("static helpers", () => {
  test("parseRange", () => {
    expect(parseRange("bytes=0-0", 10)).toEqual([0, 0]);
    expect(parseRange("bytes=-3", 10)).toEqual([7, 9]);
    expect(parseRange("bytes=5-", 10)).toEqual([5, 9]);
    expect(parseRange("bytes=5-100", 10)).toEqual([5, 9]);
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,3-4", 10)).toBeNull();
    expect(parseRange(undefined, 10)).toBeNull();
  });

  test("contentType", () => {
    expect(contentType("a/b.HTML")).toBe("text/html; charset=utf-8");
    expect(contentType("x.png")).toBe("image/png");
    expect(contentType("x.unknown")).toBe("application/octet-stream");
  });
});
