// Delivering alerts: the `alert-queue` subscription. The work (claiming each due delivery, sending,
// retrying, settling the alert) is in flows/deliver.ts.
import { Subscription } from "encore.dev/pubsub";
import { alertQueue } from "./events";
import { deliverAlert } from "./flows/deliver";

// 'deliver-alerts' sends each alert on every channel to every recipient, once.
export const deliverAlerts = new Subscription(alertQueue, "deliver-alerts", {
  handler: deliverAlert,
  retryPolicy: { minBackoff: "500ms", maxBackoff: "30s", maxRetries: 100 },
  maxConcurrency: 20,
});
