// The configured providers: one resilience policy per provider for this process (its circuit
// persisted for /api/v1/status, each attempt in the call log), and clients built from the secrets.
// A provider without credentials is "not configured": its endpoints answer 503 unavailable.
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { DEFAULT_POLICY, ProviderError, ProviderPolicy, systemClock, type PolicyOptions } from "../../shared/resilience";
import type { CallRecord } from "../clients/http";
import { GoogleAdsClient } from "../clients/googleads";
import { MentionlyticsClient } from "../clients/mentionlytics";
import { MetaClient } from "../clients/meta";
import { TwilioClient } from "../clients/twilio";
import { googleAdsSettings, mentionlyticsSettings, metaSettings, twilioSettings } from "../secrets";
import * as store from "../store";
import { CIRCUIT_VALUE, circuitState, errorKind, providerErrors } from "../metrics";

/** The providers integrations talks to. */
export type ProviderName = "twilio" | "mentionlytics" | "meta" | "googleads";
export const PROVIDERS: readonly ProviderName[] = ["twilio", "mentionlytics", "meta", "googleads"];

// Per provider: what differs from the defaults. Twilio sends alerts: short timeouts, no long waits.
const TUNING: Record<ProviderName, Partial<PolicyOptions>> = {
  twilio: { timeoutMs: 8_000, maxAttempts: 3, maxRetryAfterMs: 10_000, rateCapacity: 30, ratePerSecond: 30 },
  mentionlytics: { timeoutMs: 15_000, rateCapacity: 5, ratePerSecond: 2 },
  meta: { timeoutMs: 15_000, rateCapacity: 10, ratePerSecond: 5 },
  googleads: { timeoutMs: 20_000, rateCapacity: 10, ratePerSecond: 5 },
};

function observe(call: CallRecord): void {
  const kind = errorKind(call.status, call.error);
  if (kind) providerErrors.with({ provider: call.provider, kind }).increment();
  store.logCall(call).catch((err: Error) => log.warn("integrations: call log write failed", { error: err.message }));
}

const policies = new Map<ProviderName, ProviderPolicy>();

/** This process's circuit for a provider, when this process has called it. */
export function localCircuit(provider: ProviderName) {
  return policies.get(provider)?.breaker.snapshot() ?? null;
}

/** This process's policy for a provider. */
export function policyFor(provider: ProviderName): ProviderPolicy {
  let p = policies.get(provider);
  if (!p) {
    p = new ProviderPolicy({
      ...DEFAULT_POLICY,
      ...TUNING[provider],
      provider,
      clock: systemClock,
      onStateChange: (state, snap) => {
        circuitState.with({ provider }).set(CIRCUIT_VALUE[state]);
        const fields = { failures: snap.consecutiveFailures, lastError: snap.lastError };
        if (state === "open") log.warn(`integrations: ${provider} circuit open`, fields);
        else log.info(`integrations: ${provider} circuit ${state}`, fields);
        store.saveCircuit(provider, snap).catch((err: Error) => log.warn("integrations: circuit state write failed", { error: err.message }));
      },
      onRetry: (err, attempt, delayMs) =>
        log.info(`integrations: retrying ${provider}`, { attempt, delayMs, error: err instanceof Error ? err.message : String(err) }),
    });
    policies.set(provider, p);
    circuitState.with({ provider }).set(CIRCUIT_VALUE[p.breaker.state]);
    // A restarted process resumes an open circuit instead of hammering a provider that is down
    // (best effort: the first call may go out before the saved state is read).
    const policy = p;
    store
      .loadCircuits()
      .then((saved) => {
        const snap = saved.get(provider);
        const untouched = policy.breaker.state === "closed" && policy.breaker.snapshot().consecutiveFailures === 0;
        if (snap && snap.state !== "closed" && untouched) policy.breaker.restore(snap);
      })
      .catch((err: Error) => log.warn("integrations: could not read saved circuit state", { error: err.message }));
  }
  return p;
}

function notConfigured(provider: ProviderName, missing: string[]): APIError {
  return APIError.unavailable(`${provider} is not configured (missing ${missing.join(", ")})`).withDetails({ provider, kind: "not_configured" });
}

