// Micro-benchmark of the per-request work in host/server: decode a typical request, encode a
// typical response, route a path. Run: npx tsx host/server/codec.bench.ts (not part of the tests).
import type { FieldMeta, ParamsMeta, Schema } from "../meta.ts";
import { decodeRequest, parseCookies, type RawRequestParts } from "./decode.ts";
import { encodeResponse } from "./encode.ts";
import { Router } from "./router.ts";

const f = (name: string, schema: Schema, extra: Partial<FieldMeta> = {}): FieldMeta => ({ name, schema, optional: false, ...extra });
const str: Schema = { kind: "string" };
const num: Schema = { kind: "number" };
const date: Schema = { kind: "date" };

const types: Record<string, Schema> = {
  Platform: { kind: "union", types: ["twitter", "facebook", "instagram"].map((value) => ({ kind: "literal", value }) as Schema) },
  TargetAudience: {
    kind: "object",
    fields: [f("ageRange", { kind: "object", fields: [f("min", num), f("max", num)] }), f("locations", { kind: "array", elem: str, validate: { minLen: 1 } })],
  },
  Campaign: {
    kind: "object",
    fields: [
      f("id", str),
      f("name", str),
      f("status", {
        kind: "union",
        types: [
          { kind: "literal", value: "active" },
          { kind: "literal", value: "paused" },
        ],
      }),
      f("budget", num),
      f("startDate", date),
      f("endDate", date, { optional: true }),
      f("platforms", { kind: "array", elem: { kind: "ref", name: "Platform" } }),
      f("targetAudience", { kind: "ref", name: "TargetAudience" }),
      f("createdBy", str),
      f("createdAt", date),
      f("updatedAt", date),
    ],
  },
};

// POST /api/v1/campaigns/:id/update — path param, a header, a body of seven fields.
const request: ParamsMeta = {
  fields: [
    f("id", str, { location: "path" }),
    f("requestId", str, { location: "header", wireName: "X-Request-ID", optional: true }),
    f("name", { kind: "string", validate: { minLen: 3, maxLen: 100 } }),
    f("budget", { kind: "number", validate: { minValue: 100 } }),
    f("startDate", date),
    f("endDate", date, { optional: true }),
    f("platforms", { kind: "array", elem: { kind: "ref", name: "Platform" } }),
    f("targetAudience", { kind: "ref", name: "TargetAudience" }),
    f("contactEmail", { kind: "string", validate: { isEmail: true } }, { optional: true }),
  ],
};
const body = {
  name: "Spring turnout push",
  budget: 25000,
  startDate: "2024-05-01T00:00:00Z",
  endDate: "2024-06-01T00:00:00Z",
  platforms: ["twitter", "facebook"],
  targetAudience: { ageRange: { min: 18, max: 35 }, locations: ["Lagos", "Abuja", "Kano"] },
  contactEmail: "press@campaign.example",
};
const headers = { "x-request-id": "req-123", "content-type": "application/json", authorization: "Bearer abc" };

// GET /api/v1/campaigns?status=active&limit=20&platform=twitter&platform=facebook
const listRequest: ParamsMeta = {
  fields: [
    f(
      "status",
      {
        kind: "union",
        types: [
          { kind: "literal", value: "active" },
          { kind: "literal", value: "paused" },
        ],
      },
      { optional: true },
    ),
    f("limit", num, { optional: true }),
    f("offset", num, { optional: true }),
    f("platform", { kind: "array", elem: { kind: "ref", name: "Platform" } }, { optional: true, location: "query" }),
  ],
};

// The response: the campaign plus a header and an HttpStatus, from a handler that returns extra keys.
const response: ParamsMeta = {
  fields: [
    f("campaign", { kind: "ref", name: "Campaign" }),
    f("requestId", str, { location: "header", wireName: "X-Request-ID" }),
    f("status", num, { httpStatus: true }),
  ],
};
const campaign = {
  id: "5b0c9f5e-8f4e-4c57-9d2a-3c1f0b7e2a11",
  name: "Spring turnout push",
  status: "active",
  budget: 25000,
  startDate: new Date("2024-05-01T00:00:00Z"),
  endDate: new Date("2024-06-01T00:00:00Z"),
  platforms: ["twitter", "facebook"],
  targetAudience: { ageRange: { min: 18, max: 35 }, locations: ["Lagos", "Abuja", "Kano"] },
  createdBy: "a1d2c3e4-0000-4000-8000-000000000001",
  createdAt: new Date("2024-04-20T09:15:00Z"),
  updatedAt: new Date("2024-04-21T10:00:00Z"),
  internalNotes: "dropped",
};
const handlerResult = { campaign, requestId: "req-123", status: 201, debug: { dropped: true } };

function bench(name: string, fn: () => unknown): void {
  for (let i = 0; i < 20_000; i++) fn(); // warm up the JIT
  const budgetMs = 1000;
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    elapsed = performance.now() - start;
  }
  const opsPerSec = (n / elapsed) * 1000;
  console.log(`${name.padEnd(66)} ${Math.round(opsPerSec).toLocaleString("en-US").padStart(12)} ops/s  ${((elapsed / n) * 1000).toFixed(2).padStart(7)} µs/op`);
}

const router = new Router<string>();
for (const svc of ["auth", "users", "campaigns", "monitoring", "intelligence", "alerting", "integrations", "analytics", "compliance"]) {
  router.add(["GET", "POST"], `/api/v1/${svc}`, svc);
  router.add(["GET", "PUT", "DELETE"], `/api/v1/${svc}/:id`, svc);
  router.add(["GET"], `/api/v1/${svc}/:id/history`, svc);
  router.add(["GET"], `/api/v1/${svc}/summary`, svc);
}

const bodyText = JSON.stringify(body);
const parsedBody = JSON.parse(bodyText);
const postParts: RawRequestParts = { method: "POST", pathParams: { id: "5b0c9f5e" }, query: new URLSearchParams(), headers, cookies: {}, body: parsedBody };
const listParts = (): RawRequestParts => ({
  method: "GET",
  pathParams: {},
  query: new URLSearchParams("status=active&limit=20&platform=twitter&platform=facebook"),
  headers,
  cookies: {},
  body: undefined,
});

console.log(`node ${process.version}`);
bench("decodeRequest POST (path + header + 7 body fields, 2 Dates)", () => decodeRequest(request, postParts, types));
bench("  baseline: JSON.parse of that body alone", () => JSON.parse(bodyText));
bench("decodeRequest GET (4 query fields incl. repeated, + URLSearchParams)", () => decodeRequest(listRequest, listParts(), types));
bench("encodeResponse (campaign, 11 fields, 3 Dates, header, status)", () => encodeResponse(response, handlerResult, types));
bench("  baseline: JSON.stringify of the same object", () => JSON.stringify(handlerResult));
bench("router.find GET /api/v1/campaigns/:id", () => router.find("GET", "/api/v1/campaigns/5b0c9f5e-8f4e"));
bench("router.find GET /api/v1/campaigns/summary (static)", () => router.find("GET", "/api/v1/campaigns/summary"));
bench("parseCookies (3 cookies)", () => parseCookies("sid=abc123; theme=dark; lang=en-GB"));
