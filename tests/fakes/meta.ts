// A fake Meta Graph API for the Marketing API: GET /{version}/act_{id} (the ad account node),
// /campaigns and /insights (by campaign, or by day with level=account&time_increment=1&time_range)
// with cursor paging ({data, paging: {cursors: {before, after}, next}}), Graph error objects, and the
// usage headers (x-app-usage, x-business-use-case-usage) set by tests.
import { json, startFake, type FakeServer } from "./provider-faults";

/** A campaign in the fake account with its insight numbers. */
export interface FakeMetaCampaign {
  id: string;
  name: string;
  status: string;
  objective: string;
  daily_budget?: string;
  impressions: number;
  clicks: number;
  spend: number;
}

/** One day of an ad account's figures (insights with time_increment=1). */
export interface FakeAdDay {
  /** YYYY-MM-DD. */
  date: string;
  impressions: number;
  clicks: number;
  spend: number;
  /** Conversion events that day (reported in the `conversions` action stats). */
  conversions: number;
}

/** An ad account the token can read. */
export interface FakeMetaAccount {
  name: string;
  currency: string;
  campaigns: FakeMetaCampaign[];
  days: FakeAdDay[];
}

/** The fake Graph API and its data. */
export interface FakeMeta extends FakeServer {
  token: string;
  adAccountId: string;
  /** The main account's campaigns (the same array as accounts.get(adAccountId).campaigns). */
  campaigns: FakeMetaCampaign[];
  /** Every account the token can read, by act_ id; add more with `addAccount`. */
  accounts: Map<string, FakeMetaAccount>;
  addAccount(id: string, name?: string, currency?: string): FakeMetaAccount;
  /** Headers added to every normal answer (e.g. usage headers). */
  headers: Record<string, string>;
  /** API versions seen in request paths. */
  versions: string[];
}

const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url");
const offsetOf = (c: string | null) => (c ? Number(Buffer.from(c, "base64url").toString().split(":")[1] ?? 0) : 0);

/** Starts a fake Graph API for one ad account. */
export async function startFakeMeta(token = "meta-test-token", adAccountId = "act_1234567890"): Promise<FakeMeta> {
  const campaigns: FakeMetaCampaign[] = [];
  const accounts = new Map<string, FakeMetaAccount>([[adAccountId, { name: "Main account", currency: "USD", campaigns, days: [] }]]);
  const addAccount = (id: string, name = `Account ${id}`, currency = "USD") => {
    const a: FakeMetaAccount = { name, currency, campaigns: [], days: [] };
    accounts.set(id, a);
    return a;
  };
  const headers: Record<string, string> = {};
  const versions: string[] = [];
  const graphError = (message: string, type: string, code: number, subcode?: number) => ({
    error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: "AbCdEfGh123" },
  });
  const fake = await startFake((req, res) => {
    const m = /^\/(v\d+\.\d+)\/(act_\d+)(?:\/(campaigns|insights))?$/.exec(req.path);
    if (!m || req.method !== "GET") return json(res, 400, graphError("Unknown path components", "OAuthException", 2500));
    versions.push(m[1]);
    const auth = req.headers.authorization === `Bearer ${token}` || req.query.get("access_token") === token;
    if (!auth) return json(res, 401, graphError("Invalid OAuth access token - Cannot parse access token", "OAuthException", 190));
    const account = accounts.get(m[2]);
    if (!account) {
      return json(
        res,
        400,
        graphError(
          `Unsupported get request. Object with ID '${m[2]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          "GraphMethodException",
          100,
          33,
        ),
      );
    }
    if (m[3] === undefined) {
      // The ad account node: GET /{version}/act_{id}?fields=id,account_id,name,currency,account_status
      return json(res, 200, { id: m[2], account_id: m[2].slice(4), name: account.name, currency: account.currency, account_status: 1 }, headers);
    }
    const limit = Math.min(500, Number(req.query.get("limit") ?? 25));
    const offset = offsetOf(req.query.get("after"));
    let range: { since?: string; until?: string } = {};
    if (req.query.get("time_range")) {
      try {
        range = JSON.parse(req.query.get("time_range")!);
      } catch {
        return json(res, 400, graphError("(#100) param time_range must be a JSON object", "OAuthException", 100));
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(range.since ?? "") || !/^\d{4}-\d{2}-\d{2}$/.test(range.until ?? "") || range.since! > range.until!) {
        return json(res, 400, graphError("(#100) Must provide both since and until in time_range, since not after until", "OAuthException", 100));
      }
    }
    const daily = m[3] === "insights" && req.query.get("time_increment") === "1";
    const rows = daily
      ? account.days
          .filter((d) => (!range.since || d.date >= range.since) && (!range.until || d.date <= range.until))
          .sort((a, b) => (a.date < b.date ? -1 : 1))
          .map((d) => ({
            account_id: m[2].slice(4),
            impressions: String(d.impressions),
            clicks: String(d.clicks),
            spend: d.spend.toFixed(2),
            ...(d.conversions ? { conversions: [{ action_type: "offsite_conversion.fb_pixel_purchase", value: String(d.conversions) }] } : {}),
            date_start: d.date,
            date_stop: d.date,
          }))
      : m[3] === "campaigns"
        ? account.campaigns.map((c) => ({
            id: c.id,
            name: c.name,
            status: c.status,
            effective_status: c.status,
            objective: c.objective,
            ...(c.daily_budget ? { daily_budget: c.daily_budget } : {}),
          }))
        : account.campaigns.map((c) => ({
            campaign_id: c.id,
            impressions: String(c.impressions),
            clicks: String(c.clicks),
            spend: c.spend.toFixed(2),
            reach: String(Math.round(c.impressions * 0.6)),
            ctr: c.impressions ? ((100 * c.clicks) / c.impressions).toFixed(6) : "0",
            cpc: c.clicks ? (c.spend / c.clicks).toFixed(6) : "0",
            date_start: "2026-10-25",
            date_stop: "2026-11-23",
          }));
    const page = rows.slice(offset, offset + limit);
    const hasNext = offset + limit < rows.length;
    const next = new URL(`http://${req.headers.host}${req.path}`);
    for (const [k, v] of req.query) next.searchParams.set(k, v);
    next.searchParams.set("after", cursor(offset + limit));
    json(
      res,
      200,
      { data: page, paging: { cursors: { before: cursor(offset), after: cursor(offset + page.length) }, ...(hasNext ? { next: next.toString() } : {}) } },
      headers,
    );
  });
  return { ...fake, token, adAccountId, campaigns, accounts, addAccount, headers, versions };
}
