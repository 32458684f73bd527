// The secrets that point each provider client at its local fake (the other files of tests/fakes/).
import type { FakeGoogleAds } from "./googleads";
import type { FakeMentionlytics } from "./mentionlytics";
import type { FakeMeta } from "./meta";
import type { FakeTwilio } from "./twilio";

export function twilioEnv(twilio: FakeTwilio): Record<string, string> {
  return {
    TWILIO_SID: twilio.accountSid,
    TWILIO_TOKEN: twilio.authToken,
    TWILIO_FROM: "+14155550199",
    TWILIO_WHATSAPP_FROM: "+14155238886",
    TWILIO_BASE_URL: twilio.url,
  };
}

/** Meta's and Google Ads' credentials and URLs, without a default account (campaigns link their own). */
export function adsEnv(meta: FakeMeta, google: FakeGoogleAds): Record<string, string> {
  return {
    META_ACCESS_TOKEN: meta.token,
    META_GRAPH_BASE_URL: meta.url,
    GOOGLE_ADS_DEVELOPER_TOKEN: google.developerToken,
    GOOGLE_ADS_CLIENT_ID: google.clientId,
    GOOGLE_ADS_CLIENT_SECRET: google.clientSecret,
    GOOGLE_ADS_REFRESH_TOKEN: google.refreshToken,
    GOOGLE_ADS_LOGIN_CUSTOMER_ID: google.loginCustomerId,
    GOOGLE_ADS_BASE_URL: google.url,
    GOOGLE_ADS_TOKEN_URL: `${google.url}/token`,
  };
}

export interface ProviderFakes {
  twilio: FakeTwilio;
  ml: FakeMentionlytics;
  meta: FakeMeta;
  google: FakeGoogleAds;
}

/** Every provider at its fake, with the default ad accounts as given (in whichever spelling a test exercises). */
export function providersEnv(f: ProviderFakes, defaults: { metaAdAccountId: string; googleCustomerId: string }): Record<string, string> {
  return {
    ...twilioEnv(f.twilio),
    MENTIONLYTICS_TOKEN: f.ml.token,
    MENTIONLYTICS_BASE_URL: f.ml.url,
    ...adsEnv(f.meta, f.google),
    META_AD_ACCOUNT_ID: defaults.metaAdAccountId,
    GOOGLE_ADS_CUSTOMER_ID: defaults.googleCustomerId,
  };
}
