import * as pubsub from "encore.dev/pubsub";
import { Subscription } from "encore.dev/pubsub";
import { orderPlaced, type OrderPlaced } from "../orders/events";

export async function onOrder(msg: OrderPlaced): Promise<void> {
  void msg;
}

export const notifyOrder = new Subscription(orderPlaced, "notify-order", {
  handler: onOrder,
  maxConcurrency: 5,
  ackDeadline: "1m",
  messageRetention: "24h",
  retryPolicy: { minBackoff: "1s", maxBackoff: "1m30s", maxRetries: 5 },
});

new pubsub.Subscription(orderPlaced, "audit", { handler: async () => {} });
