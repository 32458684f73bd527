// The SDK's Topic/Subscription on our durable Postgres queue (host/pubsub). The SDK hands the
// runtime only names and a handler; options (retry policy, ack deadline, ordering) come from the
// parser's metadata.
import type { RuntimeConfig } from "./config.ts";
import type { Dispatcher } from "./dispatch.ts";
import type { Databases } from "./databases.ts";
import type { Logger } from "./log.ts";
import { Request } from "./request.ts";
import { inNewContext } from "./context.ts";
import { decodeMessage } from "../server/decode.ts";
import { toJSONValue } from "../server/encode.ts";
import { PubSub, type Delivery, type SubscriptionConfig } from "../pubsub/index.ts";
import type { AppMeta, SubscriptionMeta, TopicMeta } from "../meta.ts";

export interface PubSubSubscriptionConfig {
  topicName: string;
  subscriptionName: string;
  handler: (req: Request) => unknown;
}

export class PubSubTopic {
  constructor(
    private readonly rt: PubSubRuntime,
    readonly meta: TopicMeta,
  ) {}

  async publish(body: unknown, source?: Request | null): Promise<string> {
    if (!source?.tracing) return this.rt.publish(this.meta, body);
    const start = performance.now();
    let error: string | undefined;
    try {
      return await this.rt.publish(this.meta, body);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      source.recordSpan({ kind: "publish", name: this.meta.name, detail: "", startMs: start, durationMs: performance.now() - start, error });
    }
  }
}

export class PubSubSubscription {
  constructor(
    private readonly rt: PubSubRuntime,
    readonly meta: SubscriptionMeta,
    private readonly handler: (req: Request) => unknown,
  ) {}

  /** Pending while subscribed (the SDK re-subscribes a second after it settles). */
  subscribe(): Promise<void> {
    return this.rt.run(this.meta, this.handler);
  }
}

/**
 * The engine's name for a subscription. Encore's subscription names are unique per topic only
 * (two topics may each have a "handler"); the engine knows subscriptions by one name, so a name
 * that appears on more than one topic is qualified by its topic (unique ones stay as they are, so
 * the rows of existing deployments keep their names).
 */
export function engineName(s: SubscriptionMeta, meta: AppMeta): string {
  const shared = meta.subscriptions.some((o) => o.name === s.name && o.topic !== s.topic);
  return shared ? `${s.topic}/${s.name}` : s.name;
}

/** The engine's settings for a subscription, from the parser's metadata. */
export function subscriptionConfig(s: SubscriptionMeta, meta: AppMeta): SubscriptionConfig {
  return {
    topic: s.topic,
    name: engineName(s, meta),
    maxConcurrency: s.maxConcurrency,
    ackDeadlineMs: s.ackDeadlineMs,
    retentionMs: s.messageRetentionMs,
    minBackoffMs: s.retryPolicy.minBackoffMs,
    maxBackoffMs: s.retryPolicy.maxBackoffMs,
    maxRetries: s.retryPolicy.maxRetries,
    orderingAttribute: meta.topics.find((t) => t.name === s.topic)?.orderingAttribute ?? null,
  };
}

export class PubSubRuntime {
  private engine: PubSub | null = null;
  private starting: Promise<PubSub> | null = null;
  private readonly topics = new Map<string, TopicMeta>();
  private readonly subs = new Map<string, SubscriptionMeta>();

  constructor(
    private readonly config: RuntimeConfig,
    private readonly dispatcher: Dispatcher,
    private readonly databases: Databases,
    private readonly log: Logger,
    private readonly testMode: boolean,
  ) {
    for (const t of config.meta.topics) this.topics.set(t.name, t);
    for (const s of config.meta.subscriptions) this.subs.set(`${s.topic}/${s.name}`, s);
  }

  topic(name: string): PubSubTopic {
    const meta = this.topics.get(name);
    if (!meta) throw new Error(`topic "${name}" is not in the app metadata: regenerate encore.gen (npm run gen)`);
    return new PubSubTopic(this, meta);
  }

  subscription(cfg: PubSubSubscriptionConfig): PubSubSubscription {
    const meta = this.subs.get(`${cfg.topicName}/${cfg.subscriptionName}`);
    if (!meta) {
      throw new Error(`subscription "${cfg.subscriptionName}" on topic "${cfg.topicName}" is not in the app metadata: regenerate encore.gen`);
    }
    return new PubSubSubscription(this, meta, cfg.handler);
  }

  /** Serving processes start the engine after migrations; test processes start it on first use. */
  start(): Promise<PubSub> {
    if (!this.starting) {
      this.starting = (async () => {
        const sql = await this.databases.runtimeSql();
        const listenUrl = await this.databases.runtimeListenUrl();
        const engine = new PubSub({ sql, log: this.log, ...(listenUrl ? { listenUrl } : {}) });
        await engine.init();
        for (const t of this.topics.values()) engine.registerTopic(t.name, t.orderingAttribute);
        for (const s of this.subs.values()) engine.registerSubscription(subscriptionConfig(s, this.config.meta));
        this.engine = engine;
        return engine;
      })();
    }
    return this.starting;
  }

  private ready(): Promise<PubSub> {
    if (this.engine) return Promise.resolve(this.engine);
    if (this.testMode || this.starting) return this.start();
    // A serving process: wait until the lifecycle starts the engine (after migrations).
    return new Promise((resolve) => {
      const poll = () => (this.starting ? resolve(this.starting) : setTimeout(poll, 20).unref());
      poll();
    });
  }

  async publish(topic: TopicMeta, body: unknown): Promise<string> {
    const engine = await this.ready();
    const json = JSON.parse(JSON.stringify(toJSONValue(topic.messageType, body, this.config.meta.types)));
    return engine.publish(topic.name, json);
  }

  async run(sub: SubscriptionMeta, handler: (req: Request) => unknown): Promise<void> {
    const engine = await this.ready();
    const topic = this.topics.get(sub.topic)!;
    await engine.subscribe(engineName(sub, this.config.meta), async (d: Delivery) => {
      const payload = decodeMessage(topic.messageType, d.body, this.config.meta.types, this.dispatcher.decimalOptions);
      const req = new Request({
        payload,
        authData: null,
        pubsubMessage: {
          service: sub.service,
          topic: sub.topic,
          subscription: sub.name,
          id: d.id,
          publishedAt: d.publishedAt.toISOString(),
          deliveryAttempt: d.deliveryAttempt,
          parsedPayload: payload,
        },
      });
      // A throw goes back to the engine, which logs it and schedules the retry (or dead-letters it).
      await inNewContext(() => handler(req));
    });
  }

  /** The started engine (null before start): for the dev dashboard. */
  get started(): PubSub | null {
    return this.engine;
  }

  async stop(deadlineMs: number): Promise<void> {
    if (this.engine) await this.engine.stop(deadlineMs);
  }
}
