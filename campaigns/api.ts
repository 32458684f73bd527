// campaigns' public endpoints (seed paths): campaigns, their keywords, alert contacts and members.
// Every endpoint: the role's permission (shared/permissions.ts), then the campaign-access rule
// (shared/access.ts: a campaign the caller may not see is 404, like a missing one), then the work.
import { api, APIError } from "encore.dev/api";
import { integrations, monitoring } from "~encore/clients";
import { requireCampaignAccess, requireCampaignManagement } from "../shared/access";
import { requirePermission, type Action, type Caller } from "../shared/permissions";
import * as changes from "./flows/lifecycle";
import * as metrics from "./flows/metrics";
import { pageWindow } from "./domain/campaign";
import { insightTotals } from "./domain/insights";
import type {
  AdAccountIdRequest,
  AdAccountLink,
  AdAccountsResponse,
  AdCampaignsRequest,
  CampaignMetricsResponse,
  GoogleAdCampaignsResponse,
  LinkAdAccountRequest,
  MetaAdCampaignsResponse,
  MetricSettingsRequest,
  RefreshMetricsResponse,
  AddContactRequest,
  AddKeywordsRequest,
  AddMemberRequest,
  AlertContact,
  Campaign,
  CampaignIdRequest,
  CampaignInsights,
  CampaignInsightsRequest,
  CampaignInsightsResponse,
  CampaignMember,
  ContactIdRequest,
  ContactsResponse,
  CreateCampaignRequest,
  GetCampaignsRequest,
  GetCampaignsResponse,
  KeywordIdRequest,
  KeywordsResponse,
  MemberIdRequest,
  MembersResponse,
  SuccessResponse,
  UpdateCampaignRequest,
} from "./model";
import * as reads from "./flows/reads";
import * as store from "./store";

/** The signed-in caller, if their role may `action` campaigns and they may see campaign `id`. */
async function within(id: string, action: Action): Promise<Caller> {
  const caller = requirePermission("campaigns", action);
  requireCampaignAccess(caller, await reads.access(id, caller.userID), "campaigns", action);
  return caller;
}

/** The signed-in caller, if they may run campaign `id`'s team (admins and the campaign's managers). */
async function managing(id: string): Promise<Caller> {
  const caller = requirePermission("campaigns", "read");
  requireCampaignManagement(caller, await reads.access(id, caller.userID));
  return caller;
}

// createCampaign creates a draft campaign with empty metrics; the creator becomes its manager (campaigns:create).
export const createCampaign = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/campaigns" },
  async (req: CreateCampaignRequest): Promise<Campaign> => {
    const caller = requirePermission("campaigns", "create");
    return changes.createCampaign(caller.userID, req);
  },
);

// getCampaigns lists the campaigns the caller sees (admins: all; others: their own), newest first, optionally by status.
export const getCampaigns = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns" },
  async (req: GetCampaignsRequest): Promise<GetCampaignsResponse> => {
    const caller = requirePermission("campaigns", "read");
    let window: ReturnType<typeof pageWindow>;
    try {
      window = pageWindow(req.page, req.limit);
    } catch (err) {
      throw APIError.invalidArgument(err instanceof Error ? err.message : String(err));
    }
    const memberId = caller.role === "admin" ? null : caller.userID;
    const page = await reads.campaigns(memberId, req.status, window.limit, window.offset);
    return { campaigns: page.campaigns, total: page.total, page: window.page, limit: window.limit };
  },
);

/** How many campaigns a cross-campaign insights answer details (newest first; `total` counts them all). */
const INSIGHTS_MAX_CAMPAIGNS = 20;

/** One campaign's insights: its metrics, monitoring's summary and the ads' trend, split and pacing. */
async function campaignInsights(campaign: Campaign): Promise<CampaignInsights> {
  const campaignId = campaign.id;
  const [{ campaignId: _, generatedAt, ...summary }, ads] = await Promise.all([monitoring.getCampaignSummary({ campaignId }), metrics.adInsights(campaign)]);
  return {
    campaignId,
    name: campaign.name,
    status: campaign.status,
    metrics: campaign.metrics,
    metricsDetail: campaign.metricsDetail ?? null,
    monitoring: summary,
    daily: ads.daily,
    platforms: ads.platforms,
    pacing: ads.pacing,
    generatedAt,
  };
}

