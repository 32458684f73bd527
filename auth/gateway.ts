// The API gateway and its auth handler: every request with credentials comes through here.
import { APIError, Gateway, type Header, type Query } from "encore.dev/api";
import { authHandler } from "encore.dev/auth";
import type { Permission, Role } from "../shared/permissions";
import { bearerToken } from "./domain/tokens";
import { authenticate } from "./sessions";

/** Where a request's credentials may be: the Authorization header, or (for WebSockets, which cannot set headers in browsers) `?token=`. */
interface AuthParams {
  authorization?: Header<"Authorization">;
  token?: Query<"token">;
}

/** The signed-in caller, as every endpoint sees it through getAuthData(). */
export interface AuthData {
  userID: string;
  email: string;
  role: Role;
  permissions: Permission[];
}

// auth verifies an access token (`Authorization: Bearer <jwt>` or `?token=<jwt>`) and resolves the
// caller. A missing, malformed, tampered, expired or revoked token leaves the request anonymous
// (401 on endpoints that need auth).
export const auth = authHandler<AuthParams, AuthData>(async (params) => {
  const token = params.authorization !== undefined ? bearerToken(params.authorization) : (params.token ?? null);
  if (!token) throw APIError.unauthenticated("expected `Authorization: Bearer <token>`");
  return authenticate(token);
});

// gateway is the app's single API gateway, authenticating with `auth`.
export const gateway = new Gateway({ authHandler: auth });
