// How an alert is delivered, for the `alert-queue` subscription (delivery.ts). The delivery rows are the truth, the message
// only says "look at alert X": each due pending row is claimed (pending → sending) before its
// send, so a redelivered or duplicated message never sends twice; a failed send goes back to
// pending with a backoff or, out of attempts, to failed; a send that could not be tried (held by
// another send, integrations unavailable) goes back to pending without using up an attempt. While
// any delivery is still open the handler fails, and Pub/Sub delivers the message again after its
// own backoff.
import log from "encore.dev/log";
import { integrations } from "~encore/clients";
import { randomUUID } from "node:crypto";
import { isInfraUnavailable, persist } from "../../shared/resilience";
import { audit } from "../audit";
import { ChannelError, DeferredError, OptedOutError, emailSender, pushSender, slackSender, twilioSender, type Sender } from "../channels/channels";
import { afterDeferral, afterFailure, settledStatus, type Channel } from "../domain/alert";
import { contentOf } from "./content";
import { render } from "../domain/templates";
import type { AlertPayload } from "../events";
import { channelConfig, retrySchedule, sendLease } from "../secrets";
import * as store from "../store";
import { deliveriesSent, deliveryFailures, deliveryLatencyMs } from "../metrics";

/** Pending deliveries due later than this (quiet hours) are left to the sweeper instead of Pub/Sub's retries. */
const QUIET_WAIT_MS = 60_000;

let senders: Record<Channel, Sender> | undefined;

/** The configured sender of each channel (built once). */
export function sendersByChannel(): Record<Channel, Sender> {
  if (senders) return senders;
  const cfg = channelConfig();
  const twilio = twilioSender((req) => integrations.sendMessage(req));
  senders = {
    SMS: twilio,
    WHATSAPP: twilio,
    EMAIL: emailSender(cfg.smtpUrl, cfg.emailFrom),
    SLACK: slackSender(cfg.slackWebhookUrl),
    PUSH: pushSender(cfg.pushWebhookUrl),
  };
  return senders;
}

/** Open deliveries remain: the message must come back (Pub/Sub's retry). */
export class DeliveriesOpen extends Error {
  constructor(alertId: string, open: number) {
    super(`alert ${alertId}: ${open} deliveries still open; delivering again later`);
    this.name = "DeliveriesOpen";
  }
}

/**
 * Records a delivery's outcome, retrying while our database is unreachable: an outage must neither
 * lose a send that happened (it would be sent again) nor leave the row 'sending' until its lease
 * runs out. Bounded well inside that lease.
 */
function record(fn: () => Promise<void>): Promise<void> {
  return persist(fn, {
    deadlineMs: (sendLease() * 1000) / 2,
    onRetry: (err, delayMs) => log.warn("alert delivery: the database is unavailable; recording the outcome again", { delayMs, error: String(err) }),
  });
}

/** Sends one claimed delivery and records the outcome. */
async function deliverOne(alert: store.Alert, d: store.Delivery): Promise<void> {
  const message = render(contentOf(alert, d), d.channel);
  const details = { alertId: alert.id, channel: d.channel, tier: d.tier, attempt: d.attempts, template: message.template };
  try {
    const sent = await sendersByChannel()[d.channel]({
      deliveryId: d.id,
      alertId: alert.id,
      channel: d.channel,
      recipient: d.recipient,
      recipientName: d.recipientName,
      message,
    });
    await record(() => store.markSent(d.id, sent.providerMessageId));
    deliveriesSent.with({ channel: d.channel }).increment();
    deliveryLatencyMs.with({ channel: d.channel }).increment(Math.max(0, Date.now() - alert.createdAt.getTime()));
    await audit({ actorId: "system", action: "alert.delivery_sent", targetType: "alert_delivery", targetId: d.id, details });
  } catch (err) {
    if (err instanceof OptedOutError) {
      log.info("alert delivery skipped: the recipient opted out", details);
      await record(() => store.markSkipped(d.id, "opted_out"));
      await audit({
        actorId: "system",
        action: "alert.delivery_skipped",
        targetType: "alert_delivery",
        targetId: d.id,
        details: { ...details, reason: "opted_out" },
      });
      return;
    }
    const deferred = err instanceof DeferredError ? afterDeferral(err.retryAfterMs, Date.now() - alert.createdAt.getTime(), Math.random()) : null;
    if (deferred) {
      log.info("alert delivery deferred (not an attempt)", { ...details, delayMs: deferred.delayMs, reason: (err as Error).message });
      await record(() => store.markDeferred(d.id, deferred.delayMs, (err as Error).message));
      return;
    }
    deliveryFailures.with({ channel: d.channel }).increment();
    const permanent = err instanceof ChannelError && err.permanent;
    const reason = err instanceof Error ? err.message : String(err);
    const next = afterFailure(retrySchedule(), d.attempts, permanent, Math.random());
    if (next.retry) {
      log.warn("alert delivery failed; will retry", { ...details, delayMs: next.delayMs, error: reason });
      await record(() => store.markRetry(d.id, next.delayMs, reason));
    } else {
      log.error("alert delivery failed for good", { ...details, permanent, error: reason });
      await record(() => store.markFailed(d.id, reason));
      await audit({
        actorId: "system",
        action: "alert.delivery_failed",
        targetType: "alert_delivery",
        targetId: d.id,
        details: { ...details, permanent, error: reason },
      });
    }
  }
}

/** Delivers what is due of one alert; throws DeliveriesOpen while deliveries remain open. Idempotent. */
export async function deliverAlert(payload: AlertPayload): Promise<void> {
  const alert = await store.getAlert(payload.id);
  if (!alert) {
    log.warn("alert-queue: no such alert (dropped)", { alertId: payload.id });
    return;
  }
  const token = randomUUID();
  const claimed = await store.claimDue(alert.id, sendLease(), token).catch(async (err: unknown) => {
    // The claim may have committed with its answer lost: put back what it took, or those deliveries would wait out a whole lease.
    if (isInfraUnavailable(err)) await record(() => store.unclaim(alert.id, token)).catch(() => undefined);
    throw err;
  });
  await Promise.all(claimed.map((d) => deliverOne(alert, d)));
  const states = await store.deliveryStates(alert.id);
  const open = states.filter((s) => s.status === "pending" || s.status === "sending");
  if (open.length === 0) {
    // Deliveries waiting for a digest: the digest run settles the alert once it has sent them.
    if (states.some((s) => s.status === "digest")) return;
    const settled = settledStatus(states.map((s) => s.status));
    if (settled) await store.settleAlert(alert.id, settled);
    return;
  }
  // Only deliveries held back by quiet hours remain: nothing to retry now; the sweeper publishes the alert again once they are due.
  if (open.every((s) => s.status === "pending" && s.nextAttemptAt.getTime() > Date.now() + QUIET_WAIT_MS)) return;
  throw new DeliveriesOpen(alert.id, open.length);
}
