import { describe, expect, test } from "vitest";
// The SDK's error class itself (its module has no imports, so this loads no runtime).
import { APIError, ErrCode } from "../../node_modules/encore.dev/dist/api/error.js";
import {
  DB_RETRY_AFTER_SECONDS,
  DB_UNAVAILABLE_MESSAGE,
  ERR_STATUS,
  HttpError,
  invalidArgument,
  notFound,
  retryAfterHeader,
  statusForCode,
  toErrorBody,
  unauthenticated,
} from "./errors.ts";
import { SqlError, unavailableError } from "../db/sqlerror.ts";
import { errorParts } from "../runtime/dispatch.ts";
import { ValidationError } from "./decode.ts";

describe("statusForCode", () => {
  test.each([
    ["ok", 200],
    ["canceled", 499],
    ["unknown", 500],
    ["invalid_argument", 400],
    ["deadline_exceeded", 504],
    ["not_found", 404],
    ["already_exists", 409],
    ["permission_denied", 403],
    ["resource_exhausted", 429],
    ["failed_precondition", 400],
    ["aborted", 409],
    ["out_of_range", 400],
    ["unimplemented", 501],
    ["internal", 500],
    ["unavailable", 503],
    ["data_loss", 500],
    ["unauthenticated", 401],
  ])("%s maps to %i as in Encore", (code, status) => {
    expect(statusForCode(code)).toBe(status);
    expect(ERR_STATUS[code]).toBe(status);
  });

  test("an unknown code maps to 500", () => {
    expect(statusForCode("teapot")).toBe(500);
    expect(statusForCode("constructor")).toBe(500);
  });

  test("every SDK error code is mapped", () => {
    for (const code of Object.values(ErrCode)) expect(Object.hasOwn(ERR_STATUS, code)).toBe(true);
  });
});

