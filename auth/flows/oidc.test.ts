// Sign-in with an OpenID Connect provider, in process against the real database and a fake
// provider on 127.0.0.1 (tests/fakes/oidc.ts): start → the provider's authorize (auto-approved) →
// our callback (auth/flows/oidc.ts `callback`, which the raw HTTP endpoint wraps; tests/auth-oidc-http.test.ts
// drives it over HTTP) → the one-time code exchanged for War Room's tokens.
import { fake, REDIRECT_URI } from "../../tests/fakes/oidc-env";
import "../../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { auth as authClient } from "~encore/clients";
import { auth as authHandler } from "../gateway";
import { deleteAccount } from "./accounts";
import { callback, exchange } from "./oidc";
import { isKnownAddress } from "../store";
import { auditEventsFor } from "../../compliance/store";
import "../../compliance/subscriptions";
import type { FakeOidcUser } from "../../tests/fakes/oidc";
import { as as asUser, code } from "../../tests/inproc";

const PASSWORD = "oidc-password-123";

let seq = 0;
const uniq = () => `${++seq}-${Date.now()}`;

type Session = Awaited<ReturnType<typeof authClient.login>>;
const as = (s: Session) => asUser(s.user);

/** Starts a sign-in and lets the fake provider approve `user`: the redirect's code and state, and the flow token. */
async function authorize(user: FakeOidcUser, provider = "fake") {
  fake.user = user;
  const started = await authClient.oauthStart({ provider });
  const res = await fetch(started.authorizationUrl, { redirect: "manual" });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get("location")!);
  return {
    flowToken: started.flowToken,
    authorizationUrl: started.authorizationUrl,
    back,
    code: back.searchParams.get("code")!,
    state: back.searchParams.get("state")!,
  };
}

/** The whole flow: authorize, callback, exchange. */
async function signIn(user: FakeOidcUser, provider = "fake"): Promise<Session> {
  const a = await authorize(user, provider);
  const result = await callback(provider, { code: a.code, state: a.state });
  return authClient.oauthExchange({ code: result.code, flowToken: a.flowToken });
}

function person(overrides: Partial<FakeOidcUser> = {}): FakeOidcUser {
  const n = uniq();
  return { sub: `sub-${n}`, email: `person${n}@campaign.example`, email_verified: true, name: `Person ${n}`, ...overrides };
}

async function auditActions(userId: string): Promise<string[]> {
  return (await auditEventsFor("user", userId)).map((e) => e.action);
}

let admin: Session;
beforeAll(async () => {
  admin = await authClient.register({ email: "oidc-admin@admin.example", password: PASSWORD, name: "Admin" });
  expect(admin.user.role).toBe("admin");
});

