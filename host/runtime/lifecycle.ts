// Start-up and graceful shutdown of a serving process: databases (migrated before serving),
// Pub/Sub, HTTP and streams, cron. SIGTERM/SIGINT drain in reverse order; a second signal exits at once.
import { randomUUID } from "node:crypto";
import type { Runtime } from "./runtime.ts";
import { HttpServer } from "../server/http.ts";
import { StreamManager } from "./streams.ts";
import { CronRuntime } from "./cron.ts";
import { RequestLog } from "./requestlog.ts";
import { listRuns } from "../cron/index.ts";
import type { DevSource } from "../server/dashboard.ts";
import { listenerUrl, OpsServer } from "../server/ops.ts";
import { isLoopback } from "../server/clientaddr.ts";
import { HttpError } from "../server/errors.ts";
import { runtimeMetrics } from "./metrics.ts";

/** Values read at scrape time: Pub/Sub backlogs (cluster-wide, from the database) and pool usage. */
function registerRuntimeCollectors(rt: Runtime): () => void {
  return runtimeMetrics.addCollector(async () => {
    const pools = rt.databases.poolStats().filter((p) => p.pool);
    const poolFamily = (name: string, help: string, pick: (p: NonNullable<(typeof pools)[number]["pool"]>) => number) => ({
      name,
      help,
      type: "gauge" as const,
      samples: pools.map((p) => ({ labels: [["database", p.name]] as Array<[string, string]>, value: pick(p.pool!) })),
    });
    const out = [
      poolFamily("encore_db_pool_connections_max", "Pool size (the most connections a database's pool opens).", (p) => p.size),
      poolFamily("encore_db_pool_connections_open", "Open connections, by database.", (p) => p.open),
      poolFamily("encore_db_pool_connections_idle", "Idle connections, by database.", (p) => p.idle),
      poolFamily("encore_db_pool_waiting", "Queries waiting for a connection, by database.", (p) => p.waiting),
    ];
    const engine = rt.pubsub.started;
    if (engine) {
      const stats = await engine.stats();
      const fam = (name: string, help: string, pick: (s: (typeof stats)[number]) => number) => ({
        name,
        help,
        type: "gauge" as const,
        samples: stats.map((s) => ({ labels: [["subscription", s.subscription]] as Array<[string, string]>, value: pick(s) })),
      });
      out.push(
        fam("encore_pubsub_backlog", "Messages waiting for delivery, by subscription.", (s) => s.backlog),
        fam("encore_pubsub_in_flight", "Messages being handled, by subscription.", (s) => s.inFlight),
        fam("encore_pubsub_dead_letters", "Messages in dead letters, by subscription.", (s) => s.deadLetters),
        fam("encore_pubsub_oldest_waiting_seconds", "Age of the oldest waiting message, by subscription.", (s) =>
          s.oldestWaiting ? Math.max(0, (Date.now() - s.oldestWaiting.getTime()) / 1000) : 0,
        ),
      );
    }
    return out;
  });
}

export class Lifecycle {
  readonly deployId = randomUUID();
  readonly startedAt = new Date();
  readonly streams: StreamManager;
  port: number | null = null;
  opsPort: number | null = null;
  private http: HttpServer | null = null;
  private ops: OpsServer | null = null;
  private cron: CronRuntime | null = null;
  private exit!: (code: number) => void;
  private readonly exited = new Promise<number>((r) => (this.exit = r));
  private shuttingDown = false;
  private unregisterMetrics: (() => void) | null = null;

  constructor(private readonly rt: Runtime) {
    this.streams = new StreamManager(rt);
  }