// getCampaignInsights answers the seed's `{insights}`: one campaign's metrics with monitoring's summary (mentions, sentiment, platforms, crises, trending terms) and ads, or, without campaignId, those of the campaigns the caller sees with totals across them (campaigns:read, members).
export const getCampaignInsights = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/insights" },
  async ({ campaignId }: CampaignInsightsRequest): Promise<CampaignInsightsResponse> => {
    let list: Campaign[];
    let total: number;
    if (campaignId !== undefined) {
      await within(campaignId, "read");
      const campaign = await reads.campaign(campaignId);
      if (!campaign) throw APIError.notFound("campaign not found");
      list = [campaign];
      total = 1;
    } else {
      const caller = requirePermission("campaigns", "read");
      const page = await reads.campaigns(caller.role === "admin" ? null : caller.userID, undefined, INSIGHTS_MAX_CAMPAIGNS, 0);
      list = page.campaigns;
      total = page.total;
    }
    const campaigns = await Promise.all(list.map(campaignInsights));
    return { insights: { ...insightTotals(campaigns), campaigns, total, ...(campaignId !== undefined ? { campaignId } : {}), generatedAt: new Date() } };
  },
);

/** The campaigns whose linked accounts a list shows: one (checked), or every campaign the caller sees (null: all, for admins). */
async function adScope(campaignId: string | undefined): Promise<string[] | null> {
  if (campaignId !== undefined) {
    await within(campaignId, "read");
    return [campaignId];
  }
  const caller = requirePermission("campaigns", "read");
  return caller.role === "admin" ? null : store.campaignIdsOf(caller.userID);
}

// getMetaCampaigns lists the Meta ad campaigns (last-30-days insights) of the ad accounts linked to the campaigns the caller sees, or to one campaign (503 when Meta is down or not configured).
export const getMetaCampaigns = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/meta" },
  async ({ campaignId }: AdCampaignsRequest): Promise<MetaAdCampaignsResponse> => {
    const linked = await store.linkedAccounts("meta", await adScope(campaignId));
    const { campaigns } = await integrations.listMetaAccountCampaigns({ accountIds: [...linked.keys()] });
    return { campaigns: campaigns.map((c) => ({ ...c, campaignIds: linked.get(c.adAccountId) ?? [] })) };
  },
);

// getGoogleCampaigns lists the Google Ads campaigns (last-30-days metrics) of the customers linked to the campaigns the caller sees, or to one campaign (503 when Google Ads is down or not configured).
export const getGoogleCampaigns = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/google" },
  async ({ campaignId }: AdCampaignsRequest): Promise<GoogleAdCampaignsResponse> => {
    const linked = await store.linkedAccounts("google", await adScope(campaignId));
    const { campaigns } = await integrations.listGoogleAccountCampaigns({ accountIds: [...linked.keys()] });
    return { campaigns: campaigns.map((c) => ({ ...c, campaignIds: linked.get(c.customerId) ?? [] })) };
  },
);

// getCampaignAdAccounts lists a campaign's linked ad accounts (with their fetch state) and its value per conversion.
export const getCampaignAdAccounts = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/:id/ad-accounts" },
  async ({ id }: CampaignIdRequest): Promise<AdAccountsResponse> => {
    await within(id, "read");
    return metrics.adAccounts(id);
  },
);

// linkCampaignAdAccount links a Meta ad account (act_…) or Google Ads customer to a campaign once the provider confirms it is reachable (campaigns:update).
export const linkCampaignAdAccount = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/campaigns/:id/ad-accounts" },
  async (req: LinkAdAccountRequest): Promise<AdAccountLink> => {
    const caller = await within(req.id, "update");
    return metrics.linkAccount(caller.userID, req);
  },
);

// unlinkCampaignAdAccount removes an ad account from a campaign; its figures stop counting (campaigns:update).
export const unlinkCampaignAdAccount = api(
  { expose: true, auth: true, method: "DELETE", path: "/api/v1/campaigns/:id/ad-accounts/:platform/:accountId" },
  async ({ id, platform, accountId }: AdAccountIdRequest): Promise<SuccessResponse> => {
    const caller = await within(id, "update");
    await metrics.unlinkAccount(caller.userID, id, platform, accountId);
    return { success: true };
  },
);

// getCampaignMetrics returns a campaign's metrics with each figure's freshness, sources and absence reasons (cached).
export const getCampaignMetrics = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/:id/metrics" },
  async ({ id }: CampaignIdRequest): Promise<CampaignMetricsResponse> => {
    await within(id, "read");
    return metrics.metricsOf(id);
  },
);

// updateCampaignMetricSettings sets what one conversion is worth (for roi) and recomputes the metrics (campaigns:update).
export const updateCampaignMetricSettings = api(
  { expose: true, auth: true, method: "PUT", path: "/api/v1/campaigns/:id/metrics/settings" },
  async ({ id, valuePerConversion }: MetricSettingsRequest): Promise<CampaignMetricsResponse> => {
    const caller = await within(id, "update");
    return metrics.setValuePerConversion(caller.userID, id, valuePerConversion);
  },
);

