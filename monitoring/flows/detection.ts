// Crisis detection in the service: each campaign's CrisisDetector (domain/, pure) is fed every
// accepted batch, in event time, and its state persisted between batches.
//
// Why a subscription on `data-stream` rather than the ingest request: ingest stays one insert and
// one publish (its latency and throughput do not depend on the detector), a failure is retried by
// Pub/Sub instead of failing the source's request, and every path into the stream (pollers, demo,
// push) is covered by construction. The price is one Pub/Sub hop (milliseconds).
//
// One campaign's detector must see its batches one run at a time (its state is read, advanced and
// written back). Across processes the detector row is locked (SELECT … FOR UPDATE) for the run.
// Within a process, batches of the same campaign queue here instead of each holding a database
// connection while waiting for the lock; the head of the queue takes every batch waiting behind it
// in one run (one state read and write for many batches: the detector keeps up with any ingest
// rate). Delivery is at-least-once: the batch ids a detector has seen are recorded in the same
// transaction, so a redelivered batch is skipped, not counted twice.
import log from "encore.dev/log";
import { CrisisDetector, DetectorConfigError, DetectorStateError } from "../domain/detector";
import type { Alert, DetectorConfigInput, DetectorEvent, DetectorMention } from "../domain/types";
import { db } from "../db";
import {
  dataStream,
  type AlertEventData,
  type SentimentSnapshotData,
  type StreamMention,
  type StreamPriority,
  type StreamType,
  type StreamingData,
} from "../events";
import type { CrisisExplanation, CrisisSeverity } from "../model";
import * as store from "../store";
import { detectorLag } from "../metrics";

/** At most one SENTIMENT snapshot per campaign this often. */
export const SNAPSHOT_INTERVAL_MS = 5_000;
/**
 * A snapshot's figure is the mean of the campaign's mentions of the last 15 minutes (by their own
 * time), not of the batches since the last snapshot: a gauge that jumped 0 → 0.74 → -0.40 with
 * each one-mention batch now moves as the conversation does.
 */
const SNAPSHOT_WINDOW_MINUTES = 15;
/** Batches one run takes at most. */
const MAX_BATCHES_PER_RUN = 100;

/** Work for a campaign's detector: a batch of mentions, or the passing of time. */
export type DetectorJob = { kind: "batch"; batchId: string; mentions: DetectorMention[]; now: number } | { kind: "tick"; now: number };

interface Queued {
  job: DetectorJob;
  resolve: (events: number) => void;
  reject: (err: unknown) => void;
}

const queues = new Map<string, Queued[]>();

/** Runs a job on the campaign's detector (after those queued before it); resolves with how many crisis steps it produced. */
export function runDetector(campaignId: string, job: DetectorJob): Promise<number> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(campaignId);
    if (queue) {
      queue.push({ job, resolve, reject });
      return;
    }
    queues.set(campaignId, [{ job, resolve, reject }]);
    void drain(campaignId);
  });
}

async function drain(campaignId: string): Promise<void> {
  for (;;) {
    const queue = queues.get(campaignId)!;
    if (queue.length === 0) {
      queues.delete(campaignId);
      return;
    }
    const taken = queue.splice(0, MAX_BATCHES_PER_RUN);
    try {
      const steps = await run(
        campaignId,
        taken.map((q) => q.job),
      );
      for (const q of taken) q.resolve(steps);
    } catch (err) {
      for (const q of taken) q.reject(err);
    }
  }
}

/** The stream message type and priority of an alert type and severity. */
const STREAM_TYPE: Record<Alert["type"], StreamType> = {
  CRISIS: "CRISIS",
  SENTIMENT: "SENTIMENT",
  MENTION_SPIKE: "MENTION",
  ENGAGEMENT_DROP: "ENGAGEMENT",
  COMPETITOR: "COMPETITOR",
};
const PRIORITY: Record<CrisisSeverity, StreamPriority> = { LOW: "low", MEDIUM: "medium", HIGH: "high", CRITICAL: "critical" };

