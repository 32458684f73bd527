// monitoring's topic: `data-stream` carries everything that happens to a campaign (accepted mention
// batches, sentiment snapshots, crises and other alerts) to the live streams and to any service that
// wants it. A leaf file: other services import the topic and these types, nothing else.
//
// `data` is `any` on the wire (the seed's shape); its content per type is described by the
// interfaces below. Times inside `data` are ISO 8601 strings (an `any` field is not decoded).
import { Topic } from "encore.dev/pubsub";

/** What a message is about (the seed's types). */
export type StreamType = "MENTION" | "SENTIMENT" | "CRISIS" | "ENGAGEMENT" | "COMPETITOR" | "INFLUENCER" | "AUDIT" | "DOCUMENT";

/** How urgent it is. */
export type StreamPriority = "low" | "medium" | "high" | "critical";

/** One message of the data stream (the seed's StreamingData). */
export interface StreamingData {
  type: StreamType;
  campaignId: string;
  /** When it happened: for a mention batch, when it was stored. */
  timestamp: Date;
  data: unknown;
  priority: StreamPriority;
}

/** A mention as the stream carries it: the seed's Mention (id is the source's) plus our id. */
export interface StreamMention {
  mentionId: string;
  id: string;
  text: string;
  author: string;
  platform: string;
  url: string;
  sentiment: number;
  /** "lexicon": our analyzer decided it (alone, or with the source's score: monitoring/README.md "Sentiment"); "source": the source's score as given. */
  sentimentSource: "source" | "lexicon";
  reach: number;
  engagement: number;
  /** ISO 8601. */
  timestamp: string;
  location?: string;
  language?: string;
}

/** `data` of a MENTION message: one accepted ingest batch (only the mentions that were new). */
export interface MentionBatchData {
  kind: "mentions";
  batchId: string;
  mentions: StreamMention[];
  /** Set on messages replayed after a reconnect (`?since=`). */
  replay?: boolean;
  /** On the live stream, a large batch comes in parts (1-based) of `parts` frames, all with its batchId. */
  part?: number;
  parts?: number;
  /** On the first replayed message, when more was missed than the replay carries. */
  truncated?: boolean;
}

/** `data` of an alert message (CRISIS, SENTIMENT, MENTION for spikes, ENGAGEMENT, COMPETITOR). */
export interface AlertEventData {
  kind: "alert";
  /** Unique per crisis and step: clients de-duplicate replays with it. */
  eventId: string;
  event: "opened" | "escalated" | "resolved";
  crisisId: string;
  alertType: "CRISIS" | "SENTIMENT" | "MENTION_SPIKE" | "ENGAGEMENT_DROP" | "COMPETITOR";
  severity: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
  status: "open" | "escalated" | "resolved";
  previousType?: string;
  previousSeverity?: string;
  crisisScore: number;
  title: string;
  summary: string;
  /** The crisis record's explanation (model.ts CrisisExplanation, times as ISO strings). */
  explanation: unknown;
  openedAt: string;
  /** Event time of the step. */
  at: string;
  replay?: boolean;
}

/** `data` of a SENTIMENT snapshot: the last 15 minutes' sentiment against the campaign's baseline (at most one per campaign every few seconds). */
export interface SentimentSnapshotData {
  kind: "snapshot";
  /** The campaign's mentions timed within the window [windowStart, now] and their mean sentiment: a rolling figure. */
  mentions: number;
  average: number;
  windowMinutes: number;
  windowStart: string;
  /** Mentions that arrived since the previous snapshot (what made this one due). */
  newMentions: number;
  baselineSentiment: number;
  baselineSentimentSd: number;
  /** Mentions per minute the baseline expects now. */
  expectedPerMinute: number;
  openAlerts: number;
  at: string;
}

/** `data` of a HEARTBEAT on the live stream. */
export interface HeartbeatData {
  serverTime: string;
  intervalMs: number;
}

// 'data-stream' carries each campaign's accepted mention batches (one message per batch), sentiment
// snapshots and crisis events to the live streams (subscriptions.ts relays them) and to other services.
export const dataStream = new Topic<StreamingData>("data-stream", { deliveryGuarantee: "at-least-once" });
