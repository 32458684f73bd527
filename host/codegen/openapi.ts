// The OpenAPI 3.1 document of an app's exposed endpoints, from the parser's metadata: the same
// facts the server decodes and validates by, so the document cannot drift from the server.
import type { AppMeta, EndpointMeta, FieldMeta, ParamsMeta, Schema, Validation } from "../meta.ts";
import { ERROR_CODES } from "../server/errors.ts";

type JsonSchema = Record<string, unknown>;

const NO_BODY = new Set(["GET", "HEAD", "DELETE"]);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Validation rules as JSON Schema keywords. */
function validationKeywords(v: Validation | undefined, kind: "string" | "number" | "array" | "other"): JsonSchema {
  if (!v) return {};
  const out: JsonSchema = {};
  if (kind === "string") {
    if (v.minLen !== undefined) out.minLength = v.minLen;
    if (v.maxLen !== undefined) out.maxLength = v.maxLen;
    if (v.isEmail) out.format = "email";
    if (v.isURL) out.format = "uri";
    const patterns: string[] = [];
    if (v.matchesRegexp !== undefined) patterns.push(v.matchesRegexp);
    if (v.startsWith !== undefined) patterns.push(`^${escapeRegExp(v.startsWith)}`);
    if (v.endsWith !== undefined) patterns.push(`${escapeRegExp(v.endsWith)}$`);
    if (patterns.length === 1) out.pattern = patterns[0];
    if (patterns.length > 1) out.allOf = patterns.map((pattern) => ({ pattern }));
  } else if (kind === "array") {
    if (v.minLen !== undefined) out.minItems = v.minLen;
    if (v.maxLen !== undefined) out.maxItems = v.maxLen;
  }
  if (v.minValue !== undefined) out.minimum = v.minValue;
  if (v.maxValue !== undefined) out.maximum = v.maxValue;
  return out;
}

export function schemaRef(name: string): string {
  return `#/components/schemas/${encodeURIComponent(name).replace(/%/g, "_")}`;
}

/** A metadata Schema as JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export function toJsonSchema(s: Schema): JsonSchema {
  switch (s.kind) {
    case "string":
      return { type: "string", ...validationKeywords(s.validate, "string") };
    case "number":
      return { type: s.integer ? "integer" : "number", ...validationKeywords(s.validate, "number") };
    case "boolean":
      return { type: "boolean" };
    case "date":
      return { type: "string", format: "date-time" };
    case "decimal":
      return { type: "string", format: "decimal", pattern: "^-?\\d+(\\.\\d+)?$" };
    case "bigint":
      return { type: "string", format: "int64", pattern: "^-?\\d+$" };
    case "any":
      return {};
    case "null":
      return { type: "null" };
    case "literal":
      return { const: s.value };
    case "union": {
      if (s.types.every((t) => t.kind === "literal")) return { enum: s.types.map((t) => (t as { value: unknown }).value) };
      return { anyOf: s.types.map(toJsonSchema) };
    }
    case "array":
      return { type: "array", items: toJsonSchema(s.elem), ...validationKeywords(s.validate, "array") };
    case "object":
      return objectSchema(s.fields);
    case "record":
      return { type: "object", additionalProperties: toJsonSchema(s.value) };
    case "ref": {
      const ref = { $ref: schemaRef(s.name) };
      const extra = validationKeywords(s.validate, "other");
      return Object.keys(extra).length ? { allOf: [ref, extra] } : ref;
    }
  }
}

function objectSchema(fields: FieldMeta[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const f of fields) {
    properties[f.name] = f.doc ? { ...toJsonSchema(f.schema), description: f.doc } : toJsonSchema(f.schema);
    if (!f.optional) required.push(f.name);
  }
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

function openapiPath(ep: EndpointMeta): string {
  return (
    ep.segments
      .map((seg) => (seg.type === "literal" ? seg.value : `{${seg.value}}`))
      .map((p) => `/${p}`)
      .join("") || "/"
  );
}

/** Where a field travels for a given method ("default" resolved as the server resolves it). */
function locationOf(f: FieldMeta, method: string): "path" | "query" | "header" | "cookie" | "body" {
  const loc = f.location ?? "default";
  if (loc === "default") return NO_BODY.has(method) ? "query" : "body";
  return loc;
}

