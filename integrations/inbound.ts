// Twilio's inbound-message webhook: a recipient replying STOP (or UNSUBSCRIBE, CANCEL, END, QUIT,
// STOPALL, REVOKE, OPTOUT) is opted out, START/UNSTOP opts them back in (CTIA keywords). The
// X-Twilio-Signature must match (as for status callbacks). The change is recorded in compliance's
// consent registry, which integrations consults before every send (flows/messages.ts). A reply "ACK 4821"
// (or a bare "ACK") acknowledges the incident that paged the number (alerting decides which, and
// what to answer); the answer goes back as TwiML.
import { api } from "encore.dev/api";
import log from "encore.dev/log";
import { alerting, compliance } from "~encore/clients";
import { isE164 } from "./domain/phone";
import { parseForm } from "./domain/signature";
import { twilioSettings } from "./secrets";
import { InboundMessageSchema, parseTwilioForm, readTwilioWebhook, refuseTwilioWebhook, verifyTwilioRequest } from "./webhook";

const OPT_OUT = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]);
const OPT_IN = new Set(["START", "UNSTOP"]);

/** The consent change an inbound message asks for: its first word, case and punctuation ignored. */
export function consentKeyword(body: string): { kind: "opt_out" | "opt_in"; keyword: string } | null {
  const word =
    body
      .trim()
      .split(/\s+/)[0]
      ?.replace(/[^a-z]/gi, "")
      .toUpperCase() ?? "";
  if (OPT_OUT.has(word)) return { kind: "opt_out", keyword: word };
  if (OPT_IN.has(word)) return { kind: "opt_in", keyword: word };
  return null;
}

/** The incident reference of an acknowledgement ("ACK 4821", "ack #4821", "Ack4821."; null ref for a bare "ACK"), or null when the text is no acknowledgement. */
export function ackCommand(body: string): { ref: number | null } | null {
  const m = /^\s*ack(?:nowledged?)?\s*[#:.-]?\s*#?\s*(\d{1,9})?\s*[.!]*\s*$/i.exec(body);
  if (!m) return null;
  return { ref: m[1] === undefined ? null : Number(m[1]) };
}

/** A TwiML answer: one message back to the sender, or nothing. */
export function twiml(message: string): string {
  const escaped = message.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${message ? `<Message>${escaped}</Message>` : ""}</Response>`;
}

/** An inbound webhook request as the raw endpoint hands it over. */
export interface InboundMessage {
  url: string;
  signature: string | undefined;
  body: string;
}

/** Verifies and handles one inbound message: 403 on a bad signature, 400 without a sender, else 200 with the reply to send back (empty: none). */
export async function handleInbound(m: InboundMessage): Promise<{ status: number; message: string; change: "opt_out" | "opt_in" | null; reply: string }> {
  const settings = twilioSettings();
  const params = parseForm(m.body);
  if (!verifyTwilioRequest(settings.authToken, m.url, params, m.signature)) {
    log.warn("integrations: refused an inbound Twilio message with a bad signature", { url: m.url, hasSignature: Boolean(m.signature) });
    return { status: 403, message: "invalid X-Twilio-Signature", change: null, reply: "" };
  }
  const form = parseTwilioForm(InboundMessageSchema, params, "Twilio inbound message");
  if (!form.ok) return { status: 400, message: form.message, change: null, reply: "" };
  const from = form.data.From;
  const whatsapp = from.startsWith("whatsapp:");
  const address = whatsapp ? from.slice("whatsapp:".length) : from;
  if (!address) return { status: 400, message: "From is required", change: null, reply: "" };
  const text = form.data.Body ?? "";
  const consent = consentKeyword(text);
  if (consent) {
    await compliance.recordConsentChange({
      address,
      kind: consent.kind,
      keyword: consent.keyword,
      channel: whatsapp ? "whatsapp" : "sms",
      sourceId: form.data.MessageSid ?? form.data.SmsSid,
    });
    return { status: 200, message: "", change: consent.kind, reply: "" };
  }
  const ack = ackCommand(text);
  if (ack) {
    if (!isE164(address)) return { status: 200, message: "", change: null, reply: "War Room: replies are only understood from phone numbers." };
    const result = await alerting.acknowledgeByReply({ from: address, channel: whatsapp ? "whatsapp" : "sms", ...(ack.ref === null ? {} : { ref: ack.ref }) });
    log.info("integrations: an inbound acknowledgement", { outcome: result.outcome, alertId: result.alertId, channel: whatsapp ? "whatsapp" : "sms" });
    return { status: 200, message: "", change: null, reply: result.reply };
  }
  return { status: 200, message: "", change: null, reply: "" };
}

// twilioInbound receives Twilio's incoming-message webhook (STOP/START keywords, ACK <ref> acknowledgements); the X-Twilio-Signature must match (else 403).
export const twilioInbound = api.raw({ expose: true, method: "POST", path: "/api/v1/integrations/twilio/inbound" }, async (req, resp) => {
  const result = await handleInbound(await readTwilioWebhook(req));
  if (result.status === 200) {
    // STOP/START: no auto-reply from us (Twilio's own opt-out handling confirms to the sender); ACK: the confirmation.
    resp.writeHead(200, { "content-type": "text/xml" }).end(twiml(result.reply));
    return;
  }
  refuseTwilioWebhook(resp, result.status, result.message);
});
