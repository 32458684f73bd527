// Roles and permissions: the one policy every service applies (docs/architecture.md, "Roles and permissions").
// Pure and table-driven; `authorize` turns a refusal into Encore's errors at the edge.
import { APIError } from "encore.dev/api";
import { getAuthData, type AuthData } from "~encore/auth";

export type Role = "admin" | "manager" | "analyst" | "viewer";

/** Highest first. */
export const ROLES: readonly Role[] = ["admin", "manager", "analyst", "viewer"];

export type Resource = "users" | "campaigns" | "monitoring" | "intelligence" | "alerting" | "integrations" | "analytics" | "compliance";

export const RESOURCES: readonly Resource[] = ["users", "campaigns", "monitoring", "intelligence", "alerting", "integrations", "analytics", "compliance"];

/** read: see; create: make new; update: change; delete: remove; manage: administer (settings, other people's data). */
export type Action = "read" | "create" | "update" | "delete" | "manage";

/** What a role may do on a resource (seed shape). */
export interface Permission {
  resource: string;
  actions: string[];
}

const ALL: Action[] = ["read", "create", "update", "delete", "manage"];

// The policy. A role's row lists the actions it has on each resource; absent means none.
const POLICY: Record<Role, Partial<Record<Resource, Action[]>>> = {
  admin: Object.fromEntries(RESOURCES.map((r) => [r, ALL])) as Record<Resource, Action[]>,
  manager: {
    users: ["read"],
    campaigns: ["read", "create", "update", "delete"],
    monitoring: ["read", "create", "update"],
    intelligence: ["read", "create"],
    alerting: ["read", "create", "update"],
    integrations: ["read", "create"],
    analytics: ["read", "create"],
    compliance: ["read"],
  },
  analyst: {
    campaigns: ["read"],
    monitoring: ["read"],
    intelligence: ["read", "create"],
    alerting: ["read"],
    integrations: ["read"],
    analytics: ["read", "create"],
  },
  viewer: {
    campaigns: ["read"],
    monitoring: ["read"],
    intelligence: ["read"],
    alerting: ["read"],
    analytics: ["read"],
  },
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** The rank of a role: higher is more powerful. */
export function roleRank(role: Role): number {
  return ROLES.length - ROLES.indexOf(role);
}

/** True when `role` is at least as powerful as `other`. */
export function roleAtLeast(role: Role, other: Role): boolean {
  return roleRank(role) >= roleRank(other);
}

export function can(role: Role, resource: Resource, action: Action): boolean {
  return POLICY[role][resource]?.includes(action) ?? false;
}

/** The seed's `permissions[]` for a role. */
export function permissionsFor(role: Role): Permission[] {
  return RESOURCES.filter((r) => (POLICY[role][r]?.length ?? 0) > 0).map((r) => ({ resource: r, actions: [...POLICY[role][r]!] }));
}

/** The caller, as far as the policy cares. */
export interface Caller {
  userID: string;
  role: Role;
}

/**
 * Refuses a caller who may not do `action` on `resource`: 401 without a caller, 403 otherwise.
 * Returns the caller so endpoints can go on with it.
 */
export function authorize<C extends Caller>(caller: C | null | undefined, resource: Resource, action: Action): C {
  if (!caller) throw APIError.unauthenticated("sign in first");
  if (!isRole(caller.role) || !can(caller.role, resource, action)) {
    throw APIError.permissionDenied(`your role (${caller.role}) may not ${action} ${resource}`);
  }
  return caller;
}

/**
 * The signed-in caller (the gateway's auth data) if they may do `action` on `resource`; 401 for an
 * anonymous call, 403 for a role without the permission. The helper every endpoint starts with:
 *
 *   const caller = requirePermission("campaigns", "create");
 */
export function requirePermission(resource: Resource, action: Action): NonNullable<AuthData> {
  return authorize(getAuthData(), resource, action);
}

/** The signed-in caller whatever their role (for self-service endpoints); 401 when anonymous. */
export function requireCaller(): NonNullable<AuthData> {
  const caller = getAuthData();
  if (!caller) throw APIError.unauthenticated("sign in first");
  return caller;
}
