// Sign-in with OpenID Connect providers: the pure rules. Provider configuration, the checks on an
// ID token's claims (after its signature has been verified against the provider's keys), which
// account a provider identity signs in to, and when an identity may be unlinked. No I/O: the
// configuration, the clock and the database's answers come in as arguments.
import { createHash, randomBytes } from "node:crypto";
import { isRole, roleAtLeast, type Role } from "../../shared/permissions";
import { normalizeEmail } from "./accounts";

/** The highest role an account created through a provider may get. */
export const MAX_PROVIDER_ROLE: Role = "analyst";
/** How long an authorization request (state, nonce, PKCE verifier) may take to come back. */
export const FLOW_TTL_SECONDS = 600;
/** How long the one-time code handed to the frontend after the callback is good for. */
export const EXCHANGE_CODE_TTL_SECONDS = 60;
/** Sign-ins one client address may start per minute (each stores a flow until it expires). */
export const STARTS_PER_ADDRESS_PER_MINUTE = 30;
/** Clock difference allowed between us and the provider when checking exp/iat. */
export const ID_TOKEN_SKEW_SECONDS = 60;
/** ID token signature algorithms we accept: asymmetric only (never `none`, never HS* keyed with the client secret). */
export const ACCEPTED_ID_TOKEN_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;

/** One configured OpenID Connect provider. */
export interface OidcProvider {
  /** The path segment: /api/v1/auth/oauth/:id/start. */
  id: string;
  /** Shown to users ("Google"). */
  name: string;
  /** The issuer, exactly as the provider's discovery document states it. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Our callback as registered with the provider: https://…/api/v1/auth/oauth/:id/callback. */
  redirectUri: string;
  /** Email domains (lower case) that may sign in through this provider. */
  allowedDomains: string[];
  /** The role of accounts created through this provider (viewer or analyst). */
  defaultRole: Role;
  /** Scopes asked for; always includes openid. */
  scopes: string[];
}

/** The parsed OIDC_PROVIDERS secret: usable providers, and why any entry was refused. */
export interface ProviderConfig {
  providers: Map<string, OidcProvider>;
  errors: string[];
}

const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** True for http(s) URLs on this machine (127.0.0.1, ::1, localhost): allowed over plain http outside production. */
export function isLoopbackUrl(url: URL): boolean {
  return url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
}

