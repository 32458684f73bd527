// Two full War Room processes on one PostgreSQL (max_connections = 100, a dedicated server) and one
// Redis (a dedicated server), each reaching them through a TCP proxy the test can cut:
// - scale-out: requests spread over both; every alert reaches each recipient once, a live stream on
//   either process sees every event, each cron job runs once per tick, and together they stay
//   inside the connection budget (measured in pg_stat_activity, at rest and under load), while a
//   third process starts, and serves, beside them under load;
// - outages: PostgreSQL cut during traffic: both processes stay up, database-backed endpoints answer
//   503 with Retry-After (never 500), the status says so, and everything recovers by itself when
//   the database is back; alerts accepted before the cut are delivered after it, none twice. Redis
//   cut: requests still succeed, and the cross-process stream relay and the shared rate limit come
//   back by themselves.
// One app start for the whole file; the numbers measured are printed. Redis is REDIS_URL's (the
// test's keys are its own: fresh campaign and user ids); without it the file is skipped.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { startDatabaseServer, type DatabaseServer } from "../host/db/server.ts";
import { fixturePrefix, startFixture, type FixtureServer } from "../host/testing/fixture-server.ts";
import { startFakeTwilio, type FakeTwilio } from "./fakes/twilio";
import { startTcpProxy, type TcpProxy } from "../host/testing/tcp-proxy.ts";
import { redisForTests } from "../host/testing/services.ts";
import { caller, createCampaign, mentionBatch, type Reply } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@scaleout.example", password: "chief-password-1" };
const BUDGET = 20; // WARROOM_DB_MAX_CONNECTIONS's default, which the processes run with
const RATE_BURST = 3;

let dataDir = "";
let pg: DatabaseServer;
const redisUrl = redisForTests("the scale-out and outage tests (two processes share Redis)");
let admin: postgres.Sql; // the operator's psql session
let twilio: FakeTwilio;
const proxies: Record<"a" | "b" | "c" | "redis", TcpProxy> = {} as never;
const apps: { a: FixtureServer; b: FixtureServer } = {} as never;
const prefix = fixturePrefix();
const measured: Record<string, unknown> = {};

function env(proxy: TcpProxy): Record<string, string> {
  return {
    DATABASE_URL: proxy.url(pg.url),
    REDIS_URL: proxies.redis.url(redisUrl!),
    WARROOM_DB_POOL_SIZE: "10", // the defaults: pools of 10 inside a budget of 20
    WARROOM_DB_MAX_CONNECTIONS: String(BUDGET),
    WARROOM_CRON: "on",
    WARROOM_LOG_LEVEL: "info",
    JWT_SECRET: "scale-out-end-to-end-secret-0123456789abcdef",
    BCRYPT_COST: "4",
    WARROOM_ADMIN_EMAIL: ADMIN.email,
    WARROOM_ADMIN_PASSWORD: ADMIN.password,
    WARROOM_DEMO: "off",
    WARROOM_STREAM_HEARTBEAT_MS: "1000",
    TWILIO_SID: twilio.accountSid,
    TWILIO_TOKEN: twilio.authToken,
    TWILIO_FROM: "+14155550199",
    TWILIO_BASE_URL: twilio.url,
    ALERT_SEND_LEASE_SECONDS: "10", // a claim whose answer the cut lost is sent after this (instead of 2 min)
    INTELLIGENCE_RATE_BURST: String(RATE_BURST),
    INTELLIGENCE_RATE_PER_MINUTE: String(RATE_BURST),
  };
}

