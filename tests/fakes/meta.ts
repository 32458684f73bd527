// A fake Meta Graph API for the Marketing API: GET /{version}/act_{id}/campaigns and /insights with
// cursor paging ({data, paging: {cursors: {before, after}, next}}), Graph error objects, and the
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

/** The fake Graph API and its data. */
export interface FakeMeta extends FakeServer {
  token: string;
  adAccountId: string;
  campaigns: FakeMetaCampaign[];
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
  const headers: Record<string, string> = {};
  const versions: string[] = [];
  const graphError = (status: number, message: string, type: string, code: number, subcode?: number) => ({
    error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: "AbCdEfGh123" },
  });
  const fake = await startFake((req, res) => {
    const m = /^\/(v\d+\.\d+)\/(act_\d+)\/(campaigns|insights)$/.exec(req.path);
    if (!m || req.method !== "GET") return json(res, 400, graphError(400, "Unknown path components", "OAuthException", 2500));
    versions.push(m[1]);
    const auth = req.headers.authorization === `Bearer ${token}` || req.query.get("access_token") === token;
    if (!auth) return json(res, 401, graphError(401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190));
    if (m[2] !== adAccountId) return json(res, 400, graphError(400, `Unsupported get request. Object with ID '${m[2]}' does not exist`, "GraphMethodException", 100, 33));
    const limit = Math.min(500, Number(req.query.get("limit") ?? 25));
    const offset = offsetOf(req.query.get("after"));
    const rows =
      m[3] === "campaigns"
        ? campaigns.map((c) => ({ id: c.id, name: c.name, status: c.status, effective_status: c.status, objective: c.objective, ...(c.daily_budget ? { daily_budget: c.daily_budget } : {}) }))
        : campaigns.map((c) => ({
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
    json(res, 200, { data: page, paging: { cursors: { before: cursor(offset), after: cursor(offset + page.length) }, ...(hasNext ? { next: next.toString() } : {}) } }, headers);
  });
  return { ...fake, token, adAccountId, campaigns, headers, versions };
}
