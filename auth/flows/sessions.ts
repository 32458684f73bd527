// Sign-in, sessions and the gateway's token check: the rules behind auth's public endpoints.
import { createHash, randomUUID } from "node:crypto";
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { permissionsFor } from "../../shared/permissions";
import { audit } from "../audit";
import { isUuid } from "../../shared/ids";
import { normalizeEmail, toProfile, type Account, type AccountState } from "../domain/accounts";
import { burnPasswordCheck, hashPassword, needsRehash, passwordProblem, verifyPassword } from "../domain/passwords";
import { isKnowableAddress, loginSubjects, registrationSubject, ThrottledError, UNKNOWN_ADDRESS, type LoginAttempt } from "../domain/throttle";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  REFRESH_TOKEN_TTL_SECONDS,
  hashRefreshToken,
  isRefreshTokenShaped,
  newRefreshToken,
  signAccessToken,
  verifyAccessToken,
} from "../domain/tokens";
import type { LoginRequest, LoginResponse, RefreshResponse, RegisterRequest } from "../model";
import { emailDomain } from "../domain/oidc";
import { authCache, oidcProviders, passwordCost, signingKeys } from "../secrets";
import * as store from "../store";
import { loginThrottle, registrationLimit } from "./throttle";

/** What the gateway hands every endpoint about the caller (seed: userID, email, role, permissions). */
export interface CallerIdentity {
  userID: string;
  email: string;
  role: AccountState["role"];
  permissions: ReturnType<typeof permissionsFor>;
}

const INVALID_CREDENTIALS = "invalid email or password";
// The gateway rereads an account's role and session version at most this often (changes made
// through auth also drop the cached copy at once).
const ACCOUNT_STATE_TTL_SECONDS = 30;

function refreshExpiry(): Date {
  return new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000);
}

