// Login throttling, built so that a stranger cannot lock an account's owner out:
// - per (account, address) pair: 5 attempts, then locks of 30 s doubling up to 15 min. This is
//   the limit the owner meets at their own address, and only their own mistakes (or someone at
//   the same address) count against it.
// - per account, across every address: a much higher ceiling (50 attempts a day from addresses
//   that never signed in to it), then locks of 60 s doubling up to 15 min. It slows guessing
//   spread over many addresses; addresses the account has signed in from before ("known", a
//   successful sign-in, registration or password change from there) neither count against it
//   nor are stopped by it, so a botnet cannot lock the owner out where they usually sign in.
// - per address, across accounts: 20 failures an hour, then the same locks (password spraying
//   from one address). Known pairs pass this one too (a colleague's typos or a sprayer on an
//   office's shared address do not lock the office out); their pair limit still holds.
// Unknown emails are throttled exactly like known ones (same counters, same answers): the
// throttle never tells whether an account exists. Pure decisions over a ThrottleStore (Redis,
// Postgres or memory behind it).
import { isIP } from "node:net";

/** How many attempts a subject may have, how long the lock-outs are, and how long attempts count. */
export interface ThrottlePolicy {
  maxFailures: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
  /** Attempts are forgotten this long after the first one of a window. */
  windowSeconds: number;
}

/** Per (account, address): 5 attempts, then 30 s, 60 s, 120 s ... up to 15 min. */
export const PAIR_POLICY: ThrottlePolicy = { maxFailures: 5, baseLockSeconds: 30, maxLockSeconds: 900, windowSeconds: 3600 };
/** Per account, from addresses it has never signed in from: 50 attempts a day, then 60 s doubling up to 15 min. */
export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 50, baseLockSeconds: 60, maxLockSeconds: 900, windowSeconds: 86_400 };
/** Per client address, across accounts: 20 failures an hour (offices share an address), then 30 s doubling up to 15 min. */
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 20, baseLockSeconds: 30, maxLockSeconds: 900, windowSeconds: 3600 };

/** The bucket of clients whose address is not known: they share one limit rather than have none. */
export const UNKNOWN_ADDRESS = "unknown";

/** One thing being throttled, with its policy. */
export interface ThrottleSubject {
  key: string;
  policy: ThrottlePolicy;
}

/** The counters one sign-in attempt touches. */
export interface LoginSubjects {
  pair: ThrottleSubject;
  /** Null for the unknown bucket: the account-wide ceiling is about many distinct addresses, and one shared bucket is held by its pair and address limits. */
  account: ThrottleSubject | null;
  address: ThrottleSubject;
}

/** The subjects of a sign-in for a (normalised) email from an address (null or UNKNOWN_ADDRESS: unknown, one shared bucket). */
export function loginSubjects(email: string, address: string | null): LoginSubjects {
  const addr = address ?? UNKNOWN_ADDRESS;
  return {
    pair: { key: `pair:${addr}|${email}`, policy: PAIR_POLICY },
    account: addr === UNKNOWN_ADDRESS ? null : { key: `acct:${email}`, policy: ACCOUNT_POLICY },
    address: { key: `addr:${addr}`, policy: ADDRESS_POLICY },
  };
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
  /** Which limit: the (account, address) pair, the account across addresses, or the address across accounts. */
  kind: "pair" | "account" | "address";
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
 * Login throttling. The pair's and the account's counters are taken BEFORE the password is
 * checked, so that a burst of parallel guesses cannot all slip past a lock while the first ones
 * are still being hashed: the first maxFailures attempts of a window are checked; past that, only
 * one attempt at a time ("the probe", claimed atomically per lock) is checked once the last lock
 * has run out; if it fails, the next, longer lock starts. A probe whose request dies is freed after
 * PROBE_SECONDS. A success resets the pair only: the account-wide count goes on (an owner signing
 * in must not reopen guessing from elsewhere). The address counts failures only (its users'
 * successes must not count against it, and it is the coarsest limit).
 */
export class LoginThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts an attempt, or throws ThrottledError. `knownAddress`: the account has signed in from
   * this address before, so the account-wide and address-wide ceilings do not apply.
   */
  async begin(subjects: LoginSubjects, knownAddress: boolean): Promise<LoginAttempt> {
    const { pair, address } = subjects;
    const account = knownAddress ? null : subjects.account;
    const [pairLock, accountLock, addressLock] = await Promise.all([
      this.store.lockedUntil(pair.key),
      account ? this.store.lockedUntil(account.key) : Promise.resolve(null),
      knownAddress ? Promise.resolve(null) : this.store.lockedUntil(address.key),
    ]);
    const waitMs = Math.max(pairLock ?? 0, accountLock ?? 0, addressLock ?? 0) - this.now();
    if (waitMs > 0) throw new ThrottledError(Math.ceil(waitMs / 1000));

    const pairAttempt = await this.gate(pair, pairLock);
    const accountAttempt = account ? await this.gate(account, accountLock) : null;
    return new LoginAttempt(this.store, this.now, subjects, pairAttempt, accountAttempt);
  }

  /** Counts an attempt on a subject whose lock (if any) has run out; past its threshold only the probe gets through. */
  private async gate(subject: ThrottleSubject, lockedUntil: number | null): Promise<number> {
    const attempt = await this.store.count(subject.key, subject.policy.windowSeconds);
    if (attempt > subject.policy.maxFailures) {
      // Past the threshold with no lock in force: the last lock has run out (or is being set by a
      // concurrent failure). One attempt per lock gets to try.
      const claims = await this.store.count(`probe:${subject.key}:${lockedUntil ?? 0}`, PROBE_SECONDS);
      if (claims > 1) throw new ThrottledError(1);
    }
    return attempt;
  }
}

