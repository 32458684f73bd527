// monitoring's request and response types: the seed's MonitoringConfig, Mention and stream info,
// the reads over stored mentions (sentiment, mentions, trending, trends), crisis records, the live
// stream's messages, the platform status, and the internal ones (pollers, alerting, campaigns'
// insights, cron, analytics' day aggregates, intelligence's reads).
import type { Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import type { ServiceHealth } from "../shared/health";
import type { Int } from "../shared/int";
import type { StreamPriority, StreamType } from "./events";

/** The seed's AlertThresholds (the detector refuses values it cannot work with, as 400). */
export interface AlertThresholds {
  /** Mean sentiment falling by this much on the [-1, 1] scale (-0.3: by 0.3 points). */
  sentimentDrop: number & Min<-2> & Max<2>;
  /** Mentions per minute reaching this multiple of the baseline (5: five times the usual). */
  mentionSpike: number & Min<1> & Max<1000>;
  /** Combined crisis score in (0, 1] at which a CRISIS is declared. */
  crisisScore: number & Min<0> & Max<1>;
  /** Engagement per mention falling by this fraction (-0.5: to half). */
  engagementDrop: number & Min<-1> & Max<1>;
}

/** POST /api/v1/monitoring/config (seed shape): what to monitor for a campaign, and when to alert. */
export interface MonitoringConfig {
  campaignId: string;
  keywords: (string & MinLen<1> & MaxLen<255>)[] & MaxLen<200>;
  competitors: (string & MinLen<1> & MaxLen<255>)[] & MaxLen<50>;
  influencers: (string & MinLen<1> & MaxLen<255>)[] & MaxLen<200>;
  platforms: (string & MinLen<1> & MaxLen<100>)[] & MaxLen<20>;
  alertThresholds: AlertThresholds;
  /** How often pollers fetch, in seconds (10 s to 1 day). */
  refreshInterval: Int & Min<10> & Max<86400>;
}

/** The id of a campaign's monitoring configuration (the same id when a config is replaced). */
export interface ConfigIdResponse {
  configId: string;
}

/** Names a campaign in the query string (campaign-scoped reads). */
export interface CampaignQuery {
  campaignId: string;
}

/** A campaign's monitoring configuration as stored. */
export interface StoredMonitoringConfig {
  configId: string;
  campaignId: string;
  keywords: string[];
  competitors: string[];
  influencers: string[];
  platforms: string[];
  alertThresholds: AlertThresholds;
  refreshInterval: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Every campaign's monitoring configuration (for pollers). */
export interface MonitoringConfigsResponse {
  configs: StoredMonitoringConfig[];
}

/**
 * One mention from a source (the seed's Mention). `id` is the source's id: a campaign stores a
 * (platform, id) once. `sentiment` may be left out: our analyzer scores the text then (and, under
 * the "combine" policy, even when it is given: monitoring/README.md "Sentiment").
 */
export interface Mention {
  id: string & MinLen<1> & MaxLen<255>;
  text: string & MinLen<1> & MaxLen<5000>;
  author: string & MaxLen<255>;
  platform: string & MinLen<1> & MaxLen<100>;
  /** The mention's address (http or https), or "". */
  url: string & MaxLen<2048>;
  sentiment?: number & Min<-1> & Max<1>;
  reach: number & Min<0>;
  engagement: number & Min<0>;
  timestamp: Date;
  location?: string & MaxLen<255>;
  language?: string & MaxLen<10>;
}

/**
 * How a sentiment the source supplied is used: "combine" (our analyzer decides the class; the
 * source's score, when it agrees, is averaged in) or "source" (kept as given; ours only where the
 * source gave none).
 */
export type SentimentPolicy = "combine" | "source";

/** POST /api/v1/monitoring/ingest: up to 1000 mentions of one campaign. */
export interface IngestRequest {
  campaignId: string;
  mentions: Mention[] & MinLen<1> & MaxLen<1000>;
  /** Default: "source" on the public endpoint (the caller asserts its scores), "combine" for the feeds monitoring polls and the demo. */
  sentimentPolicy?: SentimentPolicy;
}

/** What an ingest stored: new mentions, and those already stored (or repeated in the batch). */
export interface IngestResponse {
  accepted: number;
  duplicates: number;
}

/** Names a campaign in the path. */
export interface CampaignPath {
  campaignId: string;
}

/** Where and how to connect to a campaign's live stream (seed shape, plus replay bounds). */
export interface StreamInfo {
  streamEndpoint: string;
  /** Milliseconds between heartbeats. */
  heartbeatInterval: number;
  /** How far back `?since=` replays, in minutes, and at most how many mentions. */
  replayWindowMinutes: number;
  replayMaxMentions: number;
}

/** The live stream's handshake: the campaign, and optionally the last moment the client saw. */
export interface StreamHandshake {
  campaignId: string;
  /** Replays what happened after this time (bounded: see StreamInfo) before going live. */
  since?: Date;
}

/** What the live stream carries: the data-stream's messages, and heartbeats. */
export type LiveEventType = StreamType | "HEARTBEAT";

/** One message of the live stream (the seed's StreamingData, or a HEARTBEAT). */
export interface LiveEvent {
  type: LiveEventType;
  campaignId: string;
  timestamp: Date;
  /** MENTION: MentionBatchData; SENTIMENT: SentimentSnapshotData or AlertEventData; CRISIS, ENGAGEMENT, COMPETITOR: AlertEventData; HEARTBEAT: HeartbeatData (events.ts). */
  data: unknown;
  priority: StreamPriority;
}

/** GET /api/v1/monitoring/sentiment: a campaign's sentiment between two times (default: the last 24 h). */
export interface SentimentRequest {
  /** Narrows the report to one campaign; without it, every campaign the caller may see. */
  campaignId?: string;
  start?: Date;
  end?: Date;
}

/** Sentiment on one platform. */
export interface PlatformSentiment {
  platform: string;
  mentions: number;
  average: number;
}

/** Sentiment in one time bucket. */
export interface SentimentPoint {
  at: Date;
  mentions: number;
  average: number;
}

/** A campaign's sentiment over a period. Positive: above 0.05; negative: below -0.05. */
export interface SentimentReport {
  /** The campaign asked for (absent on a cross-campaign report). */
  campaignId?: string;
  start: Date;
  end: Date;
  mentions: number;
  /** Mean sentiment of the mentions (0 when there are none). */
  average: number;
  /** Mean weighted by reach: what the audience heard. */
  reachWeighted: number;
  positive: number;
  neutral: number;
  negative: number;
  byPlatform: PlatformSentiment[];
  /** Buckets of `bucketMinutes`, oldest first, only those with mentions. */
  timeline: SentimentPoint[];
  bucketMinutes: number;
  /** The split per campaign, busiest first (only campaigns with mentions in the range). */
  byCampaign: CampaignSentiment[];
}

/** One campaign's share of a sentiment report. */
export interface CampaignSentiment {
  campaignId: string;
  mentions: number;
  average: number;
  reachWeighted: number;
  positive: number;
  neutral: number;
  negative: number;
}

/** The sentiment report (seed shape: `{sentiment}`). */
export interface SentimentResponse {
  sentiment: SentimentReport;
}

/**
 * The filters of the mentions list and its CSV export (domain/filters.ts), all combinable. Lists
 * are comma-separated; a value the service does not understand is a 400, never ignored.
 */
export interface MentionFilters {
  /** Only mentions whose text contains this (case-insensitive, literal). */
  keyword?: string & MaxLen<100>;
  /** How far back, in hours (default 24, at most 720); or give start/end instead. */
  hours?: Int & Min<1> & Max<720>;
  /** From this time (default 24 h before end); at most 31 days before end. */
  start?: Date;
  /** Until this time, exclusive (default now). */
  end?: Date;
  /** Platforms, e.g. "news" or "news,twitter". */
  platform?: string & MaxLen<500>;
  /** Sentiment classes (positive above 0.05, negative below -0.05, neutral between), e.g. "negative". */
  sentiment?: string & MaxLen<100>;
  /** A sentiment range, inclusive, in [-1, 1]. */
  minSentiment?: number;
  maxSentiment?: number;
  /** The author's name, exactly (case-insensitive). */
  author?: string & MaxLen<255>;
  /** ISO 639-1 language codes, e.g. "es" or "en,es" (declared by the source, else detected at ingest). */
  language?: string & MaxLen<100>;
}

/** GET /api/v1/monitoring/mentions: a campaign's mentions, newest first, one page at a time. */
export interface MentionsRequest extends MentionFilters {
  /** Narrows the list to one campaign; without it, every campaign the caller may see. */
  campaignId?: string;
  /** Page size (default 50, at most 100). */
  limit?: Int & Min<1> & Max<100>;
  /** The previous page's nextCursor. */
  cursor?: string & MaxLen<200>;
}

/** A stored mention: the seed's Mention (id is the source's) with our id and where its sentiment came from. */
export interface StoredMention {
  mentionId: string;
  /** The campaign the mention was collected for (cross-campaign lists mix campaigns). */
  campaignId: string;
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
  timestamp: Date;
  location?: string;
  /** ISO 639-1: the source's tag reduced to its language, else detected at ingest; absent when it could not be told. */
  language?: string;
  ingestedAt: Date;
}

/** One page of mentions; `total` counts every match in the window; nextCursor is absent on the last page. */
export interface MentionsResponse {
  mentions: StoredMention[];
  total: number;
  nextCursor?: string;
}

/** GET /api/v1/monitoring/trending: the terms rising most against their own baseline. */
export interface TrendingRequest {
  /** Narrows the terms to one campaign; without it, every campaign the caller may see. */
  campaignId?: string;
  /** How many terms (default 10, at most 50). */
  limit?: Int & Min<1> & Max<50>;
  /** The recent window in hours (default 1, at most 24); the baseline is the 24 h before it. */
  hours?: Int & Min<1> & Max<24>;
}

/** A rising term: how often it appeared recently against what its baseline predicted. */
export interface TrendingTerm {
  term: string;
  /** Mentions containing it in the recent window (estimated from a sample when the window is busy). */
  mentions: number;
  /** Mentions its baseline rate predicts for the window. */
  expected: number;
  /** (mentions + 1) / (expected + 1). */
  lift: number;
  /** Significance of the rise (a Poisson z-score); terms are ranked by it. */
  score: number;
  /** Mean sentiment of the recent mentions containing it. */
  sentiment: number;
}

/** The trending terms (seed shape: `{trending}`), with the windows compared. */
export interface TrendingResponse {
  trending: TrendingTerm[];
  windowStart: Date;
  baselineStart: Date;
  end: Date;
}

/** GET /api/v1/monitoring/trends: each platform over the last `hours` against the period before. */
export interface TrendsRequest {
  /** Narrows the trends to one campaign; without it, every campaign the caller may see. */
  campaignId?: string;
  /** Default 24, at most 168. */
  hours?: Int & Min<1> & Max<168>;
}

/** A platform in one time bucket. */
export interface TrendPoint {
  at: Date;
  mentions: number;
  averageSentiment: number;
}

/** A platform's volume and sentiment now and in the period before. */
export interface PlatformTrend {
  platform: string;
  mentions: number;
  previousMentions: number;
  /** Relative change of volume (0.5: +50 %); null when the previous period had none. */
  change: number | null;
  averageSentiment: number;
  previousSentiment: number | null;
  reach: number;
  engagement: number;
  series: TrendPoint[];
}

/** Platform trends (seed shape: `{trends}`), busiest platform first. */
export interface TrendsResponse {
  trends: PlatformTrend[];
  start: Date;
  end: Date;
  bucketMinutes: number;
}

/** GET /api/v1/monitoring/crises: a campaign's crisis records, newest first. */
export interface CrisesRequest {
  campaignId: string;
  status?: CrisisStatus;
  /** Default 20, at most 100. */
  limit?: Int & Min<1> & Max<100>;
}

/** A crisis record's state. */
export type CrisisStatus = "open" | "escalated" | "resolved";

/** The detector's alert types (the seed's). */
export type CrisisType = "CRISIS" | "SENTIMENT" | "MENTION_SPIKE" | "ENGAGEMENT_DROP" | "COMPETITOR";

/** The seed's severities. */
export type CrisisSeverity = "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";

/** One signal that fired, with the numbers that fired it. */
export interface CrisisTrigger {
  kind: string;
  metric: string;
  observed: number;
  baseline: number;
  threshold: number;
  change: number;
  windowMinutes: number;
  mentions: number;
  pValue?: number;
  zScore?: number;
  message: string;
}

/** A platform's share of a crisis. */
export interface CrisisPlatform {
  platform: string;
  mentions: number;
  negativeMentions: number;
  reach: number;
  share: number;
}

/** A distinctive term of a crisis. */
export interface CrisisTerm {
  term: string;
  share: number;
  lift: number;
  mentions: number;
}

/** A mention kept as evidence. */
export interface CrisisMention {
  id: string;
  platform: string;
  author?: string;
  text: string;
  url?: string;
  sentiment: number;
  reach: number;
  engagement: number;
  timestamp: Date;
}

/** Why the detector raised it (the seed's CrisisAlert fields: triggers, affectedPlatforms, estimatedReach, sentimentImpact). */
export interface CrisisExplanation {
  triggers: CrisisTrigger[];
  affectedPlatforms: string[];
  platformBreakdown: CrisisPlatform[];
  mentions: number;
  estimatedReach: number;
  negativeReach: number;
  sentimentImpact: number;
  topTerms: CrisisTerm[];
  topMentions: CrisisMention[];
  recommendedActions: string[];
  competitor?: string;
}

/** A crisis record: the detector's alert, its lifecycle and its hand-off to alerting. */
export interface CrisisRecord {
  id: string;
  campaignId: string;
  type: CrisisType;
  severity: CrisisSeverity;
  status: CrisisStatus;
  crisisScore: number;
  title: string;
  summary: string;
  explanation: CrisisExplanation;
  openedAt: Date;
  updatedAt: Date;
  resolvedAt?: Date;
  /** "pending" until alerting has raised the alert for alertVersion (bumped on each escalation). */
  alertStatus: "pending" | "alerted";
  alertVersion: number;
  alertedVersion?: number;
  alertedAt?: Date;
  alertId?: string;
}

/** Crisis records. */
export interface CrisesResponse {
  crises: CrisisRecord[];
}

/** Where the demo feed is, for a newcomer. */
export interface DemoFeedInfo {
  enabled: boolean;
  /** Why it is off, when it is. */
  reason?: string;
  campaignId?: string;
  streamEndpoint?: string;
}

// --- internal (pollers, alerting, campaigns, cron) ---

/** Pending crises, oldest first (for alerting). */
export interface PendingCrisesRequest {
  /** Default 100, at most 500. */
  limit?: Int & Min<1> & Max<500>;
}

/** alerting has raised the alert of a crisis at `alertVersion` (a later escalation stays pending). */
export interface MarkCrisisAlertedRequest {
  crisisId: string;
  alertVersion: Int & Min<1>;
  /** alerting's alert id. */
  alertId?: string & MaxLen<255>;
}

/** Whether the mark applied, and whether the crisis is still pending (it escalated since). */
export interface MarkCrisisAlertedResponse {
  marked: boolean;
  pending: boolean;
}

/** Mentions of one platform in a summary. */
export interface PlatformCount {
  platform: string;
  mentions: number;
}

/** A crisis in one line. */
export interface CrisisBrief {
  id: string;
  type: CrisisType;
  severity: CrisisSeverity;
  status: CrisisStatus;
  title: string;
  openedAt: Date;
  resolvedAt?: Date;
}

/** A campaign's monitoring in figures, last 24 h against the 24 h before (for campaigns' insights). */
export interface MonitoringSummary {
  campaignId: string;
  /** Whether the campaign has a monitoring configuration. */
  monitored: boolean;
  windowHours: number;
  mentions: number;
  previousMentions: number;
  averageSentiment: number;
  previousSentiment: number | null;
  positive: number;
  neutral: number;
  negative: number;
  reach: number;
  engagement: number;
  topPlatforms: PlatformCount[];
  openCrises: number;
  latestCrisis?: CrisisBrief;
  trendingTerms: string[];
  generatedAt: Date;
}

/** What the detector clock did. */
export interface AdvanceResponse {
  campaigns: number;
  events: number;
}

// --- a day's figures for analytics' nightly finalisation (internal) ---

/** One UTC day of a campaign, with what to count in it (analytics' tracked terms and influencers). */
export interface DayAggregatesRequest {
  campaignId: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
  /** Lower-cased terms: a mention matches when its lower-cased text contains one. */
  terms: string[];
  /** Lower-cased author names that are influencers whatever their reach. */
  influencers: string[];
  /** A mention at least this loud counts toward its author's figures. */
  influencerReach: number;
  /** Sentiment above it is positive, below its negative negative. */
  neutralBand: number;
  /** How many of the day's loudest mentions to return. */
  topLimit: number;
}

/** Counters of a group of mentions; sentiment summed in thousandths. */
export interface DayCounts {
  mentions: number;
  sentimentMilli: number;
  positive: number;
  negative: number;
  reach: number;
  engagement: number;
}

/** One hour and platform of the day. */
export interface DayHourAggregate extends DayCounts {
  hour: Date;
  platform: string;
}

/** One term's mentions of the day. */
export interface DayTermAggregate extends DayCounts {
  term: string;
}

/** One author's influential mentions of the day. */
export interface DayAuthorAggregate {
  author: string;
  platform: string;
  mentions: number;
  sentimentMilli: number;
  reach: number;
  engagement: number;
}

/** One of the day's loudest mentions. */
export interface DayTopMention {
  mentionId: string;
  platform: string;
  author: string;
  text: string;
  url: string;
  sentiment: number;
  reach: number;
  engagement: number;
  timestamp: Date;
}

/** A crisis opened that day. */
export interface DayCrisis {
  id: string;
  type: string;
  severity: string;
  openedAt: Date;
}

/** A campaign's day as monitoring's own tables have it. */
export interface DayAggregates {
  campaignId: string;
  date: string;
  hours: DayHourAggregate[];
  terms: DayTermAggregate[];
  authors: DayAuthorAggregate[];
  top: DayTopMention[];
  /** The ingest batches the day's mentions came in. */
  batchIds: string[];
  crises: DayCrisis[];
}

/** GET /api/v1/status: the platform's health, service by service. */
export interface StatusResponse {
  status: "healthy" | "degraded";
  services: ServiceHealth[];
  checkedAt: Date;
}

// --- the reads intelligence makes through internal.ts (threat assessment, competitor view, the assistant's tools) ---

/** A campaign's mentions over the last `hours`, newest first, optionally only those containing `keyword`. */
export interface ServiceMentionsRequest {
  campaignId: string;
  hours: Int & Min<1> & Max<720>;
  keyword?: string & MaxLen<255>;
  /** Default 500, at most 2000. */
  limit?: Int & Min<1> & Max<2000>;
  /** Ending this many hours ago instead of now (the previous window). */
  offsetHours?: Int & Min<0> & Max<720>;
}

/** Up to `limit` mentions of the window, and how many the window holds in all. */
export interface ServiceMentionsResponse {
  mentions: StoredMention[];
  total: number;
}

/** One platform's totals over a window. */
export interface PlatformTotals {
  platform: string;
  mentions: number;
  average: number;
  reach: number;
  engagement: number;
  positive: number;
  negative: number;
}

/** Per-platform totals over [start, end). */
export interface ServiceTotalsRequest {
  campaignId: string;
  start: Date;
  end: Date;
}

/** Per-platform totals (busiest first). */
export interface ServiceTotalsResponse {
  platforms: PlatformTotals[];
}

/** A campaign's sentiment between two times (default: the last 24 h). */
export interface ServiceSentimentRequest {
  campaignId: string;
  start?: Date;
  end?: Date;
}

/** A campaign's crisis records, optionally only unresolved ones. */
export interface ServiceCrisesRequest {
  campaignId: string;
  openOnly?: boolean;
}
