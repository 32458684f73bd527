// Durable at-least-once Pub/Sub on Postgres: the engine behind the runtime's PubSubTopic and
// PubSubSubscription. Publishing fans a message out into one delivery row per subscription in the
// same statement that stores it; consumers claim rows with FOR UPDATE SKIP LOCKED under a lease.
import os from "node:os";
import { randomBytes } from "node:crypto";
import postgres, { type Sql } from "postgres";
import { GroupCommit } from "./batcher.ts";
import { migratePubSub } from "./tables.ts";
import { PubSubStore, NOTIFY_CHANNEL, parseNotifyPayload, type PublishItem, type SubscriptionStats } from "./messagestore.ts";
import { Subscriber, type Delivery, type Handler, type Logger, type SubscriptionConfig } from "./subscriber.ts";

export type { Delivery, Handler, Logger, SubscriptionConfig } from "./subscriber.ts";

export interface PubSubOptions {
  /** Connected to the runtime's own database; the engine creates its tables there. */
  sql: Sql;
  /** LISTEN on a dedicated connection to this URL instead of the one postgres.js opens from `sql`. */
  listenUrl?: string;
  log: Logger;
  /** Clock for retention cutoffs (tests move it forward instead of waiting days). */
  now?: () => number;
  /** Safety poll while idle, in case a notification was lost (default 5 s). */
  pollIntervalMs?: number;
  /** How often retention and orphan cleanup run (default 60 s). */
  housekeepingIntervalMs?: number;
  /** Names this process in lease owners and logs (default host-pid-random). */
  instanceId?: string;
}

export type DeadLetter = Delivery & { lastError: string; failedAt: Date };

interface TopicState {
  orderingAttribute: string | null;
  subscriptions: string[];
  publisher: GroupCommit<PublishItem, string>;
}

export class PubSub {
  readonly instanceId: string;
  private readonly store: PubSubStore;
  private readonly topics = new Map<string, TopicState>();
  private readonly configs = new Map<string, SubscriptionConfig>();
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly now: () => number;
  private listenSql: Sql | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private housekeepingTimer: NodeJS.Timeout | null = null;
  private initialized = false;
  private stopped = false;

  constructor(private readonly opts: PubSubOptions) {
    this.instanceId = opts.instanceId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    this.store = new PubSubStore(opts.sql, this.instanceId);
    this.now = opts.now ?? Date.now;
  }

  /** Creates the tables if needed and starts listening for notifications. */
  async init(): Promise<void> {
    if (this.initialized) return;
    await migratePubSub(this.opts.sql);
    this.listenSql = this.opts.listenUrl ? postgres(this.opts.listenUrl, { max: 1, onnotice: () => {} }) : this.opts.sql;
    let listening = false;
    const meta = await this.listenSql.listen(
      NOTIFY_CHANNEL,
      (payload) => this.onNotify(payload),
      () => {
        // Reconnected: notifications sent while the connection was down are lost, so look again.
        if (listening) for (const s of this.subscribers.values()) s.poke();
        listening = true;
      },
    );
    this.unlisten = () => meta.unlisten();
    this.pollTimer = setInterval(() => {
      for (const s of this.subscribers.values()) s.poke();
    }, this.opts.pollIntervalMs ?? 5000);
    this.pollTimer.unref();
    const every = this.opts.housekeepingIntervalMs ?? 60_000;
    this.housekeepingTimer = setInterval(
      () => void this.housekeep().catch((err) => this.opts.log.error("pubsub: housekeeping failed", { error: String(err) })),
      every,
    );
    this.housekeepingTimer.unref();
    this.initialized = true;
  }

  registerTopic(name: string, orderingAttribute: string | null): void {
    const existing = this.topics.get(name);
    if (existing) {
      existing.orderingAttribute = orderingAttribute;
      return;
    }
    const state: TopicState = {
      orderingAttribute,
      subscriptions: [],
      publisher: new GroupCommit((items) => this.store.publish(name, state.orderingAttribute, state.subscriptions, items)),
    };
    this.topics.set(name, state);
  }

  /** Registers a subscription; publishes after this fan out to it. Register all before publishing. */
  registerSubscription(cfg: SubscriptionConfig): void {
    if (!this.topics.has(cfg.topic)) this.registerTopic(cfg.topic, cfg.orderingAttribute);
    const topic = this.topics.get(cfg.topic)!;
    if (cfg.orderingAttribute === null && topic.orderingAttribute !== null) cfg = { ...cfg, orderingAttribute: topic.orderingAttribute };
    if (cfg.maxConcurrency < 1) throw new Error(`pubsub: subscription ${cfg.name}: maxConcurrency must be at least 1`);
    if (cfg.ackDeadlineMs <= 0) throw new Error(`pubsub: subscription ${cfg.name}: ackDeadline must be positive`);
    this.configs.set(cfg.name, cfg);
    if (!topic.subscriptions.includes(cfg.name)) topic.subscriptions.push(cfg.name);
  }

