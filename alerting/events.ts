// The topic alerting publishes: `alert-queue`, one message per alert to deliver (or to deliver
// again: after a retry, an escalation or a sweep). A leaf file: types and the topic only.
import { Topic } from "encore.dev/pubsub";

/** One channel of an alert: its recipients and the template that renders it (seed shape). */
export interface AlertChannel {
  type: "SMS" | "WHATSAPP" | "EMAIL" | "SLACK" | "PUSH";
  recipients: string[];
  template: string;
}

/** An alert on the queue (seed shape). The delivery rows in alerting's database are the truth: the subscriber reads them by `id`. */
export interface AlertPayload {
  id: string;
  type: "CRISIS" | "SENTIMENT" | "MENTION_SPIKE" | "ENGAGEMENT_DROP" | "COMPETITOR";
  severity: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
  campaignId: string;
  title: string;
  message: string;
  data: Record<string, unknown>;
  channels: AlertChannel[];
  timestamp: Date;
}

// 'alert-queue' carries alerts, already persisted with their deliveries, to the delivery subscription.
export const alertQueue = new Topic<AlertPayload>("alert-queue", { deliveryGuarantee: "at-least-once" });
