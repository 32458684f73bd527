// auth's SQL: the only file that talks to auth's database. Rows come back as domain types.
import type { Transaction } from "encore.dev/storage/sqldb";
import { db } from "./db";
import { removesLastAdmin, roleForNewAccount, type Account, type AccountState, type AccountWithHash } from "./domain/accounts";
import type { Role } from "../shared/permissions";

/** A row of `users` as the database returns it. */
interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  session_version: number;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  deleted_at: Date | null;
  password_hash: string;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    sessionVersion: r.session_version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastLoginAt: r.last_login_at,
    deletedAt: r.deleted_at,
  };
}

/** The email is taken by a live account. */
export class EmailTakenError extends Error {
  override readonly name = "EmailTakenError";
}

/** The change would leave the platform without a live admin. */
export class LastAdminError extends Error {
  override readonly name = "LastAdminError";
}

// Every decision that depends on "is there an admin?" (first account, start-up seeding, demoting or
// deleting an admin) takes this transaction-scoped lock first, so two processes or two requests
// cannot both decide on the same stale answer.
async function lockAdmins(tx: Transaction): Promise<void> {
  await tx.exec`SELECT pg_advisory_xact_lock(hashtext('war-room:auth:admins'))`;
}

async function liveAdminCount(tx: Transaction): Promise<number> {
  const row = await tx.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND deleted_at IS NULL`;
  return row?.n ?? 0;
}

async function inTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  const tx = await db.begin();
  try {
    const result = await work(tx);
    await tx.commit();
    return result;
  } catch (err) {
    await tx.rollback().catch(() => {});
    throw err;
  }
}

/** The database's own name: namespaces this deployment's cache keys (and each test's). */
export async function databaseName(): Promise<string> {
  const row = await db.queryRow<{ name: string }>`SELECT current_database() AS name`;
  return row!.name;
}

// --- accounts ---

/** An account to create, its password already hashed. */
export interface NewAccount {
  email: string;
  passwordHash: string;
  name: string;
  role: Role;
  /** Self-registration: the account becomes admin when the platform has no live admin. */
  firstBecomesAdmin: boolean;
}

/** Creates a live account; throws EmailTakenError when the email is in use. */
export async function createAccount(a: NewAccount): Promise<Account> {
  return inTransaction(async (tx) => {
    let role = a.role;
    if (a.firstBecomesAdmin) {
      await lockAdmins(tx);
      role = roleForNewAccount(a.role, (await liveAdminCount(tx)) > 0, true);
    }
    const row = await tx.queryRow<AccountRow>`
      INSERT INTO users (email, password_hash, name, role)
      VALUES (${a.email}, ${a.passwordHash}, ${a.name}, ${role})
      ON CONFLICT (email) WHERE deleted_at IS NULL DO NOTHING
      RETURNING *`;
    if (!row) throw new EmailTakenError(`${a.email} is already registered`);
    return toAccount(row);
  });
}

/** What ensureAdmin did. */
export type AdminSeed = { kind: "exists" } | { kind: "created"; account: Account } | { kind: "promoted"; account: Account; before: Account };

/**
 * Makes sure the platform has a live admin: when none exists, the live account with `email` is
 * promoted (and given the password), or a new admin account is created. Safe to run from several
 * processes at once.
 */
export async function ensureAdmin(email: string, passwordHash: string, name: string): Promise<AdminSeed> {
  return inTransaction(async (tx) => {
    await lockAdmins(tx);
    if ((await liveAdminCount(tx)) > 0) return { kind: "exists" };
    const existing = await tx.queryRow<AccountRow>`SELECT * FROM users WHERE email = ${email} AND deleted_at IS NULL FOR UPDATE`;
    if (existing) {
      const row = await tx.queryRow<AccountRow>`
        UPDATE users SET role = 'admin', password_hash = ${passwordHash}, session_version = session_version + 1, updated_at = now()
        WHERE id = ${existing.id} RETURNING *`;
      await revokeUserTokens(tx, existing.id, "promoted to first admin");
      return { kind: "promoted", account: toAccount(row!), before: toAccount(existing) };
    }
    const row = await tx.queryRow<AccountRow>`
      INSERT INTO users (email, password_hash, name, role) VALUES (${email}, ${passwordHash}, ${name}, 'admin') RETURNING *`;
    return { kind: "created", account: toAccount(row!) };
  });
}

/** Whether the platform has a live admin (a quick check; decisions take the lock). */
export async function liveAdminExists(): Promise<boolean> {
  const row = await db.queryRow<{ id: string }>`SELECT id FROM users WHERE role = 'admin' AND deleted_at IS NULL LIMIT 1`;
  return row !== null;
}

/** The live account with this (normalised) email, with its password hash. */
export async function findLiveAccountByEmail(email: string): Promise<AccountWithHash | null> {
  const row = await db.queryRow<AccountRow>`SELECT * FROM users WHERE email = ${email} AND deleted_at IS NULL`;
  return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
}

/** A live account by id, with its password hash. */
export async function getLiveAccountWithHash(id: string): Promise<AccountWithHash | null> {
  const row = await db.queryRow<AccountRow>`SELECT * FROM users WHERE id = ${id} AND deleted_at IS NULL`;
  return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
}

/** A live account by id. */
export async function getLiveAccount(id: string): Promise<Account | null> {
  const row = await db.queryRow<AccountRow>`SELECT * FROM users WHERE id = ${id} AND deleted_at IS NULL`;
  return row ? toAccount(row) : null;
}

/** What the gateway checks on each request (deleted accounts included, as not live). */
export async function getAccountState(id: string): Promise<AccountState | null> {
  const row = await db.queryRow<{ id: string; email: string; role: Role; session_version: number; deleted_at: Date | null }>`
    SELECT id, email, role, session_version, deleted_at FROM users WHERE id = ${id}`;
  return row ? { id: row.id, email: row.email, role: row.role, sessionVersion: row.session_version, live: row.deleted_at === null } : null;
}

/** A page of live accounts, newest first, and the number of live accounts. */
export async function listLiveAccounts(limit: number, offset: number): Promise<{ accounts: Account[]; total: number }> {
  const accounts: Account[] = [];
  for await (const row of db.query<AccountRow>`
    SELECT * FROM users WHERE deleted_at IS NULL ORDER BY created_at DESC, id LIMIT ${limit} OFFSET ${offset}`) {
    accounts.push(toAccount(row));
  }
  const count = await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM users WHERE deleted_at IS NULL`;
  return { accounts, total: count?.n ?? 0 };
}

