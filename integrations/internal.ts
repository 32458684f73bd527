// integrations' internal endpoints (expose: false), for other services and cron jobs.
import { api, APIError } from "encore.dev/api";
import { ProviderError } from "../shared/resilience";
import { deliverAds, fetcherFor, googleAccountCampaigns, metaAccountCampaigns, pollAds, type AdFetcher } from "./flows/poll-ads";
import { canonicalAccountId } from "./domain/ads";
import { sendOnce } from "./flows/messages";
import type {
  AdAccountsRequest,
  AdPlatform,
  AdSyncResult,
  CheckAdAccountRequest,
  CheckAdAccountResponse,
  GoogleAccountCampaigns,
  MetaAccountCampaigns,
  RefreshAdsRequest,
  RefreshAdsResponse,
  SendMessageRequest,
  SendMessageResponse,
} from "./model";
import { googleAdsForAccounts, metaForAccounts, toAPIError } from "./flows/providers";

// sendMessage sends an SMS or WhatsApp message once per idempotencyKey (for alerting's deliveries); a repeat returns the first send's sid.
export const sendMessage = api(
  { expose: false, method: "POST", path: "/internal/integrations/messages" },
  (req: SendMessageRequest): Promise<SendMessageResponse> => sendOnce(req),
);

// --- ad accounts and figures, for campaigns' metrics ---

// checkAdAccount asks the provider whether an ad account (Meta act_…, Google customer id) is reachable with the configured credentials (400 for a malformed id, 503 when the provider is down or not configured).
export const checkAdAccount = api(
  { expose: false, method: "POST", path: "/internal/integrations/ad-accounts/check" },
  (req: CheckAdAccountRequest): Promise<CheckAdAccountResponse> => checkAccount(req.platform, req.accountId),
);

// refreshCampaignAds fetches a campaign's ad figures now (each linked account from its cursor) and delivers them to campaigns; per-account results.
export const refreshCampaignAds = api(
  { expose: false, method: "POST", path: "/internal/integrations/ads/refresh" },
  async ({ campaign }: RefreshAdsRequest): Promise<RefreshAdsResponse> => {
    const results: AdSyncResult[] = [];
    for (const platform of ["meta", "google"] as const) {
      const accounts = campaign.accounts.filter((a) => a.platform === platform);
      if (accounts.length === 0) continue;
      let fetch: AdFetcher;
      try {
        fetch = fetcherFor(platform);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        for (const a of accounts) {
          results.push({ platform, accountId: a.accountId, ok: false, days: 0, polled: false, error });
          await deliverAds({ campaignId: campaign.id, platform, accountId: a.accountId, days: [], error }).catch(() => undefined);
        }
        continue;
      }
      results.push(...(await pollAds(platform, fetch, campaign, deliverAds, 0)));
    }
    return { results };
  },
);

// listMetaAccountCampaigns returns the Meta ad campaigns (last-30-days insights) of the given ad accounts (503 when Meta is down or not configured).
export const listMetaAccountCampaigns = api(
  { expose: false, method: "POST", path: "/internal/integrations/meta/campaigns" },
  async ({ accountIds }: AdAccountsRequest): Promise<MetaAccountCampaigns> => {
    try {
      return { campaigns: await metaAccountCampaigns(accountIds) };
    } catch (err) {
      throw toAPIError(err);
    }
  },
);

// listGoogleAccountCampaigns returns the Google Ads campaigns (last-30-days metrics) of the given customers (503 when Google Ads is down or not configured).
export const listGoogleAccountCampaigns = api(
  { expose: false, method: "POST", path: "/internal/integrations/google/campaigns" },
  async ({ accountIds }: AdAccountsRequest): Promise<GoogleAccountCampaigns> => {
    try {
      return { campaigns: await googleAccountCampaigns(accountIds) };
    } catch (err) {
      throw toAPIError(err);
    }
  },
);

async function checkAccount(platform: AdPlatform, raw: string): Promise<CheckAdAccountResponse> {
  const accountId = canonicalAccountId(platform, raw);
  if (!accountId) {
    throw APIError.invalidArgument(
      platform === "meta"
        ? `a Meta ad account id is act_ followed by digits, got ${JSON.stringify(raw)}`
        : `a Google Ads customer id is 10 digits (123-456-7890), got ${JSON.stringify(raw)}`,
    );
  }
  try {
    if (platform === "meta") {
      const a = await metaForAccounts().adAccount(accountId);
      return { reachable: true, accountId, name: a.name, currency: a.currency };
    }
    const c = await googleAdsForAccounts().customer(accountId);
    return { reachable: true, accountId, name: c.name, currency: c.currency };
  } catch (err) {
    // The provider answered and refused this account (unknown, or no access with our credentials).
    if (err instanceof ProviderError && (err.kind === "client" || err.kind === "auth"))
      return { reachable: false, accountId, name: "", currency: "", reason: err.message };
    throw toAPIError(err);
  }
}
