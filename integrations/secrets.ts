// integrations' configuration: every secret it reads, read only here. A missing secret reads as ""
// (the provider is then "not configured" and its endpoints answer 503 unavailable).
import { secret } from "encore.dev/config";
import { readSecret } from "../shared/secrets";

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
    accountSid: readSecret(twilioSid),
    authToken: readSecret(twilioToken),
    from: readSecret(twilioFrom),
    whatsappFrom: readSecret(twilioWhatsappFrom),
    baseUrl: readSecret(twilioBaseUrl) || "https://api.twilio.com",
    statusCallbackUrl: readSecret(twilioStatusCallbackUrl),
  };
}

/** Mentionlytics' settings as configured. */
export interface MentionlyticsSettings {
  token: string;
  baseUrl: string;
}

export function mentionlyticsSettings(): MentionlyticsSettings {
  return { token: readSecret(mentionlyticsToken), baseUrl: readSecret(mentionlyticsBaseUrl) || "https://app.mentionlytics.com" };
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
    accessToken: readSecret(metaAccessToken),
    baseUrl: readSecret(metaGraphBaseUrl) || "https://graph.facebook.com",
    apiVersion: readSecret(metaApiVersion) || DEFAULT_META_API_VERSION,
    adAccountId: readSecret(metaAdAccountId),
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
    developerToken: readSecret(googleAdsDeveloperToken),
    clientId: readSecret(googleAdsClientId),
    clientSecret: readSecret(googleAdsClientSecret),
    refreshToken: readSecret(googleAdsRefreshToken),
    customerId: readSecret(googleAdsCustomerId).replace(/-/g, ""),
    loginCustomerId: readSecret(googleAdsLoginCustomerId).replace(/-/g, ""),
    baseUrl: readSecret(googleAdsBaseUrl) || "https://googleads.googleapis.com",
    tokenUrl: readSecret(googleAdsTokenUrl) || "https://oauth2.googleapis.com/token",
    apiVersion: readSecret(googleAdsApiVersion) || DEFAULT_GOOGLE_ADS_API_VERSION,
  };
}
