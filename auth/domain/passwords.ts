// Password hashing (bcryptjs) and the rules around it. The cost comes in as an argument.
import { createHmac, randomBytes } from "node:crypto";
import { ZxcvbnFactory, type ZxcvbnResult } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as commonDictionary } from "@zxcvbn-ts/language-common";
import { dictionary as englishDictionary, translations } from "@zxcvbn-ts/language-en";
import bcrypt from "bcryptjs";

/** The production minimum and default bcrypt cost (2^12 rounds). */
export const MIN_PRODUCTION_COST = 12;
/** bcrypt's own floor; only tests and local development may go this low. */
export const MIN_COST = 4;
/** Above this a single login takes seconds: a configuration mistake, not a choice. */
export const MAX_COST = 16;
/** bcrypt reads only the first 72 bytes of its input: longer passwords are pre-hashed (bcryptInput). */
export const BCRYPT_MAX_BYTES = 72;
/** A password's length, in characters (Unicode code points). */
export const MIN_PASSWORD_CHARS = 8;
export const MAX_PASSWORD_CHARS = 128;
/** The lowest zxcvbn score accepted (0 too guessable … 4 very unguessable; 3: safely unguessable, about 10^10 guesses). */
export const MIN_PASSWORD_SCORE = 3;
/**
 * The estimator reads at most this many characters (a weak password stays weak in its first 48),
 * and tries at most this many l33t substitutions ("p@$$w0rd" has 4): past those its work grows
 * fast, to hundreds of milliseconds for a 128-character string of symbols (npm run bench -- auth).
 */
const ESTIMATOR_MAX_CHARS = 48;
const ESTIMATOR_MAX_L33T = 6;

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
    return {
      cost: MIN_PRODUCTION_COST,
      warning: `BCRYPT_COST "${configured}" is not an integer from ${MIN_COST} to ${MAX_COST}; using ${MIN_PRODUCTION_COST}`,
    };
  }
  if (n < MIN_PRODUCTION_COST && production) {
    return {
      cost: MIN_PRODUCTION_COST,
      warning: `BCRYPT_COST ${n} is below ${MIN_PRODUCTION_COST}, which production does not allow; using ${MIN_PRODUCTION_COST}`,
    };
  }
  if (n < MIN_PRODUCTION_COST) return { cost: n, warning: `BCRYPT_COST is ${n}: password hashes are weak (fine for tests, never for production)` };
  return { cost: n };
}

/** What a password is judged against besides itself: the account's email and name. */
export interface PasswordContext {
  email: string;
  name?: string;
}

let estimator: ZxcvbnFactory | undefined;

/**
 * zxcvbn-ts with its common (passwords, keyboard layouts) and English dictionaries; built on first
 * use (about 150 ms: it ranks the dictionaries). Levenshtein matching stays off: it costs some
 * 200 ms a check, too much work for a public endpoint to hand out.
 */
function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
    maxLength: ESTIMATOR_MAX_CHARS,
    l33tMaxSubstitutions: ESTIMATOR_MAX_L33T,
  });
  return estimator;
}

/** The estimator's verdict on a password, given the words of its account (email, its parts, name, the app's name). */
export function passwordStrength(password: string, context: PasswordContext): ZxcvbnResult {
  const local = emailLocalPart(context.email);
  const inputs = [context.email.toLowerCase(), local, ...local.split(/[._+-]+/), ...(context.name ?? "").toLowerCase().split(/\s+/), "warroom", "war room"];
  return strengthEstimator().check(password, [...new Set(inputs.filter((w) => w.length >= 3))]);
}

function emailLocalPart(email: string): string {
  const at = email.lastIndexOf("@");
  return (at < 0 ? email : email.slice(0, at)).trim().toLowerCase();
}

/**
 * Why a password is refused, or null when it is acceptable: 8 to 128 characters, not containing
 * the email's local part (the part before @, when it has 3 characters or more), and rated at least
 * MIN_PASSWORD_SCORE by zxcvbn (which also knows the account's email and name). The reason is
 * worded for the person choosing it.
 */
export function passwordProblem(password: string, context: PasswordContext): string | null {
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_CHARS) return `password must be at least ${MIN_PASSWORD_CHARS} characters`;
  if (chars > MAX_PASSWORD_CHARS) return `password must be at most ${MAX_PASSWORD_CHARS} characters`;
  const local = emailLocalPart(context.email);
  if (local.length >= 3 && password.toLowerCase().includes(local)) return "password must not contain your email's name (the part before @)";
  const verdict = passwordStrength(password, context);
  if (verdict.score >= MIN_PASSWORD_SCORE) return null;
  const why = verdict.feedback.warning ?? "It is too easy to guess.";
  const hints = verdict.feedback.suggestions.length > 0 ? verdict.feedback.suggestions : ["Use a few uncommon words, or a longer password."];
  return `password is too weak: ${why} ${hints.join(" ")}`;
}

/**
 * What bcrypt is given for a password: the password itself up to 72 bytes (bcrypt ignores the
 * rest), else a keyed SHA-256 of it (51 bytes), so every character of a long password counts. The
 * key only separates these digests from any other system's hashes of the same password. Hashes
 * made before long passwords were allowed are all of the first kind, so they still verify.
 */
function bcryptInput(password: string): string {
  if (Buffer.byteLength(password, "utf8") <= BCRYPT_MAX_BYTES) return password;
  return `sha256:${createHmac("sha256", "war-room/bcrypt-prehash/v1").update(password, "utf8").digest("base64")}`;
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(bcryptInput(password), cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(bcryptInput(password), hash);
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
  await bcrypt.compare(bcryptInput(password), await dummy);
  return false;
}

/** A random password for a generated account (shown once): 24 characters from 18 random bytes. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
