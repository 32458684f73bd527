// alerting's subscriptions to other services' topics: a crisis opening or escalating on monitoring's
// `data-stream` makes alerting collect the pending crises at once (the cron collection is the safety
// net). Raising is idempotent per crisis version, so redelivery and races with the cron are harmless.
import { Subscription } from "encore.dev/pubsub";
import { dataStream, type AlertEventData, type StreamingData } from "../monitoring/events";
import { collectPendingCrises } from "./flows/collect";

/** True for a message saying a crisis opened or escalated (its alert is then pending in monitoring). */
export function isCrisisRaised(msg: StreamingData): boolean {
  const data = msg.data as Partial<AlertEventData> | null;
  return data?.kind === "alert" && (data.event === "opened" || data.event === "escalated");
}

/** Collects pending crises when the message announces one (failing, to be retried, if any could not be raised); ignores every other message. */
export async function onDataStream(msg: StreamingData): Promise<void> {
  if (!isCrisisRaised(msg)) return;
  const { failed } = await collectPendingCrises();
  if (failed > 0) throw new Error(`${failed} pending crises could not be raised; retrying`);
}

// 'raise-crisis-alerts' raises the alerts of crises as soon as monitoring announces them.
export const raiseCrisisAlerts = new Subscription(dataStream, "raise-crisis-alerts", { handler: onDataStream, maxConcurrency: 5 });