/** The Twilio client and its settings, or 503 when Twilio's credentials are missing. */
export function twilio(): { client: TwilioClient; settings: ReturnType<typeof twilioSettings> } {
  const settings = twilioSettings();
  const missing = [!settings.accountSid && "TWILIO_SID", !settings.authToken && "TWILIO_TOKEN"].filter(Boolean) as string[];
  if (missing.length) throw notConfigured("twilio", missing);
  // The SDK refuses anything but an account SID; say so instead of failing inside it.
  if (!/^AC[0-9a-fA-F]{32}$/.test(settings.accountSid))
    throw APIError.unavailable("twilio is misconfigured: TWILIO_SID must be an account SID (AC followed by 32 hex digits)");
  return { client: new TwilioClient(settings, policyFor("twilio"), observe), settings };
}

/** The Mentionlytics client, or 503 when its token is missing. */
export function mentionlytics(): MentionlyticsClient {
  const settings = mentionlyticsSettings();
  if (!settings.token) throw notConfigured("mentionlytics", ["MENTIONLYTICS_TOKEN"]);
  return new MentionlyticsClient(settings, policyFor("mentionlytics"), observe);
}

/** The Google Ads credentials that are missing (the customer comes from the campaign's links, or the default). */
function googleAdsMissing(s: ReturnType<typeof googleAdsSettings>): string[] {
  return (
    [
      [s.developerToken, "GOOGLE_ADS_DEVELOPER_TOKEN"],
      [s.clientId, "GOOGLE_ADS_CLIENT_ID"],
      [s.clientSecret, "GOOGLE_ADS_CLIENT_SECRET"],
      [s.refreshToken, "GOOGLE_ADS_REFRESH_TOKEN"],
    ] as const
  )
    .filter(([v]) => !v)
    .map(([, name]) => name);
}

/** The Meta client for campaigns' linked ad accounts (only the token is needed), or 503. */
export function metaForAccounts(): MetaClient {
  const settings = metaSettings();
  if (!settings.accessToken) throw notConfigured("meta", ["META_ACCESS_TOKEN"]);
  return new MetaClient(settings, policyFor("meta"), observe);
}

/** The Google Ads client for campaigns' linked customers (no GOOGLE_ADS_CUSTOMER_ID needed), or 503. */
export function googleAdsForAccounts(): GoogleAdsClient {
  const s = googleAdsSettings();
  const missing = googleAdsMissing(s);
  if (missing.length) throw notConfigured("googleads", missing);
  return googleAdsClientFor(s);
}

/** Which ad platforms can read linked accounts (their credentials are there). */
export function adsConfigured(): { meta: boolean; google: boolean } {
  return { meta: Boolean(metaSettings().accessToken), google: googleAdsMissing(googleAdsSettings()).length === 0 };
}

// One Google Ads client per process so its OAuth access token is reused until it expires.
let googleClient: { key: string; client: GoogleAdsClient } | undefined;
function googleAdsClientFor(s: ReturnType<typeof googleAdsSettings>): GoogleAdsClient {
  const key = JSON.stringify(s);
  if (googleClient?.key !== key) googleClient = { key, client: new GoogleAdsClient(s, policyFor("googleads"), observe) };
  return googleClient.client;
}

/**
 * Whether each provider has its credentials. Meta and Google Ads count as configured with what
 * reading campaigns' linked accounts needs (the default account ids only serve /integrations/meta|google).
 */
export function configured(): Record<ProviderName, boolean> {
  const t = twilioSettings();
  const ads = adsConfigured();
  return {
    twilio: Boolean(t.accountSid && t.authToken),
    mentionlytics: Boolean(mentionlyticsSettings().token),
    meta: ads.meta,
    googleads: ads.google,
  };
}

/**
 * A provider failure as the caller sees it: a provider that is down, throttling or answering
 * garbage is 503 unavailable (graceful degradation); a request it refuses is 400; bad credentials
 * are 503 too (the caller cannot fix them), with the reason.
 */
export function toAPIError(err: unknown): APIError {
  if (err instanceof APIError) return err;
  if (err instanceof ProviderError) {
    if (err.kind === "client") return APIError.invalidArgument(err.message);
    // The provider is named in the details: callers tell a provider's outage from ours by it.
    const details = { provider: err.provider, kind: err.kind, ...(err.retryAfterMs ? { retryAfterSeconds: Math.ceil(err.retryAfterMs / 1000) } : {}) };
    if (err.kind === "rate_limited") return APIError.unavailable(`${err.message} (rate limited by the provider; try again later)`).withDetails(details);
    return APIError.unavailable(err.message).withDetails(details);
  }
  log.error("integrations: unexpected failure", { error: err instanceof Error ? err.message : String(err) });
  return APIError.internal("unexpected failure");
}
