// integrations' configuration: every secret it reads, read only here. A missing secret reads as ""
// (the provider is then "not configured" and its endpoints answer 503 unavailable).
import { secret } from "encore.dev/config";

const twilioSid = secret("TWILIO_SID");
const twilioToken = secret("TWILIO_TOKEN");
const twilioFrom = secret("TWILIO_FROM");
const twilioWhatsappFrom = secret("TWILIO_WHATSAPP_FROM");
const twilioBaseUrl = secret("TWILIO_BASE_URL");
const twilioStatusCallbackUrl = secret("TWILIO_STATUS_CALLBACK_URL");

const mentionlyticsToken = secret("MENTIONLYTICS_TOKEN");
const mentionlyticsBaseUrl = secret("MENTIONLYTICS_BASE_URL");

const metaAccessToken = secret("META_ACCESS_TOKEN");
const metaGraphBaseUrl = secret("META_GRAPH_BASE_URL");
const metaApiVersion = secret("META_API_VERSION");
const metaAdAccountId = secret("META_AD_ACCOUNT_ID");

const googleAdsDeveloperToken = secret("GOOGLE_ADS_DEVELOPER_TOKEN");
const googleAdsClientId = secret("GOOGLE_ADS_CLIENT_ID");
const googleAdsClientSecret = secret("GOOGLE_ADS_CLIENT_SECRET");
const googleAdsRefreshToken = secret("GOOGLE_ADS_REFRESH_TOKEN");
const googleAdsCustomerId = secret("GOOGLE_ADS_CUSTOMER_ID");
const googleAdsLoginCustomerId = secret("GOOGLE_ADS_LOGIN_CUSTOMER_ID");
const googleAdsBaseUrl = secret("GOOGLE_ADS_BASE_URL");
const googleAdsTokenUrl = secret("GOOGLE_ADS_TOKEN_URL");
const googleAdsApiVersion = secret("GOOGLE_ADS_API_VERSION");

/** Newest versions the official docs list (Nov 2026): Meta Marketing API v27.0, Google Ads API v26. */
export const DEFAULT_META_API_VERSION = "v27.0";
export const DEFAULT_GOOGLE_ADS_API_VERSION = "v26";

function read(s: () => string): string {
  try {
    return s().trim();
  } catch {
    return "";
  }
}

/** Twilio's settings as configured. */
export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from: string;
  whatsappFrom: string;
  baseUrl: string;
  /** The public URL of our status-callback endpoint ("" : no callbacks requested). */
  statusCallbackUrl: string;
}

export function twilioSettings(): TwilioSettings {
  return {
    accountSid: read(twilioSid),
    authToken: read(twilioToken),
    from: read(twilioFrom),
    whatsappFrom: read(twilioWhatsappFrom),
    baseUrl: read(twilioBaseUrl) || "https://api.twilio.com",
    statusCallbackUrl: read(twilioStatusCallbackUrl),
  };
}

/** Mentionlytics' settings as configured. */
export interface MentionlyticsSettings {
  token: string;
  baseUrl: string;
}

export function mentionlyticsSettings(): MentionlyticsSettings {
  return { token: read(mentionlyticsToken), baseUrl: read(mentionlyticsBaseUrl) || "https://app.mentionlytics.com" };
}

/** Meta's settings as configured. */
export interface MetaSettings {
  accessToken: string;
  baseUrl: string;
  apiVersion: string;
  /** The ad account (`act_<id>` or `<id>`) whose campaigns are read. */
  adAccountId: string;
}

export function metaSettings(): MetaSettings {
  return {
    accessToken: read(metaAccessToken),
    baseUrl: read(metaGraphBaseUrl) || "https://graph.facebook.com",
    apiVersion: read(metaApiVersion) || DEFAULT_META_API_VERSION,
    adAccountId: read(metaAdAccountId),
  };
}

/** Google Ads' settings as configured. */
export interface GoogleAdsSettings {
  developerToken: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  customerId: string;
  loginCustomerId: string;
  baseUrl: string;
  tokenUrl: string;
  apiVersion: string;
}

export function googleAdsSettings(): GoogleAdsSettings {
  return {
    developerToken: read(googleAdsDeveloperToken),
    clientId: read(googleAdsClientId),
    clientSecret: read(googleAdsClientSecret),
    refreshToken: read(googleAdsRefreshToken),
    customerId: read(googleAdsCustomerId).replace(/-/g, ""),
    loginCustomerId: read(googleAdsLoginCustomerId).replace(/-/g, ""),
    baseUrl: read(googleAdsBaseUrl) || "https://googleads.googleapis.com",
    tokenUrl: read(googleAdsTokenUrl) || "https://oauth2.googleapis.com/token",
    apiVersion: read(googleAdsApiVersion) || DEFAULT_GOOGLE_ADS_API_VERSION,
  };
}
