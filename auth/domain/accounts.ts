// Accounts as auth's code sees them, and the pure rules about them.
import { permissionsFor, type Role } from "../../shared/permissions";
import type { UserProfile } from "../model";

/** An account (a row of the seed's `users` table), without its password hash. */
export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionVersion: number;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
  deletedAt: Date | null;
}

/** An account with its password hash: only sign-in code ever holds one. */
export interface AccountWithHash extends Account {
  passwordHash: string;
}

/** What the gateway needs on every request: is the account live, in which role, at which session version. */
export interface AccountState {
  id: string;
  email: string;
  role: Role;
  sessionVersion: number;
  live: boolean;
}

/** Emails are compared and stored trimmed and lower-cased, so Alice@X.org and alice@x.org are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The public view of an account: the seed's UserProfile, permissions from the role's policy. */
export function toProfile(a: Account): UserProfile {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    permissions: permissionsFor(a.role),
    createdAt: a.createdAt,
    lastLoginAt: a.lastLoginAt,
  };
}

/** The role of a newly created account: the first account of a platform without an admin is its admin. */
export function roleForNewAccount(requested: Role, adminExists: boolean, firstBecomesAdmin: boolean): Role {
  return firstBecomesAdmin && !adminExists ? "admin" : requested;
}

/** True when changing `target` to `newRole` (or deleting it: null) would leave no live admin. */
export function removesLastAdmin(target: Pick<Account, "role">, newRole: Role | null, liveAdmins: number): boolean {
  return target.role === "admin" && newRole !== "admin" && liveAdmins <= 1;
}
