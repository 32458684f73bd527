import { api, type Header } from "encore.dev/api";
import type { CreateUserRequest, GetUserParams, GetUserResponse, ListParams, ListResponse, User } from "./model";

// createUser registers a user.
export const createUser = api(
  { expose: true, method: "POST", path: "/users", auth: true, tags: ["admin", "write"], bodyLimit: 1024 * 2, sensitive: true },
  async (req: CreateUserRequest): Promise<User> => {
    throw new Error(String(req));
  },
);

export const getUser = api({ expose: true, method: "GET", path: "/users/:id" }, async (p: GetUserParams): Promise<GetUserResponse> => {
  throw new Error(String(p));
});

export const listUsers = api({ expose: true, method: ["HEAD", "GET"], path: "/users", bodyLimit: null }, async (p: ListParams): Promise<ListResponse> => {
  throw new Error(String(p));
});

export const deleteUser = api({ method: "DELETE", path: "/users/:id" }, async ({ id }: { id: string; reason?: Header<"X-Reason"> }): Promise<void> => {
  void id;
});

export const ping = api({}, async () => ({ ok: true, at: new Date() }));

export const webhook = api.raw({ expose: true, method: "*", path: "/webhooks/*rest" }, async (req, resp) => {
  void req;
  resp.end();
});

export const fallback = api.raw({ expose: true, method: "GET", path: "/!path" }, async (_req, resp) => {
  resp.end();
});
