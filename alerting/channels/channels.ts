// The senders: one per channel, each turning a rendered message into one provider call. A sender
// throws ChannelError; `permanent` errors (a refused address, a bad request) are not retried.
import nodemailer, { type Transporter } from "nodemailer";
import type { Channel } from "../domain/alert";
import type { Rendered } from "../domain/templates";

/** A failed send; permanent ones are not retried. */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "ChannelError";
  }
}

/**
 * The send could not be tried, through no fault of the provider: another send of the same message
 * holds it, or our own side (integrations' database) is unavailable. Not an attempt: the delivery
 * waits `retryAfterMs` and tries again without using up its attempts.
 */
export class DeferredError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = "DeferredError";
  }
}

/** The recipient opted out (replied STOP): the delivery is skipped, never sent. */
export class OptedOutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OptedOutError";
  }
}

/** One delivery to send. `deliveryId` doubles as the idempotency key downstream. */
export interface Outgoing {
  deliveryId: string;
  alertId: string;
  channel: Channel;
  recipient: string;
  recipientName: string;
  message: Rendered;
}

/** What the provider said: its message id when it gives one. */
export interface SendResult {
  providerMessageId: string | null;
}

export type Sender = (out: Outgoing) => Promise<SendResult>;

const HTTP_TIMEOUT_MS = 10_000;

/** POSTs JSON; 2xx is success, 408/429/5xx and network errors are retryable, other 4xx permanent. */
async function postJson(url: string, body: unknown, headers: Record<string, string>, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch (err) {
    throw new ChannelError(`${what} unreachable: ${err instanceof Error ? err.message : String(err)}`, false);
  }
  if (res.ok) return res;
  const text = (await res.text().catch(() => "")).slice(0, 200);
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
  throw new ChannelError(`${what} answered ${res.status}${text ? `: ${text}` : ""}`, !retryable);
}

/** Slack incoming webhook: the rendered blocks, to the contact's channel. */
export function slackSender(webhookUrl: string): Sender {
  return async (out) => {
    if (!webhookUrl) throw new ChannelError("Slack is not configured (SLACK_WEBHOOK_URL)", true);
    await postJson(webhookUrl, { ...out.message.json, channel: out.recipient }, {}, "Slack");
    return { providerMessageId: null };
  };
}

/** Push through a generic webhook (PUSH_WEBHOOK_URL): the JSON payload, with an Idempotency-Key header. */
export function pushSender(webhookUrl: string): Sender {
  return async (out) => {
    if (!webhookUrl) throw new ChannelError("push is not configured (PUSH_WEBHOOK_URL)", true);
    const res = await postJson(
      webhookUrl,
      { ...out.message.json, recipient: out.recipient, deliveryId: out.deliveryId },
      { "idempotency-key": out.deliveryId },
      "push webhook",
    );
    const body = (await res.json().catch(() => null)) as { id?: unknown } | null;
    return { providerMessageId: typeof body?.id === "string" ? body.id : null };
  };
}

/** Email over SMTP (nodemailer). The Message-ID is derived from the delivery, so a resend is recognisably the same mail. */
export function emailSender(smtpUrl: string, from: string): Sender {
  let transport: Transporter | undefined;
  return async (out) => {
    if (!smtpUrl) throw new ChannelError("email is not configured (SMTP_URL)", true);
    transport ??= nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: HTTP_TIMEOUT_MS,
      greetingTimeout: HTTP_TIMEOUT_MS,
      socketTimeout: HTTP_TIMEOUT_MS,
    });
    try {
      const info = await transport.sendMail({
        from,
        to: out.recipientName ? { name: out.recipientName, address: out.recipient } : out.recipient,
        subject: out.message.subject ?? out.message.text,
        text: out.message.text,
        html: out.message.html,
        messageId: `<${out.deliveryId}@alerts.warroom>`,
        headers: { "X-WarRoom-Alert": out.alertId },
      });
      return { providerMessageId: info.messageId ?? null };
    } catch (err) {
      const e = err as { responseCode?: number; message?: string };
      // SMTP: 5xx replies are permanent (no such mailbox, refused), 4xx and connection failures transient.
      const permanent = typeof e.responseCode === "number" && e.responseCode >= 500;
      throw new ChannelError(`SMTP: ${e.message ?? String(err)}`, permanent);
    }
  };
}

/** The subset of integrations' internal sendMessage this sender calls (an idempotent send per key). */
export type MessageSend = (req: { channel: "sms" | "whatsapp"; to: string; body: string; idempotencyKey: string }) => Promise<{ messageId: string }>;

/**
 * SMS and WhatsApp through integrations (Twilio). The delivery id is the idempotency key, so even a
 * resend after a crash mid-call sends one message. Bad numbers and a Twilio that is not configured
 * are permanent; anything else (Twilio down, circuit open) is retried.
 */
export function twilioSender(send: MessageSend): Sender {
  return async (out) => {
    try {
      const { messageId } = await send({
        channel: out.channel === "WHATSAPP" ? "whatsapp" : "sms",
        to: out.recipient,
        body: out.message.text,
        idempotencyKey: out.deliveryId,
      });
      return { providerMessageId: messageId };
    } catch (err) {
      const e = err as { code?: string; message?: string; details?: { inFlight?: boolean; provider?: string; retryAfterSeconds?: number } | null };
      const message = `${out.channel}: ${e.message ?? String(err)}`;
      if (e.code === "failed_precondition" && e.message?.startsWith("opted_out")) throw new OptedOutError(message);
      // A bad number, or Twilio not configured at all: retrying cannot help, so the delivery fails at once.
      if (e.code === "invalid_argument" || /not configured/i.test(e.message ?? "")) throw new ChannelError(message, true);
      // Held by another send of this message, or integrations itself unavailable (a 503 naming no
      // provider): the send was never tried, so it waits without using up an attempt.
      const retryAfterMs = (e.details?.retryAfterSeconds ?? 2) * 1000;
      if ((e.code === "aborted" && e.details?.inFlight) || (e.code === "unavailable" && !e.details?.provider)) throw new DeferredError(message, retryAfterMs);
      throw new ChannelError(message, false);
    }
  };
}
