// integrations' public endpoints: each checks the caller's permission and the campaign-access rule,
// then asks the provider through its resilient client. A provider that is down, throttling or not
// configured answers 503 unavailable; it never hangs (per-attempt timeouts, bounded retries).
import { api, APIError } from "encore.dev/api";
import { campaigns } from "~encore/clients";
import { requireCampaignAccess } from "../shared/access";
import { requirePermission } from "../shared/permissions";
import { ProviderError } from "../shared/resilience";
import { actId } from "./clients/meta";
import { summarize } from "./domain/mentions";
import { handleStatusCallback, sendVia } from "./flows/messages";
import type {
  AdAccountSource,
  AdPlatform,
  AdTotals,
  CampaignIdParams,
  GoogleAdsData,
  MentionlyticsData,
  MetaAdsData,
  SendSmsRequest,
  SendSmsResponse,
} from "./model";
import { googleAdsForAccounts, mentionlytics, metaForAccounts, toAPIError } from "./flows/providers";
import { googleAdsSettings, metaSettings } from "./secrets";
import { readTwilioWebhook, refuseTwilioWebhook } from "./webhook";

/** How far back the dashboards' Mentionlytics view reaches. */
const MENTIONS_WINDOW_MS = 7 * 86400_000;

/** The caller, if they may read integrations data of this campaign (403 role, 404 campaign). */
async function campaignReader(campaignId: string) {
  const caller = requirePermission("integrations", "read");
  const access = await campaigns.getCampaignAccess({ campaignId, userID: caller.userID });
  requireCampaignAccess(caller, access, "integrations", "read");
  return caller;
}

// fetchMentionlyticsData returns the campaign's mentions of the last 7 days from Mentionlytics, with sentiment, influencers and competitors.
export const fetchMentionlyticsData = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/integrations/mentionlytics/:campaignId" },
  async ({ campaignId }: CampaignIdParams): Promise<MentionlyticsData> => {
    await campaignReader(campaignId);
    const client = mentionlytics();
    const { keywords } = await campaigns.getKeywords({ campaignId });
    const until = new Date();
    try {
      const { mentions } = await client.mentions({ since: new Date(until.getTime() - MENTIONS_WINDOW_MS), until });
      return summarize(
        mentions,
        keywords.map((k) => k.keyword),
      );
    } catch (err) {
      throw toAPIError(err);
    }
  },
);

// fetchMetaAdsData returns the campaign's Meta ad accounts (linked, else the configured default) with their campaigns' last-30-days insights.
export const fetchMetaAdsData = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/integrations/meta/:campaignId" },
  async ({ campaignId }: CampaignIdParams): Promise<MetaAdsData> => {
    await campaignReader(campaignId);
    const client = metaForAccounts();
    const configured = metaSettings().adAccountId;
    const { source, targets } = await adTargets(campaignId, "meta", configured && actId(configured));
    const accounts = await readAccounts(
      targets,
      (account) => client.campaigns({ account }),
      (c) => c.spend,
    );
    return {
      adAccountId: accounts[0].accountId,
      apiVersion: client.apiVersion,
      campaigns: accounts.flatMap((a) => a.campaigns),
      totals: sum(accounts.map((a) => a.totals)),
      source,
      accounts: accounts.map(({ accountId, ...rest }) => ({ adAccountId: accountId, ...rest })),
    };
  },
);

// fetchGoogleAdsData returns the campaign's Google Ads customers (linked, else the configured default) with their campaigns' last-30-days metrics.
export const fetchGoogleAdsData = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/integrations/google/:campaignId" },
  async ({ campaignId }: CampaignIdParams): Promise<GoogleAdsData> => {
    await campaignReader(campaignId);
    const client = googleAdsForAccounts();
    const { source, targets } = await adTargets(campaignId, "google", googleAdsSettings().customerId);
    const accounts = await readAccounts(
      targets,
      (customerId) => client.campaigns(undefined, customerId),
      (c) => c.cost,
    );
    return {
      customerId: accounts[0].accountId,
      apiVersion: client.apiVersion,
      campaigns: accounts.flatMap((a) => a.campaigns),
      totals: sum(accounts.map((a) => a.totals)),
      source,
      accounts: accounts.map(({ accountId, ...rest }) => ({ customerId: accountId, ...rest })),
    };
  },
);

