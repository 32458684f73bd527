// One subscription's consumer loop in one process: claims visible rows up to maxConcurrency,
// runs the handler, acks or schedules a retry, and renews the leases of what is in flight.
//
// Wake-ups, so no polling sits on the hot path: a NOTIFY for the topic (or a local publish), a
// handler finishing while more work may be waiting, a timer set for the next row to become
// visible (a retry's backoff, another process's lease running out), and a slow safety poll.
import type { PubSubStore, ClaimedRow, DeliveryRef } from "./messagestore.ts";
import { GroupCommit } from "./batcher.ts";
import { runtimeMetrics } from "../runtime/metrics.ts";
import { backoffMs, isExhausted, leaseRenewalMs } from "./policy.ts";

export interface SubscriptionConfig {
  topic: string;
  name: string;
  maxConcurrency: number;
  ackDeadlineMs: number;
  retentionMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  maxRetries: number;
  orderingAttribute: string | null;
}

export interface Delivery {
  id: string;
  topic: string;
  subscription: string;
  publishedAt: Date;
  deliveryAttempt: number;
  body: unknown;
  attributes: Record<string, string>;
}

export type Handler = (d: Delivery) => Promise<void>;

export interface Logger {
  info(msg: string, f?: object): void;
  warn(msg: string, f?: object): void;
  error(msg: string, f?: object): void;
}

const MAX_CLAIM_BATCH = 100;
const ERROR_RETRY_MS = 1000; // after a failed claim (database unreachable), try again in a second

interface InFlight extends DeliveryRef {
  settled: Promise<void>;
}

