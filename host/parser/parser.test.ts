import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import type { AppMeta, EndpointMeta } from "../meta.ts";
import { parseApp, type Diagnostic, type ParseResult } from "./index.ts";

const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata");

// Each fixture's TypeScript program is built once for the whole file.
const parsed = new Map<string, ParseResult>();
function fixture(name: string): ParseResult {
  let r = parsed.get(name);
  if (!r) {
    r = parseApp(path.join(TESTDATA, name));
    parsed.set(name, r);
  }
  return r;
}

function good(): AppMeta {
  const r = fixture("good");
  expect(r.diagnostics).toEqual([]);
  return r.meta;
}

function endpoint(meta: AppMeta, service: string, name: string): EndpointMeta {
  const ep = meta.services.find((s) => s.name === service)?.endpoints.find((e) => e.name === name);
  if (!ep) throw new Error(`no endpoint ${service}.${name}`);
  return ep;
}

const str = { kind: "string" } as const;
const num = { kind: "number" } as const;
const lit = (value: string | number | boolean) => ({ kind: "literal", value }) as const;
const ref = (name: string) => ({ kind: "ref", name }) as const;
const common = { expose: false, auth: false, raw: false, streamingRequest: false, streamingResponse: false, tags: [], bodyLimit: 2097152, sensitive: false };

