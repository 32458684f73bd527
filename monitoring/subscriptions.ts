// monitoring's subscriptions to its own data stream: every message is relayed to the live streams,
// and every accepted mention batch is fed to its campaign's crisis detector (flows/detection.ts says why
// here rather than in the ingest request). Handlers are exported by name so tests can call them.
import { Subscription } from "encore.dev/pubsub";
import { detectorMention, runDetector } from "./flows/detection";
import { dataStream, type MentionBatchData, type StreamingData } from "./events";
import { liveBus } from "./live/stream";

/** Hands a data-stream message to the live bus (every process with a stream open for its campaign). */
export async function relayToStreams(event: StreamingData): Promise<void> {
  await (await liveBus()).publish(event);
}

// 'relay-live-stream' forwards every data-stream message to the live WebSocket streams.
export const relayLiveStream = new Subscription(dataStream, "relay-live-stream", { handler: relayToStreams, maxConcurrency: 100 });

/** Feeds an accepted mention batch to its campaign's detector (a redelivered batch is skipped there). */
export async function detectCrises(event: StreamingData): Promise<void> {
  if (event.type !== "MENTION") return;
  const data = event.data as MentionBatchData | null;
  if (data?.kind !== "mentions" || !Array.isArray(data.mentions) || data.mentions.length === 0) return;
  await runDetector(event.campaignId, { kind: "batch", batchId: data.batchId, mentions: data.mentions.map(detectorMention), now: event.timestamp.getTime() });
}

// 'detect-crises' runs each campaign's crisis detector over its accepted mention batches.
export const detectCrisesSubscription = new Subscription(dataStream, "detect-crises", { handler: detectCrises, maxConcurrency: 64 });
