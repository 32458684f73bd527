// Google Ads API over REST: campaigns with metrics by GAQL through GoogleAdsService.SearchStream.
//   POST {tokenUrl} (oauth2.googleapis.com/token) grant_type=refresh_token → {access_token, expires_in}
//   POST {base}/{version}/customers/{customerId}/googleAds:searchStream {query}
//     headers: Authorization: Bearer, developer-token, login-customer-id (manager accounts)
//   → [ {results: [{campaign: {...}, metrics: {...}}], fieldMask, requestId}, ... ] (one batch per chunk)
// Errors: {error: {code, message, status, details: [{errors: [{errorCode, message}]}]}}, possibly
// inside the array. int64 fields arrive as strings; cost is in micros.
import { ProviderError, type ProviderPolicy } from "../../shared/resilience";
import { num } from "../domain/meta";
import type { AdDay, GoogleCampaign } from "../model";
import { send, type CallObserver, type ErrorReader } from "./http";

/** Google Ads credentials and where to reach it. */
export interface GoogleAdsConfig {
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

/** The campaigns report, in GAQL. */
export const CAMPAIGNS_QUERY = `SELECT campaign.id, campaign.name, campaign.status, campaign.advertising_channel_type,
  metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.ctr, metrics.average_cpc
FROM campaign WHERE segments.date DURING LAST_30_DAYS`;

/** The customer lookup that validates an account link. */
export const CUSTOMER_QUERY = "SELECT customer.id, customer.descriptive_name, customer.currency_code FROM customer LIMIT 1";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The account's daily figures over [since, until], in GAQL. */
export function dailyQuery(since: string, until: string): string {
  return `SELECT segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions
FROM customer WHERE segments.date BETWEEN '${since}' AND '${until}' ORDER BY segments.date`;
}

/** A Google Ads customer as Google answers for it. */
export interface GoogleCustomer {
  id: string;
  name: string;
  currency: string;
}

interface CustomerRow {
  customer?: { id?: string; descriptiveName?: string; currencyCode?: string };
}

interface DailyRow {
  segments?: { date?: string };
  metrics?: { impressions?: string; clicks?: string; costMicros?: string; conversions?: number };
}

interface Row {
  campaign?: { id?: string; name?: string; status?: string; advertisingChannelType?: string };
  metrics?: { impressions?: string; clicks?: string; costMicros?: string; conversions?: number; ctr?: number; averageCpc?: number };
}

interface Batch {
  results?: Row[];
}

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: { errors?: { errorCode?: Record<string, string>; message?: string }[]; requestId?: string }[];
}

export const readGoogleError: ErrorReader = (status, body) => {
  const e: GoogleErrorBody | undefined = Array.isArray(body) ? (body.find((b) => b?.error)?.error as GoogleErrorBody) : (body as { error?: GoogleErrorBody } | null)?.error;
  if (e && typeof e === "object" && typeof e.message === "string") {
    const detail = e.details?.flatMap((d) => d.errors ?? []).map((x) => `${Object.values(x.errorCode ?? {}).join("/")}: ${x.message}`)[0];
    const kind = e.status === "RESOURCE_EXHAUSTED" || status === 429 ? "rate_limited" : e.status === "UNAUTHENTICATED" || e.status === "PERMISSION_DENIED" ? "auth" : status >= 500 ? "server" : undefined;
    return { message: `${e.message}${detail ? ` (${detail})` : ""}${e.status ? ` [${e.status}]` : ""}`, code: e.status, kind };
  }
  // OAuth token endpoint errors: {error: "invalid_grant", error_description}.
  const o = body as { error?: unknown; error_description?: unknown } | null;
  if (o && typeof o.error === "string") return { message: `OAuth: ${o.error}${typeof o.error_description === "string" ? ` (${o.error_description})` : ""}`, code: o.error, kind: o.error === "invalid_grant" || o.error === "invalid_client" ? "auth" : undefined };
  return null;
};

function decodeToken(body: unknown): { accessToken: string; expiresIn: number } | { malformed: string } {
  const b = body as { access_token?: unknown; expires_in?: unknown } | null;
  if (!b || typeof b.access_token !== "string") return { malformed: "an OAuth answer without access_token" };
  return { accessToken: b.access_token, expiresIn: typeof b.expires_in === "number" ? b.expires_in : 3600 };
}

function decodeStream(body: unknown): Batch[] | { malformed: string } {
  if (!Array.isArray(body)) return { malformed: "searchStream did not answer a JSON array of batches" };
  const error = body.find((b) => b && typeof b === "object" && "error" in b);
  if (error) return { malformed: `searchStream failed mid-stream: ${JSON.stringify((error as { error: unknown }).error).slice(0, 200)}` };
  return body as Batch[];
}

