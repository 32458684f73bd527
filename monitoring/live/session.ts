// One live stream session: a dashboard watching a campaign. It listens on the live bus FIRST
// (holding what arrives), then replays what the client missed since `?since=` from monitoring's own
// tables, then sends what it held (less anything the replay already carried), then goes live, with a
// HEARTBEAT right away and every heartbeat interval after (the dashboard's sign that the stream is
// alive; each one also re-checks that the caller may still see the campaign).
//
// Replay is bounded: at most REPLAY_WINDOW_MINUTES back and the newest REPLAY_MAX_MENTIONS mentions
// (the first replayed message says `truncated` when more were missed), plus the crisis steps of the
// window. It starts REPLAY_OVERLAP_MS before `since` because batches committed concurrently can be
// stamped slightly out of order: a replay may repeat a little, never miss; clients de-duplicate by
// mentionId (mentions) and eventId (alerts).
//
// A client that does not keep up is cut off by the runtime (close 1008) and the next send here
// throws, which ends the session; so does a client that leaves.
//
// Frames are bounded: a batch of up to 1000 mentions can weigh megabytes, so its mentions go out in
// parts of at most MAX_FRAME_BYTES (same batchId, `part` of `parts`), split once per event for all
// sessions. A dashboard then never waits behind one huge frame for a heartbeat or a crisis.
import type { AlertEventData, HeartbeatData, MentionBatchData, StreamingData } from "../events";
import type { LiveBus } from "./bus";
import type { LiveEvent } from "../model";
import * as store from "../store";

export const REPLAY_WINDOW_MINUTES = 60;
export const REPLAY_MAX_MENTIONS = 2000;
const REPLAY_MAX_CRISIS_EVENTS = 500;
const REPLAY_OVERLAP_MS = 2_000;
/** Mentions per replayed MENTION message at most (a live batch carries up to 1000). */
const REPLAY_CHUNK = 500;
/** Largest frame a mention batch is cut into (estimated from the mentions' sizes). */
export const MAX_FRAME_BYTES = 256 * 1024;
/** Bytes a mention's fields take besides its text, author and url (JSON keys, numbers, ids). */
const MENTION_OVERHEAD = 320;

export interface SessionOptions {
  bus: LiveBus;
  campaignId: string;
  since?: Date;
  heartbeatMs: number;
  /** Sends one message; throws once the client is gone or was cut off. */
  send: (event: LiveEvent) => void;
  /** False once the caller may no longer see the campaign (checked at each heartbeat). */
  allowed: () => Promise<boolean>;
  now?: () => number;
}

/** The key under which an event is de-duplicated between replay and live, if it has one. */
function keyOf(event: StreamingData): string | null {
  const data = event.data as { kind?: string; batchId?: string; eventId?: string } | null;
  if (data?.kind === "mentions" && data.batchId) return `batch:${data.batchId}`;
  if (data?.kind === "alert" && data.eventId) return `event:${data.eventId}`;
  return null;
}

const framesOf = new WeakMap<StreamingData, StreamingData[]>();

/** The frames an event goes out in: a mention batch in parts of at most MAX_FRAME_BYTES, anything else as is. */
export function frames(event: StreamingData): StreamingData[] {
  const data = event.data as MentionBatchData | null;
  if (event.type !== "MENTION" || data?.kind !== "mentions" || !Array.isArray(data.mentions)) return [event];
  const cached = framesOf.get(event);
  if (cached) return cached;
  const groups: MentionBatchData["mentions"][] = [];
  let current: MentionBatchData["mentions"] = [];
  let size = 0;
  for (const m of data.mentions) {
    const bytes = MENTION_OVERHEAD + 2 * ((m.text?.length ?? 0) + (m.author?.length ?? 0) + (m.url?.length ?? 0));
    if (current.length > 0 && size + bytes > MAX_FRAME_BYTES) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += bytes;
  }
  groups.push(current);
  const out =
    groups.length === 1 ? [event] : groups.map((mentions, i): StreamingData => ({ ...event, data: { ...data, mentions, part: i + 1, parts: groups.length } }));
  framesOf.set(event, out);
  return out;
}

