// Collecting crises monitoring marked "alert pending" (docs/architecture.md, "Crises and alerts"): each
// crisis is one incident (`crisis:<id>`); each of its versions raises or updates it (idempotent by
// `crisis:<id>:v<alertVersion>`), then is marked alerted in monitoring. A crash between the two
// raises nothing twice: the next run finds the version by its key.
import log from "encore.dev/log";
import { monitoring } from "~encore/clients";
import { raiseAlert } from "./lifecycle";
import { storyMessage, storyOf, storyTitle } from "../../shared/story";
import type { CollectResponse } from "../model";

/** Raises an alert for every pending crisis (oldest first, up to `limit`) and marks each alerted. */
export async function collectPendingCrises(limit = 100): Promise<CollectResponse> {
  const { crises } = await monitoring.listPendingCrises({ limit });
  let raised = 0;
  let failed = 0;
  for (const c of crises) {
    try {
      const e = c.explanation;
      // The incident's title and message are worded from the explanation, like every message, so one figure reads the same everywhere.
      const story = storyOf(c.type, e);
      const { alert } = await raiseAlert({
        campaignId: c.campaignId,
        type: c.type,
        severity: c.severity,
        title: storyTitle(story).slice(0, 500),
        message: "",
        data: {
          crisisId: c.id,
          alertVersion: c.alertVersion,
          crisisScore: c.crisisScore,
          triggers: e.triggers.map((t) => t.kind),
          affectedPlatforms: e.affectedPlatforms,
          estimatedReach: e.estimatedReach,
          sentimentImpact: e.sentimentImpact,
          recommendedActions: e.recommendedActions,
          explanation: JSON.parse(JSON.stringify(e)) as unknown,
        },
        raisedBy: "system",
        sourceKey: `crisis:${c.id}:v${c.alertVersion}`,
        incidentKey: `crisis:${c.id}`,
        wording: (campaignName) => storyMessage(campaignName, c.severity, story),
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
