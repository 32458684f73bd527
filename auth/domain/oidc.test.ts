import { describe, expect, test } from "vitest";
import {
  authorizationUrl,
  callbackReply,
  checkIdTokenClaims,
  codeChallenge,
  decideLink,
  emailDomain,
  isSecretShaped,
  newFlowSecrets,
  normalizeDomain,
  parseDiscovery,
  parseProviders,
  unlinkProblem,
  urlProblem,
  type IdTokenExpectations,
  type ProviderIdentity,
} from "./oidc";

const good = {
  id: "google",
  name: "Google",
  issuer: "https://accounts.google.com",
  clientId: "client-1",
  clientSecret: "secret-1",
  redirectUri: "https://warroom.example/api/v1/auth/oauth/google/callback",
  allowedDomains: ["Campaign.Example"],
  defaultRole: "analyst",
};

describe("provider configuration", () => {
  test("a good provider is read, domains lower-cased, openid always asked for", () => {
    const { providers, errors } = parseProviders(JSON.stringify([good]), true);
    expect(errors).toEqual([]);
    expect(providers.get("google")).toEqual({ ...good, allowedDomains: ["campaign.example"], defaultRole: "analyst", scopes: ["openid", "email", "profile"] });
  });

  test("empty means no providers; bad JSON or a non-array is reported", () => {
    expect(parseProviders("", true)).toEqual({ providers: new Map(), errors: [] });
    expect(parseProviders("{", true).errors).toEqual(["OIDC_PROVIDERS is not valid JSON"]);
    expect(parseProviders("{}", true).errors[0]).toContain("JSON array");
  });

  test("a default role above analyst is refused (the entry is left out, the others stay)", () => {
    const { providers, errors } = parseProviders(JSON.stringify([{ ...good, id: "boss", defaultRole: "manager" }, good]), true);
    expect([...providers.keys()]).toEqual(["google"]);
    expect(errors).toEqual([expect.stringContaining("defaultRole may be at most analyst")]);
    expect(parseProviders(JSON.stringify([{ ...good, defaultRole: "admin" }]), false).providers.size).toBe(0);
    expect(parseProviders(JSON.stringify([{ ...good, defaultRole: "root" }]), false).errors[0]).toContain("not a role");
  });

  test("the default role is viewer when not given", () => {
    const { defaultRole, ...rest } = good;
    expect(defaultRole).toBe("analyst");
    expect(parseProviders(JSON.stringify([rest]), true).providers.get("google")?.defaultRole).toBe("viewer");
  });

  test("plain http only for loopback outside production; missing fields and bad ids are reported", () => {
    const local = { ...good, issuer: "http://127.0.0.1:9000", redirectUri: "http://localhost:4000/cb" };
    expect(parseProviders(JSON.stringify([local]), false).providers.size).toBe(1);
    expect(parseProviders(JSON.stringify([local]), true).errors[0]).toContain("issuer must be https");
    expect(parseProviders(JSON.stringify([{ ...good, issuer: "http://idp.example" }]), false).errors[0]).toContain("issuer must be https");
    const errs = parseProviders(JSON.stringify([{ ...good, id: "Bad Id", clientSecret: "", allowedDomains: ["not a domain"] }]), true).errors[0];
    expect(errs).toContain("id must be");
    expect(errs).toContain("clientSecret is missing");
    expect(errs).toContain("not a domain name");
    expect(parseProviders(JSON.stringify([good, good]), true).errors[0]).toContain("used twice");
  });

  test("urls and domains", () => {
    expect(urlProblem("https://x.example", "u", true)).toBeNull();
    expect(urlProblem("ftp://x.example", "u", false)).toContain("https");
    expect(urlProblem("nope", "u", false)).toContain("not a URL");
    expect(normalizeDomain(" Campaign.Example ")).toBe("campaign.example");
    expect(normalizeDomain("localhost")).toBeNull();
    expect(normalizeDomain("a..b")).toBeNull();
    expect(emailDomain("a.b@sub.campaign.example")).toBe("sub.campaign.example");
  });
});

