// auth's public endpoints (seed paths): register, login, refresh, me, logout, and password change.
import { currentRequest } from "encore.dev";
import { api, APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { requireCaller } from "../shared/permissions";
import { ensureFirstAdmin } from "./accounts";
import { toProfile } from "./domain/accounts";
import { clientAddress } from "./domain/throttle";
import type { ChangePasswordRequest, LoginRequest, LoginResponse, RefreshRequest, RefreshResponse, RegisterRequest, SuccessResponse, UserProfile } from "./model";
import { isTest, signingKeys } from "./secrets";
import * as sessions from "./sessions";
import * as store from "./store";

/** The client's address from the request's forwarding headers (null when unknown). */
function callerAddress(): string | null {
  const req = currentRequest();
  return req?.type === "api-call" ? clientAddress(req.headers) : null;
}

// register creates an account (viewer; the first account of a platform without an admin is admin) and signs it in.
export const register = api(
  { expose: true, method: "POST", path: "/api/v1/auth/register" },
  (req: RegisterRequest): Promise<LoginResponse> => sessions.register(req),
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
export const me = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/auth/me" },
  async (): Promise<UserProfile> => {
    const caller = requireCaller();
    const account = await store.getLiveAccount(caller.userID);
    if (!account) throw APIError.unauthenticated("this account no longer exists");
    return toProfile(account);
  },
);

// logout ends every session of the signed-in user: refresh tokens revoked, access tokens refused from now on.
export const logout = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/auth/logout" },
  async (): Promise<SuccessResponse> => {
    const caller = requireCaller();
    await sessions.endAllSessions(caller.userID, caller.userID, "logout");
    return { success: true };
  },
);

// changePassword replaces the signed-in user's password (the current one is required) and ends every session.
export const changePassword = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/auth/password" },
  async (req: ChangePasswordRequest): Promise<SuccessResponse> => {
    const caller = requireCaller();
    await sessions.changePassword(caller.userID, req.currentPassword, req.newPassword, callerAddress());
    return { success: true };
  },
);

// At service start (not under tests, which arrange their own accounts): say now, not at the first
// sign-in, when the token key is missing or wrong, and make sure there is an admin.
if (!isTest()) {
  try {
    signingKeys();
  } catch {
    // Logged by signingKeys; sign-in answers 503 until the key is fixed.
  }
  ensureFirstAdmin().catch((err: unknown) => log.error("could not make sure the platform has an admin", { error: err instanceof Error ? err.message : String(err) }));
}
