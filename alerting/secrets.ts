// alerting's configuration: every secret it reads, read only here. A missing secret reads as ""
// (its channel is then "not configured": those deliveries fail visibly instead of hanging).
import { secret } from "encore.dev/config";
import { intSecret, readSecret } from "../shared/secrets";
import type { RetrySchedule } from "./domain/alert";

const smtpUrl = secret("SMTP_URL");
const alertEmailFrom = secret("ALERT_EMAIL_FROM");
const slackWebhookUrl = secret("SLACK_WEBHOOK_URL");
const pushWebhookUrl = secret("PUSH_WEBHOOK_URL");
const escalationDelaySeconds = secret("ALERT_ESCALATION_DELAY_SECONDS");
const maxAttempts = secret("ALERT_MAX_ATTEMPTS");
const retryBaseMs = secret("ALERT_RETRY_BASE_MS");
const sweepGraceSeconds = secret("ALERT_SWEEP_GRACE_SECONDS");
const sendLeaseSeconds = secret("ALERT_SEND_LEASE_SECONDS");

/** The channels' configuration. */
export interface ChannelConfig {
  smtpUrl: string;
  emailFrom: string;
  slackWebhookUrl: string;
  pushWebhookUrl: string;
}

export function channelConfig(): ChannelConfig {
  return {
    smtpUrl: readSecret(smtpUrl),
    emailFrom: readSecret(alertEmailFrom) || "War Room Alerts <alerts@warroom.local>",
    slackWebhookUrl: readSecret(slackWebhookUrl),
    pushWebhookUrl: readSecret(pushWebhookUrl),
  };
}

/** Seconds an unacknowledged CRITICAL alert waits before reaching the next tier (default 300). */
export const escalationDelay = (): number => intSecret(escalationDelaySeconds, 300, 0);

/** Delivery retries: ALERT_MAX_ATTEMPTS (default 5) attempts, from ALERT_RETRY_BASE_MS (1000) doubling up to 60 s. */
export function retrySchedule(): RetrySchedule {
  return { maxAttempts: intSecret(maxAttempts, 5, 1), baseDelayMs: intSecret(retryBaseMs, 1000, 0), maxDelayMs: 60_000 };
}

/**
 * Seconds a claimed delivery stays 'sending' before it may be claimed again (default 120): when
 * the claimer's fate is unknown (it died, or the database went away before the claim's answer
 * came back), the delivery is sent again after this. Longer than the slowest provider call.
 */
export const sendLease = (): number => intSecret(sendLeaseSeconds, 120, 5);

/** Seconds an alert may sit persisted but unpublished before the sweeper publishes it (default 30). */
export const sweepGrace = (): number => intSecret(sweepGraceSeconds, 30, 0);

const dashboardUrl = secret("WARROOM_DASHBOARD_URL");
const publicUrl = secret("WARROOM_PUBLIC_URL");
const linkSecret = secret("ALERT_LINK_SECRET");
const ackLinkHours = secret("ALERT_ACK_LINK_HOURS");

/** Where messages link to: the dashboard's incident page, and this API's public base for acknowledgement links (both optional). */
export interface LinkConfig {
  dashboardUrl: string;
  publicUrl: string;
  /** The key acknowledgement links are signed with; without it (or without publicUrl) messages carry no acknowledgement link. */
  linkSecret: string;
  /** How long an acknowledgement link stays valid (default 24 h). */
  ackLinkHours: number;
}

export function linkConfig(): LinkConfig {
  const base = (s: () => string) => readSecret(s).replace(/\/+$/, "");
  return { dashboardUrl: base(dashboardUrl), publicUrl: base(publicUrl), linkSecret: readSecret(linkSecret), ackLinkHours: intSecret(ackLinkHours, 24, 1) };
}
