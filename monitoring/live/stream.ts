// The live stream of a campaign (monitoring/README.md, "Live stream"), its two endpoints and its
// configuration. Everything about the stream is in this folder: this file (the endpoints, the
// settings, the bus this process uses), session.ts (one dashboard's session: replay, heartbeats,
// frames) and bus.ts (how an event reaches every process with a stream open on its campaign).
// subscriptions.ts `relay-live-stream` hands every data-stream message to liveBus().
import { api, type StreamOut } from "encore.dev/api";
import { secret } from "encore.dev/config";
import log from "encore.dev/log";
import { intSecret, readSecret } from "../../shared/secrets";
import { campaignCaller, stillAllowed } from "../access";
import type { CampaignPath, LiveEvent, StreamHandshake, StreamInfo } from "../model";
import { databaseName } from "../store";
import { MemoryBus, RedisBus, type LiveBus } from "./bus";
import { REPLAY_MAX_MENTIONS, REPLAY_WINDOW_MINUTES, serveSession } from "./session";

// Redis for the live bus between processes; empty: one process, an in-process bus.
const redisUrl = secret("REDIS_URL");
// Milliseconds between the live stream's heartbeats (default 30000).
const heartbeatSetting = secret("WARROOM_STREAM_HEARTBEAT_MS");

const DEFAULT_HEARTBEAT_MS = 30_000;

/** The live stream's path for a campaign. */
export const streamPath = (campaignId: string) => `/ws/campaigns/${campaignId}/stream`;

let heartbeat: number | undefined;

/** The live stream's heartbeat interval: WARROOM_STREAM_HEARTBEAT_MS, 100 ms to 5 min, default 30 s. */
function heartbeatIntervalMs(): number {
  heartbeat ??= intSecret(heartbeatSetting, DEFAULT_HEARTBEAT_MS, 100, 300_000, (text) =>
    log.warn(`WARROOM_STREAM_HEARTBEAT_MS must be whole milliseconds from 100 to 300000 (got "${text}"): using ${DEFAULT_HEARTBEAT_MS}`),
  );
  return heartbeat;
}

let busP: Promise<LiveBus> | undefined;

/**
 * The live bus: Redis pub/sub when REDIS_URL is set (channels namespaced by monitoring's database
 * name, so deployments and test runs sharing a Redis never mix), else in-process.
 */
export function liveBus(): Promise<LiveBus> {
  busP ??= (async () => {
    const url = readSecret(redisUrl);
    if (url === "") return new MemoryBus();
    let lastReport = 0;
    return new RedisBus(url, `warroom:${await databaseName()}`, (err) => {
      // At most one report every 10 s: a Redis outage must not flood the log.
      if (Date.now() - lastReport < 10_000) return;
      lastReport = Date.now();
      log.warn("live bus (Redis) failure", { error: err.message });
    });
  })();
  busP.catch(() => (busP = undefined));
  return busP;
}

// streamCampaignData says where a campaign's live stream is and how often it beats (monitoring:read).
export const streamCampaignData = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/stream/:campaignId" },
  async ({ campaignId }: CampaignPath): Promise<StreamInfo> => {
    await campaignCaller(campaignId, "read");
    return {
      streamEndpoint: streamPath(campaignId),
      heartbeatInterval: heartbeatIntervalMs(),
      replayWindowMinutes: REPLAY_WINDOW_MINUTES,
      replayMaxMentions: REPLAY_MAX_MENTIONS,
    };
  },
);

// campaignStream sends a campaign's mentions, sentiment snapshots and crises as they happen, heartbeats, and on `?since=` what was missed (monitoring:read, campaign members).
export const campaignStream = api.streamOut<StreamHandshake, LiveEvent>(
  { expose: true, auth: true, path: "/ws/campaigns/:campaignId/stream" },
  async ({ campaignId, since }: StreamHandshake, stream: StreamOut<LiveEvent>) => {
    const caller = await campaignCaller(campaignId, "read");
    await serveSession({
      bus: await liveBus(),
      campaignId,
      since,
      heartbeatMs: heartbeatIntervalMs(),
      send: (event) => stream.send(event),
      allowed: () => stillAllowed(caller, campaignId, "read"),
    });
  },
);
