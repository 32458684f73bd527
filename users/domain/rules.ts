// Who may do what to which user: the rules of the users service on top of the shared policy
// (shared/permissions.ts). Pure: a decision from the caller, the target and the change.
import { can, roleAtLeast, type Role } from "../../shared/permissions";

/** The caller as these rules see them. */
export interface Actor {
  userID: string;
  role: Role;
}

/** A user being acted on. */
export interface Target {
  id: string;
  role: Role;
}

/** Allowed, or refused with the error code to answer and a message the caller can act on. */
export type Decision = { allowed: true } | { allowed: false; code: "permission_denied"; reason: string };

const ALLOWED: Decision = { allowed: true };

function refuse(reason: string): Decision {
  return { allowed: false, code: "permission_denied", reason };
}

/** Anyone may read their own profile; others' need users:read. */
export function canRead(actor: Actor, targetId: string): Decision {
  if (actor.userID === targetId) return ALLOWED;
  return can(actor.role, "users", "read") ? ALLOWED : refuse(`your role (${actor.role}) may only read your own profile`);
}

/** Creating a user needs users:create, and nobody creates a user above their own role. */
export function canCreate(actor: Actor, role: Role): Decision {
  if (!can(actor.role, "users", "create")) return refuse(`your role (${actor.role}) may not create users`);
  if (!roleAtLeast(actor.role, role)) return refuse(`you may not create a user with a role (${role}) above your own (${actor.role})`);
  return ALLOWED;
}

/** Whether the caller may even try to change this user (checked before looking the user up). */
export function canUpdateAtAll(actor: Actor, targetId: string): Decision {
  if (actor.userID === targetId) return ALLOWED;
  return can(actor.role, "users", "update") ? ALLOWED : refuse(`your role (${actor.role}) may only change your own name`);
}

/**
 * Changing a user: anyone may rename themselves; changing someone else needs users:update and a
 * role at least theirs; changing a role needs users:manage, never for oneself, and never to a role
 * above one's own.
 */
export function canUpdate(actor: Actor, target: Target, change: { name?: string; role?: Role }): Decision {
  const self = actor.userID === target.id;
  const roleChange = change.role !== undefined && change.role !== target.role;
  if (self) {
    return roleChange ? refuse("you may not change your own role") : ALLOWED;
  }
  if (!can(actor.role, "users", "update")) return refuse(`your role (${actor.role}) may only change your own name`);
  if (!roleAtLeast(actor.role, target.role)) return refuse(`you may not change a user whose role (${target.role}) is above yours`);
  if (roleChange) {
    if (!can(actor.role, "users", "manage")) return refuse(`your role (${actor.role}) may not change roles`);
    if (!roleAtLeast(actor.role, change.role!)) return refuse(`you may not give a role (${change.role}) above your own`);
  }
  return ALLOWED;
}

/** Deleting needs users:delete, a role at least the target's, and someone else's account. */
export function canDeleteAtAll(actor: Actor, targetId: string): Decision {
  if (!can(actor.role, "users", "delete")) return refuse(`your role (${actor.role}) may not delete users`);
  if (actor.userID === targetId) return refuse("you may not delete your own account here");
  return ALLOWED;
}

export function canDelete(actor: Actor, target: Target): Decision {
  const first = canDeleteAtAll(actor, target.id);
  if (!first.allowed) return first;
  return roleAtLeast(actor.role, target.role) ? ALLOWED : refuse(`you may not delete a user whose role (${target.role}) is above yours`);
}
