// auth's endpoints against the real database (a fresh clone for this file), called through the
// generated clients so that schemas are enforced, plus the gateway's token check.
import "../tests/fakes/auth-secrets";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { auth as authClient } from "~encore/clients";
import { auth as authHandler } from "./gateway";
import { auditEventsFor } from "../compliance/store";
import "../compliance/subscriptions";
import * as store from "./store";
import { hashRefreshToken } from "./domain/tokens";
import { updateAccount, deleteAccount } from "./flows/accounts";

const PASSWORD = "correct-horse-battery";

let seq = 0;
function email(): string {
  return `user${++seq}-${Date.now()}@example.org`;
}

async function registered(name = "Someone") {
  const address = email();
  const session = await authClient.register({ email: address, password: PASSWORD, name });
  return { address, session, authData: { userID: session.user.id, email: session.user.email, role: session.user.role, permissions: session.user.permissions } };
}

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "ok",
    (err: { code?: string }) => err.code ?? String(err),
  );
}

let first: Awaited<ReturnType<typeof registered>>;
beforeAll(async () => {
  first = await registered("First");
});

describe("registration", () => {
  test("the first account of a platform without an admin is admin; later ones are viewers", async () => {
    expect(first.session.user.role).toBe("admin");
    const later = await registered();
    expect(later.session.user.role).toBe("viewer");
    expect(later.session.user.permissions).toContainEqual({ resource: "campaigns", actions: ["read"] });
    expect(later.session.expiresIn).toBe(3600);
    expect(later.session.user.lastLoginAt).toBeNull();
  });

  test("emails are unique whatever their case: a second registration is 409 already_exists", async () => {
    const { address } = await registered();
    expect(await code(authClient.register({ email: address.toUpperCase(), password: PASSWORD, name: "Twin" }))).toBe("already_exists");
  });

  test("bad input is 400 invalid_argument: not an email, a short, long or weak password, one containing the email's name", async () => {
    expect(await code(authClient.register({ email: "not-an-email", password: PASSWORD, name: "X" }))).toBe("invalid_argument");
    expect(await code(authClient.register({ email: email(), password: "short", name: "X" }))).toBe("invalid_argument");
    expect(await code(authClient.register({ email: email(), password: "Tangerine-Owl-".repeat(10), name: "X" }))).toBe("invalid_argument");
    const weak = await authClient.register({ email: email(), password: "Password123!", name: "X" }).catch((e: { code: string; message: string }) => e);
    expect(weak).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^password is too weak: /) });
    const named = await authClient
      .register({ email: "harbor.lantern@example.org", password: "Harbor.Lantern-Quarry-91", name: "X" })
      .catch((e: { code: string; message: string }) => e);
    expect(named).toMatchObject({ code: "invalid_argument", message: "password must not contain your email's name (the part before @)" });
    // Past bcrypt's 72 bytes is fine now (pre-hashed): it signs in, and only with every character.
    const long = "Éléphant-Rêveur-Château-Forêt-Crème-Brûlée-Été-Noël-Hôtel-Île-Ça-Va"; // 82 bytes
    const address = email();
    await authClient.register({ email: address, password: long, name: "Long" });
    expect(await code(authClient.login({ email: address, password: `${long.slice(0, -1)}X` }))).toBe("unauthenticated");
    expect((await authClient.login({ email: address, password: long })).user.email).toBe(address);
  });

  test("the password is stored as a bcrypt hash and never returned", async () => {
    const { address, session } = await registered();
    expect(JSON.stringify(session)).not.toContain(PASSWORD);
    const stored = await store.findLiveAccountByEmail(address);
    expect(stored?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
  });
});

