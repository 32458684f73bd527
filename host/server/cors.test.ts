import { describe, expect, test } from "vitest";
import type { CorsConfig, ServiceMeta } from "../meta.ts";
import { corsHeaders, UNSAFE_ALL_ORIGINS_WITH_CREDENTIALS, withAppHeaders } from "./cors.ts";

// This app's encore.app global_cors.
const cfg: CorsConfig = {
  allowOriginsWithoutCredentials: ["*"],
  allowOriginsWithCredentials: ["http://localhost:3000", "https://*.warroom.app"],
  allowHeaders: ["X-Campaign-ID"],
  exposeHeaders: ["X-Total-Count"],
};

describe("simple (non-preflight) requests", () => {
  test("without credentials any origin is allowed by default, mirrored back", () => {
    const { preflight, headers } = corsHeaders(cfg, { method: "GET", origin: "https://evil.example", hasCredentials: false });
    expect(preflight).toBe(false);
    expect(headers["access-control-allow-origin"]).toBe("https://evil.example");
    expect(headers["access-control-expose-headers"]).toBe("x-request-id, x-correlation-id, x-encore-trace-id, x-total-count");
    expect(headers.vary).toMatch(/^Origin/);
    expect(headers).not.toHaveProperty("access-control-allow-methods");
  });

  test("with credentials only the listed origins are allowed", () => {
    expect(corsHeaders(cfg, { method: "POST", origin: "http://localhost:3000", hasCredentials: true }).headers).toMatchObject({
      "access-control-allow-origin": "http://localhost:3000",
      "access-control-allow-credentials": "true",
    });
    const denied = corsHeaders(cfg, { method: "POST", origin: "https://evil.example", hasCredentials: true }).headers;
    expect(denied).not.toHaveProperty("access-control-allow-origin");
    expect(denied).not.toHaveProperty("access-control-allow-credentials");
    expect(denied.vary).toBeDefined();
  });

  test("wildcard origins need at least one character in place of the star and the same scheme", () => {
    const allowed = (origin: string) => corsHeaders(cfg, { method: "GET", origin, hasCredentials: true }).headers["access-control-allow-origin"] === origin;
    expect(allowed("https://app.warroom.app")).toBe(true);
    expect(allowed("https://staging.eu.warroom.app")).toBe(true);
    expect(allowed("https://.warroom.app")).toBe(false);
    expect(allowed("http://app.warroom.app")).toBe(false);
    expect(allowed("https://warroom.app")).toBe(false);
    expect(allowed("https://app.warroom.app.evil.com")).toBe(false);
  });

  test("origins compare case-insensitively", () => {
    expect(corsHeaders(cfg, { method: "GET", origin: "HTTP://LOCALHOST:3000", hasCredentials: true }).headers["access-control-allow-origin"]).toBe(
      "HTTP://LOCALHOST:3000",
    );
  });

  test("a restricted no-credentials list refuses other origins", () => {
    const strict = { ...cfg, allowOriginsWithoutCredentials: ["https://warroom.app"] };
    expect(corsHeaders(strict, { method: "GET", origin: "https://warroom.app", hasCredentials: false }).headers["access-control-allow-origin"]).toBe(
      "https://warroom.app",
    );
    expect(corsHeaders(strict, { method: "GET", origin: "https://other.app", hasCredentials: false }).headers).not.toHaveProperty(
      "access-control-allow-origin",
    );
  });

  test("an empty credentials list allows no credentialed origin", () => {
    const none = { ...cfg, allowOriginsWithCredentials: [] };
    expect(corsHeaders(none, { method: "GET", origin: "http://localhost:3000", hasCredentials: true }).headers).not.toHaveProperty(
      "access-control-allow-origin",
    );
  });

  test("Encore's unsafe token (and *) allow every origin with credentials", () => {
    for (const token of [UNSAFE_ALL_ORIGINS_WITH_CREDENTIALS, "*"]) {
      const open = { ...cfg, allowOriginsWithCredentials: [token] };
      expect(corsHeaders(open, { method: "GET", origin: "https://anything.example", hasCredentials: true }).headers["access-control-allow-origin"]).toBe(
        "https://anything.example",
      );
    }
  });

  test("a request without Origin gets only Vary", () => {
    expect(corsHeaders(cfg, { method: "GET", hasCredentials: true }).headers).toEqual({
      vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    });
  });
});

