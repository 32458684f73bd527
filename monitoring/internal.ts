// monitoring's private endpoints: the ingest for pollers and the demo feed (no caller: docs/architecture.md,
// "Background callers"), the crisis hand-off to alerting ("Crises and alerts"), the summary that
// campaigns' insights show, the configurations pollers follow, the reads intelligence makes,
// analytics' day aggregates, and compliance's purge and erasure. Their types are in model.ts.
import { api, APIError } from "encore.dev/api";
import type { ErasureRequest, ErasureResult, PurgeRequest, PurgeResult } from "../shared/retention";
import { requireCampaign } from "./access";
import { basicFilter } from "./domain/filters";
import { NEUTRAL_BAND, containsPattern } from "./domain/windows";
import { ingestMentions } from "./flows/ingest";
import type {
  CampaignPath,
  CrisesResponse,
  DayAggregates,
  DayAggregatesRequest,
  IngestRequest,
  IngestResponse,
  MarkCrisisAlertedRequest,
  MarkCrisisAlertedResponse,
  MonitoringConfigsResponse,
  MonitoringSummary,
  PendingCrisesRequest,
  SentimentReport,
  ServiceCrisesRequest,
  ServiceMentionsRequest,
  ServiceMentionsResponse,
  ServiceSentimentRequest,
  ServiceTotalsRequest,
  ServiceTotalsResponse,
  StoredMonitoringConfig,
} from "./model";
import * as reports from "./flows/reports";
import * as store from "./store";

// ingestBatch is the ingest of background callers (pollers, the demo feed): the same pipeline as POST /api/v1/monitoring/ingest, without a caller; their vendors' scores are combined with ours unless sentimentPolicy says "source".
export const ingestBatch = api(
  { expose: false, method: "POST", path: "/internal/monitoring/ingest", bodyLimit: 16_777_216 },
  async ({ campaignId, mentions, sentimentPolicy }: IngestRequest): Promise<IngestResponse> => {
    await requireCampaign(campaignId);
    return ingestMentions(campaignId, mentions, sentimentPolicy ?? "combine");
  },
);

// listPendingCrises returns the crises whose alert is pending, oldest first: alerting raises them, then marks them alerted.
export const listPendingCrises = api(
  { expose: false, method: "GET", path: "/internal/monitoring/crises/pending" },
  async ({ limit }: PendingCrisesRequest): Promise<CrisesResponse> => ({ crises: await store.pendingCrises(limit ?? 100) }),
);

// markCrisisAlerted records that alerting raised a crisis's alert at alertVersion (an escalation since then stays pending; idempotent).
export const markCrisisAlerted = api(
  { expose: false, method: "POST", path: "/internal/monitoring/crises/alerted" },
  async ({ crisisId, alertVersion, alertId }: MarkCrisisAlertedRequest): Promise<MarkCrisisAlertedResponse> => {
    const result = await store.markAlerted(crisisId, alertVersion, alertId ?? null);
    if (!result) throw APIError.notFound("no such crisis");
    return result;
  },
);

// getCampaignSummary returns a campaign's monitoring in figures (for campaigns' insights).
export const getCampaignSummary = api(
  { expose: false, method: "GET", path: "/internal/monitoring/summary/:campaignId" },
  async ({ campaignId }: CampaignPath): Promise<MonitoringSummary> => {
    await requireCampaign(campaignId);
    return reports.summary(campaignId);
  },
);

// listMonitoringConfigs returns every campaign's monitoring configuration (for pollers).
export const listMonitoringConfigs = api(
  { expose: false, method: "GET", path: "/internal/monitoring/configs" },
  async (): Promise<MonitoringConfigsResponse> => ({ configs: await store.listConfigs() }),
);

// --- reads for intelligence (threat assessment, competitor view, the assistant's tools) ---