/** Why a provider URL may not be used (null when fine): https, or http on loopback outside production. */
export function urlProblem(value: unknown, what: string, production: boolean): string | null {
  if (typeof value !== "string" || value === "") return `${what} is missing`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${what} is not a URL`;
  }
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && isLoopbackUrl(url) && !production) return null;
  return `${what} must be https (plain http only for 127.0.0.1/localhost outside production)`;
}

/** A domain as configured or typed by an admin, lower-cased; null when it is not a domain name. */
export function normalizeDomain(value: string): string | null {
  const d = value.trim().toLowerCase();
  return DOMAIN.test(d) ? d : null;
}

/** The domain part of an (already normalised) email address. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}

function str(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

/**
 * Parses OIDC_PROVIDERS: a JSON array of providers. Entries with a problem are left out and
 * reported (the others still work); an empty value means no providers.
 */
export function parseProviders(json: string, production: boolean): ProviderConfig {
  const providers = new Map<string, OidcProvider>();
  const errors: string[] = [];
  if (json.trim() === "") return { providers, errors };
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return { providers, errors: ["OIDC_PROVIDERS is not valid JSON"] };
  }
  if (!Array.isArray(list)) return { providers, errors: ["OIDC_PROVIDERS must be a JSON array of providers"] };
  list.forEach((entry: unknown, i) => {
    const e = (entry && typeof entry === "object" ? entry : {}) as Record<string, unknown>;
    const id = str(e.id);
    const label = id ? `OIDC provider "${id}"` : `OIDC provider #${i + 1}`;
    const problems: string[] = [];
    if (!PROVIDER_ID.test(id)) problems.push("id must be 1-40 lower-case letters, digits or dashes");
    if (providers.has(id)) problems.push("id is used twice");
    const issuerProblem = urlProblem(str(e.issuer), "issuer", production);
    if (issuerProblem) problems.push(issuerProblem);
    if (!str(e.clientId)) problems.push("clientId is missing");
    if (!str(e.clientSecret)) problems.push("clientSecret is missing");
    const redirectProblem = urlProblem(str(e.redirectUri), "redirectUri", production);
    if (redirectProblem) problems.push(redirectProblem);
    const domainsIn = Array.isArray(e.allowedDomains) ? e.allowedDomains : [];
    const allowedDomains: string[] = [];
    for (const d of domainsIn) {
      const n = typeof d === "string" ? normalizeDomain(d) : null;
      if (n) allowedDomains.push(n);
      else problems.push(`allowedDomains has ${JSON.stringify(d)}, which is not a domain name`);
    }
    if (!Array.isArray(e.allowedDomains)) problems.push("allowedDomains must be a list of email domains");
    const roleIn = e.defaultRole === undefined ? "viewer" : e.defaultRole;
    if (!isRole(roleIn)) problems.push(`defaultRole ${JSON.stringify(roleIn)} is not a role`);
    else if (!roleAtLeast(MAX_PROVIDER_ROLE, roleIn)) problems.push(`defaultRole may be at most ${MAX_PROVIDER_ROLE} (admins promote people afterwards)`);
    const scopesIn = Array.isArray(e.scopes)
      ? e.scopes.filter((s): s is string => typeof s === "string" && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))
      : ["email", "profile"];
    if (problems.length > 0) {
      errors.push(`${label} is ignored: ${problems.join("; ")}`);
      return;
    }
    providers.set(id, {
      id,
      name: str(e.name) || id,
      issuer: str(e.issuer),
      clientId: str(e.clientId),
      clientSecret: str(e.clientSecret),
      redirectUri: str(e.redirectUri),
      allowedDomains,
      defaultRole: roleIn as Role,
      scopes: ["openid", ...scopesIn.filter((s) => s !== "openid")],
    });
  });
  return { providers, errors };
}

// --- discovery ---

/** The parts of a discovery document (/.well-known/openid-configuration) we use. */
export interface DiscoveryDocument {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** client_secret_basic unless the provider supports only client_secret_post. */
  tokenAuth: "client_secret_basic" | "client_secret_post";
  idTokenAlgs: string[];
}

/** Reads a discovery document for `expectedIssuer`; a string saying what is wrong otherwise. */
export function parseDiscovery(doc: unknown, expectedIssuer: string, production: boolean): DiscoveryDocument | string {
  if (!doc || typeof doc !== "object") return "the discovery document is not a JSON object";
  const d = doc as Record<string, unknown>;
  // OpenID Connect Discovery 1.0 §4.3: the issuer must be exactly the one we asked about.
  if (d.issuer !== expectedIssuer) return `the discovery document's issuer ${JSON.stringify(d.issuer)} is not ${expectedIssuer}`;
  for (const k of ["authorization_endpoint", "token_endpoint", "jwks_uri"]) {
    const p = urlProblem(d[k], k, production);
    if (p) return p;
  }
  const methods = Array.isArray(d.token_endpoint_auth_methods_supported) ? d.token_endpoint_auth_methods_supported : ["client_secret_basic"];
  const tokenAuth = !methods.includes("client_secret_basic") && methods.includes("client_secret_post") ? "client_secret_post" : "client_secret_basic";
  const advertised = Array.isArray(d.id_token_signing_alg_values_supported) ? d.id_token_signing_alg_values_supported : ["RS256"];
  const idTokenAlgs = advertised.filter((a): a is string => (ACCEPTED_ID_TOKEN_ALGS as readonly unknown[]).includes(a));
  if (idTokenAlgs.length === 0) return "the provider signs ID tokens with no algorithm we accept";
  const methodsPkce = d.code_challenge_methods_supported;
  if (Array.isArray(methodsPkce) && !methodsPkce.includes("S256")) return "the provider does not support PKCE with S256";
  return {
    issuer: expectedIssuer,
    authorizationEndpoint: d.authorization_endpoint as string,
    tokenEndpoint: d.token_endpoint as string,
    jwksUri: d.jwks_uri as string,
    tokenAuth,
    idTokenAlgs,
  };
}

