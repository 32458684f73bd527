// alerting's public endpoints: raise a crisis alert, send an ad-hoc alert, list the queue,
// acknowledge. Each: permission → campaign access → work.
import { api, APIError } from "encore.dev/api";
import { campaigns } from "~encore/clients";
import { requireCampaignAccess } from "../shared/access";
import { can, requirePermission, type Action, type Caller } from "../shared/permissions";
import { sendAdHocAlert } from "./flows/adhoc";
import { acknowledge, closeIncident, raiseAlert } from "./flows/lifecycle";
import { crisisSeverity, crisisWording, normalizeRecipient } from "./domain/alert";
import type {
  AckRequest,
  AckResponse,
  CloseRequest,
  CloseResponse,
  AlertView,
  CrisisAlert,
  CrisisAlertResponse,
  DeliveryView,
  QueueRequest,
  QueueResponse,
  SendAlertRequest,
  SendAlertResponse,
} from "./model";
import * as store from "./store";
import { isUuid } from "../shared/ids";

/** Refuses the call unless the caller may do `action` on alerting within the campaign (403, or 404 for campaigns they may not see). */
async function requireOnCampaign(caller: Caller, campaignId: string, action: Action): Promise<void> {
  if (!isUuid(campaignId)) {
    requirePermission("alerting", action);
    throw APIError.notFound("campaign not found");
  }
  const view = await campaigns.getCampaignAccess({ campaignId, userID: caller.userID });
  requireCampaignAccess(caller, view, "alerting", action);
}

// sendCrisisAlert raises a crisis alert to the campaign's contacts (CRITICAL above a 0.8 score, else HIGH).
export const sendCrisisAlert = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/alerting/crisis" },
  async (req: CrisisAlert): Promise<CrisisAlertResponse> => {
    const caller = requirePermission("alerting", "create");
    await requireOnCampaign(caller, req.campaignId, "create");
    const { title, message } = crisisWording(req);
    const { alert, deliveries } = await raiseAlert({
      campaignId: req.campaignId,
      type: "CRISIS",
      severity: crisisSeverity(req.crisisScore),
      title,
      message,
      data: { ...req },
      raisedBy: caller.userID,
      sourceKey: null,
      recipients: null,
    });
    return { alertId: alert.id, sent: true, deliveries };
  },
);

// sendAlert raises an ad-hoc alert (without campaignId, as the seed calls it: to the listed numbers only, flows/adhoc.ts): to the given recipients on one channel, or to the campaign's contacts.
export const sendAlert = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/alerting/send" },
  async (req: SendAlertRequest): Promise<SendAlertResponse> => {
    const caller = requirePermission("alerting", "create");
    if (!req.message.trim()) throw APIError.invalidArgument("the message is empty");
    const channel = req.channel ?? "SMS";
    let recipients: { channel: typeof channel; recipients: string[] } | null = null;
    if (req.recipients !== undefined) {
      if (req.recipients.length === 0) throw APIError.invalidArgument("recipients is empty: omit it to reach the campaign's contacts");
      if (channel === "PUSH") throw APIError.invalidArgument("PUSH reaches the campaign's people through the push webhook, not listed recipients");
      const clean = new Set<string>();
      for (const r of req.recipients) {
        const n = normalizeRecipient(channel, r);
        if (!n.ok) throw APIError.invalidArgument(n.message);
        clean.add(n.recipient);
      }
      recipients = { channel, recipients: [...clean] };
    } else if (req.channel !== undefined) {
      throw APIError.invalidArgument("channel needs recipients: without them the campaign's contacts are reached on their own channels");
    }
    const message = req.message.trim();
    if (req.campaignId === undefined) {
      // The seed's call ({type, message, recipients}): an ad-hoc alert to those numbers only (flows/adhoc.ts).
      if (recipients === null)
        throw APIError.invalidArgument("an alert of no campaign needs recipients: name them, or give campaignId to reach the campaign's contacts");
      if (recipients.channel !== "SMS" && recipients.channel !== "WHATSAPP")
        throw APIError.invalidArgument("an alert of no campaign goes by SMS or WHATSAPP; give campaignId for email and Slack");
      const title = (req.title ?? message.split("\n")[0]!).trim().slice(0, 200);
      const sent = await sendAdHocAlert({
        raisedBy: caller.userID,
        type: req.type,
        severity: req.severity ?? "MEDIUM",
        title,
        message,
        channel: recipients.channel,
        recipients: recipients.recipients,
      });
      return { alertId: sent.alertId, sent: true, deliveries: sent.sent + sent.skipped + sent.failed };
    }
    await requireOnCampaign(caller, req.campaignId, "create");
    const { alert, deliveries } = await raiseAlert({
      campaignId: req.campaignId,
      type: req.type,
      severity: req.severity ?? "MEDIUM",
      title: (req.title ?? message.split("\n")[0]!).trim().slice(0, 200),
      message,
      data: {},
      raisedBy: caller.userID,
      sourceKey: null,
      recipients,
    });
    return { alertId: alert.id, sent: true, deliveries };
  },
);

/** •••0100 for phones, o•••@campaign.org for emails: enough to recognise, not to harvest. */
function mask(channel: string, recipient: string): string {
  if (channel === "SMS" || channel === "WHATSAPP") return `•••${recipient.slice(-4)}`;
  if (channel === "EMAIL") {
    const [local, domain] = recipient.split("@");
    return `${local!.slice(0, 1)}•••@${domain}`;
  }
  return recipient;
}