describe("the flow", () => {
  test("start gives the provider's URL with PKCE S256, state, nonce and our redirect URI; providers are listed", async () => {
    expect((await authClient.oauthProviders()).providers).toEqual([
      { id: "fake", name: "Fake IdP" },
      { id: "narrow", name: "Narrow IdP" },
    ]);
    const started = await authClient.oauthStart({ provider: "fake" });
    const url = new URL(started.authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${fake.issuer}/authorize`);
    const q = url.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(fake.clientId);
    expect(q.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(q.get("scope")).toBe("openid email profile");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.flowToken).not.toBe(q.get("state"));
    expect(started.expiresIn).toBe(600);
  });

  test("happy path: a new verified user of an allowed domain gets an analyst account and War Room's tokens", async () => {
    const user = person();
    const a = await authorize(user);
    const result = await callback("fake", { code: a.code, state: a.state });
    expect(result.expiresIn).toBe(60);
    expect(result.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = await authClient.oauthExchange({ code: result.code, flowToken: a.flowToken });
    expect(session.user).toMatchObject({ email: user.email, name: user.name, role: "analyst" });
    expect(session.expiresIn).toBe(3600);
    expect(session.user.lastLoginAt).toBeInstanceOf(Date);
    // War Room's own tokens: the gateway accepts the access token, the refresh token rotates.
    expect((await authHandler({ authorization: `Bearer ${session.accessToken}` }))?.userID).toBe(session.user.id);
    expect((await authClient.refreshToken({ refreshToken: session.refreshToken })).accessToken).toBeTruthy();
    const linked = await authClient.listIdentities(as(session));
    expect(linked.identities).toEqual([
      { id: expect.any(String), provider: "fake", email: user.email, linkedAt: expect.any(Date), lastUsedAt: expect.any(Date) },
    ]);
    // The same identity signs in to the same account again, without a second link.
    const again = await signIn(user);
    expect(again.user.id).toBe(session.user.id);
    expect((await authClient.listIdentities(as(again))).identities).toHaveLength(1);
    await expect.poll(() => auditActions(session.user.id), { timeout: 15_000 }).toEqual(["user.created", "identity.linked"]);
  });

  test("a single sign-on makes its address known to the account, as a password sign-in does", async () => {
    const user = person();
    const a = await authorize(user);
    const result = await callback("fake", { code: a.code, state: a.state });
    expect(await isKnownAddress(user.email!, "198.51.100.77")).toBe(false);
    await exchange(result.code, a.flowToken, "198.51.100.77");
    expect(await isKnownAddress(user.email!, "198.51.100.77")).toBe(true);
    expect(await isKnownAddress(user.email!, "198.51.100.78")).toBe(false);
  });

  test("the token request carries the PKCE verifier of the challenge (the fake checks it) and our client credentials", async () => {
    const before = fake.redeemed;
    await signIn(person());
    expect(fake.redeemed).toBe(before + 1);
    const tokenRequest = fake.requests.filter((r) => r.path === "/token").at(-1)!;
    expect(new URLSearchParams(tokenRequest.body).get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenRequest.headers.authorization).toMatch(/^Basic /);
  });

  test("an unknown provider is 404 at start and at the callback", async () => {
    expect(await code(authClient.oauthStart({ provider: "nope" }))).toBe("not_found");
    expect(await code(callback("nope", { code: "x", state: "y" }))).toBe("not_found");
  });
});

describe("state, codes and replays", () => {
  test("a wrong, missing or reused state is 400", async () => {
    const a = await authorize(person());
    expect(await code(callback("fake", { code: a.code, state: "A".repeat(43) }))).toBe("invalid_argument");
    expect(await code(callback("fake", { code: a.code }))).toBe("invalid_argument");
    expect(await code(callback("fake", { code: a.code, state: a.state }))).toBe("ok");
    expect(await code(callback("fake", { code: a.code, state: a.state }))).toBe("invalid_argument");
  });

  test("a state is bound to its provider: another provider's callback refuses it", async () => {
    const a = await authorize(person());
    expect(await code(callback("narrow", { code: a.code, state: a.state }))).toBe("invalid_argument");
  });

  test("a replayed authorization code (in a fresh flow) is 401: the provider refuses it", async () => {
    const first = await authorize(person());
    await callback("fake", { code: first.code, state: first.state });
    const second = await authorize(person());
    expect(await code(callback("fake", { code: first.code, state: second.state }))).toBe("unauthenticated");
  });

  test("a code injected into another flow fails PKCE: 401", async () => {
    const victim = await authorize(person());
    const attacker = await authorize(person());
    expect(await code(callback("fake", { code: victim.code, state: attacker.state }))).toBe("unauthenticated");
  });

  test("the one-time code works once, only with its flow token", async () => {
    const a = await authorize(person());
    const r = await callback("fake", { code: a.code, state: a.state });
    expect(await code(authClient.oauthExchange({ code: r.code, flowToken: a.flowToken }))).toBe("ok");
    expect(await code(authClient.oauthExchange({ code: r.code, flowToken: a.flowToken }))).toBe("unauthenticated");
    const b = await authorize(person());
    const r2 = await callback("fake", { code: b.code, state: b.state });
    expect(await code(authClient.oauthExchange({ code: r2.code, flowToken: a.flowToken }))).toBe("unauthenticated");
    // The failed attempt burnt the code.
    expect(await code(authClient.oauthExchange({ code: r2.code, flowToken: b.flowToken }))).toBe("unauthenticated");
  });

  test("the provider's refusal (error=access_denied) is 401", async () => {
    const a = await authorize(person());
    expect(await code(callback("fake", { error: "access_denied", state: a.state }))).toBe("unauthenticated");
  });
});

describe("ID token validation", () => {
  test.each([
    ["a wrong audience", { aud: "someone-else" }, "meant for another client"],
    ["a wrong issuer", { iss: "https://evil.example" }, "issued by someone else"],
    ["an expired exp", { exp: -3600 }, "expired"],
    ["a bad signature", { badSignature: true }, "signature is not valid"],
    ["a wrong nonce", { nonce: "not-the-nonce" }, "nonce does not match"],
  ])("%s is 401 and signs nobody in", async (_what, tamper, reason) => {
    const user = person();
    const a = await authorize(user);
    fake.nextToken = tamper;
    const err = await callback("fake", { code: a.code, state: a.state }).catch((e) => e);
    expect(err.code).toBe("unauthenticated");
    expect(err.message).toContain(reason);
    expect(fake.nextToken).toBeNull(); // the tampered token was issued and refused
    // No account was made for the user.
    expect(await code(authClient.login({ email: user.email!, password: PASSWORD }))).toBe("unauthenticated");
    const clean = await signIn(user);
    expect(clean.user.email).toBe(user.email);
    await expect.poll(() => auditActions(clean.user.id), { timeout: 15_000 }).toEqual(["user.created", "identity.linked"]);
  });
});

describe("accounts", () => {
  test("a disallowed domain is 403", async () => {
    const a = await authorize(person({ email: `someone${uniq()}@elsewhere.example` }));
    expect(await code(callback("fake", { code: a.code, state: a.state }))).toBe("permission_denied");
  });

  test("a provider's default role applies (viewer unless configured) and its own domains only", async () => {
    const s = await signIn(person({ email: `n${uniq()}@narrow.example` }), "narrow");
    expect(s.user.role).toBe("viewer");
    const a = await authorize(person(), "narrow");
    expect(await code(callback("narrow", { code: a.code, state: a.state }))).toBe("permission_denied");
  });

  test("a verified email links to the existing account (audited); password sign-in keeps working", async () => {
    const email = `linked${uniq()}@campaign.example`;
    const registered = await authClient.register({ email, password: PASSWORD, name: "Has Password" });
    const session = await signIn(person({ email: email.toUpperCase() }));
    expect(session.user.id).toBe(registered.user.id);
    expect(session.user.role).toBe("viewer"); // linking never changes the role
    expect(await code(authClient.login({ email, password: PASSWORD }))).toBe("ok");
    await expect.poll(() => auditActions(registered.user.id), { timeout: 15_000 }).toEqual(["user.created", "identity.linked"]);
    const linked = (await auditEventsFor("user", registered.user.id))[1];
    expect(linked).toMatchObject({ actorId: registered.user.id, service: "auth", details: { provider: "fake", email, via: "verified-email" } });
  });

  test("an unverified email is never linked, nor used for a new account: 403", async () => {
    const email = `unverified${uniq()}@campaign.example`;
    const registered = await authClient.register({ email, password: PASSWORD, name: "Target" });
    const a = await authorize(person({ email, email_verified: false }));
    expect(await code(callback("fake", { code: a.code, state: a.state }))).toBe("permission_denied");
    expect((await authClient.listIdentities(as(registered))).identities).toEqual([]);
    const fresh = person({ email_verified: false });
    const b = await authorize(fresh);
    expect(await code(callback("fake", { code: b.code, state: b.state }))).toBe("permission_denied");
    expect(await code(authClient.register({ email: fresh.email!, password: PASSWORD, name: "Free" }))).toBe("ok");
  });

  test("users list and remove their identities (audited); the last way to sign in cannot be removed", async () => {
    const email = `unlink${uniq()}@campaign.example`;
    const registered = await authClient.register({ email, password: PASSWORD, name: "Unlinker" });
    const session = await signIn(person({ email }));
    const [identity] = (await authClient.listIdentities(as(session))).identities;
    // Someone else's identity is not found.
    const stranger = await signIn(person());
    expect(await code(authClient.unlinkIdentity({ id: identity.id }, as(stranger)))).toBe("not_found");
    expect(await code(authClient.unlinkIdentity({ id: "not-a-uuid" }, as(session)))).toBe("not_found");
    expect(await authClient.unlinkIdentity({ id: identity.id }, as(session))).toEqual({ success: true });
    expect((await authClient.listIdentities(as(session))).identities).toEqual([]);
    await expect.poll(() => auditActions(registered.user.id), { timeout: 15_000 }).toEqual(["user.created", "identity.linked", "identity.unlinked"]);
    expect((await auditEventsFor("user", registered.user.id))[2].details).toMatchObject({ identityId: identity.id, provider: "fake" });
    // An account made by the provider has no password: its only identity stays.
    const [own] = (await authClient.listIdentities(as(stranger))).identities;
    expect(await code(authClient.unlinkIdentity({ id: own.id }, as(stranger)))).toBe("failed_precondition");
    // Identity endpoints need a signed-in caller.
    expect(await code(authClient.listIdentities())).toBe("unauthenticated");
  });
});

describe("deleted accounts", () => {
  test("a deleted account's identities go with it: the same identity later makes a new account, and its one-time code is void", async () => {
    const user = person();
    const first = await signIn(user);
    const pending = await authorize(user);
    const r = await callback("fake", { code: pending.code, state: pending.state });
    await deleteAccount(first.user.id, admin.user.id);
    expect(await code(authClient.oauthExchange({ code: r.code, flowToken: pending.flowToken }))).toBe("unauthenticated");
    const second = await signIn(user);
    expect(second.user.id).not.toBe(first.user.id);
    expect(second.user.email).toBe(user.email);
  });
});

describe("domains that must use single sign-on", () => {
  test("an admin requires SSO for a domain: its password sign-in and registration are refused with a clear 403; SSO still works", async () => {
    const email = `sso${uniq()}@narrow.example`;
    await authClient.register({ email, password: PASSWORD, name: "Narrow" });
    const other = await authClient.register({ email: `other${uniq()}@elsewhere.example`, password: PASSWORD, name: "Other" });
    expect(await code(authClient.requireSsoDomain({ domain: "nobody-admits.example" }, as(admin)))).toBe("failed_precondition");
    expect(await code(authClient.requireSsoDomain({ domain: "not a domain" }, as(admin)))).toBe("invalid_argument");
    const required = await authClient.requireSsoDomain({ domain: "Narrow.Example" }, as(admin));
    expect(required).toMatchObject({ domain: "narrow.example", createdBy: admin.user.id });
    expect(await authClient.requireSsoDomain({ domain: "narrow.example" }, as(admin))).toEqual(required);
    expect((await authClient.listSsoDomains(as(admin))).domains).toEqual([required]);

    const err = await authClient.login({ email, password: PASSWORD }).catch((e) => e);
    expect(err.code).toBe("permission_denied");
    expect(err.message).toContain("single sign-on");
    expect(err.details).toEqual({ ssoRequired: true, providers: ["narrow"] });
    expect(await code(authClient.register({ email: `new${uniq()}@narrow.example`, password: PASSWORD, name: "N" }))).toBe("permission_denied");
    expect(await code(authClient.login({ email: other.user.email, password: PASSWORD }))).toBe("ok");
    const viaSso = await signIn(person({ email }), "narrow");
    expect(viaSso.user.email).toBe(email);
    // The domain's last identity cannot be removed while SSO is required.
    const [identity] = (await authClient.listIdentities(as(viaSso))).identities;
    expect(await code(authClient.unlinkIdentity({ id: identity.id }, as(viaSso)))).toBe("failed_precondition");

    await expect.poll(async () => (await auditEventsFor("sso_domain", "narrow.example")).map((e) => e.action), { timeout: 15_000 }).toEqual(["sso.required"]);
    expect(await authClient.releaseSsoDomain({ domain: "narrow.example" }, as(admin))).toEqual({ success: true });
    expect(await code(authClient.releaseSsoDomain({ domain: "narrow.example" }, as(admin)))).toBe("not_found");
    expect(await code(authClient.login({ email, password: PASSWORD }))).toBe("ok");
    await expect
      .poll(async () => (await auditEventsFor("sso_domain", "narrow.example")).map((e) => e.action), { timeout: 15_000 })
      .toEqual(["sso.required", "sso.released"]);
  });
});
