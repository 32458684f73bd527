// Raising, publishing, acknowledging, sweeping and escalating alerts: the steps between the
// endpoints and the store. An alert and its deliveries are committed BEFORE the publish; a publish
// lost to a crash is made good by the sweeper.
import log from "encore.dev/log";
import { campaigns } from "~encore/clients";
import { parseClock } from "../../shared/time-zone";
import { audit } from "../audit";
import { planDeliveries, type AlertType, type Channel, type ContactRef, type PlannedDelivery, type Severity } from "../domain/alert";
import { render } from "../domain/templates";
import { alertQueue, type AlertChannel, type AlertPayload } from "../events";
import type { AckResponse, EscalateResponse, SweepResponse } from "../model";
import { channelConfig, escalationDelay, sweepGrace } from "../secrets";
import * as store from "../store";
import { openIncidents } from "../metrics";

/** An alert to raise. */
export interface RaiseInput {
  campaignId: string;
  type: AlertType;
  severity: Severity;
  title: string;
  message: string;
  data: Record<string, unknown>;
  raisedBy: string;
  sourceKey: string | null;
  /** The story it belongs to (monitoring's crises: `crisis:<id>`): a raise of a known story updates its incident. */
  incidentKey?: string | null;
  /** The message worded with the campaign's name (known once its contacts are read); replaces `message`. */
  wording?: (campaignName: string) => string;
  /** Explicit recipients (send); null: the campaign's alert contacts for the severity. */
  recipients: { channel: Channel; recipients: string[] } | null;
}

/** The campaign's name and all its alert contacts (planDeliveries picks those a severity reaches: "nobody follows this severity" is not "no contacts"). */
async function audienceOf(campaignId: string): Promise<{ campaignName: string; contacts: ContactRef[] }> {
  const { campaignName, timeZone, contacts } = await campaigns.getAlertContacts({ campaignId });
  return {
    campaignName,
    contacts: contacts.map((c) => ({
      name: c.name,
      channel: c.channel,
      address: c.address,
      minSeverity: c.minSeverity,
      digest: c.digest,
      quiet: c.quietHours ? { start: parseClock(c.quietHours.start) ?? 0, end: parseClock(c.quietHours.end) ?? 0, timeZone: c.timeZone ?? timeZone } : null,
    })),
  };
}

/** The seed's channel list of an alert: one entry per channel with its recipients and template. */
function channelsOf(deliveries: PlannedDelivery[], content: { type: AlertType; severity: Severity }): AlertChannel[] {
  const by = new Map<Channel, string[]>();
  for (const d of deliveries) by.set(d.channel, [...(by.get(d.channel) ?? []), d.recipient]);
  const probe = {
    id: "",
    ref: 0,
    campaignId: "",
    campaignName: "",
    title: "",
    message: "",
    createdAt: new Date(0),
    tier: 1,
    update: false,
    story: null,
    incidentUrl: null,
    ackUrl: null,
    ...content,
  };
  return [...by].map(([type, recipients]) => ({ type, recipients, template: render(probe, type).template }));
}

/**
 * Raises an incident, or updates the one of the same story, then publishes it when people are to
 * be paged (a new incident, or a severity rise). Persisted before published.
 */
