// The crisis detector's vocabulary: what goes in (mentions, configuration), what comes out (alerts
// and their lifecycle events) and the serialisable state it keeps per campaign. Pure types.
import type { AlertType, Severity } from "../../shared/alert-types";

/** One mention as the detector sees it: the seed's `Mention`, which the service maps its rows to. */
export interface DetectorMention {
  /** The source's id (the service has already de-duplicated). */
  id: string;
  platform: string;
  author?: string;
  /** Optional author influence score in [0, 1] (shown with top mentions, breaks reach ties). */
  authorInfluence?: number;
  /** The mention's text (the seed's `text`). */
  text: string;
  url?: string;
  /** Sentiment score in [-1, 1] (clamped if outside). */
  sentiment: number;
  /** Estimated audience of the mention (followers, circulation...). */
  reach: number;
  /** Likes + shares + comments so far. */
  engagement: number;
  /** When it was said: the detector runs on this event time. Date, or epoch milliseconds. */
  timestamp: Date | number;
  language?: string;
  location?: string;
}

/** The seed's `MonitoringConfig.alertThresholds`. */
export interface AlertThresholds {
  /** Mean sentiment falling by this much on the [-1, 1] scale (−0.3: by 0.3 points). */
  sentimentDrop: number;
  /** Mentions per minute reaching this multiple of the baseline (5: five times the usual volume). */
  mentionSpike: number;
  /** Combined crisis score in [0, 1] at which a CRISIS is declared. */
  crisisScore: number;
  /** Typical engagement per mention falling by this fraction (−0.5: to half the usual). */
  engagementDrop: number;
}

/** The seed's default thresholds. */
export const DEFAULT_THRESHOLDS: AlertThresholds = { sentimentDrop: -0.3, mentionSpike: 5, crisisScore: 0.8, engagementDrop: -0.5 };

/** What a brand-new campaign's baselines start from. */
export interface DetectorPrior {
  /** Prior mentions per minute. */
  mentionsPerMinute: number;
  /** How many minutes of observation the prior is worth (small: it is washed out within minutes). */
  weightMinutes: number;
  /** Prior mean sentiment. */
  sentiment: number;
  /** How many mentions the sentiment prior is worth. */
  sentimentWeight: number;
}

/** The detector's tunables; every field has a documented default (see DEFAULT_OPTIONS). */
export interface DetectorOptions {
  /** Mentions older than this (against the caller's clock) update baselines but never open an alert. */
  horizonMinutes: number;
  /** Volume windows tested, in whole minutes (plus the current partial minute). */
  volumeWindowsMinutes: number[];
  /** Significance level of the volume test (negative-binomial upper tail), per window. */
  significance: number;
  /** Sentiment and engagement tests require |z| at least this. */
  minZ: number;
  /** The sentiment window: the newest whole minutes holding at least this many mentions... */
  sentimentWindowMentions: number;
  /** ...but at least this many within `maxWindowMinutes`, or no sentiment verdict at all. */
  sentimentMinMentions: number;
  /** The engagement window, likewise (engagement per mention is heavy-tailed: it needs more). */
  engagementWindowMentions: number;
  engagementMinMentions: number;
  /** Longest window any signal looks back over. */
  maxWindowMinutes: number;
  /** Half-life of the deseasonalised volume level. */
  levelHalfLifeMinutes: number;
  /** Half-life of the sentiment and engagement baselines. */
  momentsHalfLifeMinutes: number;
  /** Hour-of-day profile: per-day learning rate once the profile has a few days behind it. */
  seasonLearningRate: number;
  /** Shift of the campaign's local day against UTC, for the hour-of-day profile (e.g. 330 for India). */
  utcOffsetMinutes: number;
  /** Robust updates: a minute's value is clipped to baseline ± this many standard deviations. */
  clipSigma: number;
  /** Floor on the volume forecast's relative uncertainty, as a Gamma shape (400 → at least 5 %). */
  maxForecastShape: number;
  /** An open alert resolves after this many minutes of calm. */
  resolveAfterMinutes: number;
  /** Alerts other than CRISIS wait until the campaign has this much history. */
  warmupMinutes: number;
  warmupMentions: number;
  prior: DetectorPrior;
  /** How many top terms and top mentions an alert carries. */
  topTerms: number;
  topMentions: number;
}

/** Everything the detector needs to know about a campaign. */
export interface DetectorConfig {
  campaignId: string;
  thresholds: AlertThresholds;
  /** Competitor names (the seed's `MonitoringConfig.competitors`): their mention volume is watched too. */
  competitors: string[];
  options: DetectorOptions;
}

