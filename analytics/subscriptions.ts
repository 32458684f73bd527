// analytics' subscription to monitoring's data stream: every accepted mention batch is rolled up
// into its campaign's cells, and every opened crisis is counted on its day. At-least-once delivery:
// a (batch, day) and a crisis are counted once (store.ts records them), so a redelivery is a no-op.
// The handler is exported by name so tests can deliver an event twice.
import { Subscription } from "encore.dev/pubsub";
import { dataStream, type AlertEventData, type MentionBatchData, type StreamingData } from "../monitoring/events";
import { rollUp } from "./domain/rollup";
import { KeyedQueue } from "../shared/keyed-queue";
import * as store from "./store";
import { targetsFor } from "./flows/targets";

/**
 * A campaign's writers all lock its day rows: in this process they queue per campaign in memory,
 * so a backlog (after an outage, a burst) holds one connection per campaign instead of one per
 * waiting message, and the rest of analytics (reads, its health check) keeps its connections.
 */
const perCampaign = new KeyedQueue();

/** Counts one data-stream message into the rollups (mention batches and opened crises; the rest is ignored). */
export async function countStreamEvent(event: StreamingData): Promise<void> {
  const data = event.data as { kind?: unknown; replay?: unknown } | null;
  if (!data || data.replay === true) return;
  if (event.type === "MENTION" && data.kind === "mentions") {
    const batch = data as MentionBatchData;
    if (!Array.isArray(batch.mentions) || batch.mentions.length === 0) return;
    const days = rollUp(batch.mentions, await targetsFor(event.campaignId));
    // Ascending days: every writer locks a campaign's days in the same order.
    await perCampaign.run(event.campaignId, async () => {
      for (const day of days) await store.applyLive(event.campaignId, batch.batchId, day);
    });
    return;
  }
  if (data.kind === "alert") {
    const alert = data as AlertEventData;
    if (alert.event !== "opened" || typeof alert.crisisId !== "string") return;
    const openedAt = new Date(alert.openedAt);
    if (Number.isNaN(openedAt.getTime())) return;
    await perCampaign.run(event.campaignId, () =>
      store.recordCrisis(event.campaignId, { crisisId: alert.crisisId, type: alert.alertType, severity: alert.severity, openedAt }),
    );
  }
}

// 'analytics-rollups' keeps every campaign's rollups up to date from the data stream.
export const analyticsRollups = new Subscription(dataStream, "analytics-rollups", { handler: countStreamEvent, maxConcurrency: 16 });