describe("a valid app", () => {
  test("reads encore.app: id and CORS with Encore's defaults filled in", () => {
    const meta = good();
    expect(meta.version).toBe(1);
    expect(meta.appId).toBe("fixture-good");
    expect(meta.cors).toEqual({
      allowOriginsWithoutCredentials: ["*"],
      allowOriginsWithCredentials: [],
      allowHeaders: ["X-Custom"],
      exposeHeaders: [],
    });
  });

  test("finds services by their encore.service.ts, sorted by folder, with their endpoints in file order", () => {
    const meta = good();
    expect(meta.services.map((s) => [s.name, s.dir, s.file, s.hasMiddlewares, s.databases])).toEqual([
      ["notify", "notify", "notify/encore.service.ts", false, []],
      ["orders", "orders", "orders/encore.service.ts", false, []],
      ["users", "users", "users/encore.service.ts", true, ["users"]],
    ]);
    expect(meta.services.find((s) => s.name === "users")!.endpoints.map((e) => e.name)).toEqual([
      "createUser",
      "getUser",
      "listUsers",
      "deleteUser",
      "ping",
      "webhook",
      "fallback",
      "cleanup",
      "watch",
      "upload",
      "chat",
    ]);
    // A local function called `api` is not Encore's.
    expect(meta.services.find((s) => s.name === "notify")!.endpoints).toEqual([]);
  });

  test("describes endpoint options, validation rules and the request/response body", () => {
    const ep = endpoint(good(), "users", "createUser");
    expect(ep).toEqual({
      ...common,
      service: "users",
      name: "createUser",
      file: "users/api.ts",
      line: 5,
      doc: "createUser registers a user.",
      methods: ["POST"],
      path: "/users",
      segments: [{ type: "literal", value: "users" }],
      expose: true,
      auth: true,
      tags: ["admin", "write"],
      bodyLimit: 2048,
      sensitive: true,
      request: {
        typeName: "CreateUserRequest",
        fields: [
          { name: "email", optional: false, schema: { kind: "string", validate: { isEmail: true } }, location: "default" },
          { name: "name", optional: false, schema: { kind: "string", validate: { minLen: 1, maxLen: 100 } }, location: "default" },
          { name: "age", optional: true, schema: { kind: "number", validate: { minValue: 0, maxValue: 150 } }, location: "default" },
          { name: "website", optional: true, schema: { kind: "string", validate: { isURL: true } }, location: "default" },
          { name: "handle", optional: false, schema: { kind: "string", validate: { startsWith: "@", endsWith: "x" } }, location: "default" },
          { name: "code", optional: false, schema: { kind: "string", validate: { matchesRegexp: "^[a-z]+$" } }, location: "default" },
          { name: "tags", optional: false, schema: { kind: "array", elem: str, validate: { minLen: 1 } }, location: "default" },
          { name: "tree", optional: true, schema: ref("TreeNode"), location: "default" },
        ],
      },
      response: expect.objectContaining({ typeName: "User" }),
    });
  });

  test("converts every kind of field type, keeping named types as refs", () => {
    const meta = good();
    const user = meta.types.User;
    expect(user.kind).toBe("object");
    const fields = Object.fromEntries((user as { fields: { name: string }[] }).fields.map((f) => [f.name, f]));
    expect(fields).toEqual({
      id: { name: "id", optional: false, schema: num },
      name: { name: "name", optional: false, schema: str, doc: "The display name." },
      email: { name: "email", optional: false, schema: str },
      role: { name: "role", optional: false, schema: { kind: "union", types: [lit("admin"), lit("member")] } },
      priority: { name: "priority", optional: true, schema: { kind: "union", types: [lit(0), lit(1)] } },
      status: { name: "status", optional: false, schema: ref("Status_2") },
      tags: { name: "tags", optional: false, schema: { kind: "array", elem: str } },
      labels: { name: "labels", optional: false, schema: { kind: "record", key: "string", value: str } },
      scores: { name: "scores", optional: false, schema: { kind: "record", key: "string", value: num } },
      createdAt: { name: "createdAt", optional: false, schema: { kind: "date" } },
      deletedAt: { name: "deletedAt", optional: false, schema: { kind: "union", types: [{ kind: "null" }, { kind: "date" }] } },
      balance: { name: "balance", optional: false, schema: { kind: "decimal" } },
      big: { name: "big", optional: false, schema: { kind: "bigint" } },
      address: { name: "address", optional: true, schema: ref("Address") },
      manager: { name: "manager", optional: true, schema: { kind: "union", types: [{ kind: "null" }, ref("User")] } },
      nickname: { name: "nickname", optional: true, schema: str },
      extra: { name: "extra", optional: false, schema: { kind: "any" } },
      flag: { name: "flag", optional: false, schema: lit(true) },
      verified: { name: "verified", optional: false, schema: { kind: "boolean" } },
      level: { name: "level", optional: false, schema: { kind: "union", types: [lit(1), lit(2), lit(3)] } },
    });
    expect(meta.types.Address).toEqual({
      kind: "object",
      fields: [
        { name: "street", optional: false, schema: str },
        { name: "city", optional: false, schema: str },
      ],
    });
    // Recursive types refer to themselves by name.
    expect(meta.types.TreeNode).toEqual({
      kind: "object",
      fields: [
        { name: "name", optional: false, schema: str },
        { name: "children", optional: false, schema: { kind: "array", elem: ref("TreeNode") } },
      ],
    });
  });

  test("keeps same-named types from different files apart", () => {
    const meta = good();
    expect(meta.types.Status).toEqual({ kind: "object", fields: [{ name: "open", optional: false, schema: { kind: "boolean" } }] });
    expect(meta.types.Status_2).toEqual({ kind: "union", types: [lit("active"), lit("disabled")] });
  });

  test("keys generic instantiations with their arguments and merges intersections of objects", () => {
    const meta = good();
    expect(meta.types["Page<User>"]).toEqual({
      kind: "object",
      fields: [
        { name: "items", optional: false, schema: { kind: "array", elem: ref("User") } },
        { name: "next", optional: true, schema: str },
      ],
    });
    const admin = meta.types.AdminUser as { kind: string; fields: { name: string }[] };
    expect(admin.kind).toBe("object");
    expect(admin.fields.map((f) => f.name)).toEqual([...(meta.types.User as { fields: { name: string }[] }).fields.map((f) => f.name), "permissions"]);
  });

  test("places request fields in path, query, header and cookie; the rest by default", () => {
    const ep = endpoint(good(), "users", "getUser");
    expect(ep.methods).toEqual(["GET"]);
    expect(ep.segments).toEqual([
      { type: "literal", value: "users" },
      { type: "param", value: "id" },
    ]);
    expect(ep.request).toEqual({
      typeName: "GetUserParams",
      fields: [
        { name: "id", optional: false, schema: num, location: "path" },
        { name: "include", optional: true, schema: { kind: "array", elem: str }, location: "query", wireName: "include" },
        { name: "q", optional: false, schema: str, location: "query", wireName: "search" },
        { name: "requestId", optional: false, schema: str, location: "header", wireName: "X-Request-ID" },
        { name: "count", optional: true, schema: num, location: "header", wireName: "X-Count" },
        { name: "session", optional: true, schema: str, location: "cookie", wireName: "session" },
        { name: "verbose", optional: true, schema: { kind: "boolean" }, location: "default" },
      ],
    });
  });

  test("moves response headers and the HTTP status out of the body", () => {
    const ep = endpoint(good(), "users", "getUser");
    expect(ep.response).toEqual({
      typeName: "GetUserResponse",
      fields: [
        { name: "user", optional: false, schema: ref("User"), location: "body" },
        { name: "etag", optional: false, schema: str, location: "header", wireName: "ETag" },
        { name: "status", optional: false, schema: num, httpStatus: true },
      ],
    });
  });

  test("sorts methods, allows an unlimited body, inlines enums and literal unions", () => {
    const ep = endpoint(good(), "users", "listUsers");
    expect(ep.methods).toEqual(["GET", "HEAD"]);
    expect(ep.bodyLimit).toBeNull();
    expect(ep.request!.fields).toEqual([
      { name: "sort", optional: true, schema: { kind: "union", types: [lit("asc"), lit("desc")] }, location: "default" },
      { name: "limit", optional: true, schema: num, location: "default" },
      { name: "roles", optional: true, schema: { kind: "array", elem: { kind: "union", types: [lit("admin"), lit("member")] } }, location: "default" },
    ]);
    expect(ep.response!.fields).toEqual([
      { name: "page", optional: false, schema: ref("Page<User>"), location: "body" },
      { name: "admins", optional: false, schema: { kind: "array", elem: ref("AdminUser") }, location: "body" },
    ]);
  });

  test("reads inline request types, void responses, and defaults (POST, /<service>.<name>, inferred response)", () => {
    const meta = good();
    expect(endpoint(meta, "users", "deleteUser")).toMatchObject({
      methods: ["DELETE"],
      request: {
        fields: [
          { name: "id", optional: false, schema: str, location: "path" },
          { name: "reason", optional: true, schema: str, location: "header", wireName: "X-Reason" },
        ],
      },
      response: null,
    });
    expect(endpoint(meta, "users", "deleteUser").request!.typeName).toBeUndefined();
    expect(endpoint(meta, "users", "ping")).toEqual({
      ...common,
      service: "users",
      name: "ping",
      file: "users/api.ts",
      line: 24,
      methods: ["POST"],
      path: "/users.ping",
      segments: [{ type: "literal", value: "users.ping" }],
      request: null,
      response: {
        fields: [
          { name: "ok", optional: false, schema: { kind: "boolean" }, location: "body" },
          { name: "at", optional: false, schema: { kind: "date" }, location: "body" },
        ],
      },
    });
    // Same endpoint name in another service, imported under an alias: `import { api as endpoint }`.
    expect(endpoint(meta, "orders", "ping")).toMatchObject({ path: "/orders.ping", expose: true, response: { typeName: "OrdersPing" } });
  });

  test("describes raw endpoints with wildcard and fallback paths and no schemas", () => {
    const meta = good();
    expect(endpoint(meta, "users", "webhook")).toMatchObject({
      raw: true,
      methods: ["*"],
      path: "/webhooks/*rest",
      segments: [
        { type: "literal", value: "webhooks" },
        { type: "wildcard", value: "rest" },
      ],
      request: null,
      response: null,
    });
    expect(endpoint(meta, "users", "fallback").segments).toEqual([{ type: "fallback", value: "path" }]);
  });

  test("describes streams from explicit type arguments or from the handler's parameter types", () => {
    const meta = good();
    expect(endpoint(meta, "users", "watch")).toMatchObject({
      methods: ["GET"],
      streamingRequest: false,
      streamingResponse: true,
      request: null,
      response: null,
      handshake: {
        typeName: "WatchHandshake",
        fields: [
          { name: "id", optional: false, schema: str, location: "path" },
          { name: "token", optional: false, schema: str, location: "header", wireName: "Authorization" },
          { name: "since", optional: true, schema: str, location: "query", wireName: "since" },
          { name: "verbose", optional: true, schema: { kind: "boolean" }, location: "default" },
        ],
      },
      streamIn: null,
      streamOut: ref("UserEvent"),
    });
    expect(endpoint(meta, "users", "upload")).toMatchObject({
      streamingRequest: true,
      streamingResponse: false,
      handshake: null,
      streamIn: ref("Chunk"),
      streamOut: null,
      response: { typeName: "UploadResult", fields: [{ name: "bytes", optional: false, schema: num, location: "body" }] },
    });
    expect(endpoint(meta, "users", "chat")).toMatchObject({
      streamingRequest: true,
      streamingResponse: true,
      handshake: { typeName: "ChatHandshake", fields: [{ name: "room", optional: false, schema: str, location: "path" }] },
      streamIn: ref("ChatIn"),
      streamOut: ref("ChatOut"),
    });
    expect(meta.types.UserEvent).toEqual({
      kind: "object",
      fields: [
        { name: "kind", optional: false, schema: { kind: "union", types: [lit("created"), lit("deleted")] } },
        { name: "at", optional: false, schema: { kind: "date" } },
      ],
    });
  });

  test("links the gateway to its auth handler and describes the credentials and auth data", () => {
    const meta = good();
    expect(meta.gateways).toEqual([{ name: "api-gateway", file: "users/auth.ts", bindName: "gateway", authHandler: "auth" }]);
    expect(meta.authHandler).toEqual({
      service: "users",
      name: "auth",
      file: "users/auth.ts",
      line: 16,
      params: {
        typeName: "AuthParams",
        fields: [
          { name: "authorization", optional: false, schema: str, location: "header", wireName: "Authorization" },
          { name: "token", optional: true, schema: str, location: "query", wireName: "token" },
          { name: "session", optional: true, schema: str, location: "cookie", wireName: "session" },
        ],
      },
      authData: ref("AuthData"),
    });
    expect(meta.types.AuthData).toEqual({
      kind: "object",
      fields: [
        { name: "userID", optional: false, schema: str },
        { name: "role", optional: false, schema: { kind: "union", types: [lit("admin"), lit("member")] } },
      ],
    });
  });

  test("lists a database's up-migrations by version, ignoring down-migrations and other files", () => {
    expect(good().databases).toEqual([
      {
        name: "users",
        service: "users",
        file: "users/db.ts",
        migrationsDir: "users/migrations",
        migrations: [
          { version: 1, name: "create_users", file: "users/migrations/1_create_users.up.sql" },
          { version: 2, name: "add_index", file: "users/migrations/2_add_index.up.sql" },
          { version: 10, name: "add_name", file: "users/migrations/10_add_name.up.sql" },
        ],
      },
    ]);
  });

  test("describes topics and resolves subscriptions to a topic imported from another service", () => {
    const meta = good();
    expect(meta.topics).toEqual([
      {
        name: "order-placed",
        service: "orders",
        file: "orders/events.ts",
        deliveryGuarantee: "at-least-once",
        orderingAttribute: "customerId",
        messageType: ref("OrderPlaced"),
      },
    ]);
    expect(meta.types.OrderPlaced).toEqual({
      kind: "object",
      fields: [
        { name: "orderId", optional: false, schema: str },
        { name: "customerId", optional: false, schema: str },
        { name: "total", optional: false, schema: { kind: "decimal" } },
        { name: "placedAt", optional: false, schema: { kind: "date" } },
      ],
    });
    expect(meta.subscriptions).toEqual([
      {
        name: "notify-order",
        topic: "order-placed",
        service: "notify",
        file: "notify/subscriptions.ts",
        line: 9,
        maxConcurrency: 5,
        ackDeadlineMs: 60_000,
        messageRetentionMs: 86_400_000,
        retryPolicy: { minBackoffMs: 1000, maxBackoffMs: 90_000, maxRetries: 5 },
      },
      {
        name: "audit",
        topic: "order-placed",
        service: "notify",
        file: "notify/subscriptions.ts",
        line: 17,
        maxConcurrency: 100,
        ackDeadlineMs: 30_000,
        messageRetentionMs: 7 * 86_400_000,
        retryPolicy: { minBackoffMs: 10_000, maxBackoffMs: 600_000, maxRetries: 100 },
      },
    ]);
  });

  test("describes cron jobs with `every` in ms or a cron schedule, and their endpoint", () => {
    expect(good().cronJobs).toEqual([
      {
        name: "cleanup-sessions",
        title: "Clean up sessions",
        service: "users",
        file: "users/cron.ts",
        every: 7_200_000,
        schedule: null,
        endpoint: { service: "users", name: "cleanup" },
      },
      {
        name: "nightly-report",
        title: "nightly-report",
        service: "users",
        file: "users/cron.ts",
        every: null,
        schedule: "0 2 * * 1-5",
        endpoint: { service: "users", name: "cleanup" },
      },
    ]);
  });

  test("collects secret names", () => {
    expect(good().secrets).toEqual(["SlackWebhook", "StripeKey"]);
  });
});