/** One sign-in attempt that the throttle let through; report how it ended. */
export class LoginAttempt {
  constructor(
    private readonly store: ThrottleStore,
    private readonly now: () => number,
    private readonly subjects: LoginSubjects,
    /** This attempt's number in the pair's window. */
    readonly number: number,
    /** Its number in the account-wide window (null: from a known address or the unknown bucket, not counted there). */
    readonly accountNumber: number | null,
  ) {}

  private async lockAfter(kind: Lockout["kind"], subject: ThrottleSubject, failures: number, lockouts: Lockout[]): Promise<void> {
    const seconds = lockSecondsAfter(failures, subject.policy);
    if (seconds === 0) return;
    await this.store.lock(subject.key, this.now() + seconds * 1000, subject.policy.windowSeconds);
    lockouts.push({ kind, key: subject.key, failures, seconds });
  }

  /** The password was wrong (or the account unknown): lock out whatever crossed its threshold. */
  async failed(): Promise<Lockout[]> {
    const lockouts: Lockout[] = [];
    await this.lockAfter("pair", this.subjects.pair, this.number, lockouts);
    if (this.accountNumber !== null && this.subjects.account) await this.lockAfter("account", this.subjects.account, this.accountNumber, lockouts);
    const addressFailures = await this.store.count(this.subjects.address.key, this.subjects.address.policy.windowSeconds);
    await this.lockAfter("address", this.subjects.address, addressFailures, lockouts);
    return lockouts;
  }

  /** The sign-in succeeded: the pair starts afresh (the account-wide count does not). */
  async succeeded(): Promise<void> {
    await this.store.reset(this.subjects.pair.key);
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

export function registrationSubject(address: string | null): string {
  return `reg:addr:${address ?? UNKNOWN_ADDRESS}`;
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
 * The client's address from the request headers: `X-Real-IP`, else the first `X-Forwarded-For`
 * entry, normalised (port and brackets dropped, IPv4-mapped IPv6 unwrapped). Our runtime sets both
 * on every request to the real client's address (the TCP peer, or what a configured trusted proxy
 * forwarded), so these headers are not the client's word. Null when there is none or it is not an
 * IP address: callers then use the shared UNKNOWN_ADDRESS bucket, never no limit at all.
 */
export function clientAddress(headers: Record<string, string | string[] | undefined>): string | null {
  const header = (name: string): string | undefined => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const v = key === undefined ? undefined : headers[key];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const real = header("x-real-ip");
  const candidate = real !== undefined && real.trim() !== "" ? real.split(",")[0] : header("x-forwarded-for")?.split(",")[0];
  return candidate === undefined ? null : normalizeAddress(candidate);
}

/**
 * Where a request came from: the client's address (UNKNOWN_ADDRESS when its headers name none), or
 * null for a call made inside the app (no request headers at all: another service, an in-process
 * test), which no client sent.
 */
export function requestOrigin(headers: Record<string, string | string[] | undefined>): string | null {
  if (Object.keys(headers).length === 0) return null;
  return clientAddress(headers) ?? UNKNOWN_ADDRESS;
}

/** True for a real client address (not the shared unknown bucket, not an internal call). */
export function isKnowableAddress(address: string | null): address is string {
  return address !== null && address !== UNKNOWN_ADDRESS;
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