/** The API's explanation of an alert (times as Dates). */
function explanationOf(a: Alert): CrisisExplanation {
  const e: CrisisExplanation = {
    triggers: a.triggers.map((t) => {
      const trigger: CrisisExplanation["triggers"][number] = {
        kind: t.kind,
        metric: t.metric,
        observed: t.observed,
        baseline: t.baseline,
        threshold: t.threshold,
        change: t.change,
        windowMinutes: t.windowMinutes,
        mentions: t.mentions,
        message: t.message,
      };
      if (t.pValue !== undefined) trigger.pValue = t.pValue;
      if (t.zScore !== undefined) trigger.zScore = t.zScore;
      return trigger;
    }),
    affectedPlatforms: [...a.affectedPlatforms],
    platformBreakdown: a.platformBreakdown.map((p) => ({
      platform: p.platform,
      mentions: p.mentions,
      negativeMentions: p.negativeMentions,
      reach: p.reach,
      share: p.share,
    })),
    mentions: a.mentions,
    estimatedReach: a.estimatedReach,
    negativeReach: a.negativeReach,
    sentimentImpact: a.sentimentImpact,
    topTerms: a.topTerms.map((t) => ({ term: t.term, share: t.share, lift: t.lift, mentions: t.mentions })),
    topMentions: a.topMentions.map((m) => {
      const mention: CrisisExplanation["topMentions"][number] = {
        id: m.id,
        platform: m.platform,
        text: m.text,
        sentiment: m.sentiment,
        reach: m.reach,
        engagement: m.engagement,
        timestamp: new Date(m.timestamp),
      };
      if (m.author !== undefined) mention.author = m.author;
      if (m.url !== undefined) mention.url = m.url;
      return mention;
    }),
    recommendedActions: [...a.recommendedActions],
  };
  if (a.competitor !== undefined) e.competitor = a.competitor;
  return e;
}

type CrisisFields = store.CrisisStep["crisis"];

function crisisOf(campaignId: string, e: DetectorEvent): CrisisFields {
  const a = e.alert;
  const c: CrisisFields = {
    id: a.id,
    campaignId,
    type: a.type,
    severity: a.severity,
    status: e.kind === "opened" ? "open" : e.kind === "escalated" ? "escalated" : "resolved",
    crisisScore: a.crisisScore,
    title: a.title,
    summary: a.summary,
    explanation: explanationOf(a),
    openedAt: new Date(a.openedAt),
    updatedAt: new Date(a.updatedAt),
  };
  if (a.resolvedAt !== undefined) c.resolvedAt = new Date(a.resolvedAt);
  return c;
}

/** A crisis step as the stream and the crisis record take it. */
function stepOf(campaignId: string, e: DetectorEvent): store.CrisisStep {
  const crisis = crisisOf(campaignId, e);
  const at = new Date(e.at);
  const data: AlertEventData = {
    kind: "alert",
    eventId: `${crisis.id}:${e.kind}:${at.toISOString()}`,
    event: e.kind,
    crisisId: crisis.id,
    alertType: crisis.type,
    severity: crisis.severity,
    status: crisis.status,
    crisisScore: crisis.crisisScore,
    title: crisis.title,
    summary: crisis.summary,
    explanation: JSON.parse(JSON.stringify(crisis.explanation)),
    openedAt: crisis.openedAt.toISOString(),
    at: at.toISOString(),
  };
  if (e.previousType !== undefined) data.previousType = e.previousType;
  if (e.previousSeverity !== undefined) data.previousSeverity = e.previousSeverity;
  return { kind: e.kind, crisis, eventId: data.eventId, at, streamType: STREAM_TYPE[crisis.type], priority: PRIORITY[crisis.severity], data };
}

/** The detector of a campaign, resumed from its state; a state or config it cannot use is replaced (and logged). */
function resume(campaignId: string, record: store.DetectorRecord): CrisisDetector {
  let config: DetectorConfigInput = { campaignId, thresholds: record.thresholds ?? undefined, competitors: record.competitors };
  const make = () => (record.state ? CrisisDetector.fromJSON(config, record.state) : new CrisisDetector(config));
  try {
    return make();
  } catch (err) {
    if (err instanceof DetectorConfigError) {
      log.warn("a campaign's alert thresholds are unusable by the detector: using the defaults", { campaignId, error: err.message });
      config = { campaignId, competitors: record.competitors };
      try {
        return make();
      } catch (again) {
        if (!(again instanceof DetectorStateError)) throw again;
      }
    } else if (!(err instanceof DetectorStateError)) throw err;
    log.warn("a campaign's detector state cannot be resumed: starting afresh", { campaignId });
    return new CrisisDetector(config);
  }
}

