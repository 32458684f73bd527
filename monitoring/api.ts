// monitoring's public endpoints (seed paths; the live stream's two are in live/stream.ts, the
// mentions CSV in export.ts). Every one is campaign-scoped: the role's `monitoring` permission
// (shared/permissions.ts), then the campaign-access rule (shared/access.ts: 404 for a campaign the
// caller may not see), then the work.
import { currentRequest } from "encore.dev";
import { api, APIError } from "encore.dev/api";
import { requirePermission } from "../shared/permissions";
import { campaignCaller, readScope } from "./access";
import { saveConfig } from "./flows/configs";
import { MENTION_FILTER_PARAMS, unknownParams } from "./domain/filters";
import { ingestMentions as ingest } from "./flows/ingest";
import { streamPath } from "./live/stream";
import type {
  CampaignQuery,
  ConfigIdResponse,
  CrisesRequest,
  CrisesResponse,
  DemoFeedInfo,
  IngestRequest,
  IngestResponse,
  MentionsRequest,
  MentionsResponse,
  MonitoringConfig,
  SentimentRequest,
  SentimentResponse,
  StoredMonitoringConfig,
  TrendingRequest,
  TrendingResponse,
  TrendsRequest,
  TrendsResponse,
} from "./model";
import * as reports from "./flows/reports";
import { demoFeedSetting } from "./secrets";
import * as store from "./store";

// createMonitoringConfig starts (or re-configures) monitoring of a campaign: keywords, competitors, influencers, platforms, alert thresholds (monitoring:create).
export const createMonitoringConfig = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/monitoring/config" },
  async (req: MonitoringConfig): Promise<ConfigIdResponse> => {
    const caller = await campaignCaller(req.campaignId, "create");
    const config = await saveConfig(caller.userID, req);
    return { configId: config.configId };
  },
);

// getMonitoringConfig returns a campaign's monitoring configuration (monitoring:read; 404 when it has none).
export const getMonitoringConfig = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/config" },
  async ({ campaignId }: CampaignQuery): Promise<StoredMonitoringConfig> => {
    await campaignCaller(campaignId, "read");
    const config = await store.getConfig(campaignId);
    if (!config) throw APIError.notFound("this campaign has no monitoring configuration");
    return config;
  },
);

// ingestMentions stores up to 1000 mentions of a campaign once each (re-ingesting is a no-op), scoring sentiment the source did not give, or combining it with the source's under sentimentPolicy "combine" (monitoring:create).
export const ingestMentions = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/monitoring/ingest", bodyLimit: 16_777_216 },
  async ({ campaignId, mentions, sentimentPolicy }: IngestRequest): Promise<IngestResponse> => {
    await campaignCaller(campaignId, "create");
    return ingest(campaignId, mentions, sentimentPolicy ?? "source");
  },
);

// getCurrentSentiment reports a campaign's sentiment between start and end (default the last 24 h): mean, reach-weighted mean, split, per platform, timeline (monitoring:read).
export const getCurrentSentiment = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/sentiment" },
  async ({ campaignId, start, end }: SentimentRequest): Promise<SentimentResponse> => {
    return { sentiment: await reports.sentimentReport(await readScope(campaignId), campaignId, start, end) };
  },
);

/** Query parameters of the mentions list: a misspelt filter ("platfrom=news") is a 400, not a silently wider list. */
const MENTIONS_QUERY = ["campaignId", "limit", "cursor", ...MENTION_FILTER_PARAMS];

function refuseUnknownQuery(known: readonly string[]): void {
  const call = currentRequest();
  if (call?.type !== "api-call") return;
  const unknown = unknownParams(new URL(call.pathAndQuery, "http://localhost").searchParams, known);
  if (unknown.length > 0) throw APIError.invalidArgument(`unknown query parameter ${unknown.map((u) => `"${u}"`).join(", ")}`);
}

// getMentionsMetrics lists a campaign's mentions, newest first, a page at a time, filtered by platform, sentiment (class or range), author, language, time and text (monitoring:read).
export const getMentionsMetrics = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/mentions" },
  async ({ campaignId, limit, cursor, ...filters }: MentionsRequest): Promise<MentionsResponse> => {
    refuseUnknownQuery(MENTIONS_QUERY);
    const scope = await readScope(campaignId);
    return reports.mentionsPage(scope, await reports.mentionFilter(scope, filters), limit ?? 50, cursor);
  },
);

// getTrendingTopics returns the terms whose frequency rose most against their own baseline (monitoring:read).
export const getTrendingTopics = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/trending" },
  async ({ campaignId, limit, hours }: TrendingRequest): Promise<TrendingResponse> => {
    return reports.trending(await readScope(campaignId), limit ?? 10, hours ?? 1);
  },
);

// getTrends compares each platform's volume and sentiment with the period before, with a timeline (monitoring:read).
export const getTrends = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/trends" },
  async ({ campaignId, hours }: TrendsRequest): Promise<TrendsResponse> => {
    return reports.platformTrends(await readScope(campaignId), hours ?? 24);
  },
);

// getCrises lists a campaign's crisis records with their explanations, newest first (monitoring:read).
export const getCrises = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/crises" },
  async ({ campaignId, status, limit }: CrisesRequest): Promise<CrisesResponse> => {
    await campaignCaller(campaignId, "read");
    return { crises: await store.listCrises(campaignId, status ?? null, limit ?? 20) };
  },
);

// getDemoFeed says whether the demo feed runs and which campaign it feeds (monitoring:read; admins see every campaign).
export const getDemoFeed = api({ expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/demo" }, async (): Promise<DemoFeedInfo> => {
  requirePermission("monitoring", "read");
  const setting = demoFeedSetting();
  const campaignId = await store.demoCampaignId();
  const info: DemoFeedInfo = { enabled: setting.enabled };
  if (setting.reason) info.reason = setting.reason;
  if (campaignId) {
    info.campaignId = campaignId;
    info.streamEndpoint = streamPath(campaignId);
  }
  return info;
});
