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

/**
 * Where the accounts of /integrations/meta|google/:campaignId come from: the campaign's linked
 * accounts of that platform ("linked"), or, with none linked, the configured default account
 * (META_AD_ACCOUNT_ID / GOOGLE_ADS_CUSTOMER_ID: "default").
 */
export type AdAccountSource = "linked" | "default";

/** One Meta ad account's part of GET /api/v1/integrations/meta/:campaignId. */
export interface MetaAccountAdsData {
  /** act_<digits>. */
  adAccountId: string;
  /** As linked to the campaign (absent for the configured default account). */
  name?: string;
  currency?: string;
  campaigns: MetaCampaign[];
  totals: AdTotals;
  /** Why Meta refused this account (e.g. no access with our token any more); its campaigns are then empty. */
  error?: string;
}

/** GET /api/v1/integrations/meta/:campaignId: the campaign's Meta ad accounts, each with its campaigns. */
export interface MetaAdsData {
  /** The first account of `accounts` (the only one unless several are linked). */
  adAccountId: string;
  apiVersion: string;
  /** Every account's campaigns, in the order of `accounts`. */
  campaigns: MetaCampaign[];
  /** Sums over every account (a campaign's linked accounts bill in one currency). */
  totals: AdTotals;
  source: AdAccountSource;
  /** Per account, sorted by id. */
  accounts: MetaAccountAdsData[];
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

/** One Google Ads customer's part of GET /api/v1/integrations/google/:campaignId. */
export interface GoogleCustomerAdsData {
  /** 10 digits, no dashes. */
  customerId: string;
  /** As linked to the campaign (absent for the configured default customer). */
  name?: string;
  currency?: string;
  campaigns: GoogleCampaign[];
  /** `spend` is the campaigns' cost. */
  totals: AdTotals;
  /** Why Google refused this customer (e.g. PERMISSION_DENIED); its campaigns are then empty. */
  error?: string;
}

/** GET /api/v1/integrations/google/:campaignId: the campaign's Google Ads customers, each with its campaigns. */
export interface GoogleAdsData {
  /** The first customer of `accounts` (the only one unless several are linked). */
  customerId: string;
  apiVersion: string;
  /** Every customer's campaigns, in the order of `accounts`. */
  campaigns: GoogleCampaign[];
  /** Sums over every customer (`spend` is cost). */
  totals: AdTotals;
  source: AdAccountSource;
  /** Per customer, sorted by id. */
  accounts: GoogleCustomerAdsData[];
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
  /** The Meta and Google Ads pollers' part of the run. */
  ads: AdPollStats;
}

/** What the ad pollers did in one run. */
export interface AdPollStats {
  /** Platforms with credentials (polled). */
  platforms: AdPlatform[];
  /** Accounts fetched (due, leased), days delivered, fetches failed. */
  polled: number;
  days: number;
  failures: number;
}

// --- ad figures for campaigns' metrics (pollers, links, /campaigns/meta and /campaigns/google) ---

/** The ad platforms whose figures feed campaign metrics. */
export type AdPlatform = "meta" | "google";

/** One account's figures for one day (the account's time zone). Spend in the account's currency. */
export interface AdDay {
  /** YYYY-MM-DD. */
  date: string;
  impressions: number;
  clicks: number;
  conversions: number;
  spend: number;
}

/** An ad account to check before campaigns links it. */
export interface CheckAdAccountRequest {
  platform: AdPlatform;
  /** Meta: act_<digits> or <digits>; Google: the customer id, with or without dashes. */
  accountId: string;
}

/** What the provider says about the account: reachable with the configured credentials, or why not. */
export interface CheckAdAccountResponse {
  reachable: boolean;
  /** The canonical id (act_<digits>, or 10 digits for Google). */
  accountId: string;
  name: string;
  currency: string;
  /** Why the account is not reachable (the provider's words). */
  reason?: string;
}

/** A campaign's linked accounts on one platform, as campaigns knows them. */
export interface AdAccountRef {
  platform: AdPlatform;
  accountId: string;
}

/** A campaign whose ad figures are polled: its dates and linked accounts. */
export interface AdPollCampaign {
  id: string;
  startDate: Date;
  endDate: Date;
  accounts: AdAccountRef[];
}

/** Refreshes one campaign's ad figures now (campaigns' on-demand refresh). */
export interface RefreshAdsRequest {
  campaign: AdPollCampaign;
}

/** How fetching one account went. */
export interface AdSyncResult {
  platform: AdPlatform;
  accountId: string;
  ok: boolean;
  /** Days delivered to campaigns. */
  days: number;
  /** The provider's failure, when not ok. */
  error?: string;
  /** False when another process held the lease (it is fetching the same figures now). */
  polled: boolean;
}

/** What a refresh did, per account. */
export interface RefreshAdsResponse {
  results: AdSyncResult[];
}

/** GET …/campaigns/meta through integrations: the ad campaigns of these accounts. */
export interface AdAccountsRequest {
  accountIds: string[];
}

/** One Meta ad campaign of a linked account, with its last-30-days insights. */
export interface MetaAccountCampaign extends MetaCampaign {
  adAccountId: string;
}

/** The Meta ad campaigns of the accounts asked for. */
export interface MetaAccountCampaigns {
  campaigns: MetaAccountCampaign[];
}

/** One Google Ads campaign of a linked customer, with its last-30-days metrics. */
export interface GoogleAccountCampaign extends GoogleCampaign {
  customerId: string;
}

/** The Google Ads campaigns of the customers asked for. */
export interface GoogleAccountCampaigns {
  campaigns: GoogleAccountCampaign[];
}
