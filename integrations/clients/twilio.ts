// Twilio Messages API (2010-04-01) through the official `twilio` SDK: SMS and WhatsApp sends are
// `client.messages.create(...)`. The SDK's requests go through its pluggable HTTP client, which here
// is ours (PolicyHttpClient): it sends each request under the provider's resilience policy (retries,
// rate limit, circuit breaker, timeouts, call log), to the configured base URL instead of
// https://api.twilio.com when one is set (the tests' fake Twilio), and checks Twilio's answer against
// a zod schema before the SDK maps it. The SDK's own retries are off: the policy decides.
import twilio from "twilio";
import type { RequestClient } from "twilio";
import { z } from "zod";
import type { ProviderPolicy } from "../../shared/resilience";
import type { ListedMessage } from "../domain/reconcile";
import { decodeWith } from "./schemas";
import { send, type CallObserver, type Decoder, type ErrorReader } from "./http";

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

/** A Message's statuses, as Twilio's API and its status callbacks name them. */
export const MessageStatus = z.enum([
  "accepted",
  "scheduled",
  "queued",
  "sending",
  "sent",
  "failed",
  "delivered",
  "undelivered",
  "receiving",
  "received",
  "read",
  "canceled",
  "partially_delivered",
]);

/** Twilio's Message resource as it arrives (snake_case; Twilio adds fields freely, so unknown ones pass). */
export const TwilioMessageSchema = z.looseObject({
  sid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, "a Message sid (SM… or MM…)"),
  status: MessageStatus,
  to: z.string(),
  from: z.string().nullable(),
  num_segments: z
    .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
    .nullable()
    .optional(),
});

/** A page of Twilio's Message list (GET …/Messages.json), newest first; only the first page is read. */
export const TwilioMessagePageSchema = z.looseObject({
  messages: z.array(TwilioMessageSchema.extend({ body: z.string().nullable(), date_created: z.string().nullable() })),
  next_page_uri: z.string().nullable().optional(),
});

// Twilio's error body: {code, message, more_info, status}. 429 is code 20429; 401 is 20003.
export const readTwilioError: ErrorReader = (_status, body) => {
  const b = body as { code?: number; message?: string } | null;
  if (!b || typeof b.message !== "string") return null;
  return { message: `${b.message}${b.code ? ` (Twilio error ${b.code})` : ""}`, code: b.code };
};

const TWILIO_ORIGIN = "https://api.twilio.com";
const decodeMessage: Decoder<unknown> = decodeWith(TwilioMessageSchema, "Twilio Message");
const decodePage: Decoder<unknown> = decodeWith(TwilioMessagePageSchema, "Twilio Message list");

/** What the SDK hands its HTTP client (twilio/lib/base/RequestClient RequestOptions, the fields we read). */
interface SdkRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: object;
  data?: object;
}

/**
 * The SDK's HTTP client: one SDK request → one `send` under the policy. Non-2xx answers and
 * malformed bodies become ProviderErrors here (classified, retried or not), so the SDK only ever
 * sees a validated 2xx.
 */
class PolicyHttpClient {
  constructor(
    private readonly config: TwilioConfig,
    private readonly policy: ProviderPolicy,
    private readonly observe: CallObserver | undefined,
    private readonly signal: () => AbortSignal | undefined,
  ) {}

  async request(opts: SdkRequest): Promise<{ statusCode: number; body: string; headers: Record<string, string> }> {
    const target = new URL(opts.uri);
    const base = new URL(this.config.baseUrl || TWILIO_ORIGIN);
    // Only api.twilio.com is redirected (the Messages API); other Twilio hosts are not ours to move.
    const url = target.hostname === "api.twilio.com" ? new URL(`${base.origin}${base.pathname.replace(/\/$/, "")}${target.pathname}${target.search}`) : target;
    for (const [k, v] of Object.entries((opts.params ?? {}) as Record<string, unknown>)) if (v !== undefined) url.searchParams.set(k, String(v));
    const method = String(opts.method).toUpperCase();
    if (method !== "GET" && method !== "POST") throw new Error(`Twilio: ${method} is not used by War Room`);
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries((opts.data ?? {}) as Record<string, unknown>)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) form.append(k, String(item));
    }
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
    headers.authorization = `Basic ${Buffer.from(`${opts.username ?? this.config.accountSid}:${opts.password ?? this.config.authToken}`).toString("base64")}`;
    const res = await send(
      this.policy,
      { method, url: url.toString(), headers, body: method === "POST" ? form.toString() : undefined, retryOnTimeout: method === "GET" },
      { readError: readTwilioError, decode: method === "GET" ? decodePage : decodeMessage, observe: this.observe, signal: this.signal() },
    );
    return { statusCode: res.status, body: JSON.stringify(res.body), headers: Object.fromEntries(res.headers) };
  }
}

export class TwilioClient {
  private readonly sdk: ReturnType<typeof twilio>;
  private signal: AbortSignal | undefined;

  constructor(config: TwilioConfig, policy: ProviderPolicy, observe?: CallObserver) {
    const httpClient = new PolicyHttpClient(config, policy, observe, () => this.signal);
    this.sdk = twilio(config.accountSid, config.authToken, { httpClient: httpClient as unknown as RequestClient, autoRetry: false, lazyLoading: true });
  }

  /** Creates a message. A timeout is not retried: the message may have been accepted. */
  async sendMessage(msg: TwilioSend, signal?: AbortSignal): Promise<TwilioMessage> {
    this.signal = signal;
    const m = await this.sdk.messages.create({
      to: msg.to,
      from: msg.from,
      body: msg.body,
      ...(msg.statusCallback ? { statusCallback: msg.statusCallback } : {}),
    });
    return { sid: m.sid, status: m.status, to: m.to, from: m.from ?? "", numSegments: Number(m.numSegments ?? 1) };
  }

  /**
   * The most recent messages from `from` to `to` (Twilio lists newest first; one page of at most
   * `pageSize`). Used to find out whether a send whose answer was lost reached Twilio.
   */
  async recentMessages(q: { to: string; from: string; pageSize?: number }, signal?: AbortSignal): Promise<ListedMessage[]> {
    this.signal = signal;
    const page = await this.sdk.messages.page({ to: q.to, from: q.from, pageSize: q.pageSize ?? 50 });
    return page.instances.map((m) => ({
      sid: m.sid,
      status: m.status,
      to: m.to,
      from: m.from ?? "",
      body: m.body ?? "",
      dateCreated: m.dateCreated instanceof Date && !Number.isNaN(m.dateCreated.getTime()) ? m.dateCreated : null,
    }));
  }
}
