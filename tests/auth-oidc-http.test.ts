// Single sign-on over real HTTP, the app started as `npm start` starts it, against the fake OpenID
// Connect provider: the browser's path (start → provider → our callback → the frontend with a
// one-time code → POST exchange → War Room's tokens), with OIDC_FRONTEND_URL set, so the callback
// redirects (errors too); tokens never appear in a URL.
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";
import { startFakeOidc, type FakeOidc } from "./fakes/oidc";
import { caller } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const FRONTEND = "http://127.0.0.1/sso-landing";

let idp: FakeOidc;
const env: Record<string, string> = {
  JWT_SECRET: "oidc-end-to-end-secret-0123456789abcdefgh",
  BCRYPT_COST: "4",
  WARROOM_ADMIN_EMAIL: "chief@oidc.example",
  WARROOM_ADMIN_PASSWORD: "chief-password-1",
  WARROOM_CRON: "off",
  OIDC_FRONTEND_URL: FRONTEND,
  // The test plays clients at several addresses, as a trusted proxy in front would forward them.
  WARROOM_TRUSTED_PROXIES: "127.0.0.1/32,::1/128",
};
// Runs before the fixture's own beforeAll: fills `env`, which the fixture reads when it starts.
beforeAll(async () => {
  idp = await startFakeOidc();
  env.OIDC_PROVIDERS = JSON.stringify([
    {
      id: "fake",
      name: "Fake IdP",
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      // Whatever host the app is on: the test follows the provider's redirect to the app itself.
      redirectUri: "http://127.0.0.1/api/v1/auth/oauth/fake/callback",
      allowedDomains: ["campaign.example"],
      defaultRole: "analyst",
    },
  ]);
});
// The test stands in for a proxy on loopback that says which client each sign-in is from.
env.WARROOM_TRUSTED_PROXIES = "127.0.0.1/32";
const app = useFixture(ROOT, env);
afterAll(() => idp.close());

const call = caller(app);

/** GET the app without following redirects. */
async function get(p: string): Promise<Response> {
  return fetch(app.server.url + p, { redirect: "manual" });
}

/** start → the provider approves → the provider's redirect, as a path on our app. */
async function toCallback(email: string): Promise<{ callbackPath: string; flowToken: string }> {
  idp.user = { sub: `sub-${email}`, email, email_verified: true, name: "Over Http" };
  const started = await call("GET", "/api/v1/auth/oauth/fake/start");
  expect(started.status).toBe(200);
  const approved = await fetch(started.json.authorizationUrl, { redirect: "manual" });
  expect(approved.status).toBe(302);
  const back = new URL(approved.headers.get("location")!);
  expect(back.pathname).toBe("/api/v1/auth/oauth/fake/callback");
  return { callbackPath: back.pathname + back.search, flowToken: started.json.flowToken };
}

test("the browser's path: callback redirects to the frontend with a one-time code, exchanged once by POST for War Room's tokens", async () => {
  const { callbackPath, flowToken } = await toCallback("walker@campaign.example");
  const res = await get(callbackPath);
  expect(res.status).toBe(302);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const landing = new URL(res.headers.get("location")!);
  expect(landing.origin + landing.pathname).toBe(FRONTEND);
  expect([...landing.searchParams.keys()]).toEqual(["code"]);
  const code = landing.searchParams.get("code")!;

  const session = await call("POST", "/api/v1/auth/oauth/exchange", undefined, { code, flowToken });
  expect(session.status).toBe(200);
  expect(session.json.user).toMatchObject({ email: "walker@campaign.example", role: "analyst" });
  expect(res.headers.get("location")).not.toContain(session.json.accessToken);
  const me = await call("GET", "/api/v1/auth/me", session.json.accessToken);
  expect(me.status).toBe(200);
  expect(me.json.email).toBe("walker@campaign.example");
  const ids = await call("GET", "/api/v1/auth/identities", session.json.accessToken);
  expect(ids.json.identities).toHaveLength(1);

  // The one-time code is spent; so is the provider's redirect (its state was used).
  expect((await call("POST", "/api/v1/auth/oauth/exchange", undefined, { code, flowToken })).status).toBe(401);
  const replay = new URL((await get(callbackPath)).headers.get("location")!);
  expect(replay.searchParams.get("error")).toBe("invalid_argument");
});

test("errors land on the frontend too: a wrong state, a refused ID token, a disallowed domain", async () => {
  const { callbackPath } = await toCallback("x@campaign.example");
  const wrongState = callbackPath.replace(/state=[^&]+/, `state=${"A".repeat(43)}`);
  const e1 = new URL((await get(wrongState)).headers.get("location")!);
  expect(e1.searchParams.get("error")).toBe("invalid_argument");

  const second = await toCallback("y@campaign.example");
  idp.nextToken = { aud: "someone-else" };
  const e2 = new URL((await get(second.callbackPath)).headers.get("location")!);
  expect(e2.searchParams.get("error")).toBe("unauthenticated");

  const third = await toCallback("z@elsewhere.example");
  const e3 = new URL((await get(third.callbackPath)).headers.get("location")!);
  expect(e3.searchParams.get("error")).toBe("permission_denied");
  expect(e3.searchParams.get("error_description")).toContain("elsewhere.example");
});

test("an unknown provider is 404; an exchange with junk is 401; the providers are listed", async () => {
  expect((await call("GET", "/api/v1/auth/oauth/nope/start")).status).toBe(404);
  expect((await call("POST", "/api/v1/auth/oauth/exchange", undefined, { code: "x", flowToken: "y" })).status).toBe(401);
  expect((await call("GET", "/api/v1/auth/oauth/providers")).json).toEqual({ providers: [{ id: "fake", name: "Fake IdP" }] });
});

test("one address may start 30 sign-ins a minute; the 31st is 429, other addresses go on", async () => {
  const start = (ip: string) =>
    fetch(`${app.server.url}/api/v1/auth/oauth/fake/start`, { headers: { "x-real-ip": ip, "x-forwarded-for": ip } }).then((r) => r.status);
  const statuses: number[] = [];
  for (let i = 0; i < 31; i++) statuses.push(await start("203.0.113.9"));
  expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
  expect(statuses[30]).toBe(429);
  expect(await start("203.0.113.10")).toBe(200);
});
