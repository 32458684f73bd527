// The live bus between the data stream and the WebSocket streams open in this process
// (docs/architecture.md, "Live streams across processes"). The `relay-live-stream` subscription runs in
// ONE process per message (Pub/Sub consumers compete), so with several processes the message has to
// reach the others: with REDIS_URL it is published on a Redis channel per campaign, to which every
// process with open streams for that campaign is subscribed; without Redis there is one process
// and the bus is in-process. Either way a process decodes a message once and hands it to each of
// its listeners synchronously (each listener deals with its own failures).
import { Redis } from "ioredis";
import type { StreamingData } from "../events";

export type LiveListener = (event: StreamingData) => void;

export interface LiveBus {
  readonly backend: "redis" | "memory";
  /** Delivers the event to every listener of its campaign, in every process. */
  publish(event: StreamingData): Promise<void>;
  /** Listens to a campaign's events (resolves once listening); the returned function stops. */
  subscribe(campaignId: string, listener: LiveListener): Promise<() => void>;
  /** Listeners in this process (all campaigns). */
  listenerCount(): number;
  close(): Promise<void>;
}

class Listeners {
  private readonly byCampaign = new Map<string, Set<LiveListener>>();
  private count = 0;

  /** Adds a listener; true when it is the campaign's first. */
  add(campaignId: string, listener: LiveListener): boolean {
    let set = this.byCampaign.get(campaignId);
    const first = !set;
    if (!set) this.byCampaign.set(campaignId, (set = new Set()));
    if (!set.has(listener)) {
      set.add(listener);
      this.count++;
    }
    return first;
  }

  /** Removes a listener; true when it was the campaign's last. */
  remove(campaignId: string, listener: LiveListener): boolean {
    const set = this.byCampaign.get(campaignId);
    if (!set?.delete(listener)) return false;
    this.count--;
    if (set.size > 0) return false;
    this.byCampaign.delete(campaignId);
    return true;
  }

  dispatch(event: StreamingData): void {
    const set = this.byCampaign.get(event.campaignId);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own (it unsubscribes itself).
      }
    }
  }

  get size(): number {
    return this.count;
  }
}

/** One process: publishing is dispatching. */
export class MemoryBus implements LiveBus {
  readonly backend = "memory" as const;
  private readonly listeners = new Listeners();

  async publish(event: StreamingData): Promise<void> {
    this.listeners.dispatch(event);
  }

  async subscribe(campaignId: string, listener: LiveListener): Promise<() => void> {
    this.listeners.add(campaignId, listener);
    return () => void this.listeners.remove(campaignId, listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {}
}

/** Decodes a bus message: the StreamingData as JSON, its timestamp back to a Date. */
function decodeEvent(text: string): StreamingData {
  const event = JSON.parse(text) as StreamingData;
  event.timestamp = new Date(event.timestamp);
  return event;
}

const reconnectDelayMs = (attempt: number) => Math.min(50 * 2 ** Math.max(0, attempt - 1), 2000);

/** Several processes: a Redis channel per campaign, `<namespace>:live:<campaignId>`. */
export class RedisBus implements LiveBus {
  readonly backend = "redis" as const;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly listeners = new Listeners();
  private readonly prefix: string;
  /** The SUBSCRIBE in flight per campaign, so a second listener waits for it too. */
  private readonly subscribing = new Map<string, Promise<unknown>>();

  constructor(url: string, namespace: string, onError: (err: Error) => void) {
    this.prefix = `${namespace}:live:`;
    const options = { retryStrategy: reconnectDelayMs, maxRetriesPerRequest: 2 };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, options);
    this.pub.on("error", onError);
    this.sub.on("error", onError);
    this.sub.on("message", (channel: string, message: string) => {
      if (!channel.startsWith(this.prefix)) return;
      let event: StreamingData;
      try {
        event = decodeEvent(message);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      this.listeners.dispatch(event);
    });
  }

  async publish(event: StreamingData): Promise<void> {
    const channel = this.prefix + event.campaignId;
    // Nobody watching this campaign anywhere (the usual case for a busy ingest): skip encoding a
    // batch that can weigh megabytes. A process subscribing right after this check is in the same
    // place as one that subscribed right after the publish: it sees the next event.
    const [, listeners] = (await this.pub.pubsub("NUMSUB", channel)) as [string, number];
    if (Number(listeners) === 0) return;
    await this.pub.publish(channel, JSON.stringify(event));
  }

  async subscribe(campaignId: string, listener: LiveListener): Promise<() => void> {
    const channel = this.prefix + campaignId;
    if (this.listeners.add(campaignId, listener)) {
      // Commands keep their order on the connection: an UNSUBSCRIBE sent earlier cannot undo this.
      const p = this.sub.subscribe(channel);
      this.subscribing.set(campaignId, p);
      void p
        .finally(() => {
          if (this.subscribing.get(campaignId) === p) this.subscribing.delete(campaignId);
        })
        .catch(() => {});
    }
    try {
      await this.subscribing.get(campaignId);
    } catch (err) {
      if (this.listeners.remove(campaignId, listener)) void this.sub.unsubscribe(channel).catch(() => {});
      throw err;
    }
    return () => {
      if (this.listeners.remove(campaignId, listener)) void this.sub.unsubscribe(channel).catch(() => {});
    };
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
