// alerting's cron jobs: the sweeper (alerts a crash left unpublished or half-sent) and escalation
// (unacknowledged CRITICAL alerts reach the next contact tier), and the collection of crises monitoring
// keeps "alert pending". All idempotent.
import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import { escalateDue, sweep } from "./flows/lifecycle";
import { collectPendingCrises } from "./flows/collect";
import { sendDigests, type DigestResponse } from "./flows/digest";
import type { CollectResponse, EscalateResponse, SweepResponse } from "./model";

// sweepAlerts publishes alerts stuck in pending and reclaims deliveries whose sender died mid-send.
export const sweepAlerts = api({ expose: false, method: "POST", path: "/internal/alerting/sweep" }, (): Promise<SweepResponse> => sweep());

// escalateAlerts moves every due, unacknowledged CRITICAL alert to its next contact tier.
export const escalateAlerts = api({ expose: false, method: "POST", path: "/internal/alerting/escalate" }, (): Promise<EscalateResponse> => escalateDue());

// 'alerting-sweep' runs the sweeper every minute.
export const alertingSweep = new CronJob("alerting-sweep", { title: "Re-publish alerts stuck in pending", every: "1m", endpoint: sweepAlerts });

// 'alerting-escalation' escalates unacknowledged CRITICAL alerts every minute.
export const alertingEscalation = new CronJob("alerting-escalation", {
  title: "Escalate unacknowledged CRITICAL alerts",
  every: "1m",
  endpoint: escalateAlerts,
});

// collectCrises raises the alerts of crises monitoring marked "alert pending" and marks them alerted.
export const collectCrises = api({ expose: false, method: "POST", path: "/internal/alerting/collect" }, (): Promise<CollectResponse> => collectPendingCrises());

// 'alerting-collect-crises' collects monitoring's pending crises every minute (nothing is lost if a direct raise failed).
export const alertingCollectCrises = new CronJob("alerting-collect-crises", {
  title: "Raise alerts for monitoring's pending crises",
  every: "1m",
  endpoint: collectCrises,
});

// sendAlertDigests sends each contact who asked for a digest one message with their alerts below HIGH.
export const sendAlertDigests = api({ expose: false, method: "POST", path: "/internal/alerting/digest" }, (): Promise<DigestResponse> => sendDigests());

// 'alerting-digest' sends the digests every hour.
export const alertingDigest = new CronJob("alerting-digest", { title: "Send alert digests (alerts below HIGH)", every: "1h", endpoint: sendAlertDigests });
