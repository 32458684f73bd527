// auth end to end: the whole app started as `npm start` starts it, driven over HTTP.
import path from "node:path";
import { describe, expect, test } from "vitest";
import { SignJWT } from "jose";
import { WebSocket } from "ws";
import { useFixture } from "../host/testing/use-fixture.ts";
import { caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const JWT_SECRET = "end-to-end-secret-0123456789abcdefghij";
const ADMIN = { email: "chief@campaign.example", password: "chief-password-1" };
const app = useFixture(ROOT, {
  JWT_SECRET,
  BCRYPT_COST: "4",
  WARROOM_ADMIN_EMAIL: ADMIN.email,
  WARROOM_ADMIN_PASSWORD: ADMIN.password,
  WARROOM_CRON: "off",
  // Many registrations come from this one test process; the limit itself is tested in auth-register-limit.test.ts.
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: "1000",
  // The test sends the client addresses it plays, as a trusted proxy in front would.
  WARROOM_TRUSTED_PROXIES: "127.0.0.1/32,::1/128,10.0.0.0/8",
});

interface Reply {
  status: number;
  json: any;
}

async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(app.server.url + p, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** The headers of a request from `ip`, as a trusted proxy forwards it. */
const from = (ip: string) => ({ "x-real-ip": ip, "x-forwarded-for": ip });
let n = 0;
const email = () => `e2e-${++n}-${Date.now()}@example.org`;

describe("a session's life over HTTP", () => {
  test("register → login → me → refresh → logout, and the refresh token is dead after logout", async () => {
    const address = email();
    const reg = await call("POST", "/api/v1/auth/register", { email: address, password: "a-good-password", name: "Ellie" });
    expect(reg.status).toBe(200);
    expect(reg.json).toMatchObject({ expiresIn: 3600, user: { email: address, name: "Ellie", role: "viewer", lastLoginAt: null } });

    const login = await call("POST", "/api/v1/auth/login", { email: address, password: "a-good-password" });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.json;

    const me = await call("GET", "/api/v1/auth/me", undefined, bearer(accessToken));
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: reg.json.user.id, email: address, role: "viewer", permissions: expect.any(Array) });
    expect(Date.parse(me.json.lastLoginAt)).not.toBeNaN();

    const refreshed = await call("POST", "/api/v1/auth/refresh", { refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 3600 });
    expect((await call("GET", "/api/v1/auth/me", undefined, bearer(refreshed.json.accessToken))).status).toBe(200);

    const out = await call("POST", "/api/v1/auth/logout", undefined, bearer(refreshed.json.accessToken));
    expect(out).toEqual({ status: 200, json: { success: true } });
    expect((await call("POST", "/api/v1/auth/refresh", { refreshToken: refreshed.json.refreshToken })).status).toBe(401);
    expect((await call("GET", "/api/v1/auth/me", undefined, bearer(refreshed.json.accessToken))).status).toBe(401);
  });

  test("the configured first admin signs in as admin and manages users", async () => {
    // The admin is made at start, beside serving: wait for it without spending sign-in attempts.
    await expect.poll(() => app.server.logs(), { timeout: 10_000 }).toContain(`created the first admin ${ADMIN.email}`);
    const login = await call("POST", "/api/v1/auth/login", ADMIN);
    expect(login.status).toBe(200);
    expect(login.json.user.role).toBe("admin");
    const created = await call(
      "POST",
      "/api/v1/users",
      { email: email(), password: "a-good-password", name: "Mona", role: "manager" },
      bearer(login.json.accessToken),
    );
    expect(created.status).toBe(200);
    expect(created.json.user.role).toBe("manager");
    const list = await call("GET", "/api/v1/users?limit=5", undefined, bearer(login.json.accessToken));
    expect(list.status).toBe(200);
    expect(list.json.users.map((u: { id: string }) => u.id)).toContain(created.json.user.id);
  });

  test("?token= is refused on HTTP endpoints (tokens stay out of URLs) but accepted on a WebSocket handshake", async () => {
    const reg = await call("POST", "/api/v1/auth/register", { email: email(), password: "a-good-password", name: "Q" });
    const inUrl = await call("GET", `/api/v1/auth/me?token=${reg.json.accessToken}`);
    expect(inUrl.status).toBe(401);
    expect(inUrl.json.code).toBe("unauthenticated");
    expect((await call("GET", "/api/v1/auth/me", undefined, bearer(reg.json.accessToken))).status).toBe(200);

    const adminToken = await signInFirstAdmin(app, ADMIN);
    const campaignId = await createCampaign(caller(app), adminToken);
    const open = (query: string) =>
      new Promise<number | "open">((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${app.server.port}/ws/campaigns/${campaignId}/stream${query}`, ["encore-ws"]);
        ws.once("open", () => {
          ws.close();
          resolve("open");
        });
        ws.once("unexpected-response", (_req, res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
        });
        ws.once("error", () => resolve(0));
      });
    expect(await open(`?token=${adminToken}`)).toBe("open");
    expect(await open("")).toBe(401);
  });
});

describe("bad tokens are 401 on a protected endpoint", () => {
  async function victim() {
    const reg = await call("POST", "/api/v1/auth/register", { email: email(), password: "a-good-password", name: "V" });
    return reg.json as { accessToken: string; user: { id: string; email: string } };
  }

  function forged(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "HS256", typ: "at+jwt" }) {
    return new SignJWT(claims)
      .setProtectedHeader(header as { alg: string })
      .setIssuer("war-room")
      .setAudience("war-room-api");
  }

  test("a tampered token (role raised in the payload)", async () => {
    const { accessToken } = await victim();
    const [h, p, s] = accessToken.split(".");
    const payload = { ...JSON.parse(Buffer.from(p, "base64url").toString()), role: "admin" };
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    const r = await call("GET", "/api/v1/auth/me", undefined, bearer(tampered));
    expect(r.status).toBe(401);
    expect(r.json.code).toBe("unauthenticated");
  });

  test("an expired token, correctly signed", async () => {
    const { user } = await victim();
    const now = Math.floor(Date.now() / 1000);
    const expired = await forged({ email: user.email, role: "viewer", ver: 1 })
      .setSubject(user.id)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    expect((await call("GET", "/api/v1/auth/me", undefined, bearer(expired))).status).toBe(401);
    // The same token, still valid, is accepted: the refusal above was the expiry.
    const fresh = await forged({ email: user.email, role: "viewer", ver: 1 })
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    expect((await call("GET", "/api/v1/auth/me", undefined, bearer(fresh))).status).toBe(200);
  });

  test("an alg:none token", async () => {
    const { accessToken } = await victim();
    const [, p] = accessToken.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${p}.`;
    expect((await call("GET", "/api/v1/auth/me", undefined, bearer(none))).status).toBe(401);
  });

  test("garbage, another scheme, or no token at all", async () => {
    expect((await call("GET", "/api/v1/auth/me", undefined, bearer("garbage"))).status).toBe(401);
    expect((await call("GET", "/api/v1/auth/me", undefined, { authorization: "Basic dXNlcjpwYXNz" })).status).toBe(401);
    expect((await call("GET", "/api/v1/auth/me")).status).toBe(401);
    expect((await call("GET", "/api/v1/users")).status).toBe(401);
  });
});

describe("no lock-out by strangers", () => {
  const login = (who: string, password: string, ip: string) => call("POST", "/api/v1/auth/login", { email: who, password }, from(ip));

  test("a stranger's 5 wrong passwords lock the stranger out (429 with a retry hint), not the owner at their address", async () => {
    const owner = email();
    expect((await call("POST", "/api/v1/auth/register", { email: owner, password: "a-good-password", name: "Owner" }, from("198.51.100.30"))).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(owner, "wrong-password", "203.0.113.30")).status).toBe(401);
    const refused = await login(owner, "a-good-password", "203.0.113.30");
    expect(refused.status).toBe(429);
    expect(refused.json.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.json.details.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect((await login(owner, "a-good-password", "198.51.100.30")).status).toBe(200);
  });

  test("guessing from many addresses meets the account-wide ceiling; the owner at a known address still signs in", async () => {
    const owner = email();
    expect((await call("POST", "/api/v1/auth/register", { email: owner, password: "a-good-password", name: "Target" }, from("198.51.100.40"))).status).toBe(
      200,
    );
    // 10 addresses × 5 guesses = the ceiling of 50 a day from addresses the account does not know.
    for (let a = 0; a < 10; a++) {
      for (let i = 0; i < 5; i++) expect((await login(owner, "wrong-password", `203.0.113.${100 + a}`)).status).toBe(401);
    }
    // Now any new address is slowed down, even with the right password (the attacker cannot tell) ...
    const slowed = await login(owner, "a-good-password", "192.0.2.77");
    expect(slowed.status).toBe(429);
    expect(slowed.json).toMatchObject({ code: "resource_exhausted", details: { retryAfterSeconds: expect.any(Number) } });
    // ... while the owner, where they registered, is not locked out.
    expect((await login(owner, "a-good-password", "198.51.100.40")).status).toBe(200);
  });

  test("an unknown email gets the same answers as a real one (no enumeration)", async () => {
    const real = email();
    await call("POST", "/api/v1/auth/register", { email: real, password: "a-good-password", name: "Real" }, from("198.51.100.50"));
    const ghost = `ghost-${Date.now()}@example.org`;
    const statuses = async (who: string, ip: string) => {
      const out: number[] = [];
      for (let i = 0; i < 7; i++) out.push((await login(who, "wrong-password", ip)).status);
      return out;
    };
    const [a, b] = [await statuses(real, "203.0.113.60"), await statuses(ghost, "203.0.113.61")];
    expect(a).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(b).toEqual(a);
  });

  test("a request without forwarding headers is still limited (the peer's address, or the shared unknown bucket)", async () => {
    const who = email();
    const out: number[] = [];
    for (let i = 0; i < 6; i++) out.push((await call("POST", "/api/v1/auth/login", { email: who, password: "wrong-password" })).status);
    expect(out).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe("password rules over HTTP", () => {
  test("register, password change and admin user creation refuse weak passwords with a 400 that says why", async () => {
    const weak = await call("POST", "/api/v1/auth/register", { email: email(), password: "password1234", name: "W" });
    expect(weak.status).toBe(400);
    expect(weak.json).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^password is too weak: .*commonly used password/) });
    const short = await call("POST", "/api/v1/auth/register", { email: email(), password: "Xq7#vL2", name: "S" });
    expect(short.status).toBe(400);
    expect(short.json.message).toMatch(/at least 8/);
    const long = await call("POST", "/api/v1/auth/register", { email: email(), password: "x".repeat(129), name: "L" });
    expect(long.status).toBe(400);
    expect(long.json.message).toMatch(/at most 128 characters/);

    const address = email();
    const reg = await call("POST", "/api/v1/auth/register", { email: address, password: "a-good-password", name: "Pat" });
    expect(reg.status).toBe(200);
    const localPart = address.split("@")[0];
    const change = await call(
      "POST",
      "/api/v1/auth/password",
      { currentPassword: "a-good-password", newPassword: `${localPart}-Quarry-91` },
      bearer(reg.json.accessToken),
    );
    expect(change.status).toBe(400);
    expect(change.json.message).toBe("password must not contain your email's name (the part before @)");
    const weakChange = await call(
      "POST",
      "/api/v1/auth/password",
      { currentPassword: "a-good-password", newPassword: "qwertyuiop" },
      bearer(reg.json.accessToken),
    );
    expect(weakChange.status).toBe(400);
    expect(weakChange.json.message).toMatch(/^password is too weak: /);
    expect(
      (
        await call(
          "POST",
          "/api/v1/auth/password",
          { currentPassword: "a-good-password", newPassword: "Steady-Harbor-Lantern-42" },
          bearer(reg.json.accessToken),
        )
      ).status,
    ).toBe(200);

    const admin = await signInFirstAdmin(app, ADMIN);
    const created = await call("POST", "/api/v1/users", { email: email(), password: "iloveyou2026", name: "New", role: "viewer" }, bearer(admin));
    expect(created.status).toBe(400);
    expect(created.json).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^password is too weak: /) });
  });
});