describe.skipIf(!redisUrl)("two War Room processes on one PostgreSQL and one Redis", () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "warroom-scaleout-"));
    await chmod(dataDir, 0o755); // the server runs as the postgres user when the tests run as root
    await Promise.all([
      (async () => {
        pg = await startDatabaseServer({ dataDir: path.join(dataDir, "pg"), durable: false, maxConnections: 100 });
      })(),
      (async () => {
        twilio = await startFakeTwilio();
      })(),
    ]);
    const pgPort = Number(new URL(pg.url).port);
    const redis = new URL(redisUrl!);
    [proxies.a, proxies.b, proxies.c, proxies.redis] = await Promise.all([
      startTcpProxy("127.0.0.1", pgPort),
      startTcpProxy("127.0.0.1", pgPort),
      startTcpProxy("127.0.0.1", pgPort),
      startTcpProxy(redis.hostname, Number(redis.port || 6379)),
    ]);
    admin = postgres(`${pg.url}/postgres`, { max: 1, onnotice: () => {} });
    const [{ max_connections }] = await admin`SHOW max_connections`;
    expect(max_connections).toBe("100");
    // One process creates and migrates the databases; the second starts on them.
    apps.a = await startFixture(ROOT, prefix, env(proxies.a));
    apps.b = await startFixture(ROOT, prefix, env(proxies.b));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([apps.a?.stop(), apps.b?.stop()]);
    await admin?.end({ timeout: 1 });
    await Promise.all(Object.values(proxies).map((p) => p?.close()));
    await twilio?.close();
    await pg?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    console.log("scale-out measurements:", JSON.stringify(measured, null, 2));
  }, 60_000);

  // ---- HTTP and WebSocket helpers ------------------------------------------------------------------

  const call = (app: FixtureServer, method: string, p: string, token?: string, body?: unknown): Promise<Reply> => caller(app.url)(method, p, token, body);

  async function ok(app: FixtureServer, method: string, p: string, token?: string, body?: unknown): Promise<any> {
    const r = await call(app, method, p, token, body);
    if (r.status !== 200) throw new Error(`${method} ${p} answered ${r.status}: ${JSON.stringify(r.json)}`);
    return r.json;
  }

  interface LiveEvent {
    type: string;
    campaignId: string;
    data: any;
  }

  /** A dashboard on a campaign's live stream of one process. */
  class Dashboard {
    readonly ws: WebSocket;
    readonly received: LiveEvent[] = [];
    readonly opened: Promise<void>;
    constructor(app: FixtureServer, campaignId: string, token: string) {
      this.ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws/campaigns/${campaignId}/stream?token=${token}`, ["encore-ws"]);
      this.ws.on("message", (d) => this.received.push(JSON.parse(d.toString())));
      this.opened = new Promise((resolve, reject) => {
        this.ws.once("open", () => resolve());
        this.ws.once("error", reject);
      });
    }
    /** Mention ids of the MENTION batches received. */
    mentionIds(): string[] {
      return this.received.filter((e) => e.type === "MENTION" && e.data.kind === "mentions").flatMap((e) => e.data.mentions.map((m: { id: string }) => m.id));
    }
    /** Resolves once the first heartbeat arrived (the stream is subscribed). */
    async ready(): Promise<void> {
      await this.opened;
      await expect.poll(() => this.received.some((e) => e.type === "HEARTBEAT"), { timeout: 10_000, interval: 20 }).toBe(true);
    }
    close(): void {
      this.ws.close();
    }
  }

  let seq = 0;
  const mentions = (count: number) => mentionBatch("so", count);

  const crisis = (campaignId: string, n: number) => ({
    campaignId,
    crisisScore: 0.92,
    triggers: [`spike ${n}`],
    affectedPlatforms: ["twitter"],
    estimatedReach: 80000,
    sentimentImpact: -0.5,
    recommendedActions: ["hold a statement"],
  });

  /** Client sessions each process holds on the server, seen from pg_stat_activity through its proxy. */
  async function connectionsOf(proxy: TcpProxy): Promise<number> {
    const ports = proxy.upstreamPorts();
    if (ports.length === 0) return 0;
    const [{ n }] = await admin<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND client_port = ANY(${ports})`;
    return n;
  }

  async function totalClientSessions(): Promise<number> {
    const [{ n }] = await admin<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend'`;
    return n;
  }

  // ---- the shared world ------------------------------------------------------------------------------

  let token = "";
  let campaignId = "";
  const PHONES = ["+14155559001", "+14155559002", "+14155559003"];

  beforeAll(async () => {
    await vi.waitFor(() => expect(apps.a.logs() + apps.b.logs(), "the first admin created").toContain(`created the first admin ${ADMIN.email}`), {
      timeout: 20_000,
      interval: 50,
    });
    token = (await ok(apps.b, "POST", "/api/v1/auth/login", undefined, ADMIN)).accessToken;
    campaignId = await createCampaign(caller(apps.a.url), token);
    for (const [i, address] of PHONES.entries())
      await ok(i % 2 ? apps.b : apps.a, "POST", `/api/v1/campaigns/${campaignId}/contacts`, token, { name: `Duty ${i}`, channel: "SMS", address });
  }, 60_000);

  /** SMS the fake Twilio received per recipient for alerts whose trigger text contains `tag`. */
  function smsCount(phone: string, tag: string): number {
    return twilio.messages.filter((m) => m.to === phone && m.body.includes(tag)).length;
  }

  /**
   * Waits until every alert raised for `tags` has no delivery left to send (none pending or
   * sending): from then on nothing more can reach Twilio for them, so counting proves "never twice".
   */
  async function settled(campaignId: string, token: string, tags: string[]): Promise<void> {
    await expect
      .poll(
        async () => {
          const queue = await ok(apps.a, "GET", `/api/v1/alerting/queue?campaignId=${campaignId}&limit=50`, token);
          const ours = (queue.alerts as { title: string; deliveries: { status: string }[] }[]).filter((a) => tags.some((t) => a.title.endsWith(t)));
          return ours.length === tags.length && ours.every((a) => a.deliveries.every((d) => d.status !== "pending" && d.status !== "sending"));
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(true);
  }

  // ---- scale-out -------------------------------------------------------------------------------------

  describe("two processes on one PostgreSQL and one Redis", { timeout: 120_000 }, () => {
    test("at rest they hold few connections, inside the budget", async () => {
      await new Promise((r) => setTimeout(r, 1000));
      const a = await connectionsOf(proxies.a);
      const b = await connectionsOf(proxies.b);
      measured.atRest = { a, b, serverTotal: await totalClientSessions() };
      expect(a).toBeLessThanOrEqual(BUDGET);
      expect(b).toBeLessThanOrEqual(BUDGET);
    });

    test("a live stream on either process sees every event, wherever it was ingested", async () => {
      const onA = new Dashboard(apps.a, campaignId, token);
      const onB = new Dashboard(apps.b, campaignId, token);
      try {
        await Promise.all([onA.ready(), onB.ready()]);
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) {
          const batch = mentions(5);
          ids.push(...batch.map((m) => m.id as string));
          await ok(i % 2 ? apps.b : apps.a, "POST", "/api/v1/monitoring/ingest", token, { campaignId, mentions: batch });
        }
        for (const d of [onA, onB]) await expect.poll(() => d.mentionIds().sort(), { timeout: 10_000, interval: 50 }).toEqual([...ids].sort());
      } finally {
        onA.close();
        onB.close();
      }
    });

    test("alerts raised through either process reach each recipient once", async () => {
      const tags = Array.from({ length: 6 }, (_, i) => `spike s${i}`);
      await Promise.all(
        tags.map((tag, i) => ok(i % 2 ? apps.b : apps.a, "POST", "/api/v1/alerting/crisis", token, { ...crisis(campaignId, i), triggers: [tag] })),
      );
      for (const tag of tags) for (const phone of PHONES) await expect.poll(() => smsCount(phone, tag), { timeout: 15_000, interval: 50 }).toBe(1);
      await settled(campaignId, token, tags);
      for (const tag of tags) for (const phone of PHONES) expect(smsCount(phone, tag)).toBe(1);
    });

    test("under load, spread over both, each stays inside the budget; a third process starts and serves beside them", async () => {
      const statuses = new Map<number, number>();
      const peaks = { a: 0, b: 0, c: 0, serverTotal: 0 };
      let stop = false;
      const app = (i: number) => (i % 2 ? apps.b : apps.a);
      const load = Array.from({ length: 40 }, async (_, i) => {
        for (let n = 0; !stop; n++) {
          const kind = (i + n) % 4;
          const r =
            kind === 0
              ? await call(app(i), "POST", "/api/v1/monitoring/ingest", token, { campaignId, mentions: mentions(3) })
              : kind === 1
                ? await call(app(i), "GET", `/api/v1/alerting/queue?campaignId=${campaignId}&limit=5`, token)
                : kind === 2
                  ? await call(app(i), "GET", `/api/v1/monitoring/mentions?campaignId=${campaignId}&limit=20`, token)
                  : await call(app(i), "GET", `/api/v1/campaigns/${campaignId}`, token);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      });
      const sample = async () => {
        peaks.a = Math.max(peaks.a, await connectionsOf(proxies.a));
        peaks.b = Math.max(peaks.b, await connectionsOf(proxies.b));
        peaks.c = Math.max(peaks.c, await connectionsOf(proxies.c));
        peaks.serverTotal = Math.max(peaks.serverTotal, await totalClientSessions());
      };
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          await sample();
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
      await new Promise((r) => setTimeout(r, 3000));
      // The third process: it needs connections for its start-up and its requests while the two others are busy.
      const third = await startFixture(ROOT, prefix, { ...env(proxies.c), WARROOM_CRON: "off" });
      try {
        // Healthy: every database reachable (each check must answer within 2 s, which a loaded machine may miss once).
        await expect.poll(async () => (await call(third, "GET", "/api/v1/status")).json.status, { timeout: 20_000, interval: 500 }).toBe("healthy");
        const thirdToken = (await ok(third, "POST", "/api/v1/auth/login", undefined, ADMIN)).accessToken;
        expect((await ok(third, "GET", `/api/v1/campaigns/${campaignId}`, thirdToken)).id).toBe(campaignId);
        for (let i = 0; i < 20; i++) await ok(third, "GET", `/api/v1/monitoring/mentions?campaignId=${campaignId}&limit=5`, thirdToken);
        await new Promise((r) => setTimeout(r, 2000));
      } finally {
        stop = true;
        await Promise.all(load);
        sampling = false;
        await sampler;
        await third.stop();
      }
      const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
      measured.underLoad = { peaks, requests, statuses: Object.fromEntries(statuses) };
      expect(requests).toBeGreaterThan(100);
      expect([...statuses.keys()]).toEqual([200]);
      expect(peaks.a).toBeLessThanOrEqual(BUDGET);
      expect(peaks.b).toBeLessThanOrEqual(BUDGET);
      expect(peaks.c).toBeLessThanOrEqual(BUDGET);
      expect(peaks.a + peaks.b).toBeGreaterThan(2); // the load did use connections
      expect(apps.a.logs() + apps.b.logs()).not.toMatch(/too many clients/);
    });
  });

  // ---- outages ---------------------------------------------------------------------------------------

  describe("PostgreSQL going away during traffic", { timeout: 120_000 }, () => {
    test("both processes stay up and answer 503 (never 500), the status says so, and all recovers by itself; alerts accepted before are delivered once", async () => {
      const statuses = new Map<number, number>();
      let stop = false;
      const traffic = Array.from({ length: 8 }, async (_, i) => {
        const app = i % 2 ? apps.b : apps.a;
        while (!stop) {
          const r = await call(app, "GET", `/api/v1/alerting/queue?campaignId=${campaignId}&limit=5`, token).catch(() => null);
          if (r) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          await new Promise((res) => setTimeout(res, 20));
        }
      });
      // Alerts accepted just before the database goes away: their deliveries are still queued or in flight.
      const tags = Array.from({ length: 4 }, (_, i) => `outage o${i}`);
      await Promise.all(
        tags.map((tag, i) => ok(i % 2 ? apps.b : apps.a, "POST", "/api/v1/alerting/crisis", token, { ...crisis(campaignId, i), triggers: [tag] })),
      );
      proxies.a.cut();
      proxies.b.cut();
      const cutAt = Date.now();
      try {
        // Database-backed endpoints: 503 with a retry hint.
        for (const app of [apps.a, apps.b]) {
          await expect
            .poll(async () => (await call(app, "GET", `/api/v1/alerting/queue?campaignId=${campaignId}`, token)).status, { timeout: 10_000, interval: 100 })
            .toBe(503);
          const r = await call(app, "GET", `/api/v1/monitoring/mentions?campaignId=${campaignId}`, token);
          expect(r.status).toBe(503);
          expect(r.json).toMatchObject({ code: "unavailable", details: { retryAfterSeconds: expect.any(Number) } });
          expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
          // The status answers, and says the databases are unreachable.
          const s = await call(app, "GET", "/api/v1/status");
          expect(s.status).toBe(200);
          expect(s.json.status).toBe("degraded");
          expect(s.json.services.filter((x: { database: { reachable: boolean } | null }) => x.database && !x.database.reachable).length).toBeGreaterThan(0);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 4000 - (Date.now() - cutAt))));
        expect(apps.a.proc.exitCode).toBeNull();
        expect(apps.b.proc.exitCode).toBeNull();
      } finally {
        proxies.a.restore();
        proxies.b.restore();
      }
      const restoredAt = Date.now();
      let last: unknown = null;
      for (const app of [apps.a, apps.b]) {
        await expect
          .poll(
            async () => {
              const r = await call(app, "GET", "/api/v1/status");
              last = r.json;
              return r.json.status;
            },
            { timeout: 30_000, interval: 200 },
          )
          .toBe("healthy")
          .catch(async (e: Error) => {
            const pools = await fetch(`${app.url}/_dev/api/databases`).then(
              (r) => r.text(),
              (err: Error) => err.message,
            );
            const sessions =
              await admin`SELECT application_name AS app, state, wait_event_type AS wt, wait_event AS w, now() - xact_start AS xact, left(query, 80) AS q FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name LIKE 'warroom:analytics%'`;
            console.log("analytics sessions:", JSON.stringify(sessions, null, 1));
            throw new Error(`${e.message}; the last status: ${JSON.stringify(last)}; pools: ${pools}`);
          });
      }
      measured.recoveryMs = Date.now() - restoredAt;
      stop = true;
      await Promise.all(traffic);
      measured.outageStatuses = Object.fromEntries(statuses);
      expect(statuses.get(500) ?? 0).toBe(0);
      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      // Everything works again without a restart: reads, writes, alerts.
      await ok(apps.a, "GET", `/api/v1/alerting/queue?campaignId=${campaignId}`, token);
      await ok(apps.b, "POST", "/api/v1/monitoring/ingest", token, { campaignId, mentions: mentions(2) });
      for (const tag of tags)
        for (const phone of PHONES)
          await expect
            .poll(() => smsCount(phone, tag), { timeout: 45_000, interval: 100 })
            .toBe(1)
            .catch(async (e: Error) => {
              const queue = await call(apps.a, "GET", `/api/v1/alerting/queue?campaignId=${campaignId}&limit=20`, token);
              const logs = (apps.a.logs() + apps.b.logs())
                .split("\n")
                .filter((l) => /alert|pubsub|deliver/i.test(l) && !/"level":"info"/.test(l))
                .slice(-30);
              throw new Error(`${e.message} (${tag} to ${phone}); queue: ${JSON.stringify(queue.json)}; logs:\n${logs.join("\n")}`);
            });
      await ok(apps.b, "POST", "/api/v1/alerting/crisis", token, { ...crisis(campaignId, 9), triggers: ["after o9"] });
      for (const phone of PHONES) await expect.poll(() => smsCount(phone, "after o9"), { timeout: 15_000, interval: 50 }).toBe(1);
      await settled(campaignId, token, [...tags, "after o9"]);
      for (const tag of tags) for (const phone of PHONES) expect(smsCount(phone, tag)).toBe(1);
      // And the live stream carries events across processes again.
      const onA = new Dashboard(apps.a, campaignId, token);
      try {
        await onA.ready();
        const batch = mentions(3);
        await ok(apps.b, "POST", "/api/v1/monitoring/ingest", token, { campaignId, mentions: batch });
        await expect.poll(() => onA.mentionIds().sort(), { timeout: 10_000, interval: 50 }).toEqual(batch.map((m) => m.id as string).sort());
      } finally {
        onA.close();
      }
      expect(apps.a.proc.exitCode).toBeNull();
      expect(apps.b.proc.exitCode).toBeNull();
    });
  });

  describe("Redis going away", { timeout: 120_000 }, () => {
    async function newUser(): Promise<string> {
      const email = `analyst-${++seq}@scaleout.example`;
      await ok(apps.a, "POST", "/api/v1/users", token, { email, password: "a-good-password", name: `Analyst ${seq}`, role: "analyst" });
      return (await ok(apps.b, "POST", "/api/v1/auth/login", undefined, { email, password: "a-good-password" })).accessToken;
    }
    /** Whether the two processes share one rate limit: a burst on A, then one more on B is refused. */
    async function sharedLimit(): Promise<boolean> {
      const user = await newUser();
      for (let i = 0; i < RATE_BURST; i++)
        expect((await call(apps.a, "POST", "/api/v1/intelligence/chat/message", user, { message: `hello ${i}` })).status).toBe(200);
      return (await call(apps.b, "POST", "/api/v1/intelligence/chat/message", user, { message: "one more" })).status === 429;
    }

    test("requests keep working; the stream relay and the shared rate limit recover by themselves", async () => {
      expect(await sharedLimit()).toBe(true);
      const onB = new Dashboard(apps.b, campaignId, token);
      try {
        await onB.ready();
        proxies.redis.cut();
        // Requests still succeed while Redis is away (cache and limits fall back to the process).
        await new Promise((r) => setTimeout(r, 500));
        await ok(apps.a, "GET", `/api/v1/analytics/summary?campaignId=${campaignId}`, token);
        await ok(apps.a, "POST", "/api/v1/monitoring/ingest", token, { campaignId, mentions: mentions(2) });
        const user = await newUser();
        expect((await call(apps.a, "POST", "/api/v1/intelligence/chat/message", user, { message: "during the outage" })).status).toBe(200);
        await new Promise((r) => setTimeout(r, 1500));
        proxies.redis.restore();
        // The relay: an event ingested on A reaches the dashboard on B that was open all along.
        await expect
          .poll(
            async () => {
              const batch = mentions(1);
              await ok(apps.a, "POST", "/api/v1/monitoring/ingest", token, { campaignId, mentions: batch });
              await new Promise((r) => setTimeout(r, 300));
              return onB.mentionIds().includes(batch[0].id as string);
            },
            { timeout: 20_000, interval: 200 },
          )
          .toBe(true);
      } finally {
        onB.close();
      }
      // The rate limit is one budget across the processes again.
      await expect.poll(() => sharedLimit(), { timeout: 20_000, interval: 500 }).toBe(true);
      expect(apps.a.proc.exitCode).toBeNull();
      expect(apps.b.proc.exitCode).toBeNull();
    });
  });

  // ---- cron ------------------------------------------------------------------------------------------

  describe("cron across the two processes", { timeout: 120_000 }, () => {
    test("each job runs once per tick", async () => {
      const runtime = postgres(`${pg.url}/${prefix}encore_runtime`, { max: 1, onnotice: () => {} });
      try {
        const EVERY_MINUTE = [
          "monitoring-detector-clock",
          "alerting-sweep",
          "alerting-escalation",
          "alerting-collect-crises",
          "compliance-erasure-retry",
          "integrations-poll",
        ];
        // Wait for a tick after both started to have run every every-minute job.
        const runs = async () =>
          runtime<{ job: string; tick: Date; instance: string; status: string }[]>`
            SELECT job, tick, instance, status FROM cron_runs WHERE job = ANY(${EVERY_MINUTE}) ORDER BY tick, job`;
        await expect
          .poll(
            async () => {
              const rows = await runs();
              const ticks = new Set(rows.map((r) => r.tick.toISOString()));
              return [...ticks].some((t) => EVERY_MINUTE.every((j) => rows.some((r) => r.job === j && r.tick.toISOString() === t && r.status !== "running")));
            },
            { timeout: 75_000, interval: 1000 },
          )
          .toBe(true);
        const rows = await runs();
        const perTick = new Map<string, number>();
        for (const r of rows) perTick.set(`${r.job}@${r.tick.toISOString()}`, (perTick.get(`${r.job}@${r.tick.toISOString()}`) ?? 0) + 1);
        expect(Math.max(...perTick.values())).toBe(1);
        measured.cron = { runs: rows.length, instances: [...new Set(rows.map((r) => r.instance))].length, statuses: [...new Set(rows.map((r) => r.status))] };
      } finally {
        await runtime.end({ timeout: 1 });
      }
    });
  });
});
