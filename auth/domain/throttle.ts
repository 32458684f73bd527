// Login throttling: failed sign-ins are counted per account and per client address; past a
// threshold the subject is locked out for a time that doubles with every further failure, up to a
// cap. Pure decisions over a ThrottleStore (Redis, Postgres or memory behind it).
import { isIP } from "node:net";

/** How many failures a subject may have, how long the lock-outs are, and how long failures count. */
export interface ThrottlePolicy {
  maxFailures: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
  /** Failures are forgotten this long after the first one of a window. */
  windowSeconds: number;
}

/** Per account: 5 failures, then 30 s, 60 s, 120 s ... up to 15 min. */
export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, baseLockSeconds: 30, maxLockSeconds: 900, windowSeconds: 3600 };
/** Per client address: more room (offices share an address), same growth. */
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 20, baseLockSeconds: 30, maxLockSeconds: 900, windowSeconds: 3600 };

/** One thing being throttled: an account or an address, with its policy. */
export interface ThrottleSubject {
  key: string;
  policy: ThrottlePolicy;
}

export function accountSubject(email: string): ThrottleSubject {
  return { key: `acct:${email}`, policy: ACCOUNT_POLICY };
}

export function addressSubject(address: string): ThrottleSubject {
  return { key: `addr:${address}`, policy: ADDRESS_POLICY };
}

/** The lock-out, in seconds, that the `failures`-th failure starts (0: none yet). */
export function lockSecondsAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = Math.min(failures - policy.maxFailures, 30);
  return Math.min(policy.maxLockSeconds, policy.baseLockSeconds * 2 ** doublings);
}

/** Where throttling state lives. Every method throws when the backend cannot answer. */
export interface ThrottleStore {
  /**
   * When the key's latest lock ends (epoch milliseconds; possibly in the past, for as long as the
   * lock is kept), or null when it has none.
   */
  lockedUntil(key: string): Promise<number | null>;
  /** Atomically adds one to the key's counter (opening a window of windowSeconds if none is open); the new count. */
  count(key: string, windowSeconds: number): Promise<number>;
  /** Locks the key until untilMs (epoch milliseconds), remembering the lock for at least keepSeconds. */
  lock(key: string, untilMs: number, keepSeconds: number): Promise<void>;
  /** Forgets the key's counter and lock. */
  reset(key: string): Promise<void>;
}

/** A lock-out that a failure just started. */
export interface Lockout {
  key: string;
  failures: number;
  seconds: number;
}

/** How long a claimed probe blocks other attempts if its request never reports back. */
export const PROBE_SECONDS = 60;

/** The attempt is refused: a subject is locked out for retryAfterSeconds more. */
export class ThrottledError extends Error {
  override readonly name = "ThrottledError";
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed sign-ins; try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Login throttling. The account's counter is taken BEFORE the password is checked, so that a burst
 * of parallel guesses cannot all slip past the lock while the first ones are still being hashed:
 * the first maxFailures attempts of a window are checked; past that, only one attempt at a time
 * ("the probe", claimed atomically per lock) is checked once the last lock has run out; if it
 * fails, the next, longer lock starts. A probe whose request dies is freed after PROBE_SECONDS. A success
 * resets the account. The address counts failures only (its users' successes must not count
 * against it, and it is the coarser of the two limits).
 */
export class LoginThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts an attempt, or throws ThrottledError. */
  async begin(account: ThrottleSubject, address: ThrottleSubject | null): Promise<LoginAttempt> {
    const [accountLock, addressLock] = await Promise.all([
      this.store.lockedUntil(account.key),
      address ? this.store.lockedUntil(address.key) : Promise.resolve(null),
    ]);
    const waitMs = Math.max(accountLock ?? 0, addressLock ?? 0) - this.now();
    if (waitMs > 0) throw new ThrottledError(Math.ceil(waitMs / 1000));

    const attempt = await this.store.count(account.key, account.policy.windowSeconds);
    if (attempt > account.policy.maxFailures) {
      // Past the threshold with no lock in force: the last lock has run out (or is being set by a
      // concurrent failure). One attempt per lock gets to try.
      const claims = await this.store.count(`probe:${account.key}:${accountLock ?? 0}`, PROBE_SECONDS);
      if (claims > 1) throw new ThrottledError(1);
    }
    return new LoginAttempt(this.store, this.now, account, address, attempt);
  }
}