describe("discovery", () => {
  const doc = {
    issuer: "https://idp.example",
    authorization_endpoint: "https://idp.example/authorize",
    token_endpoint: "https://idp.example/token",
    jwks_uri: "https://idp.example/jwks",
    id_token_signing_alg_values_supported: ["RS256", "HS256", "none"],
  };

  test("the issuer must be exactly the configured one; HS* and none are dropped", () => {
    expect(parseDiscovery(doc, "https://idp.example", true)).toEqual({
      issuer: "https://idp.example",
      authorizationEndpoint: doc.authorization_endpoint,
      tokenEndpoint: doc.token_endpoint,
      jwksUri: doc.jwks_uri,
      tokenAuth: "client_secret_basic",
      idTokenAlgs: ["RS256"],
    });
    expect(parseDiscovery(doc, "https://idp.example/", true)).toContain("is not");
    expect(parseDiscovery({ ...doc, id_token_signing_alg_values_supported: ["HS256"] }, "https://idp.example", true)).toContain("no algorithm");
    expect(parseDiscovery({ ...doc, jwks_uri: "http://idp.example/jwks" }, "https://idp.example", true)).toContain("must be https");
    expect(parseDiscovery({ ...doc, code_challenge_methods_supported: ["plain"] }, "https://idp.example", true)).toContain("PKCE");
    expect(parseDiscovery("x", "https://idp.example", true)).toContain("not a JSON object");
  });

  test("client_secret_post only when basic is not offered", () => {
    const post = parseDiscovery({ ...doc, token_endpoint_auth_methods_supported: ["client_secret_post"] }, "https://idp.example", true);
    expect(typeof post !== "string" && post.tokenAuth).toBe("client_secret_post");
  });
});

