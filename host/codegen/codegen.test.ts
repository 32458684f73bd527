import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AppMeta } from "../meta.ts";
import { ensureGenerated, generate } from "./index.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GOOD = path.join(HERE, "..", "parser", "testdata", "good");
const NODE_MODULES = path.join(HERE, "..", "..", "node_modules");

let app: string;
let gen: string;
let meta: AppMeta;

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(abs, base) : [path.relative(base, abs).split(path.sep).join("/")];
  });
}

const read = (rel: string) => readFileSync(path.join(gen, rel), "utf8");

beforeAll(() => {
  app = mkdtempSync(path.join(os.tmpdir(), "warroom-codegen-"));
  cpSync(GOOD, app, { recursive: true });
  symlinkSync(NODE_MODULES, path.join(app, "node_modules")); // encore.dev must resolve from the copy
  gen = path.join(app, "encore.gen");
  const r = ensureGenerated(app);
  expect(r.diagnostics).toEqual([]);
  expect(r.cached).toBe(false);
  meta = r.meta;
});

afterAll(() => {
  rmSync(app, { recursive: true, force: true });
});

describe("encore.gen", () => {
  test("has exactly Encore's files: clients per service, auth, the combined entrypoint, plus meta.json and package.json", () => {
    expect(listFiles(gen).sort()).toEqual(
      [
        ".cache-key",
        "auth/index.ts",
        "clients/index.d.ts",
        "clients/index.js",
        "internal/auth/auth.ts",
        "internal/entrypoints/combined/main.ts",
        "meta.json",
        "package.json",
        ...["notify", "orders", "users"].flatMap((s) => [
          `internal/clients/${s}/endpoints.d.ts`,
          `internal/clients/${s}/endpoints.js`,
          `internal/clients/${s}/endpoints_testing.js`,
        ]),
      ].sort(),
    );
  });

  test("meta.json holds the parsed metadata", () => {
    expect(JSON.parse(read("meta.json"))).toEqual(meta);
  });

  test("~encore/clients exports one namespace per service", () => {
    const names = ["notify", "orders", "users"];
    expect(read("clients/index.js")).toBe(names.map((s) => `export * as ${s} from "../internal/clients/${s}/endpoints.js";\n`).join(""));
    expect(read("clients/index.d.ts")).toBe(names.map((s) => `export * as ${s} from "../internal/clients/${s}/endpoints";\n`).join(""));
  });

  test("each endpoint's client calls the SDK by service and name, with params only when it has some", () => {
    const js = read("internal/clients/users/endpoints.js");
    expect(js).toContain('import { apiCall, streamIn, streamOut, streamInOut } from "encore.dev/internal/codegen/api";');
    expect(js).toContain("export async function getUser(params, opts) {");
    expect(js).toContain('return apiCall("users", "getUser", params, opts);');
    expect(js).toContain("export async function ping(opts) {\n    const params = undefined;\n");
    expect(js).toContain("export async function webhook(opts) {");
    // A stream the client reads is the SDK's streamOut; one it writes, streamIn.
    expect(js).toContain("export async function watch(params, opts) {");
    expect(js).toContain('return streamOut("users", "watch", params, opts);');
    expect(js).toContain("export async function upload(opts) {");
    expect(js).toContain('return streamIn("users", "upload", params, opts);');
    expect(js).toContain('return streamInOut("users", "chat", params, opts);');
    expect(js).toContain("    this.chat = chat;\n");
    expect(js).toContain("return (await testEndpoints()).getUser(params, opts);");
    // No top-level await: a CommonJS app require()s this module.
    expect(js).not.toMatch(/^(const|let|var|await)\b.*\bawait\b/m);
  });

  test("client typings derive from the handlers' own types", () => {
    const dts = read("internal/clients/users/endpoints.d.ts");
    expect(dts).toContain('import { createUser as createUser_handler } from "../../../../users/api.js";');
    expect(dts).toContain("type createUser_Type = WithCallOpts<typeof createUser_handler>;");
    expect(dts).toContain('import { watch as watch_handler } from "../../../../users/stream.js";');
    expect(dts).toContain("export declare const chat: chat_Type;");
    expect(dts).toContain("  readonly upload: upload_Type;\n");
    const orders = read("internal/clients/orders/endpoints.d.ts");
    expect(orders).not.toContain("StreamInOutHandlerFn"); // stream helpers only where there are streams
  });

  test("the testing client registers the real handler with the service's middlewares", () => {
    const t = read("internal/clients/users/endpoints_testing.js");
    expect(t).toContain('import * as users_service from "../../../../users/encore.service";');
    expect(t).toContain('const handler = (await import("../../../../users/api")).createUser;');
    expect(t).toContain('apiRoute: { service: "users", name: "createUser", raw: false, handler, streamingRequest: false, streamingResponse: false },');
    expect(t).toContain('endpointOptions: {"expose":true,"auth":true,"isRaw":false,"isStream":false,"tags":["admin","write"]},');
    expect(t).toContain("middlewares: serviceMiddlewares(users_service),");
  });

  test("~encore/auth exposes the auth handler's data type", () => {
    expect(read("auth/index.ts")).toBe('export {type AuthData, getAuthData} from "../internal/auth/auth";');
    const auth = read("internal/auth/auth.ts");
    expect(auth).toContain('import { auth as _auth_auth } from "../../../users/auth.js";');
    expect(auth).toContain("export type AuthData = Awaited<ReturnType<typeof _auth_auth>>;");
    expect(auth).toContain('declare module "encore.dev/api" {');
  });

  test("the combined entrypoint imports and registers every gateway, endpoint, subscription and service", () => {
    const main = read("internal/entrypoints/combined/main.ts");
    expect(main.startsWith('import { registerGateways, registerHandlers, run, type Handler } from "encore.dev/internal/codegen/appinit";\n')).toBe(true);
    expect(main).toContain('import { gateway as api_gatewayGW } from "../../../../users/auth";');
    expect(main).toContain('import { ping as orders_pingImpl0 } from "../../../../orders/api";');
    expect(main).toContain('import { createUser as users_createUserImpl1 } from "../../../../users/api";');
    expect(main).toContain('import "../../../../notify/subscriptions";');
    expect(main).toContain('import * as notify_service from "../../../../notify/encore.service";');
    expect(main).toContain("const gateways: any[] = [\n    api_gatewayGW,\n];");
    expect(main).toContain(`    {
        apiRoute: {
            service:           "users",
            name:              "webhook",
            handler:           users_webhookImpl6,
            raw:               true,
            streamingRequest:  false,
            streamingResponse: false,
        },
        endpointOptions: {"expose":true,"auth":false,"isRaw":true,"isStream":false,"tags":[]},
        middlewares: serviceMiddlewares(users_service),
    },`);
    expect(main.endsWith("registerGateways(gateways);\nregisterHandlers(handlers);\n\nawait run(import.meta.url);\n")).toBe(true);
    expect(main.match(/Impl\d+ \}/g)).toHaveLength(meta.services.reduce((n, s) => n + s.endpoints.length, 0));
  });

  test("without an auth handler, getAuthData throws", () => {
    const noAuth = { ...meta, authHandler: null, gateways: [] };
    const dir = mkdtempSync(path.join(os.tmpdir(), "warroom-noauth-"));
    try {
      generate(dir, noAuth);
      const auth = readFileSync(path.join(dir, "encore.gen/internal/auth/auth.ts"), "utf8");
      expect(auth).toContain("export type AuthData = null;");
      expect(auth).toContain('throw new Error("authData cannot be called when there are no auth handlers.")');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("regeneration", () => {
  test("is skipped while the app is unchanged, and redone after a source file changes", () => {
    const t0 = performance.now();
    const again = ensureGenerated(app);
    const ms = performance.now() - t0;
    expect(again.cached).toBe(true);
    expect(again.meta).toEqual(meta);
    expect(ms).toBeLessThan(1000); // no TypeScript program: typically a few ms

    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(app, "users", "api.ts"), future, future);
    expect(ensureGenerated(app).cached).toBe(false);
    expect(ensureGenerated(app).cached).toBe(true);
  });

  test("a new migration file invalidates the cache", () => {
    const m = path.join(app, "users", "migrations", "11_more.up.sql");
    writeFileSync(m, "SELECT 1;\n");
    try {
      const r = ensureGenerated(app);
      expect(r.cached).toBe(false);
      expect(r.meta.databases[0].migrations.at(-1)).toEqual({ version: 11, name: "more", file: "users/migrations/11_more.up.sql" });
    } finally {
      unlinkSync(m);
      ensureGenerated(app);
    }
  });

  test("leaves unchanged files untouched and removes stale ones", () => {
    const index = path.join(gen, "clients", "index.js");
    const old = new Date("2001-01-01T00:00:00Z");
    utimesSync(index, old, old);
    mkdirSync(path.join(gen, "internal", "clients", "ghost"), { recursive: true });
    writeFileSync(path.join(gen, "internal", "clients", "ghost", "endpoints.js"), "stale");

    ensureGenerated(app, { force: true });
    expect(statSync(index).mtime.getTime()).toBe(old.getTime());
    expect(existsSync(path.join(gen, "internal", "clients", "ghost"))).toBe(false);
  });

  test("with errors nothing is generated and the diagnostics are returned", () => {
    const broken = path.join(app, "users", "broken.ts");
    const metaBefore = read("meta.json");
    writeFileSync(broken, 'import { api } from "encore.dev/api";\nexport function f() {\n  return api({}, async () => {});\n}\n');
    try {
      const r = ensureGenerated(app);
      expect(r.cached).toBe(false);
      expect(r.diagnostics).toEqual([
        {
          file: "users/broken.ts",
          line: 3,
          column: 10,
          message: "API endpoints must be declared at the top level of a module, not inside a function or block",
        },
      ]);
      expect(read("meta.json")).toBe(metaBefore);
    } finally {
      unlinkSync(broken);
    }
    expect(ensureGenerated(app).cached).toBe(true); // back to the sources the cache key describes
  });
});
