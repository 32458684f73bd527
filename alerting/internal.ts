// alerting's private endpoints for other services: acknowledging by text reply (integrations'
// inbound webhook), a campaign's open alerts (intelligence), and compliance's purge and erasure.
// Monitoring's crises do not come through here: alerting collects them (flows/collect.ts;
// docs/architecture.md, "Crises and alerts").
import { api, APIError } from "encore.dev/api";
import { auth } from "~encore/clients";
import { isUuid } from "../shared/ids";
import type { ErasureRequest, ErasureResult, PurgeRequest, PurgeResult } from "../shared/retention";
import { acknowledge } from "./flows/lifecycle";
import { normalizeRecipient } from "./domain/alert";
import { decideReply, replyText } from "./domain/replies";
import type { OpenAlertsRequest, OpenAlertsResponse, ReplyAckRequest, ReplyAckResponse } from "./model";
import * as store from "./store";

// acknowledgeByReply acknowledges the incident a text reply names ("ACK 4821", or a bare "ACK" when the number has exactly one open incident) and returns the line to answer with.
export const acknowledgeByReply = api(
  { expose: false, method: "POST", path: "/internal/alerting/reply-ack" },
  async (req: ReplyAckRequest): Promise<ReplyAckResponse> => {
    const number = normalizeRecipient("SMS", req.from);
    if (!number.ok) throw APIError.invalidArgument(number.message);
    if (req.ref !== undefined && (!Number.isInteger(req.ref) || req.ref < 0)) throw APIError.invalidArgument("ref must be an incident's number");
    const paged = await store.incidentsPaging(number.recipient);
    const decision = decideReply(
      paged.map(({ alert: a }) => ({
        id: a.id,
        ref: a.ref,
        campaignName: a.campaignName,
        severity: a.severity,
        state: a.state,
        acknowledgedName: a.acknowledgedName,
        acknowledgedBy: a.acknowledgedBy,
      })),
      req.ref,
    );
    if (decision.kind !== "acknowledge")
      return { outcome: decision.kind, alertId: "incident" in decision ? decision.incident.id : null, reply: replyText(decision, null) };
    const name = paged.find((p) => p.alert.id === decision.incident.id)?.recipientName || null;
    const ack = await acknowledge(decision.incident.id, { by: `${req.channel}:${number.recipient}`, via: req.channel, name });
    if (!ack) return { outcome: "unknown_ref", alertId: null, reply: replyText({ kind: "unknown_ref", ref: decision.incident.ref, open: [] }, null) };
    if (!ack.acknowledgedNow) {
      // Someone else was quicker (or it was closed meanwhile): say so.
      const a = ack.alert;
      const incident = { ...decision.incident, state: a.state, acknowledgedName: a.acknowledgedName, acknowledgedBy: a.acknowledgedBy };
      const kind = a.state === "acknowledged" ? "already_acknowledged" : "closed";
      return { outcome: kind, alertId: a.id, reply: replyText({ kind, incident }, null) };
    }
    return { outcome: "acknowledged", alertId: ack.alertId, reply: replyText(decision, name ?? number.recipient.replace(/^(.*)(\d{4})$/, "...$2")) };
  },
);

// listOpenAlerts returns a campaign's unacknowledged alerts (for intelligence's threat assessment and assistant).
export const listOpenAlerts = api(
  { expose: false, method: "GET", path: "/internal/alerting/campaigns/:campaignId/open" },
  async ({ campaignId }: OpenAlertsRequest): Promise<OpenAlertsResponse> => {
    if (!isUuid(campaignId)) throw APIError.invalidArgument("campaignId must be a campaign's UUID");
    const { alerts } = await store.listAlerts({ campaignIds: null, campaignId, status: null, offset: 0, limit: 200 });
    return {
      alerts: alerts
        .filter((a) => a.state === "open")
        .slice(0, 50)
        .map((a) => ({ id: a.id, type: a.type, severity: a.severity, title: a.title, status: a.status, createdAt: a.createdAt })),
    };
  },
);

// purgeRetention deletes alerts (and their deliveries) created before `before` (compliance's daily retention run).
export const purgeRetention = api(
  { expose: false, method: "POST", path: "/internal/alerting/retention/purge" },
  async ({ dataClass, before }: PurgeRequest): Promise<PurgeResult> => {
    if (dataClass !== "alerts") throw APIError.invalidArgument(`alerting does not own ${dataClass}`);
    return { dataClass, deleted: await store.purgeAlerts(new Date(before)) };
  },
);

// eraseUserData erases a person from alerting (deliveries addressed to their email, their id on alerts) for a compliance erasure request.
export const eraseUserData = api(
  { expose: false, method: "POST", path: "/internal/alerting/erasure" },
  async ({ userId }: ErasureRequest): Promise<ErasureResult> => {
    const contact = await auth.getAccountContact({ id: userId });
    const erased = await store.eraseRecipient(userId, contact.addresses);
    return { service: "alerting", erased: { deliveries: erased.deliveries, alert_actors: erased.alertActors } };
  },
);
