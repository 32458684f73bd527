// The API gateway and its auth handler: every request with credentials comes through here.
import { currentRequest } from "encore.dev";
import { APIError, Gateway, type Header, type Query } from "encore.dev/api";
import { authHandler } from "encore.dev/auth";
import type { Permission, Role } from "../shared/permissions";
import { bearerToken, isStreamHandshake } from "./domain/tokens";
import { authenticate } from "./flows/sessions";

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

// auth verifies an access token (`Authorization: Bearer <jwt>`, or `?token=<jwt>` on a WebSocket
// handshake only) and resolves the caller. A missing, malformed, tampered, expired or revoked
// token leaves the request anonymous (401 on endpoints that need auth). A token in any other URL
// is refused: URLs end up in proxy and server logs, browser history and Referer headers.
export const auth = authHandler<AuthParams, AuthData>(async (params) => {
  if (params.authorization !== undefined) {
    const token = bearerToken(params.authorization);
    if (!token) throw APIError.unauthenticated("expected `Authorization: Bearer <token>`");
    return authenticate(token);
  }
  if (params.token !== undefined) {
    const req = currentRequest();
    const handshake = req?.type === "api-call" && isStreamHandshake(req.path, req.headers);
    if (!handshake) throw APIError.unauthenticated("`?token=` is accepted only on WebSocket handshakes (/ws/…); send `Authorization: Bearer <token>`");
    return authenticate(params.token);
  }
  throw APIError.unauthenticated("expected `Authorization: Bearer <token>`");
});

// gateway is the app's single API gateway, authenticating with `auth`.
export const gateway = new Gateway({ authHandler: auth });