  /**
   * Stores the message durably (resolves after commit) and returns its id. Concurrent publishes
   * to one topic share a statement (group commit). `attributes` adds Pub/Sub attributes; the
   * ordering attribute is taken from them or from the body's top-level field of that name.
   */
  async publish(topicName: string, body: unknown, attributes?: Record<string, string>): Promise<string> {
    const topic = this.topics.get(topicName);
    if (!topic) throw new Error(`pubsub: unknown topic "${topicName}"`);
    const bodyJson = JSON.stringify(body);
    if (bodyJson === undefined) throw new Error(`pubsub: message for topic "${topicName}" is not JSON-encodable`);
    const attrs: Record<string, string> = { ...attributes };
    const key = topic.orderingAttribute;
    if (key !== null && attrs[key] === undefined && body !== null && typeof body === "object") {
      const value = (body as Record<string, unknown>)[key];
      if (value !== undefined && value !== null) attrs[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const id = await topic.publisher.add({ bodyJson, attributes: attrs });
    for (const name of topic.subscriptions) this.subscribers.get(name)?.poke();
    return id;
  }

  /** Runs `handler` for the subscription's messages; pending until stop(). */
  subscribe(subscription: string, handler: Handler): Promise<void> {
    if (!this.initialized) return Promise.reject(new Error("pubsub: init() must complete before subscribe()"));
    if (this.stopped) return Promise.reject(new Error("pubsub: stopped"));
    const cfg = this.configs.get(subscription);
    if (!cfg) return Promise.reject(new Error(`pubsub: unknown subscription "${subscription}"`));
    if (this.subscribers.has(subscription)) return Promise.reject(new Error(`pubsub: already subscribed to "${subscription}"`));
    const sub = new Subscriber(this.store, cfg, handler, this.opts.log);
    this.subscribers.set(subscription, sub);
    sub.start();
    return sub.done;
  }

  /** Backlog, in-flight, retrying and dead counts per subscription (subscriptions with none are absent). */
  stats(): Promise<SubscriptionStats[]> {
    return this.store.stats();
  }

  /** Dead letters, oldest first: messages whose handler failed past maxRetries. */
  async deadLetters(subscription?: string, limit = 1000): Promise<DeadLetter[]> {
    const rows = await this.store.deadLetters(subscription ?? null, limit);
    return rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      subscription: r.subscription,
      publishedAt: r.publishedAt,
      deliveryAttempt: r.attempt,
      body: r.body,
      attributes: r.attributes,
      lastError: r.lastError,
      failedAt: r.failedAt,
    }));
  }

  /** Puts a dead letter back in its subscription's queue; its attempts count from 1 again. */
  async redriveDeadLetter(id: string, subscription: string): Promise<void> {
    const cfg = this.configs.get(subscription);
    if (!cfg) throw new Error(`pubsub: unknown subscription "${subscription}"`);
    if (!/^\d{1,18}$/.test(id)) throw new Error(`pubsub: no dead letter ${JSON.stringify(id)} (a message id is a number)`);
    const found = await this.store.redrive(cfg.topic, subscription, id);
    if (!found) throw new Error(`pubsub: no dead letter ${id} in subscription "${subscription}"`);
    this.opts.log.info("pubsub: dead letter redriven", { subscription, messageId: id });
    this.subscribers.get(subscription)?.poke();
  }

  /** Applies retention to every registered subscription and removes messages nobody needs. Runs periodically. */
  async housekeep(): Promise<{ expired: number; deadLettersExpired: number; messagesSwept: number }> {
    let expired = 0;
    let deadLettersExpired = 0;
    const now = this.now();
    for (const cfg of this.configs.values()) {
      const r = await this.store.expire(cfg.name, new Date(now - cfg.retentionMs));
      if (r.undelivered > 0) {
        this.opts.log.error("pubsub: undelivered messages dropped after the retention period", {
          subscription: cfg.name,
          dropped: r.undelivered,
          retentionMs: cfg.retentionMs,
        });
      }
      expired += r.undelivered;
      deadLettersExpired += r.deadLetters;
    }
    const messagesSwept = await this.store.sweepMessages(10_000);
    return { expired, deadLettersExpired, messagesSwept };
  }

  /** Stops claiming, waits up to deadlineMs for running handlers, releases the rest for other processes. */
  async stop(deadlineMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.housekeepingTimer) clearInterval(this.housekeepingTimer);
    await Promise.all([...this.subscribers.values()].map((s) => s.stop(deadlineMs)));
    await Promise.all([...this.topics.values()].map((t) => t.publisher.drain()));
    try {
      await this.unlisten?.();
    } catch {
      // the connection is going away anyway
    }
    if (this.listenSql && this.listenSql !== this.opts.sql) await this.listenSql.end({ timeout: 1 });
  }

  private onNotify(payload: string): void {
    if (this.stopped) return;
    const { topic, sender } = parseNotifyPayload(payload);
    if (sender === this.instanceId) return; // our own publishes already woke our subscribers
    const state = this.topics.get(topic);
    if (!state) return;
    for (const name of state.subscriptions) this.subscribers.get(name)?.poke();
  }
}
