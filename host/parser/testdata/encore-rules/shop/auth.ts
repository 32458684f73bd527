import { APIError, Gateway, Header } from "encore.dev/api";
import { authHandler } from "encore.dev/auth";

interface AuthParams {
  authorization: Header<"Authorization">;
}

interface AuthData {
  userID: string;
}

// Not exported: the gateway below is what registers it.
const handler = authHandler<AuthParams, AuthData>(async (p) => {
  if (!p.authorization) throw APIError.unauthenticated("no token");
  return { userID: "u1" };
});

export const gateway = new Gateway({ authHandler: handler });
