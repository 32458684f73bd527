// Self-registration is limited per client address (REGISTRATIONS_PER_ADDRESS_PER_HOUR, lowered to 3
// here), over HTTP against the started app. The limit's windows are clock hours, so the app's clock
// starts half way through the current hour (host/testing/clock.ts): the attempts of a test can never
// straddle a window's end, whenever the suite runs. The window passing is tested with a controlled
// clock in auth/flows/throttle.test.ts.
import path from "node:path";
import { expect, test } from "vitest";
import { clockStartingAt } from "../host/testing/clock.ts";
import { useFixture } from "../host/testing/use-fixture.ts";
import { appEnv, type Reply, reply } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@register-limit.example", password: "chief-password-1" };
const HOUR = 3_600_000;
const halfPast = new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR / 2);
const app = useFixture(ROOT, {
  // The test plays clients at several addresses, as a trusted proxy in front would forward them.
  ...appEnv("register-limit-secret-0123456789abcdefghij", ADMIN, {
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: "3",
    WARROOM_TRUSTED_PROXIES: "127.0.0.1/32,::1/128,10.0.0.0/8",
  }),
  ...clockStartingAt(halfPast),
});

let n = 0;
const email = () => `reg-${++n}-${Date.now()}@example.org`;

async function register(body: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${app.server.url}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return reply(res.status, text ? JSON.parse(text) : null, res.headers);
}

test("past 3 attempts from one address (failures included) registration is 429 with a retry hint; other addresses go on", async () => {
  const fromA = { "x-real-ip": "203.0.113.50", "x-forwarded-for": "203.0.113.50" };
  const taken = email();
  expect((await register({ email: taken, password: "a-good-password", name: "One" }, fromA)).status).toBe(200);
  // A failed registration counts as much as a successful one: the email taken, a weak password.
  expect((await register({ email: taken, password: "a-good-password", name: "Two" }, fromA)).status).toBe(409);
  expect((await register({ email: email(), password: "é".repeat(40), name: "Three" }, fromA)).status).toBe(400);

  const refused = await register({ email: email(), password: "a-good-password", name: "Four" }, fromA);
  expect(refused.status).toBe(429);
  expect(refused.json).toMatchObject({ code: "resource_exhausted", details: { retryAfterSeconds: expect.any(Number) } });
  // The window ends on the hour of the app's clock, which started at half past (less the minutes
  // the app took to start and the test has run).
  expect(refused.json.details.retryAfterSeconds).toBeLessThanOrEqual(1800);
  expect(refused.json.details.retryAfterSeconds).toBeGreaterThan(1200);
  // The same address (as X-Forwarded-For alone) is the same budget.
  expect((await register({ email: email(), password: "a-good-password", name: "Five" }, { "x-forwarded-for": "203.0.113.50" })).status).toBe(429);

  const other = await register(
    { email: email(), password: "a-good-password", name: "Elsewhere" },
    { "x-real-ip": "198.51.100.60", "x-forwarded-for": "198.51.100.60" },
  );
  expect(other.status).toBe(200);
  expect(other.json.user.role).toBe("viewer");
});

test("a request without forwarding headers is limited by its peer address (the runtime always gives one)", async () => {
  for (let i = 0; i < 3; i++) {
    expect((await register({ email: email(), password: "a-good-password", name: `Direct ${i}` })).status).toBe(200);
  }
  expect((await register({ email: email(), password: "a-good-password", name: "Direct 4" })).status).toBe(429);
});
