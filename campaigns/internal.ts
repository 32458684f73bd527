// campaigns' private endpoints for other services, pollers and cron jobs: what they need to apply
// the campaign-access rule (shared/access.ts) and to do their work without campaigns' database.
//
//   const access = await campaigns.getCampaignAccess({ campaignId, userID: caller.userID });
//   requireCampaignAccess(caller, access, "monitoring", "read");
import { api, APIError } from "encore.dev/api";
import { auth } from "~encore/clients";
import type { ErasureRequest, ErasureResult } from "../shared/retention";
import * as changes from "./flows/lifecycle";
import * as metrics from "./flows/metrics";
import { severityAtLeast } from "./domain/contacts";
import type {
  ActiveCampaignsResponse,
  AdAccountsResponse,
  AdFiguresAccepted,
  AdFiguresDelivery,
  AdPollCampaignsResponse,
  AlertContactsRequest,
  Campaign,
  CampaignAccessRequest,
  CampaignAccessResponse,
  CampaignRef,
  AlertAudienceResponse,
  KeywordsResponse,
  ServiceCampaignRequest,
  UserCampaignsRequest,
  UserCampaignsResponse,
} from "./model";
import * as reads from "./flows/reads";
import * as store from "./store";

/** 404 unless the campaign exists (for endpoints that answer about one campaign). */
async function mustExist(campaignId: string): Promise<void> {
  if (!(await reads.access(campaignId, "")).exists) throw APIError.notFound("campaign not found");
}

// getCampaignAccess tells whether a campaign exists and the user's membership role on it (cached).
export const getCampaignAccess = api(
  { expose: false, method: "GET", path: "/internal/campaigns/:campaignId/access/:userID" },
  ({ campaignId, userID }: CampaignAccessRequest): Promise<CampaignAccessResponse> => reads.access(campaignId, userID),
);

// getUserCampaigns lists the ids of the campaigns a user is a member of (admins see every campaign regardless).
export const getUserCampaigns = api(
  { expose: false, method: "GET", path: "/internal/campaigns/members/:userID" },
  async ({ userID }: UserCampaignsRequest): Promise<UserCampaignsResponse> => ({ campaignIds: await store.campaignIdsOf(userID) }),
);

// getCampaignForService returns one campaign, without any caller check (404 when missing).
export const getCampaignForService = api(
  { expose: false, method: "GET", path: "/internal/campaigns/:campaignId" },
  async ({ campaignId }: CampaignRef): Promise<Campaign> => {
    const campaign = await reads.campaign(campaignId);
    if (!campaign) throw APIError.notFound("campaign not found");
    return campaign;
  },
);

// listActiveCampaigns returns every active campaign with its keywords (for pollers and cron jobs).
export const listActiveCampaigns = api(
  { expose: false, method: "GET", path: "/internal/campaigns/active" },
  async (): Promise<ActiveCampaignsResponse> => ({ campaigns: await store.listActiveCampaigns() }),
);

// getKeywords returns a campaign's keywords with their weights (404 when the campaign is missing).
export const getKeywords = api(
  { expose: false, method: "GET", path: "/internal/campaigns/:campaignId/keywords" },
  async ({ campaignId }: CampaignRef): Promise<KeywordsResponse> => {
    await mustExist(campaignId);
    return { keywords: await store.listKeywords(campaignId) };
  },
);

// getAlertContacts returns a campaign's alert contacts, only those an alert of `severity` reaches when given (for alerting).
export const getAlertContacts = api(
  { expose: false, method: "GET", path: "/internal/campaigns/:campaignId/contacts" },
  async ({ campaignId, severity }: AlertContactsRequest): Promise<AlertAudienceResponse> => {
    await mustExist(campaignId);
    // On the crisis-to-phone path: both reads at once.
    const [campaign, contacts] = await Promise.all([store.getCampaign(campaignId), store.listContacts(campaignId)]);
    if (!campaign) throw APIError.notFound("campaign not found");
    return {
      campaignName: campaign.name,
      timeZone: campaign.timeZone,
      contacts: severity ? contacts.filter((c) => severityAtLeast(severity, c.minSeverity)) : contacts,
    };
  },
);

// createServiceCampaign creates a campaign on behalf of a service (monitoring's demo feed), made and managed by `createdBy`, active at once when asked; audited like any creation.
export const createServiceCampaign = api(
  { expose: false, method: "POST", path: "/internal/campaigns" },
  async ({ campaign, createdBy, activate }: ServiceCampaignRequest): Promise<Campaign> => {
    const created = await changes.createCampaign(createdBy, campaign);
    return activate ? changes.updateCampaign(createdBy, { id: created.id, status: "active" }) : created;
  },
);

// --- ad figures (integrations' pollers) ---

// listAdPollCampaigns returns every active campaign with linked ad accounts, its dates and accounts (for integrations' ad pollers).
export const listAdPollCampaigns = api(
  { expose: false, method: "GET", path: "/internal/campaigns/ad-poll" },
  async (): Promise<AdPollCampaignsResponse> => ({ campaigns: await store.listAdPollCampaigns() }),
);

// recordAdFigures stores one linked account's daily figures (idempotent upsert by campaign/platform/account/day), or records its failed fetch (figures kept, marked stale); then recomputes the campaign's metrics.
export const recordAdFigures = api(
  { expose: false, method: "POST", path: "/internal/campaigns/ad-figures" },
  async (req: AdFiguresDelivery): Promise<AdFiguresAccepted> => ({ stored: await metrics.recordFigures(req) }),
);

// eraseUserData erases a person from campaigns (memberships; alert contacts at their email) for a compliance erasure request.
export const eraseUserData = api(
  { expose: false, method: "POST", path: "/internal/campaigns/erasure" },
  async ({ userId }: ErasureRequest): Promise<ErasureResult> => {
    const contact = await auth.getAccountContact({ id: userId });
    const erased = await store.eraseMember(userId, contact.addresses);
    await reads.invalidate();
    return { service: "campaigns", erased };
  },
);

// listCampaignAdAccounts returns one campaign's linked ad accounts (with their fetch state) and value per conversion, without any caller check (404 when missing; for integrations' /integrations/meta|google/:campaignId).
export const listCampaignAdAccounts = api(
  { expose: false, method: "GET", path: "/internal/campaigns/:campaignId/ad-accounts" },
  async ({ campaignId }: CampaignRef): Promise<AdAccountsResponse> => {
    await mustExist(campaignId);
    return metrics.adAccounts(campaignId);
  },
);
