// What Twilio's webhooks (status callbacks, inbound messages) share: reading the signed request and
// answering a refused one with Encore's error body.
import type { IncomingMessage, ServerResponse } from "node:http";
import log from "encore.dev/log";
import twilio from "twilio";
import { z } from "zod";
import { describeIssues } from "./clients/schemas";
import { MessageStatus } from "./clients/twilio";

/** A webhook request as Twilio signed it. */
export interface TwilioWebhook {
  /** The public URL Twilio posted to (behind a proxy: from X-Forwarded-Proto / -Host). */
  url: string;
  /** X-Twilio-Signature, if sent. */
  signature: string | undefined;
  /** The form-encoded body. */
  body: string;
}

export async function readTwilioWebhook(req: IncomingMessage): Promise<TwilioWebhook> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  const proto = String(req.headers["x-forwarded-proto"] ?? "http")
    .split(",")[0]
    .trim();
  const host = String(req.headers["x-forwarded-host"] ?? req.headers.host ?? "");
  const header = req.headers["x-twilio-signature"];
  return { url: `${proto}://${host}${req.url ?? ""}`, signature: Array.isArray(header) ? header[0] : header, body: Buffer.concat(chunks).toString("utf8") };
}

/** Answers a refused webhook: 403 permission_denied (bad signature), else invalid_argument, as Encore's error body. */
export function refuseTwilioWebhook(resp: ServerResponse, status: number, message: string): void {
  const code = status === 403 ? "permission_denied" : "invalid_argument";
  resp.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ code, message, details: null }));
}

/**
 * True when X-Twilio-Signature is Twilio's signature of this POST (the official SDK's validator:
 * HMAC-SHA1 of the URL and sorted parameters with the auth token, the URL tried with and without
 * its default port, compared in constant time).
 */
export function verifyTwilioRequest(authToken: string, url: string, params: Record<string, string | string[]>, signature: string | undefined): boolean {
  if (!authToken || !signature) return false;
  try {
    return twilio.validateRequest(authToken, signature, url, params);
  } catch {
    return false;
  }
}

const sid = (prefixes: string) => z.string().regex(new RegExp(`^(${prefixes})[0-9a-fA-F]{32}$`), `a Twilio sid (${prefixes.replaceAll("|", ", ")})`);
const single = <S extends z.ZodType>(s: S) => s; // form fields arrive once; a repeated one is an array and fails the schema

/** Twilio's status callback form (the fields we read; Twilio adds more, which pass). */
export const StatusCallbackSchema = z.looseObject({
  MessageSid: single(sid("SM|MM")),
  MessageStatus,
  ErrorCode: z.string().regex(/^\d+$/, "a numeric Twilio error code").optional(),
});

/** Twilio's incoming-message webhook form (the fields we read). */
export const InboundMessageSchema = z.looseObject({
  // Any sender Twilio names (short codes and channels too); only E.164 numbers are acted on.
  From: z.string().min(1, "a sender"),
  Body: z.string().optional(),
  MessageSid: z.string().min(1).max(64).optional(),
  SmsSid: z.string().min(1).max(64).optional(),
});

/** The webhook's parameters parsed by `schema`, or a clear 400 message (logged). */
export function parseTwilioForm<S extends z.ZodType>(
  schema: S,
  params: Record<string, string | string[]>,
  what: string,
): { ok: true; data: z.output<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(params);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issues = describeIssues(parsed.error);
  log.warn("provider payload does not match its schema", { provider: "twilio", payload: what, issues });
  return { ok: false, message: `${what} does not match its schema: ${issues}` };
}
