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
  /** The campaign the alert is about; without it (the seed's `{type, message, recipients}`) an ad-hoc alert to the listed numbers only. */
  campaignId?: string;
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
  /** Only alerts whose deliveries are in this state (no_contacts: no contacts for this campaign; below_threshold: none follows its severity). */
  status?: "pending" | "published" | "delivered" | "partial" | "failed" | "no_contacts" | "below_threshold";
  /** Only incidents in this lifecycle state. */
  state?: "open" | "acknowledged" | "resolved" | "false_alarm";
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
  /** skipped: never sent because the recipient opted out (replied STOP); digest: waits for the recipient's hourly digest; pending with a later nextAttemptAt: waits for their quiet hours to end. */
  status: "held" | "pending" | "sending" | "sent" | "failed" | "cancelled" | "skipped" | "digest";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  /** The page it belongs to: 1 for the first, one more for each severity rise. */
  wave: number;
  /** The recipient was paged earlier for this incident: this page said "UPDATE". */
  isUpdate: boolean;
}

/** One change in an incident's life. */
export interface IncidentChange {
  /** ISO time. */
  at: string;
  event: "raised" | "updated" | "severity_raised" | "escalated" | "acknowledged" | "resolved" | "false_alarm";
  type: AlertType;
  severity: Severity;
  title?: string;
  /** Who did it: a user id, "system", or the channel and address for replies ("sms:+1…"); masked for roles without alerting:update. */
  by?: string;
  via?: string;
  reason?: string;
  /** Pages sent with this change. */
  paged?: number;
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
  status: "pending" | "published" | "delivered" | "partial" | "failed" | "no_contacts" | "below_threshold";
  /** The short reference people reply with ("ACK 4821"). */
  ref: number;
  campaignName: string;
  /** open → acknowledged → resolved | false_alarm (or closed straight from open). */
  state: "open" | "acknowledged" | "resolved" | "false_alarm";
  /** Pages sent so far: 1, plus one per severity rise. */
  wave: number;
  history: IncidentChange[];
  tier: number;
  maxTier: number;
  escalateAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  /** api, sms, whatsapp or link. */
  acknowledgedVia: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  closeReason: string | null;
  updatedAt: Date;
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
  ref: number;
  state: "open" | "acknowledged" | "resolved" | "false_alarm";
  /** Null when the incident was closed without being acknowledged. */
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedVia: string | null;
  /** Escalation deliveries that will now never be sent. */
  cancelledDeliveries: number;
}

/** POST /api/v1/alerting/:id/resolve and /:id/false-alarm: closing an incident, with why. */
export interface CloseRequest {
  id: string;
  reason: string & MinLen<1> & MaxLen<1000>;
}

/** The closed incident (closing again returns the first closing unchanged). */
export interface CloseResponse {
  alertId: string;
  ref: number;
  state: "open" | "acknowledged" | "resolved" | "false_alarm";
  closedAt: Date | null;
  closedBy: string | null;
  closeReason: string | null;
  /** Escalation deliveries that will now never be sent. */
  cancelledDeliveries: number;
}

/** acknowledgeByReply (internal, for integrations' inbound webhook): a phone number replied ACK. */
export interface ReplyAckRequest {
  /** E.164, as the reply came from. */
  from: string;
  channel: "sms" | "whatsapp";
  /** The reference in the reply ("ACK 4821"); absent for a bare "ACK". */
  ref?: number;
}

/** What the reply did, and the one line to answer with. */
export interface ReplyAckResponse {
  outcome: "acknowledged" | "already_acknowledged" | "closed" | "unknown_number" | "unknown_ref" | "none_open" | "ambiguous";
  alertId: string | null;
  reply: string;
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

/** A campaign's alerts nobody has acknowledged yet (newest first, at most 50). */
export interface OpenAlertsRequest {
  campaignId: string;
}

/** An unacknowledged alert in one line. */
export interface OpenAlert {
  id: string;
  type: string;
  severity: Severity;
  title: string;
  status: string;
  createdAt: Date;
}

/** A campaign's open alerts. */
export interface OpenAlertsResponse {
  alerts: OpenAlert[];
}