/** One sign-in attempt that the throttle let through; report how it ended. */
export class LoginAttempt {
  constructor(
    private readonly store: ThrottleStore,
    private readonly now: () => number,
    private readonly account: ThrottleSubject,
    private readonly address: ThrottleSubject | null,
    /** This attempt's number in the account's window. */
    readonly number: number,
  ) {}

  /** The password was wrong (or the account unknown): lock out whatever crossed its threshold. */
  async failed(): Promise<Lockout[]> {
    const lockouts: Lockout[] = [];
    const accountSeconds = lockSecondsAfter(this.number, this.account.policy);
    if (accountSeconds > 0) {
      await this.store.lock(this.account.key, this.now() + accountSeconds * 1000, this.account.policy.windowSeconds);
      lockouts.push({ key: this.account.key, failures: this.number, seconds: accountSeconds });
    }
    if (this.address) {
      const failures = await this.store.count(this.address.key, this.address.policy.windowSeconds);
      const seconds = lockSecondsAfter(failures, this.address.policy);
      if (seconds > 0) {
        await this.store.lock(this.address.key, this.now() + seconds * 1000, this.address.policy.windowSeconds);
        lockouts.push({ key: this.address.key, failures, seconds });
      }
    }
    return lockouts;
  }

  /** The sign-in succeeded: the account starts afresh. */
  async succeeded(): Promise<void> {
    await this.store.reset(this.account.key);
  }
}

/** A budget of attempts per subject per window (self-registration per client address). */
export interface RateLimitPolicy {
  max: number;
  windowSeconds: number;
}

/** Registrations per address per hour when REGISTRATIONS_PER_ADDRESS_PER_HOUR is unset. */
export const DEFAULT_REGISTRATIONS_PER_HOUR = 10;

/** The registration budget from its secret: empty → the default; else a whole number 1–100000, or the default and a problem to log. */
export function parseRegistrationLimit(raw: string | undefined): { max: number; problem?: string } {
  const value = (raw ?? "").trim();
  if (value === "") return { max: DEFAULT_REGISTRATIONS_PER_HOUR };
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 100_000) return { max: n };
  return {
    max: DEFAULT_REGISTRATIONS_PER_HOUR,
    problem: `REGISTRATIONS_PER_ADDRESS_PER_HOUR must be a whole number from 1 to 100000, not "${value}"; using ${DEFAULT_REGISTRATIONS_PER_HOUR}`,
  };
}

export function registrationSubject(address: string): string {
  return `reg:addr:${address}`;
}

/**
 * At most policy.max attempts per key in each window, windows aligned to the clock (hour
 * 10:00–11:00, then 11:00–12:00, ...): every attempt counts, whatever its outcome, and the one past
 * the budget is refused with the seconds left until the window ends. A counter per window (the
 * window's number is part of the key), so a window's end needs no store state to pass. Aligned
 * windows let a burst straddling a boundary reach 2 × max; that is the price of one counter.
 */
export class WindowRateLimit {
  constructor(
    private readonly store: ThrottleStore,
    readonly policy: RateLimitPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt for the key (its number in the window), or throws ThrottledError past the budget. */
  async take(key: string): Promise<number> {
    const windowMs = this.policy.windowSeconds * 1000;
    const now = this.now();
    const window = Math.floor(now / windowMs);
    const n = await this.store.count(`${key}:${window}`, this.policy.windowSeconds);
    if (n > this.policy.max) throw new ThrottledError(Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)));
    return n;
  }
}

/**
 * The client's address from the request headers: the first X-Forwarded-For entry, else X-Real-IP,
 * normalised (port and brackets dropped, IPv4-mapped IPv6 unwrapped). Null when there is none or it
 * is not an IP address: callers then skip the per-address limit rather than lump every such client
 * into one bucket. Our runtime does not expose the TCP peer address, so this trusts the proxy in
 * front of the app to set these headers; a client talking to the app directly can forge them (the
 * per-account limit still holds).
 */
export function clientAddress(headers: Record<string, string | string[] | undefined>): string | null {
  const header = (name: string): string | undefined => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const v = key === undefined ? undefined : headers[key];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const forwarded = header("x-forwarded-for");
  const candidate = forwarded !== undefined ? forwarded.split(",")[0] : header("x-real-ip");
  return candidate === undefined ? null : normalizeAddress(candidate);
}

export function normalizeAddress(raw: string): string | null {
  let a = raw.trim();
  if (a.length === 0 || a.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(a);
  if (mapped) a = mapped[1];
  if (isIP(a) === 0) return null;
  return a.toLowerCase();
}