/** A change to an account and the account before and after it. */
export interface AccountChange {
  before: Account;
  after: Account;
}

/**
 * Changes a live account's name and/or role. Null when there is no such live account; throws
 * LastAdminError when it would demote the last live admin.
 */
export async function updateAccount(id: string, change: { name?: string; role?: Role }): Promise<AccountChange | null> {
  return inTransaction(async (tx) => {
    if (change.role !== undefined) await lockAdmins(tx);
    const before = await tx.queryRow<AccountRow>`SELECT * FROM users WHERE id = ${id} AND deleted_at IS NULL FOR UPDATE`;
    if (!before) return null;
    if (change.role !== undefined && removesLastAdmin(before, change.role, await liveAdminCount(tx))) {
      throw new LastAdminError("the platform needs at least one admin");
    }
    const after = await tx.queryRow<AccountRow>`
      UPDATE users SET name = ${change.name ?? before.name}, role = ${change.role ?? before.role}, updated_at = now()
      WHERE id = ${id} RETURNING *`;
    return { before: toAccount(before), after: toAccount(after!) };
  });
}

/**
 * Soft-deletes a live account and ends its sessions. Returns the account as it was, null when there
 * is no such live account; throws LastAdminError for the last live admin.
 */
export async function softDeleteAccount(id: string): Promise<Account | null> {
  return inTransaction(async (tx) => {
    await lockAdmins(tx);
    const before = await tx.queryRow<AccountRow>`SELECT * FROM users WHERE id = ${id} AND deleted_at IS NULL FOR UPDATE`;
    if (!before) return null;
    if (removesLastAdmin(before, null, await liveAdminCount(tx))) throw new LastAdminError("the platform needs at least one admin");
    await tx.exec`UPDATE users SET deleted_at = now(), updated_at = now(), session_version = session_version + 1 WHERE id = ${id}`;
    await revokeUserTokens(tx, id, "account deleted");
    return toAccount(before);
  });
}

