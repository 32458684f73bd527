// What a delivery renders: the incident as it is now (its story from the detector's explanation),
// whether this page is an UPDATE, and its links (the dashboard's incident page; a signed
// acknowledgement link for email and Slack).
import { ackToken } from "../domain/links";
import { storyOf, type Explanation } from "../../shared/story";
import type { AlertContent } from "../domain/templates";
import { linkConfig } from "../secrets";
import type * as store from "../store";

/** The explanation kept in an alert's data, when it has one. */
export function explanationIn(data: Record<string, unknown>): Explanation | null {
  const e = data.explanation as Explanation | undefined;
  return e && typeof e === "object" && Array.isArray(e.triggers) ? e : null;
}

/** The acknowledgement link of a delivery, or null when links are not configured. */
export function ackUrl(deliveryId: string, now = Date.now()): string | null {
  const cfg = linkConfig();
  if (!cfg.publicUrl || !cfg.linkSecret) return null;
  return `${cfg.publicUrl}/api/v1/alerting/ack/${ackToken(cfg.linkSecret, deliveryId, now + cfg.ackLinkHours * 3_600_000)}`;
}

/** The dashboard's page of an incident, or null without WARROOM_DASHBOARD_URL. */
export function incidentUrl(alertId: string): string | null {
  const { dashboardUrl } = linkConfig();
  return dashboardUrl ? `${dashboardUrl}/incidents/${alertId}` : null;
}

/** The content of one delivery of an incident. */
export function contentOf(alert: store.Alert, d: Pick<store.Delivery, "id" | "channel" | "tier" | "isUpdate">): AlertContent {
  const explanation = explanationIn(alert.data);
  return {
    id: alert.id,
    ref: alert.ref,
    type: alert.type,
    severity: alert.severity,
    campaignId: alert.campaignId,
    campaignName: alert.campaignName || "your campaign",
    title: alert.title,
    message: alert.message,
    createdAt: alert.createdAt,
    tier: d.tier,
    update: d.isUpdate,
    story: explanation ? storyOf(alert.type, explanation) : null,
    incidentUrl: incidentUrl(alert.id),
    ackUrl: d.channel === "EMAIL" || d.channel === "SLACK" ? ackUrl(d.id) : null,
  };
}
