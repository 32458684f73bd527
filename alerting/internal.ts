// alerting's private endpoints for other services. raiseCrisisAlert raises a crisis alert on request;
// monitoring's crises do not come this way but through the data stream and the collector
// (docs/architecture.md, "Crises and alerts").
import { api, APIError } from "encore.dev/api";
import { auth } from "~encore/clients";
import type { ErasureRequest, ErasureResult, PurgeRequest, PurgeResult } from "../shared/retention";
import { raiseAlert } from "./alerts";
import { crisisSeverity, crisisWording } from "./domain/alert";
import type { RaiseCrisisRequest, RaiseCrisisResponse } from "./model";
import * as store from "./store";
import type { Severity } from "./model";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// raiseCrisisAlert persists a crisis alert and its deliveries, then queues it; the same sourceKey raises it once.
export const raiseCrisisAlert = api(
  { expose: false, method: "POST", path: "/internal/alerting/crisis" },
  async (req: RaiseCrisisRequest): Promise<RaiseCrisisResponse> => {
    if (!UUID.test(req.campaignId)) throw APIError.invalidArgument("campaignId must be a campaign's UUID");
    if (!Number.isFinite(req.crisisScore) || req.crisisScore < 0 || req.crisisScore > 1) throw APIError.invalidArgument("crisisScore must be between 0 and 1");
    const severity = req.severity ?? crisisSeverity(req.crisisScore);
    const wording = crisisWording(req);
    const { alert, created, deliveries } = await raiseAlert({
      campaignId: req.campaignId,
      type: req.type ?? "CRISIS",
      severity,
      title: (req.title?.trim() || wording.title).slice(0, 500),
      message: req.message?.trim() || wording.message,
      data: { ...(req.data ?? {}), crisisScore: req.crisisScore, triggers: req.triggers, affectedPlatforms: req.affectedPlatforms, estimatedReach: req.estimatedReach, sentimentImpact: req.sentimentImpact, recommendedActions: req.recommendedActions },
      raisedBy: "system",
      sourceKey: req.sourceKey?.trim() || null,
      recipients: null,
    });
    return { alertId: alert.id, created, severity: alert.severity, deliveries };
  },
);

/** A campaign's alerts nobody has acknowledged yet (newest first, at most 50). */
export interface OpenAlertsRequest {
  campaignId: string;
}

/** An unacknowledged alert in one line. */
export interface OpenAlert {
  id: string;
  type: string;
  severity: Severity;
  title: string;
  status: string;
  createdAt: Date;
}

/** A campaign's open alerts. */
export interface OpenAlertsResponse {
  alerts: OpenAlert[];
}

// listOpenAlerts returns a campaign's unacknowledged alerts (for intelligence's threat assessment and assistant).
export const listOpenAlerts = api(
  { expose: false, method: "GET", path: "/internal/alerting/campaigns/:campaignId/open" },
  async ({ campaignId }: OpenAlertsRequest): Promise<OpenAlertsResponse> => {
    if (!UUID.test(campaignId)) throw APIError.invalidArgument("campaignId must be a campaign's UUID");
    const { alerts } = await store.listAlerts({ campaignIds: null, campaignId, status: null, offset: 0, limit: 200 });
    return {
      alerts: alerts
        .filter((a) => a.acknowledgedAt === null)
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
