// Twilio Messages API (2010-04-01): SMS and WhatsApp sends. A small client over fetch rather than the
// `twilio` package: that package hard-wires https://*.twilio.com hosts (only region/edge are
// configurable), so pointing it at a local fake means replacing its internal request client, and
// it brings its own retry logic that would fight our policy. The wire protocol is small:
//   POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json  (form-encoded, HTTP basic auth)
//   → 201 {sid, status, to, from, body, num_segments, error_code, ...}
//   errors → {code, message, more_info, status}
import type { ProviderPolicy } from "../../shared/resilience";
import { send, type CallObserver, type ErrorReader } from "./http";

/** Twilio credentials and where to reach it. */
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** https://api.twilio.com in production. */
  baseUrl: string;
}

/** One message to send. `to`/`from` are E.164 or `whatsapp:+…`. */
export interface TwilioSend {
  to: string;
  from: string;
  body: string;
  /** Where Twilio posts status changes (signed with X-Twilio-Signature). */
  statusCallback?: string;
}

/** Twilio's Message resource, the fields we use. */
export interface TwilioMessage {
  sid: string;
  status: string;
  to: string;
  from: string;
  numSegments: number;
}

interface TwilioMessageJson {
  sid?: unknown;
  status?: unknown;
  to?: unknown;
  from?: unknown;
  num_segments?: unknown;
}

// Twilio's error body: {code, message, more_info, status}. 429 is code 20429; 401 is 20003.
export const readTwilioError: ErrorReader = (status, body) => {
  const b = body as { code?: number; message?: string } | null;
  if (!b || typeof b.message !== "string") return null;
  return { message: `${b.message}${b.code ? ` (Twilio error ${b.code})` : ""}`, code: b.code };
};

function decodeMessage(body: unknown): TwilioMessage | { malformed: string } {
  const m = body as TwilioMessageJson | null;
  if (!m || typeof m !== "object" || typeof m.sid !== "string" || typeof m.status !== "string") return { malformed: "a Message without sid/status" };
  return { sid: m.sid, status: m.status, to: String(m.to ?? ""), from: String(m.from ?? ""), numSegments: Number(m.num_segments ?? 1) };
}

export class TwilioClient {
  constructor(
    private readonly config: TwilioConfig,
    private readonly policy: ProviderPolicy,
    private readonly observe?: CallObserver,
  ) {}

  /** Creates a message. A timeout is not retried: the message may have been accepted. */
  async sendMessage(msg: TwilioSend, signal?: AbortSignal): Promise<TwilioMessage> {
    const form = new URLSearchParams({ To: msg.to, From: msg.from, Body: msg.body });
    if (msg.statusCallback) form.set("StatusCallback", msg.statusCallback);
    const url = `${this.config.baseUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(this.config.accountSid)}/Messages.json`;
    const res = await send<TwilioMessage>(
      this.policy,
      {
        method: "POST",
        url,
        headers: {
          authorization: `Basic ${Buffer.from(`${this.config.accountSid}:${this.config.authToken}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: form.toString(),
        retryOnTimeout: false,
      },
      { readError: readTwilioError, decode: decodeMessage, observe: this.observe, signal },
    );
    return res.body;
  }
}