export class Subscriber {
  private readonly inflight = new Map<string, InFlight>();
  private readonly acks: GroupCommit<DeliveryRef, void>;
  private wanted = false; // a claim was asked for while one was running
  private maybeMore = true; // the last claim did not drain the subscription, or news arrived since
  private claimLoop: Promise<void> | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private renewTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private finish!: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly store: PubSubStore,
    readonly cfg: SubscriptionConfig,
    private readonly handler: Handler,
    private readonly log: Logger,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.acks = new GroupCommit<DeliveryRef, void>(async (refs) => {
      await this.store.ack(cfg.name, refs);
      return refs.map(() => undefined);
    });
  }

  start(): void {
    this.renewTimer = setInterval(() => void this.renewLeases(), leaseRenewalMs(this.cfg.ackDeadlineMs));
    this.renewTimer.unref();
    this.wake();
  }

  /** Something may have arrived (NOTIFY, local publish, safety poll). */
  poke(): void {
    this.maybeMore = true;
    this.wake();
  }

  /** Stops claiming, waits for in-flight handlers up to the deadline, then releases what is left. */
  async stop(deadlineMs: number): Promise<void> {
    if (this.stopped) return this.done;
    this.stopped = true;
    this.clearWakeTimer();
    if (this.claimLoop) await this.claimLoop;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
    await Promise.race([Promise.allSettled([...this.inflight.values()].map((f) => f.settled)), deadline]);
    clearTimeout(timer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    await this.acks.drain();
    const unfinished = [...this.inflight.values()].map(({ id, attempt }) => ({ id, attempt }));
    if (unfinished.length > 0) {
      try {
        const n = await this.store.release(this.cfg.topic, this.cfg.name, unfinished);
        this.log.warn("pubsub: released unfinished messages at shutdown", { subscription: this.cfg.name, released: n });
      } catch (err) {
        this.log.error("pubsub: could not release leases at shutdown; they expire after the ack deadline", {
          subscription: this.cfg.name,
          error: String(err),
        });
      }
    }
    this.finish();
  }

  private wake(): void {
    if (this.stopped) return;
    this.wanted = true;
    if (!this.claimLoop) this.claimLoop = this.runClaims().finally(() => (this.claimLoop = null));
  }

  private async runClaims(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      const free = this.cfg.maxConcurrency - this.inflight.size;
      if (free <= 0) {
        this.maybeMore = true; // a finishing handler picks this up
        return;
      }
      const limit = Math.min(free, MAX_CLAIM_BATCH);
      let result: Awaited<ReturnType<typeof this.store.claim>>;
      try {
        result = await this.store.claim(this.cfg.name, limit, this.cfg.ackDeadlineMs);
      } catch (err) {
        this.log.error("pubsub: claim failed", { subscription: this.cfg.name, error: String(err) });
        this.maybeMore = true;
        this.scheduleWake(ERROR_RETRY_MS);
        return;
      }
      if (this.stopped) {
        // Claimed during shutdown: hand them straight back.
        if (result.deliveries.length > 0) {
          await this.store.release(this.cfg.topic, this.cfg.name, result.deliveries).catch(() => undefined);
        }
        return;
      }
      for (const row of result.deliveries) this.dispatch(row);
      if (result.deliveries.length >= limit) {
        this.wanted = true;
      } else {
        this.maybeMore = false;
        if (result.nextVisibleInMs !== null) this.scheduleWake(result.nextVisibleInMs);
      }
    }
  }

  private dispatch(row: ClaimedRow): void {
    const ref: DeliveryRef = { id: row.id, attempt: row.attempt };
    const settled = this.handle(row, ref).then(
      (unblocksSuccessor) => this.settle(row.id, unblocksSuccessor),
      (err) => {
        this.log.error("pubsub: could not record the outcome of a delivery; it is redelivered after the ack deadline", {
          subscription: this.cfg.name,
          messageId: row.id,
          error: String(err),
        });
        this.settle(row.id, false);
      },
    );
    this.inflight.set(row.id, { ...ref, settled });
  }

  /** Runs one delivery to its recorded outcome; true if the row is gone, freeing the next same-key message. */
  private async handle(row: ClaimedRow, ref: DeliveryRef): Promise<boolean> {
    const cfg = this.cfg;
    if (isExhausted(cfg, row.attempt - 1)) {
      // The previous attempt never reported back (its process died or stalled past the lease) and it was the last one allowed.
      const error = `ack deadline exceeded on attempt ${row.attempt - 1} (the handling process died or stalled)`;
      await this.record(() => this.store.deadLetter(cfg.name, ref, error));
      this.log.error("pubsub: message moved to dead letters", { subscription: cfg.name, messageId: row.id, attempts: row.attempt - 1, error });
      return row.orderingKey !== null;
    }
    try {
      await this.handler({
        id: row.id,
        topic: cfg.topic,
        subscription: cfg.name,
        publishedAt: row.publishedAt,
        deliveryAttempt: row.attempt,
        body: row.body,
        attributes: row.attributes,
      });
    } catch (err) {
      runtimeMetrics.deliveryFailed(cfg.name);
      const error = err instanceof Error ? err.message || err.name : String(err);
      const stack = err instanceof Error ? err.stack : undefined;
      if (isExhausted(cfg, row.attempt)) {
        await this.record(() => this.store.deadLetter(cfg.name, ref, error));
        this.log.error("pubsub: message moved to dead letters", { subscription: cfg.name, messageId: row.id, attempts: row.attempt, error, stack });
        return row.orderingKey !== null;
      }
      const delay = backoffMs(cfg, row.attempt);
      await this.record(() => this.store.retryLater(cfg.name, ref, delay, error));
      this.log.warn("pubsub: handler failed; retrying", { subscription: cfg.name, messageId: row.id, attempt: row.attempt, retryInMs: delay, error, stack });
      this.scheduleWake(delay);
      return false;
    }
    runtimeMetrics.observeDelivery(cfg.name, row.publishedAt);
    await this.record(() => this.acks.add(ref));
    return row.orderingKey !== null;
  }

  /**
   * Records a delivery's outcome, trying again while the database is unreachable (a connection
   * lost at that moment), until the lease would run out: a handled message is not handled again
   * because of a blip. Past that, the error goes up and the message comes back after its lease
   * (the attempt number fences a late write).
   */
  private async record(write: () => Promise<unknown>): Promise<void> {
    const deadline = Date.now() + this.cfg.ackDeadlineMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 2000)) {
      try {
        await write();
        return;
      } catch (err) {
        if (this.stopped || Date.now() + delay > deadline) throw err;
        this.log.warn("pubsub: could not record a delivery's outcome; trying again", { subscription: this.cfg.name, retryInMs: delay, error: String(err) });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private settle(id: string, unblocksSuccessor: boolean): void {
    this.inflight.delete(id);
    if (unblocksSuccessor) this.maybeMore = true;
    if (this.maybeMore) this.wake();
  }

  private scheduleWake(inMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + Math.max(0, inMs) + 2; // a little past visibility, so the claim finds the row
    if (this.wakeTimer && at >= this.wakeAt) return;
    this.clearWakeTimer();
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeAt = Infinity;
      this.poke();
    }, at - Date.now());
  }

  private clearWakeTimer(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    this.wakeAt = Infinity;
  }

  private async renewLeases(): Promise<void> {
    if (this.inflight.size === 0) return;
    const held = [...this.inflight.values()].map(({ id, attempt }) => ({ id, attempt }));
    try {
      const still = await this.store.extend(this.cfg.name, held, this.cfg.ackDeadlineMs);
      for (const d of held) {
        if (!still.has(d.id) && this.inflight.has(d.id)) {
          this.log.warn("pubsub: lease lost while the handler runs; the message may be delivered again", {
            subscription: this.cfg.name,
            messageId: d.id,
          });
        }
      }
    } catch (err) {
      this.log.error("pubsub: lease renewal failed", { subscription: this.cfg.name, error: String(err) });
    }
  }
}