describe("the authorization request", () => {
  test("fresh random secrets each time; the URL carries S256 of the verifier", () => {
    const a = newFlowSecrets();
    const b = newFlowSecrets();
    expect(new Set([a.state, a.nonce, a.codeVerifier, a.flowToken, b.state]).size).toBe(5);
    expect(isSecretShaped(a.state)).toBe(true);
    expect(isSecretShaped("short")).toBe(false);
    expect(isSecretShaped(undefined)).toBe(false);
    const { providers } = parseProviders(JSON.stringify([good]), true);
    const url = new URL(authorizationUrl("https://idp.example/authorize?prompt=select_account", providers.get("google")!, a));
    expect(url.searchParams.get("prompt")).toBe("select_account");
    expect(url.searchParams.get("code_challenge")).toBe(codeChallenge(a.codeVerifier));
    expect(url.searchParams.get("state")).toBe(a.state);
    expect(url.searchParams.get("nonce")).toBe(a.nonce);
    // RFC 7636 appendix B's example.
    expect(codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
});

describe("ID token claims", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  const t = now.getTime() / 1000;
  const expect_: IdTokenExpectations = { issuer: "https://idp.example", clientId: "client-1", nonce: "n-1", now };
  const claims = {
    iss: "https://idp.example",
    aud: "client-1",
    sub: "s-1",
    exp: t + 300,
    iat: t,
    nonce: "n-1",
    email: "A@Campaign.Example",
    email_verified: true,
    name: " Ann ",
  };

  test("a good token gives the identity, email normalised", () => {
    expect(checkIdTokenClaims(claims, expect_)).toEqual({ subject: "s-1", email: "a@campaign.example", emailVerified: true, name: "Ann" });
  });

  test.each([
    ["another issuer", { iss: "https://evil.example" }, "issued by someone else"],
    ["another audience", { aud: "client-2" }, "another client"],
    ["several audiences without azp", { aud: ["client-1", "client-2"] }, "authorized party"],
    ["azp of another client", { azp: "client-2" }, "authorized party"],
    ["no exp", { exp: undefined }, "no expiry"],
    ["expired beyond the skew", { exp: t - 61 }, "expired"],
    ["issued in the future", { iat: t + 120 }, "future"],
    ["a wrong nonce", { nonce: "n-2" }, "nonce"],
    ["no nonce", { nonce: undefined }, "nonce"],
    ["no subject", { sub: "" }, "subject"],
  ])("%s is refused", (_what, change, reason) => {
    expect(checkIdTokenClaims({ ...claims, ...change }, expect_)).toContain(reason);
  });

  test("within the skew is fine; several audiences with our azp are fine", () => {
    expect(typeof checkIdTokenClaims({ ...claims, exp: t - 30 }, expect_)).toBe("object");
    expect(typeof checkIdTokenClaims({ ...claims, aud: ["client-1", "other"], azp: "client-1" }, expect_)).toBe("object");
  });

  test("verified means email_verified, or Entra's xms_edov; nothing else", () => {
    const v = (c: Record<string, unknown>) => (checkIdTokenClaims({ ...claims, ...c }, expect_) as ProviderIdentity).emailVerified;
    expect(v({ email_verified: false })).toBe(false);
    expect(v({ email_verified: undefined })).toBe(false);
    expect(v({ email_verified: "true" })).toBe(true);
    expect(v({ email_verified: undefined, xms_edov: true })).toBe(true);
    expect(v({ email: undefined })).toBe(false);
  });
});

describe("which account", () => {
  const provider = { name: "Google", allowedDomains: ["campaign.example"], defaultRole: "analyst" as const };
  const id = (over: Partial<ProviderIdentity> = {}): ProviderIdentity => ({
    subject: "s",
    email: "a@campaign.example",
    emailVerified: true,
    name: null,
    ...over,
  });
  const none = { linkedAccountId: null, accountWithEmail: null };

  test("a linked identity signs in to its account", () => {
    expect(decideLink(provider, id({ emailVerified: false }), { linkedAccountId: "u1", accountWithEmail: "u2" })).toEqual({ kind: "sign-in", accountId: "u1" });
  });

  test("a verified email links to the account with that email; else a new account with the default role", () => {
    expect(decideLink(provider, id(), { linkedAccountId: null, accountWithEmail: "u2" })).toEqual({ kind: "link", accountId: "u2" });
    expect(decideLink(provider, id(), none)).toEqual({ kind: "create", role: "analyst" });
    expect(decideLink({ ...provider, defaultRole: "viewer" }, id(), none)).toEqual({ kind: "create", role: "viewer" });
  });

  test("never above analyst, whatever the configuration says", () => {
    expect(decideLink({ ...provider, defaultRole: "admin" }, id(), none)).toEqual({ kind: "create", role: "analyst" });
  });

  test("an unverified email neither links nor creates", () => {
    expect(decideLink(provider, id({ emailVerified: false }), { linkedAccountId: null, accountWithEmail: "u2" }).kind).toBe("refuse");
    expect(decideLink(provider, id({ emailVerified: false }), none).kind).toBe("refuse");
  });

  test("a domain the provider does not admit, or no email, is refused, even for a linked identity", () => {
    expect(decideLink(provider, id({ email: "a@elsewhere.example" }), { linkedAccountId: "u1", accountWithEmail: null })).toMatchObject({
      kind: "refuse",
      reason: expect.stringContaining("elsewhere.example"),
    });
    expect(decideLink(provider, id({ email: "a@sub.campaign.example" }), none).kind).toBe("refuse");
    expect(decideLink(provider, id({ email: null }), none).kind).toBe("refuse");
  });
});

describe("unlinking", () => {
  test("the last identity stays when there is no password or the domain requires SSO", () => {
    expect(unlinkProblem({ hasPassword: true, ssoRequired: false, identities: 1 })).toBeNull();
    expect(unlinkProblem({ hasPassword: false, ssoRequired: false, identities: 1 })).toContain("no password");
    expect(unlinkProblem({ hasPassword: true, ssoRequired: true, identities: 1 })).toContain("single sign-on");
    expect(unlinkProblem({ hasPassword: false, ssoRequired: true, identities: 2 })).toBeNull();
  });
});

describe("the callback's answer", () => {
  test("with a frontend URL: a redirect with the code, or with the error", () => {
    const ok = callbackReply({ code: "c0de", expiresIn: 60 }, "https://app.example/signed-in?x=1");
    expect(ok.status).toBe(302);
    expect(ok.headers).toMatchObject({
      location: "https://app.example/signed-in?x=1&code=c0de",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    });
    const bad = callbackReply({ errorCode: "permission_denied", message: "no & no" }, "https://app.example/signed-in");
    expect(bad.status).toBe(302);
    const to = new URL(bad.headers.location);
    expect([to.searchParams.get("error"), to.searchParams.get("error_description"), to.searchParams.get("code")]).toEqual([
      "permission_denied",
      "no & no",
      null,
    ]);
  });

  test("without one: JSON, errors with Encore's body and status", () => {
    expect(callbackReply({ code: "c0de", expiresIn: 60 }, null)).toEqual({
      status: 200,
      headers: { "cache-control": "no-store", "referrer-policy": "no-referrer", "content-type": "application/json" },
      body: JSON.stringify({ code: "c0de", expiresIn: 60 }),
    });
    const statuses = ["invalid_argument", "unauthenticated", "permission_denied", "not_found", "unavailable", "internal"].map(
      (c) => callbackReply({ errorCode: c, message: "m" }, null).status,
    );
    expect(statuses).toEqual([400, 401, 403, 404, 503, 500]);
    expect(JSON.parse(callbackReply({ errorCode: "unauthenticated", message: "m" }, null).body)).toEqual({
      code: "unauthenticated",
      message: "m",
      details: null,
    });
  });
});
