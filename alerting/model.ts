// alerting's request and response types: the seed's CrisisAlert and AlertPayload, plus the queue,
// acknowledgement and the internal endpoints' shapes.
import type { Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import type { Int } from "../shared/int";
import type { AlertType, Channel, Severity } from "./domain/alert";
import type { AlertChannel } from "./events";

export type { AlertType, Channel, Severity };

/** POST /api/v1/alerting/crisis: a crisis to alert the campaign's contacts about (seed shape). */
export interface CrisisAlert {
  campaignId: string;
  /** 0..1; above 0.8 the alert is CRITICAL, else HIGH. */
  crisisScore: number & Min<0> & Max<1>;
  triggers: (string & MinLen<1> & MaxLen<200>)[] & MaxLen<20>;
  affectedPlatforms: (string & MaxLen<50>)[] & MaxLen<20>;
  estimatedReach: number & Min<0>;
  sentimentImpact: number & Min<-1> & Max<1>;
  recommendedActions: (string & MaxLen<500>)[] & MaxLen<20>;
}

/** The alert raised for a crisis. `sent` means persisted and queued for delivery. */
export interface CrisisAlertResponse {
  alertId: string;
  sent: boolean;
  /** How many deliveries (channel × recipient) were planned. */
  deliveries: number;
}

/** POST /api/v1/alerting/send: an ad-hoc alert, to given recipients on one channel or to the campaign's contacts. */
export interface SendAlertRequest {
  campaignId: string;
  type: AlertType;
  message: string & MinLen<1> & MaxLen<4000>;
  /** Default: the message's first line. */
  title?: string & MinLen<1> & MaxLen<200>;
  /** Default MEDIUM. */
  severity?: Severity;
  /** With `recipients`: their channel (default SMS). */
  channel?: Channel;
  /** Phone numbers, email addresses or Slack channels; omitted: the campaign's contacts for the severity. */
  recipients?: (string & MinLen<1> & MaxLen<320>)[] & MaxLen<100>;
}

/** The alert `send` raised. */
export interface SendAlertResponse {
  alertId: string;
  sent: boolean;
  deliveries: number;
}

/** GET /api/v1/alerting/queue: filters and paging. */
export interface QueueRequest {
  campaignId?: string;
  /** Only alerts in this state. */
  status?: "pending" | "published" | "delivered" | "partial" | "failed";
  /** 1-based, default 1. */
  page?: Int & Min<1>;
  /** 1-100, default 20. */
  limit?: Int & Min<1> & Max<100>;
}

/** One delivery of an alert: a channel, a recipient, where it stands. */
export interface DeliveryView {
  id: string;
  channel: Channel;
  /** Masked (•••0100) for callers who may not read alert contacts. */
  recipient: string;
  recipientName: string;
  tier: number;
  /** skipped: never sent because the recipient opted out (replied STOP). */
  status: "held" | "pending" | "sending" | "sent" | "failed" | "cancelled" | "skipped";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
}

/** An alert as the queue shows it: the seed's AlertPayload plus its state and deliveries. */
export interface AlertView {
  id: string;
  type: AlertType;
  severity: Severity;
  campaignId: string;
  title: string;
  message: string;
  data: Record<string, unknown>;
  channels: AlertChannel[];
  timestamp: Date;
  status: "pending" | "published" | "delivered" | "partial" | "failed";
  tier: number;
  maxTier: number;
  escalateAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  processedAt: Date | null;
  deliveries: DeliveryView[];
}

/** A page of alerts, newest first. */
export interface QueueResponse {
  alerts: AlertView[];
  total: number;
  page: number;
  limit: number;
}

/** POST /api/v1/alerting/:id/ack. */
export interface AckRequest {
  id: string;
}

/** The acknowledgement (the first one stands: acknowledging again returns it unchanged). */
export interface AckResponse {
  alertId: string;
  acknowledgedAt: Date;
  acknowledgedBy: string;
  /** Escalation deliveries that will now never be sent. */
  cancelledDeliveries: number;
}

/** raiseCrisisAlert (internal, for monitoring): a crisis, with monitoring's own wording and an idempotency key. */
export interface RaiseCrisisRequest {
  campaignId: string;
  crisisScore: number;
  triggers: string[];
  affectedPlatforms: string[];
  estimatedReach: number;
  sentimentImpact: number;
  recommendedActions: string[];
  /** The same key raises one alert however often it is sent (monitoring: `crisis:<id>:v<version>`). */
  sourceKey?: string;
  /** The detector's own verdict, when it has one; default CRISIS, and the severity by score (CRITICAL above 0.8). */
  type?: AlertType;
  severity?: Severity;
  /** Overrides the generated wording. */
  title?: string;
  message?: string;
  /** Kept with the alert (e.g. the crisis id and explanation). */
  data?: Record<string, unknown>;
}

/** The alert raised (or the one an earlier raise with the same key created). */
export interface RaiseCrisisResponse {
  alertId: string;
  /** False when the source key had already raised this alert. */
  created: boolean;
  severity: Severity;
  deliveries: number;
}

/** What a sweep did. */
export interface SweepResponse {
  /** Alerts published again (never published after persisting, or with deliveries stuck). */
  republished: number;
  /** Deliveries whose sender's lease ran out (a crash mid-send), made pending again. */
  reclaimed: number;
}

/** What a collection of monitoring's pending crises did. */
export interface CollectResponse {
  /** Crises whose alert was raised now (or found raised by an earlier, interrupted run). */
  raised: number;
  /** Crises that could not be raised this time (tried again on the next run). */
  failed: number;
}

/** What an escalation run did. */
export interface EscalateResponse {
  escalated: number;
}
