// An app as Encore users write them, run unmodified (host/testdata/cjsapp): CommonJS (its
// package.json has no "type": "module"), a client built from `db.connectionString` while its
// modules load (and a query issued then, before the database exists), a file read relative to the
// app root while the runtime is started from elsewhere, and a call through ~encore/clients.
import path from "node:path";
import { describe, expect, test } from "vitest";
import { useFixture } from "../testing/use-fixture.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/cjsapp");
const fixture = useFixture(APP);

async function call(method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(fixture.server.url + route, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe("a CommonJS app using db.connectionString at import time", () => {
  test("starts, and the query it issued while loading waited for the migrated database", async () => {
    expect(await call("GET", "/notes/early")).toEqual({ status: 200, json: { n: 0 } });
  });

  test("the client built from the connection string reads and writes the app's database", async () => {
    const a = await call("POST", "/notes", { text: "first" });
    expect(a.status).toBe(200);
    await call("POST", "/notes", { text: "second" });
    // Through ~encore/clients from a CommonJS module, and a file read relative to the app root.
    expect(await call("GET", "/summary")).toEqual({ status: 200, json: { text: "hello from the app root: 2 notes" } });
  });
});
