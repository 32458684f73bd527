// auth's public endpoints (seed paths): register, login, refresh, me, logout, and password change.
import { currentRequest } from "encore.dev";
import { api, APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { requireCaller, requirePermission } from "../shared/permissions";
import { toProfile } from "./domain/accounts";
import { callbackReply, type CallbackOutcome } from "./domain/oidc";
import { requestOrigin } from "./domain/throttle";
import type {
  ChangePasswordRequest,
  IdentityIdRequest,
  LinkedIdentitiesResponse,
  LoginRequest,
  LoginResponse,
  OAuthExchangeRequest,
  OAuthProvidersResponse,
  OAuthStartResponse,
  ProviderRequest,
  RefreshRequest,
  RefreshResponse,
  RegisterRequest,
  SsoDomainInfo,
  SsoDomainRequest,
  SsoDomainsResponse,
  SuccessResponse,
  UserProfile,
} from "./model";
import * as oidc from "./flows/oidc";
import { oidcFrontendRedirect } from "./secrets";
import * as sessions from "./flows/sessions";
import * as store from "./store";

/** The client's address as the runtime reports it (UNKNOWN_ADDRESS when it names none); null for calls from inside the app. */
function callerAddress(): string | null {
  const req = currentRequest();
  return req?.type === "api-call" ? requestOrigin(req.headers) : null;
}

// register creates an account (viewer; the first account of a platform without an admin is admin) and signs it in; 429 with retryAfterSeconds past REGISTRATIONS_PER_ADDRESS_PER_HOUR attempts from one address.
export const register = api(
  { expose: true, method: "POST", path: "/api/v1/auth/register" },
  (req: RegisterRequest): Promise<LoginResponse> => sessions.register(req, callerAddress()),
);

// login signs in with email and password; failures are throttled per account and per address (429 with retryAfterSeconds).
export const login = api(
  { expose: true, method: "POST", path: "/api/v1/auth/login" },
  (req: LoginRequest): Promise<LoginResponse> => sessions.login(req, callerAddress()),
);

// refreshToken trades a refresh token (once) for a new access token and a new refresh token; reusing one revokes its family.
export const refreshToken = api(
  { expose: true, method: "POST", path: "/api/v1/auth/refresh" },
  (req: RefreshRequest): Promise<RefreshResponse> => sessions.refresh(req.refreshToken),
);

// me returns the signed-in user's profile.
export const me = api({ expose: true, auth: true, method: "GET", path: "/api/v1/auth/me" }, async (): Promise<UserProfile> => {
  const caller = requireCaller();
  const account = await store.getLiveAccount(caller.userID);
  if (!account) throw APIError.unauthenticated("this account no longer exists");
  return toProfile(account);
});

// logout ends every session of the signed-in user: refresh tokens revoked, access tokens refused from now on.
export const logout = api({ expose: true, auth: true, method: "POST", path: "/api/v1/auth/logout" }, async (): Promise<SuccessResponse> => {
  const caller = requireCaller();
  await sessions.endAllSessions(caller.userID, caller.userID, "logout");
  return { success: true };
});

// changePassword replaces the signed-in user's password (the current one is required) and ends every session.
export const changePassword = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/auth/password" },
  async (req: ChangePasswordRequest): Promise<SuccessResponse> => {
    const caller = requireCaller();
    await sessions.changePassword(caller.userID, req.currentPassword, req.newPassword, callerAddress());
    return { success: true };
  },
);

// --- single sign-on (OpenID Connect) ---

// oauthProviders lists the configured sign-in providers (for the frontend's buttons).
export const oauthProviders = api(
  { expose: true, method: "GET", path: "/api/v1/auth/oauth/providers" },
  async (): Promise<OAuthProvidersResponse> => ({ providers: oidc.providerList() }),
);

// oauthStart begins a sign-in with a provider: the URL to send the browser to, and a flow token to keep for the exchange (404 for an unknown provider; 429 past 30 a minute from one address).
export const oauthStart = api(
  { expose: true, method: "GET", path: "/api/v1/auth/oauth/:provider/start" },
  ({ provider }: ProviderRequest): Promise<OAuthStartResponse> => oidc.start(provider, callerAddress()),
);

// oauthCallback is where the provider sends the browser back: state, code and ID token checked, then a one-time code for the frontend (302 to OIDC_FRONTEND_URL?code=…, else JSON), never tokens.
export const oauthCallback = api.raw({ expose: true, method: "GET", path: "/api/v1/auth/oauth/:provider/callback" }, async (req, resp) => {
  const url = new URL(req.url ?? "/", "http://callback.invalid");
  let provider = "";
  try {
    provider = decodeURIComponent(url.pathname.split("/")[5] ?? "");
  } catch {
    // Not a provider id: answered as an unknown provider.
  }
  const q = (name: string) => url.searchParams.get(name) ?? undefined;
  let outcome: CallbackOutcome;
  try {
    outcome = await oidc.callback(provider, { code: q("code"), state: q("state"), error: q("error"), iss: q("iss") });
  } catch (err) {
    if (!(err instanceof APIError)) log.error("OIDC callback failed", { error: err instanceof Error ? err.message : String(err) });
    outcome =
      err instanceof APIError ? { errorCode: err.code, message: err.message } : { errorCode: "internal", message: "the sign-in could not be completed" };
  }
  const reply = callbackReply(outcome, oidcFrontendRedirect());
  resp.writeHead(reply.status, reply.headers).end(reply.body);
});

// oauthExchange redeems the callback's one-time code (once, within 60 s, with the flow token from start) for War Room's tokens.
export const oauthExchange = api(
  { expose: true, method: "POST", path: "/api/v1/auth/oauth/exchange" },
  (req: OAuthExchangeRequest): Promise<LoginResponse> => oidc.exchange(req.code, req.flowToken, callerAddress()),
);

// listIdentities returns the provider identities linked to the caller's account.
export const listIdentities = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/auth/identities" },
  async (): Promise<LinkedIdentitiesResponse> => ({ identities: await oidc.identities(requireCaller().userID) }),
);

// unlinkIdentity removes one of the caller's linked identities (400 failed_precondition when it is their last way to sign in).
export const unlinkIdentity = api(
  { expose: true, auth: true, method: "DELETE", path: "/api/v1/auth/identities/:id" },
  async ({ id }: IdentityIdRequest): Promise<SuccessResponse> => {
    await oidc.unlink(requireCaller().userID, id);
    return { success: true };
  },
);

// listSsoDomains lists the email domains that must sign in with single sign-on (admins).
export const listSsoDomains = api({ expose: true, auth: true, method: "GET", path: "/api/v1/auth/sso-domains" }, async (): Promise<SsoDomainsResponse> => {
  requirePermission("users", "manage");
  return { domains: await oidc.ssoDomains() };
});

// requireSsoDomain refuses password sign-in for a domain's accounts from now on (admins; idempotent).
export const requireSsoDomain = api(
  { expose: true, auth: true, method: "PUT", path: "/api/v1/auth/sso-domains/:domain" },
  ({ domain }: SsoDomainRequest): Promise<SsoDomainInfo> => oidc.requireSso(domain, requirePermission("users", "manage").userID),
);

// releaseSsoDomain lets a domain's accounts sign in with passwords again (admins).
export const releaseSsoDomain = api(
  { expose: true, auth: true, method: "DELETE", path: "/api/v1/auth/sso-domains/:domain" },
  async ({ domain }: SsoDomainRequest): Promise<SuccessResponse> => {
    await oidc.releaseSso(domain, requirePermission("users", "manage").userID);
    return { success: true };
  },
);
