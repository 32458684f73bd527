// Digests: contacts who asked for one get alerts below HIGH as one message per run (cron
// `alerting-digest`, hourly) listing them, instead of one message each. Each recipient's due
// deliveries are claimed together (digest → sending), sent as one message (the first delivery's id
// is the idempotency key) and settled together; a failed digest waits for the next run.
import log from "encore.dev/log";
import { audit } from "../audit";
import { ChannelError, OptedOutError } from "../channels/channels";
import { contentOf } from "./content";
import { sendersByChannel } from "./deliver";
import { sendLease } from "../secrets";
import { settledStatus } from "../domain/alert";
import { renderDigest } from "../domain/templates";
import * as store from "../store";

/** What a digest run did. */
export interface DigestResponse {
  /** Digest messages sent. */
  sent: number;
  /** Alerts they carried. */
  alerts: number;
  failed: number;
}

/** Settles an alert once none of its deliveries is open or waiting for a digest. */
async function settleIfDone(alertId: string): Promise<void> {
  const states = await store.deliveryStates(alertId);
  if (states.some((s) => s.status === "pending" || s.status === "sending" || s.status === "digest")) return;
  const settled = settledStatus(states.map((s) => s.status));
  if (settled) await store.settleAlert(alertId, settled);
}

/** Sends every recipient's due digest. */
export async function sendDigests(): Promise<DigestResponse> {
  const result: DigestResponse = { sent: 0, alerts: 0, failed: 0 };
  for (const { channel, recipient } of await store.digestRecipients()) {
    const rows = await store.claimDigest(channel, recipient, sendLease());
    if (rows.length === 0) continue;
    const alerts = new Map<string, store.Alert>();
    for (const d of rows)
      if (!alerts.has(d.alertId)) {
        const a = await store.getAlert(d.alertId);
        if (a) alerts.set(a.id, a);
      }
    const items = rows.filter((d) => alerts.has(d.alertId)).map((d) => contentOf(alerts.get(d.alertId)!, { ...d, isUpdate: false }));
    const first = rows[0]!;
    try {
      const sent = await sendersByChannel()[channel]({
        deliveryId: first.id,
        alertId: first.alertId,
        channel,
        recipient,
        recipientName: first.recipientName,
        message: renderDigest(items, channel),
      });
      for (const d of rows) await store.markSent(d.id, sent.providerMessageId);
      result.sent++;
      result.alerts += alerts.size;
      await audit({
        actorId: "system",
        action: "alert.digest_sent",
        targetType: "alert_delivery",
        targetId: first.id,
        details: { channel, deliveries: rows.length, alertIds: [...alerts.keys()] },
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      result.failed++;
      for (const d of rows) {
        if (err instanceof OptedOutError) await store.markSkipped(d.id, "opted_out");
        else if (err instanceof ChannelError && err.permanent) await store.markFailed(d.id, reason);
        else await store.releaseDigest(d.id, reason);
      }
      log.warn("an alert digest could not be sent", { channel, deliveries: rows.length, error: reason });
    }
    for (const id of alerts.keys()) await settleIfDone(id);
  }
  return result;
}