/** What callers pass: everything but the campaign id is optional. */
export interface DetectorConfigInput {
  campaignId: string;
  thresholds?: Partial<AlertThresholds>;
  competitors?: string[];
  options?: Partial<Omit<DetectorOptions, "prior">> & { prior?: Partial<DetectorPrior> };
}

/** The seed's alert types and severities (shared with alerting). */
export type { AlertType, Severity };

/** Which signal fired. */
export type TriggerKind = "MENTION_SPIKE" | "SENTIMENT_DROP" | "ENGAGEMENT_DROP" | "CRISIS_SCORE" | "COMPETITOR_SPIKE";

/** One fired signal, with the numbers that fired it. */
export interface Trigger {
  kind: TriggerKind;
  /** What was measured, in words. */
  metric: string;
  /** The measured value (mentions/min, mean sentiment, typical engagement, score). */
  observed: number;
  /** The baseline it is compared with, in the same unit. */
  baseline: number;
  /** The configured threshold, in the threshold's own unit (×, Δ sentiment, relative change, score). */
  threshold: number;
  /** The observed change in the threshold's unit: ratio for spikes, difference for sentiment, relative change for engagement. */
  change: number;
  /** Length of the window measured (minutes, fractional when it includes the current minute). */
  windowMinutes: number;
  /** Mentions in the window. */
  mentions: number;
  /** Significance: the tail probability (spikes) or z-score (sentiment, engagement); absent for the score. */
  pValue?: number;
  zScore?: number;
  /** The same in one sentence. */
  message: string;
  /** When this trigger first fired in this alert (ms since epoch). */
  firstAt: number;
}

/** A platform's share of an alert. */
export interface PlatformImpact {
  platform: string;
  mentions: number;
  negativeMentions: number;
  reach: number;
  /** Share of the alert's mentions. */
  share: number;
}

/** A distinctive term of an alert's mentions. */
export interface TermStat {
  term: string;
  /** Share of the alert's (sampled) mentions containing it. */
  share: number;
  /** How much more frequent than in the campaign's usual conversation. */
  lift: number;
  /** Estimated mentions containing it. */
  mentions: number;
}

/** A mention kept as evidence. */
export interface MentionDigest {
  id: string;
  platform: string;
  author?: string;
  authorInfluence?: number;
  text: string;
  url?: string;
  sentiment: number;
  reach: number;
  engagement: number;
  timestamp: number;
  /** Competitors it names (when competitors are configured). */
  competitors?: string[];
}

/** A mention kept in the detector's state: the digest and its sampling hash. */
export interface SampledMention extends MentionDigest {
  /** FNV-1a hash of the id: the minute keeps the mentions with the smallest hashes (a uniform sample). */
  h: number;
}

/** An alert: open, or resolved. Dates are epoch milliseconds (the state is plain JSON). */
export interface Alert {
  /** Deterministic: the same replay gives the same id (the service can upsert on it). */
  id: string;
  campaignId: string;
  type: AlertType;
  severity: Severity;
  status: "open" | "resolved";
  /** The competitor concerned (COMPETITOR alerts). */
  competitor?: string;
  openedAt: number;
  updatedAt: number;
  resolvedAt?: number;
  /** Highest crisis score seen while open. */
  crisisScore: number;
  triggers: Trigger[];
  /** Platforms carrying the alert's mentions, busiest first (the seed's `affectedPlatforms`). */
  affectedPlatforms: string[];
  platformBreakdown: PlatformImpact[];
  /** Mentions since the onset. */
  mentions: number;
  /** Sum of the reach of those mentions (an upper bound on the audience). */
  estimatedReach: number;
  /** Reach of the negative ones. */
  negativeReach: number;
  /** Mean sentiment of the alert's window minus the baseline (negative: worse than usual). */
  sentimentImpact: number;
  topTerms: TermStat[];
  topMentions: MentionDigest[];
  recommendedActions: string[];
  /** One line a human can read. */
  title: string;
  summary: string;
}

/** What happened to an alert at a step. */
export interface DetectorEvent {
  kind: "opened" | "escalated" | "resolved";
  /** Event time of the step that produced it (ms). */
  at: number;
  alert: Alert;
  /** For escalations: what it was before. */
  previousType?: AlertType;
  previousSeverity?: Severity;
}

/** A snapshot of a campaign's baselines (for dashboards and the service's status). */
export interface BaselineSnapshot {
  /** Expected mentions per minute at the given time (seasonal). */
  mentionsPerMinute: number;
  /** The deseasonalised level and the hour-of-day factor. */
  level: number;
  hourFactor: number;
  sentiment: number;
  sentimentSd: number;
  /** Typical (geometric-mean) engagement per mention. */
  engagement: number;
  /** Whether non-crisis alerts are enabled yet. */
  warm: boolean;
}