/** One run of a campaign's detector over queued jobs, in one transaction; publishes its events after commit. */
async function run(campaignId: string, jobs: DetectorJob[]): Promise<number> {
  const published: StreamingData[] = [];
  let stepCount = 0;
  const tx = await db.begin();
  try {
    const record = await store.lockDetector(tx, campaignId);
    const batchIds = jobs.flatMap((j) => (j.kind === "batch" ? [j.batchId] : []));
    const fresh = await store.markBatchesProcessed(tx, campaignId, batchIds);
    if (fresh.size === 0 && jobs.every((j) => j.kind === "batch")) {
      await tx.rollback();
      return 0; // every batch was a redelivery
    }
    const detector = resume(campaignId, record);
    const events: DetectorEvent[] = [];
    let mentions = 0;
    let latest = 0;
    for (const job of jobs) {
      if (job.kind === "batch") {
        if (!fresh.has(job.batchId)) continue;
        fresh.delete(job.batchId); // the same batch twice in one run counts once
        events.push(...detector.ingest(job.mentions, job.now));
        mentions += job.mentions.length;
      } else events.push(...detector.advanceTo(job.now));
      latest = Math.max(latest, job.now);
    }
    const oldest = Math.min(...jobs.filter((j) => j.kind === "batch").map((j) => j.now));
    if (Number.isFinite(oldest)) detectorLag.set(Math.max(0, (Date.now() - oldest) / 1000));
    const steps = events.map((e) => stepOf(campaignId, e));
    await store.applyCrisisSteps(tx, campaignId, steps);
    stepCount = steps.length;

    const state = detector.toJSON();
    const now = Date.now();
    const snapshotDue = mentions > 0 && (record.lastSnapshotAt === null || now - record.lastSnapshotAt.getTime() >= SNAPSHOT_INTERVAL_MS);
    let snapshotSent = false;
    if (snapshotDue) {
      const open = detector.openAlerts();
      if (open.length > 0) {
        await store.refreshCrises(
          tx,
          open.map((a) => ({ id: a.id, crisisScore: a.crisisScore, summary: a.summary, explanation: explanationOf(a), updatedAt: new Date(a.updatedAt) })),
        );
      }
      const windowStart = new Date(now - SNAPSHOT_WINDOW_MINUTES * 60_000);
      const rolling = await store.sentimentSince(tx, campaignId, windowStart, new Date(now));
      // Batches of old mentions (a backfill) leave the last 15 minutes as they were: nothing to show.
      if (rolling.mentions > 0) {
        const baseline = detector.baseline();
        const snapshot: SentimentSnapshotData = {
          kind: "snapshot",
          mentions: rolling.mentions,
          average: Math.round(rolling.average * 1000) / 1000,
          windowMinutes: SNAPSHOT_WINDOW_MINUTES,
          windowStart: windowStart.toISOString(),
          newMentions: mentions,
          baselineSentiment: Math.round(baseline.sentiment * 1000) / 1000,
          baselineSentimentSd: Math.round(baseline.sentimentSd * 1000) / 1000,
          expectedPerMinute: Math.round(baseline.mentionsPerMinute * 100) / 100,
          openAlerts: state.incidents.length,
          at: new Date(latest).toISOString(),
        };
        published.push({ type: "SENTIMENT", campaignId, timestamp: new Date(now), data: snapshot, priority: "low" });
        snapshotSent = true;
      }
    }
    const watermark = detector.watermark;
    await store.saveDetector(
      tx,
      campaignId,
      JSON.stringify(state),
      watermark === null ? null : new Date(watermark),
      state.incidents.length,
      snapshotSent ? new Date(now) : null,
    );
    await tx.commit();
    const at = new Date();
    published.unshift(
      ...steps.map(
        (s): StreamingData => ({ type: s.streamType as StreamType, campaignId, timestamp: at, data: s.data, priority: s.priority as StreamPriority }),
      ),
    );
  } catch (err) {
    await tx.rollback().catch(() => {});
    throw err;
  }
  // The records are committed: a lost stream message is logged, not retried (alerting reads the records).
  await Promise.all(
    published.map((event) =>
      dataStream.publish(event).catch((err: unknown) =>
        log.error("a detector event could not be published to the data stream", {
          campaignId,
          type: event.type,
          error: err instanceof Error ? err.message : String(err),
        }),
      ),
    ),
  );
  return stepCount;
}

/** A stream mention as the detector takes it. */
export function detectorMention(m: StreamMention): DetectorMention {
  const d: DetectorMention = {
    id: m.id,
    platform: m.platform,
    author: m.author,
    text: m.text,
    url: m.url,
    sentiment: m.sentiment,
    reach: m.reach,
    engagement: m.engagement,
    timestamp: Date.parse(m.timestamp),
  };
  if (m.language !== undefined) d.language = m.language;
  if (m.location !== undefined) d.location = m.location;
  return d;
}
