// The Runtime class of the native library: the SDK constructs one on first import, registers
// resources and handlers on it, then awaits runForever(). Under `encore run` Encore's Rust runtime
// plays this role; here it is TypeScript on Node.
import { loadConfig, type RuntimeConfig } from "./config.ts";
import { Logger, LogLevel, parseLevel } from "./log.ts";
import { SecretStore, type Secret } from "./secrets.ts";
import { Dispatcher, type ApiRoute } from "./dispatch.ts";
import type { Request } from "./request.ts";
import type { ApiCallError } from "./request.ts";
import { Databases } from "./databases.ts";
import { PubSubRuntime, type PubSubTopic, type PubSubSubscription, type PubSubSubscriptionConfig } from "./pubsub.ts";
import { Lifecycle } from "./lifecycle.ts";
import { MetricsRegistry } from "./metrics.ts";
import type { SqlDatabase } from "./sqldb.ts";
import type { WebSocketClient } from "./streams.ts";
import { ObjectsRuntime, type Bucket } from "./objects.ts";
import { CacheRuntime, type CacheCluster } from "./cache.ts";

export const SDK_VERSION = "v1.58.6";

export enum CloudProvider {
  AWS = 0,
  GCP = 1,
  Azure = 2,
  Encore = 3,
  Local = 4,
}

export enum EnvironmentType {
  Production = 0,
  Development = 1,
  Ephemeral = 2,
  Test = 3,
}

export interface RuntimeOptions {
  testMode?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's Decimal constructor, as the native Runtime receives it
  typeConstructors: { decimal: (...args: any[]) => any };
}

export class Gateway {
  constructor(readonly name: string) {}
}

// The process's Runtime, once built: the SDK's constructors reach it (see `current ?? new target(...)` below).
let current: Runtime | null = null;

export class Runtime {
  readonly testMode: boolean;
  readonly config: RuntimeConfig;
  readonly log: Logger;
  readonly dispatcher: Dispatcher;
  readonly databases: Databases;
  readonly pubsub: PubSubRuntime;
  readonly lifecycle: Lifecycle;
  readonly objects: ObjectsRuntime;
  readonly caches: CacheRuntime;
  private readonly secrets: SecretStore;
  private metrics: MetricsRegistry | null = null;
  private metricsConfig: Record<string, { name: string; services: string[] }> | null = null;

  constructor(options: RuntimeOptions) {
    this.testMode = options.testMode ?? false;
    this.config = loadConfig();
    const level = parseLevel(this.config.logLevel, this.testMode ? LogLevel.Warn : LogLevel.Info);
    this.log = new Logger(level);
    const decimal = (s: string) => options.typeConstructors.decimal(s);
    this.dispatcher = new Dispatcher(this.config.meta, this.log, decimal);
    this.secrets = new SecretStore(this.config.appRoot);
    this.databases = new Databases(this.config, this.log, decimal, this.testMode);
    this.pubsub = new PubSubRuntime(this.config, this.dispatcher, this.databases, this.log, this.testMode);
    this.lifecycle = new Lifecycle(this);
    this.caches = new CacheRuntime(this.config.redisUrl, this.config.dbPrefix);
    this.objects = new ObjectsRuntime(this.config, () => `http://localhost:${this.lifecycle.port ?? this.config.port}`);
    current = this;
  }

  static version(): string {
    return SDK_VERSION;
  }

  static buildCommit(): string {
    return "warroom-runtime";
  }

  runForever(): Promise<number> {
    return this.lifecycle.runForever();
  }

  sqlDatabase(encoreName: string): SqlDatabase {
    return this.databases.get(encoreName);
  }

  pubsubTopic(encoreName: string): PubSubTopic {
    return this.pubsub.topic(encoreName);
  }

  pubsubSubscription(cfg: PubSubSubscriptionConfig): PubSubSubscription {
    return this.pubsub.subscription(cfg);
  }

  bucket(encoreName: string): Bucket {
    return this.objects.bucket(encoreName);
  }

  cacheCluster(encoreName: string): CacheCluster {
    return this.caches.cluster(encoreName);
  }

  gateway(encoreName: string, cfg: { auth?: (req: Request) => unknown }): Gateway {
    this.dispatcher.setAuthHandler(cfg.auth ?? null);
    return new Gateway(encoreName);
  }

  logger(): Logger {
    return this.log;
  }

  registerHandler(route: ApiRoute): void {
    this.dispatcher.register(route);
  }

  registerTestHandler(route: ApiRoute): void {
    this.dispatcher.register(route);
  }

  registerHandlers(routes: ApiRoute[]): void {
    for (const r of routes) this.dispatcher.register(r);
  }

  secret(encoreName: string): Secret | null {
    return this.secrets.get(encoreName);
  }

  apiCall(
    service: string,
    endpoint: string,
    payload?: unknown,
    source?: Request | null,
    opts?: { authData?: Record<string, unknown> } | null,
  ): Promise<Record<string, unknown> | null | ApiCallError> {
    return this.dispatcher.apiCall(service, endpoint, payload, source, opts);
  }

  stream(
    service: string,
    endpoint: string,
    payload?: unknown,
    source?: Request | null,
    opts?: { authData?: Record<string, unknown> } | null,
  ): Promise<WebSocketClient> {
    return this.lifecycle.streams.connect(service, endpoint, payload, source ?? null, opts ?? null);
  }

  appMeta() {
    return {
      appId: this.config.meta.appId,
      apiBaseUrl: `http://localhost:${this.lifecycle.port ?? this.config.port}`,
      environment: {
        name: this.testMode ? "test" : "local",
        type: this.testMode ? EnvironmentType.Test : EnvironmentType.Development,
        cloud: CloudProvider.Local,
      },
      build: { revision: "", uncommittedChanges: false },
      deploy: {
        id: this.lifecycle.deployId,
        deployTime: this.lifecycle.startedAt.toISOString(),
        hostedServices: Object.fromEntries(this.config.meta.services.map((s) => [s.name, { name: s.name }])),
      },
    };
  }

  /** The SDK attributes a metric increment outside a request to the only service listed here. */
  runtimeConfig(): { metrics: Record<string, { name: string; services: string[] }> } {
    this.metricsConfig ??= Object.fromEntries((this.config.meta.metrics ?? []).map((m) => [m.name, { name: m.name, services: m.services }]));
    return { metrics: this.metricsConfig };
  }

  numWorkerThreads(): number {
    return 1;
  }

  createMetricsRegistry(buffer: object): void {
    this.metrics = new MetricsRegistry(buffer);
  }

  getMetricsRegistry(): MetricsRegistry {
    if (!this.metrics) this.metrics = new MetricsRegistry(new BigUint64Array(new SharedArrayBuffer(8 * 1024)));
    return this.metrics;
  }
}

/**
 * The Runtime the SDK constructs: one per process. A CommonJS app loads the SDK twice (its
 * require()s get a CommonJS copy beside the entrypoint's ES module copy) and each copy constructs
 * a Runtime; the second gets the first, so both share the databases, topics and handlers.
 */
export const SharedRuntime = new Proxy(Runtime, {
  construct(target, args: [RuntimeOptions]) {
    return current ?? new target(...args);
  },
});
