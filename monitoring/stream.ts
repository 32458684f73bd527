// The live stream of a campaign: GET /ws/campaigns/:campaignId/stream (WebSocket, subprotocol
// encore-ws; the token as `Authorization: Bearer` or `?token=`). See streaming.ts for the session.
import { api, type StreamOut } from "encore.dev/api";
import { campaignCaller, stillAllowed } from "./access";
import type { LiveEvent, StreamHandshake } from "./model";
import { heartbeatIntervalMs, liveBus } from "./secrets";
import { serveSession } from "./streaming";

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