describe("login", () => {
  test("the right password signs in and records the time", async () => {
    const { address } = await registered();
    const session = await authClient.login({ email: address.toUpperCase(), password: PASSWORD });
    expect(session.user.email).toBe(address);
    expect(session.user.lastLoginAt).toBeInstanceOf(Date);
    expect((await authHandler({ authorization: `Bearer ${session.accessToken}` }))?.userID).toBe(session.user.id);
  });

  test("a wrong password and an unknown email get the same 401", async () => {
    const { address } = await registered();
    const wrong = await authClient.login({ email: address, password: "wrong-password" }).catch((e) => e);
    const unknown = await authClient.login({ email: email(), password: "wrong-password" }).catch((e) => e);
    expect([wrong.code, unknown.code]).toEqual(["unauthenticated", "unauthenticated"]);
    expect(wrong.message).toBe(unknown.message);
  });

  test("5 failures lock the account: the 6th attempt is 429 with a retry hint, even with the right password", async () => {
    const { address } = await registered();
    for (let i = 0; i < 5; i++) expect(await code(authClient.login({ email: address, password: "wrong-password" }))).toBe("unauthenticated");
    const err = await authClient.login({ email: address, password: PASSWORD }).catch((e) => e);
    expect(err.code).toBe("resource_exhausted");
    expect(err.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    expect(err.details.retryAfterSeconds).toBeGreaterThan(25);
    // Audited: the chained target is a digest (no email or address in the chain row); who and where are in the erasable details.
    const target = `pair:${createHash("sha256").update(`pair:unknown|${address}`).digest("hex").slice(0, 32)}`;
    await expect.poll(async () => (await auditEventsFor("login", target)).map((e) => e.action), { timeout: 15_000 }).toEqual(["login.locked"]);
    const [locked] = await auditEventsFor("login", target);
    expect(locked).toMatchObject({ targetId: target, details: { subject: "pair", email: address, address: "unknown", failures: 5, lockSeconds: 30 } });
  });

  test("a success before the threshold starts the count afresh", async () => {
    const { address } = await registered();
    for (let i = 0; i < 4; i++) await code(authClient.login({ email: address, password: "wrong-password" }));
    await authClient.login({ email: address, password: PASSWORD });
    for (let i = 0; i < 4; i++) expect(await code(authClient.login({ email: address, password: "wrong-password" }))).toBe("unauthenticated");
    expect(await code(authClient.login({ email: address, password: PASSWORD }))).toBe("ok");
  });

  test("a deleted account cannot sign in", async () => {
    const { address, session } = await registered();
    await deleteAccount(session.user.id, first.session.user.id);
    expect(await code(authClient.login({ email: address, password: PASSWORD }))).toBe("unauthenticated");
  });
});

describe("refresh tokens", () => {
  test("a refresh token is used once: it gives a new access token and its successor", async () => {
    const { session } = await registered();
    const next = await authClient.refreshToken({ refreshToken: session.refreshToken });
    expect(next.expiresIn).toBe(3600);
    expect(next.refreshToken).not.toBe(session.refreshToken);
    expect((await authHandler({ authorization: `Bearer ${next.accessToken}` }))?.userID).toBe(session.user.id);
    const again = await authClient.refreshToken({ refreshToken: next.refreshToken });
    expect(again.refreshToken).not.toBe(next.refreshToken);
  });

  test("presenting a used refresh token revokes the whole family and the account's access tokens", async () => {
    const { session } = await registered();
    const next = await authClient.refreshToken({ refreshToken: session.refreshToken });
    expect(await code(authClient.refreshToken({ refreshToken: session.refreshToken }))).toBe("unauthenticated");
    // The thief's (or the victim's) successor token is dead too, and so are access tokens.
    expect(await code(authClient.refreshToken({ refreshToken: next.refreshToken }))).toBe("unauthenticated");
    expect(await code(authHandler({ authorization: `Bearer ${next.accessToken}` }))).toBe("unauthenticated");
    const family = await store.familyOf(hashRefreshToken(session.refreshToken));
    expect((await store.familyTokens(family!)).every((t) => t.revokedAt !== null)).toBe(true);
  });

  test("two concurrent refreshes with the same token: at most one succeeds", async () => {
    for (let round = 0; round < 5; round++) {
      const { session } = await registered();
      const results = await Promise.allSettled([
        authClient.refreshToken({ refreshToken: session.refreshToken }),
        authClient.refreshToken({ refreshToken: session.refreshToken }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won.length).toBeLessThanOrEqual(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason.code).toBe("unauthenticated");
      // Reuse was detected: whatever the winner got is revoked as well.
      for (const r of won)
        expect(await code(authClient.refreshToken({ refreshToken: (r as PromiseFulfilledResult<{ refreshToken: string }>).value.refreshToken }))).toBe(
          "unauthenticated",
        );
    }
  });

  test("unknown, malformed and expired-account tokens are 401", async () => {
    expect(await code(authClient.refreshToken({ refreshToken: "x".repeat(43) }))).toBe("unauthenticated");
    expect(await code(authClient.refreshToken({ refreshToken: "not a token" }))).toBe("unauthenticated");
    const { session } = await registered();
    await deleteAccount(session.user.id, first.session.user.id);
    expect(await code(authClient.refreshToken({ refreshToken: session.refreshToken }))).toBe("unauthenticated");
  });
});

describe("me and logout", () => {
  test("me returns the caller's profile; it needs auth", async () => {
    const { session, authData } = await registered("Me Myself");
    expect(await authClient.me({ authData })).toEqual(session.user);
    expect(await code(authClient.me())).toBe("unauthenticated");
  });

  test("after logout the refresh token fails and the access token is refused", async () => {
    const { session, authData } = await registered();
    const second = await authClient.login({ email: session.user.email, password: PASSWORD });
    expect(await authClient.logout({ authData })).toEqual({ success: true });
    expect(await code(authClient.refreshToken({ refreshToken: session.refreshToken }))).toBe("unauthenticated");
    expect(await code(authClient.refreshToken({ refreshToken: second.refreshToken }))).toBe("unauthenticated");
    expect(await code(authHandler({ authorization: `Bearer ${session.accessToken}` }))).toBe("unauthenticated");
    // Signing in again works, with a token that the gateway accepts.
    const fresh = await authClient.login({ email: session.user.email, password: PASSWORD });
    expect((await authHandler({ authorization: `Bearer ${fresh.accessToken}` }))?.userID).toBe(session.user.id);
  });
});

describe("the gateway's token check", () => {
  test("accepts Authorization: Bearer, with the account's current role and permissions; ?token= only on a WebSocket handshake", async () => {
    const { session } = await registered();
    const viaHeader = await authHandler({ authorization: `Bearer ${session.accessToken}` });
    expect(viaHeader).toEqual({ userID: session.user.id, email: session.user.email, role: "viewer", permissions: session.user.permissions });
    // Outside a stream handshake (here: no request at all) a token in the URL is refused; tests/auth.test.ts covers both over HTTP.
    expect(await code(authHandler({ token: session.accessToken }))).toBe("unauthenticated");
    // A promotion applies at once, without a new token.
    await updateAccount({ id: session.user.id, role: "analyst", actorId: first.session.user.id });
    expect((await authHandler({ authorization: `Bearer ${session.accessToken}` }))?.role).toBe("analyst");
  });

  test("no token, another scheme, or a token of a deleted account is 401", async () => {
    expect(await code(authHandler({}))).toBe("unauthenticated");
    expect(await code(authHandler({ authorization: "Basic dXNlcjpwYXNz" }))).toBe("unauthenticated");
    const { session } = await registered();
    await deleteAccount(session.user.id, first.session.user.id);
    expect(await code(authHandler({ authorization: `Bearer ${session.accessToken}` }))).toBe("unauthenticated");
  });
});

describe("password change", () => {
  test("needs the current password; ends every session; the new password signs in", async () => {
    const { session, authData } = await registered();
    expect(await code(authClient.changePassword({ currentPassword: "not-the-password", newPassword: "brand-new-password" }, { authData }))).toBe(
      "permission_denied",
    );
    await authClient.changePassword({ currentPassword: PASSWORD, newPassword: "brand-new-password" }, { authData });
    expect(await code(authClient.refreshToken({ refreshToken: session.refreshToken }))).toBe("unauthenticated");
    expect(await code(authHandler({ authorization: `Bearer ${session.accessToken}` }))).toBe("unauthenticated");
    expect(await code(authClient.login({ email: session.user.email, password: PASSWORD }))).toBe("unauthenticated");
    expect(await code(authClient.login({ email: session.user.email, password: "brand-new-password" }))).toBe("ok");
  });
});

describe("audit", () => {
  test("registration, sign-in and logout are in the audit log, without passwords or tokens", async () => {
    const { session, authData } = await registered();
    await authClient.login({ email: session.user.email, password: PASSWORD });
    await authClient.logout({ authData });
    await expect
      .poll(async () => (await auditEventsFor("user", session.user.id)).map((e) => e.action), { timeout: 15_000 })
      .toEqual(["user.created", "session.revoked_all"]);
    const created = (await auditEventsFor("user", session.user.id))[0];
    expect(created).toMatchObject({
      actorId: session.user.id,
      service: "auth",
      details: { via: "register", after: { email: session.user.email, role: "viewer" } },
    });
    const family = await store.familyOf(hashRefreshToken(session.refreshToken));
    await expect.poll(async () => (await auditEventsFor("session", family!)).map((e) => e.action), { timeout: 15_000 }).toEqual(["session.created"]);
    const everything = JSON.stringify([...(await auditEventsFor("user", session.user.id)), ...(await auditEventsFor("session", family!))]);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(session.refreshToken);
    expect(everything).not.toContain(session.accessToken);
  });
});