export async function raiseAlert(
  input: RaiseInput,
): Promise<{ alert: store.Alert; created: boolean; deliveries: number; outcome: store.RaiseOutcome["outcome"] }> {
  let deliveries: PlannedDelivery[];
  let maxTier = 1;
  const audience = await audienceOf(input.campaignId);
  if (input.recipients) {
    deliveries = input.recipients.recipients.map((r) => ({ channel: input.recipients!.channel, recipient: r, recipientName: "", tier: 1 }));
  } else {
    const plan = planDeliveries(input.severity, audience.contacts);
    deliveries = plan.deliveries;
    maxTier = plan.maxTier;
  }
  // Push goes to the campaign's people through the configured webhook, with the first tier (not for ad-hoc sends to listed recipients).
  if (!input.recipients && channelConfig().pushWebhookUrl)
    deliveries.push({ channel: "PUSH", recipient: `campaign:${input.campaignId}`, recipientName: "", tier: 1 });
  if (deliveries.length === 0) {
    log.warn(
      audience.contacts.length === 0 ? "alert reaches nobody: no contacts for this campaign" : "alert reaches nobody: no contact follows this severity",
      { campaignId: input.campaignId, severity: input.severity },
    );
  }
  const escalateAt = maxTier > 1 ? new Date(Date.now() + escalationDelay() * 1000) : null;
  const { wording, ...fields } = input;
  const result = await store.raiseIncident({
    ...fields,
    message: wording ? wording(audience.campaignName) : input.message,
    incidentKey: input.incidentKey ?? null,
    campaignName: audience.campaignName,
    channels: channelsOf(deliveries, input),
    maxTier,
    escalateAt,
    deliveries,
  });
  const { alert, outcome, paged } = result;
  if (outcome === "created") {
    await audit({
      actorId: input.raisedBy,
      action: "alert.raised",
      targetType: "alert",
      targetId: alert.id,
      details: { campaignId: alert.campaignId, type: alert.type, severity: alert.severity, deliveries: paged, sourceKey: input.sourceKey, ref: alert.ref },
    });
  } else if (outcome !== "duplicate") {
    await audit({
      actorId: input.raisedBy,
      action: "alert.updated",
      targetType: "alert",
      targetId: alert.id,
      details: {
        campaignId: alert.campaignId,
        type: alert.type,
        severity: alert.severity,
        deliveries: paged,
        sourceKey: input.sourceKey,
        repaged: outcome === "repaged",
      },
    });
  }
  if (outcome === "created" || outcome === "repaged") {
    // Nobody to tell: the incident says so at once instead of waiting for a delivery to settle it.
    if (outcome === "created" && paged === 0) await store.settleAlert(alert.id, audience.contacts.length === 0 ? "no_contacts" : "below_threshold");
    else await publishAlert(alert);
  }
  return { alert, created: outcome === "created", deliveries: outcome === "duplicate" ? (await store.listDeliveries([alert.id])).length : paged, outcome };
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

/** Acknowledges an incident (idempotent: the first acknowledgement stands) and stops its escalation. */
export async function acknowledge(alertId: string, who: store.Acknowledger): Promise<(AckResponse & { acknowledgedNow: boolean; alert: store.Alert }) | null> {
  const result = await store.acknowledge(alertId, who);
  if (!result) return null;
  if (result.acknowledgedNow) {
    // The actor is a user id, or the channel only for replies and links (never the address).
    const actorId = who.via === "api" ? who.by : `${who.via}:contact`;
    await audit({
      actorId,
      action: "alert.acknowledged",
      targetType: "alert",
      targetId: alertId,
      details: {
        campaignId: result.alert.campaignId,
        severity: result.alert.severity,
        tier: result.alert.tier,
        via: who.via,
        cancelledDeliveries: result.cancelled,
      },
    });
  }
  const a = result.alert;
  return {
    alertId,
    ref: a.ref,
    state: a.state,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedVia: a.acknowledgedVia,
    cancelledDeliveries: result.cancelled,
    acknowledgedNow: result.acknowledgedNow,
    alert: a,
  };
}

/** Resolves an incident or marks it a false alarm, with a reason (once; audited); escalation stops. */
export async function closeIncident(
  alertId: string,
  state: "resolved" | "false_alarm",
  userId: string,
  reason: string,
): Promise<{ alert: store.Alert; closedNow: boolean; cancelled: number } | null> {
  const result = await store.closeIncident(alertId, state, userId, reason);
  if (result?.closedNow) {
    await audit({
      actorId: userId,
      action: state === "resolved" ? "alert.resolved" : "alert.false_alarm",
      targetType: "alert",
      targetId: alertId,
      details: { campaignId: result.alert.campaignId, severity: result.alert.severity, reason, cancelledDeliveries: result.cancelled },
    });
  }
  return result;
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
  openIncidents.set(await store.countOpenIncidents());
  return { republished, reclaimed };
}

/** Escalates every due, unacknowledged CRITICAL alert by one tier and publishes it. */
export async function escalateDue(): Promise<EscalateResponse> {
  let escalated = 0;
  for (let alert = await store.escalateNext(escalationDelay()); alert; alert = await store.escalateNext(escalationDelay())) {
    escalated++;
    await audit({
      actorId: "system",
      action: "alert.escalated",
      targetType: "alert",
      targetId: alert.id,
      details: { campaignId: alert.campaignId, tier: alert.tier },
    });
    await publishAlert(alert);
  }
  return { escalated };
}