describe("object storage, cache clusters, metrics", () => {
  const r = () => fixture("bad-storage");
  test("are recorded in the metadata: buckets with their settings, clusters, metrics with their service", () => {
    const meta = r().meta;
    expect(meta.buckets?.find((b) => b.name === "files")).toMatchObject({ public: true, versioned: false, file: "shop/resources.ts" });
    expect(meta.cacheClusters).toEqual(["main"]);
    expect(meta.metrics?.find((m) => m.name === "orders")).toMatchObject({ kind: "counter", labelled: false, services: ["shop"] });
  });
  test("bad names, duplicates and unknown buckets are rejected with file:line", () => {
    const d = r().diagnostics;
    expectDiag(d, "shop/resources.ts", 6, "invalid bucket name");
    expectDiag(d, "shop/resources.ts", 7, 'bucket "ghost" is not declared');
    expectDiag(d, "shop/resources.ts", 10, "metric 'orders' is defined multiple times");
    expectDiag(d, "shop/resources.ts", 11, "invalid metric name");
    expectDiag(d, "shop/resources.ts", 12, "bucket with this name already defined");
  });
});

function expectDiag(diags: Diagnostic[], file: string, line: number, message: string | RegExp): void {
  const hit = diags.find((d) => d.file === file && d.line === line && (typeof message === "string" ? d.message.includes(message) : message.test(d.message)));
  expect(hit, `expected ${file}:${line}: ${message} among\n${diags.map((d) => `${d.file}:${d.line}: ${d.message}`).join("\n")}`).toBeDefined();
}

