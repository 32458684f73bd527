// monitoring's private endpoints: the ingest for pollers and the demo feed (no caller: ARCHITECTURE.md
// §2 "Background callers"), the crisis hand-off to alerting ("Crises and alerts"), the summary that
// campaigns' insights show, and the configurations pollers follow.
import { api, APIError } from "encore.dev/api";
import { requireCampaign } from "./access";
import { ingestMentions } from "./ingest";
import type {
  CampaignPath,
  CrisesResponse,
  IngestRequest,
  IngestResponse,
  MarkCrisisAlertedRequest,
  MarkCrisisAlertedResponse,
  MonitoringConfigsResponse,
  MonitoringSummary,
  PendingCrisesRequest,
} from "./model";
import * as reports from "./reports";
import * as store from "./store";

// ingestBatch is the ingest of background callers (pollers, the demo feed): the same pipeline as POST /api/v1/monitoring/ingest, without a caller.
export const ingestBatch = api(
  { expose: false, method: "POST", path: "/internal/monitoring/ingest", bodyLimit: 16_777_216 },
  async ({ campaignId, mentions }: IngestRequest): Promise<IngestResponse> => {
    await requireCampaign(campaignId);
    return ingestMentions(campaignId, mentions);
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