/** Records a sign-in (and, when the hash was made with a lower cost than today's, its replacement). */
export async function recordLogin(id: string, rehashed: string | null): Promise<Account | null> {
  const row = rehashed
    ? await db.queryRow<AccountRow>`UPDATE users SET last_login_at = now(), password_hash = ${rehashed} WHERE id = ${id} RETURNING *`
    : await db.queryRow<AccountRow>`UPDATE users SET last_login_at = now() WHERE id = ${id} RETURNING *`;
  return row ? toAccount(row) : null;
}

/** Replaces a live account's password and ends all its sessions. False when there is no such live account. */
export async function setPassword(id: string, passwordHash: string): Promise<boolean> {
  return inTransaction(async (tx) => {
    const row = await tx.queryRow<{ id: string }>`
      UPDATE users SET password_hash = ${passwordHash}, session_version = session_version + 1, updated_at = now()
      WHERE id = ${id} AND deleted_at IS NULL RETURNING id`;
    if (!row) return false;
    await revokeUserTokens(tx, id, "password changed");
    return true;
  });
}

/** Ends every session of an account: its refresh tokens are revoked and its access tokens outdated. Returns how many refresh tokens were live. */
export async function revokeAllSessions(id: string, reason: string): Promise<number> {
  return inTransaction(async (tx) => {
    await tx.exec`UPDATE users SET session_version = session_version + 1 WHERE id = ${id}`;
    return revokeUserTokens(tx, id, reason);
  });
}

async function revokeUserTokens(tx: Transaction, userId: string, reason: string): Promise<number> {
  const row = await tx.queryRow<{ n: number }>`
    WITH revoked AS (
      UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = ${reason}
      WHERE user_id = ${userId} AND revoked_at IS NULL RETURNING 1
    ) SELECT count(*)::int AS n FROM revoked`;
  return row?.n ?? 0;
}

// --- refresh tokens ---

/** Stores the first refresh token of a new family (a sign-in). */
export async function insertRefreshToken(t: { userId: string; familyId: string; hash: string; expiresAt: Date }): Promise<void> {
  await db.exec`
    INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
    VALUES (${t.userId}, ${t.familyId}, ${t.hash}, ${t.expiresAt})`;
}

/** The outcome of presenting a refresh token. */
export type Rotation =
  | { kind: "rotated"; userId: string; familyId: string }
  /** The token had already been used: its family is now revoked and the account's access tokens outdated. */
  | { kind: "reused"; userId: string; familyId: string; revoked: number }
  | { kind: "invalid" };

/**
 * Uses a refresh token once: marks it used and stores its successor in the same family, atomically.
 * Of two concurrent uses of one token, the row lock lets exactly one mark it used; the other then
 * finds it used and revokes the family (the winner's successor included, which is committed by then).
 */
export async function rotateRefreshToken(hash: string, next: { hash: string; expiresAt: Date }): Promise<Rotation> {
  const rotated = await inTransaction(async (tx) => {
    const used = await tx.queryRow<{ user_id: string; family_id: string }>`
      UPDATE refresh_tokens t SET used_at = now()
      FROM users u
      WHERE t.token_hash = ${hash} AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()
        AND u.id = t.user_id AND u.deleted_at IS NULL
      RETURNING t.user_id, t.family_id`;
    if (!used) return null;
    await tx.exec`
      INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
      VALUES (${used.user_id}, ${used.family_id}, ${next.hash}, ${next.expiresAt})`;
    return { kind: "rotated" as const, userId: used.user_id, familyId: used.family_id };
  });
  if (rotated) return rotated;

  const seen = await db.queryRow<{ user_id: string; family_id: string }>`
    SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = ${hash} AND used_at IS NOT NULL`;
  if (!seen) return { kind: "invalid" };
  // The thief may hold an access token from the stolen family too: outdate every access token of
  // the account (its other families stay; their next refresh issues tokens of the new version).
  const revoked = await inTransaction(async (tx) => {
    await tx.exec`UPDATE users SET session_version = session_version + 1 WHERE id = ${seen.user_id}`;
    return tx.queryRow<{ n: number }>`
      WITH revoked AS (
        UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'reuse detected'
        WHERE family_id = ${seen.family_id} AND revoked_at IS NULL RETURNING 1
      ) SELECT count(*)::int AS n FROM revoked`;
  });
  return { kind: "reused", userId: seen.user_id, familyId: seen.family_id, revoked: revoked?.n ?? 0 };
}