describe("what Encore accepts that a stricter reading would not", () => {
  const rules = () => fixture("encore-rules");

  test("the app checks without diagnostics", () => {
    expect(rules().diagnostics).toEqual([]);
  });

  test("a folder with endpoints but no encore.service.ts is a service named after it, subfolders included", () => {
    const svcs = rules().meta.services.map((s) => ({ name: s.name, dir: s.dir, file: s.file, endpoints: s.endpoints.map((e) => e.name) }));
    expect(svcs).toEqual([
      { name: "catalog", dir: "catalog", file: null, endpoints: expect.arrayContaining(["list", "more"]) },
      { name: "shop", dir: "shop", file: "shop/encore.service.ts", endpoints: ["site"] },
    ]);
  });

  test("a database outside any service, secrets inside an object, a non-exported auth handler, a union message type", () => {
    const meta = rules().meta;
    expect(meta.databases.map((d) => [d.name, d.service])).toEqual([["store", ""]]);
    expect(meta.secrets).toEqual(["StripeKey", "WebhookSecret"]);
    expect(meta.authHandler).toMatchObject({ name: "handler", service: "shop" });
    expect(meta.topics.map((t) => t.name)).toEqual(["shop-changes"]);
  });

  test("api.static is an endpoint without a handler, its paths relative to the app root", () => {
    const site = endpoint(rules().meta, "shop", "site");
    expect(site.methods).toEqual(["HEAD", "GET"]);
    expect(site.static).toEqual({ dir: "shop/public", notFound: "shop/public/index.html", notFoundStatus: 200, headers: {} });
  });
});

