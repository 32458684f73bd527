// integrations' public endpoints: each checks the caller's permission and the campaign-access rule,
// then asks the provider through its resilient client. A provider that is down, throttling or not
// configured answers 503 unavailable; it never hangs (per-attempt timeouts, bounded retries).
import { api } from "encore.dev/api";
import { campaigns } from "~encore/clients";
import { requireCampaignAccess } from "../shared/access";
import { requirePermission } from "../shared/permissions";
import { summarize } from "./domain/mentions";
import { handleStatusCallback, sendVia } from "./messages";
import type { CampaignIdParams, GoogleAdsData, MentionlyticsData, MetaAdsData, SendSmsRequest, SendSmsResponse } from "./model";
import { googleAds, mentionlytics, meta, toAPIError } from "./providers";

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
      return summarize(mentions, keywords.map((k) => k.keyword));
    } catch (err) {
      throw toAPIError(err);
    }
  },
);

// fetchMetaAdsData returns the Meta ad account's campaigns with their last-30-days insights.
export const fetchMetaAdsData = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/integrations/meta/:campaignId" },
  async ({ campaignId }: CampaignIdParams): Promise<MetaAdsData> => {
    await campaignReader(campaignId);
    const client = meta();
    try {
      const list = await client.campaigns();
      return { adAccountId: client.adAccountId, apiVersion: client.apiVersion, campaigns: list, totals: totals(list.map((c) => ({ impressions: c.impressions, clicks: c.clicks, spend: c.spend }))) };
    } catch (err) {
      throw toAPIError(err);
    }
  },
);

// fetchGoogleAdsData returns the Google Ads account's campaigns with their last-30-days metrics.
export const fetchGoogleAdsData = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/integrations/google/:campaignId" },
  async ({ campaignId }: CampaignIdParams): Promise<GoogleAdsData> => {
    await campaignReader(campaignId);
    const client = googleAds();
    try {
      const list = await client.campaigns();
      return { customerId: client.customerId, apiVersion: client.apiVersion, campaigns: list, totals: totals(list.map((c) => ({ impressions: c.impressions, clicks: c.clicks, spend: c.cost }))) };
    } catch (err) {
      throw toAPIError(err);
    }
  },
);

function totals(rows: { impressions: number; clicks: number; spend: number }[]) {
  return {
    impressions: rows.reduce((s, r) => s + r.impressions, 0),
    clicks: rows.reduce((s, r) => s + r.clicks, 0),
    spend: Math.round(rows.reduce((s, r) => s + r.spend, 0) * 100) / 100,
  };
}

// sendSms sends an SMS through Twilio (integrations:create: managers and admins); `to` must be E.164.
export const sendSms = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/integrations/sms" },
  async ({ to, message }: SendSmsRequest): Promise<SendSmsResponse> => {
    requirePermission("integrations", "create");
    const { sid } = await sendVia("sms", to, message);
    return { messageId: sid };
  },
);

// twilioStatusCallback receives Twilio's message status callbacks; the X-Twilio-Signature must match (else 403, logged).
export const twilioStatusCallback = api.raw(
  { expose: true, method: "POST", path: "/api/v1/integrations/twilio/status" },
  async (req, resp) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
    const proto = String(req.headers["x-forwarded-proto"] ?? "http").split(",")[0].trim();
    const host = String(req.headers["x-forwarded-host"] ?? req.headers.host ?? "");
    const header = req.headers["x-twilio-signature"];
    const result = await handleStatusCallback({
      url: `${proto}://${host}${req.url ?? ""}`,
      signature: Array.isArray(header) ? header[0] : header,
      body: Buffer.concat(chunks).toString("utf8"),
    });
    if (result.status === 204) {
      resp.writeHead(204).end();
      return;
    }
    const code = result.status === 403 ? "permission_denied" : "invalid_argument";
    resp.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify({ code, message: result.message, details: null }));
  },
);