/** The replay of what a campaign's stream carried after `since`, oldest first, and the keys it covers. */
async function replay(campaignId: string, since: Date, now: number): Promise<{ events: StreamingData[]; keys: Set<string> }> {
  const from = new Date(Math.max(since.getTime() - REPLAY_OVERLAP_MS, now - REPLAY_WINDOW_MINUTES * 60_000));
  const [mentions, crisisEvents] = await Promise.all([
    store.mentionsReceivedSince(campaignId, from, REPLAY_MAX_MENTIONS + 1),
    store.crisisEventsSince(campaignId, from, REPLAY_MAX_CRISIS_EVENTS),
  ]);
  const truncated = mentions.length > REPLAY_MAX_MENTIONS || since.getTime() < now - REPLAY_WINDOW_MINUTES * 60_000;
  if (mentions.length > REPLAY_MAX_MENTIONS) mentions.shift();
  const events: StreamingData[] = [];
  const keys = new Set<string>();
  // Mentions go out grouped by the batch they came in, as they did live.
  let i = 0;
  while (i < mentions.length) {
    const batchId = mentions[i].batchId;
    let j = i;
    while (j < mentions.length && j - i < REPLAY_CHUNK && mentions[j].batchId === batchId) j++;
    const chunk = mentions.slice(i, j);
    const data: MentionBatchData = {
      kind: "mentions",
      batchId,
      replay: true,
      mentions: chunk.map((m) => {
        const s = {
          mentionId: m.mentionId,
          id: m.id,
          text: m.text,
          author: m.author,
          platform: m.platform,
          url: m.url,
          sentiment: m.sentiment,
          sentimentSource: m.sentimentSource,
          reach: m.reach,
          engagement: m.engagement,
          timestamp: m.timestamp.toISOString(),
        } as MentionBatchData["mentions"][number];
        if (m.location !== undefined) s.location = m.location;
        if (m.language !== undefined) s.language = m.language;
        return s;
      }),
    };
    if (truncated && events.length === 0) data.truncated = true;
    events.push({ type: "MENTION", campaignId, timestamp: chunk[chunk.length - 1].ingestedAt, data, priority: "low" });
    keys.add(`batch:${batchId}`);
    i = j;
  }
  for (const e of crisisEvents) {
    const data = { ...(e.data as AlertEventData), replay: true };
    events.push({ type: e.streamType as StreamingData["type"], campaignId, timestamp: e.createdAt, data, priority: e.priority as StreamingData["priority"] });
    keys.add(`event:${data.eventId}`);
  }
  events.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  return { events, keys };
}

/** Serves one session until the client leaves, is cut off, or loses access. */
export async function serveSession(o: SessionOptions): Promise<void> {
  const now = o.now ?? Date.now;
  let ended = false;
  let endSession!: () => void;
  const done = new Promise<void>((resolve) => (endSession = resolve));
  const held: StreamingData[] = [];
  let live = false;
  let timer: NodeJS.Timeout | undefined;

  const finish = () => {
    if (ended) return;
    ended = true;
    if (timer) clearInterval(timer);
    endSession();
  };
  const deliver = (event: LiveEvent) => {
    for (const frame of frames(event as StreamingData)) {
      if (ended) return;
      try {
        o.send(frame);
      } catch {
        finish();
      }
    }
  };
  const heartbeat = () => {
    const data: HeartbeatData = { serverTime: new Date(now()).toISOString(), intervalMs: o.heartbeatMs };
    deliver({ type: "HEARTBEAT", campaignId: o.campaignId, timestamp: new Date(now()), data, priority: "low" });
  };

  const stop = await o.bus.subscribe(o.campaignId, (event) => {
    if (live) deliver(event);
    else held.push(event);
  });
  try {
    let seen = new Set<string>();
    if (o.since) {
      const replayed = await replay(o.campaignId, o.since, now());
      seen = replayed.keys;
      for (const event of replayed.events) deliver(event);
    }
    for (const event of held) {
      const key = keyOf(event);
      if (key === null || !seen.has(key)) deliver(event);
    }
    held.length = 0;
    live = true;
    heartbeat();
    if (!ended) {
      timer = setInterval(() => {
        heartbeat();
        if (ended) return;
        o.allowed().then(
          (ok) => {
            if (!ok) finish();
          },
          () => {},
        );
      }, o.heartbeatMs);
    }
    await done;
  } finally {
    finish();
    clearInterval(timer);
    stop();
  }
}
