// The generated client, compiled with tsc and driving a running server: a drift between the
// server and the client fails here.
import { beforeAll, describe, expect, test } from "vitest";
import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import ts from "typescript";
import WebSocket from "ws";
import { parseApp } from "../parser/index.ts";
import { generateClient } from "./client.ts";
import { appMeta } from "../testing/meta.ts";
import { useFixture } from "../testing/use-fixture.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/app");
const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(APP, "encore.gen", "client-under-test.ts");
const fixture = useFixture(APP);

/** tsc's diagnostics for `files`, compiled as one program (the standard library is loaded and checked once). */
function compile(files: string[]): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? `${path.basename(d.file.fileName)}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

let Client: any;
let APIError: any;

beforeAll(async () => {
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, generateClient(parseApp(APP).meta));
  const mod = await import(OUT);
  Client = mod.default;
  APIError = mod.APIError;
});

describe("the generated client", () => {
  test("compiles with tsc, for the fixture app and for War Room", () => {
    const own = path.join(APP, "encore.gen", "warroom-client-under-test.ts");
    writeFileSync(own, generateClient(appMeta(ROOT)));
    // Each client is a standalone module (no imports), so one program checks both as two compilations would.
    expect(compile([OUT, own])).toEqual([]);
  });

  test("places path, query, header, cookie and body fields as the server expects", async () => {
    const c = new Client(fixture.server.url);
    const r = await c.echo.fields({
      id: "a b",
      count: 7,
      flag: true,
      requestId: "rid-1",
      session: { value: "s-1" },
      name: "alice",
      email: "alice@example.com",
      when: "2024-05-01T10:00:00Z",
      tags: ["x"],
      level: "low",
      nested: { n: 2 },
    });
    expect(r).toMatchObject({ id: "a b", count: 7, flag: true, requestId: "rid-1", session: "s-1", when: "2024-05-01T10:00:00.000Z", n: 2 });
    const s = await c.echo.search({ page: 3, active: false, ids: [4, 5], since: "2024-01-01T00:00:00Z" });
    expect(s).toMatchObject({ page: 3, active: false, ids: [4, 5], since: "2024-01-01T00:00:00.000Z" });
  });

  test("response headers come back as fields; errors are APIErrors with Encore's code", async () => {
    const c = new Client(fixture.server.url);
    expect(await c.echo.created()).toEqual({ id: "42", createdAt: "2024-05-01T12:00:00.000Z", location: "/echo/items/42" });
    const err = await c.echo.whoami().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err).toMatchObject({ status: 401, code: "unauthenticated" });
    const bad = await c.echo.search({ page: "x" as unknown as number }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: "invalid_argument" });
  });

  test("the auth option sends the bearer token", async () => {
    const c = new Client(fixture.server.url, { auth: () => "good-bob-admin" });
    expect(await c.echo.whoami()).toEqual({ userID: "bob", role: "admin" });
  });

  test("streams are WebSockets: streamOut with auth (headers travel in the subprotocol), streamInOut", async () => {
    const c = new Client(fixture.server.url, { auth: "good-kim-viewer", WebSocket });
    const ticks: number[] = [];
    for await (const t of await c.echo.count({ to: 3 })) ticks.push(t.n);
    expect(ticks).toEqual([1, 2, 3]);
    const chat = await c.echo.chat();
    chat.send({ text: "hi", at: "2024-01-01T00:00:00Z" });
    expect(await chat.recv()).toEqual({ text: "HI", atIsDate: true });
    chat.close();
    expect(await chat.closed).toBe(1000);
  });
});
