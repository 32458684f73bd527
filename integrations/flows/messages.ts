// Sending through Twilio: the public SMS endpoint sends once per call; the internal send is
// idempotent per key (a claim row before the call, Twilio's sid after it, a lost answer settled from
// Twilio's message list), so a redelivered alert never sends twice. Status callbacks are verified and
// recorded.
import { APIError } from "encore.dev/api";
import { compliance } from "~encore/clients";
import log from "encore.dev/log";
import { randomUUID } from "node:crypto";
import { isInfraUnavailable, persist, ProviderError } from "../../shared/resilience";
import type { TwilioClient } from "../clients/twilio";
import { bodyFingerprint, sentForClaim } from "../domain/reconcile";
import { isE164, twilioAddress } from "../domain/phone";
import { parseForm } from "../domain/signature";
import { parseTwilioForm, StatusCallbackSchema, verifyTwilioRequest } from "../webhook";
import type { SendMessageRequest, SendMessageResponse } from "../model";
import { toAPIError, twilio } from "./providers";
import { twilioSettings } from "../secrets";
import * as store from "../store";

/** The start of the refusal message for an opted-out recipient (alerting recognises it). */
export const OPTED_OUT = "opted_out";

/**
 * How long a claim guards its send. A Twilio call is bounded well inside it (three tries of 8 s at
 * most, waits of at most 10 s); a claim older than this without a recorded sid lost its sender, and
 * is settled against Twilio's message list before anything is sent again.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;

/** How long recording a send's outcome keeps trying while our database is unreachable. */
const RECORD_DEADLINE_MS = 30_000;

/** Sends one message; throws APIErrors (400 bad number, 503 Twilio down or not configured). */
export async function sendVia(channel: "sms" | "whatsapp", to: string, body: string): Promise<{ sid: string; status: string }> {
  try {
    return await twilioSend(await prepare(channel, to, body));
  } catch (err) {
    throw toAPIError(err);
  }
}

/** A message ready to go to Twilio: checked, addressed, with the client to send it. */
interface Outgoing {
  client: TwilioClient;
  to: string;
  from: string;
  body: string;
  statusCallback: string | undefined;
}

/** Checks a message and the recipient's consent, and addresses it; throws APIErrors. */
async function prepare(channel: "sms" | "whatsapp", to: string, body: string): Promise<Outgoing> {
  if (!isE164(to)) throw APIError.invalidArgument(`"to" must be an E.164 phone number like +14155550100, got ${JSON.stringify(to)}`);
  if (!body.trim()) throw APIError.invalidArgument("the message is empty");
  // A recipient who replied STOP is never messaged again until they reply START (TCPA/CTIA).
  if ((await compliance.getOptOut({ address: to })).optedOut)
    throw APIError.failedPrecondition(`${OPTED_OUT}: the recipient replied STOP; no message is sent until they reply START`);
  const { client, settings } = twilio();
  const from = channel === "whatsapp" ? settings.whatsappFrom : settings.from;
  if (!from)
    throw APIError.unavailable(`twilio is not configured (missing ${channel === "whatsapp" ? "TWILIO_WHATSAPP_FROM" : "TWILIO_FROM"})`).withDetails({
      provider: "twilio",
      kind: "not_configured",
    });
  return {
    client,
    to: twilioAddress(channel, to),
    from: channel === "whatsapp" && !from.startsWith("whatsapp:") ? `whatsapp:${from}` : from,
    body,
    statusCallback: settings.statusCallbackUrl || undefined,
  };
}

/** Sends a prepared message; throws ProviderErrors from Twilio. */
async function twilioSend(m: Outgoing): Promise<{ sid: string; status: string }> {
  const msg = await m.client.sendMessage({ to: m.to, from: m.from, body: m.body, statusCallback: m.statusCallback });
  return { sid: msg.sid, status: msg.status };
}

