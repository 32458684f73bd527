// One process's PostgreSQL connection budget, shared by every database's pool (and the runtime's
// own connections): at most `max` connections open at once, whatever the number of databases.
// PostgreSQL refuses connections past its max_connections for the whole server, so what matters
// is the total per process (README, "Connections"), not a size per pool.
//
// A permit is one open (or opening) connection. A pool that needs one more and finds the budget
// spent queues here; meanwhile the budget closes the connection that has been idle longest in
// another pool, and a pool that frees a connection while others queue closes it instead of keeping
// it idle, so load moves between databases without waiting for idle timeouts.

/** Someone who can use a permit: grant() returns false when it no longer needs one. */
export interface Claimant {
  grant(): boolean;
  /** The connection idle the longest (ms since epoch it became idle), or null. */
  oldestIdle(): number | null;
  /** Closes that connection; its permit comes back through release() once it is closed. */
  closeOldestIdle(): void;
  /** Connections it holds (for the fair share). */
  readonly held: number;
}

export interface BudgetStats {
  max: number;
  reserved: number;
  used: number;
  queued: number;
}

export class ConnectionBudget {
  private used = 0;
  private reservedCount = 0;
  private readonly queue: Claimant[] = [];
  private readonly claimants = new Set<Claimant>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`the connection budget must be a positive integer, got ${max}`);
  }

  /** Sets aside `n` permits for a pool that manages its own connections (the runtime's); returns how many it got. */
  reserve(n: number): number {
    const got = Math.max(0, Math.min(n, this.max - 1 - this.used)); // at least one permit stays for the app's pools
    this.used += got;
    this.reservedCount += got;
    return got;
  }

  /** Returns permits set aside with reserve(). */
  unreserve(n: number): void {
    const back = Math.min(n, this.reservedCount);
    this.reservedCount -= back;
    this.release(back);
  }

  register(c: Claimant): void {
    this.claimants.add(c);
  }

  unregister(c: Claimant): void {
    this.claimants.delete(c);
    this.cancel(c);
  }

  /** A permit now, or false. */
  tryTake(): boolean {
    if (this.used >= this.max || this.queue.length > 0) return false;
    this.used++;
    return true;
  }

  /**
   * Queues `c` for the next free permit (once; grant() is called when one frees) and closes the
   * connection idle the longest in another pool to free one.
   */
  want(c: Claimant): void {
    if (this.queue.includes(c)) return;
    this.queue.push(c);
    if (this.used < this.max) {
      // Free permits and queued claimants can coexist only transiently (a grant declined); serve now.
      this.release(0);
      return;
    }
    let victim: Claimant | null = null;
    let oldest = Infinity;
    for (const other of this.claimants) {
      if (other === c) continue;
      const t = other.oldestIdle();
      if (t !== null && t < oldest) {
        oldest = t;
        victim = other;
      }
    }
    victim?.closeOldestIdle();
  }

  cancel(c: Claimant): void {
    const i = this.queue.indexOf(c);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Whether claimants other than `c` are queued for a permit. */
  othersWaiting(c: Claimant): boolean {
    return this.queue.some((q) => q !== c);
  }

  /**
   * Whether `c` holds more than its share of the app's permits among the pools holding or wanting
   * connections: then a connection it frees goes to a queued pool rather than to its own waiters.
   */
  overShare(c: Claimant): boolean {
    let active = 0;
    for (const o of this.claimants) if (o.held > 0 || this.queue.includes(o)) active++;
    const share = Math.max(1, Math.floor((this.max - this.reservedCount) / Math.max(1, active)));
    return c.held > share;
  }

  /** Gives back `n` permits (default one) and hands free permits to queued claimants, in order. */
  release(n = 1): void {
    this.used -= n;
    while (this.queue.length > 0 && this.used < this.max) {
      const c = this.queue.shift()!;
      this.used++;
      if (!c.grant()) this.used--;
    }
  }

  stats(): BudgetStats {
    return { max: this.max, reserved: this.reservedCount, used: this.used, queued: this.queue.length };
  }
}