describe("preflight requests", () => {
  test("every OPTIONS request is a preflight answered with the allowed method, headers and max age", () => {
    const { preflight, headers } = corsHeaders(cfg, {
      method: "OPTIONS",
      origin: "https://app.warroom.app",
      requestMethod: "PUT",
      requestHeaders: "content-type, x-campaign-id",
      hasCredentials: false,
    });
    expect(preflight).toBe(true);
    expect(headers["access-control-allow-origin"]).toBe("https://app.warroom.app");
    expect(headers["access-control-allow-methods"]).toBe("PUT");
    expect(headers["access-control-allow-headers"]).toBe(
      "accept, authorization, content-type, origin, user-agent, x-correlation-id, x-request-id, x-requested-with, x-campaign-id",
    );
    expect(headers["access-control-max-age"]).toBe("7200");
    expect(headers).not.toHaveProperty("access-control-expose-headers");
  });

  test("a preflight asking to send Authorization is judged by the credentials list", () => {
    const ask = (origin: string) =>
      corsHeaders(cfg, { method: "OPTIONS", origin, requestMethod: "GET", requestHeaders: "Content-Type, Authorization", hasCredentials: false }).headers;
    expect(ask("http://localhost:3000")["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(ask("https://evil.example")).not.toHaveProperty("access-control-allow-origin");
  });

  test("a preflight asking for cookies counts as credentialed", () => {
    const h = corsHeaders(cfg, {
      method: "OPTIONS",
      origin: "https://evil.example",
      requestMethod: "GET",
      requestHeaders: "cookie",
      hasCredentials: false,
    }).headers;
    expect(h).not.toHaveProperty("access-control-allow-origin");
  });

  test('"*" in allowed headers mirrors the requested headers', () => {
    const any = { ...cfg, allowHeaders: ["*"] };
    const h = corsHeaders(any, {
      method: "OPTIONS",
      origin: "https://x.example",
      requestMethod: "POST",
      requestHeaders: "x-anything, x-else",
      hasCredentials: false,
    }).headers;
    expect(h["access-control-allow-headers"]).toBe("x-anything, x-else");
  });

  test("max age is configurable", () => {
    const h = corsHeaders(cfg, { method: "OPTIONS", origin: "https://x.example", requestMethod: "GET", hasCredentials: false }, { maxAgeSeconds: 600 }).headers;
    expect(h["access-control-max-age"]).toBe("600");
  });

  test("private network preflights are answered when asked", () => {
    const req = { method: "OPTIONS", origin: "https://x.example", requestMethod: "GET", hasCredentials: false, requestPrivateNetwork: true };
    expect(corsHeaders(cfg, req).headers["access-control-allow-private-network"]).toBe("true");
    expect(corsHeaders(cfg, req, { allowPrivateNetwork: false }).headers).not.toHaveProperty("access-control-allow-private-network");
    expect(corsHeaders(cfg, { ...req, requestPrivateNetwork: false }).headers).not.toHaveProperty("access-control-allow-private-network");
  });

  test("a disallowed preflight is still a preflight, without allow headers", () => {
    const strict = { ...cfg, allowOriginsWithoutCredentials: [] };
    const out = corsHeaders(strict, { method: "OPTIONS", origin: "https://x.example", requestMethod: "GET", hasCredentials: false });
    expect(out.preflight).toBe(true);
    expect(Object.keys(out.headers)).toEqual(["vary"]);
  });
});

describe("withAppHeaders", () => {
  test("adds the header fields of exposed endpoints and the auth handler, as Encore does", () => {
    const services = [
      {
        name: "campaigns",
        endpoints: [
          {
            expose: true,
            request: { fields: [{ name: "idem", optional: true, schema: { kind: "string" }, location: "header", wireName: "Idempotency-Key" }] },
            response: { fields: [{ name: "total", optional: false, schema: { kind: "number" }, location: "header", wireName: "X-Page-Total" }] },
          },
          {
            expose: false,
            request: { fields: [{ name: "secret", optional: false, schema: { kind: "string" }, location: "header", wireName: "X-Internal" }] },
            response: null,
          },
        ],
      },
    ] as unknown as ServiceMeta[];
    const authHandler = {
      params: { fields: [{ name: "authorization", optional: false, schema: { kind: "string" }, location: "header", wireName: "X-Api-Key" }] },
    };
    const merged = withAppHeaders(cfg, { services, authHandler } as never);
    expect(merged.allowHeaders).toEqual(["X-Campaign-ID", "Idempotency-Key", "X-Api-Key"]);
    expect(merged.exposeHeaders).toEqual(["X-Total-Count", "X-Page-Total"]);
    const h = corsHeaders(merged, { method: "OPTIONS", origin: "https://x.example", requestMethod: "POST", hasCredentials: false }).headers;
    expect(h["access-control-allow-headers"]).toContain("idempotency-key");
  });
});