// refreshCampaignMetrics fetches the linked accounts' figures now and recomputes the metrics (campaigns:update; once a minute per campaign, else 429 with retryAfterSeconds).
export const refreshCampaignMetrics = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/campaigns/:id/metrics/refresh" },
  async ({ id }: CampaignIdRequest): Promise<RefreshMetricsResponse> => {
    const caller = await within(id, "update");
    return metrics.refresh(caller.userID, id);
  },
);

// getCampaignById returns one campaign (404 when it does not exist or the caller may not see it).
export const getCampaignById = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/:id" },
  async ({ id }: CampaignIdRequest): Promise<Campaign> => {
    await within(id, "read");
    const campaign = await reads.campaign(id);
    if (!campaign) throw APIError.notFound("campaign not found");
    return campaign;
  },
);

// updateCampaign changes a campaign's fields and/or status (campaigns:update, members only; status transitions validated).
export const updateCampaign = api(
  { expose: true, auth: true, method: "PUT", path: "/api/v1/campaigns/:id" },
  async (req: UpdateCampaignRequest): Promise<Campaign> => {
    const caller = await within(req.id, "update");
    return changes.updateCampaign(caller.userID, req);
  },
);

// getCampaignKeywords lists the keywords monitoring listens for on a campaign, with their weights.
export const getCampaignKeywords = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/:id/keywords" },
  async ({ id }: CampaignIdRequest): Promise<KeywordsResponse> => {
    await within(id, "read");
    return { keywords: await store.listKeywords(id) };
  },
);

// addCampaignKeywords adds keywords to a campaign (an existing keyword gets the new weight); returns them all (campaigns:update).
export const addCampaignKeywords = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/campaigns/:id/keywords" },
  async (req: AddKeywordsRequest): Promise<KeywordsResponse> => {
    const caller = await within(req.id, "update");
    return { keywords: await changes.addKeywords(caller.userID, req) };
  },
);

// deleteCampaignKeyword removes one keyword from a campaign (campaigns:update).
export const deleteCampaignKeyword = api(
  { expose: true, auth: true, method: "DELETE", path: "/api/v1/campaigns/:id/keywords/:keywordId" },
  async ({ id, keywordId }: KeywordIdRequest): Promise<SuccessResponse> => {
    const caller = await within(id, "update");
    await changes.deleteKeyword(caller.userID, id, keywordId);
    return { success: true };
  },
);

// getCampaignContacts lists who alerting reaches for a campaign (personal data: campaigns:update, members only).
export const getCampaignContacts = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/:id/contacts" },
  async ({ id }: CampaignIdRequest): Promise<ContactsResponse> => {
    await within(id, "update");
    return { contacts: await store.listContacts(id) };
  },
);

// addCampaignContact adds an alert contact: an E.164 phone (SMS, WHATSAPP), an email, or a Slack channel (campaigns:update).
export const addCampaignContact = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/campaigns/:id/contacts" },
  async (req: AddContactRequest): Promise<AlertContact> => {
    const caller = await within(req.id, "update");
    return changes.addContact(caller.userID, req);
  },
);

// deleteCampaignContact removes one alert contact (campaigns:update).
export const deleteCampaignContact = api(
  { expose: true, auth: true, method: "DELETE", path: "/api/v1/campaigns/:id/contacts/:contactId" },
  async ({ id, contactId }: ContactIdRequest): Promise<SuccessResponse> => {
    const caller = await within(id, "update");
    await changes.deleteContact(caller.userID, id, contactId);
    return { success: true };
  },
);

// getCampaignMembers lists a campaign's team (admins and the campaign's managers).
export const getCampaignMembers = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/campaigns/:id/members" },
  async ({ id }: CampaignIdRequest): Promise<MembersResponse> => {
    await managing(id);
    return { members: await store.listMembers(id) };
  },
);

// addCampaignMember adds a user to a campaign's team or changes their role (admins and the campaign's managers).
export const addCampaignMember = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/campaigns/:id/members" },
  async (req: AddMemberRequest): Promise<CampaignMember> => {
    const caller = await managing(req.id);
    return changes.setMember(caller.userID, req);
  },
);

// removeCampaignMember removes a user from a campaign's team; the last manager stays (admins and the campaign's managers).
export const removeCampaignMember = api(
  { expose: true, auth: true, method: "DELETE", path: "/api/v1/campaigns/:id/members/:userId" },
  async ({ id, userId }: MemberIdRequest): Promise<SuccessResponse> => {
    const caller = await managing(id);
    await changes.removeMember(caller.userID, id, userId);
    return { success: true };
  },
);
