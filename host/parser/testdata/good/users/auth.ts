import { Gateway, type Header, type Query, type Cookie } from "encore.dev/api";
import { authHandler } from "encore.dev/auth";
import type { Role } from "./model";

interface AuthParams {
  authorization: Header<"Authorization">;
  token?: Query<"token">;
  session?: Cookie<"session">;
}

export interface AuthData {
  userID: string;
  role: Role;
}

export const auth = authHandler<AuthParams, AuthData>(async (params) => {
  return params.authorization ? { userID: "u1", role: "admin" as Role } : null;
});

export const gateway = new Gateway({ authHandler: auth });