/** An ad account to read for a campaign: linked (with its name and currency), or the configured default. */
interface AdTarget {
  accountId: string;
  name?: string;
  currency?: string;
}

/**
 * The accounts of one platform to read for a campaign: its linked ones (campaigns' internal
 * `listCampaignAdAccounts`), else the configured default account, else 400 failed_precondition.
 */
async function adTargets(campaignId: string, platform: AdPlatform, defaultAccount: string): Promise<{ source: AdAccountSource; targets: AdTarget[] }> {
  const { accounts } = await campaigns.listCampaignAdAccounts({ campaignId });
  const linked = accounts
    .filter((a) => a.platform === platform)
    .map((a) => ({ accountId: a.accountId, name: a.name, currency: a.currency }))
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  if (linked.length > 0) return { source: "linked", targets: linked };
  if (defaultAccount) return { source: "default", targets: [{ accountId: defaultAccount }] };
  throw APIError.failedPrecondition(`no ${platform} ad account is linked to this campaign`);
}

/** One account's campaigns and their sums, or why the provider refused it. */
interface AccountRead<C> extends AdTarget {
  campaigns: C[];
  totals: AdTotals;
  error?: string;
}

/**
 * Reads each account's campaigns in turn. The provider refusing one account (unknown, or no access
 * with our credentials) leaves that account's `error` and goes on; if it refuses every account the
 * call fails as before (400 for a refused request, 503 for credentials). A provider that is down,
 * throttling or answering garbage fails the call at once (503).
 */
async function readAccounts<C extends { impressions: number; clicks: number }>(
  targets: AdTarget[],
  list: (accountId: string) => Promise<C[]>,
  spendOf: (c: C) => number,
): Promise<AccountRead<C>[]> {
  const out: AccountRead<C>[] = [];
  let refused: unknown = null;
  for (const target of targets) {
    try {
      const found = await list(target.accountId);
      out.push({ ...target, campaigns: found, totals: sum(found.map((c) => ({ impressions: c.impressions, clicks: c.clicks, spend: spendOf(c) }))) });
    } catch (err) {
      if (!(err instanceof ProviderError && (err.kind === "client" || err.kind === "auth"))) throw toAPIError(err);
      refused ??= err;
      out.push({ ...target, campaigns: [], totals: { impressions: 0, clicks: 0, spend: 0 }, error: err.message });
    }
  }
  if (out.every((a) => a.error !== undefined)) throw toAPIError(refused);
  return out;
}

function sum(rows: AdTotals[]): AdTotals {
  return {
    impressions: rows.reduce((s, r) => s + r.impressions, 0),
    clicks: rows.reduce((s, r) => s + r.clicks, 0),
    spend: Math.round(rows.reduce((s, r) => s + r.spend, 0) * 100) / 100,
  };
}

// sendSMSAlert sends an SMS through Twilio (integrations:create: managers and admins); `to` must be E.164.
export const sendSMSAlert = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/integrations/sms" },
  async ({ to, message }: SendSmsRequest): Promise<SendSmsResponse> => {
    requirePermission("integrations", "create");
    const { sid } = await sendVia("sms", to, message);
    return { messageId: sid };
  },
);

// twilioStatusCallback receives Twilio's message status callbacks; the X-Twilio-Signature must match (else 403, logged).
export const twilioStatusCallback = api.raw({ expose: true, method: "POST", path: "/api/v1/integrations/twilio/status" }, async (req, resp) => {
  const result = await handleStatusCallback(await readTwilioWebhook(req));
  if (result.status === 204) {
    resp.writeHead(204).end();
    return;
  }
  refuseTwilioWebhook(resp, result.status, result.message);
});
