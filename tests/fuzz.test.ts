// Every operation of the served OpenAPI document, driven with malformed variants of its input
// (wrong types, huge and deep values, control characters, NUL and lone surrogates, invalid UUIDs
// and dates, huge and fractional numbers, missing and extra fields, bodies that are not JSON or
// too large) as the first admin and as nobody. No answer may be a 5xx, and the server must keep
// answering. The external providers are the local fakes, so no endpoint is 503 for want of one.
// Prints the figures: operations, requests, status histogram, 5xx count.
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";
import { startFakeGoogleAds } from "./fakes/googleads";
import { startFakeMentionlytics } from "./fakes/mentionlytics";
import { startFakeMeta } from "./fakes/meta";
import { startFakeTwilio } from "./fakes/twilio";
import type { FakeServer } from "./fakes/provider-faults";
import { providersEnv } from "./fakes/provider-env";
import { appEnv, caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@fuzz.example", password: "chief-password-1" };
const CONCURRENCY = 8;

const env = appEnv("fuzz-secret-0123456789abcdefghijklmnop", ADMIN, { WARROOM_DEMO: "off" });
const fakes: FakeServer[] = [];
// Before the fixture's own beforeAll (hooks run in order): the providers' secrets point at the fakes.
beforeAll(async () => {
  const [twilio, ml, meta, google] = await Promise.all([startFakeTwilio(), startFakeMentionlytics(), startFakeMeta(), startFakeGoogleAds()]);
  fakes.push(twilio, ml, meta, google);
  Object.assign(env, providersEnv({ twilio, ml, meta, google }, { metaAdAccountId: "1234567890", googleCustomerId: "123-456-7890" }));
});
const app = useFixture(ROOT, env);
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

// ---------------------------------------------------------------------------------------------
// The document, read as the fuzzer needs it.

type JsonSchema = Record<string, any>;

interface Param {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JsonSchema;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  params: Param[];
  body: JsonSchema | null; // the JSON body's object schema
  raw: boolean;
  stream: boolean;
}

function operations(doc: JsonSchema): Operation[] {
  const out: Operation[] = [];
  for (const [p, item] of Object.entries<JsonSchema>(doc.paths)) {
    for (const [method, op] of Object.entries<JsonSchema>(item)) {
      const content = op.requestBody?.content ?? {};
      out.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path: p,
        params: op.parameters ?? [],
        body: content["application/json"]?.schema ?? null,
        raw: content["*/*"] !== undefined,
        stream: op["x-encore-stream"] !== undefined,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Valid-looking values (so that one field at a time can be broken) and the malformed ones.

interface Ctx {
  doc: JsonSchema;
  campaignId: string;
}

function deref(s: JsonSchema, ctx: Ctx): JsonSchema {
  for (let i = 0; s?.$ref && i < 20; i++) s = ctx.doc.components.schemas[s.$ref.slice("#/components/schemas/".length)];
  if (s?.allOf) return { ...deref(s.allOf.find((x: JsonSchema) => x.$ref) ?? {}, ctx), ...Object.assign({}, ...s.allOf.filter((x: JsonSchema) => !x.$ref)) };
  return s ?? {};
}

function sample(schema: JsonSchema, name: string, ctx: Ctx, depth = 0): unknown {
  const s = deref(schema, ctx);
  if (depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf) return sample(s.anyOf.find((a: JsonSchema) => deref(a, ctx).type !== "null") ?? s.anyOf[0], name, ctx, depth + 1);
  switch (s.type) {
    case "string": {
      if (s.format === "date-time") return name.toLowerCase().includes("end") ? "2026-02-01T00:00:00Z" : "2026-01-01T00:00:00Z";
      if (s.format === "email") return "someone@fuzz.example";
      if (s.format === "uri") return "https://fuzz.example/x";
      if (/campaign|^id$/i.test(name)) return ctx.campaignId;
      if (/id$/i.test(name)) return "00000000-0000-4000-8000-000000000000";
      const min = s.minLength ?? 0;
      return "fuzz".padEnd(Math.max(min, 4), "z").slice(0, s.maxLength ?? 1000);
    }
    case "integer":
    case "number":
      return s.minimum ?? (s.maximum !== undefined ? Math.min(1, s.maximum) : 1);
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      const n = s.minItems ?? s.minLength ?? 1;
      return Array.from({ length: Math.min(Math.max(n, 1), 3) }, () => sample(s.items ?? {}, name, ctx, depth + 1));
    }
    case "object": {
      const o: Record<string, unknown> = {};
      for (const r of s.required ?? []) o[r] = sample(s.properties?.[r] ?? {}, r, ctx, depth + 1);
      return o;
    }
    default:
      return "fuzz";
  }
}

/** A raw JSON text standing in for a value (JSON.stringify cannot write these). */
class Raw {
  constructor(readonly text: string) {}
}

const DEEP = "[".repeat(5000) + "]".repeat(5000);
const HUGE_STRING = "x".repeat(100_000);

/** Malformed values for a JSON field of this schema. */
function badJsonValues(schema: JsonSchema, ctx: Ctx): unknown[] {
  const s = deref(schema, ctx);
  const common: unknown[] = [null, {}, [1, "two"], true, new Raw(DEEP), new Raw(`{"a":${DEEP}}`), "a\u0000b", "\ud800", HUGE_STRING];
  const type = s.type ?? (s.enum ? typeof s.enum[0] : undefined);
  if (type === "string" || s.format) {
    return [
      ...common,
      12345,
      "",
      "\u0001\u001f\u007f\u202e",
      "not-a-uuid",
      "00000000-0000-0000-0000-00000000000g",
      "2026-13-45T99:99:99Z",
      "0000-00-00",
      "'; DROP TABLE users; --",
      "../../etc/passwd",
      "<img src=x onerror=alert(1)>",
    ];
  }
  if (type === "integer" || type === "number") {
    return [...common, "12", 1.5, -1, 0, 1e308, -1e308, new Raw("99999999999999999999"), new Raw("1e400"), 2 ** 53, "NaN"];
  }
  if (type === "array") return [...common, "not an array", [null], [HUGE_STRING], Array.from({ length: 5000 }, () => "x"), [new Raw(DEEP)]];
  if (type === "object") return [...common, "not an object", { extra: "x", __proto__: { polluted: true } }];
  return common;
}

/** Malformed values for a parameter in the URL (already percent-encoded). */
function badUrlValues(schema: JsonSchema, ctx: Ctx): string[] {
  const s = deref(schema, ctx);
  const common = [
    "",
    "%00",
    "a%00b",
    "%ED%A0%80",
    "%",
    "%zz",
    "not-a-uuid",
    "x".repeat(4000),
    "..%2F..%2Fetc",
    "%E2%80%AE",
    "1.5",
    "99999999999999999999",
    "-1",
  ];
  if (s.type === "integer" || s.type === "number") return [...common, "abc", "1e400", "NaN", "Infinity", "0x10"];
  if (s.format === "date-time") return [...common, "2026-13-45T99:99:99Z", "yesterday"];
  return common;
}

interface Variant {
  what: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? "x");
}

function encodeBody(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `@@raw${raws.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@raw(\d+)@@"/g, (_, i: string) => raws[Number(i)]);
}

function variants(op: Operation, ctx: Ctx): Variant[] {
  const out: Variant[] = [];
  const pathValues: Record<string, string> = {};
  for (const p of op.params.filter((p) => p.in === "path")) pathValues[p.name] = encodeURIComponent(String(sample(p.schema, p.name, ctx)));
  const queryBase = new Map<string, string>();
  for (const p of op.params.filter((p) => p.in === "query" && p.required)) queryBase.set(p.name, encodeURIComponent(String(sample(p.schema, p.name, ctx))));
  const baseBody = op.body ? (sample(op.body, "", ctx) as Record<string, unknown>) : null;
  const json = { "content-type": "application/json" };
  const url = (pv: Record<string, string>, q: Map<string, string>) => {
    const qs = [...q].map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join("&");
    return fill(op.path, pv) + (qs ? `?${qs}` : "");
  };
  const bodyText = baseBody ? encodeBody(baseBody) : undefined;
  const base = (what: string, over: Partial<Variant> = {}): Variant => ({
    what,
    method: op.method,
    url: url(pathValues, queryBase),
    headers: bodyText ? { ...json } : {},
    body: bodyText,
    ...over,
  });

  out.push(base("as documented"));
  for (const p of op.params) {
    if (p.in === "path") {
      for (const v of badUrlValues(p.schema, ctx)) out.push(base(`path ${p.name}=${v.slice(0, 20)}`, { url: url({ ...pathValues, [p.name]: v }, queryBase) }));
    } else if (p.in === "query") {
      for (const v of badUrlValues(p.schema, ctx))
        out.push(base(`query ${p.name}=${v.slice(0, 20)}`, { url: url(pathValues, new Map([...queryBase, [p.name, v]])) }));
      out.push(base(`query ${p.name} twice`, { url: `${url(pathValues, queryBase) + (queryBase.size ? "&" : "?")}${p.name}=1&${p.name}=2` }));
      if (p.required) {
        const q = new Map(queryBase);
        q.delete(p.name);
        out.push(base(`query ${p.name} missing`, { url: url(pathValues, q) }));
      }
    } else if (p.in === "header") {
      for (const v of ["", "x".repeat(8000), "1.5", "not-a-uuid", "\u00e9\u00ff"])
        out.push(base(`header ${p.name}`, { headers: { ...base("").headers, [p.name]: v } }));
    }
  }
  if (baseBody && op.body) {
    const props = deref(op.body, ctx).properties ?? {};
    for (const [name, schema] of Object.entries<JsonSchema>(props)) {
      for (const v of badJsonValues(schema, ctx)) out.push(base(`body ${name}=${describe(v)}`, { body: encodeBody({ ...baseBody, [name]: v }) }));
      if (name in baseBody) {
        const rest = { ...baseBody };
        delete rest[name];
        out.push(base(`body ${name} missing`, { body: encodeBody(rest) }));
      }
    }
    out.push(base("body with extra fields", { body: encodeBody({ ...baseBody, extra: 1, __proto__: { admin: true }, constructor: { prototype: 1 } }) }));
  }
  if (op.method !== "GET" && op.method !== "DELETE") {
    for (const [what, body] of [
      ["body not JSON", "{not json"],
      ["body an array", "[]"],
      ["body null", "null"],
      ["body a string", '"str"'],
      ["body empty object", "{}"],
      ["body deep", DEEP],
      ["body with a NUL key", '{"a\\u0000":1}'],
      ["body of 3 MiB", `{"x":"${"y".repeat(3 * 1024 * 1024)}"}`],
    ] as const) {
      out.push(base(what, { body, headers: { ...json } }));
    }
    if (op.raw) {
      out.push(
        base("raw form body with NUL", {
          body: "From=%2B1555&Body=STOP%00&To=%00",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "AAAA" },
        }),
      );
      out.push(base("raw binary body", { body: Buffer.from([0, 255, 254, 0xed, 0xa0, 0x80]), headers: { "content-type": "application/octet-stream" } }));
    }
  }
  return out;
}

function describe(v: unknown): string {
  if (v instanceof Raw) return v.text.slice(0, 12) + (v.text.length > 12 ? "…" : "");
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 24 ? `${t.slice(0, 24)}…` : t;
}

// ---------------------------------------------------------------------------------------------

interface Outcome {
  op: string;
  what: string;
  who: string;
  status: number;
  body: string;
}

test("every operation answers malformed input with 4xx, never 5xx, and the server keeps answering", async () => {
  const call = caller(app);
  let admin = await signInFirstAdmin(app, ADMIN);
  const campaignId = await createCampaign(call, admin);
  // The document as the runtime serves it, from the ops port.
  const doc = (await (await fetch(`${app.server.opsUrl}/openapi.json`)).json()) as JsonSchema;
  const ctx: Ctx = { doc, campaignId };
  const ops = operations(doc);
  // Ending the admin's sessions would leave the rest unauthenticated: those go last.
  ops.sort((a, b) => Number(/logout|password/.test(a.path)) - Number(/logout|password/.test(b.path)));

  const histogram = new Map<number, number>();
  const fivexx: Outcome[] = [];
  const failures: Outcome[] = [];
  let requests = 0;
  const t0 = performance.now();

  const send = async (op: Operation, v: Variant, who: "admin" | "anonymous") => {
    const headers = { ...v.headers, ...(who === "admin" ? { authorization: `Bearer ${admin}` } : {}) };
    requests++;
    try {
      const res = await fetch(app.server.url + v.url, { method: v.method, headers, body: v.body, redirect: "manual" });
      const text = await res.text();
      histogram.set(res.status, (histogram.get(res.status) ?? 0) + 1);
      if (res.status >= 500) fivexx.push({ op: op.id, what: v.what, who, status: res.status, body: text.slice(0, 200) });
    } catch (err) {
      failures.push({ op: op.id, what: v.what, who, status: 0, body: String((err as Error).cause ?? err) });
    }
  };

  for (const op of ops) {
    const vs = variants(op, ctx).flatMap(
      (v) =>
        [
          [v, "admin"],
          [v, "anonymous"],
        ] as const,
    );
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < vs.length) {
          const [v, who] = vs[next++];
          await send(op, v, who);
        }
      }),
    );
    // Still answering, and still signed in (an operation may have ended the admin's sessions).
    const status = await call("GET", "/api/v1/status");
    if (status.status !== 200)
      failures.push({ op: op.id, what: "server status afterwards", who: "-", status: status.status, body: JSON.stringify(status.json).slice(0, 200) });
    if ((await call("GET", "/api/v1/auth/me", admin)).status === 401) admin = await signInFirstAdmin(app, ADMIN);
  }

  const seconds = (performance.now() - t0) / 1000;
  const hist = [...histogram]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}: ${n}`)
    .join(", ");
  console.log(
    `fuzz: ${ops.length} operations, ${requests} requests in ${seconds.toFixed(1)} s; statuses ${hist}; 5xx: ${fivexx.length}; transport failures: ${failures.filter((f) => f.status === 0).length}`,
  );
  for (const f of [...fivexx, ...failures].slice(0, 40)) console.log(`  ${f.status} ${f.op} [${f.who}] ${f.what}: ${f.body}`);
  expect(fivexx).toEqual([]);
  expect(failures).toEqual([]);
}, 240_000);