// getMentionsForService returns a window of a campaign's mentions (intelligence's threat factors, competitor view, tools).
export const getMentionsForService = api(
  { expose: false, method: "GET", path: "/internal/monitoring/campaigns/:campaignId/mentions" },
  async ({ campaignId, hours, keyword, limit, offsetHours }: ServiceMentionsRequest): Promise<ServiceMentionsResponse> => {
    await requireCampaign(campaignId);
    const endMs = Date.now() - (offsetHours ?? 0) * 3_600_000;
    const since = new Date(endMs - hours * 3_600_000);
    const pattern = keyword ? containsPattern(keyword) : null;
    const after = offsetHours ? { timestamp: new Date(endMs), mentionId: "ffffffff-ffff-ffff-ffff-ffffffffffff" } : null;
    const mentions = await store.listMentions([campaignId], basicFilter(since, pattern), after, limit ?? 500);
    const total =
      (await store.countMentions([campaignId], basicFilter(since, pattern))) -
      (offsetHours ? await store.countMentions([campaignId], basicFilter(new Date(endMs), pattern)) : 0);
    return { mentions, total };
  },
);

// getPlatformTotalsForService returns a campaign's per-platform totals over [start, end).
export const getPlatformTotalsForService = api(
  { expose: false, method: "GET", path: "/internal/monitoring/campaigns/:campaignId/totals" },
  async ({ campaignId, start, end }: ServiceTotalsRequest): Promise<ServiceTotalsResponse> => {
    await requireCampaign(campaignId);
    return { platforms: await store.platformTotals([campaignId], start, end, NEUTRAL_BAND) };
  },
);

// getSentimentForService returns a campaign's sentiment report over a window (default: the last 24 h).
export const getSentimentForService = api(
  { expose: false, method: "GET", path: "/internal/monitoring/campaigns/:campaignId/sentiment" },
  async ({ campaignId, start, end }: ServiceSentimentRequest): Promise<SentimentReport> => {
    await requireCampaign(campaignId);
    return reports.sentimentReport([campaignId], campaignId, start, end);
  },
);

// getCrisesForService returns a campaign's crisis records, newest first (openOnly: not resolved).
export const getCrisesForService = api(
  { expose: false, method: "GET", path: "/internal/monitoring/campaigns/:campaignId/crises" },
  async ({ campaignId, openOnly }: ServiceCrisesRequest): Promise<CrisesResponse> => {
    await requireCampaign(campaignId);
    const crises = await store.listCrises(campaignId, null, 100);
    return { crises: openOnly ? crises.filter((c) => c.status !== "resolved") : crises };
  },
);

// getConfigForService returns a campaign's monitoring configuration (404 when it has none).
export const getConfigForService = api(
  { expose: false, method: "GET", path: "/internal/monitoring/campaigns/:campaignId/config" },
  async ({ campaignId }: CampaignPath): Promise<StoredMonitoringConfig> => {
    const config = await store.getConfig(campaignId);
    if (!config) throw APIError.notFound("the campaign has no monitoring configuration");
    return config;
  },
);

// getDayAggregates returns a campaign's UTC day in figures from the stored mentions and crises (analytics' nightly finalisation and backfill).
export const getDayAggregates = api(
  { expose: false, method: "POST", path: "/internal/monitoring/day-aggregates" },
  async (req: DayAggregatesRequest): Promise<DayAggregates> => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(req.date) || Number.isNaN(Date.parse(`${req.date}T00:00:00Z`))) throw APIError.invalidArgument("date must be YYYY-MM-DD");
    return store.dayAggregates(req);
  },
);

// purgeRetention deletes the rows of a retention class monitoring owns (mentions) older than `before` (compliance's daily retention run).
export const purgeRetention = api(
  { expose: false, method: "POST", path: "/internal/monitoring/retention/purge" },
  async ({ dataClass, before }: PurgeRequest): Promise<PurgeResult> => {
    if (dataClass !== "mentions") throw APIError.invalidArgument(`monitoring does not own ${dataClass}`);
    return { dataClass, deleted: await store.purgeMentions(new Date(before)) };
  },
);

// eraseUserData removes a War Room user from monitoring (their id on the configurations they made) for a compliance erasure request.
export const eraseUserData = api(
  { expose: false, method: "POST", path: "/internal/monitoring/erasure" },
  async ({ userId }: ErasureRequest): Promise<ErasureResult> => ({
    service: "monitoring",
    erased: { config_authors: await store.eraseUserReferences(userId) },
  }),
);
