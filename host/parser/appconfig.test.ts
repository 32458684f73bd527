import { describe, expect, test } from "vitest";
import { corsFrom } from "./appconfig.ts";

describe("global_cors", () => {
  test("missing: any origin without credentials, nothing else", () => {
    expect(corsFrom(undefined)).toEqual({
      allowOriginsWithoutCredentials: ["*"],
      allowOriginsWithCredentials: [],
      allowHeaders: [],
      exposeHeaders: [],
    });
  });

  test("given: each list as written, debug when set", () => {
    expect(
      corsFrom({
        allow_origins_without_credentials: ["https://a.example"],
        allow_origins_with_credentials: ["https://b.example"],
        allow_headers: ["Authorization"],
        expose_headers: ["X-Request-ID"],
        debug: true,
      }),
    ).toEqual({
      allowOriginsWithoutCredentials: ["https://a.example"],
      allowOriginsWithCredentials: ["https://b.example"],
      allowHeaders: ["Authorization"],
      exposeHeaders: ["X-Request-ID"],
      debug: true,
    });
  });
});
