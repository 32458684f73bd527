// Twilio's inbound-message webhook: a recipient replying STOP (or UNSUBSCRIBE, CANCEL, END, QUIT,
// STOPALL, REVOKE, OPTOUT) is opted out, START/UNSTOP opts them back in (CTIA keywords). The
// X-Twilio-Signature must match (as for status callbacks). The change is recorded in compliance's
// consent registry, which integrations consults before every send (messages.ts).
import { api } from "encore.dev/api";
import log from "encore.dev/log";
import { compliance } from "~encore/clients";
import { parseForm } from "./domain/signature";
import { twilioSettings } from "./secrets";
import { InboundMessageSchema, parseTwilioForm, readTwilioWebhook, refuseTwilioWebhook, verifyTwilioRequest } from "./webhook";

const OPT_OUT = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]);
const OPT_IN = new Set(["START", "UNSTOP"]);

/** The consent change an inbound message asks for: its first word, case and punctuation ignored. */
export function consentKeyword(body: string): { kind: "opt_out" | "opt_in"; keyword: string } | null {
  const word = body.trim().split(/\s+/)[0]?.replace(/[^a-z]/gi, "").toUpperCase() ?? "";
  if (OPT_OUT.has(word)) return { kind: "opt_out", keyword: word };
  if (OPT_IN.has(word)) return { kind: "opt_in", keyword: word };
  return null;
}

/** An inbound webhook request as the raw endpoint hands it over. */
export interface InboundMessage {
  url: string;
  signature: string | undefined;
  body: string;
}

/** Verifies and handles one inbound message: 403 on a bad signature, 400 without a sender, else 200 with empty TwiML. */
export async function handleInbound(m: InboundMessage): Promise<{ status: number; message: string; change: "opt_out" | "opt_in" | null }> {
  const settings = twilioSettings();
  const params = parseForm(m.body);
  if (!verifyTwilioRequest(settings.authToken, m.url, params, m.signature)) {
    log.warn("integrations: refused an inbound Twilio message with a bad signature", { url: m.url, hasSignature: Boolean(m.signature) });
    return { status: 403, message: "invalid X-Twilio-Signature", change: null };
  }
  const form = parseTwilioForm(InboundMessageSchema, params, "Twilio inbound message");
  if (!form.ok) return { status: 400, message: form.message, change: null };
  const from = form.data.From;
  const whatsapp = from.startsWith("whatsapp:");
  const address = whatsapp ? from.slice("whatsapp:".length) : from;
  const consent = consentKeyword(form.data.Body ?? "");
  if (consent) {
    await compliance.recordConsentChange({ address, kind: consent.kind, keyword: consent.keyword, channel: whatsapp ? "whatsapp" : "sms", sourceId: form.data.MessageSid ?? form.data.SmsSid });
  }
  return { status: 200, message: "", change: consent?.kind ?? null };
}

// twilioInbound receives Twilio's incoming-message webhook (STOP/START keywords); the X-Twilio-Signature must match (else 403).
export const twilioInbound = api.raw(
  { expose: true, method: "POST", path: "/api/v1/integrations/twilio/inbound" },
  async (req, resp) => {
    const result = await handleInbound(await readTwilioWebhook(req));
    if (result.status === 200) {
      // Empty TwiML: no auto-reply from us (Twilio's own opt-out handling confirms to the sender).
      resp.writeHead(200, { "content-type": "text/xml" }).end("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
      return;
    }
    refuseTwilioWebhook(resp, result.status, result.message);
  },
);