  async runForever(): Promise<number> {
    const t0 = performance.now();
    const { log, config } = this.rt;
    try {
      await this.rt.databases.startServing();
      await this.rt.pubsub.start();
      this.http = new HttpServer({
        meta: config.meta,
        dispatcher: this.rt.dispatcher,
        log,
        port: config.port,
        host: config.host,
        headersTimeoutMs: config.httpHeadersTimeoutMs,
        requestTimeoutMs: config.httpRequestTimeoutMs,
        appRoot: config.appRoot,
        trustedProxies: config.trustedProxies,
        opsToken: config.opsToken,
        dev: config.devDashboard ? this.devSource() : undefined,
        objects: this.rt.objects.routes(),
      });
      this.streams.attach(this.http);
      this.unregisterMetrics = registerRuntimeCollectors(this.rt);
      this.port = await this.http.listen();
      await this.startOps();
      if (config.cron) {
        this.cron = new CronRuntime(this.rt);
        await this.cron.start();
      }
    } catch (err) {
      log.error("start-up failed", { error: err instanceof Error ? err.message : String(err) }, err);
      await this.teardown(5_000).catch(() => {});
      return 1;
    }
    log.info(`War Room runtime listening on http://localhost:${this.port}`, {
      port: this.port,
      startup_ms: Math.round(performance.now() - t0),
      services: config.meta.services.length,
      cron: config.cron,
    });
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.shuttingDown) {
        log.warn(`second ${signal}: exiting at once`);
        process.exit(1);
      }
      log.info(`${signal} received: shutting down gracefully`);
      void this.shutdown();
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    return this.exited;
  }

  /**
   * The ops port (the runtime's own pages, ops.ts), and the one line saying where they are and how
   * to reach them from elsewhere. A busy port is not worth failing the app for: it is said instead.
   */
  private async startOps(): Promise<void> {
    const { log, config } = this.rt;
    const routes = this.http?.opsRoutes;
    if (!routes) return;
    const publicly = config.opsToken
      ? "on the public port too, with the X-Ops-Token header (WARROOM_OPS_TOKEN)"
      : "not on the public port (set WARROOM_OPS_TOKEN to serve them there, to requests carrying it as X-Ops-Token)";
    if (config.opsPort === null) {
      log.info(`ops pages (/_dev, /docs, /openapi.json, /metrics): no ops port (WARROOM_OPS_PORT=off); ${publicly}`);
      return;
    }
    const ops = new OpsServer({ routes, port: config.opsPort, host: config.opsHost, token: config.opsToken, trustedProxies: config.trustedProxies });
    try {
      this.opsPort = await ops.listen();
      this.ops = ops;
    } catch (err) {
      log.warn(
        `ops pages: could not listen on ${config.opsHost}:${config.opsPort} (${(err as Error).message}); set WARROOM_OPS_PORT to another port; ${publicly}`,
      );
      return;
    }
    const where = listenerUrl(config.opsHost, this.opsPort);
    log.info(
      `ops dashboard at ${where}/_dev (also ${where}/docs, ${where}/openapi.json, ${where}/metrics), ${isLoopback(config.opsHost) ? "for this machine only" : "with the ops token"}; ${publicly}`,
      {
        ops_port: this.opsPort,
      },
    );
  }

  /** What the dev dashboard (/_dev) shows and does. */
  private devSource(): DevSource {
    const rt = this.rt;
    const meta = rt.config.meta;
    return {
      meta,
      requests: new RequestLog(200),
      pubsub: async () => {
        const engine = rt.pubsub.started;
        const stats = new Map((engine ? await engine.stats() : []).map((s) => [s.subscription, s]));
        const subscriptions = await Promise.all(
          meta.subscriptions.map(async (s) => ({
            topic: s.topic,
            subscription: s.name,
            backlog: 0,
            inFlight: 0,
            retrying: 0,
            deadLetters: 0,
            ...stats.get(s.name),
            dead: engine ? await engine.deadLetters(s.name, 5) : [],
          })),
        );
        return { subscriptions };
      },
      redrive: async (id, subscription) => {
        if (!meta.subscriptions.some((s) => s.name === subscription))
          throw new HttpError("not_found", `no subscription ${JSON.stringify(subscription.slice(0, 100))}`);
        if (!/^\d{1,18}$/.test(id)) throw new HttpError("invalid_argument", `a dead letter's id is its message number, got ${JSON.stringify(id.slice(0, 40))}`);
        const engine = rt.pubsub.started;
        if (!engine) throw new HttpError("unavailable", "Pub/Sub is not running");
        try {
          await engine.redriveDeadLetter(id, subscription);
        } catch (err) {
          if (err instanceof Error && err.message.includes("no dead letter"))
            throw new HttpError("not_found", `no dead letter ${id} in ${subscription} (already redelivered, or expired)`);
          throw err;
        }
      },
      cron: async () => {
        const sql = await rt.databases.runtimeSql();
        const jobs = await Promise.all(
          meta.cronJobs.map(async (j) => ({
            name: j.name,
            title: j.title,
            schedule: j.schedule ?? `every ${Math.round((j.every ?? 0) / 60_000)} min`,
            endpoint: `${j.endpoint.service}.${j.endpoint.name}`,
            runs: (await listRuns(sql, j.name, 5).catch(() => [])).map((r) => ({ tick: r.tick.toISOString(), status: r.status, error: r.error })),
          })),
        );
        return { jobs };
      },
      runCron: (job) => (this.cron ?? new CronRuntime(rt)).runNow(job),
      databases: () => ({ databases: rt.databases.poolStats(), budget: rt.databases.budgetStats() }),
      status: async () => {
        // The app's own status endpoint, if it has one (War Room's shows circuit breakers).
        const ep = meta.services.flatMap((s) => s.endpoints).find((e) => e.path.endsWith("/status") && e.methods.includes("GET") && !e.request);
        if (!ep) return { note: "the app has no GET …/status endpoint" };
        const res = await rt.dispatcher.apiCall(ep.service, ep.name, undefined, null, null);
        return res;
      },
    };
  }

  /** Graceful shutdown: stop accepting, finish in-flight work (bounded), release everything. */
  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const t0 = performance.now();
    let code = 0;
    try {
      await this.teardown(this.rt.config.shutdownTimeoutMs);
    } catch (err) {
      this.rt.log.error("error during shutdown", {}, err);
      code = 1;
    }
    this.rt.log.info("shutdown complete", { ms: Math.round(performance.now() - t0) });
    this.exit(code);
  }

  private async teardown(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    const left = () => Math.max(0, deadline - Date.now());
    // Streams first, so their clients get 1001 (going away) before the server drops sockets.
    const opsClosed = this.ops?.close();
    const streamsClosed = this.streams.closeAll();
    const httpClosed = this.http?.close(left());
    await streamsClosed;
    await this.cron?.stop(left());
    await httpClosed;
    await opsClosed;
    await this.rt.pubsub.stop(left());
    await this.rt.databases.close();
    await this.rt.caches.close();
    this.unregisterMetrics?.();
  }
}
