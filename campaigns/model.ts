// campaigns' request and response types: the seed's shapes (Campaign, TargetAudience, CampaignMetrics,
// CreateCampaignRequest) plus keywords, alert contacts and members; public and internal.
import type { Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import type { Int } from "../shared/int";
import type { MemberRole } from "../shared/access";
import type { CampaignMetrics, CampaignStatus } from "./domain/campaign";
import type { ContactChannel, Severity } from "./domain/contacts";
import type { AdPlatform as AdsPlatform, BudgetPacing, DailyFigures, MetricsDetail, PlatformFigures } from "./domain/metrics";

export type { AdsPlatform, BudgetPacing, CampaignMetrics, CampaignStatus, ContactChannel, DailyFigures, MemberRole, MetricsDetail, PlatformFigures, Severity };

/** An age range in whole years (seed: Demographics.ageRange). */
export interface AgeRange {
  min: number & Min<13> & Max<120>;
  max: number & Min<13> & Max<120>;
}

/** Who a campaign speaks to, by person (seed shape). */
export interface Demographics {
  ageRange: AgeRange;
  gender: ("male" | "female" | "all")[] & MaxLen<3>;
  income: string & MaxLen<100>;
  education: string & MaxLen<100>;
}

/** The platforms a campaign runs on (seed shape). */
export type AdPlatform = "facebook" | "instagram" | "twitter" | "tiktok" | "google";

/** Who a campaign targets and where (seed shape). */
export interface TargetAudience {
  demographics: Demographics;
  interests: (string & MaxLen<100>)[] & MaxLen<100>;
  locations: (string & MaxLen<200>)[] & MaxLen<200>;
  platforms: AdPlatform[] & MaxLen<5>;
}

/** A campaign (seed shape). metrics are zeros until analytics fills them. */
export interface Campaign {
  id: string;
  name: string;
  description: string;
  status: CampaignStatus;
  startDate: Date;
  endDate: Date;
  budget: number;
  targetAudience: TargetAudience;
  /** IANA time zone ("America/New_York"; default UTC): the campaign's "today", daily rollups, reports and its contacts' quiet hours. */
  timeZone: string;
  metrics: CampaignMetrics;
  /**
   * Each figure of `metrics` with when it was last updated, its sources, whether it is stale, and
   * why it is absent (where `metrics` reads 0). Absent until the metrics are first computed.
   */
  metricsDetail?: MetricsDetail;
  createdAt: Date;
  updatedAt: Date;
}

/** POST /api/v1/campaigns (seed shape): a new draft campaign; endDate must be after startDate. */
export interface CreateCampaignRequest {
  name: string & MinLen<3> & MaxLen<100>;
  description: string & MaxLen<1000>;
  startDate: Date;
  endDate: Date;
  budget: number & Min<100> & Max<1000000>;
  targetAudience: TargetAudience;
  /** IANA time zone; default UTC. */
  timeZone?: string & MaxLen<64>;
}

/** GET /api/v1/campaigns: one page of the campaigns the caller sees, newest first. */
export interface GetCampaignsRequest {
  /** 1-based; default 1. */
  page?: Int & Min<1>;
  /** 1 to 100; default 20. */
  limit?: Int & Min<1> & Max<100>;
  status?: CampaignStatus;
}

/** A page of campaigns and how many there are in all (seed shape). */
export interface GetCampaignsResponse {
  campaigns: Campaign[];
  total: number;
  page: number;
  limit: number;
}

/** Names a campaign. */
export interface CampaignIdRequest {
  id: string;
}

/** PUT /api/v1/campaigns/:id: a partial update; a status change must be an allowed transition. */
export interface UpdateCampaignRequest {
  id: string;
  name?: string & MinLen<3> & MaxLen<100>;
  description?: string & MaxLen<1000>;
  startDate?: Date;
  endDate?: Date;
  budget?: number & Min<100> & Max<1000000>;
  targetAudience?: TargetAudience;
  /** IANA time zone. */
  timeZone?: string & MaxLen<64>;
  /** draft→active, active→paused, paused→active, active|paused→completed. */
  status?: CampaignStatus;
}

/** A keyword monitoring listens for, with its weight (seed: campaign_keywords). */
export interface CampaignKeyword {
  id: string;
  keyword: string;
  weight: number;
  createdAt: Date;
}

/** A keyword to add; weight 0.01 to 9.99, default 1. */
export interface KeywordInput {
  keyword: string & MinLen<1> & MaxLen<255>;
  weight?: number & Min<0.01> & Max<9.99>;
}

/** POST /api/v1/campaigns/:id/keywords: keywords to add (an existing keyword gets the new weight). */
export interface AddKeywordsRequest {
  id: string;
  keywords: KeywordInput[] & MinLen<1> & MaxLen<200>;
}

/** A campaign's keywords, alphabetical. */
export interface KeywordsResponse {
  keywords: CampaignKeyword[];
}

/** DELETE /api/v1/campaigns/:id/keywords/:keywordId. */
export interface KeywordIdRequest {
  id: string;
  keywordId: string;
}

/** Someone (or a room) alerting reaches for a campaign. */
export interface AlertContact {
  id: string;
  campaignId: string;
  name: string;
  channel: ContactChannel;
  /** E.164 phone (SMS, WHATSAPP), email address (EMAIL), or Slack channel "#name" / id (SLACK). */
  address: string;
  /** Alerts of this severity and above reach the contact. */
  minSeverity: Severity;
  /** Local "HH:MM" to "HH:MM" (overnight when end is earlier) in which only CRITICAL alerts reach them at once; others wait for the end. None unless set. */
  quietHours?: QuietHours;
  /** Their IANA time zone for quiet hours; absent: the campaign's. */
  timeZone?: string;
  /** Alerts below HIGH come as one digest message (hourly) instead of one message each. */
  digest: boolean;
  createdAt: Date;
}

/** Quiet hours on a 24-hour clock, in the contact's time zone. */
export interface QuietHours {
  start: string & MinLen<5> & MaxLen<5>;
  end: string & MinLen<5> & MaxLen<5>;
}

/** POST /api/v1/campaigns/:id/contacts: a new alert contact (the address is checked against the channel). */
export interface AddContactRequest {
  id: string;
  name: string & MinLen<1> & MaxLen<255>;
  channel: ContactChannel;
  address: string & MinLen<1> & MaxLen<320>;
  /** Default HIGH. */
  minSeverity?: Severity;
  quietHours?: QuietHours;
  /** IANA time zone of the quiet hours; default the campaign's. */
  timeZone?: string & MaxLen<64>;
  /** Alerts below HIGH as an hourly digest; default false. */
  digest?: boolean;
}

/** A campaign's alert contacts. */
export interface ContactsResponse {
  contacts: AlertContact[];
}

/** DELETE /api/v1/campaigns/:id/contacts/:contactId. */
export interface ContactIdRequest {
  id: string;
  contactId: string;
}

/** A user on a campaign's team. */
export interface CampaignMember {
  userId: string;
  role: MemberRole;
  /** Who added them (the creator adds themself). */
  addedBy: string;
  addedAt: Date;
}

/** A campaign's team. */
export interface MembersResponse {
  members: CampaignMember[];
}

/** POST /api/v1/campaigns/:id/members: add a user to the team, or change a member's role. */
export interface AddMemberRequest {
  id: string;
  userId: string & MinLen<1> & MaxLen<100>;
  /** Default member. A manager must have the manager or admin role. */
  role?: MemberRole;
}

/** DELETE /api/v1/campaigns/:id/members/:userId. */
export interface MemberIdRequest {
  id: string;
  userId: string;
}

/** The result of a removal. */
export interface SuccessResponse {
  success: boolean;
}

// --- internal (other services, pollers, cron) ---

/** A user's standing with a campaign. */
export interface CampaignAccessRequest {
  campaignId: string;
  userID: string;
}

/** What shared/access.ts needs to decide: does the campaign exist, is the user a member and as what. */
export interface CampaignAccessResponse {
  exists: boolean;
  memberRole: MemberRole | null;
}

/** A user's memberships. */
export interface UserCampaignsRequest {
  userID: string;
}

/** The ids of the campaigns a user is a member of (admins see every campaign regardless). */
export interface UserCampaignsResponse {
  campaignIds: string[];
}

/** A campaign being monitored, with what to listen for. */
export interface ActiveCampaign {
  id: string;
  name: string;
  startDate: Date;
  endDate: Date;
  keywords: CampaignKeyword[];
}

/** Every active campaign (for pollers and cron jobs). */
export interface ActiveCampaignsResponse {
  campaigns: ActiveCampaign[];
}

/** Names a campaign (internal). */
export interface CampaignRef {
  campaignId: string;
}

/** A campaign's alert contacts for alerting, with the campaign's name (alerts name the campaign, never its id). */
export interface AlertAudienceResponse extends ContactsResponse {
  campaignName: string;
  /** The campaign's time zone (its contacts' quiet hours default to it). */
  timeZone: string;
}

/** A campaign's alert contacts, optionally only those an alert of `severity` reaches. */
export interface AlertContactsRequest {
  campaignId: string;
  severity?: Severity;
}

/** A campaign a service creates (monitoring's demo feed): the seed's request, its creator, active at once or draft. */
export interface ServiceCampaignRequest {
  campaign: CreateCampaignRequest;
  /** The actor recorded as creator and campaign manager (a service name such as "system:demo-feed"). */
  createdBy: string & MinLen<1> & MaxLen<100>;
  activate?: boolean;
}

// --- insights (GET /api/v1/campaigns/insights), from monitoring's summary ---

/** GET /api/v1/campaigns/insights?campaignId: one campaign's insights, or (without it) those of the campaigns the caller sees. */
export interface CampaignInsightsRequest {
  campaignId?: string;
}

/** Mentions of one platform. */
export interface PlatformMentions {
  platform: string;
  mentions: number;
}

/** A crisis in one line (monitoring's record). */
export interface CrisisBrief {
  id: string;
  type: "CRISIS" | "SENTIMENT" | "MENTION_SPIKE" | "ENGAGEMENT_DROP" | "COMPETITOR";
  severity: Severity;
  status: "open" | "escalated" | "resolved";
  title: string;
  openedAt: Date;
  resolvedAt?: Date;
}

/** What monitoring saw of a campaign: the last 24 h against the 24 h before. */
export interface MonitoringInsights {
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
  topPlatforms: PlatformMentions[];
  openCrises: number;
  latestCrisis?: CrisisBrief;
  trendingTerms: string[];
}

/** A campaign's insights: its metrics and what monitoring saw, the ads' daily trend, split per platform, and budget pacing. */
export interface CampaignInsights {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  metrics: CampaignMetrics;
  /** Each figure's freshness, sources, staleness and absence reason (null before the first computation). */
  metricsDetail: MetricsDetail | null;
  monitoring: MonitoringInsights;
  /** The linked accounts' figures per day (summed across platforms), oldest first, within the campaign's dates. */
  daily: DailyFigures[];
  /** The figures per platform (platforms with a linked account). */
  platforms: PlatformFigures[];
  /** Spend against the budget over the campaign's dates, with the projected end-of-campaign spend. */
  pacing: BudgetPacing;
  generatedAt: Date;
}

/** Figures summed across the campaigns of an insights answer (the last 24 h of monitoring). */
export interface InsightTotals {
  mentions: number;
  previousMentions: number;
  /** Mean sentiment weighted by each campaign's mentions (0 without mentions). */
  averageSentiment: number;
  positive: number;
  neutral: number;
  negative: number;
  reach: number;
  engagement: number;
  openCrises: number;
  /** Ad spend and conversions to date (the campaigns' metrics). */
  impressions: number;
  clicks: number;
  conversions: number;
}

/** The seed's `{insights}`: per campaign (newest first, at most 20) and totals across them. */
export interface InsightsOverview extends InsightTotals {
  /** The campaign asked for, when the call named one. */
  campaignId?: string;
  campaigns: CampaignInsights[];
  /** How many campaigns the caller sees (more than `campaigns` holds when there are over 20). */
  total: number;
  generatedAt: Date;
}

/** GET /api/v1/campaigns/insights. */
export interface CampaignInsightsResponse {
  insights: InsightsOverview;
}

// --- ad accounts and metrics ---

/** An ad account linked to a campaign, and how its figures' last fetches went. */
export interface AdAccountLink {
  platform: AdsPlatform;
  /** Meta: act_<digits>; Google Ads: the 10-digit customer id. */
  accountId: string;
  name: string;
  currency: string;
  linkedBy: string;
  linkedAt: Date;
  lastSyncedAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
  /** The figures of this account are the last good ones, not current. */
  stale: boolean;
}

/** A campaign's linked ad accounts and its metric settings. */
export interface AdAccountsResponse {
  accounts: AdAccountLink[];
  /** What one conversion is worth (for roi); null: not set. */
  valuePerConversion: number | null;
}

/** POST /api/v1/campaigns/:id/ad-accounts: link a Meta ad account (act_…) or a Google Ads customer (123-456-7890). */
export interface LinkAdAccountRequest {
  id: string;
  platform: AdsPlatform;
  accountId: string & MinLen<1> & MaxLen<40>;
}

/** DELETE /api/v1/campaigns/:id/ad-accounts/:platform/:accountId. */
export interface AdAccountIdRequest {
  id: string;
  platform: string;
  accountId: string;
}

/** PUT /api/v1/campaigns/:id/metrics/settings. */
export interface MetricSettingsRequest {
  id: string;
  /** What one conversion is worth, in the ad accounts' currency (for roi). */
  valuePerConversion: number & Min<0> & Max<1000000>;
}

/** How fetching one account's figures went in a refresh. */
export interface AdSyncResult {
  platform: AdsPlatform;
  accountId: string;
  ok: boolean;
  days: number;
  error?: string;
  polled: boolean;
}

/** A campaign's metrics with each figure's freshness. */
export interface CampaignMetricsResponse {
  campaignId: string;
  metrics: CampaignMetrics;
  metricsDetail: MetricsDetail | null;
  valuePerConversion: number | null;
}

/** POST /api/v1/campaigns/:id/metrics/refresh: the metrics after fetching every linked account now. */
export interface RefreshMetricsResponse {
  campaignId: string;
  metrics: CampaignMetrics;
  metricsDetail: MetricsDetail;
  /** Per linked account: fetched, or the provider's failure (its last good figures stay, marked stale). */
  sync: AdSyncResult[];
}

/** GET /api/v1/campaigns/meta and /google: one War Room campaign's linked accounts, or every campaign the caller sees. */
export interface AdCampaignsRequest {
  campaignId?: string;
}

/** A Meta ad campaign of a linked account, with last-30-days insights. */
export interface MetaAdCampaign {
  adAccountId: string;
  /** The War Room campaigns (that the caller sees) this account is linked to. */
  campaignIds: string[];
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

/** GET /api/v1/campaigns/meta. */
export interface MetaAdCampaignsResponse {
  campaigns: MetaAdCampaign[];
}

/** A Google Ads campaign of a linked customer, with last-30-days metrics. */
export interface GoogleAdCampaign {
  customerId: string;
  /** The War Room campaigns (that the caller sees) this customer is linked to. */
  campaignIds: string[];
  id: string;
  name: string;
  status: string;
  channelType: string;
  impressions: number;
  clicks: number;
  cost: number;
  conversions: number;
  ctr: number;
  averageCpc: number;
}

/** GET /api/v1/campaigns/google. */
export interface GoogleAdCampaignsResponse {
  campaigns: GoogleAdCampaign[];
}

// --- internal: ad figures from integrations' pollers ---

/** One account's figures for one day. */
export interface AdDay {
  /** YYYY-MM-DD. */
  date: string;
  impressions: number & Min<0>;
  clicks: number & Min<0>;
  conversions: number & Min<0>;
  spend: number & Min<0>;
}

/** integrations' delivery of one account's days (idempotent upsert by campaign/platform/account/day), or its failure. */
export interface AdFiguresDelivery {
  campaignId: string;
  platform: AdsPlatform;
  accountId: string;
  days: AdDay[] & MaxLen<1000>;
  /** The provider's failure: no days, the last good figures stay and are marked stale. */
  error?: string;
}

/** How many days were stored. */
export interface AdFiguresAccepted {
  stored: number;
}

/** A linked account as the pollers need it. */
export interface AdAccountRef {
  platform: AdsPlatform;
  accountId: string;
}

/** An active campaign with linked ad accounts. */
export interface AdPollCampaign {
  id: string;
  startDate: Date;
  endDate: Date;
  accounts: AdAccountRef[];
}

/** Every active campaign with linked ad accounts (for the ad pollers). */
export interface AdPollCampaignsResponse {
  campaigns: AdPollCampaign[];
}

/** What the metrics job did. */
export interface MetricsRunResponse {
  campaigns: number;
  failures: number;
}
