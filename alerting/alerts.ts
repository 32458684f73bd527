// Raising, publishing, acknowledging, sweeping and escalating alerts: the steps between the
// endpoints and the store. An alert and its deliveries are committed BEFORE the publish; a publish
// lost to a crash is made good by the sweeper.
import log from "encore.dev/log";
import { campaigns } from "~encore/clients";
import { audit } from "./audit";
import { planDeliveries, type AlertType, type Channel, type ContactRef, type PlannedDelivery, type Severity } from "./domain/alert";
import { render } from "./domain/templates";
import { alertQueue, type AlertChannel, type AlertPayload } from "./events";
import type { AckResponse, EscalateResponse, SweepResponse } from "./model";
import { channelConfig, escalationDelay, sweepGrace } from "./secrets";
import * as store from "./store";

/** An alert to raise. */
export interface RaiseInput {
  /** null: an ad-hoc alert of no campaign, which needs `recipients`. */
  campaignId: string | null;
  type: AlertType;
  severity: Severity;
  title: string;
  message: string;
  data: Record<string, unknown>;
  raisedBy: string;
  sourceKey: string | null;
  /** Explicit recipients (send); null: the campaign's alert contacts for the severity. */
  recipients: { channel: Channel; recipients: string[] } | null;
}

/** The campaign's contacts an alert of `severity` reaches (campaigns' internal endpoint). */
async function contactsFor(campaignId: string, severity: Severity): Promise<ContactRef[]> {
  const { contacts } = await campaigns.getAlertContacts({ campaignId, severity });
  return contacts.map((c) => ({ name: c.name, channel: c.channel, address: c.address, minSeverity: c.minSeverity }));
}

/** The seed's channel list of an alert: one entry per channel with its recipients and template. */
function channelsOf(deliveries: PlannedDelivery[], content: { type: AlertType; severity: Severity }): AlertChannel[] {
  const by = new Map<Channel, string[]>();
  for (const d of deliveries) by.set(d.channel, [...(by.get(d.channel) ?? []), d.recipient]);
  const probe = { id: "", campaignId: "", title: "", message: "", createdAt: new Date(0), tier: 1, ...content };
  return [...by].map(([type, recipients]) => ({ type, recipients, template: render(probe, type).template }));
}

/** Persists the alert with one delivery per channel and recipient, then publishes it. */
export async function raiseAlert(input: RaiseInput): Promise<{ alert: store.Alert; created: boolean; deliveries: number }> {
  let deliveries: PlannedDelivery[];
  let maxTier = 1;
  if (input.recipients) {
    deliveries = input.recipients.recipients.map((r) => ({ channel: input.recipients!.channel, recipient: r, recipientName: "", tier: 1 }));
  } else {
    if (input.campaignId === null) throw new Error("an alert of no campaign needs its recipients");
    const plan = planDeliveries(input.severity, await contactsFor(input.campaignId, input.severity));
    deliveries = plan.deliveries;
    maxTier = plan.maxTier;
  }
  // Push goes to the campaign's people through the configured webhook, with the first tier (not for ad-hoc sends to listed recipients).
  if (!input.recipients && channelConfig().pushWebhookUrl) deliveries.push({ channel: "PUSH", recipient: `campaign:${input.campaignId}`, recipientName: "", tier: 1 });
  if (deliveries.length === 0) log.warn("alert reaches nobody: the campaign has no alert contacts for this severity", { campaignId: input.campaignId, severity: input.severity });
  const escalateAt = maxTier > 1 ? new Date(Date.now() + escalationDelay() * 1000) : null;
  const { alert, created } = await store.createAlert({
    ...input,
    channels: channelsOf(deliveries, input),
    maxTier,
    escalateAt,
    deliveries,
  });
  if (created) {
    await audit({ actorId: input.raisedBy, action: "alert.raised", targetType: "alert", targetId: alert.id, details: { campaignId: alert.campaignId, type: alert.type, severity: alert.severity, deliveries: deliveries.length, sourceKey: input.sourceKey } });
    await publishAlert(alert);
  }
  return { alert, created, deliveries: created ? deliveries.length : (await store.listDeliveries([alert.id])).length };
}

/** Publishes the alert on `alert-queue` and records it. A failure is logged: the sweeper publishes it later. */
export async function publishAlert(alert: store.Alert): Promise<boolean> {
  const payload: AlertPayload = {
    id: alert.id,
    type: alert.type,
    severity: alert.severity,
    campaignId: alert.campaignId,
    title: alert.title,
    message: alert.message,
    data: alert.data,
    channels: alert.channels,
    timestamp: alert.createdAt,
  };
  try {
    await alertQueue.publish(payload);
    await store.markPublished(alert.id);
    return true;
  } catch (err) {
    log.error("alert could not be published; the sweeper will publish it", { alertId: alert.id, error: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

/** Acknowledges an alert (idempotent: the first acknowledgement stands) and stops its escalation. */
export async function acknowledge(alertId: string, userId: string): Promise<AckResponse | null> {
  const result = await store.acknowledge(alertId, userId);
  if (!result) return null;
  if (result.acknowledgedNow) {
    await audit({ actorId: userId, action: "alert.acknowledged", targetType: "alert", targetId: alertId, details: { campaignId: result.alert.campaignId, severity: result.alert.severity, tier: result.alert.tier, cancelledDeliveries: result.cancelled } });
  }
  return { alertId, acknowledgedAt: result.alert.acknowledgedAt!, acknowledgedBy: result.alert.acknowledgedBy!, cancelledDeliveries: result.cancelled };
}

/** Seconds after which a published alert with due pending deliveries is published again (its message ran out of retries). */
const STUCK_SECONDS = 300;

/** Recovers what a crash left behind: stale 'sending' rows back to pending; unpublished or stuck alerts published. */
export async function sweep(): Promise<SweepResponse> {
  const { reclaimed, alertIds: reclaimedAlerts } = await store.reclaimStale();
  const ids = new Set([...reclaimedAlerts, ...(await store.needingPublish(sweepGrace(), STUCK_SECONDS))]);
  let republished = 0;
  for (const id of ids) {
    const alert = await store.getAlert(id);
    if (alert && (await publishAlert(alert))) republished++;
  }
  if (republished || reclaimed) log.info("alert sweep", { republished, reclaimed });
  return { republished, reclaimed };
}

/** Escalates every due, unacknowledged CRITICAL alert by one tier and publishes it. */
export async function escalateDue(): Promise<EscalateResponse> {
  let escalated = 0;
  for (let alert = await store.escalateNext(escalationDelay()); alert; alert = await store.escalateNext(escalationDelay())) {
    escalated++;
    await audit({ actorId: "system", action: "alert.escalated", targetType: "alert", targetId: alert.id, details: { campaignId: alert.campaignId, tier: alert.tier } });
    await publishAlert(alert);
  }
  return { escalated };
}
