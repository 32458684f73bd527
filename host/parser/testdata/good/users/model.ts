import type { Header, HttpStatus, Query, Cookie } from "encore.dev/api";
import type { Decimal } from "encore.dev/types";
import type { IsEmail, IsURL, Max, MaxLen, MatchesRegexp, Min, MinLen, StartsWith, EndsWith } from "encore.dev/validate";

export enum Role {
  Admin = "admin",
  Member = "member",
}

export enum Priority {
  Low,
  High,
}

export type Status = "active" | "disabled";

/** A postal address. */
export interface Address {
  street: string;
  city: string;
}

/** A user account. */
export interface User {
  id: number;
  // The display name.
  name: string;
  email: string;
  role: Role;
  priority?: Priority;
  status: Status;
  tags: readonly string[];
  labels: Record<string, string>;
  scores: { [key: string]: number };
  createdAt: Date;
  deletedAt: Date | null;
  balance: Decimal;
  big: bigint;
  address?: Address;
  manager?: User | null;
  nickname: string | undefined;
  extra: unknown;
  flag: true;
  verified: boolean;
  level: 1 | 2 | 3;
}

export interface TreeNode {
  name: string;
  children: TreeNode[];
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export type AdminUser = User & { permissions: string[] };

export interface CreateUserRequest {
  email: string & IsEmail;
  name: string & MinLen<1> & MaxLen<100>;
  age?: number & Min<0> & Max<150>;
  website?: string & IsURL;
  handle: string & StartsWith<"@"> & EndsWith<"x">;
  code: string & MatchesRegexp<"^[a-z]+$">;
  tags: string[] & MinLen<1>;
  tree?: TreeNode;
}

export interface GetUserParams {
  id: number;
  include?: Query<string[]>;
  q: Query<"search">;
  requestId: Header<"X-Request-ID">;
  count?: Header<number, "X-Count">;
  session?: Cookie<"session">;
  verbose?: boolean;
}

export interface GetUserResponse {
  user: User;
  etag: Header<"ETag">;
  status: HttpStatus;
}

export interface ListParams {
  sort?: "asc" | "desc";
  limit?: number;
  roles?: Role[];
}

export interface ListResponse {
  page: Page<User>;
  admins: AdminUser[];
}
