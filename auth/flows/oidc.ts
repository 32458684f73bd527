// Sign-in with OpenID Connect providers (authorization code + PKCE, state and nonce), linked
// identities, and the domains that must use single sign-on. Discovery, the token request and the
// JWKS are plain fetch + jose (the ID token's signature is always checked against the provider's
// keys, and our rules, not a library's defaults, decide what passes); the rules are in domain/oidc.ts.
import { randomBytes } from "node:crypto";
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { audit } from "../audit";
import { isUuid } from "../../shared/ids";
import type { Account } from "../domain/accounts";
import {
  EXCHANGE_CODE_TTL_SECONDS,
  FLOW_TTL_SECONDS,
  ID_TOKEN_SKEW_SECONDS,
  STARTS_PER_ADDRESS_PER_MINUTE,
  authorizationUrl,
  checkIdTokenClaims,
  decideLink,
  emailDomain,
  hashSecret,
  isSecretShaped,
  newExchangeCode,
  newFlowSecrets,
  normalizeDomain,
  parseDiscovery,
  unlinkProblem,
  type DiscoveryDocument,
  type OidcProvider,
  type ProviderIdentity,
} from "../domain/oidc";
import { hashPassword } from "../domain/passwords";
import type { LinkedIdentity, LoginResponse, OAuthStartResponse, SsoDomainInfo } from "../model";
import { authCache, isProduction, oidcProviders, passwordCost, signingKeys } from "../secrets";
import { rememberAddress, startSession } from "./sessions";
import * as store from "../store";

const PROVIDER_TIMEOUT_MS = 10_000;
const DISCOVERY_TTL_MS = 3600_000;

/** The configured provider with this id; 404 for any other. */
export function provider(id: string): OidcProvider {
  const p = oidcProviders().providers.get(id);
  if (!p) throw APIError.notFound(`no sign-in provider "${id}"`);
  return p;
}

/** The configured providers, for the frontend's buttons. */
export function providerList(): { id: string; name: string }[] {
  return [...oidcProviders().providers.values()].map((p) => ({ id: p.id, name: p.name }));
}

// --- talking to the provider ---

const discoveries = new Map<string, { doc: DiscoveryDocument; until: number }>();

function unavailable(p: OidcProvider, what: string): APIError {
  return APIError.unavailable(`${p.name} cannot be reached (${what}); try again later`);
}

