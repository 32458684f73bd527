// users' endpoints (seed paths): user management over auth's accounts. Every endpoint needs a
// signed-in caller; the rules are in domain/rules.ts on top of shared/permissions.ts.
import { api, APIError } from "encore.dev/api";
import { auth } from "~encore/clients";
import { requireCaller, requirePermission } from "../shared/permissions";
import { canCreate, canDelete, canDeleteAtAll, canRead, canUpdate, canUpdateAtAll, type Decision } from "./domain/rules";
import type { CreateUserRequest, DeleteUserResponse, GetUsersRequest, GetUsersResponse, UpdateUserRequest, UserIdRequest, UserResponse } from "./model";

function enforce(decision: Decision): void {
  if (!decision.allowed) throw APIError.permissionDenied(decision.reason);
}

// getUsers lists users, newest first (users:read: managers and admins).
export const getUsers = api({ expose: true, auth: true, method: "GET", path: "/api/v1/users" }, async (req: GetUsersRequest): Promise<GetUsersResponse> => {
  requirePermission("users", "read");
  const page = await auth.listAccounts({ limit: req.limit, offset: req.offset });
  return { users: page.accounts, total: page.total };
});

// getUserById returns one user: anyone their own profile, users:read for others.
export const getUserById = api({ expose: true, auth: true, method: "GET", path: "/api/v1/users/:id" }, async ({ id }: UserIdRequest): Promise<UserResponse> => {
  enforce(canRead(requireCaller(), id));
  return { user: await auth.getAccount({ id }) };
});

// createUser creates a user with a role no higher than the caller's (users:create: admins).
export const createUser = api({ expose: true, auth: true, method: "POST", path: "/api/v1/users" }, async (req: CreateUserRequest): Promise<UserResponse> => {
  const caller = requirePermission("users", "create");
  enforce(canCreate(caller, req.role));
  return { user: await auth.createAccount({ ...req, actorId: caller.userID }) };
});

// updateUser changes a user's name and/or role: one's own name, or anyone's with users:update (roles: users:manage).
export const updateUser = api({ expose: true, auth: true, method: "PUT", path: "/api/v1/users/:id" }, async (req: UpdateUserRequest): Promise<UserResponse> => {
  const caller = requireCaller();
  enforce(canUpdateAtAll(caller, req.id));
  const target = await auth.getAccount({ id: req.id });
  enforce(canUpdate(caller, target, { name: req.name, role: req.role }));
  return { user: await auth.updateAccount({ id: req.id, name: req.name, role: req.role, actorId: caller.userID }) };
});

// deleteUser soft-deletes a user and ends their sessions (users:delete: admins; not oneself).
export const deleteUser = api(
  { expose: true, auth: true, method: "DELETE", path: "/api/v1/users/:id" },
  async ({ id }: UserIdRequest): Promise<DeleteUserResponse> => {
    const caller = requireCaller();
    enforce(canDeleteAtAll(caller, id));
    enforce(canDelete(caller, await auth.getAccount({ id })));
    await auth.deleteAccount({ id, actorId: caller.userID });
    return { success: true };
  },
);
