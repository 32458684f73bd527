// An ad-hoc alert of no campaign: POST /api/v1/alerting/send as the seed calls it
// ({type, message, recipients}). It reaches only the listed phone numbers, by SMS or WhatsApp through
// integrations (which refuses numbers that replied STOP: those are skipped), once per recipient
// (idempotency key per alert and number), and is audited with each recipient's outcome. It opens no
// incident: incidents belong to campaigns.
import { randomUUID } from "node:crypto";
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { integrations } from "~encore/clients";
import { audit } from "../audit";
import type { AlertType, Severity } from "../domain/alert";
import { fitSms } from "../domain/sms";

/** The opt-out refusal's prefix (integrations/flows/messages.ts OPTED_OUT). */
const OPTED_OUT = "opted_out";

export interface AdHocAlert {
  raisedBy: string;
  type: AlertType;
  severity: Severity;
  title: string;
  message: string;
  channel: "SMS" | "WHATSAPP";
  recipients: string[];
}

/** Sends the alert to each recipient; returns its id and how many deliveries were made or skipped. */
export async function sendAdHocAlert(a: AdHocAlert): Promise<{ alertId: string; sent: number; skipped: number; failed: number }> {
  const alertId = randomUUID();
  const body = fitSms(`[${a.severity}] ${a.title}${a.message !== a.title ? `. ${a.message}` : ""}`, a.channel === "SMS" ? 2 : 10);
  const outcomes: { recipient: string; status: "sent" | "skipped" | "failed"; messageId?: string; error?: string }[] = [];
  for (const to of a.recipients) {
    try {
      const { messageId } = await integrations.sendMessage({
        channel: a.channel === "SMS" ? "sms" : "whatsapp",
        to,
        body,
        idempotencyKey: `adhoc:${alertId}:${to}`,
      });
      outcomes.push({ recipient: to, status: "sent", messageId });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message.startsWith(OPTED_OUT)) outcomes.push({ recipient: to, status: "skipped", error: OPTED_OUT });
      else {
        log.warn("ad-hoc alert delivery failed", { alertId, channel: a.channel, error: message });
        outcomes.push({ recipient: to, status: "failed", error: message });
      }
    }
  }
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  await audit({
    actorId: a.raisedBy,
    action: "alert.sent_adhoc",
    targetType: "alert",
    targetId: alertId,
    details: { type: a.type, severity: a.severity, channel: a.channel, title: a.title, deliveries: outcomes },
  });
  if (count("sent") === 0 && count("failed") > 0)
    throw APIError.unavailable(`the alert reached none of its recipients: ${outcomes.find((o) => o.error)?.error ?? "unknown error"}`);
  return { alertId, sent: count("sent"), skipped: count("skipped"), failed: count("failed") };
}