describe("integers", () => {
  test("fields declared with the app's Int alias (in intersections, aliases, Query<>, nullable) are integer numbers; others are not", () => {
    const r = fixture("ints");
    expect(r.diagnostics).toEqual([]);
    const ep = endpoint(r.meta, "paging", "list");
    const field = (name: string) => ep.request!.fields.find((f) => f.name === name)!.schema;
    expect(field("page")).toEqual({ kind: "number", integer: true, validate: { minValue: 1 } });
    expect(r.meta.types[(field("limit") as { name: string }).name]).toEqual({ kind: "number", integer: true, validate: { minValue: 1, maxValue: 100 } });
    expect(field("offset")).toEqual({ kind: "number", integer: true });
    expect(field("cursor")).toEqual({ kind: "union", types: [{ kind: "null" }, { kind: "number", integer: true }] });
    expect(field("ratio")).toEqual({ kind: "number", validate: { minValue: 0 } });
    expect(field("count")).toEqual(num);
    const res = ep.response!.fields;
    expect(res.find((f) => f.name === "total")!.schema).toEqual({ kind: "number", integer: true });
    expect(res.find((f) => f.name === "nested")!.schema).toEqual({
      kind: "object",
      fields: [{ name: "depth", optional: false, schema: { kind: "number", integer: true } }],
    });
  });
});