/** Another call holds the key's claim: try again once it may have finished (409-like, retryable). */
function inFlight(retryAfterMs: number): APIError {
  return APIError.aborted("this message is being sent by another delivery; try again shortly").withDetails({
    inFlight: true,
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}

/** Records a write about a send already made, retrying while our database is unreachable. */
function record(what: string, key: string, fn: () => Promise<void>): Promise<void> {
  return persist(fn, {
    deadlineMs: RECORD_DEADLINE_MS,
    onRetry: (err, delayMs) => log.warn(`integrations: the database is unavailable; ${what} again`, { idempotencyKey: key, delayMs, error: String(err) }),
  });
}

/**
 * The idempotent send behind integrations' internal `sendMessage`: one Twilio message per key.
 * A claim row is taken before the call and Twilio's sid recorded after it. A key whose claim is
 * held answers `aborted` (with retryAfterSeconds) while the claim may still be in use; after
 * CLAIM_LEASE_MS the claim is taken over, and Twilio's list is asked first whether that send went
 * out (then its sid is adopted, and nothing is sent again).
 */
export async function sendOnce(req: SendMessageRequest): Promise<SendMessageResponse> {
  if (!req.idempotencyKey.trim()) throw APIError.invalidArgument("idempotencyKey is required");
  const out = await prepare(req.channel, req.to, req.body).catch((err: unknown) => {
    throw toAPIError(err);
  });
  const key = req.idempotencyKey;
  const owner = randomUUID();
  const release = (why: string) =>
    record(why, key, () => store.releaseMessage(key, owner)).catch((e: unknown) =>
      log.warn("integrations: a claim stays until its lease ends", { idempotencyKey: key, error: String(e) }),
    );
  let claimed: boolean;
  try {
    claimed = await store.claimMessage(key, { channel: req.channel, to: out.to, from: out.from, bodySha256: bodyFingerprint(req.body), owner });
  } catch (err) {
    // The insert may have committed with its answer lost: put back our claim (if any), or it would hold the key for a whole lease.
    if (isInfraUnavailable(err)) await release("releasing a claim whose answer was lost");
    throw err;
  }
  if (!claimed) {
    const adopted = await takeOver(key, out, owner);
    if (adopted) return adopted;
  }
  let sent: { sid: string; status: string };
  try {
    sent = await twilioSend(out);
  } catch (err) {
    // Release the claim unless Twilio may have accepted the message (a timeout): then the claim
    // stays until its lease runs out, and the takeover asks Twilio before sending again.
    const ambiguous = err instanceof ProviderError && err.kind === "timeout";
    if (!ambiguous) await release("releasing a failed send's claim");
    throw toAPIError(err);
  }
  // The message is out: its sid must be recorded, or a retry could send it again. Should the
  // database stay away past the deadline, the sid is still returned (the caller records it too) and
  // the open claim is settled from Twilio's list by a later takeover.
  await record("recording a sent message", key, () => store.messageSent(key, sent.sid, sent.status)).catch((e: unknown) =>
    log.error("integrations: could not record a sent message; a retry will find it in Twilio's list", { idempotencyKey: key, sid: sent.sid, error: String(e) }),
  );
  return { messageId: sent.sid, status: sent.status, duplicate: false };
}

/**
 * The key is claimed already: its send's answer when it has one; aborted while the claim may be in
 * use; otherwise this call takes the claim over, and returns the send Twilio lists for it if there is
 * one (null: nothing went out, the caller sends).
 */
async function takeOver(key: string, out: Outgoing, owner: string): Promise<SendMessageResponse | null> {
  const existing = await store.getMessage(key);
  if (!existing) throw inFlight(1000); // released between our insert and read: the next try claims it
  if (existing.sid) return { messageId: existing.sid, status: existing.status, duplicate: true };
  const heldFor = Date.now() - existing.updatedAt.getTime();
  if (heldFor < CLAIM_LEASE_MS) throw inFlight(CLAIM_LEASE_MS - heldFor);
  if (!(await store.reclaimStaleMessage(key, new Date(Date.now() - CLAIM_LEASE_MS), owner))) throw inFlight(CLAIM_LEASE_MS);
  const claim = {
    to: existing.toAddress ?? out.to,
    from: existing.fromAddress ?? out.from,
    bodySha256: existing.bodySha256 ?? bodyFingerprint(out.body),
    claimedAt: existing.createdAt,
  };
  const listed = await out.client.recentMessages({ to: claim.to, from: claim.from }).catch((err: unknown) => {
    throw toAPIError(err);
  });
  const taken = await store.sidsInUse(listed.map((m) => m.sid));
  const found = sentForClaim(
    listed.filter((m) => !taken.has(m.sid)),
    claim,
  );
  if (!found) return null;
  log.info("integrations: a send whose answer was lost had reached Twilio; adopting it", { idempotencyKey: key, sid: found.sid });
  await record("recording a sent message", key, () => store.messageSent(key, found.sid, found.status));
  return { messageId: found.sid, status: found.status, duplicate: true };
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
    log.warn("integrations: refused a Twilio callback with a bad signature", {
      url,
      hasSignature: Boolean(cb.signature),
      messageSid: String(params.MessageSid ?? ""),
    });
    return { status: 403, message: "invalid X-Twilio-Signature" };
  }
  const form = parseTwilioForm(StatusCallbackSchema, params, "Twilio status callback");
  if (!form.ok) return { status: 400, message: form.message };
  await store.recordStatus(form.data.MessageSid, form.data.MessageStatus, form.data.ErrorCode ?? null);
  return { status: 204, message: "" };
}
