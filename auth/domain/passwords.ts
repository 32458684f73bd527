// Password hashing (bcryptjs) and the rules around it. The cost comes in as an argument.
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";

/** The production minimum and default bcrypt cost (2^12 rounds). */
export const MIN_PRODUCTION_COST = 12;
/** bcrypt's own floor; only tests and local development may go this low. */
export const MIN_COST = 4;
/** Above this a single login takes seconds: a configuration mistake, not a choice. */
export const MAX_COST = 16;
/** bcrypt reads only the first 72 bytes of a password; longer ones are refused, not silently cut. */
export const MAX_PASSWORD_BYTES = 72;

/** A bcrypt cost decided from configuration, with a warning to log when the value was not used as given. */
export interface CostDecision {
  cost: number;
  warning?: string;
}

/**
 * Reads BCRYPT_COST: empty means the default (12); a lower cost than 12 is honoured only outside
 * production (tests use 4); anything unparsable or out of range falls back to 12.
 */
export function decideCost(configured: string, production: boolean): CostDecision {
  if (configured.trim() === "") return { cost: MIN_PRODUCTION_COST };
  const n = Number(configured);
  if (!Number.isInteger(n) || n < MIN_COST || n > MAX_COST) {
    return { cost: MIN_PRODUCTION_COST, warning: `BCRYPT_COST "${configured}" is not an integer from ${MIN_COST} to ${MAX_COST}; using ${MIN_PRODUCTION_COST}` };
  }
  if (n < MIN_PRODUCTION_COST && production) {
    return { cost: MIN_PRODUCTION_COST, warning: `BCRYPT_COST ${n} is below ${MIN_PRODUCTION_COST}, which production does not allow; using ${MIN_PRODUCTION_COST}` };
  }
  if (n < MIN_PRODUCTION_COST) return { cost: n, warning: `BCRYPT_COST is ${n}: password hashes are weak (fine for tests, never for production)` };
  return { cost: n };
}

/** Why a password is refused, or null when it is acceptable. (MinLen is checked by the schema.) */
export function passwordProblem(password: string): string | null {
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) return `password must be at most ${MAX_PASSWORD_BYTES} bytes`;
  return null;
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** True when a stored hash was made with a lower cost than today's: rehash it at the next login. */
export function needsRehash(hash: string, cost: number): boolean {
  try {
    return bcrypt.getRounds(hash) < cost;
  } catch {
    return true;
  }
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * Checks a password against a hash of the same cost that matches nothing, so that a login for an
 * unknown email takes as long as one for a known email with a wrong password.
 */
export async function burnPasswordCheck(password: string, cost: number): Promise<false> {
  let dummy = dummyHashes.get(cost);
  if (!dummy) {
    dummy = bcrypt.hash("no account has this password", cost);
    dummyHashes.set(cost, dummy);
  }
  await bcrypt.compare(password, await dummy);
  return false;
}

/** A random password for a generated account (shown once): 24 characters from 18 random bytes. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