/** The refresh tokens of a family (tests and diagnostics). */
export async function familyTokens(familyId: string): Promise<{ usedAt: Date | null; revokedAt: Date | null; revokedReason: string | null }[]> {
  const out: { usedAt: Date | null; revokedAt: Date | null; revokedReason: string | null }[] = [];
  for await (const r of db.query<{ used_at: Date | null; revoked_at: Date | null; revoked_reason: string | null }>`
    SELECT used_at, revoked_at, revoked_reason FROM refresh_tokens WHERE family_id = ${familyId} ORDER BY created_at`) {
    out.push({ usedAt: r.used_at, revokedAt: r.revoked_at, revokedReason: r.revoked_reason });
  }
  return out;
}

/** The family of a refresh token, by its hash. */
export async function familyOf(hash: string): Promise<string | null> {
  const row = await db.queryRow<{ family_id: string }>`SELECT family_id FROM refresh_tokens WHERE token_hash = ${hash}`;
  return row?.family_id ?? null;
}

// --- login throttling (the fallback when the cache cannot answer) ---

/** The end of the key's latest lock, past or future (null: none). */
export async function throttleLockedUntil(key: string): Promise<number | null> {
  const row = await db.queryRow<{ until: Date | null }>`SELECT locked_until AS until FROM login_throttle WHERE key = ${key}`;
  return row?.until ? row.until.getTime() : null;
}

/** Adds one to the key's counter, restarting it when its window has ended; the new count. */
export async function throttleCount(key: string, windowSeconds: number): Promise<number> {
  const row = await db.queryRow<{ failures: number }>`
    INSERT INTO login_throttle (key, failures, window_ends_at)
    VALUES (${key}, 1, now() + ${windowSeconds}::int * interval '1 second')
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN login_throttle.window_ends_at <= now() THEN 1 ELSE login_throttle.failures + 1 END,
      window_ends_at = CASE WHEN login_throttle.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE login_throttle.window_ends_at END
    RETURNING failures`;
  return row!.failures;
}

/** Locks the key until untilMs; the row is kept at least keepSeconds (or until the lock ends). */
export async function throttleLock(key: string, untilMs: number, keepSeconds: number): Promise<void> {
  const until = new Date(untilMs);
  await db.exec`
    INSERT INTO login_throttle (key, failures, window_ends_at, locked_until)
    VALUES (${key}, 0, greatest(${until}::timestamptz, now() + ${keepSeconds}::int * interval '1 second'), ${until})
    ON CONFLICT (key) DO UPDATE SET
      locked_until = EXCLUDED.locked_until,
      window_ends_at = greatest(login_throttle.window_ends_at, EXCLUDED.window_ends_at)`;
}

/** Forgets the key's counter and lock. */
export async function throttleReset(key: string): Promise<void> {
  await db.exec`DELETE FROM login_throttle WHERE key = ${key}`;
}

// --- housekeeping ---

/** Deletes expired refresh tokens and stale throttling rows; returns how many of each. */
export async function deleteExpired(): Promise<{ tokens: number; throttles: number }> {
  const tokens = await db.queryRow<{ n: number }>`
    WITH gone AS (DELETE FROM refresh_tokens WHERE expires_at < now() RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  const throttles = await db.queryRow<{ n: number }>`
    WITH gone AS (
      DELETE FROM login_throttle WHERE window_ends_at < now() AND (locked_until IS NULL OR locked_until < now()) RETURNING 1
    ) SELECT count(*)::int AS n FROM gone`;
  return { tokens: tokens?.n ?? 0, throttles: throttles?.n ?? 0 };
}
