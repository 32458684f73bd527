// auth end to end: the whole app started as `npm start` starts it, driven over HTTP.
import path from "node:path";
import { describe, expect, test } from "vitest";
import { SignJWT } from "jose";
import { useFixture } from "../host/testing/use-fixture.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const JWT_SECRET = "end-to-end-secret-0123456789abcdefghij";
const ADMIN = { email: "chief@campaign.example", password: "chief-password-1" };
const app = useFixture(ROOT, {
  JWT_SECRET,
  BCRYPT_COST: "4",
  WARROOM_ADMIN_EMAIL: ADMIN.email,
  WARROOM_ADMIN_PASSWORD: ADMIN.password,
  WARROOM_CRON: "off",
  // The tests stand in for a proxy on loopback that forwards through another at 10.0.0.1.
  WARROOM_TRUSTED_PROXIES: "127.0.0.1/32, 10.0.0.0/8",
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
    const created = await call("POST", "/api/v1/users", { email: email(), password: "a-good-password", name: "Mona", role: "manager" }, bearer(login.json.accessToken));
    expect(created.status).toBe(200);
    expect(created.json.user.role).toBe("manager");
    const list = await call("GET", "/api/v1/users?limit=5", undefined, bearer(login.json.accessToken));
    expect(list.status).toBe(200);
    expect(list.json.users.map((u: { id: string }) => u.id)).toContain(created.json.user.id);
  });

  test("the token may come as ?token= (for WebSockets)", async () => {
    const reg = await call("POST", "/api/v1/auth/register", { email: email(), password: "a-good-password", name: "Q" });
    expect((await call("GET", `/api/v1/auth/me?token=${reg.json.accessToken}`)).status).toBe(200);
  });
});

describe("bad tokens are 401 on a protected endpoint", () => {
  async function victim() {
    const reg = await call("POST", "/api/v1/auth/register", { email: email(), password: "a-good-password", name: "V" });
    return reg.json as { accessToken: string; user: { id: string; email: string } };
  }

  function forged(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "HS256", typ: "at+jwt" }) {
    return new SignJWT(claims).setProtectedHeader(header as { alg: string }).setIssuer("war-room").setAudience("war-room-api");
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
    const fresh = await forged({ email: user.email, role: "viewer", ver: 1 }).setSubject(user.id).setIssuedAt(now).setExpirationTime(now + 600).sign(new TextEncoder().encode(JWT_SECRET));
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
    const from = (ip: string) => ({ "x-forwarded-for": `${ip}, 10.0.0.1` });
    for (let i = 0; i < 20; i++) {
      expect((await call("POST", "/api/v1/auth/login", { email: email(), password: "wrong-password" }, from("203.0.113.9"))).status).toBe(401);
    }
    const address = email();
    await call("POST", "/api/v1/auth/register", { email: address, password: "a-good-password", name: "Late" });
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
