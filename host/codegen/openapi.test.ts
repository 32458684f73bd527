import { describe, expect, test } from "vitest";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { parseApp } from "../parser/index.ts";
import { appMeta } from "../testing/meta.ts";
import { openapiDocument, toJsonSchema } from "./openapi.ts";

const FIXTURE = path.resolve(import.meta.dirname, "../testdata/app");
const ROOT = path.resolve(import.meta.dirname, "../..");

async function validate(doc: object) {
  return new Validator().validate(doc as never);
}

describe("the OpenAPI document", () => {
  const { meta } = parseApp(FIXTURE);
  const doc = openapiDocument(meta) as any;

  test("is a valid OpenAPI 3.1 document, for the fixture app and for War Room itself", async () => {
    expect(await validate(doc)).toEqual({ valid: true });
    expect(await validate(openapiDocument(appMeta(ROOT)))).toEqual({ valid: true });
  });

  test("lists exposed endpoints only, with path parameters in OpenAPI syntax", () => {
    expect(doc.paths["/echo/fields/{id}/{count}"].post.operationId).toBe("echo.fields");
    expect(doc.paths["/echo/hidden"]).toBeUndefined();
    const params = doc.paths["/echo/fields/{id}/{count}"].post.parameters;
    expect(params).toContainEqual({ name: "count", in: "path", required: true, schema: { type: "number" } });
    expect(params).toContainEqual({ name: "X-Request-Id", in: "header", required: false, schema: { type: "string" } });
    expect(params).toContainEqual(expect.objectContaining({ name: "session", in: "cookie" }));
  });

  test("validation rules become JSON Schema keywords; GET fields are query parameters", () => {
    const body = doc.paths["/echo/fields/{id}/{count}"].post.requestBody.content["application/json"].schema;
    expect(body.properties.name).toEqual({ type: "string", minLength: 3, maxLength: 10 });
    expect(body.properties.email).toEqual({ type: "string", format: "email" });
    expect(body.properties.when).toEqual({ type: "string", format: "date-time" });
    expect(body.required).toEqual(expect.arrayContaining(["name", "email", "when", "tags", "level", "nested"]));
    expect(doc.paths["/echo/search"].get.parameters).toContainEqual({ name: "page", in: "query", required: true, schema: { type: "number" } });
    expect(doc.paths["/echo/search"].get.requestBody).toBeUndefined();
    expect(toJsonSchema({ kind: "string", validate: { startsWith: "a.b", endsWith: "!" } })).toEqual({
      type: "string",
      allOf: [{ pattern: "^a\\.b" }, { pattern: "!$" }],
    });
    expect(toJsonSchema({ kind: "number", integer: true, validate: { minValue: 1, maxValue: 100 } })).toEqual({ type: "integer", minimum: 1, maximum: 100 });
  });

  test("auth is a bearer scheme, errors are Encore's body, response headers are headers", () => {
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc.paths["/echo/whoami"].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/echo/maybe"].get.security).toBeUndefined();
    expect(doc.paths["/echo/whoami"].get.responses.default).toEqual({ $ref: "#/components/responses/APIError" });
    const created = doc.paths["/echo/created"].post.responses["200"];
    expect(Object.keys(created.headers)).toEqual(["Location"]);
    expect(Object.keys(created.content["application/json"].schema.properties)).toEqual(["id", "createdAt"]);
  });

  test("streams are described as WebSocket upgrades with their message schemas", () => {
    const op = doc.paths["/echo/count/{to}"].get;
    expect(op.responses["101"]).toBeDefined();
    expect(op["x-encore-stream"].direction).toBe("out");
    expect(op["x-encore-stream"].serverMessage).toBeDefined();
  });
});
