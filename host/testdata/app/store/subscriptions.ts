import { Subscription } from "encore.dev/pubsub";
import { currentRequest } from "encore.dev";
import { getAuthData } from "~encore/auth";
import { greetings, type Greeting } from "../events/topics";
import { db } from "./db";

// Records each delivery (with its attempt number), then fails while attempts <= failTimes.
async function record(subscription: string, msg: Greeting): Promise<void> {
  const meta = currentRequest();
  if (meta?.type !== "pubsub-message") throw new Error("not a pubsub request");
  await db.exec`
    INSERT INTO received (subscription, message_id, attempt, name, at_is_date, had_auth)
    VALUES (${subscription}, ${meta.messageId}, ${meta.deliveryAttempt}, ${msg.name}, ${msg.at instanceof Date}, ${getAuthData() !== null})`;
  if (meta.deliveryAttempt <= msg.failTimes) throw new Error(`failing attempt ${meta.deliveryAttempt} on purpose`);
}

export const recordGreetings = new Subscription(greetings, "record-greetings", {
  handler: (msg) => record("record-greetings", msg),
  retryPolicy: { minBackoff: "100ms", maxBackoff: "400ms", maxRetries: 3 },
});

export const auditGreetings = new Subscription(greetings, "audit-greetings", {
  handler: (msg) => record("audit-greetings", msg.failTimes > 0 ? { ...msg, failTimes: 0 } : msg),
});
