// auth's SQL: the only file that talks to auth's database. Rows come back as domain types.
import type { Transaction } from "encore.dev/storage/sqldb";
import { inTransaction } from "../shared/sql";
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
  /** False for an account created through a provider (its hash is of a random password nobody knows). */
  passwordSet?: boolean;
}

/** Creates a live account; throws EmailTakenError when the email is in use. */
export async function createAccount(a: NewAccount): Promise<Account> {
  return inTransaction(db, async (tx) => {
    let role = a.role;
    if (a.firstBecomesAdmin) {
      await lockAdmins(tx);
      role = roleForNewAccount(a.role, (await liveAdminCount(tx)) > 0, true);
    }
    const row = await tx.queryRow<AccountRow>`
      INSERT INTO users (email, password_hash, name, role, password_set)
      VALUES (${a.email}, ${a.passwordHash}, ${a.name}, ${role}, ${a.passwordSet ?? true})
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
  return inTransaction(db, async (tx) => {
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
  return inTransaction(db, async (tx) => {
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
  return inTransaction(db, async (tx) => {
    await lockAdmins(tx);
    const before = await tx.queryRow<AccountRow>`SELECT * FROM users WHERE id = ${id} AND deleted_at IS NULL FOR UPDATE`;
    if (!before) return null;
    if (removesLastAdmin(before, null, await liveAdminCount(tx))) throw new LastAdminError("the platform needs at least one admin");
    await tx.exec`UPDATE users SET deleted_at = now(), updated_at = now(), session_version = session_version + 1 WHERE id = ${id}`;
    await revokeUserTokens(tx, id, "account deleted");
    // Its provider identities go with it (they hold an email, and must not sign in to a later account).
    await tx.exec`DELETE FROM user_identities WHERE user_id = ${id}`;
    await tx.exec`DELETE FROM oauth_codes WHERE user_id = ${id}`;
    await tx.exec`DELETE FROM login_addresses WHERE user_id = ${id}`;
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
  return inTransaction(db, async (tx) => {
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
  return inTransaction(db, async (tx) => {
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
  const rotated = await inTransaction(db, async (tx) => {
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
  const revoked = await inTransaction(db, async (tx) => {
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

// --- addresses accounts signed in from ---

/** How long an address stays known to an account after its last successful sign-in there. */
export const KNOWN_ADDRESS_DAYS = 90;

/** True when the live account with this email signed in successfully from the address in the last KNOWN_ADDRESS_DAYS days. */
export async function isKnownAddress(email: string, address: string): Promise<boolean> {
  const row = await db.queryRow<{ known: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM login_addresses la JOIN users u ON u.id = la.user_id
      WHERE u.email = ${email} AND u.deleted_at IS NULL AND la.address = ${address}
        AND la.last_seen_at > now() - make_interval(days => ${KNOWN_ADDRESS_DAYS})
    ) AS known`;
  return row?.known ?? false;
}

/** Records a successful sign-in of the account from the address. */
export async function rememberAddress(userId: string, address: string): Promise<void> {
  await db.exec`
    INSERT INTO login_addresses (user_id, address) VALUES (${userId}, ${address})
    ON CONFLICT (user_id, address) DO UPDATE SET last_seen_at = now()`;
}

// --- housekeeping ---

/** Deletes expired refresh tokens, stale throttling rows and expired sign-in flows and codes; returns how many of each. */
export async function deleteExpired(): Promise<{ tokens: number; throttles: number; oauthFlows: number; oauthCodes: number; addresses: number }> {
  const tokens = await db.queryRow<{ n: number }>`
    WITH gone AS (DELETE FROM refresh_tokens WHERE expires_at < now() RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  const throttles = await db.queryRow<{ n: number }>`
    WITH gone AS (
      DELETE FROM login_throttle WHERE window_ends_at < now() AND (locked_until IS NULL OR locked_until < now()) RETURNING 1
    ) SELECT count(*)::int AS n FROM gone`;
  const flows = await db.queryRow<{ n: number }>`
    WITH gone AS (DELETE FROM oauth_flows WHERE expires_at < now() RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  const codes = await db.queryRow<{ n: number }>`
    WITH gone AS (DELETE FROM oauth_codes WHERE expires_at < now() RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  const addresses = await db.queryRow<{ n: number }>`
    WITH gone AS (DELETE FROM login_addresses WHERE last_seen_at < now() - make_interval(days => ${KNOWN_ADDRESS_DAYS}) RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  return { tokens: tokens?.n ?? 0, throttles: throttles?.n ?? 0, oauthFlows: flows?.n ?? 0, oauthCodes: codes?.n ?? 0, addresses: addresses?.n ?? 0 };
}

// --- OpenID Connect sign-in ---

/** An authorization request under way, as stored. */
export interface StoredFlow {
  provider: string;
  nonce: string;
  codeVerifier: string;
  bindingHash: string;
  expiresAt: Date;
}

/** Stores an authorization request (by the hash of its state). */
export async function insertFlow(stateHash: string, f: StoredFlow): Promise<void> {
  await db.exec`
    INSERT INTO oauth_flows (state_hash, provider, nonce, code_verifier, binding_hash, expires_at)
    VALUES (${stateHash}, ${f.provider}, ${f.nonce}, ${f.codeVerifier}, ${f.bindingHash}, ${f.expiresAt})`;
}

/** Takes an authorization request out (used once, whatever happens next); null when there is none or it expired. */
export async function takeFlow(stateHash: string): Promise<StoredFlow | null> {
  const row = await db.queryRow<{ provider: string; nonce: string; code_verifier: string; binding_hash: string; expires_at: Date }>`
    DELETE FROM oauth_flows WHERE state_hash = ${stateHash} RETURNING provider, nonce, code_verifier, binding_hash, expires_at`;
  if (!row || row.expires_at.getTime() <= Date.now()) return null;
  return { provider: row.provider, nonce: row.nonce, codeVerifier: row.code_verifier, bindingHash: row.binding_hash, expiresAt: row.expires_at };
}

/** Stores a one-time code for the frontend (by its hash). */
export async function insertExchangeCode(c: { codeHash: string; userId: string; provider: string; bindingHash: string; expiresAt: Date }): Promise<void> {
  await db.exec`
    INSERT INTO oauth_codes (code_hash, user_id, provider, binding_hash, expires_at)
    VALUES (${c.codeHash}, ${c.userId}, ${c.provider}, ${c.bindingHash}, ${c.expiresAt})`;
}

/** Redeems a one-time code: gone after this call whatever the outcome; null when unknown or expired. */
export async function takeExchangeCode(codeHash: string): Promise<{ userId: string; provider: string; bindingHash: string } | null> {
  const row = await db.queryRow<{ user_id: string; provider: string; binding_hash: string; expires_at: Date }>`
    DELETE FROM oauth_codes WHERE code_hash = ${codeHash} RETURNING user_id, provider, binding_hash, expires_at`;
  if (!row || row.expires_at.getTime() <= Date.now()) return null;
  return { userId: row.user_id, provider: row.provider, bindingHash: row.binding_hash };
}

/** A provider identity linked to an account. */
export interface Identity {
  id: string;
  userId: string;
  provider: string;
  subject: string;
  email: string | null;
  linkedAt: Date;
  lastUsedAt: Date | null;
}

interface IdentityRow {
  id: string;
  user_id: string;
  provider: string;
  subject: string;
  email: string | null;
  linked_at: Date;
  last_used_at: Date | null;
}

function toIdentity(r: IdentityRow): Identity {
  return { id: r.id, userId: r.user_id, provider: r.provider, subject: r.subject, email: r.email, linkedAt: r.linked_at, lastUsedAt: r.last_used_at };
}

/** The live account a provider identity is linked to (null when none, or its account is deleted). */
export async function linkedAccountId(provider: string, subject: string): Promise<string | null> {
  const row = await db.queryRow<{ user_id: string }>`
    SELECT i.user_id FROM user_identities i JOIN users u ON u.id = i.user_id
    WHERE i.provider = ${provider} AND i.subject = ${subject} AND u.deleted_at IS NULL`;
  return row?.user_id ?? null;
}

/** Links a provider identity to a live account; null when the account is gone or the identity is linked already. */
export async function linkIdentity(userId: string, provider: string, subject: string, email: string | null): Promise<Identity | null> {
  return inTransaction(db, async (tx) => {
    const live = await tx.queryRow<{ id: string }>`SELECT id FROM users WHERE id = ${userId} AND deleted_at IS NULL FOR SHARE`;
    if (!live) return null;
    const row = await tx.queryRow<IdentityRow>`
      INSERT INTO user_identities (user_id, provider, subject, email, last_used_at) VALUES (${userId}, ${provider}, ${subject}, ${email}, now())
      ON CONFLICT (provider, subject) DO NOTHING RETURNING *`;
    return row ? toIdentity(row) : null;
  });
}

/** Records a sign-in through an identity. */
export async function touchIdentity(provider: string, subject: string): Promise<void> {
  await db.exec`UPDATE user_identities SET last_used_at = now() WHERE provider = ${provider} AND subject = ${subject}`;
}

/** An account's linked identities, oldest first. */
export async function identitiesOf(userId: string): Promise<Identity[]> {
  const out: Identity[] = [];
  for await (const r of db.query<IdentityRow>`SELECT * FROM user_identities WHERE user_id = ${userId} ORDER BY linked_at, id`) out.push(toIdentity(r));
  return out;
}

/** The outcome of removing an identity. */
export type Unlink = { kind: "unlinked"; identity: Identity } | { kind: "not-found" } | { kind: "refused"; reason: string };

/**
 * Removes one of an account's identities when `problem` (given the account's password state, its
 * domain's SSO rule and its identity count) finds nothing wrong. The account row is locked, so two
 * concurrent removals cannot both take the last way to sign in.
 */
export async function unlinkIdentityChecked(
  userId: string,
  identityId: string,
  problem: (facts: { hasPassword: boolean; ssoRequired: boolean; identities: number }) => string | null,
  domainOf: (email: string) => string,
): Promise<Unlink> {
  return inTransaction(db, async (tx) => {
    const user = await tx.queryRow<{ email: string; password_set: boolean }>`SELECT email, password_set FROM users WHERE id = ${userId} FOR UPDATE`;
    if (!user) return { kind: "not-found" };
    const target = await tx.queryRow<IdentityRow>`SELECT * FROM user_identities WHERE id = ${identityId} AND user_id = ${userId}`;
    if (!target) return { kind: "not-found" };
    const count = await tx.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM user_identities WHERE user_id = ${userId}`;
    const sso = await tx.queryRow<{ domain: string }>`SELECT domain FROM sso_domains WHERE domain = ${domainOf(user.email)}`;
    const reason = problem({ hasPassword: user.password_set, ssoRequired: sso !== null, identities: count?.n ?? 0 });
    if (reason) return { kind: "refused", reason };
    await tx.exec`DELETE FROM user_identities WHERE id = ${identityId}`;
    return { kind: "unlinked", identity: toIdentity(target) };
  });
}

// --- domains that must use single sign-on ---

/** A domain whose accounts must sign in with a provider. */
export interface SsoDomain {
  domain: string;
  createdBy: string | null;
  createdAt: Date;
}

/** Whether password sign-in is refused for this (normalised) email domain. */
export async function ssoRequired(domain: string): Promise<boolean> {
  const row = await db.queryRow<{ domain: string }>`SELECT domain FROM sso_domains WHERE domain = ${domain}`;
  return row !== null;
}

/** Every domain that requires single sign-on, alphabetically. */
export async function listSsoDomains(): Promise<SsoDomain[]> {
  const out: SsoDomain[] = [];
  for await (const r of db.query<{ domain: string; created_by: string | null; created_at: Date }>`SELECT * FROM sso_domains ORDER BY domain`) {
    out.push({ domain: r.domain, createdBy: r.created_by, createdAt: r.created_at });
  }
  return out;
}

/** Requires single sign-on for a domain; the new row, or null when it was required already. */
export async function addSsoDomain(domain: string, createdBy: string): Promise<SsoDomain | null> {
  const r = await db.queryRow<{ domain: string; created_by: string | null; created_at: Date }>`
    INSERT INTO sso_domains (domain, created_by) VALUES (${domain}, ${createdBy}) ON CONFLICT (domain) DO NOTHING RETURNING *`;
  return r ? { domain: r.domain, createdBy: r.created_by, createdAt: r.created_at } : null;
}

/** Lets a domain sign in with passwords again; false when it did not require single sign-on. */
export async function removeSsoDomain(domain: string): Promise<boolean> {
  const r = await db.queryRow<{ domain: string }>`DELETE FROM sso_domains WHERE domain = ${domain} RETURNING domain`;
  return r !== null;
}

// --- erasure (shared/retention.ts) ---

/** The addresses an account is reachable at (its email and linked identities' emails), also for soft-deleted accounts; null when there is no such account. */
export async function accountAddresses(id: string): Promise<string[] | null> {
  const row = await db.queryRow<{ email: string; erased: boolean }>`SELECT email, email = ${erasedEmail(id)} AS erased FROM users WHERE id = ${id}`;
  if (!row) return null;
  if (row.erased) return [];
  const addresses = new Set([row.email]);
  for await (const r of db.query<{ email: string | null }>`SELECT email FROM user_identities WHERE user_id = ${id}`)
    if (r.email) addresses.add(r.email.toLowerCase());
  return [...addresses];
}

/** The email an erased account is left with (no column marks erasure: this placeholder does). */
const erasedEmail = (id: string) => `erased-${id}@erased.invalid`;

/** An account is the last live admin: erasing it would leave the platform without one. */
export class LastAdminErasureError extends Error {
  override readonly name = "LastAdminErasureError";
}

/**
 * Erases an account's personal data: the row stays (its id is referenced by other services) but its
 * email, name and password are replaced, it is deleted, and its sessions, provider identities and
 * pending sign-in codes are removed. Idempotent: an erased account reports zero counts.
 */
export async function eraseAccount(id: string): Promise<{ account: number; sessions: number; identities: number }> {
  return inTransaction(db, async (tx) => {
    await lockAdmins(tx);
    const before = await tx.queryRow<AccountRow>`SELECT * FROM users WHERE id = ${id} FOR UPDATE`;
    if (!before || before.email === erasedEmail(id)) return { account: 0, sessions: 0, identities: 0 };
    if (before.deleted_at === null && removesLastAdmin(before, null, await liveAdminCount(tx)))
      throw new LastAdminErasureError("the platform needs at least one admin");
    await tx.exec`
      UPDATE users SET email = ${erasedEmail(id)}, name = 'Erased user', password_hash = '!erased', last_login_at = NULL,
                       deleted_at = coalesce(deleted_at, now()), updated_at = now(), session_version = session_version + 1
      WHERE id = ${id}`;
    const sessions = await tx.queryRow<{
      n: number;
    }>`WITH gone AS (DELETE FROM refresh_tokens WHERE user_id = ${id} RETURNING 1) SELECT count(*)::int AS n FROM gone`;
    const identities = await tx.queryRow<{
      n: number;
    }>`WITH gone AS (DELETE FROM user_identities WHERE user_id = ${id} RETURNING 1) SELECT count(*)::int AS n FROM gone`;
    await tx.exec`DELETE FROM oauth_codes WHERE user_id = ${id}`;
    await tx.exec`DELETE FROM login_addresses WHERE user_id = ${id}`;
    return { account: 1, sessions: sessions?.n ?? 0, identities: identities?.n ?? 0 };
  });
}

/** What auth still holds about an account, for erasure checks: its email, name, and its session and identity counts. */
export async function personalDataOf(id: string): Promise<{ email: string; name: string; sessions: number; identities: number } | null> {
  return db.queryRow<{ email: string; name: string; sessions: number; identities: number }>`
    SELECT email, name,
           (SELECT count(*)::int FROM refresh_tokens WHERE user_id = ${id}) AS sessions,
           (SELECT count(*)::int FROM user_identities WHERE user_id = ${id}) AS identities
    FROM users WHERE id = ${id}`;
}
