// integrations' request and response types (the seed's shapes where it has them).

/** A social mention (seed shape). `sentiment` is -1 (negative) … 1 (positive). */
export interface Mention {
  id: string;
  text: string;
  author: string;
  platform: string;
  url: string;
  sentiment: number;
  reach: number;
  engagement: number;
  timestamp: Date;
  location?: string;
  language: string;
}

/** Counts of mentions by sentiment and their mean score. */
export interface SentimentAnalysis {
  positive: number;
  negative: number;
  neutral: number;
  /** Mean sentiment, -1 … 1 (0 without mentions). */
  average: number;
}

/** An author who mentioned the campaign, by reach. */
export interface InfluencerData {
  name: string;
  handle: string;
  platform: string;
  followers: number;
  mentions: number;
  averageSentiment: number;
}

/** Another tracker in the same Mentionlytics account (a competitor), compared by volume and tone. */
export interface CompetitorAnalysis {
  name: string;
  mentions: number;
  sentimentScore: number;
  /** This tracker's share of all mentions in the window, 0 … 1. */
  shareOfVoice: number;
}

/** GET /api/v1/integrations/mentionlytics/:campaignId (seed shape). */
export interface MentionlyticsData {
  mentions: Mention[];
  sentiment: SentimentAnalysis;
  influencers: InfluencerData[];
  competitors: CompetitorAnalysis[];
  totalMentions: number;
  sentimentScore: number;
  reach: number;
}

/** Names a campaign (path parameter). */
export interface CampaignIdParams {
  campaignId: string;
}

/** POST /api/v1/integrations/sms (seed shape). */
export interface SendSmsRequest {
  /** E.164, e.g. +14155550100. */
  to: string;
  message: string;
}

/** The Twilio message sid of an accepted send. */
export interface SendSmsResponse {
  messageId: string;
}

/** One Meta ad campaign with its insights over the window. */
export interface MetaCampaign {
  id: string;
  name: string;
  status: string;
  objective: string;
  dailyBudget: number | null;
  lifetimeBudget: number | null;
  impressions: number;
  clicks: number;
  spend: number;
  reach: number;
  ctr: number;
  cpc: number;
}

/** GET /api/v1/integrations/meta/:campaignId. */
export interface MetaAdsData {
  adAccountId: string;
  apiVersion: string;
  campaigns: MetaCampaign[];
  totals: AdTotals;
}

/** Sums over an ad account's campaigns. */
export interface AdTotals {
  impressions: number;
  clicks: number;
  spend: number;
}

/** One Google Ads campaign with its metrics over the window. */
export interface GoogleCampaign {
  id: string;
  name: string;
  status: string;
  channelType: string;
  impressions: number;
  clicks: number;
  /** In the account's currency (cost_micros / 1e6). */
  cost: number;
  conversions: number;
  ctr: number;
  averageCpc: number;
}

/** GET /api/v1/integrations/google/:campaignId. */
export interface GoogleAdsData {
  customerId: string;
  apiVersion: string;
  campaigns: GoogleCampaign[];
  totals: AdTotals;
}

/** The internal send alerting uses. `idempotencyKey` makes redeliveries send once. */
export interface SendMessageRequest {
  channel: "sms" | "whatsapp";
  /** E.164 (the whatsapp: prefix is added for WhatsApp). */
  to: string;
  body: string;
  idempotencyKey: string;
}

/** The Twilio sid of the message, and whether an earlier call already sent it. */
export interface SendMessageResponse {
  messageId: string;
  status: string;
  duplicate: boolean;
}

/** What one run of the pollers did. */
export interface PollRunResponse {
  /** False when Mentionlytics has no credentials (nothing polled). */
  configured: boolean;
  campaigns: number;
  polled: number;
  delivered: number;
  failures: number;
}