describe("an app Encore would reject", () => {
  const types = () => fixture("bad-types").diagnostics;
  const resources = () => fixture("bad-resources").diagnostics;

  test("a class in a request type is reported at the field", () => {
    expectDiag(types(), "shop/api.ts", 8, "class types are not supported");
  });

  test("an optional path parameter is reported at the field", () => {
    expectDiag(types(), "shop/api.ts", 15, 'path parameter "id" must not be optional');
  });

  test("a resource declared inside a function is reported where it is declared", () => {
    expectDiag(resources(), "ops/nested.ts", 10, "Pub/Sub topics must be declared at the top level");
    expectDiag(resources(), "ops/nested.ts", 14, "secrets must be defined globally");
    expectDiag(resources(), "ops/nested.ts", 19, "API endpoints must be declared at the top level");
  });

  test("path parameters must match a string, number or boolean field, and need a request type", () => {
    expectDiag(types(), "shop/api.ts", 24, 'path parameter "key" not found in request schema');
    expectDiag(types(), "shop/api.ts", 29, "unsupported path parameter type");
    expectDiag(types(), "shop/api.ts", 59, "request schema must be defined when having path parameters");
  });

  test("tuples, function types, objects in the query string and non-object requests are rejected", () => {
    expectDiag(types(), "shop/api.ts", 36, "type not supported for query parameters");
    expectDiag(types(), "shop/api.ts", 43, "tuple types are not supported");
    expectDiag(types(), "shop/api.ts", 50, "function types are not supported");
    expectDiag(types(), "shop/api.ts", 66, "request and response types must be interfaces or void");
  });

  test("endpoints must be exported, with literal options and known methods", () => {
    expectDiag(types(), "shop/api.ts", 56, "API endpoint must be bound to an exported variable");
    expectDiag(types(), "shop/api.ts", 61, "invalid method: FETCH");
    expectDiag(types(), "shop/api.ts", 64, "expected boolean literal");
  });

  test("exactly the expected problems are reported for the bad types fixture", () => {
    expect(types().map((d) => `${d.file}:${d.line}`)).toEqual([8, 15, 24, 29, 36, 43, 50, 56, 59, 61, 64, 66].map((l) => `shop/api.ts:${l}`));
  });

  test("duplicate endpoint names in a service and clashing method+path pairs are rejected", () => {
    expectDiag(resources(), "ops/b.ts", 3, "api endpoints with conflicting names defined within the same service");
    expectDiag(resources(), "ops/b.ts", 5, /conflicting paths defined: GET \/things\/:thingId .*ops\.one/);
  });

  test("cron jobs need whole minutes dividing a day, exactly one of every/schedule, a valid schedule and a parameterless endpoint", () => {
    expectDiag(resources(), "ops/cron.ts", 9, "`every` must divide 24 hours evenly");
    expectDiag(resources(), "ops/cron.ts", 10, "`every` must be a multiple of 60 seconds");
    expectDiag(resources(), "ops/cron.ts", 11, "not both");
    expectDiag(resources(), "ops/cron.ts", 13, "expected either `every` or `schedule` to be set");
    expectDiag(resources(), "ops/cron.ts", 14, "invalid cron expression");
    expectDiag(resources(), "ops/cron.ts", 15, "must not take parameters");
  });

  test("resource names must be literals and migrations must have unique versions", () => {
    expectDiag(resources(), "ops/nested.ts", 23, "expected string literal as the resource name");
    expectDiag(resources(), "ops/db.ts", 3, "duplicate migration version 1");
  });

  test("subscriptions to unknown topics are rejected", () => {
    expectDiag(resources(), "ops/subs.ts", 12, "cannot resolve topic reference");
  });

  test("a folder with endpoints and no encore.service.ts is a service, whose database is accepted", () => {
    expect(resources().filter((d) => d.file.startsWith("loose/"))).toEqual([]);
    expect(fixture("bad-resources").meta.services.find((s) => s.name === "loose")).toMatchObject({ dir: "loose", file: null });
  });

  test("a service inside another service is rejected, as Encore does", () => {
    expectDiag(resources(), "ops/inner/encore.service.ts", 3, "service inner cannot be contained within service ops");
  });

  test("two metrics with one name are rejected; buckets, caches and metrics are accepted (the runtime has them)", () => {
    expectDiag(resources(), "ops/unsupported.ts", 7, "metric 'hits' is defined multiple times");
    expect(resources().filter((d) => d.file === "ops/unsupported.ts" && /not supported/.test(d.message))).toEqual([]);
  });

  test("api.static needs an existing dir and notFound file, and at most one dynamic segment, last", () => {
    expectDiag(resources(), "ops/unsupported.ts", 12, "unable to read static assets directory: ops/nowhere");
    expectDiag(resources(), "ops/unsupported.ts", 13, "static assets path cannot have static segments after dynamic segments");
    expectDiag(resources(), "ops/unsupported.ts", 14, "file does not exist: ops/missing.html");
  });

  test("encore.app must say lang typescript", () => {
    expect(fixture("bad-lang").diagnostics).toEqual([
      { file: "encore.app", line: 3, column: 3, message: 'encore.app must set "lang": "typescript" (found "lang": "ts")' },
    ]);
  });
});
