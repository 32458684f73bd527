// auth's request and response types (the seed's shapes), public and internal.
import type { IsEmail, Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import type { Int } from "../shared/int";
import type { Permission, Role } from "../shared/permissions";

/** The public view of an account (seed: UserProfile). lastLoginAt is null until the first sign-in. */
export interface UserProfile {
  id: string;
  email: string;
  name: string;
  role: Role;
  permissions: Permission[];
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** POST /api/v1/auth/register: a new account (role viewer; the first account of a platform without an admin is admin). */
export interface RegisterRequest {
  email: string & IsEmail & MaxLen<255>;
  /** 8 to 128 characters, strong enough (zxcvbn score 3 or more), not containing the email's local part; the 400 says why one is refused. */
  password: string & MinLen<8> & MaxLen<256>;
  name: string & MinLen<1> & MaxLen<255>;
}

/** POST /api/v1/auth/login. */
export interface LoginRequest {
  email: string & IsEmail & MaxLen<255>;
  password: string & MinLen<8> & MaxLen<256>;
}

/** A new session: a 1-hour access token, a 30-day refresh token, and who signed in. */
export interface LoginResponse {
  accessToken: string;
  refreshToken: string;
  user: UserProfile;
  /** Seconds until accessToken expires (3600). */
  expiresIn: number;
}

/** POST /api/v1/auth/refresh: a refresh token, used once. */
export interface RefreshRequest {
  refreshToken: string & MinLen<1> & MaxLen<200>;
}

/** A new access token and the refresh token that replaces the one presented. */
export interface RefreshResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** The result of logout and other operations without data. */
export interface SuccessResponse {
  success: boolean;
}

/** POST /api/v1/auth/password: change one's own password (ends every session). */
export interface ChangePasswordRequest {
  currentPassword: string & MinLen<1> & MaxLen<256>;
  /** The same rules as at registration. */
  newPassword: string & MinLen<8> & MaxLen<256>;
}

// --- single sign-on (OpenID Connect) ---

/** A provider path parameter (/api/v1/auth/oauth/:provider/…). */
export interface ProviderRequest {
  provider: string;
}

/** A configured provider, for the frontend's sign-in buttons. */
export interface OAuthProviderInfo {
  id: string;
  name: string;
}

/** GET /api/v1/auth/oauth/providers. */
export interface OAuthProvidersResponse {
  providers: OAuthProviderInfo[];
}

/**
 * GET /api/v1/auth/oauth/:provider/start: send the browser to authorizationUrl; keep flowToken
 * (e.g. in sessionStorage) to redeem the one-time code after the callback.
 */
export interface OAuthStartResponse {
  authorizationUrl: string;
  flowToken: string;
  /** Seconds the sign-in may take before it must be started again. */
  expiresIn: number;
}

/** POST /api/v1/auth/oauth/exchange: the one-time code from the callback and the flow token from start. */
export interface OAuthExchangeRequest {
  code: string & MinLen<1> & MaxLen<100>;
  flowToken: string & MinLen<1> & MaxLen<100>;
}

/** A provider identity linked to the caller's account. */
export interface LinkedIdentity {
  id: string;
  provider: string;
  /** The email the provider gave when the identity was linked. */
  email: string | null;
  linkedAt: Date;
  lastUsedAt: Date | null;
}

/** GET /api/v1/auth/identities. */
export interface LinkedIdentitiesResponse {
  identities: LinkedIdentity[];
}

/** DELETE /api/v1/auth/identities/:id. */
export interface IdentityIdRequest {
  id: string;
}

/** An email domain whose accounts must sign in with single sign-on. */
export interface SsoDomainInfo {
  domain: string;
  createdBy: string | null;
  createdAt: Date;
}

/** GET /api/v1/auth/sso-domains. */
export interface SsoDomainsResponse {
  domains: SsoDomainInfo[];
}

/** PUT and DELETE /api/v1/auth/sso-domains/:domain. */
export interface SsoDomainRequest {
  domain: string;
}

// --- internal (for the users service) ---

/** A page of live accounts, newest first. */
export interface ListAccountsRequest {
  limit?: Int & Min<1> & Max<200>;
  offset?: Int & Min<0>;
}

/** One page of accounts and how many live accounts there are in all. */
export interface ListAccountsResponse {
  accounts: UserProfile[];
  total: number;
}

/** Names a live account. */
export interface AccountIdRequest {
  id: string;
}

/** A live account with the id of who asked to delete it. */
export interface DeleteAccountRequest {
  id: string;
  /** The user who made the change (for the audit log). */
  actorId: string;
}

/** A new account made by an administrator (the caller has been checked by the users service). */
export interface CreateAccountRequest {
  email: string & IsEmail & MaxLen<255>;
  password: string & MinLen<8> & MaxLen<256>;
  name: string & MinLen<1> & MaxLen<255>;
  role: Role;
  actorId: string;
}

/** A change to an account's name and/or role (the caller has been checked by the users service). */
export interface UpdateAccountRequest {
  id: string;
  name?: string & MinLen<1> & MaxLen<255>;
  role?: Role;
  actorId: string;
}

/** Where an account can be reached (its email, linked identities' emails): empty once erased. For compliance erasure. */
export interface AccountContact {
  exists: boolean;
  addresses: string[];
}