describe("hardening over HTTP", () => {
  test("a viewer is refused user management with 403", async () => {
    const reg = await call("POST", "/api/v1/auth/register", { email: email(), password: "a-good-password", name: "V" });
    const r = await call("GET", "/api/v1/users", undefined, bearer(reg.json.accessToken));
    expect(r.status).toBe(403);
    expect(r.json.code).toBe("permission_denied");
  });

  test("bad input is 400 with Encore's error shape", async () => {
    const r = await call("POST", "/api/v1/auth/register", { email: "nope", password: "a-good-password", name: "X" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: "invalid_argument", message: expect.any(String) });
  });

  test("20 failures from one address lock that address (429 with a retry hint) but not the accounts elsewhere", async () => {
    for (let i = 0; i < 20; i++) {
      expect((await call("POST", "/api/v1/auth/login", { email: email(), password: "wrong-password" }, from("203.0.113.9"))).status).toBe(401);
    }
    const address = email();
    await call("POST", "/api/v1/auth/register", { email: address, password: "a-good-password", name: "Late" }, from("198.51.100.21"));
    const locked = await call("POST", "/api/v1/auth/login", { email: address, password: "a-good-password" }, from("203.0.113.9"));
    expect(locked.status).toBe(429);
    expect(locked.json).toMatchObject({ code: "resource_exhausted", details: { retryAfterSeconds: expect.any(Number) } });
    expect((await call("POST", "/api/v1/auth/login", { email: address, password: "a-good-password" }, from("198.51.100.20"))).status).toBe(200);
  });

  test("a password is never in the logs", async () => {
    const secret = "never-log-this-password";
    await call("POST", "/api/v1/auth/register", { email: email(), password: secret, name: "P" });
    await call("POST", "/api/v1/auth/login", { email: email(), password: secret });
    expect(app.server.logs()).not.toContain(secret);
    expect(app.server.logs()).not.toContain(ADMIN.password);
  });
});
