// Collecting crises monitoring marked "alert pending" (docs/architecture.md, "Crises and alerts"): each
// is raised as an alert (idempotent by `crisis:<id>:v<alertVersion>`), then marked alerted in
// monitoring. A crash between the two raises nothing twice: the next run finds the alert by its key.
import log from "encore.dev/log";
import { monitoring } from "~encore/clients";
import { raiseAlert } from "./alerts";
import type { CollectResponse } from "./model";

/** Raises an alert for every pending crisis (oldest first, up to `limit`) and marks each alerted. */
export async function collectPendingCrises(limit = 100): Promise<CollectResponse> {
  const { crises } = await monitoring.listPendingCrises({ limit });
  let raised = 0;
  let failed = 0;
  for (const c of crises) {
    try {
      const e = c.explanation;
      const { alert } = await raiseAlert({
        campaignId: c.campaignId,
        type: c.type,
        severity: c.severity,
        title: c.title.slice(0, 500),
        message: c.summary,
        data: { crisisId: c.id, alertVersion: c.alertVersion, crisisScore: c.crisisScore, triggers: e.triggers.map((t) => t.kind), affectedPlatforms: e.affectedPlatforms, estimatedReach: e.estimatedReach, sentimentImpact: e.sentimentImpact, recommendedActions: e.recommendedActions },
        raisedBy: "system",
        sourceKey: `crisis:${c.id}:v${c.alertVersion}`,
        recipients: null,
      });
      await monitoring.markCrisisAlerted({ crisisId: c.id, alertVersion: c.alertVersion, alertId: alert.id });
      raised++;
    } catch (err) {
      failed++;
      log.error("could not raise the alert of a crisis; next run tries again", { crisisId: c.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { raised, failed };
}