/** The provider's discovery document, fetched at most hourly; 503 when it cannot be had. */
async function discover(p: OidcProvider): Promise<DiscoveryDocument> {
  const cached = discoveries.get(p.id);
  if (cached && cached.until > Date.now()) return cached.doc;
  const url = `${p.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  let body: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS), headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (err) {
    log.warn("OIDC discovery failed", { provider: p.id, url, error: err instanceof Error ? err.message : String(err) });
    throw unavailable(p, "discovery failed");
  }
  const doc = parseDiscovery(body, p.issuer, isProduction());
  if (typeof doc === "string") {
    log.error(`OIDC provider "${p.id}" is misconfigured: ${doc}`);
    throw unavailable(p, "its discovery document is not usable");
  }
  discoveries.set(p.id, { doc, until: Date.now() + DISCOVERY_TTL_MS });
  return doc;
}

// jose's remote key set: cached, refetched (with a cooldown) when a token names an unknown key.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(uri: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), { timeoutDuration: PROVIDER_TIMEOUT_MS });
    keySets.set(uri, set);
  }
  return set;
}

/** Redeems the provider's authorization code (with the PKCE verifier) for its ID token; 401 when the provider refuses. */
async function redeemCode(p: OidcProvider, doc: DiscoveryDocument, code: string, verifier: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: p.redirectUri, code_verifier: verifier });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (doc.tokenAuth === "client_secret_basic") {
    // RFC 6749 §2.3.1: the id and secret are form-encoded before being joined.
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
    headers.authorization = `Basic ${Buffer.from(`${enc(p.clientId)}:${enc(p.clientSecret)}`).toString("base64")}`;
  } else {
    form.set("client_id", p.clientId);
    form.set("client_secret", p.clientSecret);
  }
  let res: Response;
  let body: Record<string, unknown>;
  try {
    res = await fetch(doc.tokenEndpoint, { method: "POST", headers, body: form.toString(), signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
    body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  } catch (err) {
    log.warn("OIDC token request failed", { provider: p.id, error: err instanceof Error ? err.message : String(err) });
    throw unavailable(p, "the token request failed");
  }
  if (res.status >= 500) throw unavailable(p, `its token endpoint answered ${res.status}`);
  if (!res.ok) {
    const error = typeof body.error === "string" ? body.error : `HTTP ${res.status}`;
    log.info("OIDC token request refused", { provider: p.id, error });
    if (error === "invalid_client" || error === "unauthorized_client")
      log.error(`OIDC provider "${p.id}" refuses our client credentials: check clientId/clientSecret`);
    throw APIError.unauthenticated(`${p.name} refused the sign-in code (${error}): it may have been used already or have expired; sign in again`);
  }
  if (typeof body.id_token !== "string") throw APIError.unauthenticated(`${p.name} sent no ID token`);
  return body.id_token;
}

/** Verifies the ID token: signature against the provider's JWKS (asymmetric algorithms only), then the claims. */
async function verifyIdToken(p: OidcProvider, doc: DiscoveryDocument, idToken: string, nonce: string): Promise<ProviderIdentity> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keySet(doc.jwksUri), { algorithms: doc.idTokenAlgs, clockTolerance: ID_TOKEN_SKEW_SECONDS }));
  } catch (err) {
    if (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError)) {
      log.warn("OIDC keys could not be fetched", { provider: p.id, error: err instanceof Error ? err.message : String(err) });
      throw unavailable(p, "its signing keys could not be fetched");
    }
    log.info("OIDC ID token refused", { provider: p.id, error: err.code });
    throw APIError.unauthenticated(err instanceof joseErrors.JWTExpired ? "the ID token has expired" : "the ID token's signature is not valid");
  }
  const identity = checkIdTokenClaims(payload as Record<string, unknown>, { issuer: doc.issuer, clientId: p.clientId, nonce, now: new Date() });
  if (typeof identity === "string") {
    log.info("OIDC ID token refused", { provider: p.id, error: identity });
    throw APIError.unauthenticated(identity);
  }
  return identity;
}

// --- the flow ---

/** Starts a sign-in: stores state, nonce and PKCE verifier (10 minutes, used once) and returns the provider's URL (429 past 30 starts a minute from one address). */
export async function start(providerId: string, address: string | null): Promise<OAuthStartResponse> {
  const p = provider(providerId);
  signingKeys(); // 503 now rather than after the user has signed in at the provider
  if (address) {
    // Each start stores a flow: one address may not fill the table. A cache that cannot count lets it through.
    const { cache } = await authCache();
    const n = await cache.incr(`oidc-start:${address}`, 60);
    if (n !== undefined && n > STARTS_PER_ADDRESS_PER_MINUTE) {
      throw APIError.resourceExhausted("too many sign-ins started from this address; try again in a minute").withDetails({ retryAfterSeconds: 60 });
    }
  }
  const doc = await discover(p);
  const flow = newFlowSecrets();
  await store.insertFlow(hashSecret(flow.state), {
    provider: p.id,
    nonce: flow.nonce,
    codeVerifier: flow.codeVerifier,
    bindingHash: hashSecret(flow.flowToken),
    expiresAt: new Date(Date.now() + FLOW_TTL_SECONDS * 1000),
  });
  return { authorizationUrl: authorizationUrl(doc.authorizationEndpoint, p, flow), flowToken: flow.flowToken, expiresIn: FLOW_TTL_SECONDS };
}

/** The query of the provider's redirect to our callback. */
export interface CallbackParams {
  code?: string;
  state?: string;
  error?: string;
  /** RFC 9207: the issuer of the response, when the provider says. */
  iss?: string;
}

/** The one-time code the frontend redeems (POST /api/v1/auth/oauth/exchange with its flow token). */
export interface CallbackResult {
  code: string;
  expiresIn: number;
}

/**
 * The provider's redirect: 400 for a missing, unknown, used or expired state; 401 when the
 * provider refuses the code or the ID token is not valid; 403 when the identity may not sign in.
 * Otherwise the account is found, linked or created and a one-time code issued for it.
 */
export async function callback(providerId: string, params: CallbackParams): Promise<CallbackResult> {
  const p = provider(providerId);
  if (!isSecretShaped(params.state)) throw APIError.invalidArgument("the sign-in state is missing or not ours; start the sign-in again");
  const flow = await store.takeFlow(hashSecret(params.state));
  if (!flow || flow.provider !== p.id) throw APIError.invalidArgument("the sign-in state is unknown, used or expired; start the sign-in again");
  if (params.error) throw APIError.unauthenticated(`${p.name} did not sign you in (${params.error.slice(0, 100)})`);
  if (!params.code || params.code.length > 2048) throw APIError.invalidArgument("the provider's redirect has no code");
  const doc = await discover(p);
  if (params.iss !== undefined && params.iss !== doc.issuer) throw APIError.unauthenticated("the sign-in response came from another issuer");
  const idToken = await redeemCode(p, doc, params.code, flow.codeVerifier);
  const identity = await verifyIdToken(p, doc, idToken, flow.nonce);
  const account = await accountFor(p, identity);
  const code = newExchangeCode();
  await store.insertExchangeCode({
    codeHash: hashSecret(code),
    userId: account.id,
    provider: p.id,
    bindingHash: flow.bindingHash,
    expiresAt: new Date(Date.now() + EXCHANGE_CODE_TTL_SECONDS * 1000),
  });
  return { code, expiresIn: EXCHANGE_CODE_TTL_SECONDS };
}

/** Redeems the one-time code (once, within a minute, with the flow token of the browser that started) for War Room's tokens. */
export async function exchange(code: string, flowToken: string, address: string | null): Promise<LoginResponse> {
  signingKeys();
  const refused = () => APIError.unauthenticated("this sign-in code is invalid, used or expired; sign in again");
  if (!isSecretShaped(code) || !isSecretShaped(flowToken)) throw refused();
  const redeemed = await store.takeExchangeCode(hashSecret(code));
  if (!redeemed || redeemed.bindingHash !== hashSecret(flowToken)) throw refused();
  const account = await store.getLiveAccount(redeemed.userId);
  if (!account) throw refused();
  const signedIn = (await store.recordLogin(account.id, null)) ?? account;
  // As after a password sign-in: the address is known to the account from now on.
  await rememberAddress(account.id, address);
  return startSession(signedIn, "oidc", { provider: redeemed.provider });
}

/** Finds, links or creates the account of a verified provider identity (403 when it may not sign in). */
async function accountFor(p: OidcProvider, identity: ProviderIdentity): Promise<Account> {
  // A concurrent first sign-in may create or link the same account between our read and write: look again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const linked = await store.linkedAccountId(p.id, identity.subject);
    const byEmail = !linked && identity.email ? await store.findLiveAccountByEmail(identity.email) : null;
    const decision = decideLink(p, identity, { linkedAccountId: linked, accountWithEmail: byEmail?.id ?? null });
    switch (decision.kind) {
      case "refuse":
        log.info("OIDC sign-in refused", { provider: p.id, reason: decision.reason });
        throw APIError.permissionDenied(decision.reason);
      case "sign-in": {
        const account = await store.getLiveAccount(decision.accountId);
        if (!account) continue;
        await store.touchIdentity(p.id, identity.subject);
        return account;
      }
      case "link": {
        const link = await store.linkIdentity(decision.accountId, p.id, identity.subject, identity.email);
        if (!link) continue;
        await audit({
          actorId: decision.accountId,
          action: "identity.linked",
          targetType: "user",
          targetId: decision.accountId,
          details: { identityId: link.id, provider: p.id, email: identity.email, via: "verified-email" },
        });
        const account = await store.getLiveAccount(decision.accountId);
        if (!account) continue;
        return account;
      }
      case "create": {
        const email = identity.email!;
        let account: Account;
        try {
          account = await store.createAccount({
            email,
            // A password nobody knows: the account signs in through its provider until an admin sets one.
            passwordHash: await hashPassword(randomBytes(32).toString("base64url").slice(0, 64), passwordCost()),
            name: identity.name ?? email.slice(0, email.indexOf("@")),
            role: decision.role,
            firstBecomesAdmin: false,
            passwordSet: false,
          });
        } catch (err) {
          if (err instanceof store.EmailTakenError) continue;
          throw err;
        }
        await audit({
          actorId: account.id,
          action: "user.created",
          targetType: "user",
          targetId: account.id,
          details: { via: "oidc", provider: p.id, after: { email: account.email, name: account.name, role: account.role } },
        });
        const link = await store.linkIdentity(account.id, p.id, identity.subject, identity.email);
        if (!link) continue;
        await audit({
          actorId: account.id,
          action: "identity.linked",
          targetType: "user",
          targetId: account.id,
          details: { identityId: link.id, provider: p.id, email: identity.email, via: "new-account" },
        });
        return account;
      }
    }
  }
  throw APIError.unavailable("the sign-in collided with another one for the same account; try again");
}

// --- linked identities ---

function toLinked(i: store.Identity): LinkedIdentity {
  return { id: i.id, provider: i.provider, email: i.email, linkedAt: i.linkedAt, lastUsedAt: i.lastUsedAt };
}

/** The caller's linked identities. */
export async function identities(userId: string): Promise<LinkedIdentity[]> {
  return (await store.identitiesOf(userId)).map(toLinked);
}

/** Removes one of the caller's identities (404 when not theirs; refused when it is their last way to sign in). */
export async function unlink(userId: string, identityId: string): Promise<void> {
  if (!isUuid(identityId)) throw APIError.notFound("no such linked identity");
  const outcome = await store.unlinkIdentityChecked(
    userId,
    identityId,
    (facts) => unlinkProblem(facts),
    (email) => emailDomain(email),
  );
  if (outcome.kind === "not-found") throw APIError.notFound("no such linked identity");
  if (outcome.kind === "refused") throw APIError.failedPrecondition(outcome.reason);
  await audit({
    actorId: userId,
    action: "identity.unlinked",
    targetType: "user",
    targetId: userId,
    details: { identityId, provider: outcome.identity.provider, email: outcome.identity.email },
  });
}

// --- domains that must sign in with a provider ---

function validDomain(value: string): string {
  const domain = normalizeDomain(value);
  if (!domain) throw APIError.invalidArgument(`"${value.slice(0, 100)}" is not a domain name`);
  return domain;
}

export async function ssoDomains(): Promise<SsoDomainInfo[]> {
  return store.listSsoDomains();
}

/** Requires single sign-on for a domain (idempotent); refused when no configured provider admits the domain. */
export async function requireSso(value: string, actorId: string): Promise<SsoDomainInfo> {
  const domain = validDomain(value);
  if (![...oidcProviders().providers.values()].some((p) => p.allowedDomains.includes(domain))) {
    throw APIError.failedPrecondition(`no configured sign-in provider admits ${domain}: requiring single sign-on would lock its accounts out`);
  }
  const added = await store.addSsoDomain(domain, actorId);
  if (!added) return (await store.listSsoDomains()).find((d) => d.domain === domain) ?? { domain, createdBy: actorId, createdAt: new Date() };
  await audit({ actorId, action: "sso.required", targetType: "sso_domain", targetId: domain, details: {} });
  return added;
}

/** Lets a domain sign in with passwords again (404 when it did not require single sign-on). */
export async function releaseSso(value: string, actorId: string): Promise<void> {
  const domain = validDomain(value);
  if (!(await store.removeSsoDomain(domain))) throw APIError.notFound(`${domain} does not require single sign-on`);
  await audit({ actorId, action: "sso.released", targetType: "sso_domain", targetId: domain, details: {} });
}
