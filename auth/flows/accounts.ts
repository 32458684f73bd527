// Account management behind auth's internal endpoints (the users service decides who may do what;
// this enforces what must hold whoever asks: unique emails, at least one admin, sessions ending
// with the account) and the first admin at start-up.
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import type { Role } from "../../shared/permissions";
import { audit } from "../audit";
import { isUuid } from "../../shared/ids";
import { normalizeEmail, toProfile, type Account } from "../domain/accounts";
import { generatePassword, hashPassword, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, passwordProblem } from "../domain/passwords";
import type { CreateAccountRequest, ListAccountsResponse, UpdateAccountRequest, UserProfile } from "../model";
import { firstAdmin, passwordCost } from "../secrets";
import { forgetAccountState } from "./sessions";
import * as store from "../store";

function summary(a: Account): { email: string; name: string; role: Role } {
  return { email: a.email, name: a.name, role: a.role };
}

function notFound(): APIError {
  return APIError.notFound("no such user");
}

export async function listAccounts(limit: number, offset: number): Promise<ListAccountsResponse> {
  const page = await store.listLiveAccounts(limit, offset);
  return { accounts: page.accounts.map(toProfile), total: page.total };
}

export async function getAccount(id: string): Promise<UserProfile> {
  const account = isUuid(id) ? await store.getLiveAccount(id) : null;
  if (!account) throw notFound();
  return toProfile(account);
}

export async function createAccount(req: CreateAccountRequest): Promise<UserProfile> {
  const problem = passwordProblem(req.password, { email: req.email, name: req.name });
  if (problem) throw APIError.invalidArgument(problem);
  const passwordHash = await hashPassword(req.password, passwordCost());
  let account: Account;
  try {
    account = await store.createAccount({ email: normalizeEmail(req.email), passwordHash, name: req.name.trim(), role: req.role, firstBecomesAdmin: false });
  } catch (err) {
    if (err instanceof store.EmailTakenError) throw APIError.alreadyExists("an account with this email already exists");
    throw err;
  }
  await audit({ actorId: req.actorId, action: "user.created", targetType: "user", targetId: account.id, details: { via: "admin", after: summary(account) } });
  return toProfile(account);
}

export async function updateAccount(req: UpdateAccountRequest): Promise<UserProfile> {
  if (!isUuid(req.id)) throw notFound();
  let change: store.AccountChange | null;
  try {
    change = await store.updateAccount(req.id, { name: req.name?.trim(), role: req.role });
  } catch (err) {
    if (err instanceof store.LastAdminError) throw APIError.failedPrecondition("this would leave the platform without an admin");
    throw err;
  }
  if (!change) throw notFound();
  if (change.before.role !== change.after.role) await forgetAccountState(req.id);
  await audit({
    actorId: req.actorId,
    action: "user.updated",
    targetType: "user",
    targetId: req.id,
    details: { before: summary(change.before), after: summary(change.after) },
  });
  return toProfile(change.after);
}

export async function deleteAccount(id: string, actorId: string): Promise<void> {
  if (!isUuid(id)) throw notFound();
  let before: Account | null;
  try {
    before = await store.softDeleteAccount(id);
  } catch (err) {
    if (err instanceof store.LastAdminError) throw APIError.failedPrecondition("this would leave the platform without an admin");
    throw err;
  }
  if (!before) throw notFound();
  await forgetAccountState(id);
  await audit({ actorId, action: "user.deleted", targetType: "user", targetId: id, details: { before: summary(before) } });
}

/** The admin email used when WARROOM_ADMIN_EMAIL is not set. */
export const DEFAULT_ADMIN_EMAIL = "admin@warroom.local";

/**
 * Makes sure the platform has an admin: when none exists, creates WARROOM_ADMIN_EMAIL with
 * WARROOM_ADMIN_PASSWORD (or promotes that account if it exists). Without a configured password,
 * one is generated and logged once, to be changed at first sign-in. Idempotent, and safe when
 * several processes start together (store.ensureAdmin serialises them).
 */
export async function ensureFirstAdmin(): Promise<store.AdminSeed> {
  if (await store.liveAdminExists()) return { kind: "exists" };
  const configured = firstAdmin();
  const email = normalizeEmail(configured.email || DEFAULT_ADMIN_EMAIL);
  const generated = configured.password === "";
  const password = generated ? generatePassword() : configured.password;
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_CHARS || chars > MAX_PASSWORD_CHARS) {
    throw new Error(`WARROOM_ADMIN_PASSWORD is not usable: it must be ${MIN_PASSWORD_CHARS} to ${MAX_PASSWORD_CHARS} characters`);
  }
  // The operator chose it: a weak one is used (refusing would leave the platform without an
  // admin) but said loudly, once, at start.
  const weakness = generated ? null : passwordProblem(password, { email });
  if (weakness) log.warn(`WARROOM_ADMIN_PASSWORD would be refused for a user: ${weakness} Change it (POST /api/v1/auth/password) or set a stronger one.`);
  const seed = await store.ensureAdmin(email, await hashPassword(password, passwordCost()), "Administrator");
  if (seed.kind === "exists") return seed;
  await forgetAccountState(seed.account.id);
  await audit({
    actorId: "system",
    action: seed.kind === "created" ? "user.created" : "user.updated",
    targetType: "user",
    targetId: seed.account.id,
    details:
      seed.kind === "created"
        ? { via: "first-admin", after: summary(seed.account) }
        : { via: "first-admin", before: summary(seed.before), after: summary(seed.account) },
  });
  if (generated) {
    log.warn(
      `!!! created the first admin ${email} with the generated password ${password} — it is shown only this once: ` +
        "sign in and change it (POST /api/v1/auth/password), or set WARROOM_ADMIN_EMAIL / WARROOM_ADMIN_PASSWORD before the first start",
    );
  } else {
    log.info(`${seed.kind === "created" ? "created" : "promoted"} the first admin ${email} (from WARROOM_ADMIN_EMAIL)`);
  }
  return seed;
}
