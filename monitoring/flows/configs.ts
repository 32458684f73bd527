// Monitoring configurations: checked (lists cleaned, thresholds judged by the detector), stored one
// per campaign (a new one replaces the old and keeps its id), audited. From the next batch on, the
// campaign's detector runs with the new thresholds and competitors; pollers read the keywords,
// platforms and refresh interval through listMonitoringConfigs.
import { APIError } from "encore.dev/api";
import { cleanConfigLists } from "../domain/config";
import { audit } from "../audit";
import { DetectorConfigError, resolveConfig } from "../domain/detector";
import type { MonitoringConfig, StoredMonitoringConfig } from "../model";
import * as store from "../store";

function auditView(c: StoredMonitoringConfig): Record<string, unknown> {
  return {
    keywords: c.keywords,
    competitors: c.competitors,
    influencers: c.influencers,
    platforms: c.platforms,
    alertThresholds: c.alertThresholds,
    refreshInterval: c.refreshInterval,
  };
}

/**
 * Creates or replaces a campaign's monitoring configuration. Access is its callers' to check: the
 * endpoint (createMonitoringConfig: monitoring:create on the campaign, campaignCaller) and the demo
 * feed, which configures the campaign it has just created.
 */
export async function saveConfig(actorId: string, req: MonitoringConfig): Promise<StoredMonitoringConfig> {
  const lists = cleanConfigLists(req);
  if (!lists.ok) throw APIError.invalidArgument(lists.message);
  const t = req.alertThresholds;
  try {
    resolveConfig({ campaignId: req.campaignId, thresholds: t, competitors: lists.lists.competitors });
  } catch (err) {
    if (err instanceof DetectorConfigError) throw APIError.invalidArgument(`alertThresholds: ${err.message}`);
    throw err;
  }
  const thresholds = { sentimentDrop: t.sentimentDrop, mentionSpike: t.mentionSpike, crisisScore: t.crisisScore, engagementDrop: t.engagementDrop };
  const { config, before } = await store.upsertConfig({ ...req, ...lists.lists, alertThresholds: thresholds }, actorId);
  await audit({
    actorId,
    action: before ? "monitoring.config_updated" : "monitoring.config_created",
    targetType: "monitoring_config",
    targetId: config.configId,
    details: { campaignId: config.campaignId, ...(before ? { before: auditView(before) } : {}), after: auditView(config) },
  });
  return config;
}
