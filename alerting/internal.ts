// alerting's private endpoints for other services: monitoring raises crisis alerts here
// (ARCHITECTURE.md §2 "Crises and alerts").
import { api, APIError } from "encore.dev/api";
import { raiseAlert } from "./alerts";
import { crisisSeverity, crisisWording } from "./domain/alert";
import type { RaiseCrisisRequest, RaiseCrisisResponse } from "./model";

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
