// Google Ads API over REST: campaigns with metrics by GAQL through GoogleAdsService.SearchStream.
//   POST {tokenUrl} (oauth2.googleapis.com/token) grant_type=refresh_token → {access_token, expires_in}
//   POST {base}/{version}/customers/{customerId}/googleAds:searchStream {query}
//     headers: Authorization: Bearer, developer-token, login-customer-id (manager accounts)
//   → [ {results: [{campaign: {...}, metrics: {...}}], fieldMask, requestId}, ... ] (one batch per chunk)
// Errors: {error: {code, message, status, details: [{errors: [{errorCode, message}]}]}}, possibly
// inside the array. int64 fields arrive as strings; cost is in micros. Rows are parsed with zod.
// Not the google-ads-api package: its reads go to a fixed googleads.googleapis.com URL and OAuth
// endpoint that cannot be pointed at a local fake (integrations/README.md says where, in its source).
import { ProviderError, type ProviderPolicy } from "../../shared/resilience";
import { num } from "../domain/meta";
import type { AdDay, GoogleCampaign } from "../model";
import { z } from "zod";
import { send, type CallObserver, type Decoder, type ErrorReader } from "./http";
import { decodeWith } from "./schemas";

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

// Google Ads' payloads, parsed with zod (schemas.ts). int64 figures arrive as strings in JSON.
const int64 = z.union([z.string().regex(/^-?\d+$/, "an int64 as a string"), z.number().int()]);
const double = z.number();

const CustomerRowSchema = z.looseObject({
  customer: z.looseObject({ id: int64, descriptiveName: z.string().optional(), currencyCode: z.string().optional() }),
});

const DailyRowSchema = z.looseObject({
  segments: z.looseObject({ date: z.string().regex(DAY, "a YYYY-MM-DD date") }),
  metrics: z.looseObject({ impressions: int64.optional(), clicks: int64.optional(), costMicros: int64.optional(), conversions: double.optional() }).optional(),
});

const CampaignRowSchema = z.looseObject({
  campaign: z.looseObject({ id: int64, name: z.string().optional(), status: z.string().optional(), advertisingChannelType: z.string().optional() }),
  metrics: z
    .looseObject({
      impressions: int64.optional(),
      clicks: int64.optional(),
      costMicros: int64.optional(),
      conversions: double.optional(),
      ctr: double.optional(),
      averageCpc: double.optional(),
    })
    .optional(),
});

const TokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: { errors?: { errorCode?: Record<string, string>; message?: string }[]; requestId?: string }[];
}

export const readGoogleError: ErrorReader = (status, body) => {
  const e: GoogleErrorBody | undefined = Array.isArray(body)
    ? (body.find((b) => b?.error)?.error as GoogleErrorBody)
    : (body as { error?: GoogleErrorBody } | null)?.error;
  if (e && typeof e === "object" && typeof e.message === "string") {
    const detail = e.details?.flatMap((d) => d.errors ?? []).map((x) => `${Object.values(x.errorCode ?? {}).join("/")}: ${x.message}`)[0];
    const kind =
      e.status === "RESOURCE_EXHAUSTED" || status === 429
        ? "rate_limited"
        : e.status === "UNAUTHENTICATED" || e.status === "PERMISSION_DENIED"
          ? "auth"
          : status >= 500
            ? "server"
            : undefined;
    return { message: `${e.message}${detail ? ` (${detail})` : ""}${e.status ? ` [${e.status}]` : ""}`, code: e.status, kind };
  }
  // OAuth token endpoint errors: {error: "invalid_grant", error_description}.
  const o = body as { error?: unknown; error_description?: unknown } | null;
  if (o && typeof o.error === "string")
    return {
      message: `OAuth: ${o.error}${typeof o.error_description === "string" ? ` (${o.error_description})` : ""}`,
      code: o.error,
      kind: o.error === "invalid_grant" || o.error === "invalid_client" ? "auth" : undefined,
    };
  return null;
};

const decodeToken = decodeWith(
  TokenSchema.transform((b) => ({ accessToken: b.access_token, expiresIn: b.expires_in ?? 3600 })),
  "Google OAuth token",
);

/** searchStream's answer: a JSON array of batches, each with its rows (parsed with the query's row schema). */
function streamDecoder<S extends z.ZodType>(row: S): Decoder<z.output<S>[]> {
  const batches = decodeWith(z.array(z.looseObject({ results: z.array(row).optional() })), "Google Ads searchStream");
  return (body) => {
    if (!Array.isArray(body)) return { malformed: "searchStream did not answer a JSON array of batches" };
    const error = body.find((b) => b && typeof b === "object" && "error" in b);
    if (error) return { malformed: `searchStream failed mid-stream: ${JSON.stringify((error as { error: unknown }).error).slice(0, 200)}` };
    const parsed = batches(body);
    if (!Array.isArray(parsed)) return parsed;
    return parsed.flatMap((b) => (b.results ?? []) as z.output<S>[]);
  };
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
        body: new URLSearchParams({
          grant_type: "refresh_token",
          client_id: this.config.clientId,
          client_secret: this.config.clientSecret,
          refresh_token: this.config.refreshToken,
        }).toString(),
      },
      { readError: readGoogleError, decode: decodeToken, observe: this.observe, signal },
    );
    this.token = { value: res.body.accessToken, expiresAt: now + res.body.expiresIn * 1000 };
    return this.token.value;
  }

  /** Runs a GAQL query through searchStream (on the configured customer, or `customerId`) and returns every row of every batch. */
  async search<S extends z.ZodType>(query: string, row: S, signal?: AbortSignal, customerId = this.config.customerId): Promise<z.output<S>[]> {
    const decode = streamDecoder(row);
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
          {
            method: "POST",
            url: `${this.config.baseUrl.replace(/\/$/, "")}/${this.config.apiVersion}/customers/${customerId.replace(/-/g, "")}/googleAds:searchStream`,
            headers,
            body: JSON.stringify({ query }),
          },
          { readError: readGoogleError, decode, observe: this.observe, signal },
        );
        return res.body;
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
    const rows = await this.search(CUSTOMER_QUERY, CustomerRowSchema, signal, customerId);
    const c = rows[0]?.customer;
    if (!c) throw new ProviderError("googleads", "malformed", "unexpected answer: no customer row");
    return { id: String(c.id), name: c.descriptiveName ?? "", currency: c.currencyCode ?? "" };
  }

  /** The customer's figures per day over [since, until] (YYYY-MM-DD, the account's time zone), by GAQL on `customer` segmented by date. */
  async dailyMetrics(customerId: string, since: string, until: string, signal?: AbortSignal): Promise<AdDay[]> {
    if (!DAY.test(since) || !DAY.test(until)) throw new ProviderError("googleads", "client", "dates must be YYYY-MM-DD", { noRetry: true });
    const rows = await this.search(dailyQuery(since, until), DailyRowSchema, signal, customerId);
    return rows.map((r) => {
      const date = r.segments.date;
      const m = r.metrics ?? {};
      return { date, impressions: num(m.impressions), clicks: num(m.clicks), conversions: num(m.conversions), spend: num(m.costMicros) / 1e6 };
    });
  }

  /** The account's campaigns with their last-30-days metrics (the configured customer, or `customerId`). */
  async campaigns(signal?: AbortSignal, customerId = this.config.customerId): Promise<GoogleCampaign[]> {
    const rows = await this.search(CAMPAIGNS_QUERY, CampaignRowSchema, signal, customerId);
    return rows.map((r) => {
      const m = r.metrics ?? {};
      return {
        id: String(r.campaign.id),
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
