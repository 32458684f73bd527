// monitoring end to end: the whole app started as `npm start` starts it (Redis for the live bus when
// REDIS_URL is set), mentions ingested over HTTP, dashboards on real WebSockets at
// /ws/campaigns/:id/stream: who may connect, heartbeats (interval shortened by the secret), live
// mentions, a scandal turned into a CRISIS on the stream, replay after a reconnect, and a client that
// stops reading cut off with 1008 while another keeps receiving.
import path from "node:path";
import { WebSocket } from "ws";
import { beforeAll, describe, expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";
import { caller, mentionBatch, waitForFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@monitoring.example", password: "chief-password-1" };
const HEARTBEAT_MS = 400;
const app = useFixture(ROOT, {
  JWT_SECRET: "monitoring-end-to-end-secret-0123456789abc",
  BCRYPT_COST: "4",
  WARROOM_ADMIN_EMAIL: ADMIN.email,
  WARROOM_ADMIN_PASSWORD: ADMIN.password,
  WARROOM_CRON: "off",
  WARROOM_DEMO: "off",
  WARROOM_STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS),
});

const call = caller(app);

interface LiveEvent {
  type: string;
  campaignId: string;
  timestamp: string;
  data: any;
  priority: string;
}

/** A dashboard: a WebSocket on a campaign's stream, its messages queued for the test to take. */
class Dashboard {
  readonly ws: WebSocket;
  readonly received: LiveEvent[] = [];
  private taken = 0;
  private wake: (() => void) | null = null;
  /** The close code and reason, once closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Settles with the HTTP status when the handshake is refused, or "open". */
  readonly opened: Promise<number | "open">;

  constructor(campaignId: string, query: Record<string, string>) {
    const qs = new URLSearchParams(query).toString();
    this.ws = new WebSocket(`ws://127.0.0.1:${app.server.port}/ws/campaigns/${campaignId}/stream${qs ? `?${qs}` : ""}`, ["encore-ws"]);
    this.opened = new Promise((resolve) => {
      this.ws.once("open", () => resolve("open"));
      this.ws.once("unexpected-response", (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      this.ws.once("error", () => resolve(0));
    });
    this.closed = new Promise((resolve) => this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on("message", (data) => {
      this.received.push(JSON.parse(data.toString()));
      this.wake?.();
    });
  }

  /** The next message that matches (messages before it are skipped), within a deadline. */
  async next(match: (e: LiveEvent) => boolean = () => true, timeoutMs = 10_000): Promise<LiveEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.taken < this.received.length) {
        const e = this.received[this.taken++];
        if (match(e)) return e;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got: ${this.received.map((e) => e.type).join(", ")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  close(): void {
    this.ws.close();
  }
}

let n = 0;
const tokens = { admin: "", manager: "", viewer: "", outsider: "" };
let campaignId = "";

async function signIn(email: string, password: string): Promise<{ token: string; id: string }> {
  const r = await call("POST", "/api/v1/auth/login", undefined, { email, password });
  expect(r.status).toBe(200);
  return { token: r.json.accessToken, id: r.json.user.id };
}

async function person(role: "manager" | "viewer"): Promise<{ token: string; id: string }> {
  const email = `${role}-${++n}@monitoring.example`;
  const created = await call("POST", "/api/v1/users", tokens.admin, { email, password: "a-good-password", name: `${role} ${n}`, role });
  expect(created.status).toBe(200);
  return signIn(email, "a-good-password");
}

async function newCampaign(token: string): Promise<string> {
  const r = await call("POST", "/api/v1/campaigns", token, {
    name: `Rivera for Senate ${++n}`,
    description: "",
    startDate: "2026-01-01T00:00:00Z",
    endDate: "2026-11-03T00:00:00Z",
    budget: 50000,
    targetAudience: {
      demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "", education: "" },
      interests: [],
      locations: [],
      platforms: [],
    },
  });
  expect(r.status).toBe(200);
  return r.json.id;
}

const mentions = (count: number, over?: (i: number) => Record<string, unknown>) => mentionBatch("e2e", count, over);

async function ingest(id: string, batch: Record<string, unknown>[]): Promise<{ accepted: number; duplicates: number }> {
  const r = await call("POST", "/api/v1/monitoring/ingest", tokens.manager, { campaignId: id, mentions: batch });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json;
}

const isBatch = (e: LiveEvent) => e.type === "MENTION" && e.data.kind === "mentions";

beforeAll(async () => {
  await waitForFirstAdmin(app, ADMIN.email);
  tokens.admin = (await signIn(ADMIN.email, ADMIN.password)).token;
  const [manager, viewer, outsider] = await Promise.all([person("manager"), person("viewer"), person("viewer")]);
  Object.assign(tokens, { manager: manager.token, viewer: viewer.token, outsider: outsider.token });
  campaignId = await newCampaign(tokens.manager);
  expect((await call("POST", `/api/v1/campaigns/${campaignId}/members`, tokens.manager, { userId: viewer.id })).status).toBe(200);
});

describe("the live stream", () => {
  test("needs a signed-in member: no token is refused at the handshake, a non-member's stream is closed as not found", async () => {
    const anonymous = new Dashboard(campaignId, {});
    expect(await anonymous.opened).toBe(401);
    const forged = new Dashboard(campaignId, { token: "not-a-token" });
    expect(await forged.opened).toBe(401);
    const outsider = new Dashboard(campaignId, { token: tokens.outsider });
    expect(await outsider.closed).toEqual({ code: 1011, reason: "not_found: campaign not found" });
    expect(outsider.received).toEqual([]);
    const badSince = new Dashboard(campaignId, { token: tokens.viewer, since: "yesterday" });
    expect(await badSince.opened).toBe(400);
    // The REST door says the same.
    expect((await call("GET", `/api/v1/monitoring/stream/${campaignId}`, tokens.outsider)).status).toBe(404);
    expect((await call("GET", `/api/v1/monitoring/stream/${campaignId}`, tokens.viewer)).json).toMatchObject({
      streamEndpoint: `/ws/campaigns/${campaignId}/stream`,
      heartbeatInterval: HEARTBEAT_MS,
    });
  });

  test("beats at once and every heartbeat interval, and carries each ingested batch as it happens", async () => {
    const viewer = new Dashboard(campaignId, { token: tokens.viewer });
    try {
      const first = await viewer.next();
      expect(first).toMatchObject({ type: "HEARTBEAT", campaignId, priority: "low", data: { intervalMs: HEARTBEAT_MS } });
      const second = await viewer.next((e) => e.type === "HEARTBEAT");
      const gap = Date.parse(second.timestamp) - Date.parse(first.timestamp);
      expect(gap).toBeGreaterThanOrEqual(HEARTBEAT_MS - 50);
      expect(gap).toBeLessThan(HEARTBEAT_MS * 3);

      const batch = mentions(20);
      await ingest(campaignId, batch);
      const live = await viewer.next(isBatch);
      expect(live).toMatchObject({ type: "MENTION", campaignId });
      expect(live.data.mentions.map((m: { id: string }) => m.id).sort()).toEqual(batch.map((m) => m.id).sort());
      expect(live.data.mentions[0]).toMatchObject({ platform: "twitter", sentiment: 0.2, sentimentSource: "source" });
      // Re-ingesting is a no-op: nothing more on the stream.
      expect(await ingest(campaignId, batch)).toEqual({ accepted: 0, duplicates: 20 });
      await viewer.next((e) => e.type === "HEARTBEAT");
      await viewer.next((e) => e.type === "HEARTBEAT");
      expect(viewer.received.filter(isBatch)).toHaveLength(1);
    } finally {
      viewer.close();
    }
  });

  test("a scandal burst reaches the stream as one CRISIS, and a reconnect with ?since= replays what was missed", async () => {
    const id = await newCampaign(tokens.manager);
    const watcher = new Dashboard(id, { token: tokens.manager });
    try {
      await watcher.next((e) => e.type === "HEARTBEAT");
      const calm = mentions(10, () => ({ timestamp: new Date(Date.now() - 150_000).toISOString() }));
      await ingest(id, calm);
      const calmEvent = await watcher.next(isBatch);
      watcher.close();
      await watcher.closed;

      // While nobody watches: a scandal (400 angry mentions in two minutes) on a campaign with no history.
      const now = Date.now();
      const burst = mentions(400, (i) => ({
        text: `Leaked emails: Rivera took bribes (${i % 7})`,
        platform: ["twitter", "facebook", "news"][i % 3],
        sentiment: -0.8,
        reach: 2000,
        timestamp: new Date(now - 120_000 + i * 300).toISOString(),
      }));
      const started = Date.now();
      await ingest(id, burst);
      await expect
        .poll(async () => (await call("GET", `/api/v1/monitoring/crises?campaignId=${id}`, tokens.manager)).json.crises.length, { timeout: 10_000 })
        .toBe(1);
      const detectedMs = Date.now() - started;
      expect(detectedMs).toBeLessThan(5_000);

      const back = new Dashboard(id, { token: tokens.manager, since: calmEvent.timestamp });
      // The replay comes first; the HEARTBEAT after it says the stream is live.
      await back.next((e) => e.type === "HEARTBEAT");
      const replayedCrisis = back.received.find((e) => e.type === "CRISIS")!;
      expect(replayedCrisis.data).toMatchObject({ kind: "alert", event: "opened", alertType: "CRISIS", replay: true });
      expect(replayedCrisis.data.explanation.triggers.map((t: { kind: string }) => t.kind)).toEqual(
        expect.arrayContaining(["MENTION_SPIKE", "SENTIMENT_DROP"]),
      );
      // Every burst mention comes back (replay groups them by the batch they came in), the calm ones at most once more.
      const replayed = back.received.filter(isBatch).flatMap((e) => e.data.mentions.map((m: { id: string }) => m.id));
      expect(back.received.filter(isBatch).every((e) => e.data.replay === true)).toBe(true);
      for (const m of burst) expect(replayed).toContain(m.id);
      expect(new Set(replayed).size).toBe(replayed.length);
      expect(replayed.every((m: string) => burst.some((b) => b.id === m) || calm.some((c) => c.id === m))).toBe(true);
      // The crisis came after the mentions that caused it.
      expect(back.received.findIndex((e) => e.type === "CRISIS")).toBeGreaterThan(back.received.map(isBatch).lastIndexOf(true));
      expect(back.received.filter((e) => e.type === "CRISIS")).toHaveLength(1);
      back.close();

      // A reconnect after everything it saw replays nothing.
      const latest = new Dashboard(id, { token: tokens.manager, since: new Date(Date.now() + 5_000).toISOString() });
      expect((await latest.next()).type).toBe("HEARTBEAT");
      latest.close();
    } finally {
      watcher.close();
    }
  });

  test("a client that stops reading is cut off with 1008 while another keeps receiving", async () => {
    const id = await newCampaign(tokens.manager);
    const slow = new Dashboard(id, { token: tokens.manager });
    const fast = new Dashboard(id, { token: tokens.manager });
    try {
      await Promise.all([slow.next((e) => e.type === "HEARTBEAT"), fast.next((e) => e.type === "HEARTBEAT")]);
      slow.ws.pause(); // stops reading: the kernel's buffers fill, then the server's queue for it
      // Batches of 1000 long mentions (~4.6 MB on the wire each) until far more than any socket buffer holds.
      const text = "Rivera ".repeat(640);
      // Until the server says it cut the slow client off (or far more than any socket buffer holds):
      // going on after the cut would outlast the close handshake's timeout on a slow machine.
      const cut = () => app.server.logs().includes("a slow consumer was cut off");
      let sent = 0;
      for (let round = 0; sent < 24 * 1024 * 1024 && !cut(); round++) {
        if (round > 20) throw new Error("sent 20 batches without filling the slow client's buffers");
        const batch = mentions(1000, (i) => ({ text: `${text}${round}/${i}` }));
        await ingest(id, batch);
        // A big batch arrives in parts (frames of at most 256 KiB), all of it.
        let received = 0;
        while (received < 1000) {
          const part = await fast.next(isBatch, 20_000);
          expect(part.data.parts).toBeGreaterThan(1);
          expect(JSON.stringify(part).length).toBeLessThan(300 * 1024);
          received += part.data.mentions.length;
          sent += JSON.stringify(part).length;
        }
        expect(received).toBe(1000);
      }
      expect(cut()).toBe(true);
      slow.ws.resume(); // it reads what was queued before the cut, then the close
      expect(await slow.closed).toEqual({ code: 1008, reason: "slow consumer" });
      // The other dashboard is unaffected.
      await ingest(id, mentions(3));
      expect((await fast.next(isBatch)).data.mentions).toHaveLength(3);
    } finally {
      slow.close();
      fast.close();
    }
  });
});

describe("campaign insights over HTTP", () => {
  test("/api/v1/campaigns/insights is its own route (not /campaigns/:id), for the campaign's members", async () => {
    const r = await call("GET", `/api/v1/campaigns/insights?campaignId=${campaignId}`, tokens.viewer);
    expect(r.status).toBe(200);
    expect(r.json.insights.campaigns[0]).toMatchObject({
      campaignId,
      status: "draft",
      monitoring: { monitored: false, windowHours: 24, mentions: expect.any(Number) },
    });
    expect(r.json.insights.campaigns[0].monitoring.mentions).toBeGreaterThan(0);
    expect((await call("GET", `/api/v1/campaigns/insights?campaignId=${campaignId}`, tokens.outsider)).status).toBe(404);
    // The seed's call names no campaign: the caller's campaigns.
    const all = await call("GET", "/api/v1/campaigns/insights", tokens.viewer);
    expect(all.status).toBe(200);
    expect(all.json.insights.campaigns.map((c: { campaignId: string }) => c.campaignId)).toContain(campaignId);
    expect((await call("GET", "/api/v1/campaigns/insights", tokens.outsider)).json.insights.campaigns).toEqual([]);
  });
});