describe("toErrorBody", () => {
  test("an SDK APIError keeps its code, message and details", () => {
    const err = APIError.notFound("campaign not found").withDetails({ campaignId: "c1" });
    expect(toErrorBody(err)).toEqual({
      status: 404,
      body: { code: "not_found", message: "campaign not found", details: { campaignId: "c1" } },
      internal: false,
    });
  });

  test("details are null when absent", () => {
    expect(toErrorBody(APIError.permissionDenied("no")).body).toEqual({ code: "permission_denied", message: "no", details: null });
  });

  test("a duck-typed error (the runtime's ApiCallError shape) works", () => {
    const err = Object.assign(new Error("slow down"), { code: "resource_exhausted", details: { retryAfter: 3 } });
    expect(toErrorBody(err)).toMatchObject({ status: 429, body: { code: "resource_exhausted", message: "slow down", details: { retryAfter: 3 } } });
  });

  test("a plain Error becomes internal with the message hidden and kept for the log", () => {
    const out = toErrorBody(new Error("connection to 10.0.0.5 refused"));
    expect(out.status).toBe(500);
    expect(out.body).toEqual({ code: "internal", message: "an internal error occurred", details: null });
    expect(out.internal).toBe(true);
    expect(out.logMessage).toContain("connection to 10.0.0.5 refused");
    expect(JSON.stringify(out.body)).not.toContain("10.0.0.5");
  });

  test("APIError.internal hides its message too", () => {
    const out = toErrorBody(APIError.internal("SELECT failed: relation users"));
    expect(out.body.message).toBe("an internal error occurred");
    expect(out.internal).toBe(true);
    expect(out.logMessage).toContain("SELECT failed");
  });

  test("a driver error with a non-Encore code (Postgres 23505, ECONNRESET) is internal", () => {
    expect(toErrorBody(Object.assign(new Error("duplicate key"), { code: "23505" })).body.code).toBe("internal");
    expect(toErrorBody(Object.assign(new Error("reset"), { code: "ECONNRESET" })).body.code).toBe("internal");
  });

  test("the code ok is not an error code and becomes internal", () => {
    expect(toErrorBody({ code: "ok", message: "fine" }).body.code).toBe("internal");
  });

  test("thrown non-errors become internal", () => {
    for (const thrown of ["boom", 42, null, undefined]) {
      const out = toErrorBody(thrown);
      expect(out.body).toEqual({ code: "internal", message: "an internal error occurred", details: null });
      expect(out.logMessage).toContain(String(thrown));
    }
  });

  test("the cause chain goes to the log, never to the client", () => {
    const err = new Error("query failed", { cause: new Error("password authentication failed for user app") });
    const out = toErrorBody(err);
    expect(out.logMessage).toContain("password authentication failed");
    expect(JSON.stringify(out.body)).not.toContain("password");
    const apiErr = APIError.invalidArgument("bad input", new Error("SQL detail"));
    expect(toErrorBody(apiErr).body.message).toBe("bad input");
  });

  test("stack traces never reach the body", () => {
    const out = toErrorBody(APIError.invalidArgument("bad"));
    expect(Object.keys(out.body)).toEqual(["code", "message", "details"]);
    expect(JSON.stringify(out.body)).not.toMatch(/at .*\.ts/);
  });

  test("details become plain JSON: Dates as strings, BigInts as strings, unserialisable dropped", () => {
    const when = new Date("2024-05-01T00:00:00Z");
    expect(toErrorBody(Object.assign(new Error("x"), { code: "aborted", details: { when, n: 5n } })).body.details).toEqual({
      when: "2024-05-01T00:00:00.000Z",
      n: "5",
    });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(toErrorBody(Object.assign(new Error("x"), { code: "aborted", details: circular })).body.details).toBeNull();
  });

  test("an empty message falls back to the code", () => {
    expect(toErrorBody({ code: "unavailable", message: "" }).body.message).toBe("unavailable");
  });

  test("HttpError helpers carry their code and status, and may override the status", () => {
    expect(toErrorBody(notFound("endpoint not found"))).toMatchObject({ status: 404, body: { code: "not_found", message: "endpoint not found" } });
    expect(toErrorBody(unauthenticated("no token")).status).toBe(401);
    expect(toErrorBody(invalidArgument("bad", { field: "x" })).body.details).toEqual({ field: "x" });
    expect(toErrorBody(new HttpError("invalid_argument", "too large", undefined, 413)).status).toBe(413);
  });

  test("a ValidationError from decoding is a 400 invalid_argument naming the field", () => {
    const out = toErrorBody(new ValidationError('missing required field "name"', "name"));
    expect(out).toMatchObject({ status: 400, body: { code: "invalid_argument", message: 'missing required field "name"', details: null } });
  });
});

describe("a database that cannot be reached", () => {
  const down = () => unavailableError("error connecting to server: connect ECONNREFUSED 127.0.0.1:5432");

  test("is 503 unavailable with a retry hint, not 500, also when wrapped as an internal error", () => {
    for (const err of [down(), APIError.internal("could not load the campaign", down()), new Error("outer", { cause: down() })]) {
      const out = toErrorBody(err);
      expect(out.status).toBe(503);
      expect(out.body).toEqual({ code: "unavailable", message: DB_UNAVAILABLE_MESSAGE, details: { retryAfterSeconds: DB_RETRY_AFTER_SECONDS } });
      expect(out.body.message).not.toContain("5432"); // the cause stays in the log
      expect(out.logMessage).toContain("ECONNREFUSED");
      expect(errorParts(err)).toMatchObject({ code: "unavailable", internal: false, details: { retryAfterSeconds: DB_RETRY_AFTER_SECONDS } });
    }
    expect(retryAfterHeader(toErrorBody(down()).body)).toEqual({ "retry-after": String(DB_RETRY_AFTER_SECONDS) });
  });

  test("a failing query (not a connection problem) stays a 500", () => {
    const syntax = new SqlError("db error: ERROR: syntax error (SQLSTATE 42601)");
    expect(toErrorBody(syntax).status).toBe(500);
    expect(errorParts(syntax).code).toBe("internal");
    expect(retryAfterHeader(toErrorBody(syntax).body)).toEqual({});
  });
});
