// analytics' request and response types (the seed's AnalyticsReport and its parts, named and typed).
import type { Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import type { Int } from "../shared/int";

/** How the report is delivered: JSON (default), or JSON plus a stored PDF and its download path. */
export type ReportFormat = "json" | "pdf";

/** POST /api/v1/analytics/reports (the seed's fields, plus format). At most 366 days, end after start. */
export interface ReportRequest {
  campaignId: string & MinLen<1> & MaxLen<64>;
  startDate: Date;
  endDate: Date;
  includeCompetitors?: boolean;
  includeInfluencers?: boolean;
  format?: ReportFormat;
}

/** The period a report covers: [start, end). */
export interface DateRange {
  start: Date;
  end: Date;
}

/** The report's headline figures (the seed's AnalyticsSummary, plus the previous period it compares against). */
export interface AnalyticsSummary {
  totalMentions: number;
  /** Mean sentiment, -1..1. */
  averageSentiment: number;
  totalReach: number;
  /** Engagement per person reached (engagement / reach). */
  engagementRate: number;
  /** Crises (any alert type) opened during the period. */
  crisisEvents: number;
  /** The tracked keywords mentioned most. */
  topKeywords: string[];
  /** Percent change of totalMentions against the previous period of equal length (0 when it had none). */
  growthRate: number;
  previousPeriodMentions: number;
  positiveMentions: number;
  neutralMentions: number;
  negativeMentions: number;
  totalEngagement: number;
}

/** Mention volume in one bucket (an hour or a UTC day). */
export interface TrendData {
  date: Date;
  mentions: number;
  reach: number;
  engagement: number;
}

/** Sentiment in one bucket. */
export interface SentimentTrend {
  date: Date;
  averageSentiment: number;
  positive: number;
  neutral: number;
  negative: number;
}

/** A competitor's figures over the period; share of voice among the campaign and its competitors. */
export interface CompetitorMetrics {
  competitor: string;
  mentions: number;
  /** Fraction (0..1) of the voices: the campaign's mentions plus every competitor's. */
  shareOfVoice: number;
  averageSentiment: number;
  reach: number;
  engagement: number;
  positive: number;
  negative: number;
}

/** An author's influential mentions over the period. */
export interface InfluencerMetrics {
  author: string;
  platform: string;
  mentions: number;
  reach: number;
  engagement: number;
  averageSentiment: number;
}

/** A platform's figures over the period. */
export interface PlatformData {
  platform: string;
  mentions: number;
  /** Fraction (0..1) of all mentions. */
  share: number;
  averageSentiment: number;
  reach: number;
  engagement: number;
}

/** A tracked keyword's figures over the period. */
export interface KeywordMetrics {
  keyword: string;
  mentions: number;
  averageSentiment: number;
  reach: number;
}

/** One of the period's most-read mentions. */
export interface TopMention {
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

/** What a recommendation is about. */
export type RecommendationFigure =
  | "totalMentions"
  | "averageSentiment"
  | "negativeShare"
  | "growthRate"
  | "engagementRate"
  | "crisisEvents"
  | "platformShare"
  | "platformSentiment"
  | "sentimentTrend"
  | "shareOfVoice"
  | "keywordSentiment";

/** A recommendation and the figure that triggered it. */
export interface Recommendation {
  /** The rule's id. */
  rule: string;
  priority: "high" | "medium" | "low";
  figure: RecommendationFigure;
  /** What the figure is about, when it is per platform, competitor or keyword. */
  subject?: string;
  value: number;
  threshold: number;
  message: string;
}

/** The seed's AnalyticsReport, plus what the PDF and its readers need. */
export interface AnalyticsReport {
  campaignId: string;
  campaignName: string;
  dateRange: DateRange;
  /** "hour" for periods up to three days, else "day" (UTC). */
  granularity: "hour" | "day";
  summary: AnalyticsSummary;
  mentionTrends: TrendData[];
  sentimentAnalysis: SentimentTrend[];
  competitorComparison: CompetitorMetrics[];
  influencerPerformance: InfluencerMetrics[];
  platformBreakdown: PlatformData[];
  keywordPerformance: KeywordMetrics[];
  topMentions: TopMention[];
  /** The recommendations' messages (the seed's string[]); details below. */
  recommendations: string[];
  recommendationDetails: Recommendation[];
  generatedAt: Date;
  /** Set for format "pdf": the stored report and where to download it. */
  reportId?: string;
  downloadPath?: string;
}

/** GET /api/v1/analytics/summary and /sentiment: one campaign, or every campaign the caller may see; a window of days ending today (UTC). */
export interface WindowRequest {
  campaignId?: string & MaxLen<64>;
  /** Default 7. */
  days?: Int & Min<1> & Max<366>;
}

/** One campaign's figures over the window. */
export interface CampaignSummary {
  campaignId: string;
  totalMentions: number;
  averageSentiment: number;
  totalReach: number;
  engagementRate: number;
  crisisEvents: number;
  topKeywords: string[];
  /** Percent change against the window before. */
  growthRate: number;
  previousPeriodMentions: number;
}

/** The summary of the window for each campaign, and over all of them. */
export interface WindowSummary {
  start: Date;
  end: Date;
  days: number;
  campaigns: CampaignSummary[];
  totals: CampaignSummary;
}

/** One UTC day's sentiment. */
export interface DailySentiment {
  date: string;
  mentions: number;
  averageSentiment: number;
  positive: number;
  neutral: number;
  negative: number;
}

/** One platform's sentiment over the window. */
export interface PlatformSentiment {
  platform: string;
  mentions: number;
  averageSentiment: number;
}

/** One campaign's sentiment over the window. */
export interface CampaignSentiment {
  campaignId: string;
  mentions: number;
  averageSentiment: number;
  positive: number;
  neutral: number;
  negative: number;
  daily: DailySentiment[];
  byPlatform: PlatformSentiment[];
}

/** Sentiment of the window for each campaign. */
export interface WindowSentiment {
  start: Date;
  end: Date;
  days: number;
  campaigns: CampaignSentiment[];
}

/** GET /api/v1/analytics/summary (the seed's `{summary}`). */
export interface SummaryResponse {
  summary: WindowSummary;
}

/** GET /api/v1/analytics/sentiment (the seed's `{sentiment}`). */
export interface SentimentResponse {
  sentiment: WindowSentiment;
}

/** POST /api/v1/analytics/aggregation/backfill: re-finalise the days from startDate to endDate (inclusive, UTC, YYYY-MM-DD). */
export interface BackfillRequest {
  startDate: string & MinLen<10> & MaxLen<10>;
  endDate: string & MinLen<10> & MaxLen<10>;
  /** Only this campaign (default: every active campaign). */
  campaignId?: string & MaxLen<64>;
}

/** What a finalisation run did. */
export interface AggregationResult {
  campaigns: number;
  days: number;
  /** Days whose live figures differed from monitoring's and were corrected. */
  repaired: number;
  /** Campaign-days that could not be finalised (logged); a later run retries them. */
  failed: number;
}

/** What a run of the move job did. */
export interface MoveResult {
  /** Reports whose PDF moved from the row into the bucket. */
  moved: number;
  /** PDFs of purged reports removed from the bucket. */
  removed: number;
}