// --- the authorization request ---

/** The secrets of one authorization request. state and flowToken are kept hashed. */
export interface FlowSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Given to the frontend that started the flow; needed again to redeem the one-time code. */
  flowToken: string;
}

function random(): string {
  return randomBytes(32).toString("base64url");
}

export function newFlowSecrets(): FlowSecrets {
  return { state: random(), nonce: random(), codeVerifier: random(), flowToken: random() };
}

/** A new one-time code for the frontend. */
export function newExchangeCode(): string {
  return random();
}

/** SHA-256 (hex) of a state, flow token or one-time code: what the database keeps. */
export function hashSecret(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** RFC 7636 S256 code challenge of a verifier. */
export function codeChallenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** The provider's authorization URL for a flow (authorization code, PKCE S256, state, nonce). */
export function authorizationUrl(endpoint: string, provider: OidcProvider, flow: FlowSecrets): string {
  const url = new URL(endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", provider.clientId);
  url.searchParams.set("redirect_uri", provider.redirectUri);
  url.searchParams.set("scope", provider.scopes.join(" "));
  url.searchParams.set("state", flow.state);
  url.searchParams.set("nonce", flow.nonce);
  url.searchParams.set("code_challenge", codeChallenge(flow.codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

/** A state, code or flow token as we issue them (43 base64url characters): anything else is not looked up. */
export function isSecretShaped(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value);
}

// --- the ID token ---

/** What we expect of an ID token. */
export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  now: Date;
}

/** Who the provider says signed in, from a valid ID token. */
export interface ProviderIdentity {
  subject: string;
  /** Normalised; null when the provider shared none. */
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/**
 * Checks an ID token's claims (OpenID Connect Core §3.1.3.7) after its signature: issuer, audience
 * (and azp when there are several), expiry and issue time with a little clock skew, nonce, subject.
 * Returns the identity, or why the token is refused.
 */
export function checkIdTokenClaims(claims: Record<string, unknown>, expect: IdTokenExpectations): ProviderIdentity | string {
  const now = expect.now.getTime() / 1000;
  if (claims.iss !== expect.issuer) return "the ID token was issued by someone else";
  const aud = claims.aud;
  const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(expect.clientId)) return "the ID token is meant for another client";
  if (audiences.length > 1 && claims.azp !== expect.clientId) return "the ID token's authorized party is another client";
  if (claims.azp !== undefined && claims.azp !== expect.clientId) return "the ID token's authorized party is another client";
  if (typeof claims.exp !== "number") return "the ID token has no expiry";
  if (claims.exp + ID_TOKEN_SKEW_SECONDS <= now) return "the ID token has expired";
  if (typeof claims.iat !== "number") return "the ID token has no issue time";
  if (claims.iat - ID_TOKEN_SKEW_SECONDS > now) return "the ID token was issued in the future";
  if (typeof claims.nonce !== "string" || claims.nonce !== expect.nonce) return "the ID token's nonce does not match this sign-in";
  const sub = claims.sub;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 255) return "the ID token has no usable subject";
  const email = typeof claims.email === "string" && claims.email.includes("@") ? normalizeEmail(claims.email) : null;
  // Google sends email_verified; Microsoft Entra sends xms_edov (the domain owner verified it) when configured.
  const emailVerified =
    email !== null && (claims.email_verified === true || claims.email_verified === "true" || claims.xms_edov === true || claims.xms_edov === "1");
  const name = typeof claims.name === "string" && claims.name.trim() !== "" ? claims.name.trim().slice(0, 255) : null;
  return { subject: sub, email, emailVerified, name };
}

// --- which account ---

/** What the database says about a provider identity before signing it in. */
export interface LinkFacts {
  /** The live account this provider identity is already linked to. */
  linkedAccountId: string | null;
  /** The live account with the identity's email. */
  accountWithEmail: string | null;
}

/** What to do with a verified ID token. */
export type LinkDecision =
  | { kind: "sign-in"; accountId: string }
  | { kind: "link"; accountId: string }
  | { kind: "create"; role: Role }
  | { kind: "refuse"; reason: string };

/**
 * Decides the account a provider identity signs in to:
 * - the email's domain must be one the provider allows (for every sign-in, so removing a domain
 *   from the configuration ends its sign-ins);
 * - an identity already linked signs in to its account;
 * - otherwise the provider must have verified the email: then it links to the account with that
 *   email, or a new account is created with the provider's default role (at most analyst).
 *   An unverified email neither links nor creates: whoever controls it would take over the address.
 */
export function decideLink(
  provider: Pick<OidcProvider, "name" | "allowedDomains" | "defaultRole">,
  identity: ProviderIdentity,
  facts: LinkFacts,
): LinkDecision {
  if (!identity.email) return { kind: "refuse", reason: `${provider.name} did not share an email address` };
  const domain = emailDomain(identity.email);
  if (!provider.allowedDomains.includes(domain)) return { kind: "refuse", reason: `accounts of ${domain} may not sign in with ${provider.name}` };
  if (facts.linkedAccountId) return { kind: "sign-in", accountId: facts.linkedAccountId };
  if (!identity.emailVerified) {
    return {
      kind: "refuse",
      reason: `${provider.name} has not verified ${identity.email}: an unverified email is never linked to an account or used for a new one`,
    };
  }
  if (facts.accountWithEmail) return { kind: "link", accountId: facts.accountWithEmail };
  return { kind: "create", role: roleAtLeast(MAX_PROVIDER_ROLE, provider.defaultRole) ? provider.defaultRole : MAX_PROVIDER_ROLE };
}

/** What is known about an account's ways to sign in, when one identity is to be removed. */
export interface UnlinkFacts {
  /** The account has a password of its own (not an account created by a provider). */
  hasPassword: boolean;
  /** Password sign-in is refused for the account's email domain. */
  ssoRequired: boolean;
  /** How many identities the account has, the one to remove included. */
  identities: number;
}

/** Why an identity may not be removed (the account could no longer sign in), or null. */
export function unlinkProblem(f: UnlinkFacts): string | null {
  if (f.identities > 1) return null;
  if (f.ssoRequired) return "your domain signs in only with single sign-on: this is your last linked identity";
  if (!f.hasPassword) return "this is your only way to sign in (the account has no password)";
  return null;
}

// --- the callback's answer to the browser ---

/** How the callback ended: a one-time code, or an error (Encore's code and message). */
export type CallbackOutcome = { code: string; expiresIn: number } | { errorCode: string; message: string };

/** An HTTP answer, written as is by the raw endpoint. */
export interface CallbackReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// The HTTP status of every error the callback can end with, as Encore maps these codes.
const STATUS: Record<string, number> = {
  invalid_argument: 400,
  failed_precondition: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  unavailable: 503,
};

/**
 * The callback's answer. With a frontend URL: a redirect there with `?code=` (or `?error=` and
 * `error_description=`), so the browser lands on the app; without one: JSON (`{code, expiresIn}`,
 * or Encore's error body with its status). Never cached, never sent on as a referrer.
 */
export function callbackReply(outcome: CallbackOutcome, frontendUrl: string | null): CallbackReply {
  const headers: Record<string, string> = { "cache-control": "no-store", "referrer-policy": "no-referrer" };
  if (frontendUrl) {
    const to = new URL(frontendUrl);
    if ("code" in outcome) to.searchParams.set("code", outcome.code);
    else {
      to.searchParams.set("error", outcome.errorCode);
      to.searchParams.set("error_description", outcome.message);
    }
    return { status: 302, headers: { ...headers, location: to.toString() }, body: "" };
  }
  headers["content-type"] = "application/json";
  if ("code" in outcome) return { status: 200, headers, body: JSON.stringify({ code: outcome.code, expiresIn: outcome.expiresIn }) };
  return { status: STATUS[outcome.errorCode] ?? 500, headers, body: JSON.stringify({ code: outcome.errorCode, message: outcome.message, details: null }) };
}
