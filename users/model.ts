// users' request and response types (the seed's user-management endpoints).
import type { IsEmail, Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import type { Int } from "../shared/int";
import type { Permission, Role } from "../shared/permissions";

/** A user as the API shows them (same shape as auth's UserProfile). */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  permissions: Permission[];
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** GET /api/v1/users: a page of users, newest first. */
export interface GetUsersRequest {
  limit?: Int & Min<1> & Max<200>;
  offset?: Int & Min<0>;
}

/** One page of users and the number of users in all. */
export interface GetUsersResponse {
  users: User[];
  total: number;
}

/** Names a user by id. */
export interface UserIdRequest {
  id: string;
}

/** One user. */
export interface UserResponse {
  user: User;
}

/** POST /api/v1/users: a new user with a role no higher than the creator's. */
export interface CreateUserRequest {
  email: string & IsEmail & MaxLen<255>;
  /** The same rules as at registration: 8 to 128 characters, strong enough, not containing the email's local part. */
  password: string & MinLen<8> & MaxLen<256>;
  name: string & MinLen<1> & MaxLen<255>;
  role: Role;
}

/** PUT /api/v1/users/:id: a new name and/or role (only admins change roles; nobody their own). */
export interface UpdateUserRequest {
  id: string;
  name?: string & MinLen<1> & MaxLen<255>;
  role?: Role;
}

/** The result of a deletion. */
export interface DeleteUserResponse {
  success: boolean;
}
