// Sending through Twilio: the public SMS endpoint sends once per call; the internal send is
// idempotent per key (a claim row before the call, Twilio's sid after it), so a redelivered alert
// never sends twice. Status callbacks are verified and recorded.
import { APIError } from "encore.dev/api";
import { compliance } from "~encore/clients";
import log from "encore.dev/log";
import { ProviderError } from "../shared/resilience";
import { isE164, twilioAddress } from "./domain/phone";
import { parseForm } from "./domain/signature";
import { parseTwilioForm, StatusCallbackSchema, verifyTwilioRequest } from "./webhook";
import type { SendMessageRequest, SendMessageResponse } from "./model";
import { toAPIError, twilio } from "./providers";
import { twilioSettings } from "./secrets";
import * as store from "./store";

/** The start of the refusal message for an opted-out recipient (alerting recognises it). */
export const OPTED_OUT = "opted_out";

/** A claim older than this whose sender never recorded a sid is taken over (its sender died). */
const STALE_CLAIM_MS = 5 * 60_000;

/** Sends one message; throws APIErrors (400 bad number, 503 Twilio down or not configured). */
export async function sendVia(channel: "sms" | "whatsapp", to: string, body: string): Promise<{ sid: string; status: string }> {
  try {
    return await twilioSend(channel, to, body);
  } catch (err) {
    throw toAPIError(err);
  }
}

/** Sends one message; throws APIErrors for bad input and configuration, ProviderErrors from Twilio. */
async function twilioSend(channel: "sms" | "whatsapp", to: string, body: string): Promise<{ sid: string; status: string }> {
  if (!isE164(to)) throw APIError.invalidArgument(`"to" must be an E.164 phone number like +14155550100, got ${JSON.stringify(to)}`);
  if (!body.trim()) throw APIError.invalidArgument("the message is empty");
  // A recipient who replied STOP is never messaged again until they reply START (TCPA/CTIA).
  if ((await compliance.getOptOut({ address: to })).optedOut) throw APIError.failedPrecondition(`${OPTED_OUT}: the recipient replied STOP; no message is sent until they reply START`);
  const { client, settings } = twilio();
  const from = channel === "whatsapp" ? settings.whatsappFrom : settings.from;
  if (!from) throw APIError.unavailable(`twilio is not configured (missing ${channel === "whatsapp" ? "TWILIO_WHATSAPP_FROM" : "TWILIO_FROM"})`);
  const msg = await client.sendMessage({
    to: twilioAddress(channel, to),
    from: channel === "whatsapp" && !from.startsWith("whatsapp:") ? `whatsapp:${from}` : from,
    body,
    statusCallback: settings.statusCallbackUrl || undefined,
  });
  return { sid: msg.sid, status: msg.status };
}

/** The idempotent send behind integrations' internal `sendMessage`. */
export async function sendOnce(req: SendMessageRequest): Promise<SendMessageResponse> {
  if (!req.idempotencyKey.trim()) throw APIError.invalidArgument("idempotencyKey is required");
  if (!isE164(req.to)) throw APIError.invalidArgument(`"to" must be an E.164 phone number, got ${JSON.stringify(req.to)}`);
  let claimed = await store.claimMessage(req.idempotencyKey, req.channel);
  if (!claimed) {
    const existing = await store.getMessage(req.idempotencyKey);
    if (existing?.sid) return { messageId: existing.sid, status: existing.status, duplicate: true };
    claimed = await store.reclaimStaleMessage(req.idempotencyKey, new Date(Date.now() - STALE_CLAIM_MS));
    if (!claimed) throw APIError.unavailable("this message is being sent by another delivery; try again shortly");
  }
  try {
    const { sid, status } = await twilioSend(req.channel, req.to, req.body);
    await store.messageSent(req.idempotencyKey, sid, status);
    return { messageId: sid, status, duplicate: false };
  } catch (err) {
    // Release the claim unless Twilio may have accepted the message (a timeout): then the claim
    // stays, and only a takeover after STALE_CLAIM_MS may send again.
    const ambiguous = err instanceof ProviderError && err.kind === "timeout";
    if (!ambiguous) await store.releaseMessage(req.idempotencyKey);
    throw toAPIError(err);
  }
}

/** A status callback request as the raw endpoint hands it over. */
export interface StatusCallback {
  /** The URL Twilio posted to, as Twilio saw it. */
  url: string;
  signature: string | undefined;
  body: string;
}

/** Verifies and records a status callback: 403 when the signature does not match. */
export async function handleStatusCallback(cb: StatusCallback): Promise<{ status: number; message: string }> {
  const settings = twilioSettings();
  const url = settings.statusCallbackUrl || cb.url;
  const params = parseForm(cb.body);
  if (!verifyTwilioRequest(settings.authToken, url, params, cb.signature)) {
    log.warn("integrations: refused a Twilio callback with a bad signature", { url, hasSignature: Boolean(cb.signature), messageSid: String(params.MessageSid ?? "") });
    return { status: 403, message: "invalid X-Twilio-Signature" };
  }
  const form = parseTwilioForm(StatusCallbackSchema, params, "Twilio status callback");
  if (!form.ok) return { status: 400, message: form.message };
  await store.recordStatus(form.data.MessageSid, form.data.MessageStatus, form.data.ErrorCode ?? null);
  return { status: 204, message: "" };
}