/** "sms:+14155550100" → "sms:•••0100"; user ids and "system" as they are. */
function maskActor(by: string): string {
  const m = /^(sms|whatsapp|email|slack):(.*)$/.exec(by);
  if (!m) return by;
  const channel = m[1] === "email" ? "EMAIL" : m[1] === "slack" ? "SLACK" : "SMS";
  return `${m[1]}:${mask(channel, m[2]!)}`;
}

function toView(a: store.Alert, deliveries: store.Delivery[], seeAddresses: boolean): AlertView {
  return {
    id: a.id,
    type: a.type,
    severity: a.severity,
    campaignId: a.campaignId,
    title: a.title,
    message: a.message,
    data: a.data,
    channels: seeAddresses ? a.channels : a.channels.map((c) => ({ ...c, recipients: c.recipients.map((r) => mask(c.type, r)) })),
    timestamp: a.createdAt,
    status: a.status,
    ref: a.ref,
    campaignName: a.campaignName,
    state: a.state,
    wave: a.wave,
    // Who acted by reply or link is an address: masked like recipients for those who may not act on alerts.
    history: a.history.map((h) => (h.by && !seeAddresses ? { ...h, by: maskActor(h.by) } : h)),
    tier: a.tier,
    maxTier: a.maxTier,
    escalateAt: a.escalateAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy && !seeAddresses ? maskActor(a.acknowledgedBy) : a.acknowledgedBy,
    acknowledgedVia: a.acknowledgedVia,
    closedAt: a.closedAt,
    closedBy: a.closedBy,
    closeReason: a.closeReason,
    updatedAt: a.updatedAt,
    processedAt: a.processedAt,
    deliveries: deliveries.map(
      (d): DeliveryView => ({
        id: d.id,
        channel: d.channel,
        recipient: seeAddresses ? d.recipient : mask(d.channel, d.recipient),
        recipientName: d.recipientName,
        tier: d.tier,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
        sentAt: d.sentAt,
        wave: d.wave,
        isUpdate: d.isUpdate,
      }),
    ),
  };
}

// getAlertQueue lists the pending and recent alerts of the campaigns the caller may see, newest first, with their deliveries.
export const getAlertQueue = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/alerting/queue" },
  async (req: QueueRequest): Promise<QueueResponse> => {
    const caller = requirePermission("alerting", "read");
    const page = req.page ?? 1;
    const limit = req.limit ?? 20;
    if (req.campaignId !== undefined) await requireOnCampaign(caller, req.campaignId, "read");
    const campaignIds =
      caller.role === "admin" || req.campaignId !== undefined ? null : (await campaigns.getUserCampaigns({ userID: caller.userID })).campaignIds;
    const { alerts, total } = await store.listAlerts({
      campaignIds,
      campaignId: req.campaignId ?? null,
      status: req.status ?? null,
      state: req.state ?? null,
      offset: (page - 1) * limit,
      limit,
    });
    const deliveries = await store.listDeliveries(alerts.map((a) => a.id));
    // Recipients are personal data: whole for those who may act on alerts, masked for the rest.
    const seeAddresses = can(caller.role, "alerting", "update");
    return {
      alerts: alerts.map((a) =>
        toView(
          a,
          deliveries.filter((d) => d.alertId === a.id),
          seeAddresses,
        ),
      ),
      total,
      page,
      limit,
    };
  },
);

/** The incident `id` if the caller may `update` alerts on its campaign (404 for incidents they may not see). */
async function incidentFor(caller: Caller, id: string): Promise<store.Alert> {
  const alert = isUuid(id) ? await store.getAlert(id) : null;
  if (!alert) throw APIError.notFound("alert not found");
  const view = await campaigns.getCampaignAccess({ campaignId: alert.campaignId, userID: caller.userID });
  if (!view.exists || (caller.role !== "admin" && view.memberRole === null)) throw APIError.notFound("alert not found");
  requireCampaignAccess(caller, view, "alerting", "update");
  return alert;
}

// acknowledgeAlert acknowledges an incident and stops its escalation (acknowledging again returns the first acknowledgement).
export const acknowledgeAlert = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/alerting/:id/ack" },
  async ({ id }: AckRequest): Promise<AckResponse> => {
    const caller = requirePermission("alerting", "update");
    await incidentFor(caller, id);
    const ack = await acknowledge(id, { by: caller.userID, via: "api", name: null });
    if (!ack) throw APIError.notFound("alert not found");
    const { acknowledgedNow: _now, alert: _alert, ...response } = ack;
    return response;
  },
);

async function close(id: string, reason: string, state: "resolved" | "false_alarm"): Promise<CloseResponse> {
  const caller = requirePermission("alerting", "update");
  if (!reason.trim()) throw APIError.invalidArgument("reason is empty: say why the incident is closed");
  await incidentFor(caller, id);
  const result = await closeIncident(id, state, caller.userID, reason.trim());
  if (!result) throw APIError.notFound("alert not found");
  const a = result.alert;
  return {
    alertId: a.id,
    ref: a.ref,
    state: a.state,
    closedAt: a.closedAt,
    closedBy: a.closedBy,
    closeReason: a.closeReason,
    cancelledDeliveries: result.cancelled,
  };
}

// resolveAlert closes an incident as resolved, with a reason (audited; escalation stops; closing again returns the first closing).
export const resolveAlert = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/alerting/:id/resolve" },
  ({ id, reason }: CloseRequest): Promise<CloseResponse> => close(id, reason, "resolved"),
);

// markFalseAlarm closes an incident as a false alarm, with a reason (audited; escalation stops; closing again returns the first closing).
export const markFalseAlarm = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/alerting/:id/false-alarm" },
  ({ id, reason }: CloseRequest): Promise<CloseResponse> => close(id, reason, "false_alarm"),
);