/** Issues an access token and starts a new refresh-token family for the account. */
export async function startSession(account: Account, how: "register" | "login" | "oidc", extra: Record<string, string> = {}): Promise<LoginResponse> {
  const keys = signingKeys();
  const familyId = randomUUID();
  const refresh = newRefreshToken();
  const accessToken = await signAccessToken(keys, { userID: account.id, email: account.email, role: account.role, sessionVersion: account.sessionVersion });
  await store.insertRefreshToken({ userId: account.id, familyId, hash: refresh.hash, expiresAt: refreshExpiry() });
  await audit({
    actorId: account.id,
    action: "session.created",
    targetType: "session",
    targetId: familyId,
    details: { userId: account.id, via: how, ...extra },
  });
  return { accessToken, refreshToken: refresh.token, user: toProfile(account), expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/**
 * Counts a self-registration against the client address's hourly budget before any other work, so
 * failed attempts (email taken, password refused, SSO domain) count as much as successes; past the
 * budget, 429 with the seconds until the window ends. Clients whose address is unknown share one
 * budget; only calls from inside the app (null: no client) are not counted.
 */
async function countRegistration(address: string | null): Promise<void> {
  if (address === null) return;
  const limit = await registrationLimit();
  try {
    await limit.take(registrationSubject(address));
  } catch (err) {
    if (!(err instanceof ThrottledError)) throw err;
    throw APIError.resourceExhausted(`too many registrations from this address; try again in ${err.retryAfterSeconds} seconds`).withDetails({
      retryAfterSeconds: err.retryAfterSeconds,
    });
  }
}

/** Remembers that the account signed in from the address (sparing it the account-wide login ceiling later); a failure to remember is logged, not fatal. */
export async function rememberAddress(userId: string, address: string | null): Promise<void> {
  if (!isKnowableAddress(address)) return;
  try {
    await store.rememberAddress(userId, address);
  } catch (err) {
    log.warn("could not remember a sign-in address", { error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * Starts a login attempt for the (normalised) email from the address through the throttle, or
 * throws 429 with retryAfterSeconds. The same for existing and unknown emails.
 */
async function beginAttempt(email: string, address: string | null): Promise<LoginAttempt> {
  const throttle = await loginThrottle();
  const known = isKnowableAddress(address) && (await store.isKnownAddress(email, address));
  try {
    return await throttle.begin(loginSubjects(email, address), known);
  } catch (err) {
    if (err instanceof ThrottledError) throw throttled(err);
    throw err;
  }
}

/** Self-registration: a viewer account (admin when the platform has none yet), signed in; limited per client address. */
export async function register(req: RegisterRequest, address: string | null): Promise<LoginResponse> {
  await countRegistration(address);
  const problem = passwordProblem(req.password, { email: req.email, name: req.name });
  if (problem) throw APIError.invalidArgument(problem);
  signingKeys(); // refuse before creating an account that could not sign in
  const email = normalizeEmail(req.email);
  await refusePasswordIfSsoRequired(email);
  const passwordHash = await hashPassword(req.password, passwordCost());
  let account: Account;
  try {
    account = await store.createAccount({ email, passwordHash, name: req.name.trim(), role: "viewer", firstBecomesAdmin: true });
  } catch (err) {
    if (err instanceof store.EmailTakenError) throw APIError.alreadyExists("an account with this email already exists");
    throw err;
  }
  await audit({
    actorId: account.id,
    action: "user.created",
    targetType: "user",
    targetId: account.id,
    details: { via: "register", after: { email: account.email, name: account.name, role: account.role } },
  });
  await rememberAddress(account.id, address);
  return startSession(account, "register");
}

/** 403 with a clear message when password sign-in is refused for this (normalised) email's domain (an admin required single sign-on for it). */
export async function refusePasswordIfSsoRequired(email: string): Promise<void> {
  const domain = emailDomain(email);
  if (!(await store.ssoRequired(domain))) return;
  const providers = [...oidcProviders().providers.values()].filter((p) => p.allowedDomains.includes(domain)).map((p) => p.id);
  throw APIError.permissionDenied(`accounts of ${domain} sign in with single sign-on, not a password: use GET /api/v1/auth/oauth/:provider/start`).withDetails({
    ssoRequired: true,
    providers,
  });
}

function throttled(err: ThrottledError): APIError {
  return APIError.resourceExhausted(`too many failed sign-ins; try again in ${err.retryAfterSeconds} seconds`).withDetails({
    retryAfterSeconds: err.retryAfterSeconds,
  });
}

/**
 * Sign-in with email and password. Wrong password and unknown email are indistinguishable (same
 * message, same bcrypt work, same throttling); failures are throttled per (account, address), per
 * account from addresses it never signed in from, and per address (domain/throttle.ts).
 */
export async function login(req: LoginRequest, address: string | null): Promise<LoginResponse> {
  signingKeys(); // a misconfigured key is 503 for everyone, before any password is checked
  const email = normalizeEmail(req.email);
  // Before the throttle and the password: a domain that must use single sign-on has no password to guess.
  await refusePasswordIfSsoRequired(email);
  const attempt = await beginAttempt(email, address);
  const cost = passwordCost();
  const account = await store.findLiveAccountByEmail(email);
  const ok = account ? await verifyPassword(req.password, account.passwordHash) : await burnPasswordCheck(req.password, cost);
  if (!account || !ok) {
    const lockouts = await attempt.failed();
    for (const l of lockouts) {
      // The chained target is a digest of the locked subject (the chain row keeps no email or
      // address); who and where go in the details, which erasure and retention may delete.
      await audit({
        actorId: account?.id ?? "anonymous",
        action: "login.locked",
        targetType: "login",
        targetId: `${l.kind}:${createHash("sha256").update(l.key).digest("hex").slice(0, 32)}`,
        details: {
          subject: l.kind,
          ...(l.kind !== "address" ? { email } : {}),
          ...(l.kind !== "account" ? { address: address ?? UNKNOWN_ADDRESS } : {}),
          failures: l.failures,
          lockSeconds: l.seconds,
        },
      });
    }
    throw APIError.unauthenticated(INVALID_CREDENTIALS);
  }
  await attempt.succeeded();
  await rememberAddress(account.id, address);
  const rehashed = needsRehash(account.passwordHash, cost) ? await hashPassword(req.password, cost) : null;
  const signedIn = (await store.recordLogin(account.id, rehashed)) ?? account;
  return startSession(signedIn, "login");
}

/** Uses a refresh token once: a new access token and the refresh token that replaces it. */
export async function refresh(refreshToken: string): Promise<RefreshResponse> {
  const keys = signingKeys();
  if (!isRefreshTokenShaped(refreshToken)) throw APIError.unauthenticated("invalid refresh token");
  const next = newRefreshToken();
  const outcome = await store.rotateRefreshToken(hashRefreshToken(refreshToken), { hash: next.hash, expiresAt: refreshExpiry() });
  if (outcome.kind === "reused") {
    await forgetAccountState(outcome.userId);
    await audit({
      actorId: outcome.userId,
      action: "session.reuse_detected",
      targetType: "session",
      targetId: outcome.familyId,
      details: { userId: outcome.userId, revokedTokens: outcome.revoked },
    });
    throw APIError.unauthenticated("invalid refresh token");
  }
  if (outcome.kind === "invalid") throw APIError.unauthenticated("invalid refresh token");
  const account = await store.getLiveAccount(outcome.userId);
  if (!account) throw APIError.unauthenticated("invalid refresh token");
  const accessToken = await signAccessToken(keys, { userID: account.id, email: account.email, role: account.role, sessionVersion: account.sessionVersion });
  await audit({ actorId: account.id, action: "session.refreshed", targetType: "session", targetId: outcome.familyId, details: { userId: account.id } });
  return { accessToken, refreshToken: next.token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** Ends every session of the account: refresh tokens revoked, access tokens refused from now on. */
export async function endAllSessions(userId: string, actorId: string, reason: string): Promise<void> {
  const revoked = await store.revokeAllSessions(userId, reason);
  await forgetAccountState(userId);
  await audit({ actorId, action: "session.revoked_all", targetType: "user", targetId: userId, details: { reason, revokedTokens: revoked } });
}

/** Changes the caller's own password after checking the current one; ends every session. */
export async function changePassword(userId: string, currentPassword: string, newPassword: string, address: string | null): Promise<void> {
  const account = await store.getLiveAccountWithHash(userId);
  if (!account) throw APIError.unauthenticated("sign in again");
  const problem = passwordProblem(newPassword, { email: account.email, name: account.name });
  if (problem) throw APIError.invalidArgument(problem);
  // Guessing the current password through this endpoint is throttled like sign-in.
  const attempt = await beginAttempt(account.email, address);
  if (!(await verifyPassword(currentPassword, account.passwordHash))) {
    await attempt.failed();
    throw APIError.permissionDenied("the current password is wrong");
  }
  await attempt.succeeded();
  await rememberAddress(userId, address);
  await store.setPassword(userId, await hashPassword(newPassword, passwordCost()));
  await forgetAccountState(userId);
  await audit({ actorId: userId, action: "user.password_changed", targetType: "user", targetId: userId, details: {} });
}

/** The account's live state, through the cache. */
async function accountState(userId: string): Promise<AccountState | null> {
  const { cache } = await authCache();
  return cache.getOrLoad(`account:${userId}`, ACCOUNT_STATE_TTL_SECONDS, () => store.getAccountState(userId));
}

/** Drops the cached state of an account after a change to its role, sessions or existence. */
export async function forgetAccountState(userId: string): Promise<void> {
  const { cache } = await authCache();
  await cache.del(`account:${userId}`);
}

/**
 * The gateway's check of an access token: signature, algorithm, claims and expiry, then the
 * account: it must still be live and its sessions not ended since the token was issued. The role
 * is the account's current one (a demotion takes effect at once, not when the token expires).
 */
export async function authenticate(token: string): Promise<CallerIdentity> {
  const keys = signingKeys();
  let claims: Awaited<ReturnType<typeof verifyAccessToken>>;
  try {
    claims = await verifyAccessToken(keys, token);
  } catch {
    throw APIError.unauthenticated("invalid or expired token");
  }
  if (!isUuid(claims.userID)) throw APIError.unauthenticated("invalid or expired token");
  const state = await accountState(claims.userID);
  if (!state?.live || state.sessionVersion !== claims.sessionVersion) {
    throw APIError.unauthenticated("this session has ended; sign in again");
  }
  return { userID: state.id, email: state.email, role: state.role, permissions: permissionsFor(state.role) };
}