function operation(ep: EndpointMeta, method: string): JsonSchema {
  const op: JsonSchema = {
    operationId: `${ep.service}.${ep.name}`,
    tags: [ep.service],
    ...(ep.doc ? { summary: ep.doc.split("\n")[0], description: ep.doc } : {}),
  };
  const params = ep.streamingRequest || ep.streamingResponse ? (ep.handshake ?? null) : ep.request;
  const parameters: JsonSchema[] = [];
  const bodyFields: FieldMeta[] = [];
  for (const f of params?.fields ?? []) {
    const loc = locationOf(f, method);
    if (loc === "body") bodyFields.push(f);
    else
      parameters.push({
        name: loc === "path" ? f.name : (f.wireName ?? f.name),
        in: loc,
        required: loc === "path" || !f.optional,
        schema: toJsonSchema(f.schema),
      });
  }
  for (const seg of ep.segments) {
    if ((seg.type === "wildcard" || seg.type === "fallback") && !parameters.some((p) => p.name === seg.value)) {
      parameters.push({ name: seg.value, in: "path", required: true, schema: { type: "string" } });
    }
  }
  if (parameters.length) op.parameters = parameters;
  if (ep.raw) {
    op.requestBody = { content: { "*/*": { schema: {} } } };
  } else if (bodyFields.length) {
    op.requestBody = { required: bodyFields.some((f) => !f.optional), content: { "application/json": { schema: objectSchema(bodyFields) } } };
  }
  op.responses = { ...successResponse(ep), default: { $ref: "#/components/responses/APIError" } };
  if (ep.auth) op.security = [{ bearerAuth: [] }];
  if (ep.streamingRequest || ep.streamingResponse) {
    op["x-encore-stream"] = {
      protocol: "websocket (subprotocol encore-ws), one JSON object per message",
      direction: ep.streamingRequest && ep.streamingResponse ? "in-out" : ep.streamingRequest ? "in" : "out",
      ...(ep.streamIn ? { clientMessage: toJsonSchema(ep.streamIn) } : {}),
      ...(ep.streamOut ? { serverMessage: toJsonSchema(ep.streamOut) } : {}),
    };
  }
  return op;
}

function successResponse(ep: EndpointMeta): JsonSchema {
  if (ep.streamingRequest || ep.streamingResponse) return { "101": { description: "switching to a WebSocket stream" } };
  if (ep.raw) return { "200": { description: "the endpoint's own response" } };
  const resp: ParamsMeta | null = ep.response;
  if (!resp) return { "200": { description: "success (no body)" } };
  const headers: Record<string, JsonSchema> = {};
  const body: FieldMeta[] = [];
  for (const f of resp.fields) {
    if (f.httpStatus) continue;
    if (f.location === "header") headers[f.wireName ?? f.name] = { schema: toJsonSchema(f.schema) };
    else body.push(f);
  }
  return {
    "200": {
      description: resp.typeName ?? "success",
      ...(Object.keys(headers).length ? { headers } : {}),
      content: { "application/json": { schema: objectSchema(body) } },
    },
  };
}

/** The document for every exposed endpoint of the app. */
export function openapiDocument(meta: AppMeta, opts: { title?: string; version?: string; serverUrl?: string } = {}): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const svc of meta.services) {
    for (const ep of svc.endpoints) {
      if (!ep.expose) continue;
      const p = openapiPath(ep);
      const methods = ep.streamingRequest || ep.streamingResponse ? ["GET"] : ep.methods[0] === "*" ? ["GET", "POST", "PUT", "PATCH", "DELETE"] : ep.methods;
      for (const m of methods) (paths[p] ??= {})[m.toLowerCase()] = operation(ep, m);
    }
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, s] of Object.entries(meta.types)) schemas[schemaRef(name).slice("#/components/schemas/".length)] = toJsonSchema(s);
  schemas.APIError = {
    type: "object",
    description: "Encore's error body",
    properties: {
      code: {
        enum: [...ERROR_CODES],
      },
      message: { type: "string" },
      details: {},
    },
    required: ["code", "message"],
  };
  return {
    openapi: "3.1.0",
    info: { title: opts.title ?? `${meta.appId} API`, version: opts.version ?? "1.0.0" },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    paths,
    components: {
      schemas,
      responses: {
        APIError: { description: "an error, in Encore's format", content: { "application/json": { schema: { $ref: "#/components/schemas/APIError" } } } },
      },
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
    tags: meta.services.map((s) => ({ name: s.name })),
  };
}
