// auth with a JWT_SECRET that is too short: the app starts, says why in its log, and refuses to
// issue tokens (503) rather than sign with a weak key.
import path from "node:path";
import { expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";

const app = useFixture(path.resolve(import.meta.dirname, ".."), { JWT_SECRET: "only-20-bytes-long!!", BCRYPT_COST: "4", WARROOM_CRON: "off" });

test("a JWT_SECRET under 32 bytes: registration and sign-in are 503 unavailable, and the log says why", async () => {
  const res = await fetch(`${app.server.url}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "x@example.org", password: "a-good-password", name: "X" }),
  });
  expect(res.status).toBe(503);
  expect(((await res.json()) as { code: string }).code).toBe("unavailable");
  expect(app.server.logs()).toContain("JWT_SECRET is 20 bytes; it must be at least 32");
  // Nothing was created that could not sign in.
  const login = await fetch(`${app.server.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "x@example.org", password: "a-good-password" }),
  });
  expect(login.status).toBe(503);
});
