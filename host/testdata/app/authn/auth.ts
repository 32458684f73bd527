import { APIError, Gateway, Header, Query } from "encore.dev/api";
import { authHandler } from "encore.dev/auth";

interface AuthParams {
  authorization?: Header<"Authorization">;
  token?: Query<"token">;
}

export interface AuthData {
  userID: string;
  role: "admin" | "viewer";
}

// Tokens are "good-<user>-<role>"; "bad" fails unauthenticated; "broken" fails with another code.
export const auth = authHandler<AuthParams, AuthData>(async (p) => {
  const raw = p.authorization?.replace(/^Bearer /, "") ?? p.token ?? "";
  if (raw === "broken") throw APIError.unavailable("the identity provider is down");
  const m = /^good-(\w+)-(admin|viewer)$/.exec(raw);
  if (!m) throw APIError.unauthenticated("bad token");
  return { userID: m[1], role: m[2] as "admin" | "viewer" };
});

export const gateway = new Gateway({ authHandler: auth });