export class GoogleAdsClient {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    private readonly config: GoogleAdsConfig,
    private readonly policy: ProviderPolicy,
    private readonly observe?: CallObserver,
  ) {}

  get apiVersion(): string {
    return this.config.apiVersion;
  }
  get customerId(): string {
    return this.config.customerId;
  }

  /** A valid access token: cached until a minute before it expires, else refreshed with the refresh token. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const now = this.policy.o.clock.now();
    if (this.token && this.token.expiresAt - 60_000 > now) return this.token.value;
    const res = await send(
      this.policy,
      {
        method: "POST",
        url: this.config.tokenUrl,
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ grant_type: "refresh_token", client_id: this.config.clientId, client_secret: this.config.clientSecret, refresh_token: this.config.refreshToken }).toString(),
      },
      { readError: readGoogleError, decode: decodeToken, observe: this.observe, signal },
    );
    this.token = { value: res.body.accessToken, expiresAt: now + res.body.expiresIn * 1000 };
    return this.token.value;
  }

  /** Runs a GAQL query through searchStream (on the configured customer, or `customerId`) and returns every row of every batch. */
  async search<T = Row>(query: string, signal?: AbortSignal, customerId = this.config.customerId): Promise<T[]> {
    for (let refreshed = false; ; refreshed = true) {
      const token = await this.accessToken(signal);
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        "developer-token": this.config.developerToken,
        "content-type": "application/json",
        accept: "application/json",
      };
      if (this.config.loginCustomerId) headers["login-customer-id"] = this.config.loginCustomerId;
      try {
        const res = await send(
          this.policy,
          { method: "POST", url: `${this.config.baseUrl.replace(/\/$/, "")}/${this.config.apiVersion}/customers/${customerId.replace(/-/g, "")}/googleAds:searchStream`, headers, body: JSON.stringify({ query }) },
          { readError: readGoogleError, decode: decodeStream, observe: this.observe, signal },
        );
        return res.body.flatMap((b) => (b.results ?? []) as T[]);
      } catch (err) {
        // An access token revoked or expired early: refresh once and try again.
        if (!refreshed && err instanceof ProviderError && err.kind === "auth" && err.status === 401) {
          this.token = null;
          continue;
        }
        throw err;
      }
    }
  }

  /** A customer as Google answers for it: reachable with our credentials, or a ProviderError (PERMISSION_DENIED: no access). */
  async customer(customerId: string, signal?: AbortSignal): Promise<GoogleCustomer> {
    const rows = await this.search<CustomerRow>(CUSTOMER_QUERY, signal, customerId);
    const c = rows[0]?.customer;
    if (!c?.id) throw new ProviderError("googleads", "malformed", "unexpected answer: no customer row");
    return { id: String(c.id), name: c.descriptiveName ?? "", currency: c.currencyCode ?? "" };
  }

  /** The customer's figures per day over [since, until] (YYYY-MM-DD, the account's time zone), by GAQL on `customer` segmented by date. */
  async dailyMetrics(customerId: string, since: string, until: string, signal?: AbortSignal): Promise<AdDay[]> {
    if (!DAY.test(since) || !DAY.test(until)) throw new ProviderError("googleads", "client", "dates must be YYYY-MM-DD", { noRetry: true });
    const rows = await this.search<DailyRow>(dailyQuery(since, until), signal, customerId);
    return rows.map((r) => {
      const date = r.segments?.date;
      if (typeof date !== "string" || !DAY.test(date)) throw new ProviderError("googleads", "malformed", "unexpected answer: a row without segments.date");
      const m = r.metrics ?? {};
      return { date, impressions: num(m.impressions), clicks: num(m.clicks), conversions: num(m.conversions), spend: num(m.costMicros) / 1e6 };
    });
  }

  /** The account's campaigns with their last-30-days metrics (the configured customer, or `customerId`). */
  async campaigns(signal?: AbortSignal, customerId = this.config.customerId): Promise<GoogleCampaign[]> {
    const rows = await this.search<Row>(CAMPAIGNS_QUERY, signal, customerId);
    return rows.map((r) => {
      if (!r.campaign?.id) throw new ProviderError("googleads", "malformed", "unexpected answer: a row without campaign.id");
      const m = r.metrics ?? {};
      return {
        id: r.campaign.id,
        name: r.campaign.name ?? "",
        status: r.campaign.status ?? "UNSPECIFIED",
        channelType: r.campaign.advertisingChannelType ?? "UNSPECIFIED",
        impressions: num(m.impressions),
        clicks: num(m.clicks),
        cost: num(m.costMicros) / 1e6,
        conversions: num(m.conversions),
        ctr: num(m.ctr),
        averageCpc: num(m.averageCpc) / 1e6,
      };
    });
  }
}
