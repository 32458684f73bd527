// A fake Google Ads API (REST) with its OAuth token endpoint:
//   POST /token  grant_type=refresh_token → {access_token, expires_in, token_type}
//   POST /{version}/customers/{id}/googleAds:searchStream {query} → [batch, batch, …]
//     FROM campaign (campaigns with metrics), FROM customer (the customer itself, or its figures per
//     day when segments.date is selected: a BETWEEN date range is then required, as in the real API)
// checking the bearer token, developer-token and login-customer-id headers, and answering Google's
// error shape ({error: {code, message, status, details}}). Campaign rows are streamed in batches of
// `batchSize` (searchStream's chunks).
import { randomBytes } from "node:crypto";
import { json, startFake, type FakeServer } from "./provider-faults";

/** A campaign in the fake account. */
export interface FakeGoogleCampaign {
  id: string;
  name: string;
  status: string;
  channel: string;
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
}

/** One day of a customer's figures (GAQL on `customer` segmented by segments.date). */
export interface FakeGoogleDay {
  /** YYYY-MM-DD. */
  date: string;
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
}

/** A customer the credentials can read (through the login customer). */
export interface FakeGoogleCustomer {
  name: string;
  currency: string;
  campaigns: FakeGoogleCampaign[];
  days: FakeGoogleDay[];
}

/** The fake Google Ads API and its data. */
export interface FakeGoogleAds extends FakeServer {
  /** Every customer the credentials can read, by 10-digit id (the main one's campaigns are `campaigns`). */
  customers: Map<string, FakeGoogleCustomer>;
  addCustomer(id: string, name?: string, currency?: string): FakeGoogleCustomer;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  developerToken: string;
  customerId: string;
  loginCustomerId: string;
  campaigns: FakeGoogleCampaign[];
  batchSize: number;
  /** Access tokens issued, newest last; `revoke` makes the next searchStream see a 401. */
  issued: string[];
  revoke(): void;
  queries: string[];
}

/** Starts a fake Google Ads API. */
export async function startFakeGoogleAds(): Promise<FakeGoogleAds> {
  const state = { batchSize: 10, valid: new Set<string>() };
  const campaigns: FakeGoogleCampaign[] = [];
  const issued: string[] = [];
  const queries: string[] = [];
  const creds = {
    clientId: "client-id.apps.googleusercontent.com",
    clientSecret: "client-secret",
    refreshToken: "1//refresh",
    developerToken: "dev-token",
    customerId: "1234567890",
    loginCustomerId: "9876543210",
  };
  const gError = (code: number, status: string, message: string, errorCode?: Record<string, string>, detail?: string) => ({
    error: {
      code,
      message,
      status,
      ...(errorCode
        ? {
            details: [
              {
                "@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
                errors: [{ errorCode, message: detail ?? message }],
                requestId: randomBytes(8).toString("hex"),
              },
            ],
          }
        : {}),
    },
  });
  const customers = new Map<string, FakeGoogleCustomer>([[creds.customerId, { name: "Main customer", currency: "USD", campaigns, days: [] }]]);
  const addCustomer = (id: string, name = `Customer ${id}`, currency = "USD") => {
    const c: FakeGoogleCustomer = { name, currency, campaigns: [], days: [] };
    customers.set(id, c);
    return c;
  };
  const fake = await startFake((req, res) => {
    if (req.method === "POST" && req.path === "/token") {
      const f = new URLSearchParams(req.body);
      if (f.get("grant_type") !== "refresh_token") return json(res, 400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" });
      if (f.get("client_id") !== creds.clientId || f.get("client_secret") !== creds.clientSecret)
        return json(res, 401, { error: "invalid_client", error_description: "The OAuth client was not found." });
      if (f.get("refresh_token") !== creds.refreshToken)
        return json(res, 400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
      const token = `ya29.${randomBytes(12).toString("hex")}`;
      issued.push(token);
      state.valid.add(token);
      return json(res, 200, { access_token: token, expires_in: 3599, scope: "https://www.googleapis.com/auth/adwords", token_type: "Bearer" });
    }
    const m = /^\/(v\d+)\/customers\/(\d+)\/googleAds:searchStream$/.exec(req.path);
    if (!m || req.method !== "POST") return json(res, 404, gError(404, "NOT_FOUND", "Method not found."));
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!bearer || !state.valid.has(bearer))
      return json(res, 401, gError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token."));
    if (req.headers["developer-token"] !== creds.developerToken)
      return json(res, 401, gError(401, "UNAUTHENTICATED", "The developer token is not valid.", { authenticationError: "DEVELOPER_TOKEN_INVALID" }));
    const customer = customers.get(m[2]);
    if (req.headers["login-customer-id"] !== creds.loginCustomerId || !customer) {
      return json(
        res,
        403,
        gError(
          403,
          "PERMISSION_DENIED",
          "The caller does not have permission",
          { authorizationError: "USER_PERMISSION_DENIED" },
          "User doesn't have permission to access customer.",
        ),
      );
    }
    let query = "";
    try {
      query = String(JSON.parse(req.body).query ?? "");
    } catch {
      return json(res, 400, gError(400, "INVALID_ARGUMENT", "Invalid JSON payload received."));
    }
    queries.push(query);
    const from = /^\s*SELECT\s[\s\S]+\sFROM\s+(campaign|customer)\b/i.exec(query)?.[1]?.toLowerCase();
    if (!from)
      return json(
        res,
        400,
        gError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", { queryError: "PROHIBITED_RESOURCE_TYPE_IN_FROM_CLAUSE" }, "Error in query"),
      );
    const batchesOf = (rows: unknown[], fieldMask: string) => {
      const out = [];
      for (let i = 0; i < rows.length || i === 0; i += state.batchSize) {
        out.push({ results: rows.slice(i, i + state.batchSize), fieldMask, requestId: randomBytes(8).toString("hex") });
        if (rows.length === 0) break;
      }
      return out;
    };
    if (from === "customer") {
      const resourceName = `customers/${m[2]}`;
      if (!/segments\.date/i.test(query)) {
        const row = { customer: { resourceName, id: m[2], descriptiveName: customer.name, currencyCode: customer.currency } };
        return json(res, 200, batchesOf([row], "customer.id,customer.descriptiveName,customer.currencyCode"));
      }
      // Selecting segments.date needs a finite date range in WHERE, as in the real API.
      const between = /segments\.date\s+BETWEEN\s+'(\d{4}-\d{2}-\d{2})'\s+AND\s+'(\d{4}-\d{2}-\d{2})'/i.exec(query);
      if (!between)
        return json(
          res,
          400,
          gError(
            400,
            "INVALID_ARGUMENT",
            "Request contains an invalid argument.",
            { queryError: "EXPECTED_FILTERS_ON_DATE_RANGE" },
            "Filters on date range are needed when segmenting by date.",
          ),
        );
      const rows = customer.days
        .filter((d) => d.date >= between[1] && d.date <= between[2])
        .sort((a, b) => (a.date < b.date ? -1 : 1))
        .map((d) => ({
          customer: { resourceName },
          segments: { date: d.date },
          metrics: { impressions: String(d.impressions), clicks: String(d.clicks), costMicros: String(d.costMicros), conversions: d.conversions },
        }));
      return json(res, 200, batchesOf(rows, "segments.date,metrics.impressions,metrics.clicks,metrics.costMicros,metrics.conversions"));
    }
    const rows = customer.campaigns.map((c) => ({
      campaign: { resourceName: `customers/${m[2]}/campaigns/${c.id}`, id: c.id, name: c.name, status: c.status, advertisingChannelType: c.channel },
      metrics: {
        impressions: String(c.impressions),
        clicks: String(c.clicks),
        costMicros: String(c.costMicros),
        conversions: c.conversions,
        ctr: c.impressions ? c.clicks / c.impressions : 0,
        averageCpc: c.clicks ? c.costMicros / c.clicks : 0,
      },
    }));
    const batches = [];
    for (let i = 0; i < rows.length || i === 0; i += state.batchSize) {
      batches.push({
        results: rows.slice(i, i + state.batchSize),
        fieldMask:
          "campaign.id,campaign.name,campaign.status,campaign.advertisingChannelType,metrics.impressions,metrics.clicks,metrics.costMicros,metrics.conversions,metrics.ctr,metrics.averageCpc",
        requestId: randomBytes(8).toString("hex"),
      });
      if (rows.length === 0) break;
    }
    json(res, 200, batches);
  });
  return {
    ...fake,
    ...creds,
    campaigns,
    customers,
    addCustomer,
    get batchSize() {
      return state.batchSize;
    },
    set batchSize(n: number) {
      state.batchSize = n;
    },
    issued,
    queries,
    revoke() {
      state.valid.clear();
    },
  };
}
